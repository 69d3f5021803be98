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


def test_json_output_is_a_list_for_one_file(capsys):
    assert main(["check", str(SAMPLES / "tianhe-2023.json"), "--format", "json"]) == 1
    (body,) = json.loads(capsys.readouterr().out)
    assert body["file"].endswith("tianhe-2023.json") and body["errors"] == 1 and body["warnings"] == 4
    assert body["findings"][0] == {"severity": "error", "path": "$.grade", "message": body["findings"][0]["message"]}


def test_json_output_is_a_list_for_several_files(capsys):
    files = [str(SAMPLES / f"{name}-2023.json") for name in ("clean", "tianhe")]
    assert main(["check", *files, "--format", "json"]) == 1
    body = json.loads(capsys.readouterr().out)
    assert [(b["file"], b["errors"], len(b["findings"])) for b in body] == [(files[0], 0, 0), (files[1], 1, 5)]
    assert all(set(b) == {"file", "findings", "errors", "warnings"} for b in body)


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


# ---- a category spelled two ways, a total over 100 -----------------------------------

def test_category_spelled_two_ways_counts_once(clean):
    clean["indicators"][8]["weight"], clean["indicators"][9]["weight"] = 3, 5
    clean["indicators"].append(dict(clean["indicators"][8], level1={"code": "3", "name": "满意度"},
                                    name="群众满意度", actual="95%", weight=2))
    clean["conclusion"] = ["共设置11个绩效指标，其中3个满意度指标，自评得分98.48分。"]
    assert check(clean) == []


def test_total_over_100_is_an_error(clean):
    # Three indicators share 满意度's 10 points (3.33 each), but one keeps its score of 4.5.
    clean["indicators"].append(dict(clean["indicators"][8], level1={"code": "3", "name": "满意度"},
                                    name="群众满意度", actual="95%"))
    (message,) = at(check(clean), "$.indicators", ERROR)
    assert "自评得分为100.15分，超过满分100分" in message and "满意度指标得分11.17分（分值10分）" in message


# ---- rates in the prose: whose rate ---------------------------------------------------

@pytest.mark.parametrize("text, severity, named", [
    ("预算执行率为98%。", ERROR, "预算执行率95.41%"),  # 招商推介活动经费's 98.35% is no excuse
    ("完成预算的96%。", ERROR, "预算执行率95.41%"),
    ("支出进度98.35%。", ERROR, "预算执行率95.41%"),
    ("完成预算的95%。", WARNING, "预算执行率为95.41%"),  # 95.41% rounded by hand
    ("招商推介活动经费按计划执行。预算执行率为98%。", ERROR, "预算执行率95.41%"),
    ("招商推介活动经费执行率为98%。", WARNING, "项目“招商推介活动经费”执行率为98.35%"),
    ("招商推介活动经费执行率为97%。", ERROR, "项目“招商推介活动经费”执行率98.35%"),
    ("招商推介活动经费执行较快，部门整体预算执行率为98.35%。", ERROR, "预算执行率95.41%"),
])
def test_rate_phrases_are_compared_with_the_rate_they_state(clean, text, severity, named):
    clean["conclusion"] = [text]
    (finding,) = [f for f in check(clean) if f.path == "$.conclusion[0]"]
    assert finding.severity == severity and named in finding.message


@pytest.mark.parametrize("text", [
    "会展服务采购经费全年预算420万元，实际支出317.20万元，执行率75.52%。",
    "企业扶持资金预算执行率96.82%，全年预算执行率95.41%。",
])
def test_project_rate_named_in_its_sentence(clean, text):
    clean["analysis"] = [text]
    assert at(check(clean), "$.analysis[0]") == []


def test_department_rate_typed_wrong_fails_the_command(clean, tmp_path, capsys):
    clean["conclusion"] = ["预算执行率为98%。"]
    assert main(["check", str(write_json(tmp_path / "c.json", clean))]) == 1
    assert "与按数据计算的预算执行率95.41%不符" in capsys.readouterr().out


