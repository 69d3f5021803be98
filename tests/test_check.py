"""``reportgen check``: the seeds' own mistakes (rules.md §5), each finding with its path."""
import json
import subprocess
import sys
from decimal import Decimal

import pytest

import reportgen
from reportgen.checking import ERROR, WARNING
from reportgen.cli import main

from support import SAMPLES, dump_json, sample_data, write_json

D = Decimal


def check(data) -> list:
    return reportgen.check(reportgen.loads(dump_json(data)))


def at(findings, path, severity=None) -> list[str]:
    """Messages of the findings at ``path`` (of one severity, if given)."""
    return [f.message for f in findings if f.path == path and severity in (None, f.severity)]


@pytest.fixture
def clean():
    return sample_data("clean-2023.json")


@pytest.fixture
def tianhe():
    return sample_data("tianhe-2023.json")


@pytest.fixture(scope="module")
def seeds():
    return {name: reportgen.check(reportgen.load(SAMPLES / f"{name}-2023.json"))
            for name in ("liwan", "haizhu", "tianhe")}


# ---- the seeds' mistakes -------------------------------------------------------------

def test_seed_000_same_figure_with_two_precisions(seeds):
    (message,) = [m for m in at(seeds["liwan"], "$.results[0].text", WARNING) if "858" in m]
    assert "858.77亿元" in message and "858.766亿元" in message and "$.work.tasks[0].outcome" in message
    assert "精度不一致" in message


def test_seed_000_repeated_paragraph(seeds):
    repeats = [m for m in at(seeds["liwan"], "$.results[0].text") if "写了两遍" in m]
    assert any("$.work.tasks[1].outcome" in m for m in repeats)


def test_seed_000_low_execution_disclosed_but_not_explained(seeds):
    (message,) = at(seeds["liwan"], "$.projects[0].explanation", WARNING)
    assert "执行率0%低于90%" in message
    assert not [f for f in seeds["liwan"] if f.severity == ERROR]


def test_seed_001_project_rate_rounded_by_hand(seeds):
    (message,) = at(seeds["haizhu"], "$.settings.precision.project_execution_rate", WARNING)
    assert "印为95%，按两位小数为95.34%" in message


def test_seed_002_rate_rounded_by_hand_beside_a_two_place_rate(seeds):
    (message,) = at(seeds["tianhe"], "$.settings.precision.execution_rate", WARNING)
    assert "印为98.5%，按两位小数为98.54%" in message and "99.46%" in message


def test_seed_002_grade_not_supported_by_its_indicators(seeds):
    (message,) = at(seeds["tianhe"], "$.grade", ERROR)
    assert "自评等级为“优”" in message and "85.31分" in message and "“良”" in message
    (unmet,) = at(seeds["tianhe"], "$.indicators[5].deviation_reason", WARNING)
    assert "商贸业项目申报验收工作完成情况" in unmet and "未完成" in unmet


def test_seed_002_satisfaction_filed_under_benefit(seeds):
    assert at(seeds["tianhe"], "$.indicators[18].level1.name", WARNING)
    assert any("满意度指标" in m and "没有指标" in m for m in at(seeds["tianhe"], "$.indicators"))


def test_errors_come_first(seeds):
    severities = [f.severity for f in seeds["tianhe"]]
    assert severities == sorted(severities, key=lambda s: s != ERROR)


def test_clean_sample_has_no_findings_and_renders(clean, tmp_path):
    report = reportgen.loads(dump_json(clean))
    assert reportgen.check(report) == []
    assert reportgen.render(report, tmp_path / "clean.docx").stat().st_size > 0


# ---- years ---------------------------------------------------------------------------

def last_years_text(text: str, **settings) -> list:
    data = sample_data("haizhu-2023.json")
    data["year"] = 2022
    data["conclusion"] = [text]
    data["settings"].update(settings)
    return at(check(data), "$.conclusion[0]")


def test_last_years_year_copied_into_the_prose():
    (message,) = last_years_text("较好完成了2021年履行职能职责和各项重点工作任务。")
    assert "2021年" in message and "报告年度2022年" in message


