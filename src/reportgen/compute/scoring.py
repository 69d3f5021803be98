"""自评得分 (rules.md §3): whether each indicator is met, its completion, score, total, grade.

Pure functions over the model, Decimal throughout. Scores are kept exact while they
are added up and rounded half up only when shown, so that the parts of a table add
up to its total (50 points shared by 11 indicators are 4.5454…, not 4.55 each).

- 预算执行率: weight × 执行数 / 全年预算数, capped at the weight.
- Positive indicator (≥, >, or a bare value such as "50条"): weight × actual / target,
  capped at the weight. A strict ">" target needs more than the value to be *met*,
  but scores like "≥": the formula has no notion of strictness.
- Reverse indicator (≤, <, or ``reverse``): weight × target / actual, capped.
- Exact target ("="): weight × the smaller of actual and target over the larger.
- A ratio measures completion only between positive numbers. A target of 0 or below
  (与上年持平 as growth ≥ 0%, 降幅不超过5% as growth ≥ -5%) and a reverse actual of 0
  or below have no ratio: the indicator scores its whole weight when met and nothing
  when not, and its completion is None (not printed). Met therefore always means full
  marks there, whatever the sign: -3% against ≥-5% is met, 50 of 50.
- An actual below 0 against a positive target completes nothing: completion 0%,
  score 0 (growth of -3% against ≥10%).
- Qualitative indicator: the evaluator's band (达成 / 部分达成 / 未达成) and score; the
  bands cover 100–80%, 80–60% and 60–0% of the weight, both ends included. A band
  without a score scores the whole weight for 达成 and the band's floor otherwise.
- An indicator marked not applicable (``applicable`` false) is not scored and gets no
  share of its category's points; when any is, the scores are summed and converted to
  100 over the points of the applicable parts (预算执行率 and every applicable
  indicator's weight), as the national form's notes say (用适用指标得分汇总后按百分制折算).
- A 一级 category that has points but no indicator at all is *missing*, not "not
  applicable": rules.md §3 converts only for an indicator that does not apply, which
  the data says with ``applicable`` false. A missing category therefore scores 0 of
  its points, converted or not; its points stay in the 100 (or in the applicable
  points a conversion divides by). The tables, the report's sentences
  (:func:`reportgen.sentences.indicators.score_breakdown`) and ``reportgen check``
  all read this one card, so they say the same.
- Total out of 100. More can only come from data that contradicts itself (indicator
  weights or an evaluator's score beyond their category's points): ``reportgen check``
  reports it as an error. Grade 优 ≥ 90, 良 ≥ 80, 中 ≥ 60, else 差, judged on the total as
  printed (rounded), so that a printed 90.00 is never 良.
"""
from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple, Optional

from reportgen.compute import budget as b
from reportgen.compute.categories import category_key, group_by_level1
from reportgen.compute.grades import grade
from reportgen.model import Indicator, SelfEvaluationReport, Target
from reportgen.model.report import Weights
from reportgen.rounding import HUNDRED, round_half_up

ZERO, ONE = Decimal(0), Decimal(1)

#: band → (lowest, highest) share of the indicator's weight.
BANDS = {"达成": (Decimal("0.8"), ONE), "部分达成": (Decimal("0.6"), Decimal("0.8")),
         "未达成": (ZERO, Decimal("0.6"))}

REVERSE = ("<=", "<")


class Evaluation(NamedTuple):
    """One indicator evaluated: its points, met or not (None: cannot tell), completion
    in percent (None: no ratio) and score (None: cannot be scored). One not applicable
    has None for all four; :attr:`applicable` tells it from one that cannot be told."""

    indicator: Indicator
    weight: Optional[Decimal]
    met: Optional[bool]
    completion: Optional[Decimal]
    score: Optional[Decimal]

    @property
    def applicable(self) -> bool:
        """Whether the indicator is scored at all (``applicable`` in the data)."""
        return self.indicator.applicable


class CategoryScore(NamedTuple):
    """One 一级 category: its points (None: no weight set), score, its indicators."""

    name: str
    weight: Optional[Decimal]
    score: Decimal
    evaluations: tuple[Evaluation, ...]


class Scorecard(NamedTuple):
    """The whole self-evaluation: 预算执行率 part, categories in order, total and grade."""

    execution_weight: Decimal
    execution_score: Decimal
    categories: tuple[CategoryScore, ...]
    total: Decimal  # rounded to the document's score precision
    grade: str
    #: the points the applicable parts weigh, when an indicator was not applicable and
    #: the total was converted to 100 from them; None when nothing was converted.
    applicable_points: Optional[Decimal] = None
    #: decimal places every score of this card is shown with, wherever it is printed
    #: (the tables, the report's sentences, ``reportgen check``): the document's
    #: setting ``precision.score``, else its ``default_precision``.
    places: int = 2

    @property
    def scored(self) -> bool:
        """Whether there is a self-evaluation score at all: at least one applicable
        indicator. 预算执行率 alone is no score out of 100, and neither is a table whose
        indicators all do not apply: its total, 满分 and grade are left blank, never
        printed as 100 or as the execution score converted."""
        return bool(evaluations(self))


