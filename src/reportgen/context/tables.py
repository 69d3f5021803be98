"""Context of the 自评表 templates: 项目支出绩效自评表 and 部门整体支出绩效自评表.

Table cells are handed to the template as finished text (amounts "880" / "1,234.50",
rates "97.85%", points "9.85"; a cell with nothing to show is empty text), so a clerk
who moves a column in Word moves one ``{{ … }}`` and nothing else. Indicators come
grouped the way the tables merge their cells: 一级 (``groups``) → 二级
(``subgroups``) → 三级 rows, each row knowing whether it opens its 一级 group
(``first_in_group``), for the template's merged cells (docs/template-guide.md).

:data:`PROJECT_NAMES` and :data:`DEPARTMENT_NAMES` declare every name the two
templates may reach, with its meaning.
"""
from __future__ import annotations

import re
from typing import Any, Optional

from reportgen.compute import budget as b
from reportgen.compute import scoring
from reportgen.compute.grades import grade_word
from reportgen.compute.tables import project_figures
from reportgen.context.vocabulary import Name, declare
from reportgen.formatting import money, number, percent
from reportgen.model import FundLine, Project, ProjectSelfEvaluation, SelfEvaluationReport, Settings
from reportgen.sentences import narrative
from reportgen.sentences.indicators import points

_FUND_ROW = {"initial_budget": "年初预算数（文字，未填写为空）", "budget": "全年预算数 A（文字）",
             "executed": "全年执行数 B（文字）"}
_INDICATOR_ROWS = ("绩效指标，按一级、二级分组", {
    "groups": ("一级指标列表", [{
        "name": "一级指标名称，如“产出指标”", "weight": "分值（文字，如“50”）", "score": "得分（文字）",
        "label": "一级指标栏的文字，如“产出指标（50分）”",
        "subgroups": ("该一级指标下的二级指标列表", [{
            "name": "二级指标名称，如“数量指标”",
            "indicators": ("该二级指标下的三级指标列表", [{
                "first_in_group": "是否为该一级指标的第一行 true / false（合并单元格用）",
                "number": "在二级指标内的序号 1、2…", "name": "三级指标名称",
                "label": "如“指标1：完成项目数量”", "target": "年度指标值（原文）",
                "actual": "实际完成值（原文）", "weight": "分值（文字；不适用的指标为空）",
                "score": "得分（文字；不适用的指标为空）",
                "reason": "偏差原因分析及改进措施（未填写为空文字）",
                "nature": "指标性质：≥、>、≤、<、=，定性指标为“定性”（不适用的指标为空文字）",
                "value": "指标值的数值（文字，定性指标为空）", "unit": "度量单位（未填写为空文字）",
                "actual_value": "完成值的数值（文字，非数值为空）",
                "applicable": "是否适用 true / false"}])}])}])})
_SCORE = {"weights_note": "表后注：各一级指标和预算执行率的分值，及不适用指标的折算办法",
          "total": "总分（文字，百分制；没有适用的绩效指标时为空文字）",
          "full": "满分（文字，100；没有适用的绩效指标时为空文字）",
          "grade": "等级：优、良、中、差（没有适用的绩效指标、部门也未给出等级时为空文字）",
          "grade_word": "等级的全称：优秀、良好、中等、差",
          "converted": "是否因不适用的指标按百分制折算 true / false"}

#: every name a 项目支出绩效自评表 template may reach, with its meaning.
PROJECT_NAMES: Name = declare({
    "year": "年度，如 2022", "project": "项目名称", "department": "主管部门（未填写为空文字）",
    "unit": "实施单位（未填写为空文字）",
    "funds": ("项目资金（万元）", {
        "total": ("年度资金总额一行", dict(_FUND_ROW, weight="分值（文字，如“10”）",
                                         rate="执行率 B/A（文字，如“100%”；无预算时为空）",
                                         score="得分（文字）")),
        "sources": ("其中各来源，按数据中的顺序（全国表样：本年财政拨款、上年结转资金、其他资金）",
                    [dict(_FUND_ROW, name="来源名称")])}),
    "goal": "年度总体目标：预期目标（未填写为空文字）", "outcome": "年度总体目标：实际完成情况（未填写为空文字）",
    "explanation": "执行率偏低的原因（未填写为空文字）",
    "indicators": _INDICATOR_ROWS, **_SCORE,
})

