"""The 自评表: 项目支出绩效自评表 (national layout) and 部门整体支出绩效自评表.

Figures computed, never typed; the department table says what the report says;
the rendered tables have real vertical merges, a repeated header and unsplittable
rows; the shipped templates rebuild to the same bytes.
"""
from __future__ import annotations

import importlib.util
import io
import subprocess
import sys
import zipfile
from decimal import Decimal
from xml.etree import ElementTree as ET

import pytest

import reportgen
from reportgen import api
from reportgen.errors import ReportgenError, TemplateError

from support import ROOT, SAMPLES, W, docx_text, sample_data

TIANCHANG = SAMPLES / "tianchang-2022-project-self-evaluation.json"
CLEAN = "clean-2023.json"


def loads(data: dict):
    from support import dump_json
    return reportgen.loads(dump_json(data))


def table_of(model, k: int = 0) -> dict:
    return api.contexts(model, "project-tables")[k][1]


def rendered_xml(data: bytes) -> ET.Element:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return ET.fromstring(z.read("word/document.xml"))


# ---- figures ---------------------------------------------------------------------------


def test_changing_a_project_s_executed_changes_its_rate_execution_score_and_total(tmp_path):
    data = sample_data(CLEAN)
    before = table_of(loads(data))
    data["projects"][0]["executed"] = Decimal("900.00")  # of 1200: 75%
    after = table_of(loads(data))
    assert (before["funds"]["total"]["rate"], after["funds"]["total"]["rate"]) == ("98.35%", "75%")
    assert (before["funds"]["total"]["score"], after["funds"]["total"]["score"]) == ("9.84", "7.5")
    assert before["total"] != after["total"]
    # …and the printed table says so
    model = loads(data)
    path = api.render(model, tmp_path / "out", document="project-tables")[0]
    text = docx_text(path)
    assert "900" in text and "75%" in text and "7.5" in text and after["total"] in text


def test_totals_are_the_sum_of_the_sources_never_typed():
    model = reportgen.load(SAMPLES / CLEAN)
    table = table_of(model, 1)  # 企业扶持资金: 本年财政拨款 + 上年结转资金, no amount of its own
    total = table["funds"]["total"]
    assert (total["initial_budget"], total["budget"], total["executed"]) == ("1,300", "1,500", "1,452.30")
    assert total["rate"] == "96.82%"
    assert [s["name"] for s in table["funds"]["sources"]] == ["本年财政拨款", "上年结转资金", "其他资金"]
    assert table["funds"]["sources"][2]["executed"] == ""  # a source without amounts: a blank row


def test_execution_score_is_capped_at_its_weight():
    data = sample_data(CLEAN)
    data["projects"][0]["executed"] = Decimal("1300.00")  # of 1200
    total = table_of(loads(data))["funds"]["total"]
    assert (total["rate"], total["score"]) == ("108.33%", "10")


def test_indicator_scores_subtotals_and_total_follow_the_rules():
    model = reportgen.load(SAMPLES / CLEAN)
    table = table_of(model, 2)  # 会展服务采购经费: 2 of =3场, a 27-point band, 75.52% executed
    rows = {i["name"]: i for g in table["indicators"]["groups"] for s in g["subgroups"] for i in s["indicators"]}
    assert rows["保障展会场次"]["score"] == "20"  # 30 × 2/3
    assert rows["展会社会影响"]["score"] == "27"
    groups = {g["name"]: g["score"] for g in table["indicators"]["groups"]}
    assert groups == {"产出指标": "40", "效益指标": "27", "满意度指标": "10"}
    assert table["funds"]["total"]["score"] == "7.55"
    assert table["total"] == "84.55" and table["grade"] == "良"


def test_an_indicator_not_applicable_is_left_out_and_the_total_converted_to_100():
    data = sample_data(CLEAN)
    project = data["projects"][0]
    # 成本指标 (10 points) does not apply: 90 points remain, scored 90 of 90
    project["indicators"][3]["applicable"] = False
    table = table_of(loads(data))
    assert table["converted"] is True and table["total"] == "99.82"  # (9.8354 + 80) × 100 / 90
    row = table["indicators"]["groups"][0]["subgroups"][2]["indicators"][0]
    assert (row["name"], row["weight"], row["score"]) == ("单场推介活动平均成本", "", "")
    assert "适用部分分值合计90分" in table["weights_note"]


