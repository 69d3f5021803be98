"""``reportgen check`` for the 自评表: each project's 项目支出绩效自评表.

The same findings, one function (:func:`project_findings`), for a stand-alone project
file (``$.project``) and for each project of a 部门整体支出绩效自评报告
(``$.projects[k]``), whose tables the same file renders (document project-tables) and
whose 执行率 its sentences print:

- errors: no 全年执行数 at all; a project amount that is not the sum of its sources;
  spending against a budget of 0; weights that do not add up to 100 (or to a 一级
  category's points); a unit of the actual value that differs from its target's;
- warnings: no budget, or 0 spent of 0 (no 执行率); spending beyond the budget; an
  indicator whose 得分 is below its 分值 with no 偏差原因 (the form's instructions ask
  for one); 执行率 under the threshold (default 90%, judged as printed) without a
  reason; a qualitative indicator without the evaluator's band; a project with no
  indicator that applies, whose table leaves 总分, 满分 and grade blank.

The indicator and weight checks are those of the report (:mod:`.indicators`), run on
the project's indicators.
"""
from __future__ import annotations

from typing import Iterator

from reportgen.checking import text
from reportgen.checking.findings import ERROR, WARNING, Problem, finding
from reportgen.checking.impossible import Scored, placed, weights_total_findings
from reportgen.checking.indicators import indicator_findings, weight_findings
from reportgen.compute import budget as b
from reportgen.compute import scoring
from reportgen.compute.tables import project_figures
from reportgen.formatting import money, percent
from reportgen.model import Project, ProjectSelfEvaluation, SelfEvaluationReport, Settings
from reportgen.rounding import round_half_up
from reportgen.sentences.indicators import points

_COLUMNS = {"initial_budget": "年初预算数", "budget": "全年预算数", "executed": "全年执行数"}


def funding_findings(project: Project, where: str) -> Iterator[Problem]:
    """The amount spent must be given; a project amount given beside its sources must be their sum."""
    totals = b.project_totals(project)
    if totals.executed is None:
        yield finding(ERROR, f"{where}.executed", f"项目“{project.name}”没有填写实际支出（executed），"
                                                  f"也没有按资金来源（funding）填写全年执行数，按0计")
    if not project.funding:
        return
    seen: set[str] = set()
    for k, line in enumerate(project.funding):
        if line.source.strip() in seen:
            yield finding(ERROR, f"{where}.funding[{k}].source", f"项目“{project.name}”的资金来源“{line.source}”"
                                                                f"写了两次：自评表会印出两行，请合并为一行")
        seen.add(line.source.strip())
    for column, label in _COLUMNS.items():
        own, summed = getattr(project, column), getattr(totals, column)
        if own is not None and summed != own:
            yield finding(ERROR, f"{where}.{column}",
                          f"项目“{project.name}”的{label}{money(own)}万元与各资金来源之和{money(summed)}万元"
                          f"不符（自评表按各来源之和打印）")


def _budget_findings(project: Project, where: str) -> Iterator[Problem]:
    """No budget, or one of 0, to measure the spending by: no 执行率 can be printed; and
    spending beyond the budget, which prints a 执行率 over 100% only when meant."""
    base, spent = b.project_base(project), b.project_totals(project).executed
    if base is None:
        yield finding(WARNING, where, f"项目“{project.name}”没有预算数，无法计算执行率")
    elif not base:
        field = "budget" if b.project_totals(project).budget is not None else "initial_budget"
        if spent:
            yield finding(ERROR, f"{where}.{field}", f"项目“{project.name}”预算为0，却支出{money(spent)}万元："
                                                     f"执行率无法计算，印出的执行率为空，预算执行率得分为0")
        else:
            yield finding(WARNING, f"{where}.{field}", f"项目“{project.name}”预算为0，无法计算执行率：印出的执行率为空")
    elif spent is not None and spent > base:
        yield finding(WARNING, f"{where}.executed", f"项目“{project.name}”支出{money(spent)}万元，超过预算"
                                                    f"{money(base)}万元：执行率超过100%，得分按满分计；请核对")


