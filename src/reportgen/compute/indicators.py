"""绩效指标 in the narrative: groups by 一级, counts, a sentence each, the score in words.

Each function returns finished Chinese text; the figures in it (counts, scores) are
computed, the words for a target or an actual are the document's own where given.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple, Optional

from reportgen.formatting import grade_word, number
from reportgen.model import Indicator

if TYPE_CHECKING:  # scoring imports this module; the narrative only reads its results
    from reportgen.compute.scoring import Evaluation, Scorecard


class IndicatorGroup(NamedTuple):
    """All indicators of one 一级 category, in the order the data gives them.

    ``name`` is the category as the data spells it, blanks around it dropped; when
    the data spells it two ways ("满意度" beside "满意度指标") the indicators belong
    to one group, named by the full spelling ("满意度指标") if the data has it.
    """

    name: str
    indicators: tuple[Indicator, ...]


def category_key(name: str) -> str:
    """The normalised name of a 一级 category: blanks and a final "指标" dropped.

    Departments write "满意度" and "满意度指标" for the same category; grouping and
    weights both go by this key, so one category is never scored twice.

    >>> category_key("满意度指标"), category_key(" 满意度 "), category_key("产出指标")
    ('满意度', '满意度', '产出')
    """
    return re.sub(r"\s+", "", name).removesuffix("指标")


def _group_name(key: str, spellings: list[str]) -> str:
    """The first spelling, unless another is the full one (key + "指标")."""
    return key + "指标" if key + "指标" in spellings else spellings[0]


def group_by_level1(indicators: tuple[Indicator, ...]) -> list[IndicatorGroup]:
    """Groups in order of first appearance (产出指标 before 效益指标 when listed so),
    one per :func:`category_key`, named by :func:`_group_name`.

    >>> from reportgen.model import Category
    >>> def one(name): return Indicator(Category(name), Category("x"), "a")
    >>> [g.name for g in group_by_level1((one(" 产出指标"), one("满意度"), one("满意度指标 ")))]
    ['产出指标', '满意度指标']
    """
    spellings: dict[str, list[str]] = {}
    order: dict[str, list[Indicator]] = {}
    for indicator in indicators:
        key = category_key(indicator.level1.name)
        spellings.setdefault(key, []).append(indicator.level1.name.strip())
        order.setdefault(key, []).append(indicator)
    return [IndicatorGroup(_group_name(key, spellings[key]), tuple(items)) for key, items in order.items()]


def _join(parts: list[str]) -> str:
    """"a", "a和b", "a、b和c"."""
    if len(parts) <= 1:
        return "".join(parts)
    return "、".join(parts[:-1]) + "和" + parts[-1]


def count_summary(groups: list[IndicatorGroup]) -> str:
    """"11个产出指标和8个效益指标": how many indicators each 一级 category has.

    >>> from reportgen.model import Category
    >>> out = Indicator(Category("产出指标"), Category("数量指标"), "a")
    >>> use = Indicator(Category("效益指标"), Category("社会效益指标"), "b")
    >>> count_summary(group_by_level1((out, out, out))), count_summary(group_by_level1((out, use)))
    ('3个产出指标', '1个产出指标和1个效益指标')
    """
    return _join([f"{len(g.indicators)}个{g.name}" for g in groups])


def _wording(explicit: Optional[str], fallback_prefix: str, text: Optional[str]) -> str:
    if explicit:
        return explicit
    return f"{fallback_prefix}{text}" if text else ""


def sentence(indicator: Indicator, met: Optional[bool] = None) -> str:
    """"产出指标中的数量指标：<名称>，<目标>，<完成>" without closing punctuation.

    The document's own wording is used where the data gives it; otherwise
    "全年目标<target>" (or "实施周期目标<period target>") and "实际完成<actual>".
    An indicator known not to be met (``met`` False) adds its 偏差原因 when given.

    >>> from reportgen.model import Actual, Category, Target
    >>> i = Indicator(Category("产出指标"), Category("数量指标"), "举办招商推介活动场次",
    ...               target=Target("≥15场"), actual=Actual("12场"), deviation_reason="受场地影响")
    >>> sentence(i, met=False)
    '产出指标中的数量指标：举办招商推介活动场次，全年目标≥15场，实际完成12场，偏差原因：受场地影响'
    """
    head = f"{indicator.level1.name.strip()}中的{indicator.level2.name.strip()}：{indicator.name.strip()}"
    if indicator.target is not None:
        target = _wording(indicator.target_wording, "全年目标", indicator.target.text)
    else:
        period = indicator.period_target.text if indicator.period_target else None
        target = _wording(indicator.target_wording, "实施周期目标", period)
    actual = indicator.actual.text if indicator.actual else None
    parts = [head, target, _wording(indicator.actual_wording, "实际完成", actual)]
    if met is False and indicator.deviation_reason:
        parts.append(f"偏差原因：{indicator.deviation_reason.rstrip('。；;')}")
    return "，".join(p for p in parts if p)


def points(value) -> str:
    """A score as printed: two places at most, trailing zeros dropped ("9.85", "30")."""
    return number(value, places=2)


def score_breakdown(card: Scorecard) -> str:
    """预算执行率得分9.85分（分值10分），产出指标得分45.45分（分值50分）…。"""
    parts = [f"预算执行率得分{points(card.execution_score)}分（分值{points(card.execution_weight)}分）"]
    parts += [f"{c.name}得分{points(c.score)}分" + (f"（分值{points(c.weight)}分）" if c.weight is not None else "")
              for c in card.categories]
    return "，".join(parts) + "。"


def _met_summary(evaluations: list[Evaluation]) -> str:
    met = [e for e in evaluations if e.met]
    unmet = [f"“{e.indicator.name}”" for e in evaluations if e.met is False]
    unknown = len(evaluations) - len(met) - len(unmet)
    text = f"{len(evaluations)}个绩效指标中{len(met)}个已完成"
    if unmet:
        text += f"，{'、'.join(unmet)}未完成"
    if unknown:
        text += f"，{unknown}个无法判断是否完成"
    return text + "。"


def conclusion(card: Scorecard) -> str:
    """自评结论 computed from the data: the score, the grade it supports, what was met.

    "" when there are no indicators: a score of 预算执行率 alone means nothing.
    """
    evaluations = [e for c in card.categories for e in c.evaluations]
    if not evaluations:
        return ""
    return (f"经自评，部门整体支出绩效自评得分为{points(card.total)}分，"
            f"自评等级为{grade_word(card.grade)}。" + _met_summary(evaluations))