def test_a_not_applicable_indicator_with_no_weight_converts_nothing():
    table = reportgen.context(reportgen.load(TIANCHANG))
    assert table["converted"] is False and table["total"] == "100"
    assert "折算" not in table["weights_note"]


def test_old_data_loads_unchanged():
    model = reportgen.load(SAMPLES / "liwan-2023.json")
    assert all(p.funding == () for p in model.projects)
    assert all(i.applicable for i in model.indicators)
    assert all(p.executed is not None for p in model.projects)


# ---- the department table says what the report says ----------------------------------


@pytest.mark.parametrize("sample", ["clean-2023.json", "tianhe-2023.json", "liwan-2023.json",
                                    "haizhu-2023.json"])
def test_department_table_rate_total_and_grade_are_the_report_s(sample):
    from reportgen.formatting import number, percent
    model = reportgen.load(SAMPLES / sample)
    report = reportgen.context(model)
    (_, table), = api.contexts(model, "department-table")
    assert table["budget"]["rate"] == percent(report["budget"]["execution_rate"])
    if report["score"] is not None:
        assert table["total"] == number(report["score"]["total"], 2)
    assert table["grade"] == (report["grade"] or table["grade"])
    assert table["grade_word"] == (report["grade_word"] or table["grade_word"])


def test_department_table_renders_the_report_s_figures(tmp_path):
    model = reportgen.load(SAMPLES / CLEAN)
    path = reportgen.render(model, tmp_path / "dt.docx", document="department-table")
    text = docx_text(path)
    report = reportgen.context(model)
    assert "部门整体支出绩效自评表" in text and "95.41%" in text
    assert str(report["score"]["total"]) in text and "优秀" in text


# ---- the rendered document -------------------------------------------------------------


def _indicator_table(root: ET.Element) -> ET.Element:
    return next(t for t in root.iter(W + "tbl") if "一级指标" in "".join(x.text or "" for x in t.iter(W + "t")))


def _column(table: ET.Element, k: int) -> list[tuple[str | None, str]]:
    """(vMerge value or None, text) of grid column ``k`` in each body row."""
    out = []
    for tr in table.findall(W + "tr")[2:]:
        pos = 0
        for tc in tr.findall(W + "tc"):
            span = tc.find(f"{W}tcPr/{W}gridSpan")
            if pos == k:
                vm = tc.find(f"{W}tcPr/{W}vMerge")
                value = None if vm is None else vm.get(W + "val", "continue")
                out.append((value, "".join(t.text or "" for t in tc.iter(W + "t"))))
                break
            pos += int(span.get(W + "val")) if span is not None else 1
    return out


def test_level1_and_level2_cells_are_merged_vertically_with_w_vmerge():
    root = rendered_xml(api.render_bytes(reportgen.load(TIANCHANG)))
    table = _indicator_table(root)
    level1 = _column(table, 0)[:10]  # 10 indicator rows, then 总分
    assert [v for v, _ in level1] == ["restart"] + ["continue"] * 4 + ["restart"] + ["continue"] * 3 + ["restart"]
    assert [t for _, t in level1 if t] == ["产出指标（50分）", "效益指标（30分）", "满意度指标（10分）"]
    level2 = _column(table, 1)[:10]
    # 数量指标 over its two rows; each other 二级 has one row and restarts its own merge
    assert [v for v, _ in level2] == ["restart", "continue"] + ["restart"] * 8
    assert [t for _, t in level2][:3] == ["数量指标", "", "质量指标"]


def test_header_repeats_rows_never_split_and_table_text_has_its_own_spacing():
    data = api.render_bytes(reportgen.load(TIANCHANG))
    root = rendered_xml(data)
    table = _indicator_table(root)
    rows = table.findall(W + "tr")
    assert [r.find(f"{W}trPr/{W}tblHeader") is not None for r in rows[:3]] == [True, True, False]
    assert all(r.find(f"{W}trPr/{W}cantSplit") is not None for r in rows)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        styles = ET.fromstring(z.read("word/styles.xml"))
    for style in styles.findall(W + "style"):
        if style.find(W + "name").get(W + "val") in ("表格文字", "表格居中", "表格栏目"):
            spacing = style.find(f"{W}pPr/{W}spacing")
            assert (spacing.get(W + "line"), spacing.get(W + "lineRule")) == ("280", "exact")  # 14 pt, not 28.95
            assert style.find(f"{W}rPr/{W}sz").get(W + "val") == "21"  # 五号