# ---- a report's project is checked once, by the rule of its table ---------------------

def test_a_project_spending_beyond_its_budget_is_said_once(clean):
    clean["projects"][0]["executed"] = D("1300.00")  # of 1200
    (message,) = at(check(clean), "$.projects[0].executed")
    assert "超过预算1,200万元" in message


def test_a_project_budget_of_0_with_spending_is_one_error(clean):
    clean["projects"][0].update(budget=D(0), initial_budget=D(0))
    (message,) = at(check(clean), "$.projects[0].budget")
    assert "预算为0，却支出1,180.25万元" in message
    assert [f.severity for f in check(clean) if f.path == "$.projects[0].budget"] == [ERROR]


def test_low_execution_without_a_reason_is_said_once(clean):
    del clean["projects"][2]["explanation"]
    assert len([f for f in check(clean) if f.path.startswith("$.projects[2]") and "低于90%" in f.message]) == 1


# ---- low execution judged as printed --------------------------------------------------

def test_rate_that_prints_as_the_threshold_is_not_low(clean):
    clean["projects"][0].update(budget=D(100), executed=D("89.996"))  # prints 90%
    assert at(check(clean), "$.projects[0].explanation") == []
    clean["projects"][0]["executed"] = D("89.994")  # prints 89.99%
    (message,) = at(check(clean), "$.projects[0].explanation", WARNING)
    assert "执行率89.99%低于90%" in message


# ---- repeated passages ----------------------------------------------------------------

def test_repeated_passage_reported_once_against_its_first_place(clean):
    reason = "由于上级部门政策调整以及项目实施进度安排等多方面因素的综合影响，部分资金未能在年度内按计划支付完毕，已结转下一年度。"
    clean["projects"] = [{"name": f"项目{k}", "budget": 10, "executed": 5, "explanation": reason} for k in range(300)]
    clean["budget"].update(project_expenditure=D(1500), basic_expenditure=D("3270.30"))
    clean["scope"]["amount"] = D(1500)
    findings = check(clean)
    (repeat,) = [f for f in findings if "遍" in f.message]
    assert repeat.path == "$.projects[1].explanation" and "与 $.projects[0].explanation 相同" in repeat.message
    assert "$.projects[2].explanation" in repeat.message and "共写了300遍" in repeat.message


def test_passage_pieced_from_two_fields_is_reported_against_each(clean):
    first, second = "招商推介" * 15, "企业服务专员制度" * 8
    clean["analysis"] = [first, second, "综上，" + first + second + "。"]
    repeats = sorted(m for m in at(check(clean), "$.analysis[2]") if "写了两遍" in m)
    assert len(repeats) == 2 and "60字的文字与 $.analysis[0]" in repeats[0] and "64字的文字与 $.analysis[1]" in repeats[1]


def test_long_texts_check_quickly(clean):
    import random
    import time

    pick = random.Random(7).choice
    chars = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    clean["analysis"] = ["".join(pick(chars) for _ in range(3000)) for _ in range(100)]
    clean["analysis"][60] = clean["analysis"][3][1000:1100] + clean["analysis"][60]
    report = reportgen.loads(dump_json(clean))
    started = time.perf_counter()
    findings = reportgen.check(report)
    assert time.perf_counter() - started < 2
    (repeat,) = [f for f in findings if "遍" in f.message]
    assert repeat.path == "$.analysis[60]" and "100字" in repeat.message and "$.analysis[3]" in repeat.message


# ---- data the templates cannot print --------------------------------------------------

def test_zero_annual_budget_has_no_rate(clean):
    clean["budget"]["annual_budget"] = D(0)
    (message,) = at(check(clean), "$.budget.annual_budget", WARNING)
    assert "全年预算数为0，无法计算预算执行率" in message


