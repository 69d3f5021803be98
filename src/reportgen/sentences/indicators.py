"""绩效指标 in the narrative: counts by 一级, a sentence each, the score in words.

Each function returns finished Chinese text; the figures in it (counts, scores) come
from :mod:`reportgen.compute.scoring`, the words for a target or an actual are the
document's own where given.
"""
from __future__ import annotations

from decimal import Decimal  # noqa: F401 - doctests
from typing import Optional

from babel.lists import format_list

from reportgen.compute.categories import IndicatorGroup, group_by_level1  # noqa: F401 - doctests
from reportgen.compute.grades import grade_word
from reportgen.compute.scoring import Evaluation, Scorecard, evaluations
from reportgen.formatting import LOCALE, number
from reportgen.model import Indicator


def count_summary(groups: list[IndicatorGroup]) -> str:
    """"11个产出指标和8个效益指标": how many indicators each 一级 category has.

    >>> from reportgen.model import Category
    >>> out = Indicator(Category("产出指标"), Category("数量指标"), "a")
    >>> use = Indicator(Category("效益指标"), Category("社会效益指标"), "b")
    >>> count_summary(group_by_level1((out, out, out))), count_summary(group_by_level1((out, use)))
    ('3个产出指标', '1个产出指标和1个效益指标')
    """
    return format_list([f"{len(g.indicators)}个{g.name}" for g in groups], locale=LOCALE)


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


def points(value, places: int = 2) -> str:
    """A score as printed: ``places`` at most (the card's, :attr:`Scorecard.places`),
    rounded half up, trailing zeros dropped ("9.85", "30"); the tables print the same.

    >>> points(Decimal("9.854")), points(Decimal("9.854"), 1), points(Decimal("30.00"))
    ('9.85', '9.9', '30')
    """
    return number(value, places=places)


def score_breakdown(card: Scorecard) -> str:
    """预算执行率得分9.85分（分值10分），产出指标得分45.45分（分值50分）…。 Every score
    with the card's places, as the tables print it."""
    def pts(value) -> str:
        return points(value, card.places)
    parts = [f"预算执行率得分{pts(card.execution_score)}分（分值{pts(card.execution_weight)}分）"]
    parts += [f"{c.name}得分{pts(c.score)}分" + (f"（分值{pts(c.weight)}分）" if c.weight is not None else "")
              for c in card.categories]
    return "，".join(parts) + "。"


def _met_summary(judged: list[Evaluation]) -> str:
    met = [e for e in judged if e.met]
    unmet = [f"“{e.indicator.name}”" for e in judged if e.met is False]
    unknown = len(judged) - len(met) - len(unmet)
    text = f"{len(judged)}个绩效指标中{len(met)}个已完成"
    if unmet:
        text += f"，{'、'.join(unmet)}未完成"
    if unknown:
        text += f"，{unknown}个无法判断是否完成"
    return text + "。"


def conclusion(card: Scorecard) -> str:
    """自评结论 computed from the data: the score, the grade it supports, what was met.

    "" when no indicator applies (:attr:`Scorecard.scored`): a score of 预算执行率
    alone means nothing. Only the indicators that apply are counted: one not applicable
    is neither done nor "cannot be told" (:func:`.scoring.evaluations`).
    """
    if not card.scored:
        return ""
    return (f"经自评，部门整体支出绩效自评得分为{points(card.total, card.places)}分，"
            f"自评等级为{grade_word(card.grade)}。" + _met_summary(evaluations(card)))
