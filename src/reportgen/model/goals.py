"""项目支出绩效目标表: the performance targets a department sets for its projects of one year.

Only what a department states is declared here. 总计 of a project whose columns are
given, each unit's subtotal and the table's 合计 follow from the columns and are
computed in :mod:`reportgen.compute.goals`, never stored.
"""
from __future__ import annotations

from typing import Optional

from attrs import field, frozen

from reportgen.model.common import Indicator, Money


@frozen
class GoalProject:
    """项目: one project with its money by column, its 绩效目标 and 绩效指标.

    ``total`` (总计) is needed only when no column is given; where both are given
    they must agree, which ``reportgen check`` verifies.
    """

    name: str  # 项目名称
    total: Optional[Money] = None  # 总计
    fiscal_appropriation: Optional[Money] = None  # 财政拨款
    special_account: Optional[Money] = None  # 财政专户拨款
    other_funds: Optional[Money] = None  # 其他资金
    goal: Optional[str] = None  # 绩效目标 (prose)
    indicators: tuple[Indicator, ...] = field(default=(), converter=tuple)  # 绩效指标


@frozen
class SpendingUnit:
    """资金使用单位: a unit that spends the money, with its projects in table order."""

    name: str  # 资金使用单位名称
    projects: tuple[GoalProject, ...] = field(default=(), converter=tuple)  # 项目，按表中顺序


@frozen
class ProjectGoalTable:
    """项目支出绩效目标表（含转移支付项目） of one department for one budget year."""

    department: str  # 部门名称: the department's full name, region included
    year: int  # 预算年度
    units: tuple[SpendingUnit, ...] = field(default=(), converter=tuple)
    money_unit: str = "万元"  # 单位 of every amount
    template: Optional[str] = None
