"""``reportgen check`` for a 部门整体支出绩效自评报告: what a clerk should fix before printing.

Errors are what the printed report would get wrong (parts that do not add up, a grade
the score does not reach, a figure in the prose that contradicts the data); warnings
are what looks doubtful (a 0.01 rounding difference, a rate printed with fewer places
than the rest, a year from another report, an indicator missed without a reason, a
name with blanks around it, no grade at all).

Rates the templates cannot print are warnings with the path to fill in: a 全年预算数
of 0 (no 预算执行率), a special fund budget of 0 (no 支出率), a ``scope`` with neither
项目支出 nor 一般公共预算支出 to be a share of (no 占比).

Low execution (rules.md §3) is judged on the rate as printed (89.996% prints as 90%,
which is not low): a project below the threshold with no ``explanation`` is a
warning, not an error. Every shipped template prints such a project in 存在的主要
问题 by itself (``sentences.low_execution``: 预算…万元，实际支出…万元), so it is
disclosed, as seed 000 discloses it; but a disclosure is not a reason, and only
``explanation`` gives one (it is printed in the same sentence).
"""
from __future__ import annotations

from decimal import Decimal
from typing import Iterator, Optional

from reportgen.checking import figures, text
from reportgen.checking.repeats import repeated_findings
from reportgen.checking.findings import ERROR, WARNING, Problem, finding
from reportgen.checking.indicators import indicator_findings, weight_findings
from reportgen.checking.tables import report_project_findings
from reportgen.checking.lines import line_findings
from reportgen.compute import budget as b
from reportgen.compute import scoring
from reportgen.compute.grades import rank
from reportgen.sentences.indicators import points, score_breakdown
from reportgen.formatting import money, percent
from reportgen.model import SelfEvaluationReport
from reportgen.rounding import percentage

ROUNDING = Decimal("0.01")  # a difference this small comes from rounding, not from a slip


def _difference(parts: str, part_sum: Decimal, whole: str, total: Decimal,
                path: str) -> Optional[Problem]:
    diff = part_sum - total
    if not diff:
        return None
    message = (f"{parts}之和{money(part_sum)}万元与{whole}{money(total)}万元不符，"
               f"相差{money(abs(diff))}万元")
    if abs(diff) <= ROUNDING:
        return finding(WARNING, path, message + "（可能是四舍五入造成的，请核对）")
    return finding(ERROR, path, message)


def _split_findings(report: SelfEvaluationReport) -> Iterator[Problem]:
    """基本支出 + 项目支出 against 执行数, the sum of spending by source."""
    budget = report.budget
    basic, project = budget.basic_expenditure, budget.project_expenditure
    if not b.source_lines(budget.expenditure):
        yield finding(ERROR, "$.budget.expenditure", "没有填写任何资金来源的支出，执行数为0")
    if (basic is None) != (project is None):
        missing = "basic_expenditure（基本支出）" if basic is None else "project_expenditure（项目支出）"
        yield finding(WARNING, f"$.budget.{missing.split('（')[0]}",
                      f"基本支出和项目支出只填写了一项，缺少 {missing}")
    elif basic is not None:
        found = _difference("基本支出与项目支出", basic + project,
                            "支出总额（各资金来源支出合计）", b.executed(budget), "$.budget")
        if found:
            yield found


def _income_findings(report: SelfEvaluationReport) -> Iterator[Problem]:
    """收入合计 against 支出合计: they may differ by 年末结转和结余, and by nothing else."""
    budget = report.budget
    income, spent = b.total(budget.income), b.executed(budget)
    if income is None or income == spent:
        return
    if budget.carryover is not None and income - spent == budget.carryover:
        return
    found = _difference("收入（各资金来源收入合计）", income, "支出合计", spent, "$.budget.income")
    note = "" if budget.carryover is None else f"，年末结转和结余为{money(budget.carryover)}万元"
    yield finding(WARNING, found.path, found.message + note)


