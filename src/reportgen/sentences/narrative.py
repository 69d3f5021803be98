"""Narrative sentences (叙述语句) that carry computed figures, and derived prose.

Each function returns finished Chinese text for one fact, so a template can place
it whole; the figures inside are computed, formatted with the document's settings.
"""
from __future__ import annotations

from reportgen.compute import budget as b
from reportgen.formatting import money, percent
from reportgen.model import KeyTask, Project, SelfEvaluationReport


def _money(report: SelfEvaluationReport, value) -> str:
    return money(value, grouping=report.settings.digit_grouping)


def department_goal(report: SelfEvaluationReport) -> str:
    """部门整体支出绩效目标: as the department wrote it, else its key tasks' goals in order."""
    return report.performance_goal or "".join(t.goal for t in report.work.tasks if t.goal)


def task_conclusion(task: KeyTask) -> str:
    """The text that stands for a key task in the 自评结论: its outcome, its goal, or none."""
    return {"outcome": task.outcome, "goal": task.goal}.get(task.in_conclusion) or ""


def budget_execution(report: SelfEvaluationReport) -> str:
    """全年预算数…万元，执行数…万元，完成预算的…%。"""
    rate = b.execution_rate(report)
    text = (f"全年预算数{_money(report, report.budget.annual_budget)}万元，"
            f"执行数{_money(report, b.executed(report.budget))}万元")
    return text + (f"，完成预算的{percent(rate)}。" if rate is not None else "。")


def project_execution(report: SelfEvaluationReport, project: Project) -> str:
    """<项目>年初预算/全年预算…万元，实际支出…万元，执行率…%。"""
    label = "全年预算" if b.project_totals(project).budget is not None else "年初预算"
    base = b.project_base(project)
    rate = b.project_execution_rate(report.settings, project)
    text = f"{project.name}"
    if base is not None:
        text += f"{label}{_money(report, base)}万元，"
    text += f"实际支出{_money(report, b.project_executed(project))}万元"
    return text + (f"，执行率{percent(rate)}。" if rate is not None else "。")


def low_execution(report: SelfEvaluationReport) -> str:
    """存在的主要问题 for projects below the threshold, or "" when there are none.

    部分项目未能及时支出，预算执行率偏低。如<项目>，项目预算资金…万元，实际支出…万元。
    """
    low = [p for p in report.projects if b.is_low_execution(report.settings, p)]
    if not low:
        return ""
    cases = "；".join(
        f"{p.name}，项目预算资金{_money(report, b.project_base(p))}万元，"
        f"实际支出{_money(report, b.project_executed(p))}万元"
        + (f"，{p.explanation}" if p.explanation else "")
        for p in low
    )
    return f"部分项目未能及时支出，预算执行率偏低。如{cases}。"


def yoy_change(report: SelfEvaluationReport) -> str:
    """较上年增长/减少…%。 or "" without the prior year's figure."""
    rate = b.yoy_change(report)
    if rate is None:
        return ""
    previous = _money(report, report.budget.prior_year_expenditure)
    if rate == 0:
        return f"与上年支出{previous}万元持平。"
    word = "增长" if rate > 0 else "减少"
    return f"较上年支出{previous}万元{word}{percent(abs(rate))}。"


def staffing(report: SelfEvaluationReport) -> str:
    """编制…名，实有…名，退休…名 (and other counts), or "" without staffing data."""
    s = report.department.staffing
    if s is None:
        return ""
    parts = [f"{label}{n}名" for label, n in
             (("编制", s.authorized), ("实有人员", s.actual), ("退休人员", s.retired))
             if n is not None]
    parts += [f"{label}{n}名" for label, n in s.others.items()]
    return ("人员情况：" + "，".join(parts) + "。") if parts else ""
