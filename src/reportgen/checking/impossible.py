"""Figures that cannot be: the findings for which rendering refuses to write a document.

``reportgen check`` lists everything doubtful or wrong, and a clerk may still print a
document with a warning, or with an error of the prose (a rate typed by hand, a grade
the scores do not reach), to correct by hand. A score table whose own figures
contradict each other is different: no reader could make sense of it, and a clerk who
printed it would hand in a table that cannot be. These are the findings here, each
also one of ``reportgen check`` (the same message at the same place):

- 预算执行率 and the 一级指标 points do not add up to 100, while the table prints a
  total out of 100 (``$.settings.weights``);
- a 一级指标's indicators weigh more than its points, or, all weighted, other than them;
- an evaluator's score above the indicator's own points (得分 > 分值 in one row);
- a total above 100;
- a proportion written as a fraction against a percent target (0.85 for ≥90%), which
  scoring reads as 0.85% (:mod:`.units`): the score printed would be a hundredth of
  the one meant, and look plausible.

:func:`impossible` gives those of one document a model makes (its own, or a further
``document``); :mod:`reportgen.api` refuses to render while there is any.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any, Iterator, NamedTuple, Optional

from reportgen.checking.findings import ERROR, Problem, finding
from reportgen.checking.units import one_sided_unit_findings
from reportgen.compute import budget as b
from reportgen.compute import scoring
from reportgen.compute.categories import category_key
from reportgen.compute.tables import project_figures
from reportgen.model import Indicator, ProjectSelfEvaluation, SelfEvaluationReport, Settings
from reportgen.rounding import round_half_up
from reportgen.sentences.indicators import points, score_breakdown

HUNDRED_POINTS = Decimal(100)


class Scored(NamedTuple):
    """What the weight and indicator checks read of a document: its indicators and the
    settings that weigh them (a project of a report is checked with its report's)."""

    indicators: tuple[Indicator, ...]
    settings: Settings


def first_index(report: Scored, name: str) -> int:
    """The index of the first indicator of the 一级 category ``name``."""
    key = category_key(name)
    return next(k for k, i in enumerate(report.indicators) if category_key(i.level1.name) == key)


def weights_total_findings(settings: Settings) -> Iterator[Problem]:
    """预算执行率 and the 一级 categories' points must add up to 100. The sum is printed
    with the document's score places, or with as many as it is typed with where those
    would round it to 100 (100.4 at none): a message must not read "合计100分，应为100分"."""
    weights = settings.weights
    total = weights.execution + sum(weights.categories.values(), Decimal(0))
    if total != HUNDRED_POINTS:
        shown = b.precision(settings, "score")
        if round_half_up(total, shown) == HUNDRED_POINTS:
            shown = max(shown, -total.as_tuple().exponent)
        yield finding(ERROR, "$.settings.weights", f"预算执行率和各一级指标的分值合计{points(total, shown)}分，应为100分")


def category_sum_findings(report: Scored, category: scoring.CategoryScore, root: str,
                          shown: int) -> Iterator[Problem]:
    """A 一级 category's typed indicator points beyond its own, or, all typed, other than them."""
    configured = scoring.category_weight(report.settings.weights, category.name)
    if not category.evaluations or configured is None:
        return
    # Typed points are the form's, not applicable ones included: scoring converts the
    # applicable parts to 100 (rules.md §3), so only the typed total is checked here.
    every = list(category.evaluations)
    given = [e.indicator.weight for e in every if e.indicator.weight is not None]
    total = sum(given, Decimal(0))
    if total > configured or (len(given) == len(every) and total != configured):
        where = f"{root}.indicators[{first_index(report, category.name)}]"
        yield finding(ERROR, f"{where}.weight", f"“{category.name}”各指标分值之和{points(total, shown)}分"
                                                f"与该一级指标的分值{points(configured, shown)}分不符")


def over_hundred_findings(card: scoring.Scorecard, root: str) -> Iterator[Problem]:
    """A total above the 100 points there are."""
    if card.total > HUNDRED_POINTS:
        yield finding(ERROR, f"{root}.indicators", f"按数据计算的自评得分为{points(card.total, card.places)}分，超过满分100分"
                                                   f"（{score_breakdown(card).rstrip('。')}）：请核对各指标的分值和得分")


def above_weight_findings(e: scoring.Evaluation, where: str, shown: int) -> Iterator[Problem]:
    """An evaluator's score (a qualitative indicator's, the one scoring uses) above the
    indicator's points."""
    typed = e.indicator.score
    if typed is not None and e.weight is not None and scoring.is_qualitative(e.indicator) and typed > e.weight:
        yield finding(ERROR, f"{where}.score", f"指标“{e.indicator.name}”得分{points(typed, shown)}分超过"
                                               f"其分值{points(e.weight, shown)}分")


def placed(indicators: tuple[Indicator, ...], card: scoring.Scorecard,
           root: str) -> list[tuple[str, scoring.Evaluation]]:
    """(path, evaluation) of each indicator that applies, in the data's order: one not
    applicable is scored for nothing and so checked for nothing
    (:func:`.scoring.evaluations`)."""
    indices = {id(i): k for k, i in enumerate(indicators)}
    found = [(indices[id(e.indicator)], e) for e in scoring.evaluations(card)]
    return [(f"{root}.indicators[{k}]", e) for k, e in sorted(found, key=lambda f: f[0])]


def card_findings(report: Scored, card: scoring.Scorecard, root: str) -> Iterator[Problem]:
    """The impossible figures of one scorecard whose indicators are at ``root``.indicators
    (the weights' total aside: they are the document's, checked once)."""
    if not card.scored:
        return
    for category in card.categories:
        yield from category_sum_findings(report, category, root, card.places)
    for where, e in placed(report.indicators, card, root):
        yield from above_weight_findings(e, where, card.places)
        yield from (p for p in one_sided_unit_findings(e.indicator, where) if p.severity == ERROR)
    yield from over_hundred_findings(card, root)


def _projects(settings: Settings, projects: list[tuple[str, Any]]) -> list[Problem]:
    found, scored = [], False
    for where, project in projects:
        card = project_figures(project, settings).card
        scored = scored or card.scored
        found += card_findings(Scored(project.indicators, settings), card, where)
    return ([*weights_total_findings(settings)] if scored else []) + found


def impossible(model: Any, document: Optional[str] = None) -> list[Problem]:
    """The figures the document made from ``model`` (its own, or the further
    ``document``: department-table, project-tables) would print and that cannot be."""
    if isinstance(model, ProjectSelfEvaluation):
        return _projects(model.settings, [("$.project", model.project)])
    if not isinstance(model, SelfEvaluationReport):
        return []
    if document == "project-tables":
        return _projects(model.settings, [(f"$.projects[{k}]", p) for k, p in enumerate(model.projects)])
    card = scoring.evaluate(model)
    if not card.scored:
        return []
    return [*weights_total_findings(model.settings), *card_findings(model, card, "$")]
