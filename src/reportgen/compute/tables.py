"""The figures of the 自评表 (rules.md §1, §3): a project's 项目资金 block and score.

A 项目支出绩效自评表 (财预〔2020〕10号) prints, per project, 年度资金总额 and its sources
(年初预算数, 全年预算数 A, 全年执行数 B), 执行率 B/A, the 预算执行率 score (分值 × 执行率,
capped), every indicator's score and 总分. All of it is computed here from the project
and the document's settings, never typed; the 部门整体支出绩效自评表 reuses the report's
own figures (:mod:`.budget`, :func:`.scoring.evaluate`), so the two always agree.
"""
from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple, Optional

from reportgen.compute import budget as b
from reportgen.compute import scoring
from reportgen.model import FundLine, Project, Settings
from reportgen.rounding import Rate

class ProjectFigures(NamedTuple):
    """Everything a project's table computes: 年度资金总额, its sources, 执行率 (B/A,
    rounded to the document's precision), and the scorecard (execution score and 总分)."""

    totals: b.FundTotals
    sources: tuple[FundLine, ...]  # each source's row (named by its ``source``), in the data's order
    rate: Optional[Rate]
    card: scoring.Scorecard


def project_figures(project: Project, settings: Settings) -> ProjectFigures:
    """The table figures of ``project`` under ``settings`` (weights, precision).

    执行率 is B / A with A the 全年预算数, else the 年初预算数 (:func:`.budget.project_base`);
    without either, or with 0, there is no rate and the execution score is 0.
    """
    totals = b.project_totals(project)
    executed, base = b.project_executed(project), b.project_base(project)
    rate = b.project_execution_rate(settings, project)
    weights = settings.weights
    execution = scoring.execution_score(weights.execution, executed, base or Decimal(0))
    card = scoring.scorecard(project.indicators, weights, execution, b.precision(settings, "score"))
    return ProjectFigures(totals, project.funding, rate, card)
