"""``reportgen check`` for a 项目支出绩效目标表: findings a clerk should fix before printing.

Errors are what would print wrongly (a 总计 that is not the sum of its columns, an
indicator without 年度指标值); warnings are what looks unusual in a published table
(a year other than the table's in its goals, a name with blanks around it).
"""
from __future__ import annotations

from decimal import Decimal
from typing import Iterator

from reportgen.checking.findings import ERROR, WARNING, Problem, finding
from reportgen.checking.indicators import category_code_findings
from reportgen.checking.text import blank_name_findings, stray_years, strings, walk
from reportgen.checking.lines import line_findings
from reportgen.compute import goals
from reportgen.formatting import money
from reportgen.model import GoalProject, Indicator, ProjectGoalTable

_COLUMN_NAMES = {"total": "总计", "fiscal_appropriation": "财政拨款",
                 "special_account": "财政专户拨款", "other_funds": "其他资金"}


def _total(project: GoalProject, where: str) -> Iterator[Problem]:
    difference = goals.total_mismatch(project)
    if difference is not None:
        yield finding(ERROR, f"{where}.total",
                      f"总计{money(project.total)}万元与各列之和{money(goals.columns_sum(project))}万元"
                      f"不符，相差{money(difference)}万元（表中按各列之和打印）")
    if goals.project_total(project) is None:
        yield finding(WARNING, where, f"项目“{project.name}”没有填写任何金额")


def _precision(project: GoalProject, where: str) -> Iterator[Problem]:
    # The table prints two decimals; a third would be rounded away without notice.
    for name, label in _COLUMN_NAMES.items():
        value = getattr(project, name)
        if value is not None and value != value.quantize(Decimal("0.01")):
            yield finding(WARNING, f"{where}.{name}",
                          f"{label}{value}万元超过两位小数，表中将四舍五入为{money(value)}")


def _period_against_year(indicator: Indicator, where: str) -> Iterator[Problem]:
    # A count set for the year cannot exceed the count set for the whole period;
    # rates (%) are not cumulative, so they are left alone.
    year, period = indicator.target, indicator.period_target
    if year is None or period is None or year.value is None or period.value is None:
        return
    if year.comparator in (">=", ">") and period.comparator == year.comparator \
            and year.unit == period.unit and year.unit != "%" and year.value > period.value:
        yield finding(WARNING, f"{where}.target",
                      f"年度指标值“{year.text}”大于实施周期指标值“{period.text}”")


def _indicator(indicator: Indicator, where: str) -> Iterator[Problem]:
    if indicator.target is None or not indicator.target.text.strip():
        yield finding(ERROR, f"{where}.target", f"指标“{indicator.name}”缺少年度指标值")
    if indicator.period_target is None or not indicator.period_target.text.strip():
        yield finding(WARNING, f"{where}.period_target", f"指标“{indicator.name}”缺少实施周期指标值")
    yield from category_code_findings(indicator, where)
    yield from _period_against_year(indicator, where)


def _project(project: GoalProject, where: str) -> Iterator[Problem]:
    yield from _total(project, where)
    yield from _precision(project, where)
    if not (project.goal or "").strip():
        yield finding(ERROR, f"{where}.goal", f"项目“{project.name}”缺少绩效目标")
    if not project.indicators:
        yield finding(ERROR, f"{where}.indicators", f"项目“{project.name}”没有绩效指标")
    for k, indicator in enumerate(project.indicators):
        yield from _indicator(indicator, f"{where}.indicators[{k}]")


def _duplicates(names: list[str], where: str, what: str) -> Iterator[Problem]:
    seen: set[str] = set()
    for k, name in enumerate(names):
        if name in seen:
            yield finding(WARNING, f"{where}[{k}].name", f"{what}“{name}”重复出现")
        seen.add(name)


def _goal_texts(table: ProjectGoalTable) -> Iterator[tuple[str, str]]:
    """(path, text) of each project's 绩效目标 and of its indicators' names and values."""
    for i, unit in enumerate(table.units):
        for j, project in enumerate(unit.projects):
            where = f"$.units[{i}].projects[{j}]"
            if project.goal:
                yield f"{where}.goal", project.goal
            yield from strings(project.indicators, f"{where}.indicators")


def _year_findings(table: ProjectGoalTable) -> Iterator[Problem]:
    """Years in the goals that are not the table's (text copied from last year's table);
    a 实施周期指标值 may reach beyond the year."""
    return stray_years(_goal_texts(table), table.year, ahead=lambda path: path.endswith(".period_target"),
                       what="预算年度", source="绩效目标表", hint="可忽略本条")


def check_table(table: ProjectGoalTable) -> list[Problem]:
    """Every finding about one 项目支出绩效目标表."""
    findings: list[Problem] = []
    if not table.units:
        findings.append(finding(ERROR, "$.units", "没有资金使用单位，表中只有合计行"))
    findings += _duplicates([u.name for u in table.units], "$.units", "资金使用单位")
    for i, unit in enumerate(table.units):
        where = f"$.units[{i}]"
        if not unit.projects:
            findings.append(finding(ERROR, f"{where}.projects", f"资金使用单位“{unit.name}”没有项目"))
        findings += _duplicates([p.name for p in unit.projects], f"{where}.projects", "项目")
        for j, project in enumerate(unit.projects):
            findings += _project(project, f"{where}.projects[{j}]")
    texts = walk(table).all  # one walk over the strings, for both checks that read them
    return findings + list(_year_findings(table)) + list(blank_name_findings(texts)) + list(line_findings(texts))
