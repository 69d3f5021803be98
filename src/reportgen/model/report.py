"""部门整体支出绩效自评报告: one department's self-evaluation of one year's spending.

Only what a department states is declared here. Every figure that follows from it
(执行数, 执行率, shares, counts, year-on-year change) is computed in
:mod:`reportgen.compute` and never stored.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Literal, Optional

from attrs import frozen

from reportgen.model.common import Count, Indicator, Label, Money, Percent, Places, Point, Points, Year
from reportgen.model.fields import describe, field
from reportgen.model.funding import FundLine


@describe("人员情况", "编制数、实有人数、退休人数，以及按名称列出的其他人数。")
@frozen
class Staffing:
    """人员情况: 编制数, 实有人数, 退休人数 and any other counts by their own names."""

    authorized: Optional[Count] = field("编制数", default=None, unit="人")
    actual: Optional[Count] = field("实有人数", default=None, unit="人")
    retired: Optional[Count] = field("退休人数", default=None, unit="人")
    others: dict[str, Count] = field("其他人数", factory=dict, unit="人", example={"临聘人员": 3},
                                     doc="按名称填写。")


@describe("部门", "地区、部门名称、主要职能和内设机构。")
@frozen
class Department:
    """部门: region (广州市荔湾区), own name (商务和投资促进局), 职能 and 机构设置."""

    region: Label = field("地区", example="广州市荔湾区")
    name: Label = field("部门名称", doc="不含地区。", example="商务和投资促进局")
    functions: tuple[str, ...] = field("主要职能", default=(), converter=tuple, doc="每项一条。")
    units: tuple[str, ...] = field("内设机构", default=(), converter=tuple)
    staffing: Optional[Staffing] = field("人员编制", default=None)

    @property
    def full_name(self) -> str:
        """部门全称: region and name, as the documents print it (广州市荔湾区商务和投资促进局)."""
        return self.region + self.name


@describe("重点工作任务", "一项重点工作任务的计划、绩效目标和完成情况。")
@frozen
class KeyTask:
    """重点工作任务: what was planned (计划), aimed at (目标) and achieved (完成情况).

    ``in_conclusion`` says which of the task's texts stands for it in the
    自评结论综述: its outcome (the default), its goal, or neither ("none").
    """

    title: Label = field("任务名称", example="招商引资类项目")
    plan: Optional[str] = field("计划", default=None)
    goal: Optional[str] = field("绩效目标", default=None)
    outcome: Optional[str] = field("完成情况", default=None)
    in_conclusion: Literal["outcome", "goal", "none"] = field(
        "自评结论中代表该任务的文字", default="outcome",
        doc="outcome 为完成情况，goal 为绩效目标，none 为不写入自评结论。")


@describe("年度工作", "年度总体工作段落和重点工作任务。")
@frozen
class Work:
    """年度总体工作和重点工作任务: overview paragraphs and the key tasks."""

    overview: tuple[str, ...] = field("年度总体工作", default=(), converter=tuple, doc="每段一项。")
    tasks: tuple[KeyTask, ...] = field("重点工作任务", default=(), converter=tuple)


@describe("按资金来源的金额", "四类资金来源各自的金额。")
@frozen
class FundingSources:
    """按资金来源: amounts from each of the four funding sources, in 万元."""

    general_public_budget: Optional[Money] = field("一般公共预算财政拨款", default=None, unit="万元")
    government_fund_budget: Optional[Money] = field("政府性基金预算财政拨款", default=None, unit="万元")
    state_capital_budget: Optional[Money] = field("国有资本经营预算财政拨款", default=None, unit="万元")
    other_funds: Optional[Money] = field("其他资金", default=None, unit="万元", doc="财政专户及其他资金。")


@describe("部门整体收支", "全年预算数和全年收支。执行数是按资金来源的支出之和；基本支出与项目支出是同一总数的另一种划分。")
@frozen
class Budget:
    """部门整体收支: 全年预算数 and the year's accounts, in 万元.

    执行数 is the sum of ``expenditure`` by funding source. ``basic_expenditure`` +
    ``project_expenditure`` (基本支出 + 项目支出) is a second split of the same total.
    """

    annual_budget: Money = field("全年预算数", unit="万元", doc="调整后的全年预算数。")
    expenditure: FundingSources = field("按资金来源的支出")
    income: Optional[FundingSources] = field("按资金来源的收入", default=None)
    initial_budget: Optional[Money] = field("年初预算数", default=None, unit="万元")
    basic_expenditure: Optional[Money] = field("基本支出", default=None, unit="万元")
    project_expenditure: Optional[Money] = field("项目支出", default=None, unit="万元")
    carryover: Optional[Money] = field("年末结转和结余", default=None, unit="万元")
    prior_year_expenditure: Optional[Money] = field("上年支出", default=None, unit="万元", doc="用于计算同比增减。")


@describe("项目", "一个支出项目的预算和实际支出。只有年初预算的报告只填年初预算，执行率以它为基数。"
                 "分资金来源填写时，三个金额由各来源相加，不需再填。")
@frozen
class Project:
    """项目: a spending project with its budget and what was spent, in 万元.

    ``budget`` is the 全年（调整后）预算数; where a report gives only the 年初预算,
    ``initial_budget`` alone is the base of the execution rate. With ``funding`` (by
    source) the three amounts are the sums of its sources and need not be given;
    where both are given they must agree (``reportgen check``). Either ``executed`` or
    ``funding`` must give the amount spent.
    The rest feeds its 项目支出绩效自评表: ``unit`` (实施单位), ``goal`` / ``outcome``
    (年度总体目标 / 实际完成情况) and ``indicators``.
    """

    name: Label = field("项目名称")
    executed: Optional[Money] = field("实际支出", default=None, unit="万元",
                                      doc="即全年执行数；填写了分资金来源时可不填。")
    budget: Optional[Money] = field("全年预算数", default=None, unit="万元", doc="调整后的全年预算数。")
    initial_budget: Optional[Money] = field("年初预算数", default=None, unit="万元")
    level: Optional[str] = field("项目级别", default=None, example="一级")
    explanation: Optional[str] = field("执行率偏低的原因", default=None)
    indicators: tuple[Indicator, ...] = field("绩效指标", default=(), converter=tuple)
    funding: tuple[FundLine, ...] = field(
        "分资金来源", default=(), converter=tuple, example=[{"source": "本年财政拨款", "executed": 880}],
        doc="每个来源一项，按表中顺序，各写来源名称（source）及其金额。"
            "填写的来源都印在自评表“其中”各行，不填金额的来源印为空行。")
    unit: Optional[str] = field("实施单位", default=None, example="天长市水利局",
                                doc="不填时，部门报告中的项目取部门全称。")
    goal: Optional[str] = field("年度总体目标", default=None, doc="自评表“预期目标”一栏。")
    outcome: Optional[str] = field("年度总体目标实际完成情况", default=None, doc="自评表“实际完成情况”一栏。")


@describe("专项资金", "一项专项资金的预算、支出、存在问题和改进方向。")
@frozen
class SpecialFund:
    """专项资金: a special fund with its budget, spending, problems and remedies."""

    budget: Money = field("预算金额", unit="万元")
    executed: Money = field("支出金额", unit="万元")
    name: Optional[str] = field("专项资金名称", default=None)
    problems: tuple[str, ...] = field("存在问题", default=(), converter=tuple, doc="每段一项。")
    improvements: tuple[str, ...] = field("改进方向", default=(), converter=tuple, doc="每段一项。")


@describe("自评范围", "部门声明的自评所覆盖的项目。报告不必列出全部项目，项目数以部门所说为准；"
                   "所占项目支出的比例由程序计算。")
@frozen
class EvaluationScope:
    """自评范围: which projects the self-evaluation covered, as the department declares.

    The report need not list every project, so the counts are the department's
    statement; the share of project spending they represent is computed.
    """

    first_level_projects: Count = field("一级项目数", unit="个")
    second_level_projects: Count = field("二级项目数", unit="个")
    amount: Money = field("涉及资金", unit="万元")


def _default_categories() -> dict[str, Decimal]:
    return {"产出指标": Decimal(50), "效益指标": Decimal(30), "满意度指标": Decimal(10)}


@describe("评分权重", "满分 100 分中预算执行率和各一级指标所占的分值，默认按财预〔2020〕10号为 10、50、30、10 分。")
@frozen
class Weights:
    """分值 out of 100: 预算执行率 and each 一级 indicator category (rules.md §3).

    The default is 财预〔2020〕10号's 10 / 50 / 30 / 10. ``categories`` maps a 一级
    name, as the indicators spell it, to its points; a department that gives its
    own map replaces the whole default (a 成本指标 of its own, say).
    """

    execution: Points = field("预算执行率分值", default=Points(Decimal(10)), unit="分")
    categories: dict[str, Points] = field(
        "一级指标分值", factory=_default_categories, unit="分", example={"产出指标": 50},
        doc="一级指标名称（与指标中的写法一致）→ 分值；填写时整个取代默认值。")


#: 比率 whose decimal places a document may set (Settings.precision).
Figure = Literal["execution_rate", "project_execution_rate", "special_fund_execution_rate",
                 "share", "yoy_change", "score"]


@describe("文档设置", "小数位数、千位分隔符、执行率偏低的界限、评分权重等。")
@frozen
class Settings:
    """Per-document house style and scoring: precision, digit grouping, weights.

    ``precision`` maps a figure's name (``execution_rate``, ``project_execution_rate``,
    ``special_fund_execution_rate``, ``share``, ``yoy_change``, ``score``) to its
    decimal places; figures not named use ``default_precision``.
    ``allowed_years`` lists years other than the report's that the prose mentions
    on purpose, so that ``reportgen check`` does not question them.
    """

    default_precision: Places = field("百分比默认小数位数", default=Places(2))
    precision: dict[Figure, Places] = field(
        "各比率的小数位数", factory=dict, example={"execution_rate": 1},
        doc="比率名称 → 小数位数；未列出的比率用默认小数位数。")
    digit_grouping: bool = field("千位分隔符", default=True, doc="金额是否写成 36,628.61 的样子。")
    low_execution_threshold: Percent = field("执行率偏低的界限", default=Percent(90), unit="%",
                                             doc="执行率低于此值的项目需要说明原因。")
    weights: Weights = field("评分权重", default=Weights())
    allowed_years: tuple[int, ...] = field("有意提及的其他年份", default=(), converter=tuple,
                                           doc="正文中有意提及的、报告年度以外的年份，reportgen check 不对其提出疑问。")


@describe("部门整体支出绩效自评报告", "一个部门一个年度的部门整体支出绩效自评报告。")
@frozen
class SelfEvaluationReport:
    """部门整体支出绩效自评报告 of one department for one year."""

    year: Year = field("年度", example=2023)
    department: Department = field("部门")
    budget: Budget = field("部门整体收支")
    template: Optional[str] = field("模板", default=None, doc="随附模板的名称或 .docx 文件路径。")
    attachment: Optional[str] = field("附件标签", default=None, example="附件2")
    work: Work = field("年度工作", default=Work())
    performance_goal: Optional[str] = field("部门整体支出绩效目标", default=None)
    performance_management: Optional[str] = field("绩效管理情况", default=None)
    grade: Optional[str] = field("自评等级", default=None, doc="部门自己给出的等级：优、良、中、差。")
    scope: Optional[EvaluationScope] = field("自评范围", default=None)
    conclusion: tuple[str, ...] = field("自评结论", default=(), converter=tuple, doc="每段一项。")
    analysis: tuple[str, ...] = field("绩效目标完成情况分析", default=(), converter=tuple, doc="每段一项。")
    indicators: tuple[Indicator, ...] = field("绩效指标", default=(), converter=tuple)
    projects: tuple[Project, ...] = field("项目支出", default=(), converter=tuple)
    special_funds: tuple[SpecialFund, ...] = field("专项资金", default=(), converter=tuple)
    results: tuple[Point, ...] = field("主要工作成效", default=(), converter=tuple)
    problems: tuple[str, ...] = field("存在的主要问题", default=(), converter=tuple, doc="每段一项。")
    measures: tuple[Point, ...] = field("下一步改进措施", default=(), converter=tuple)
    prose: dict[str, str] = field("其他文字段落", factory=dict, example={"budget_preparation": "……"},
                                  doc="地区提纲所需的其他段落，按名称填写，模板中写作 prose.名称。")
    figures: dict[str, Decimal] = field("其他数值", factory=dict, example={"协议达产值": 858.766},
                                        doc="模型中没有对应字段、而报告多处印出的数值，按名称填写，"
                                            "模板中写作 figures.名称（如 {{ figures.协议达产值|number(3) }}）。")
    settings: Settings = field("文档设置", default=Settings())
