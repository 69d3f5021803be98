"""``reportgen check`` for the 绩效指标 of a self-evaluation and the weights that score them.

Points must add up to 100; a 一级 category needs points and indicators; each indicator
needs what its score is computed from (a numeric actual in the target's unit, or the
evaluator's band and a score inside it) and a reason when it was not met.
"""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Iterator

from reportgen.checking.findings import ERROR, WARNING, Problem, finding
from reportgen.checking.impossible import (Scored, above_weight_findings, category_sum_findings, first_index,
                                           over_hundred_findings, placed, weights_total_findings)
from reportgen.checking.units import one_sided_unit_findings
from reportgen.compute import scoring
from reportgen.sentences.indicators import points
from reportgen.model import Indicator
from reportgen.rounding import round_half_up

__all__ = ["Scored", "indicator_findings", "weight_findings", "weights_total_findings", "category_code_findings"]

def _category_findings(report: Scored, category: scoring.CategoryScore, root: str,
                       shown: int) -> Iterator[Problem]:
    if not category.evaluations:
        yield finding(WARNING, f"{root}.indicators", f"一级指标“{category.name}”（分值{points(category.weight, shown)}分）"
                                                     f"没有指标，这{points(category.weight, shown)}分计为0分（缺少指标不等于不适用："
                                                     f"如该一级指标不适用，请列出其指标并将 applicable 设为 false，"
                                                     f"总分按适用部分折算）")
        return
    where = f"{root}.indicators[{first_index(report, category.name)}]"
    if scoring.category_weight(report.settings.weights, category.name) is None:
        if any(e.weight is None for e in category.evaluations):
            yield finding(ERROR, f"{where}.level1.name", f"一级指标“{category.name}”没有设置分值"
                                                         f"（settings.weights.categories），其指标无法计分")
        return
    yield from category_sum_findings(report, category, root, shown)


def weight_findings(report: Scored, card: scoring.Scorecard, root: str = "$") -> Iterator[Problem]:
    """Weights that do not add up to 100, categories without points or without indicators.

    ``report`` is anything with ``indicators`` and ``settings`` (a report, or a
    project's :class:`Scored`); its indicators are at ``root``.indicators in the data,
    and the document's own weights are checked only at the root ("$"). The errors that
    make a table impossible are :mod:`.impossible`'s, and rendering refuses them too."""
    if root == "$":
        yield from weights_total_findings(report.settings)
    if report.indicators:
        for category in card.categories:
            yield from _category_findings(report, category, root, card.places)
        yield from over_hundred_findings(card, root)


def _measure_findings(indicator: Indicator, where: str) -> Iterator[Problem]:
    """A quantitative indicator needs a numeric actual in its target's unit, written
    on both sides or on neither (:mod:`.units`)."""
    target, actual = scoring.target_of(indicator), indicator.actual
    if actual is None:
        yield finding(ERROR, f"{where}.actual", f"指标“{indicator.name}”缺少实际完成值，按0分计")
    elif actual.value is None:
        yield finding(WARNING, f"{where}.actual", f"指标“{indicator.name}”的实际完成值“{actual.text}”不是数值，"
                                                  f"无法与指标值“{target.text}”比较，按0分计")
    elif not scoring.units_agree(indicator):
        yield finding(ERROR, f"{where}.actual", f"指标“{indicator.name}”的单位不一致：指标值为“{target.unit}”，"
                                                f"实际完成值为“{actual.unit}”，按0分计")
    else:
        yield from one_sided_unit_findings(indicator, where)