#: every name a 部门整体支出绩效自评表 template may reach, with its meaning.
DEPARTMENT_NAMES: Name = declare({
    "year": "年度，如 2023", "department": "部门全称：地区 + 部门名称",
    "budget": ("部门整体预算执行", {
        "initial_budget": "年初预算数（文字，未填写为空）", "annual_budget": "全年预算数（文字）",
        "executed": "全年执行数（文字）", "rate": "执行率（文字，与报告相同）",
        "weight": "预算执行率分值（文字）", "score": "预算执行率得分（文字）"}),
    "goal": "年度总体目标（部门整体支出绩效目标）", "outcome": "实际完成情况（各重点任务的完成情况依次连成）",
    "indicators": _INDICATOR_ROWS, **_SCORE,
})


def _money(value, settings: Settings) -> str:
    return "" if value is None else money(value, grouping=settings.digit_grouping)


def _points(value, card: scoring.Scorecard) -> str:
    """A score of ``card`` as printed (:func:`.sentences.indicators.points`); blank for none."""
    return "" if value is None else points(value, card.places)


def _fund_row(line: "FundLine | b.FundTotals", settings: Settings) -> dict[str, str]:
    return {key: _money(getattr(line, key), settings) for key in _FUND_ROW}


#: 指标性质 as provincial forms print it.
_NATURE = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "=": "="}


def _figure(value) -> str:
    # a measured value as written: as many places as it has, no grouping ("1", "0.5", "2024")
    return "" if value is None else number(value, places=max(0, -value.as_tuple().exponent), grouping=False)


def _row(e: scoring.Evaluation, number_: int, first: bool, card: scoring.Scorecard) -> dict[str, Any]:
    i = e.indicator
    target = scoring.target_of(i)
    return {"first_in_group": first, "number": number_, "name": i.name,
            "label": f"指标{number_}：{i.name}",
            "target": target.text if target is not None else "",
            "actual": i.actual.text if i.actual is not None else "",
            "weight": _points(e.weight, card), "score": _points(e.score, card),
            "reason": i.deviation_reason or "", "applicable": i.applicable,
            "nature": _NATURE.get(scoring.wanted(i), "定性") if i.applicable else "",
            "value": _figure(target.value if target is not None else None),
            "unit": i.unit or (target.unit if target is not None else "") or "",
            "actual_value": _figure(i.actual.value if i.actual is not None else None)}


def _subgroups(category: scoring.CategoryScore, card: scoring.Scorecard) -> list[dict]:
    """The category's rows by 二级 (same name, blanks aside), in order of first appearance."""
    by_name: dict[str, list[scoring.Evaluation]] = {}
    for e in category.evaluations:
        by_name.setdefault(re.sub(r"\s+", "", e.indicator.level2.name), []).append(e)
    out, first = [], True
    for evaluations in by_name.values():
        rows = []
        for n, e in enumerate(evaluations, start=1):
            rows.append(_row(e, n, first, card))
            first = False
        out.append({"name": evaluations[0].indicator.level2.name.strip(), "indicators": rows})
    return out


def indicator_rows(card: scoring.Scorecard) -> dict[str, Any]:
    """The ``indicators`` of a table: 一级 groups that have indicators, with their rows."""
    groups = []
    for c in card.categories:
        if not c.evaluations:  # a category with points and no indicator has no row to print
            continue
        weight = _points(c.weight, card)
        groups.append({"name": c.name, "weight": weight, "score": _points(c.score, card),
                       "label": f"{c.name}（{weight}分）" if weight else c.name,
                       "subgroups": _subgroups(c, card)})
    return {"groups": groups}