def _execution_findings(project: Project, settings: Settings, where: str) -> Iterator[Problem]:
    """执行率 below the threshold, as printed, with no reason: a report prints such a
    project's amounts by themselves, and its table an empty reason."""
    rate, threshold = b.project_execution_rate(settings, project), settings.low_execution_threshold
    if b.is_low_rate(settings, rate) and not project.explanation:
        yield finding(WARNING, f"{where}.explanation", f"项目“{project.name}”执行率{percent(rate)}低于{threshold}%，"
                                                       f"未说明原因：印出的只有预算和支出金额，原因请写入 explanation")


def _shortfall_findings(project: Project, card: scoring.Scorecard, where: str) -> Iterator[Problem]:
    """得分 below 分值 needs 偏差原因分析及改进措施; an unmet indicator is already reported.
    A score above its points is no shortfall a reason could explain: it is an error that
    refuses the table (:func:`reportgen.checking.impossible.above_weight_findings`)."""
    shown = card.places
    for path, e in placed(project.indicators, card, where):
        if e.weight is None or e.score is None or e.met is False or e.indicator.deviation_reason:
            continue
        if round_half_up(e.score, shown) < round_half_up(e.weight, shown):  # as printed: 9.999 shows as 10
            yield finding(WARNING, f"{path}.deviation_reason",
                          f"指标“{e.indicator.name}”得分{points(e.score, shown)}分低于分值"
                          f"{points(e.weight, shown)}分，未填写偏差原因分析及改进措施")


def unscored_findings(project: Project, card: scoring.Scorecard, where: str) -> Iterator[Problem]:
    """A table with no applicable indicator has no 总分: it is left blank, and said here."""
    if not project.indicators:
        yield finding(WARNING, f"{where}.indicators",
                      f"项目“{project.name}”没有填写绩效指标（indicators）：其项目支出绩效自评表只有项目资金部分，"
                      f"总分、满分和等级留空（仅有预算执行率得分，不构成百分制总分）；请按绩效目标填写绩效指标")
    elif not card.scored:
        yield finding(WARNING, f"{where}.indicators",
                      f"项目“{project.name}”的绩效指标都标为不适用（applicable 为 false），没有可计分的指标："
                      f"其项目支出绩效自评表的总分、满分和等级留空")


def project_findings(project: Project, settings: Settings, where: str) -> Iterator[Problem]:
    """Everything a project's 项目支出绩效自评表 would print wrongly or leave unexplained,
    and the report's sentences about the project with it: its funding, 执行率 and
    indicators, under the document's ``settings``."""
    card = project_figures(project, settings).card
    scored = Scored(project.indicators, settings)
    yield from funding_findings(project, where)
    yield from _budget_findings(project, where)
    yield from _execution_findings(project, settings, where)
    yield from unscored_findings(project, card, where)
    yield from weight_findings(scored, card, where)
    yield from indicator_findings(scored, card, where)
    yield from _shortfall_findings(project, card, where)


def check_project_evaluation(model: ProjectSelfEvaluation) -> list[Problem]:
    """Every finding about a stand-alone 项目支出绩效自评表."""
    checks = [weights_total_findings(model.settings),
              project_findings(model.project, model.settings, "$.project"),
              text.blank_name_findings(text.walk(model).all)]
    return [f for found in checks for f in found]


def report_project_findings(report: SelfEvaluationReport) -> Iterator[Problem]:
    """Every project of a report, as its 项目支出绩效自评表 (document project-tables) and
    the report's sentences would print it. A project without indicators is said to have
    no 总分: any report with projects can render their tables."""
    for k, project in enumerate(report.projects):
        yield from project_findings(project, report.settings, f"$.projects[{k}]")
