"""Building blocks shared by every document: money, titled points, indicators.

An indicator (绩效指标) is kept exactly as the budget system exports it: codes and
names of its 一级 / 二级 categories are not renumbered, and a target keeps the text
the department wrote ("大于20家", "≥90%", "比较满意") beside its structured reading.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Literal, NewType, Optional

from attrs import frozen

from reportgen.model.fields import describe, field

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

#: 年度: a year a budget document can be about, 2000 to 2100 (a slipped digit, 20233, is refused).
Year = NewType("Year", int)

#: 名称: text that names something and so must say something: not empty, not only blanks.
Label = NewType("Label", str)

#: the whole numbers each bounded type allows, lowest and highest, both included; loading
#: enforces them and the data reference prints them.
RANGES: dict[object, tuple[int, int]] = {Count: (0, 10**9), Places: (0, 6), Percent: (0, 100),
                                          Year: (2000, 2100)}

#: 比较符 of a target: at least, more than, at most, less than, exactly.
Comparator = Literal[">=", ">", "<=", "<", "="]

#: 定性指标的评价档次: met, partly met, not met (rules.md §3).
Band = Literal["达成", "部分达成", "未达成"]


@describe("要点", "一段文字，可带一个小标题，写成“一是<标题>。<正文>”。")
@frozen
class Point:
    """要点: a paragraph with an optional short title ("一是<title>。<text>")."""

    text: str = field("正文")
    title: Optional[str] = field("标题", default=None, doc="可不填；填写时写在正文之前。")


@describe("指标类别", "一级或二级指标的类别，编码和名称照预算系统导出的写。")
@frozen
class Category:
    """指标类别: a 一级 or 二级 indicator category, e.g. code "11", name "数量指标"."""

    name: Label = field("名称", example="数量指标")
    code: Optional[str] = field("编码", default=None, example="11")


@describe("指标值", "照原文填写的指标值及其含义。定性指标的比较符和数值为空；只有数值没有比较符的"
                   "（如“50条”“100%”）评分时按“不少于”理解；不含数字的说法（如“与上年持平”）写成对象，"
                   "由比较符和数值说明其含义（增长率 ≥ 0%）。")
@frozen
class Target:
    """指标值: a target as written ("≥90%", "大于20家", "长期") and how it reads.

    ``comparator`` and ``value`` are None for a qualitative target (定性指标). A
    value without a comparator ("50条", "100%") is read as "at least" when scored.
    A document's phrase that reads as no number ("与上年持平") is given as an object
    whose ``text`` is the phrase and whose comparator/value say what it means
    (增长率 ≥ 0%).
    """

    text: str = field("原文", example="≥90%")
    comparator: Optional[Comparator] = field("比较符", default=None, doc="定性指标不填。")
    value: Optional[Decimal] = field("数值", default=None, doc="定性指标不填。", example=90)
    unit: str = field("单位", default="", example="%")


@describe("实际完成值", "实际完成的数值，及文档中对它的原文表述。")
@frozen
class Actual:
    """实际完成值: the value reached, with the words a document may use for it.

    ``comparator`` keeps an actual given as a bound ("超过1家", "大于100家"): the
    value reached is beyond ``value``, which is what a target "多于100家" asks.
    """

    text: str = field("原文", example="实际完成5个")
    value: Optional[Decimal] = field("数值", default=None, doc="定性的完成情况不填。", example=5)
    unit: str = field("单位", default="", example="个")
    comparator: Optional[Comparator] = field(
        "比较符", default=None, doc="原文为“超过1家”之类的界限时填写：完成值超过该数值。")


@describe("绩效指标", "一个三级绩效指标及其一级、二级指标。")
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
    ``applicable`` false marks an indicator that does not apply: it is not scored and
    the total of the applicable ones is converted to 100 points (rules.md §3).
    """

    level1: Category = field("一级指标")
    level2: Category = field("二级指标")
    name: Label = field("三级指标名称")
    target: Optional[Target] = field("年度指标值", default=None, doc="评分用年度指标值，未填写时用实施周期指标值。")
    period_target: Optional[Target] = field("实施周期指标值", default=None)
    actual: Optional[Actual] = field("实际完成值", default=None)
    unit: Optional[str] = field("计量单位", default=None, doc="不填时取指标值的单位。")
    weight: Optional[Points] = field("分值", default=None, unit="分",
                                     doc="不填时，该一级指标的分值由未填分值的指标平分。")
    reverse: Optional[bool] = field("反向指标", default=None,
                                    doc="越小越好的指标（如成本）；不填时按指标值的比较符判断（≤、< 为反向）。")
    band: Optional[Band] = field("评价档次", default=None, doc="定性指标由评价人判定的档次。")
    score: Optional[Points] = field("得分", default=None, unit="分", doc="定性指标在所评档次内给的分。")
    deviation_reason: Optional[str] = field("偏差原因", default=None, doc="未完成的指标说明原因。")
    target_wording: Optional[str] = field("指标值原文表述", default=None, example="全年预计完成5个",
                                          doc="报告中对指标值的原话；计算只用结构化的指标值。")
    actual_wording: Optional[str] = field("完成值原文表述", default=None, example="实际完成5个",
                                          doc="报告中对完成值的原话；计算只用结构化的完成值。")
    tags: tuple[str, ...] = field("标签", default=(), converter=tuple, doc="供筛选的标记。")
    applicable: bool = field("适用", default=True,
                             doc="false 表示该指标不适用：不计分，适用指标得分汇总后按百分制折算。")