def weights_note(settings: Settings, card: scoring.Scorecard) -> str:
    """"一级指标分值设置为：产出指标50分、…、预算资金执行率10分。" from the document's
    weights; a 一级 with points and no indicator, which scores 0; and, when the total
    was converted for indicators not applicable, how (rules.md §3)."""
    weights = settings.weights
    parts = [f"{name}{_points(value, card)}分" for name, value in weights.categories.items()]
    parts.append(f"预算资金执行率{_points(weights.execution, card)}分")
    note = f"一级指标分值设置为：{'、'.join(parts)}。"
    if not card.scored:  # 预算执行率 alone is no score (scoring.Scorecard.scored)
        return note + "未列出适用的绩效指标，不计总分和等级。"
    missing = [c for c in card.categories if not c.evaluations and c.weight]
    if missing:  # a missing category scores 0 (scoring.scorecard, rules.md §3)
        note += "、".join(c.name for c in missing) + "未列出指标，计0分。"
    if card.applicable_points is not None:
        note += (f"有不适用的指标，适用部分分值合计{_points(card.applicable_points, card)}分，"
                 "得分汇总后按百分制折算。")
    return note


def _score(card: scoring.Scorecard, settings: Settings, stated: Optional[str] = None) -> dict[str, Any]:
    """总分, 满分 and grade; all blank (the department's own grade aside) when there is
    no indicator to score (:attr:`.scoring.Scorecard.scored`)."""
    scored = card.scored
    grade = scoring.printed_grade(card, stated)
    return {"weights_note": weights_note(settings, card), "total": _points(card.total, card) if scored else "",
            "full": "100" if scored else "", "grade": grade, "grade_word": grade_word(grade),
            "converted": scored and card.applicable_points is not None}


def project_table(project: Project, year: int, settings: Settings,
                  department: str = "", unit: str = "") -> dict[str, Any]:
    """The context of one project's 项目支出绩效自评表; ``unit`` is used when the project
    names no 实施单位 of its own."""
    figures = project_figures(project, settings)
    card = figures.card
    total = dict(_fund_row(figures.totals, settings), weight=_points(card.execution_weight, card),
                 rate=percent(figures.rate) if figures.rate is not None else "",
                 score=_points(card.execution_score, card))
    return {
        "year": year, "project": project.name, "department": department,
        "unit": project.unit or unit,
        "funds": {"total": total,
                  "sources": [dict(_fund_row(line, settings), name=line.source) for line in figures.sources]},
        "goal": project.goal or "", "outcome": project.outcome or "",
        "explanation": project.explanation or "",
        "indicators": indicator_rows(card), **_score(card, settings),
    }


def project_self_evaluation_context(model: ProjectSelfEvaluation) -> dict[str, Any]:
    """Everything a 项目支出绩效自评表 template may name, for a stand-alone project file."""
    return project_table(model.project, model.year, model.settings, model.department or "")


def project_tables(report: SelfEvaluationReport) -> list[tuple[str, dict[str, Any]]]:
    """(project name, its table's context) for each project of a department's report:
    主管部门 and 实施单位 are the department unless the project names its own unit."""
    full_name = report.department.full_name
    return [(p.name, project_table(p, report.year, report.settings, full_name, full_name))
            for p in report.projects]


def department_table_context(report: SelfEvaluationReport) -> dict[str, Any]:
    """The context of a 部门整体支出绩效自评表: the report's own 执行率, score and grade."""
    settings, budget = report.settings, report.budget
    card = scoring.evaluate(report)
    rate = b.execution_rate(report)
    return {
        "year": report.year, "department": report.department.full_name,
        "budget": {"initial_budget": _money(budget.initial_budget, settings),
                   "annual_budget": _money(budget.annual_budget, settings),
                   "executed": _money(b.executed(budget), settings),
                   "rate": percent(rate) if rate is not None else "",
                   "weight": _points(card.execution_weight, card),
                   "score": _points(card.execution_score, card)},
        "goal": narrative.department_goal(report),
        "outcome": "".join(t.outcome for t in report.work.tasks if t.outcome),
        "indicators": indicator_rows(card), **_score(card, settings, report.grade),
    }