def test_special_fund_with_zero_budget_has_no_rate(clean):
    clean["special_funds"] = [{"name": "商务发展", "budget": D(0), "executed": D(0), "problems": ["x"]}]
    (message,) = at(check(clean), "$.special_funds[0].budget", WARNING)
    assert "专项资金“商务发展”预算为0，无法计算支出率" in message


def test_scope_without_a_base_has_no_share(clean):
    for key in ("basic_expenditure", "project_expenditure"):
        del clean["budget"][key]
    del clean["budget"]["expenditure"]["general_public_budget"]
    (message,) = at(check(clean), "$.budget.project_expenditure", WARNING)
    assert "无法计算自评涉及资金（scope）占一般公共预算项目支出的比例" in message
    clean["budget"]["project_expenditure"] = D(0)
    (message,) = at(check(clean), "$.budget.project_expenditure", WARNING)
    assert message.startswith("项目支出为0")


# ---- targets and other years' rates are not this year's result -------------------------

@pytest.mark.parametrize("field, text", [
    ("measures", "确保项目支出进度达到100%。"),
    ("measures", "力争预算执行率达90%以上。"),
    ("measures", "2024年力争全年预算执行率达到95%以上。"),
    ("conclusion", "上年预算执行率为92.3%，今年有所提高。"),
    ("conclusion", "去年同期预算执行率为80%。"),
    ("conclusion", "力争全年预算执行率达到98%。"),
    ("analysis", "确保预算执行率不低于90%，本年预算执行率为95.41%。"),
])
def test_targets_and_last_years_rates_are_not_compared(clean, field, text):
    if field == "measures":
        clean["measures"][0]["text"] = text
        path = "$.measures[0].text"
    else:
        clean[field] = [text]
        path = f"$.{field}[0]"
    assert at(check(clean), path) == []


def test_another_years_rate_is_not_compared_but_its_year_is_questioned(clean):
    clean["conclusion"] = ["2022年预算执行率为92.3%。"]
    (message,) = at(check(clean), "$.conclusion[0]")  # the year check, not a rate error
    assert "出现2022年" in message and "95.41%" not in message


def test_a_result_beside_a_target_is_still_compared(clean, tmp_path, capsys):
    clean["conclusion"] = ["全年预算执行率为98%，力争明年达到100%。"]
    (message,) = at(check(clean), "$.conclusion[0]", ERROR)
    assert "写作98%" in message
    clean["measures"][0]["text"] = "力争预算执行率达90%以上。"
    clean["conclusion"] = ["上年预算执行率为92.3%，今年有所提高。"]
    assert main(["check", str(write_json(tmp_path / "c.json", clean))]) == 0


@pytest.mark.parametrize("typed, errors", [("90%", 0), ("95.41%", 0), ("96%", 1)])
def test_a_rate_stated_as_at_least_is_a_bound(clean, typed, errors):
    clean["conclusion"] = [f"全年预算执行率达到{typed}以上。"]
    found = at(check(clean), "$.conclusion[0]")
    assert len(found) == errors and all("以上" in m and "95.41%" in m for m in found)


# ---- no grade at all --------------------------------------------------------------------

def test_no_grade_and_no_indicators_is_a_warning(clean):
    del clean["grade"]
    assert at(check(clean), "$.grade") == []  # the indicators give the grade
    clean["indicators"] = []
    (message,) = at(check(clean), "$.grade", WARNING)
    assert message.startswith("未填写自评等级，也没有可计分的绩效指标")
    clean["grade"] = "差"
    assert not any("未填写自评等级" in m for m in at(check(clean), "$.grade"))


def test_seed_000_has_no_grade_to_print(seeds):
    (message,) = at(seeds["liwan"], "$.grade", WARNING)
    assert "未填写自评等级" in message


# ---- 项目支出绩效目标表: stray years ------------------------------------------------------