def _execution_findings(report: SelfEvaluationReport) -> Iterator[Problem]:
    budget = report.budget
    rate = b.execution_rate(report)
    if rate is None:
        yield finding(WARNING, "$.budget.annual_budget", "全年预算数为0，无法计算预算执行率：报告中的执行率无法"
                                                         "印出，预算执行率得分按0分计")
    elif rate > 100:
        yield finding(WARNING, "$.budget", f"执行数{money(b.executed(budget))}万元超过全年预算数"
                                           f"{money(budget.annual_budget)}万元，执行率{percent(rate)}")
    if b.is_low_rate(report.settings, rate) and not report.problems:
        yield finding(WARNING, "$.problems", f"预算执行率{percent(rate)}低于{report.settings.low_execution_threshold}%，"
                                             f"存在的主要问题（problems）中未作说明")


def _scope_findings(report: SelfEvaluationReport) -> Iterator[Problem]:
    """自评涉及资金 needs a base to be a share of, and cannot exceed it."""
    if report.scope is None:
        return
    share = b.scope_share(report)
    if share is None:
        budget, base = report.budget, b.scope_base(report)
        if base is None:
            why = "没有填写项目支出（project_expenditure）或一般公共预算支出"
        else:
            why = "项目支出为0" if budget.project_expenditure is not None else "一般公共预算支出为0"
        yield finding(WARNING, "$.budget.project_expenditure", f"{why}，无法计算自评涉及资金（scope）占一般公共预算"
                                                               f"项目支出的比例：报告中的占比无法印出")
    elif share > 100:
        yield finding(ERROR, "$.scope.amount", f"自评涉及资金{money(report.scope.amount)}万元超过"
                                               f"一般公共预算项目支出，占比{percent(share)}")


def _projects_total_findings(report: SelfEvaluationReport) -> Iterator[Problem]:
    """The projects listed cannot have spent more than 项目支出. Each project by itself
    is checked with its table (:func:`.tables.report_project_findings`)."""
    spent = sum((b.project_executed(p) for p in report.projects), Decimal(0))
    ceiling = report.budget.project_expenditure
    if ceiling is not None and spent > ceiling:
        yield finding(ERROR, "$.projects", f"所列项目支出合计{money(spent)}万元超过项目支出{money(ceiling)}万元")


def _fund_findings(report: SelfEvaluationReport) -> Iterator[Problem]:
    funds, budget = report.special_funds, report.budget
    for k, fund in enumerate(funds):
        name, where = figures.fund_label(report, k), f"$.special_funds[{k}]"
        rate = b.fund_execution_rate(report.settings, fund)
        if rate is None:
            yield finding(WARNING, f"{where}.budget", f"{name}预算为0，无法计算支出率：报告中的支出率无法印出")
        elif fund.executed > fund.budget:
            yield finding(WARNING, f"{where}.executed",
                          f"{name}支出{money(fund.executed)}万元超过预算{money(fund.budget)}万元")
        if b.is_low_rate(report.settings, rate) and not fund.problems:
            yield finding(WARNING, f"{where}.problems", f"{name}支出率{percent(rate)}偏低，未说明存在问题")
    planned = sum((f.budget for f in funds), Decimal(0))
    if planned > budget.annual_budget:
        yield finding(ERROR, "$.special_funds", f"专项资金预算合计{money(planned)}万元超过全年预算数"
                                                f"{money(budget.annual_budget)}万元")
    spent = sum((f.executed for f in funds), Decimal(0))
    if spent > b.executed(budget):
        yield finding(ERROR, "$.special_funds", f"专项资金支出合计{money(spent)}万元超过执行数"
                                                f"{money(b.executed(budget))}万元")


