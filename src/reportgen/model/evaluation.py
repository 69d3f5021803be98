"""项目支出绩效自评表: one project's self-evaluation, as a stand-alone data file.

The national layout is the annex of 财预〔2020〕10号 (rules.md §1). The same table is
rendered for each project of a 部门整体支出绩效自评报告 from its ``projects``; this
model is for a project evaluated on its own. Every figure of the table (年度资金总额,
执行率, 得分, 总分) is computed in :mod:`reportgen.compute.tables`, never stored.
"""
from __future__ import annotations

from typing import Optional

from attrs import frozen

from reportgen.model.common import Label, Year
from reportgen.model.fields import describe, field
from reportgen.model.report import Project, Settings


@describe("项目支出绩效自评表", "一个项目一个年度的项目支出绩效自评表（财预〔2020〕10号附件格式）。"
                            "年度资金总额、执行率、各指标得分和总分由程序计算，不需填写。")
@frozen
class ProjectSelfEvaluation:
    """项目支出绩效自评表 of one project for one year."""

    year: Year = field("年度", example=2022)
    project: Project = field("项目")
    department: Optional[Label] = field("主管部门", default=None, example="天长市水利局",
                                        doc="不填时表中留空。")
    template: Optional[str] = field("模板", default=None, doc="随附模板的名称或 .docx 文件路径。")
    settings: Settings = field("文档设置", default=Settings())
