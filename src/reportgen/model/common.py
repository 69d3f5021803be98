"""Building blocks shared by every document: money, titled points, indicators.

An indicator (绩效指标) is kept exactly as the budget system exports it: codes and
names of its 一级 / 二级 categories are not renumbered, and a target keeps the text
the department wrote ("大于20家", "≥90%", "比较满意") beside its structured reading.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Literal, NewType, Optional

from attrs import field, frozen

#: 金额, in 万元. A Decimal that loading guarantees is finite and not negative.
Money = NewType("Money", Decimal)

#: 比较符 of a target: at least, more than, at most, less than, exactly.
Comparator = Literal[">=", ">", "<=", "<", "="]


@frozen
class Point:
    """要点: a paragraph with an optional short title ("一是<title>。<text>")."""

    text: str
    title: Optional[str] = None


@frozen
class Category:
    """指标类别: a 一级 or 二级 indicator category, e.g. code "11", name "数量指标"."""

    name: str
    code: Optional[str] = None


@frozen
class Target:
    """指标值: a target as written ("≥90%", "大于20家", "长期") and how it reads.

    ``comparator`` and ``value`` are None for a qualitative target (定性指标).
    """

    text: str
    comparator: Optional[Comparator] = None
    value: Optional[Decimal] = None
    unit: str = ""


@frozen
class Actual:
    """实际完成值: the value reached, with the words a document may use for it."""

    text: str
    value: Optional[Decimal] = None
    unit: str = ""


@frozen
class Indicator:
    """绩效指标 (三级): one indicator with its 一级 and 二级 categories.

    ``target_wording`` / ``actual_wording`` carry a document's own phrasing
    ("全年预计完成5个", "实际完成5个"); the structured values drive every figure.
    ``band`` is the evaluator's judgement for a qualitative indicator
    (达成 / 部分达成 / 未达成) and ``score`` the points given within that band.
    """

    level1: Category
    level2: Category
    name: str
    target: Optional[Target] = None
    period_target: Optional[Target] = None
    actual: Optional[Actual] = None
    weight: Optional[Decimal] = None
    reverse: bool = False
    band: Optional[Literal["达成", "部分达成", "未达成"]] = None
    score: Optional[Decimal] = None
    deviation_reason: Optional[str] = None
    target_wording: Optional[str] = None
    actual_wording: Optional[str] = None
    tags: tuple[str, ...] = field(default=(), converter=tuple)
