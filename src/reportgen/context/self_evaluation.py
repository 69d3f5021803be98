"""Context of a 部门整体支出绩效自评报告 template.

:func:`self_evaluation_context` turns a report into plain dicts, lists, strings and
Decimals. Each name :data:`NAMES` declares (nested, with its meaning) is one a template
may reach in ``{{ … }}``; docs/template-guide.md is generated from it and
tests/test_vocabulary.py proves it matches what the builder produces, so what is
documented is what exists.
"""
from __future__ import annotations

from typing import Any

import cattrs

from reportgen.compute import budget as b
from reportgen.compute import scoring
from reportgen.compute.categories import group_by_level1
from reportgen.compute.grades import grade_word
from reportgen.context.vocabulary import BLANK_AS_TEXT, Name, from_model
from reportgen.model import (Budget, Department, EvaluationScope, Indicator, KeyTask, Project,
                             SelfEvaluationReport, SpecialFund, Work)
from reportgen.sentences import indicators as ind
from reportgen.sentences import narrative
from reportgen.rounding import round_half_up

_SOURCE_LINE = {"key": "来源的英文名，如 general_public_budget", "name": "来源名称，如 一般公共预算财政拨款",
                "amount": "金额（万元）"}
#: a 绩效指标 as scoring sees it: the data's fields, its computed points and judgement.
_SCORED = from_model(Indicator, extra={
    "weight": "分值（按得分规则计算）", "score": "得分（按得分规则计算）",
    "sentence": "叙述句，如“…年度指标值≥90%，实际完成96%，已完成”",
    "met": "是否完成 true / false（无法判断为 none）", "completion": "完成率(%)"})

#: every name a self-evaluation template may reach, nested, with its meaning: the
#: report's fields as the data gives them (meanings from the model), and what is computed.
NAMES: Name = from_model(SelfEvaluationReport, omit=("template", "settings"), extra={
    "attachment": BLANK_AS_TEXT,
    "department": from_model(Department, extra={"full_name": "部门全称：地区 + 部门名称"}),
    "work": from_model(Work, extra={"tasks": [from_model(KeyTask, extra={
        "conclusion": "自评结论中代表该任务的文字（完成情况或目标；无则为空文字）"})]}),
    "performance_goal": "部门整体支出绩效目标（未填写时由各重点任务的目标依次连成）",
    "performance_management": BLANK_AS_TEXT,
    "budget": from_model(Budget, extra={
        "executed": "执行数（万元）", "execution_rate": "预算执行率(%)",
        "expenditure_sources": ("按资金来源的支出列表（只含填写了的来源）", [_SOURCE_LINE]),
        "income_sources": ("按资金来源的收入列表", [_SOURCE_LINE]), "income_total": "收入合计（万元）",
        "yoy_change": "同比增减(%)"}),
    "grade": "自评等级：优、良、中、差（数据填写的等级；未填写时为按指标计算的等级，无指标时为空）",
    "scope": from_model(EvaluationScope, extra={"share": "占一般公共预算项目支出的比例(%)"}),
    "indicators": {
        "count": "指标总数", "met_count": "已完成数", "unmet": ("未完成指标名称列表", ["指标名称"]),
        "summary": "如“11个产出指标和8个效益指标”",
        "groups": ("按一级指标分组的列表", [{
            "name": "一级指标名称", "weight": "分值", "score": "得分",
            "indicators": ("该组的指标列表", [_SCORED])}])},
    "projects": [from_model(Project, extra={
        "execution_rate": "执行率(%)", "low_execution": "是否执行率偏低 true / false",
        "sentence": "如“…年初预算80万元，实际支出76.27万元，执行率95%。”"})],
    "special_funds": [from_model(SpecialFund, extra={"execution_rate": "支出率(%)"})],
    "grade_word": "自评等级的全称：优秀、良好、中等、差",
    "score": ("自评得分（无绩效指标时为空 none）", {
        "total": "总分（百分制）", "grade": "按得分计算的等级", "grade_word": "按得分计算的等级的全称",
        "stated_grade": "数据填写的等级（未填写为空文字）", "supported": "填写的等级是否与得分相符 true / false",
        "execution": ("预算执行率部分", {"weight": "分值", "score": "得分"}),
        "categories": ("一级指标列表", [{"name": "名称", "weight": "分值", "score": "得分",
                                      "count": "指标数", "met_count": "已完成数"}])}),
    "sentences": ("现成的叙述句（无内容时为空文字）", {
        "budget_execution": "预算执行情况", "low_execution": "执行率偏低的项目", "yoy_change": "同比变化",
        "staffing": "人员情况",
        "conclusion": "按得分写成的自评结论，如“经自评，部门整体支出绩效自评得分为95.31分，自评等级为优秀。…”",
        "score": "得分构成，如“预算执行率得分9.85分（分值10分），产出指标得分…”"}),
})


#: a model as a template reads it: attrs instances as dicts, tuples as lists, Decimals
#: and strings as they are. Its hooks are made on first use and cached by cattrs.
_PLAIN = cattrs.Converter(unstruct_collection_overrides={tuple: list})