def target_of(indicator: Indicator) -> Optional[Target]:
    """The target scored against: 年度指标值, else 实施周期指标值."""
    return indicator.target if indicator.target is not None else indicator.period_target


def comparator(target: Optional[Target]) -> Optional[str]:
    """The target's comparator; a bare value ("50条", "100%") reads as "at least"."""
    if target is None or target.value is None:
        return None
    return target.comparator or ">="


def is_qualitative(indicator: Indicator) -> bool:
    """定性指标: a target in words (比较满意, 长期) or none at all."""
    return comparator(target_of(indicator)) is None


def is_reverse(indicator: Indicator) -> bool:
    """反向指标 (smaller is better): set in the data, else read from a ≤ or < target."""
    return wanted(indicator) in REVERSE


def units_agree(indicator: Indicator) -> bool:
    """Whether actual and target are in the same unit. A value written without one
    is in the indicator's ``unit`` if given, else agrees with any."""
    target, actual = target_of(indicator), indicator.actual
    default = indicator.unit or ""
    units = {(m.unit if m is not None else "") or default for m in (target, actual)} - {""}
    return len(units) <= 1


def _measurable(indicator: Indicator) -> bool:
    actual = indicator.actual
    return (not is_qualitative(indicator) and actual is not None and actual.value is not None
            and units_agree(indicator))


def _meets(value: Decimal, bound: Optional[str], wanted: str, target: Decimal) -> bool:
    # An actual given as a bound ("超过1家": > 1) meets a strict target at that value.
    if wanted == ">=":
        return value >= target
    if wanted == ">":
        return value > target or (value == target and bound in (">", ">="))
    if wanted == "<=":
        return value <= target
    if wanted == "<":
        return value < target or (value == target and bound in ("<", "<="))
    return value == target and bound in (None, "=")


_FLIP = {">=": "<=", ">": "<", "<=": ">=", "<": ">"}


def wanted(indicator: Indicator) -> Optional[str]:
    """The comparison the actual must pass: the target's, turned round when the data's
    ``reverse`` says otherwise ("100万元" with reverse: at most 100)."""
    symbol = comparator(target_of(indicator))
    if symbol in (None, "=") or indicator.reverse is None:
        return symbol
    return symbol if (symbol in REVERSE) == indicator.reverse else _FLIP[symbol]


def is_met(indicator: Indicator) -> Optional[bool]:
    """Whether the indicator reached its target; None when that cannot be told."""
    if is_qualitative(indicator):
        return None if indicator.band is None else indicator.band == "达成"
    if not _measurable(indicator):
        return None
    actual = indicator.actual
    return _meets(actual.value, actual.comparator, wanted(indicator), target_of(indicator).value)


def _ratio(indicator: Indicator) -> Optional[Decimal]:
    """actual / target (positive), target / actual (reverse), smaller / larger ("="),
    never below 0; None where a ratio measures nothing (module docstring)."""
    if not _measurable(indicator):
        return None
    target, actual = target_of(indicator).value, indicator.actual.value
    if target <= 0:  # 与上年持平 (≥0%), 降幅不超过5% (≥-5%): met or not, no ratio
        return None
    if wanted(indicator) == "=":
        return max(ZERO, min(target, actual) / max(target, actual))
    if is_reverse(indicator):
        return target / actual if actual > 0 else None
    return max(ZERO, actual / target)


def completion(indicator: Indicator) -> Optional[Decimal]:
    """完成率 in percent, two places, not capped (over-achievement shows above 100),
    never below 0; None where there is no ratio (a target of 0 or below)."""
    ratio = _ratio(indicator)
    return None if ratio is None else round_half_up(ratio * HUNDRED, 2)


def band_range(band: str, weight: Decimal) -> tuple[Decimal, Decimal]:
    """The lowest and highest score a band allows for an indicator of ``weight`` points."""
    low, high = BANDS[band]
    return weight * low, weight * high


def qualitative_score(indicator: Indicator, weight: Decimal) -> Optional[Decimal]:
    """The evaluator's score; without one, the whole weight for 达成, else the band's floor."""
    if indicator.band is None:
        return indicator.score
    if indicator.score is not None:
        return indicator.score
    low, high = band_range(indicator.band, weight)
    return high if indicator.band == "达成" else low


def indicator_score(indicator: Indicator, weight: Optional[Decimal]) -> Optional[Decimal]:
    """Points of one indicator (exact, not rounded); None when it cannot be scored."""
    if weight is None:
        return None
    if is_qualitative(indicator):
        return qualitative_score(indicator, weight)
    met = is_met(indicator)
    if met is None:
        return None
    ratio = _ratio(indicator)
    if ratio is None:  # a target of 0 or below, or a reverse actual of 0 or below
        return weight if met else ZERO
    return weight * min(ONE, ratio)


