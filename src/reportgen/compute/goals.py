"""Sums of a 项目支出绩效目标表: each project's 总计, each unit's subtotal, the 合计.

A column no row fills stays None (printed blank), not 0: the published tables leave
财政专户拨款 and 其他资金 empty when no money comes from them.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Iterable, NamedTuple, Optional

from reportgen.model import GoalProject, ProjectGoalTable, SpendingUnit

#: The funding columns (资金来源) of the table, in print order, after 总计.
COLUMNS = ("fiscal_appropriation", "special_account", "other_funds")


class Amounts(NamedTuple):
    """One table row's money: 总计, 财政拨款, 财政专户拨款, 其他资金 (None = blank)."""

    total: Optional[Decimal]
    fiscal_appropriation: Optional[Decimal]
    special_account: Optional[Decimal]
    other_funds: Optional[Decimal]


def add(values: Iterable[Optional[Decimal]]) -> Optional[Decimal]:
    """Sum of the values given; None when none is given.

    >>> add([Decimal("116"), None, Decimal("35.50")]), add([None, None])
    (Decimal('151.50'), None)
    """
    given = [v for v in values if v is not None]
    if not given:
        return None
    return sum(given, Decimal(0))


def columns_sum(project: GoalProject) -> Optional[Decimal]:
    """财政拨款 + 财政专户拨款 + 其他资金 as given; None when no column is given."""
    return add(getattr(project, name) for name in COLUMNS)


def project_total(project: GoalProject) -> Optional[Decimal]:
    """总计 of a project: the sum of its columns, else the 总计 the data states."""
    computed = columns_sum(project)
    return computed if computed is not None else project.total


def total_mismatch(project: GoalProject) -> Optional[Decimal]:
    """Stated 总计 minus the sum of the columns, when both are given and differ."""
    computed = columns_sum(project)
    if project.total is None or computed is None or project.total == computed:
        return None
    return project.total - computed


def project_amounts(project: GoalProject) -> Amounts:
    """The row of one project."""
    return Amounts(project_total(project), *(getattr(project, name) for name in COLUMNS))


def _sum_rows(rows: list[Amounts]) -> Amounts:
    return Amounts(*(add(row[i] for row in rows) for i in range(len(Amounts._fields))))


def unit_amounts(unit: SpendingUnit) -> Amounts:
    """The subtotal row of a 资金使用单位: its projects added column by column."""
    return _sum_rows([project_amounts(p) for p in unit.projects])


def table_amounts(table: ProjectGoalTable) -> Amounts:
    """The 合计 row: every unit's subtotal added column by column."""
    return _sum_rows([unit_amounts(u) for u in table.units])
