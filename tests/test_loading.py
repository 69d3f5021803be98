"""Loading: JSON → model with Decimal money, and clear Chinese errors with JSON paths."""
import json
from decimal import Decimal

import pytest

import reportgen
from reportgen.errors import DataError
from reportgen.model import SelfEvaluationReport

from support import SAMPLES, dump_json, write_json


def problems(text: str) -> list[str]:
    with pytest.raises(DataError) as info:
        reportgen.loads(text)
    return [str(p) for p in info.value.problems] or [info.value.summary]


def test_samples_load_as_decimal_models():
    for path in sorted(SAMPLES.glob("*-2023.json")):
        report = reportgen.load(path)
        assert isinstance(report, SelfEvaluationReport)
        assert isinstance(report.budget.annual_budget, Decimal)


def test_money_keeps_its_digits(liwan):
    report = reportgen.loads(dump_json(liwan))
    assert str(report.budget.annual_budget) == "12045.86"
    assert report.budget.expenditure.general_public_budget == Decimal("11787.03")


def test_negative_money_names_path_and_value(liwan):
    liwan["budget"]["carryover"] = Decimal("-17.21")
    assert problems(dump_json(liwan)) == ["$.budget.carryover: 金额不能为负数：-17.21"]


def test_wrong_type_names_path_and_value(liwan):
    liwan["year"] = "2023"
    liwan["department"]["functions"][2] = 3
    assert problems(dump_json(liwan)) == [
        '$.year: 应为整数，实际为文字："2023"',
        "$.department.functions[2]: 应为文字，实际为数字：3",
    ]


def test_unknown_key_suggests_nearest(liwan):
    liwan["budget"]["anual_budget"] = liwan["budget"].pop("annual_budget")
    found = problems(dump_json(liwan))
    assert '$.budget.anual_budget: 未知的键 “anual_budget”，是否应为 “annual_budget”？' in found
    assert "$.budget.annual_budget: 缺少必填字段" in found


def test_missing_field(liwan):
    del liwan["department"]["region"]
    assert problems(dump_json(liwan)) == ["$.department.region: 缺少必填字段"]


def test_malformed_json_gives_line_and_column():
    (message,) = problems('{"kind": "self-evaluation",\n "year": 2023,,}')
    assert "第2行" in message and "JSON" in message


def test_unknown_kind_suggests_nearest():
    (message,) = problems(json.dumps({"kind": "self-evalution"}))
    assert '是否应为 “self-evaluation”' in message


def test_numbers_never_pass_through_float(liwan):
    liwan["budget"]["annual_budget"] = Decimal("0.1")
    liwan["budget"]["expenditure"] = {"general_public_budget": Decimal("0.3")}
    report = reportgen.loads(dump_json(liwan))
    assert report.budget.annual_budget == Decimal("0.1")  # float would give 0.1000000000000000055…


def test_control_characters_refused(liwan):
    liwan["department"]["name"] = "商务\x0c局"
    (message,) = problems(dump_json(liwan))
    assert message.startswith("$.department.name: 含有Word文档无法保存的控制字符 U+000C")


def test_target_strings_are_read_into_structure():
    from reportgen.loading import read_measure
    assert read_measure("不少于1次") == (">=", Decimal(1), "次")
    assert read_measure("＞1000人") == (">", Decimal(1000), "人")
    assert read_measure("≤10") == ("<=", Decimal(10), "")
    assert read_measure("与上年持平") == (None, None, "")


@pytest.mark.parametrize("text, words", [
    ('{"kind": "self-evaluation",}', "可能多了逗号"),
    ('{"kind": "self-evaluation"，"year": 2023}', "缺少英文逗号"),
    ('{"kind" "self-evaluation"}', "缺少英文冒号"),
])
def test_json_mistakes_explained_in_chinese(text, words):
    (message,) = problems(text)
    assert words in message


