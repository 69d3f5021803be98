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

#: 人数、项目数: a whole number that loading guarantees is not negative.
Count = NewType("Count", int)

#: 分值、得分: points that loading guarantees are not negative.
Points = NewType("Points", Decimal)

#: 小数位数 of a printed percentage: 0 to 6.
Places = NewType("Places", int)

#: 百分比 threshold, 0 to 100.
Percent = NewType("Percent", int)

#: 比较符 of a target: at least, more than, at most, less than, exactly.
Comparator = Literal[">=", ">", "<=", "<", "="]

#: 定性指标的评价档次: met, partly met, not met (rules.md §3).
Band = Literal["达成", "部分达成", "未达成"]


@frozen
class Point:
    """要点: a paragraph with an optional short title ("一是<title>。<text>")."""

    text: str  # 正文
    title: Optional[str] = None  # 标题（可空）


@frozen
class Category:
    """指标类别: a 一级 or 二级 indicator category, e.g. code "11", name "数量指标"."""

    name: str  # 名称，如 数量指标
    code: Optional[str] = None  # 编码，如 11


@frozen
class Target:
    """指标值: a target as written ("≥90%", "大于20家", "长期") and how it reads.

    ``comparator`` and ``value`` are None for a qualitative target (定性指标). A
    value without a comparator ("50条", "100%") is read as "at least" when scored.
    A document's phrase that reads as no number ("与上年持平") is given as an object
    whose ``text`` is the phrase and whose comparator/value say what it means
    (增长率 ≥ 0%).
    """

    text: str  # 原文，如 ≥90%
    comparator: Optional[Comparator] = None  # 比较符
    value: Optional[Decimal] = None  # 数值
    unit: str = ""  # 单位，如 %、家


@frozen
class Actual:
    """实际完成值: the value reached, with the words a document may use for it.

    ``comparator`` keeps an actual given as a bound ("超过1家", "大于100家"): the
    value reached is beyond ``value``, which is what a target "多于100家" asks.
    """

    text: str  # 原文，如 实际完成5个
    value: Optional[Decimal] = None  # 数值
    unit: str = ""  # 单位
    comparator: Optional[Comparator] = None  # 原文为“超过1家”之类时的比较符


@frozen
class Indicator:
    """绩效指标 (三级): one indicator with its 一级 and 二级 categories.

    ``target`` is the 年度指标值 and ``period_target`` the 实施周期指标值; scoring
    uses the annual one, else the period one. ``unit`` (计量单位) defaults to the
    target's. ``reverse`` marks a 反向指标 (smaller is better, e.g. 成本); when not
    given it follows the target's comparator (≤ or < is reverse).
    ``weight`` is the indicator's 分值; without it the 一级 category's points are
    shared equally among its indicators without one.
    ``target_wording`` / ``actual_wording`` carry a document's own phrasing
    ("全年预计完成5个", "实际完成5个"); the structured values drive every figure.
    ``band`` is the evaluator's judgement for a qualitative indicator
    (达成 / 部分达成 / 未达成) and ``score`` the points given within that band.
    ``deviation_reason`` (偏差原因) explains an indicator not met.
    """

    level1: Category  # 一级指标
    level2: Category  # 二级指标
    name: str  # 三级指标名称
    target: Optional[Target] = None  # 年度指标值
    period_target: Optional[Target] = None  # 实施周期指标值
    actual: Optional[Actual] = None  # 实际完成值
    unit: Optional[str] = None  # 计量单位（默认取指标值的单位）
    weight: Optional[Points] = None  # 分值
    reverse: Optional[bool] = None  # 反向指标（越小越好）；不填时按比较符判断
    band: Optional[Band] = None  # 定性指标的评价档次
    score: Optional[Points] = None  # 定性指标的得分
    deviation_reason: Optional[str] = None  # 偏差原因分析
    target_wording: Optional[str] = None  # 报告中对指标值的原文表述
    actual_wording: Optional[str] = None  # 报告中对完成值的原文表述
    tags: tuple[str, ...] = field(default=(), converter=tuple)  # 标签，供筛选