def test_the_tianchang_sample_reproduces_seed_005(tmp_path):
    out = tmp_path / "tc.docx"
    subprocess.run([sys.executable, "-m", "reportgen", str(TIANCHANG), "-o", str(out)], check=True,
                   capture_output=True)
    seedsim = ROOT.parent / "shared" / "tools" / "seedsim.py"
    seed = ROOT.parent / "shared" / "seeds" / "005_tianchang-2022-project-self-evaluation.txt"
    if not seedsim.exists():
        pytest.skip("no shared seeds here")
    score = subprocess.run([sys.executable, str(seedsim), str(out), str(seed)], check=True,
                           capture_output=True, text=True).stdout
    assert float(score) >= 0.90


def test_the_sichuan_layout_renders_the_same_data_with_its_own_columns():
    data = sample_data(TIANCHANG.name)
    data["project"]["funding"] = [{"source": "财政资金", "budget": 880, "executed": 880},
                                  {"source": "财政专户管理资金"}, {"source": "单位资金"}, {"source": "其他资金"}]
    text = docx_text_of(api.render_bytes(loads(data), "sichuan"))
    for words in ("指标性质", "度量单位", "权重", "未完成原因分析", "财政专户管理资金", "单位资金", "≥", "合计"):
        assert words in text
    assert "指标1：" not in text  # the Sichuan form names the indicator alone


def docx_text_of(data: bytes) -> str:
    return "".join(t.text or "" for t in rendered_xml(data).iter(W + "t"))


# ---- many files, the command line ---------------------------------------------------------


def test_project_tables_writes_one_docx_per_project_in_data_order(tmp_path):
    model = reportgen.load(SAMPLES / CLEAN)
    paths = reportgen.render(model, tmp_path / "tables", document="project-tables")
    assert [p.name for p in paths] == ["01-招商推介活动经费.docx", "02-企业扶持资金.docx", "03-会展服务采购经费.docx"]
    assert "企业扶持资金" in docx_text(paths[1])
    with pytest.raises(ReportgenError, match="文件夹"):
        reportgen.render(model, tmp_path / "x.docx", document="project-tables")
    with pytest.raises(ReportgenError, match="render"):
        api.render_bytes(model, document="project-tables")


def test_file_names_are_safe():
    assert api.file_name(12, ' a/b\\c:*?"<>|. ') == "12-a_b_c_______.docx"


def test_unknown_document_is_named_with_the_ones_there_are():
    model = reportgen.load(SAMPLES / CLEAN)
    with pytest.raises(TemplateError, match="department-table、project-tables"):
        api.contexts(model, "department-tabel")
    with pytest.raises(TemplateError, match="无"):
        api.contexts(reportgen.load(TIANCHANG), "project-tables")
    assert api.documents(model) == ["department-table", "project-tables"]


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "reportgen", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd)