def test_text_where_a_list_belongs_is_refused(liwan):
    liwan["department"]["functions"] = "负责全区商务工作"
    liwan["settings"] = {"allowed_years": "2022"}
    assert problems(dump_json(liwan)) == [
        '$.department.functions: 应为列表，实际为文字："负责全区商务工作"',
        '$.settings.allowed_years: 应为列表，实际为文字："2022"',
    ]


def test_text_where_an_object_belongs_is_refused(liwan):
    liwan["department"]["staffing"] = "只有文字"
    liwan["prose"] = ["a"]
    assert problems(dump_json(liwan)) == [
        '$.department.staffing: 应为对象，实际为文字："只有文字"',
        '$.prose: 应为对象，实际为列表：["a"]',
    ]


@pytest.mark.parametrize("path, value, message", [
    (("settings", "default_precision"), -3, "小数位数应在0到6之间：-3"),
    (("settings", "default_precision"), 100, "小数位数应在0到6之间：100"),
    (("settings", "low_execution_threshold"), 150, "百分比应在0到100之间：150"),
    (("scope",), {"first_level_projects": -1, "second_level_projects": 0, "amount": 1},
     "数量应在0到1000000000之间：-1"),
    (("budget", "annual_budget"), Decimal("1e30"), "金额超出可处理的范围：1E+30"),
])
def test_numbers_out_of_range_are_refused(liwan, path, value, message):
    target = liwan
    for step in path[:-1]:
        target = target.setdefault(step, {})
    target[path[-1]] = value
    (found,) = problems(dump_json(liwan))
    assert found.endswith(message), found


def test_settings_keys_and_choices_are_checked(liwan):
    liwan["settings"] = {"precision": {"executon_rate": 1}}
    liwan["work"]["tasks"][0]["in_conclusion"] = "outcom"
    found = problems(dump_json(liwan))
    assert any(f.startswith("$.settings.precision.executon_rate: 应为以下之一") for f in found), found
    assert any(f.startswith('$.work.tasks[0].in_conclusion: 应为以下之一："outcome"、"goal"、"none"')
               for f in found), found


@pytest.mark.parametrize("text", ['{"kind": []}', '{"kind": 3}', '[' * 100000 + ']' * 100000,
                                  '{"year": ' + "9" * 5000 + "}"])
def test_hostile_json_gets_a_message_not_a_traceback(text):
    assert problems(text)


def test_indicator_negative_weight_refused(liwan):
    liwan["indicators"] = [{"level1": {"name": "产出指标"}, "level2": {"name": "数量指标"},
                            "name": "n", "weight": -5}]
    assert problems(dump_json(liwan)) == ["$.indicators[0].weight: 分值不能为负数：-5"]


def test_template_path_in_data_is_made_absolute_beside_the_file(liwan, tmp_path):
    liwan["template"] = "ours.docx"
    report = reportgen.load(write_json(tmp_path / "x.json", liwan))
    assert report.template == str((tmp_path / "ours.docx").resolve())


def test_directory_is_not_a_data_file(tmp_path):
    with pytest.raises(DataError, match="是文件夹"):
        reportgen.load(tmp_path)


def test_truncated_json_is_explained():
    (message,) = problems('{"kind": "self-evaluation", "year": 2023')
    assert "提前结束，缺少结尾的 } 或 ]" in message


def test_nan_and_keys_written_twice_are_named_by_path_with_every_other_problem(liwan):
    # JSON allows both; a data file must not: each is named where it stands, nested
    # or not, and the file's other problems are listed in the same run.
    text = dump_json(liwan).replace('"annual_budget": 12045.86', '"annual_budget": NaN', 1)
    text = text.replace('"general_public_budget": 11787.03',
                        '"general_public_budget": 11787.03, "general_public_budget": 1', 1)
    text = text.replace('"year": 2023', '"year": 2023, "year": 2024, "atachment": "附件2"', 1)
    assert problems(text) == [
        "$.year: 同一对象里键 “year” 写了两次（2023 与 2024），后一个会覆盖前一个；请删去一个",
        "$.budget.annual_budget: 不能使用 NaN：金额和数值必须是有限的数字",
        "$.budget.expenditure.general_public_budget: 同一对象里键 “general_public_budget” 写了两次"
        "（11787.03 与 1），后一个会覆盖前一个；请删去一个",
        "$.atachment: 未知的键 “atachment”，是否应为 “attachment”？",
    ]


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_numbers_are_refused_with_their_path(constant):
    found = problems('{"kind": "self-evaluation", "year": %s}' % constant)
    assert f"$.year: 不能使用 {constant}：金额和数值必须是有限的数字" in found


