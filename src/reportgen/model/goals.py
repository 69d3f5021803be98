"""项目支出绩效目标表: the performance targets a department sets for its projects of one year.

Only what a department states is declared here. 总计 of a project whose columns are
given, each unit's subtotal and the table's 合计 follow from the columns and are
computed in :mod:`reportgen.compute.goals`, never stored.
"""
from __future__ import annotations

from typing import Optional

from attrs import frozen

from reportgen.model.common import Indicator, Label, Money, Year
from reportgen.model.fields import describe, field


@describe("项目", "一个项目的各列金额、绩效目标和绩效指标。只在各列都未填写时才需要填总计；"
                 "两者都填写时应当相符，由 reportgen check 核对。")
@frozen
class GoalProject:
    """项目: one project with its money by column, its 绩效目标 and 绩效指标.

    ``total`` (总计) is needed only when no column is given; where both are given
    they must agree, which ``reportgen check`` verifies.
    """

    name: Label = field("项目名称")
    total: Optional[Money] = field("总计", default=None, doc="各列都未填写时必填；填写了各列时由各列相加。")
    fiscal_appropriation: Optional[Money] = field("财政拨款", default=None)
    special_account: Optional[Money] = field("财政专户拨款", default=None)
    other_funds: Optional[Money] = field("其他资金", default=None)
    goal: Optional[str] = field("绩效目标", default=None)
    indicators: tuple[Indicator, ...] = field("绩效指标", default=(), converter=tuple)


@describe("资金使用单位", "使用资金的单位及其项目，按表中顺序。")
@frozen
class SpendingUnit:
    """资金使用单位: a unit that spends the money, with its projects in table order."""

    name: Label = field("单位名称")
    projects: tuple[GoalProject, ...] = field("项目", default=(), converter=tuple, doc="按表中顺序。")


@describe("项目支出绩效目标表", "一个部门一个预算年度的项目支出绩效目标表（含转移支付项目）。"
                            "各单位小计和合计由各项目的金额算出，不需填写。")
@frozen
class ProjectGoalTable:
    """项目支出绩效目标表（含转移支付项目） of one department for one budget year."""

    department: Label = field("部门名称", doc="部门全称，含地区。", example="广州市荔湾区商务和投资促进局")
    year: Year = field("预算年度", example=2024)
    units: tuple[SpendingUnit, ...] = field("资金使用单位", default=(), converter=tuple)
    money_unit: str = field("金额单位", default="万元", example="万元", doc="表中各金额的单位。")
    template: Optional[str] = field("模板", default=None, doc="随附模板的名称或 .docx 文件路径。")
