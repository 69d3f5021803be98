"""部门整体收支: 执行数, 执行率, totals by source, 同比, project and fund execution."""
from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple, Optional

from attrs import fields

from reportgen.model import Budget, FundingSources, Project, SelfEvaluationReport, Settings, SpecialFund
from reportgen.rounding import change, percentage

#: Chinese name of each funding source (资金来源), in the order documents list them.
SOURCE_NAMES = {
    "general_public_budget": "一般公共预算财政拨款",
    "government_fund_budget": "政府性基金预算财政拨款",
    "state_capital_budget": "国有资本经营预算财政拨款",
    "other_funds": "其他资金",
}


class SourceLine(NamedTuple):
    """One funding source with its amount (资金来源及金额)."""

    key: str
    name: str
    amount: Decimal


def source_lines(sources: Optional[FundingSources]) -> list[SourceLine]:
    """The sources a department gave, zero amounts included, None ones left out."""
    if sources is None:
        return []
    lines = []
    for f in fields(FundingSources):
        value = getattr(sources, f.name)
        if value is not None:
            lines.append(SourceLine(f.name, SOURCE_NAMES[f.name], value))
    return lines


def total(sources: Optional[FundingSources]) -> Optional[Decimal]:
    """合计 of the sources given; None when none is given."""
    lines = source_lines(sources)
    if not lines:
        return None
    return sum((line.amount for line in lines), Decimal(0))


def executed(budget: Budget) -> Decimal:
    """执行数 (全年执行数 / 决算支出): the year's expenditure from all sources."""
    return total(budget.expenditure) or Decimal(0)


def precision(settings: Settings, figure: str) -> int:
    """Decimal places a document with ``settings`` prints ``figure`` with: its setting
    ``precision.<figure>``, else its ``default_precision`` (2 unless set)."""
    return settings.precision.get(figure, settings.default_precision)


def execution_rate(report: SelfEvaluationReport) -> Optional[Decimal]:
    """预算执行率 in percent: 执行数 / 全年预算数."""
    budget = report.budget
    return percentage(executed(budget), budget.annual_budget, precision(report.settings, "execution_rate"))


def yoy_change(report: SelfEvaluationReport) -> Optional[Decimal]:
    """支出同比增减 in percent, against the prior year's expenditure."""
    previous = report.budget.prior_year_expenditure
    if previous is None:
        return None
    return change(executed(report.budget), previous, precision(report.settings, "yoy_change"))


#: the columns of a 项目资金 row, as FundLine and Project both name them.
FUND_COLUMNS = ("initial_budget", "budget", "executed")


class FundTotals(NamedTuple):
    """年度资金总额 of a project: 年初预算数, 全年预算数 (A), 全年执行数 (B); None = not given."""

    initial_budget: Optional[Decimal]
    budget: Optional[Decimal]
    executed: Optional[Decimal]


def project_totals(project: Project) -> FundTotals:
    """年度资金总额: each column the sum of the sources that give it, else the
    project's own amount (None when neither gives it)."""
    totals = {}
    for column in FUND_COLUMNS:
        given = [getattr(line, column) for line in project.funding if getattr(line, column) is not None]
        totals[column] = sum(given, Decimal(0)) if given else getattr(project, column)
    return FundTotals(**totals)


def project_executed(project: Project) -> Decimal:
    """全年执行数 of a project: its sources' sum, else ``executed``; 0 when neither is
    given, which ``reportgen check`` reports as an error."""
    executed = project_totals(project).executed
    return Decimal(0) if executed is None else executed


def project_base(project: Project) -> Optional[Decimal]:
    """The budget a project's execution is measured against: 全年预算, else 年初预算."""
    totals = project_totals(project)
    return totals.budget if totals.budget is not None else totals.initial_budget


def project_execution_rate(settings: Settings, project: Project) -> Optional[Decimal]:
    """项目预算执行率 (B/A) in percent, at the document's precision; None without a
    budget, or with one of 0 (:func:`project_base`)."""
    base = project_base(project)
    if base is None:
        return None
    return percentage(project_executed(project), base, precision(settings, "project_execution_rate"))


def is_low_rate(settings: Settings, rate: Optional[Decimal]) -> bool:
    """Whether a rate *as printed* is below the threshold (default 90%).

    Judged on the rounded rate, never the exact one: 89.996% prints as 90% (or
    90.00%), and a report must not say "执行率90%低于90%".
    """
    return rate is not None and rate < settings.low_execution_threshold


def is_low_execution(settings: Settings, project: Project) -> bool:
    """Whether a project's execution rate, as printed, is below the threshold."""
    return is_low_rate(settings, project_execution_rate(settings, project))


def fund_execution_rate(settings: Settings, fund: SpecialFund) -> Optional[Decimal]:
    """专项资金预算支出率 in percent."""
    return percentage(fund.executed, fund.budget, precision(settings, "special_fund_execution_rate"))


def scope_base(report: SelfEvaluationReport) -> Optional[Decimal]:
    """What 自评涉及资金 is a share of: 项目支出 where the department gives it, else its
    一般公共预算 spending; None when neither is given."""
    base = report.budget.project_expenditure
    if base is None:
        base = report.budget.expenditure.general_public_budget
    return base


def scope_share(report: SelfEvaluationReport) -> Optional[Decimal]:
    """Share of 一般公共预算项目支出 that the self-evaluation covered, in percent;
    None without a scope or without a (non-zero) base, see :func:`scope_base`."""
    if report.scope is None:
        return None
    base = scope_base(report)
    if base is None:
        return None
    return percentage(report.scope.amount, base, precision(report.settings, "share"))