def test_command_line_renders_report_department_table_and_project_tables(tmp_path):
    data = SAMPLES / CLEAN
    assert run(data, cwd=tmp_path).returncode == 0
    result = run(data, "--document", "department-table", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "clean-2023-department-table.docx").is_file()
    result = run(data, "--document", "project-tables", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert len(list((tmp_path / "clean-2023-project-tables").glob("*.docx"))) == 3
    bad = run(data, "--document", "project-tables", "-o", tmp_path / "one.docx")
    assert bad.returncode == 2 and "文件夹" in bad.stderr and "Traceback" not in bad.stderr
    bad = run(data, "--document", "nothing")
    assert bad.returncode == 2 and "可选" in bad.stderr and "Traceback" not in bad.stderr


# ---- check ----------------------------------------------------------------------------------


def _messages(model) -> list[str]:
    return [p.describe() for p in reportgen.check(model)]


def test_check_finds_what_the_tables_would_print_wrongly_or_leave_unexplained():
    data = sample_data(TIANCHANG.name)
    project = data["project"]
    project["funding"][0]["executed"] = 700  # 本年财政拨款: 79.55%
    quantity = project["indicators"][0]
    quantity.update(target="≥4", actual="3")  # 7.5 of 10, not met, no reason
    project["indicators"][1].update(band="达成", score=Decimal(9), target="长期", actual="长期")  # 9 of 10
    del project["indicators"][2]["band"]  # qualitative, no band
    project["indicators"][9]["actual"] = "100分"  # unit differs from "90%"
    data["settings"] = {"weights": {"execution": 10, "categories": {"产出指标": 50, "效益指标": 30,
                                                                    "满意度指标": 20}}}
    found = "\n".join(_messages(loads(data)))
    assert "$.settings.weights: 预算执行率和各一级指标的分值合计110分，应为100分" in found
    assert "$.project.explanation" in found and "79.55%低于90%" in found
    assert "$.project.indicators[0].deviation_reason" in found
    assert "$.project.indicators[1].deviation_reason: 指标“完成农业综合水价改革项目”得分9分低于分值10分" in found
    assert "$.project.indicators[2].band" in found
    assert "$.project.indicators[9].actual" in found and "单位不一致" in found


def test_a_score_above_its_points_is_never_said_to_be_below_them():
    data = sample_data(TIANCHANG.name)
    data["project"]["indicators"][2]["score"] = 15  # qualitative, of 10 points
    found = "\n".join(_messages(loads(data)))
    assert "$.project.indicators[2].score: 指标“工程质量合格”得分15分超过其分值10分" in found
    assert "低于" not in found and "indicators[2].deviation_reason" not in found  # no reason explains it


def test_check_of_a_report_checks_its_projects_tables_and_funding():
    data = sample_data(CLEAN)
    data["projects"][1]["executed"] = Decimal("1400.00")  # its sources say 1452.30
    data["projects"][0]["indicators"][0]["weight"] = 25  # 产出 now 55 of 50
    del data["projects"][2]["executed"]
    found = "\n".join(_messages(loads(data)))
    assert "$.projects[1].executed" in found and "与各资金来源之和1,452.30万元不符" in found
    assert "$.projects[0].indicators[0].weight" in found
    assert "$.projects[2].executed: 项目“会展服务采购经费”没有填写实际支出" in found


def test_the_samples_check_clean():
    for sample in (TIANCHANG, SAMPLES / CLEAN):
        assert reportgen.check(reportgen.load(sample)) == []


# ---- the shipped templates --------------------------------------------------------------


def test_shipped_table_templates_rebuild_to_the_same_bytes(tmp_path):
    spec = importlib.util.spec_from_file_location("build_evaluation_templates",
                                                  ROOT / "tools" / "build_evaluation_templates.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    for folder, name, function in (("project-self-evaluation", "national.docx", build.build_project_table),
                                   ("department-table", "default.docx", build.build_department_table)):
        target = tmp_path / name
        function(target)
        assert target.read_bytes() == (ROOT / "templates" / folder / name).read_bytes(), (
            f"templates/{folder}/{name} 已过期：请运行 python tools/build_evaluation_templates.py")


@pytest.mark.parametrize("template", ["project-self-evaluation/national.docx", "project-self-evaluation/sichuan.docx",
                                      "department-table/default.docx"])
def test_shipped_table_templates_pass_template_check(template):
    from reportgen.template_check import check_template
    report = check_template(ROOT / "templates" / template)
    assert report.problems == [] and report.kind == template.split("/")[0]


def test_project_tables_of_a_report_without_projects_is_a_message(tmp_path):
    from support import write_json
    data = sample_data(CLEAN)
    data["projects"] = []
    source = write_json(tmp_path / "none.json", data)
    result = run(source, "--document", "project-tables", "-o", tmp_path / "t", cwd=tmp_path)
    assert result.returncode == 2 and "projects 为空" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "t").exists()


def test_a_report_s_project_given_by_source_has_its_amounts_summed_for_the_report_too():
    project = reportgen.context(reportgen.load(SAMPLES / CLEAN))["projects"][1]
    assert (project["budget"], project["executed"]) == (Decimal("1500.00"), Decimal("1452.30"))
    assert "全年预算1,500万元，实际支出1,452.30万元" in project["sentence"]