def _plain(obj: Any) -> Any:
    """``obj`` unstructured by :data:`_PLAIN` (None stays None)."""
    return _PLAIN.unstructure(obj)


def _tasks(report: SelfEvaluationReport) -> list[dict]:
    tasks = []
    for task in report.work.tasks:
        item = _plain(task)
        item["conclusion"] = narrative.task_conclusion(task)
        tasks.append(item)
    return tasks


def _budget(report: SelfEvaluationReport) -> dict:
    budget = report.budget
    out = _plain(budget)
    out.update(
        executed=b.executed(budget),
        execution_rate=b.execution_rate(report),
        expenditure_sources=[line._asdict() for line in b.source_lines(budget.expenditure)],
        income_sources=[line._asdict() for line in b.source_lines(budget.income)],
        income_total=b.total(budget.income),
        yoy_change=b.yoy_change(report),
    )
    return out


def _points(card: scoring.Scorecard, value):
    """A score rounded to the places the card's scores are printed with."""
    return None if value is None else round_half_up(value, card.places)


def _indicator(card: scoring.Scorecard, e: scoring.Evaluation) -> dict:
    return dict(_plain(e.indicator), sentence=ind.sentence(e.indicator, e.met),
                weight=_points(card, e.weight), score=_points(card, e.score),
                met=e.met, completion=e.completion)


def _indicators(report: SelfEvaluationReport, card: scoring.Scorecard) -> dict:
    evaluations = scoring.evaluations(card)
    return {
        "count": len(report.indicators),
        "met_count": sum(1 for e in evaluations if e.met),
        "unmet": [e.indicator.name for e in evaluations if e.met is False],
        "summary": ind.count_summary(group_by_level1(report.indicators)),
        # the card's categories, as scoring grouped them; one with points and no
        # indicator (scored 0) is no group of the list
        "groups": [
            {"name": c.name, "weight": _points(card, c.weight), "score": _points(card, c.score),
             "indicators": [_indicator(card, e) for e in c.evaluations]}
            for c in card.categories if c.evaluations
        ],
    }


def _score(report: SelfEvaluationReport, card: scoring.Scorecard) -> dict | None:
    if not card.scored:  # 预算执行率 alone is no self-evaluation score
        return None
    categories = [{"name": c.name, "weight": _points(card, c.weight),
                   "score": _points(card, c.score), "count": len(c.evaluations),
                   "met_count": sum(1 for e in c.evaluations if e.met)} for c in card.categories]
    return {
        "total": card.total, "grade": card.grade, "grade_word": grade_word(card.grade),
        "stated_grade": report.grade or "",
        "supported": report.grade in (None, card.grade),
        "execution": {"weight": _points(card, card.execution_weight),
                      "score": _points(card, card.execution_score)},
        "categories": categories,
    }


def _projects(report: SelfEvaluationReport) -> list[dict]:
    # A project given by source has its amounts summed from them (budget.project_totals).
    return [
        dict(_plain(p), **b.project_totals(p)._asdict(),
             execution_rate=b.project_execution_rate(report.settings, p),
             low_execution=b.is_low_execution(report.settings, p),
             sentence=narrative.project_execution(report, p))
        for p in report.projects
    ]


def _special_funds(report: SelfEvaluationReport) -> list[dict]:
    return [dict(_plain(f), execution_rate=b.fund_execution_rate(report.settings, f))
            for f in report.special_funds]


def self_evaluation_context(report: SelfEvaluationReport) -> dict[str, Any]:
    """Everything a self-evaluation template may name, computed from ``report``."""
    department = _plain(report.department)
    department["full_name"] = report.department.full_name
    work = {"overview": list(report.work.overview), "tasks": _tasks(report)}
    scope = _plain(report.scope)
    if scope is not None:
        scope["share"] = b.scope_share(report)
    card = scoring.evaluate(report)
    grade = scoring.printed_grade(card, report.grade)
    ctx = {
        "year": report.year,
        "attachment": report.attachment or "",
        "department": department,
        "work": work,
        "performance_goal": narrative.department_goal(report),
        "performance_management": report.performance_management or "",
        "budget": _budget(report),
        "grade": grade,
        "grade_word": grade_word(grade),
        "score": _score(report, card),
        "scope": scope,
        "conclusion": list(report.conclusion),
        "analysis": list(report.analysis),
        "indicators": _indicators(report, card),
        "projects": _projects(report),
        "special_funds": _special_funds(report),
        "results": _plain(report.results),
        "problems": list(report.problems),
        "measures": _plain(report.measures),
        "prose": dict(report.prose),
        "figures": dict(report.figures),
        "sentences": {
            "budget_execution": narrative.budget_execution(report),
            "low_execution": narrative.low_execution(report),
            "yoy_change": narrative.yoy_change(report),
            "staffing": narrative.staffing(report),
            "conclusion": ind.conclusion(card),
            "score": ind.score_breakdown(card) if card.scored else "",
        },
    }
    return ctx