def _band_findings(indicator: Indicator, e: scoring.Evaluation, where: str, shown: int) -> Iterator[Problem]:
    """A qualitative indicator needs the evaluator's band and a score inside it, never
    above its points (scoring uses a score given without a band as it is)."""
    if indicator.band is None:
        if indicator.score is None:
            yield finding(WARNING, f"{where}.band", f"定性指标“{indicator.name}”未给出评价档次（band：达成、部分达成、"
                                                    f"未达成），无法计分，按0分计")
        else:
            yield finding(WARNING, f"{where}.band", f"定性指标“{indicator.name}”未给出评价档次（band：达成、部分达成、"
                                                    f"未达成），按填写的得分{points(indicator.score, shown)}分计")
            yield from above_weight_findings(e, where, shown)
        return
    if e.weight is None:
        return
    low, high = scoring.band_range(indicator.band, e.weight)
    if indicator.score is None and indicator.band != "达成":
        yield finding(WARNING, f"{where}.score", f"定性指标“{indicator.name}”未填写得分，按“{indicator.band}”"
                                                 f"档次的下限{points(low, shown)}分计")
    elif indicator.score is not None and indicator.score > e.weight:
        yield from above_weight_findings(e, where, shown)
    elif indicator.score is not None and not low <= indicator.score <= high:
        yield finding(ERROR, f"{where}.score", f"定性指标“{indicator.name}”得分{points(indicator.score, shown)}分不在"
                                               f"“{indicator.band}”档次的范围（{points(low, shown)}–{points(high, shown)}分）内")


def _wording_findings(indicator: Indicator, where: str) -> Iterator[Problem]:
    """The document's wording should carry the number the structured value holds."""
    pairs = (("target_wording", scoring.target_of(indicator)), ("actual_wording", indicator.actual))
    for field, measure in pairs:
        wording = getattr(indicator, field)
        if not wording or measure is None or measure.value is None:
            continue
        numbers = [Decimal(n.replace(",", "")) for n in re.findall(r"\d+(?:,\d{3})*(?:\.\d+)?", wording)]
        if numbers and measure.value not in numbers:
            yield finding(WARNING, f"{where}.{field}", f"“{wording}”中的数字与结构化的值{measure.value}不符"
                                                       f"（计分按{measure.value}）")


def category_code_findings(indicator: Indicator, where: str) -> Iterator[Problem]:
    """Budget systems number 二级 under 一级 (1 → 11, 12 …); a mismatch is a typing slip."""
    code1, code2 = indicator.level1.code, indicator.level2.code
    if code1 and code2 and not code2.startswith(code1):
        yield finding(WARNING, f"{where}.level2.code",
                      f"二级指标编码{code2}不属于一级指标编码{code1}（{indicator.level1.name}）")


def _category_name_findings(indicator: Indicator, where: str) -> Iterator[Problem]:
    yield from category_code_findings(indicator, where)
    if "满意度" in indicator.level2.name and "满意度" not in indicator.level1.name:
        yield finding(WARNING, f"{where}.level1.name",
                      f"二级指标“{indicator.level2.name}”通常属于一级指标“满意度指标”，这里归在"
                      f"“{indicator.level1.name}”下，按{indicator.level1.name}计分")


def _outcome_findings(indicator: Indicator, e: scoring.Evaluation, where: str, shown: int) -> Iterator[Problem]:
    if e.met is False and not indicator.deviation_reason:
        actual = indicator.actual.text if indicator.actual else "（空）"
        target = scoring.target_of(indicator)
        yield finding(WARNING, f"{where}.deviation_reason",
                      f"指标“{indicator.name}”未完成（指标值{target.text if target else '（空）'}，实际完成{actual}），"
                      f"未说明偏差原因")
    if not scoring.is_qualitative(indicator) and indicator.score is not None and e.score is not None \
            and round_half_up(e.score, shown) != round_half_up(indicator.score, shown):
        yield finding(WARNING, f"{where}.score", f"指标“{indicator.name}”填写的得分{points(indicator.score, shown)}分与"
                                                 f"按完成值计算的{points(e.score, shown)}分不符，以计算值为准")


def indicator_findings(report: Scored, card: scoring.Scorecard, root: str = "$") -> Iterator[Problem]:
    """What each indicator lacks for its score, and what it says that does not add up;
    an indicator marked not applicable is not scored and needs nothing."""
    for where, e in placed(report.indicators, card, root):
        indicator = e.indicator
        if scoring.is_qualitative(indicator):
            yield from _band_findings(indicator, e, where, card.places)
        else:
            yield from _measure_findings(indicator, where)
        yield from _outcome_findings(indicator, e, where, card.places)
        yield from _wording_findings(indicator, where)
        yield from _category_name_findings(indicator, where)