def goal_table(goal: str, **indicator) -> dict:
    return {"kind": "project-goals", "year": 2024, "department": "广州市某区商务局",
            "units": [{"name": "广州市某区商务局", "projects": [{
                "name": "产业扶持资金", "fiscal_appropriation": 100, "goal": goal,
                "indicators": [dict({"level1": {"code": "1", "name": "产出指标"},
                                     "level2": {"code": "11", "name": "数量指标"},
                                     "name": "组织企业参加商贸活动", "target": "大于20家",
                                     "period_target": "大于20家"}, **indicator)]}]}]}


def test_last_years_year_in_a_goal_table():
    (message,) = at(check(goal_table("完成2022年度任务。")), "$.units[0].projects[0].goal", WARNING)
    assert "出现2022年" in message and "预算年度2024年" in message
    found = check(goal_table("完成任务。", name="2023年组织企业参加商贸活动"))
    assert at(found, "$.units[0].projects[0].indicators[0].name", WARNING)


@pytest.mark.parametrize("goal, indicator", [
    ("保障2024年各项工作顺利开展。", {}),
    ("较2023年增长10%。", {}),
    ("完成任务。", {"period_target": "2025年前完成"}),
])
def test_years_meant_in_a_goal_table(goal, indicator):
    assert check(goal_table(goal, **indicator)) == []


def test_goal_table_sample_has_no_stray_years():
    assert reportgen.check(reportgen.load(SAMPLES / "liwan-2024-project-goals.json")) == []


# ---- names with blanks around them ------------------------------------------------------

def test_category_with_a_stray_blank_is_warned_and_printed_without_it(clean):
    from reportgen.compute.categories import group_by_level1
    from reportgen.sentences import indicators as ind

    for k in range(5):
        clean["indicators"][k]["level1"]["name"] = " 产出指标"
    report = reportgen.loads(dump_json(clean))
    groups = group_by_level1(report.indicators)
    assert ind.count_summary(groups) == "5个产出指标、3个效益指标和2个满意度指标"
    assert ind.sentence(report.indicators[0]).startswith("产出指标中的数量指标：")
    findings = reportgen.check(report)
    assert [f.path for f in findings] == [f"$.indicators[{k}].level1.name" for k in range(5)]
    assert all(f.severity == WARNING and "“ 产出指标”首尾有空格" in f.message for f in findings)


def test_category_spelled_two_ways_is_named_by_its_full_spelling(clean):
    from reportgen.compute.categories import group_by_level1

    clean["indicators"][8]["level1"]["name"] = "满意度"
    report = reportgen.loads(dump_json(clean))
    assert [g.name for g in group_by_level1(report.indicators)] == ["产出指标", "效益指标", "满意度指标"]
    assert reportgen.check(report) == []


@pytest.mark.parametrize("where, path", [
    (lambda d: d["projects"][0], "$.projects[0].name"),
    (lambda d: d["indicators"][2], "$.indicators[2].name"),
    (lambda d: d["indicators"][2]["level2"], "$.indicators[2].level2.name"),
    (lambda d: d["department"], "$.department.name"),
])
def test_names_with_blanks_around_them(clean, where, path):
    where(clean)["name"] += "\u3000"
    (message,) = at(check(clean), path, WARNING)
    assert "首尾有空格" in message


def test_names_with_blanks_in_a_goal_table():
    table = goal_table("完成任务。")
    table["department"] += " "
    table["units"][0]["projects"][0]["name"] = " 产业扶持资金"
    found = check(table)
    assert {f.path for f in found} == {"$.department", "$.units[0].projects[0].name"}


def test_check_of_a_workbook_names_the_cells_the_clerk_typed(tmp_path, capsys):
    workbook = tmp_path / "天河.xlsx"
    assert main(["export", str(SAMPLES / "tianhe-2023.json"), "-o", str(workbook)]) == 0
    capsys.readouterr()
    assert main(["check", str(workbook)]) == 1
    out = capsys.readouterr().out
    assert "错误 基本信息!B" in out and "（自评等级）：自评等级为“优”" in out
    assert "$." not in out  # every finding where it was typed, none as a JSON path