def _rates_by_figure(report: SelfEvaluationReport) -> dict[str, list[tuple[str, Decimal, Decimal]]]:
    """figure → [(what, part, whole)] for every rate the document prints."""
    budget = report.budget
    rates = {"execution_rate": [("预算执行率", b.executed(budget), budget.annual_budget)],
             "project_execution_rate": [(f"项目“{p.name}”执行率", b.project_executed(p), b.project_base(p))
                                        for p in report.projects if b.project_base(p)],
             "special_fund_execution_rate": [(f"{figures.fund_label(report, k)}支出率", f.executed, f.budget)
                                             for k, f in enumerate(report.special_funds)]}
    if report.scope is not None and b.scope_share(report) is not None:
        rates["share"] = [("自评涉及资金占比", report.scope.amount, b.scope_base(report))]
    return rates


def _setting_path(report: SelfEvaluationReport, figure: str) -> str:
    if figure in report.settings.precision:
        return f"$.settings.precision.{figure}"
    return "$.settings.default_precision"


def _precision_findings(report: SelfEvaluationReport) -> Iterator[Problem]:
    """A rate set to print with fewer than two places where that changes its value
    (seed 002's 98.5% for 98.54%, seed 001's 95% for 95.34%)."""
    rates = _rates_by_figure(report)
    at_two = [f"{what}{percent(percentage(part, whole, 2), 2)}" for figure, items in rates.items()
              if b.precision(report.settings, figure) >= 2 for what, part, whole in items if whole]
    note = f"；同一报告中其他比率保留两位小数（{'、'.join(at_two[:2])}）" if at_two else ""
    for figure, items in rates.items():
        places = b.precision(report.settings, figure)
        if places >= 2:
            continue
        for what, part, whole in items:
            shown, full = percentage(part, whole, places), percentage(part, whole, 2)
            if whole and shown != full:
                yield finding(WARNING, _setting_path(report, figure),
                              f"{what}按设置保留{places}位小数，印为{percent(shown)}，按两位小数为{percent(full, 2)}："
                              f"四舍五入到了更少的小数位{note}")


def _grade_findings(report: SelfEvaluationReport, card: scoring.Scorecard) -> Iterator[Problem]:
    stated = report.grade
    if not stated:
        if not card.scored:  # the templates then leave the grade out of the conclusion
            yield finding(WARNING, "$.grade", "未填写自评等级，也没有可计分的绩效指标：报告的自评结论中"
                                              "将没有自评等级，请填写 grade 或列出绩效指标")
        return
    if rank(stated) is None:
        yield finding(ERROR, "$.grade", f"自评等级“{stated}”不是优、良、中、差之一")
    elif not card.scored:
        yield finding(WARNING, "$.grade", f"未列出适用的绩效指标，无法按得分核对自评等级“{stated}”")
    elif stated != card.grade:
        higher = rank(stated) < rank(card.grade)
        message = (f"自评等级为“{stated}”，但按预算执行率和绩效指标计算得分{points(card.total, card.places)}分，"
                   f"{'只够' if higher else '可评'}“{card.grade}”（{score_breakdown(card).rstrip('。')}）")
        yield finding(ERROR if higher else WARNING, "$.grade", message)


def check_report(report: SelfEvaluationReport) -> list[Problem]:
    """Every finding about one 部门整体支出绩效自评报告."""
    card = scoring.evaluate(report)
    texts = text.walk(report)  # one walk over the strings, for every check that reads them
    checks = [
        _split_findings(report), _income_findings(report), _execution_findings(report),
        _projects_total_findings(report), _scope_findings(report), _fund_findings(report), _precision_findings(report),
        weight_findings(report, card), indicator_findings(report, card), _grade_findings(report, card),
        text.year_findings(report, texts), text.blank_name_findings(texts.all),
        figures.rate_findings(report, texts.prose), figures.money_findings(report, texts.prose),
        figures.count_findings(report, texts.prose), figures.grade_findings(report, card, texts.prose),
        figures.drift_findings(report, texts.prose), repeated_findings(texts.prose),
        report_project_findings(report), line_findings(texts.all),
    ]
    return [finding for found in checks for finding in found]
