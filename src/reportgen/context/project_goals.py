"""Context of a 项目支出绩效目标表 template.

:func:`project_goals_context` turns a table into plain dicts, lists, strings and
Decimals. Each name :data:`NAMES` declares (nested, with its meaning) is one a template
may reach in ``{{ … }}``; amounts stay Decimal (or None for a blank cell) for the
``amount`` filter to lay out.
"""
from __future__ import annotations

from typing import Any, Optional

from reportgen.compute import goals
from reportgen.context.vocabulary import BLANK_AS_TEXT, Name, from_model
from reportgen.model import Category, GoalProject, Indicator, ProjectGoalTable, SpendingUnit, Target

#: a row's money by column, as the project's fields name the columns.
_AMOUNTS = from_model(GoalProject, only=("total", "fiscal_appropriation", "special_account", "other_funds"))
_INDICATOR_FIELDS = ("level1", "level2", "name", "period_target", "target")
_CATEGORY = from_model(Category, extra={"code": BLANK_AS_TEXT,
                                        "label": "编码-名称，如“1-产出指标”（无编码时为名称）"})

#: every name a project-goals template may reach, nested, with its meaning: the table's
#: fields as the data gives them (meanings from the model), and what is computed.
NAMES: Name = from_model(ProjectGoalTable, omit=("template",), extra={
    "total": ("合计行的金额（单位见 money_unit）", _AMOUNTS),
    "units": [from_model(SpendingUnit, extra={
        "amounts": ("该单位小计的金额（单位见 money_unit）", _AMOUNTS),
        "projects": [from_model(GoalProject, only=("name", "goal", "indicators"), extra={
            "amounts": ("项目的金额（单位见 money_unit），总计由各列相加", _AMOUNTS),
            "goal": BLANK_AS_TEXT,
            "indicators": [from_model(Indicator, only=_INDICATOR_FIELDS, extra={
                "number": "序号 1、2…", "level1": _CATEGORY, "level2": _CATEGORY,
                "period_target": "实施周期指标值的原文，如“≥90%”（未填写为空文字）",
                "target": "年度指标值的原文，如“≥90%”（未填写为空文字）"})]})]})],
})


def _amounts(row: goals.Amounts) -> dict[str, Any]:
    return row._asdict()


def _category(category: Category) -> dict[str, Any]:
    # "1-产出指标" as the budget system exports it; a category without code is its name.
    label = f"{category.code}-{category.name}" if category.code else category.name
    return {"code": category.code or "", "name": category.name, "label": label}


def _target_text(target: Optional[Target]) -> str:
    return target.text if target is not None else ""


def _indicator(number: int, indicator: Indicator) -> dict[str, Any]:
    return {
        "number": number,
        "level1": _category(indicator.level1),
        "level2": _category(indicator.level2),
        "name": indicator.name,
        "period_target": _target_text(indicator.period_target),
        "target": _target_text(indicator.target),
    }


def _project(project: GoalProject) -> dict[str, Any]:
    return {
        "name": project.name,
        "amounts": _amounts(goals.project_amounts(project)),
        "goal": project.goal or "",
        "indicators": [_indicator(n, i) for n, i in enumerate(project.indicators, start=1)],
    }


def _unit(unit: SpendingUnit) -> dict[str, Any]:
    return {
        "name": unit.name,
        "amounts": _amounts(goals.unit_amounts(unit)),
        "projects": [_project(p) for p in unit.projects],
    }


def project_goals_context(table: ProjectGoalTable) -> dict[str, Any]:
    """Everything a project-goals template may name, computed from ``table``."""
    return {
        "year": table.year,
        "department": table.department,
        "money_unit": table.money_unit,
        "total": _amounts(goals.table_amounts(table)),
        "units": [_unit(u) for u in table.units],
    }