@pytest.mark.parametrize("amount, words", [
    ("1e-30", "$.budget.annual_budget: 金额的小数位数过多（最多6位）：1E-30"),
    ("12045.860000000001", "$.budget.annual_budget: 金额的小数位数过多（最多6位）：12045.860000000001"),
])
def test_amounts_finer_than_a_fen_are_refused(liwan, amount, words):
    # A tiny budget made every rate absurd (an internal error); a float artefact is a slip.
    text = dump_json(liwan).replace('"annual_budget": 12045.86', f'"annual_budget": {amount}', 1)
    assert problems(text) == [words]


def test_negative_zero_is_zero(liwan):
    liwan["budget"]["carryover"] = Decimal("-0.00")
    report = reportgen.loads(dump_json(liwan))
    assert str(report.budget.carryover) == "0.00"
    assert "-0" not in reportgen.context(report)["sentences"]["budget_execution"]


def test_a_gbk_file_is_read_with_a_notice(tmp_path, liwan):
    path = tmp_path / "gbk.json"
    path.write_bytes(dump_json(liwan).encode("gb18030"))
    with pytest.warns(reportgen.DataNotice, match="已按GBK（GB18030）编码读取"):
        report = reportgen.load(path)
    assert report.department.name == liwan["department"]["name"]


def test_a_file_in_neither_encoding_is_refused(tmp_path):
    path = tmp_path / "x.json"
    path.write_bytes(b'{"kind": "' + bytes([0x81, 0x30, 0xff]) + b'"}')
    with pytest.raises(DataError, match="既不是UTF-8编码，也不是GBK"):
        reportgen.load(path)


def test_byte_order_mark_is_accepted_from_text_too(liwan):
    assert reportgen.loads("\ufeff" + dump_json(liwan)).year == 2023


@pytest.mark.parametrize("year", [0, -2023, 20233, 1999, 2101])
def test_a_year_no_budget_document_can_have_is_refused(liwan, year):
    liwan["year"] = year
    assert problems(dump_json(liwan)) == [f"$.year: 年度应在2000到2100之间：{year}"]


@pytest.mark.parametrize("blank", ["", "   ", "\u3000\u3000"])
def test_names_that_say_nothing_are_refused_with_their_paths(blank):
    data = json.loads((SAMPLES / "tianhe-2023.json").read_text(encoding="utf-8"), parse_float=Decimal)
    data["department"]["name"] = data["department"]["region"] = blank
    data["indicators"][2]["name"] = blank
    why = "名称不能为空" + ("（只有空格）" if blank else "")
    assert problems(dump_json(data)) == [f"$.department.region: {why}：{json.dumps(blank, ensure_ascii=False)}",
                                         f"$.department.name: {why}：{json.dumps(blank, ensure_ascii=False)}",
                                         f"$.indicators[2].name: {why}：{json.dumps(blank, ensure_ascii=False)}"]


def test_every_template_path_in_data_is_made_absolute_beside_the_file_and_a_shipped_name_kept(liwan, tmp_path):
    (tmp_path / "ours.dotx").write_bytes(b"")  # a file that exists is a path, whatever its ending
    for name, expected in (("ours.dotx", str((tmp_path / "ours.dotx").resolve())),
                           ("模板/ours.docm", str((tmp_path / "模板" / "ours.docm").resolve())),
                           ("guangzhou", "guangzhou")):
        liwan["template"] = name
        assert reportgen.load(write_json(tmp_path / "x.json", liwan)).template == expected