def execution_score(weight: Decimal, executed: Decimal, budget: Decimal) -> Decimal:
    """预算执行率得分: weight × 执行数 / 预算数, capped at the weight; 0 without a budget.

    >>> execution_score(Decimal(10), Decimal("28404.48"), Decimal("28825.37")).quantize(Decimal("0.0001"))
    Decimal('9.8540')
    >>> execution_score(Decimal(10), Decimal(120), Decimal(100))
    Decimal('10')
    """
    if not budget:
        return ZERO
    return min(weight, weight * executed / budget)


def _key(weights: Weights, name: str) -> Optional[str]:
    # Departments write "满意度" or "满意度指标"; either finds the other's points. The
    # key is the one indicators are grouped by (categories.category_key).
    if name in weights.categories:
        return name
    wanted = category_key(name)
    return next((key for key in weights.categories if category_key(key) == wanted), None)


def category_weight(weights: Weights, name: str) -> Optional[Decimal]:
    """Points of a 一级 category, found by its name with or without "指标"."""
    key = _key(weights, name)
    return None if key is None else weights.categories[key]


def _shares(indicators: list[Indicator], total: Optional[Decimal]) -> list[Optional[Decimal]]:
    # Indicators with their own weight keep it; the rest share what is left equally.
    given = sum((i.weight for i in indicators if i.weight is not None), ZERO)
    missing = sum(1 for i in indicators if i.weight is None)
    share = None if total is None or not missing else max(ZERO, total - given) / missing
    return [i.weight if i.weight is not None else share for i in indicators]


def evaluate_category(name: str, indicators: list[Indicator], weights: Weights) -> CategoryScore:
    """Every indicator of one 一级 category, weighted and scored, in the data's order; one
    not applicable has no weight, no judgement and no score."""
    configured = category_weight(weights, name)
    applicable = [i for i in indicators if i.applicable]
    scored = {id(i): Evaluation(i, w, is_met(i), completion(i), indicator_score(i, w))
              for i, w in zip(applicable, _shares(applicable, configured))}
    evaluations = tuple(scored.get(id(i), Evaluation(i, None, None, None, None)) for i in indicators)
    score = sum((e.score for e in evaluations if e.score is not None), ZERO)
    if configured is None and applicable and all(scored[id(i)].weight is not None for i in applicable):
        configured = sum((scored[id(i)].weight for i in applicable), ZERO)
    return CategoryScore(name, configured, score, evaluations)


def evaluate(report: SelfEvaluationReport) -> Scorecard:
    """The self-evaluation score of ``report`` out of 100 and the grade it supports."""
    weights = report.settings.weights
    execution = execution_score(weights.execution, b.executed(report.budget),
                                report.budget.annual_budget)
    return scorecard(report.indicators, weights, execution, b.precision(report.settings, "score"))


def scorecard(indicators: tuple[Indicator, ...], weights: Weights, execution: Decimal,
              places: int) -> Scorecard:
    """The score out of 100 of ``indicators`` under ``weights``, given the 预算执行率
    score ``execution``; the total rounded half up to ``places``.

    Categories come in the order the indicators give them, then any category that
    has points but no indicator: it scores nothing (``reportgen check`` says so),
    its points are not shared out among the others, and a conversion for indicators
    not applicable keeps them (rules.md §3 converts for what does not apply, not for
    what is missing; module docstring).
    """
    categories = [evaluate_category(g.name, list(g.indicators), weights)
                  for g in group_by_level1(indicators)]
    named = {_key(weights, c.name) for c in categories}
    categories += [CategoryScore(name, weight, ZERO, ())
                   for name, weight in weights.categories.items() if name not in named]
    exact = execution + sum((c.score for c in categories), ZERO)
    points = None
    if any(not i.applicable for i in indicators):
        points = weights.execution + sum((_applicable_points(c) for c in categories), ZERO)
        if points and points != HUNDRED:
            exact = exact * HUNDRED / points
        else:  # the applicable parts weigh 100 already: nothing to convert
            points = None
    total = round_half_up(exact, places)
    return Scorecard(weights.execution, execution, tuple(categories), total, grade(total), points, places)


def _applicable_points(category: CategoryScore) -> Decimal:
    """The points of ``category`` a conversion to 100 divides by: its applicable
    indicators' weights; all its points when it has no indicator (missing, scored 0)."""
    if not category.evaluations:
        return category.weight or ZERO
    return sum((e.weight for e in category.evaluations if e.weight is not None), ZERO)


def printed_grade(card: Scorecard, stated: Optional[str]) -> str:
    """The grade a document prints: the department's own (``stated``), which is its call
    and printed as given; else the one the score supports; "" when there is no score
    (:attr:`Scorecard.scored`) and the department gave none."""
    if stated:
        return stated
    return card.grade if card.scored else ""


def evaluations(card: Scorecard) -> list[Evaluation]:
    """The evaluation of every indicator that applies, categories in order: what is
    judged, counted and checked. One not applicable is judged on nothing, so it is
    neither met nor "cannot be told"; only the tables print its row (from
    :attr:`CategoryScore.evaluations`, which keeps it)."""
    return [e for c in card.categories for e in c.evaluations if e.applicable]