@pytest.mark.parametrize("text", [
    "支出较2021年增长5%。", "截至2021年底累计完成。", "自2019年以来持续推进。",
    "落实2021—2025年发展规划。", "与2021年同期相比有所增长。", "印发《2021年度工作方案》。",
    "依据穗府办〔2020〕4号文。", "举办“2021广州国际购物节”活动。", "2023年度预算已编制完成。",
    "完成2022年履行职能职责。", "下拨2000万元，覆盖1500家企业。"])
def test_years_referred_to_on_purpose_are_not_questioned(text):
    assert last_years_text(text) == []


def test_allowed_years_setting():
    assert last_years_text("完成了2021年履行职能职责。", allowed_years=[2021]) == []


def test_next_year_in_measures_is_planning(clean):
    clean["measures"][0]["text"] = "2024年将按月通报执行进度。"
    clean["results"][0]["text"] += "2024年完成了招商任务。"
    findings = check(clean)
    assert at(findings, "$.measures[0].text") == []
    assert at(findings, "$.results[0].text", WARNING)


# ---- parts and totals ----------------------------------------------------------------

def test_rounding_difference_of_one_cent_is_a_warning(clean):
    clean["budget"]["basic_expenditure"] = D("1820.56")
    (message,) = at(check(clean), "$.budget", WARNING)
    assert "相差0.01万元" in message and "四舍五入" in message


def test_parts_not_adding_up_is_an_error(clean):
    clean["budget"]["project_expenditure"] = D("2939.75")
    (message,) = at(check(clean), "$.budget", ERROR)
    assert "基本支出与项目支出之和4,760.30万元" in message and "相差10万元" in message


def test_only_one_part_given(clean):
    del clean["budget"]["basic_expenditure"]
    assert at(check(clean), "$.budget.basic_expenditure", WARNING)


def test_income_against_expenditure(clean):
    assert not at(check(clean), "$.budget.income")  # differs by exactly the carryover
    clean["budget"]["carryover"] = D(40)
    (message,) = at(check(clean), "$.budget.income", WARNING)
    assert "相差50万元" in message and "年末结转和结余为40万元" in message


def test_special_funds_beyond_the_budget(clean):
    clean["special_funds"] = [{"budget": D(6000), "executed": D(100), "problems": ["x"]}]
    assert any("专项资金预算合计6,000万元超过全年预算数" in m for m in at(check(clean), "$.special_funds", ERROR))


def test_low_execution_needs_an_explanation(clean):
    del clean["projects"][2]["explanation"]
    (message,) = at(check(clean), "$.projects[2].explanation", WARNING)
    assert "会展服务采购经费" in message and "75.52%" in message


# ---- figures typed into the prose ----------------------------------------------------

@pytest.mark.parametrize("typed, severity", [("95.41%", None), ("95.4%", WARNING), ("96%", ERROR)])
def test_rate_in_prose(clean, typed, severity):
    clean["conclusion"] = [f"全年预算执行率为{typed}。"]
    found = [f for f in check(clean) if f.path == "$.conclusion[0]"]
    assert [f.severity for f in found] == ([severity] if severity else [])


def test_project_rate_in_prose_matches_its_project(clean):
    clean["analysis"] = ["会展服务采购经费执行率75.52%。"]
    assert at(check(clean), "$.analysis[0]") == []


def test_amount_in_prose(clean):
    clean["analysis"] = ["全年预算数5,001万元，基本支出1820.55万元。"]
    (message,) = at(check(clean), "$.analysis[0]", ERROR)
    assert "全年预算数5,001万元" in message and "5,000万元" in message


def test_count_in_prose_against_the_list(clean):
    clean["analysis"] = ["绩效指标包括6个产出指标和3个效益指标。"]
    (message,) = at(check(clean), "$.analysis[0]", ERROR)
    assert "6个产出指标" in message and "有5个" in message


