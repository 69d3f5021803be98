"""Figures computed from the seeds' own data match what the seeds print (or should)."""
from decimal import Decimal

import pytest

import reportgen
from reportgen.compute import budget as b
from reportgen.sentences import narrative
from reportgen.rounding import percentage, round_half_up

from support import SAMPLES


@pytest.fixture(scope="module")
def reports():
    return {name: reportgen.load(SAMPLES / f"{name}-2023.json")
            for name in ("liwan", "haizhu", "tianhe")}


def test_liwan_execution_rate(reports):
    report = reports["liwan"]
    assert b.executed(report.budget) == Decimal("11787.03")
    assert b.execution_rate(report) == Decimal("97.85")


def test_haizhu_full_execution_and_project_rate_at_document_precision(reports):
    report = reports["haizhu"]
    assert b.execution_rate(report) == Decimal("100.00")
    project = report.projects[0]
    assert b.project_execution_rate(report.settings, project) == Decimal("95")  # 76.27/80 = 95.34 at 0 places
    assert narrative.project_execution(report, project) == \
        "招商引资业务工作经费年初预算80万元，实际支出76.27万元，执行率95%。"
    assert b.scope_share(report) == Decimal("100.00")


def test_tianhe_rate_at_one_and_two_decimals(reports):
    report = reports["tianhe"]
    assert b.execution_rate(report) == Decimal("98.5")  # the document's setting: one decimal
    assert percentage(Decimal("28404.48"), Decimal("28825.37"), 2) == Decimal("98.54")
    fund = report.special_funds[0]
    assert b.fund_execution_rate(report.settings, fund) == Decimal("99.46")


def test_rounding_is_half_up_not_half_even():
    assert round_half_up(Decimal("0.125"), 2) == Decimal("0.13")
    assert round_half_up(Decimal("0.135"), 2) == Decimal("0.14")
    assert round_half_up(Decimal("-0.125"), 2) == Decimal("-0.13")
    assert percentage(Decimal("1"), Decimal("8"), 1) == Decimal("12.5")
    assert percentage(Decimal("1"), Decimal("16"), 2) == Decimal("6.25")
    assert percentage(Decimal("1"), Decimal("16"), 1) == Decimal("6.3")


def test_low_execution_sentence_names_the_project(reports):
    assert narrative.low_execution(reports["liwan"]) == (
        "部分项目未能及时支出，预算执行率偏低。如商务投促局办公室维修维护经费，"
        "项目预算资金10万元，实际支出0万元。")
    assert narrative.low_execution(reports["haizhu"]) == ""  # 95.34% is above 90%


def test_sources_listed_in_document_order_with_zero_amounts(reports):
    lines = b.source_lines(reports["liwan"].budget.expenditure)
    assert [line.name for line in lines] == [
        "一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款", "其他资金"]
    assert [line.amount for line in lines][1:] == [0, 0, 0]


def test_year_on_year_change(liwan, tmp_path):
    from support import write_json
    liwan["budget"]["prior_year_expenditure"] = Decimal("10715.48")
    report = reportgen.load(write_json(tmp_path / "x.json", liwan))
    assert b.yoy_change(report) == Decimal("10.00")
    assert narrative.yoy_change(report) == "较上年支出10715.48万元增长10%。"


def test_zero_budget_has_no_rate(liwan, tmp_path):
    from support import write_json
    liwan["budget"]["annual_budget"] = 0
    report = reportgen.load(write_json(tmp_path / "x.json", liwan))
    assert b.execution_rate(report) is None
    assert "完成预算" not in narrative.budget_execution(report)


def test_percent_with_places_rounds_once_from_the_exact_rate():
    from reportgen.formatting import percent
    rate = percentage(Decimal("9844.9"), Decimal("10000"))  # 98.449
    assert percent(rate) == "98.45%"
    assert percent(rate, 1) == "98.4%"  # not 98.45 → 98.5
