"""Context of a 项目支出绩效目标表 template.

:func:`project_goals_context` turns a table into plain dicts, lists, strings and
Decimals. Each name :data:`NAMES` declares (nested, with its meaning) is one a template
may reach in ``{{ … }}``; amounts stay Decimal (or None for a blank cell) for the
``amount`` filter to lay out.
"""
from __future__ import annotations

from typing import Any, Optional

from reportgen.compute import goals
from reportgen.context.vocabulary import Name, declare, meanings
from reportgen.model import Category, GoalProject, Indicator, ProjectGoalTable, SpendingUnit, Target

_AMOUNTS = {"total": "总计（未填写为空 none）", "fiscal_appropriation": "财政拨款（未填写为空 none）",
            "special_account": "财政专户拨款（未填写为空 none）", "other_funds": "其他资金（未填写为空 none）"}
_CATEGORY = {"code": "编码，如 1（无则为空文字）", "name": "名称，如 产出指标",
             "label": "编码-名称，如“1-产出指标”（无编码时为名称）"}

#: every name a project-goals template may reach, nested, with its meaning.
NAMES: Name = declare({
    "year": "预算年度，如 2024",
    "department": "部门名称（全称），如 广州市荔湾区商务和投资促进局",
    "money_unit": "金额单位，如 万元",
    "total": ("合计行的金额（万元）", _AMOUNTS),
    "units": ("资金使用单位列表", [{
        "name": "单位名称",
        "amounts": ("该单位小计的金额（万元）", _AMOUNTS),
        "projects": ("项目列表", [{
            "name": "项目名称",
            "amounts": ("项目的金额（万元），总计由各列相加", _AMOUNTS),
            "goal": "绩效目标（未填写为空文字）",
            "indicators": ("绩效指标列表", [{
                "number": "序号 1、2…", "level1": ("一级指标", _CATEGORY), "level2": ("二级指标", _CATEGORY),
                "name": "指标名称", "period_target": "实施周期指标值，如“≥90%”（未填写为空文字）",
                "target": "年度指标值，如“≥90%”（未填写为空文字）"}])}])}]),
})
#: name → Chinese meaning, for every top-level key of a project-goals context.
VOCABULARY: dict[str, str] = meanings(NAMES)


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