def test_grade_and_score_in_prose(clean):
    clean["conclusion"] = ["自评等级为良，自评得分95分。"]
    messages = at(check(clean), "$.conclusion[0]", ERROR)
    assert any("自评等级“良”" in m for m in messages) and any("98.48分" in m for m in messages)


def test_same_quantity_with_different_values(clean):
    clean["results"][0]["text"] += "全年新增注册企业数131家。"
    clean["results"][1]["text"] += "全年新增注册企业数130家。"
    (message,) = at(check(clean), "$.results[1].text", WARNING)
    assert "数值不一致" in message and "$.results[0].text" in message


# ---- weights and indicators ----------------------------------------------------------

def test_weights_must_add_up_to_100(clean):
    clean["settings"] = {"weights": {"execution": 10, "categories": {"产出指标": 50, "效益指标": 30, "满意度指标": 20}}}
    (message,) = at(check(clean), "$.settings.weights", ERROR)
    assert "110分" in message


def test_indicator_weights_must_add_up_to_their_category(clean):
    clean["indicators"][0]["weight"] = 15
    (message,) = at(check(clean), "$.indicators[0].weight", ERROR)
    assert "55分" in message and "50分" in message


def test_category_without_points(clean):
    clean["indicators"][5]["level1"] = {"code": "4", "name": "成本指标"}
    assert at(check(clean), "$.indicators[5].level1.name", ERROR)


def test_qualitative_score_outside_its_band(clean):
    clean["indicators"][9]["score"] = 3
    (message,) = at(check(clean), "$.indicators[9].score", ERROR)
    assert "4–5分" in message


def test_qualitative_without_band(clean):
    del clean["indicators"][7]["band"]
    assert at(check(clean), "$.indicators[7].band", WARNING)


def test_units_that_differ(clean):
    clean["indicators"][0]["actual"] = "18个"
    assert "单位不一致" in at(check(clean), "$.indicators[0].actual", ERROR)[0]


def test_wording_that_disagrees_with_the_value(clean):
    clean["indicators"][0]["actual_wording"] = "实际完成17场"
    assert at(check(clean), "$.indicators[0].actual_wording", WARNING)


def test_missed_without_reason(clean):
    del clean["indicators"][1]["deviation_reason"]
    assert at(check(clean), "$.indicators[1].deviation_reason", WARNING)


# ---- command line --------------------------------------------------------------------

def test_exit_status_and_text_output(clean, tmp_path, capsys):
    assert main(["check", str(write_json(tmp_path / "clean.json", clean))]) == 0
    assert "未发现问题" in capsys.readouterr().out
    assert main(["check", str(SAMPLES / "liwan-2023.json")]) == 0  # warnings alone
    assert main(["check", str(SAMPLES / "tianhe-2023.json")]) == 1
    out = capsys.readouterr().out
    assert "错误 $.grade: 自评等级为“优”" in out


def test_json_output(capsys):
    assert main(["check", str(SAMPLES / "tianhe-2023.json"), "--format", "json"]) == 1
    body = json.loads(capsys.readouterr().out)
    assert body["errors"] == 1 and body["findings"][0] == {
        "severity": "error", "path": "$.grade", "message": body["findings"][0]["message"]}


def test_unreadable_file_exits_2(tmp_path):
    result = subprocess.run([sys.executable, "-m", "reportgen", "check", str(tmp_path / "nope.json")],
                            capture_output=True, text=True)
    assert result.returncode == 2 and "找不到数据文件" in result.stderr and "Traceback" not in result.stderr


def test_a_projects_amount_is_not_the_departments(clean):
    clean["analysis"] = ["招商推介项目支出30万元，我局项目支出2,949.75万元。"]
    assert at(check(clean), "$.analysis[0]") == []
    clean["analysis"] = ["其中项目支出2,990万元。"]
    assert at(check(clean), "$.analysis[0]", ERROR)


def test_a_part_score_or_a_word_is_not_the_grade_or_total(clean):
    clean["conclusion"] = ["产出指标得分49.44分，在绩效等级中，优良率较高。"]
    assert at(check(clean), "$.conclusion[0]") == []
