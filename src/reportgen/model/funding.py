"""项目资金 by source (分资金来源): one row of a 项目支出绩效自评表's 项目资金 block.

A project's sources are named by the data, as its layout names them: 本年财政拨款 /
上年结转资金 / 其他资金 in the national form (财预〔2020〕10号), 财政资金 / 财政专户管理资金
/ 单位资金 / 其他资金 in Sichuan's. 年度资金总额 is the sum of the sources and is computed
in :mod:`reportgen.compute.budget`, never stored.
"""
from __future__ import annotations

from typing import Optional

from attrs import frozen

from reportgen.model.common import Label, Money
from reportgen.model.fields import describe, field


@describe("资金来源", "一个资金来源的名称及其年初预算数、全年预算数和全年执行数。")
@frozen
class FundLine:
    """One row of 项目资金: its source's name, 年初预算数, 全年预算数 (A) and 全年执行数 (B), in 万元."""

    source: Label = field("来源名称", example="本年财政拨款",
                                    doc="照表样写：全国表样为 本年财政拨款、上年结转资金、其他资金；"
                                        "四川表样为 财政资金、财政专户管理资金、单位资金、其他资金。")
    initial_budget: Optional[Money] = field("年初预算数", default=None, unit="万元")
    budget: Optional[Money] = field("全年预算数", default=None, unit="万元", doc="调整后的全年预算数。")
    executed: Optional[Money] = field("全年执行数", default=None, unit="万元")
