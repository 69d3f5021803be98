"""部门整体支出绩效自评报告: one department's self-evaluation of one year's spending.

Only what a department states is declared here. Every figure that follows from it
(执行数, 执行率, shares, counts, year-on-year change) is computed in
:mod:`reportgen.compute` and never stored.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Literal, Optional

from attrs import field, frozen

from reportgen.model.common import Count, Indicator, Money, Percent, Places, Point, Points


@frozen
class Staffing:
    """人员情况: 编制数, 实有人数, 退休人数 and any other counts by their own names."""

    authorized: Optional[Count] = None  # 编制数
    actual: Optional[Count] = None  # 实有人数
    retired: Optional[Count] = None  # 退休人数
    others: dict[str, Count] = field(factory=dict)  # 其他人数，按名称，如 {"临聘人员": 3}


@frozen
class Department:
    """部门: region (广州市荔湾区), own name (商务和投资促进局), 职能 and 机构设置."""

    region: str  # 地区，如 广州市荔湾区
    name: str  # 部门名称（不含地区），如 商务和投资促进局
    functions: tuple[str, ...] = field(default=(), converter=tuple)  # 主要职能，每项一条
    units: tuple[str, ...] = field(default=(), converter=tuple)  # 内设机构
    staffing: Optional[Staffing] = None  # 人员编制


@frozen
class KeyTask:
    """重点工作任务: what was planned (计划), aimed at (目标) and achieved (完成情况).

    ``in_conclusion`` says which of the task's texts stands for it in the
    自评结论综述: its outcome (the default), its goal, or neither ("none").
    """

    title: str  # 任务名称，如 招商引资类项目
    plan: Optional[str] = None  # 计划（重点工作任务）
    goal: Optional[str] = None  # 绩效目标
    outcome: Optional[str] = None  # 完成情况
    in_conclusion: Literal["outcome", "goal", "none"] = "outcome"  # 自评结论中代表该任务的文字："outcome"、"goal" 或 "none"


@frozen
class Work:
    """年度总体工作和重点工作任务: overview paragraphs and the key tasks."""

    overview: tuple[str, ...] = field(default=(), converter=tuple)  # 年度总体工作段落
    tasks: tuple[KeyTask, ...] = field(default=(), converter=tuple)  # 重点工作任务


@frozen
class FundingSources:
    """按资金来源: amounts from each of the four funding sources, in 万元."""

    general_public_budget: Optional[Money] = None  # 一般公共预算财政拨款
    government_fund_budget: Optional[Money] = None  # 政府性基金预算财政拨款
    state_capital_budget: Optional[Money] = None  # 国有资本经营预算财政拨款
    other_funds: Optional[Money] = None  # 财政专户/其他资金


@frozen
class Budget:
    """部门整体收支: 全年预算数 and the year's accounts, in 万元.

    执行数 is the sum of ``expenditure`` by funding source. ``basic_expenditure`` +
    ``project_expenditure`` (基本支出 + 项目支出) is a second split of the same total.
    """

    annual_budget: Money  # 全年预算数 (调整后)
    expenditure: FundingSources  # 支出 by source
    income: Optional[FundingSources] = None  # 收入 by source
    initial_budget: Optional[Money] = None  # 年初预算数
    basic_expenditure: Optional[Money] = None  # 基本支出
    project_expenditure: Optional[Money] = None  # 项目支出
    carryover: Optional[Money] = None  # 年末结转和结余
    prior_year_expenditure: Optional[Money] = None  # 上年支出, for 同比


@frozen
class Project:
    """项目: a spending project with its budget and what was spent, in 万元.

    ``budget`` is the 全年（调整后）预算数; where a report gives only the 年初预算,
    ``initial_budget`` alone is the base of the execution rate.
    """

    name: str  # 项目名称
    executed: Money  # 实际支出
    budget: Optional[Money] = None  # 全年（调整后）预算
    initial_budget: Optional[Money] = None  # 年初预算
    level: Optional[str] = None  # 一级 / 二级 项目
    explanation: Optional[str] = None  # why execution is low
    indicators: tuple[Indicator, ...] = field(default=(), converter=tuple)


@frozen
class SpecialFund:
    """专项资金: a special fund with its budget, spending, problems and remedies."""

    budget: Money  # 专项资金预算金额
    executed: Money  # 预算支出金额
    name: Optional[str] = None  # 专项资金名称
    problems: tuple[str, ...] = field(default=(), converter=tuple)  # 存在问题段落
    improvements: tuple[str, ...] = field(default=(), converter=tuple)  # 改进方向段落


@frozen
class EvaluationScope:
    """自评范围: which projects the self-evaluation covered, as the department declares.

    The report need not list every project, so the counts are the department's
    statement; the share of project spending they represent is computed.
    """

    first_level_projects: Count  # 一级项目数
    second_level_projects: Count  # 二级项目数
    amount: Money  # 共涉及资金


def _default_categories() -> dict[str, Decimal]:
    return {"产出指标": Decimal(50), "效益指标": Decimal(30), "满意度指标": Decimal(10)}


@frozen
class Weights:
    """分值 out of 100: 预算执行率 and each 一级 indicator category (rules.md §3).

    The default is 财预〔2020〕10号's 10 / 50 / 30 / 10. ``categories`` maps a 一级
    name, as the indicators spell it, to its points; a department that gives its
    own map replaces the whole default (a 成本指标 of its own, say).
    """

    execution: Points = Points(Decimal(10))  # 预算执行率
    categories: dict[str, Points] = field(factory=_default_categories)  # 一级指标 → 分值


#: 比率 whose decimal places a document may set (Settings.precision).
Figure = Literal["execution_rate", "project_execution_rate", "special_fund_execution_rate",
                 "share", "yoy_change", "score"]


@frozen
class Settings:
    """Per-document house style and scoring: precision, digit grouping, weights.

    ``precision`` maps a figure's name (``execution_rate``, ``project_execution_rate``,
    ``special_fund_execution_rate``, ``share``, ``yoy_change``, ``score``) to its
    decimal places; figures not named use ``default_precision``.
    ``allowed_years`` lists years other than the report's that the prose mentions
    on purpose, so that ``reportgen check`` does not question them.
    """

    default_precision: Places = Places(2)  # 百分比默认保留的小数位数
    precision: dict[Figure, Places] = field(factory=dict)  # 各比率的小数位数，如 {"execution_rate": 1}
    digit_grouping: bool = True  # 金额是否用千位分隔符（36,628.61）
    low_execution_threshold: Percent = Percent(90)  # 执行率 below this (percent) must be explained
    weights: Weights = Weights()  # 评分权重
    allowed_years: tuple[int, ...] = field(default=(), converter=tuple)  # 正文中有意提及的其他年份


@frozen
class SelfEvaluationReport:
    """部门整体支出绩效自评报告 of one department for one year."""

    year: int  # 年度
    department: Department  # 部门
    budget: Budget  # 部门整体收支
    template: Optional[str] = None  # 模板名称或 .docx 路径
    attachment: Optional[str] = None  # 附件 label, e.g. "附件2"
    work: Work = Work()  # 年度总体工作和重点工作任务
    performance_goal: Optional[str] = None  # 部门整体支出绩效目标
    performance_management: Optional[str] = None  # 绩效管理情况
    grade: Optional[str] = None  # 自评等级 as the department gives it: 优 / 良 / 中 / 差
    scope: Optional[EvaluationScope] = None  # 自评范围
    conclusion: tuple[str, ...] = field(default=(), converter=tuple)  # 自评结论 prose
    analysis: tuple[str, ...] = field(default=(), converter=tuple)  # 目标完成情况分析
    indicators: tuple[Indicator, ...] = field(default=(), converter=tuple)  # 绩效指标
    projects: tuple[Project, ...] = field(default=(), converter=tuple)  # 项目支出
    special_funds: tuple[SpecialFund, ...] = field(default=(), converter=tuple)  # 专项资金
    results: tuple[Point, ...] = field(default=(), converter=tuple)  # 主要工作成效
    problems: tuple[str, ...] = field(default=(), converter=tuple)  # 存在的主要问题
    measures: tuple[Point, ...] = field(default=(), converter=tuple)  # 下一步改进措施
    prose: dict[str, str] = field(factory=dict)  # further blocks a district's outline asks for
    settings: Settings = Settings()  # 文档设置：小数位数、千位分隔符、权重
