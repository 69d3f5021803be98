"""reportgen adopt: a department's own report becomes its template and its data.

Fixtures are made at run time: the published seeds 000–002 rebuilt as .docx by
../shared/tools/seed2docx.py (a clerk's plain last-year file), and the .docx reportgen
renders from each sample through its shipped template (a richer file: styles, page
numbers in the footer, headings with outline levels).
"""
from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import docx
import pytest

import reportgen
from reportgen import adopt
from reportgen.cli import main
from reportgen.loading.dumping import dumps
from reportgen.formatting import money, percent
from reportgen.rounding import round_half_up
from support import SAMPLES, SHARED, sample_data

SEEDS = {"000": "liwan", "001": "haizhu", "002": "tianhe"}


def _seedsim():
    spec = importlib.util.spec_from_file_location("seedsim", SHARED / "tools" / "seedsim.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _seed(number: str) -> Path:
    return next((SHARED / "seeds").glob(f"{number}_*.txt"))


@pytest.fixture(scope="module")
def seed_docx(tmp_path_factory):
    """seed number → the seed rebuilt as a clerk's .docx."""
    folder = tmp_path_factory.mktemp("seeds")
    made = {}
    for number in SEEDS:
        out = folder / f"{SEEDS[number]}-{number}.docx"
        subprocess.run([sys.executable, str(SHARED / "tools" / "seed2docx.py"), str(_seed(number)), str(out)],
                       check=True)
        made[number] = out
    return made


@pytest.fixture(scope="module")
def adopted(seed_docx, tmp_path_factory):
    """seed number → (summary, data path) of the adopted seed."""
    out = {}
    for number, path in seed_docx.items():
        folder = tmp_path_factory.mktemp(f"adopted{number}")
        summary = adopt.write(adopt.adopt(path), path, folder)
        out[number] = (summary, Path(summary["data"]))
    return out


def _text(data: bytes) -> str:
    return adopt.document_text(data)


# ---- the seeds: adopt → render reproduces the published text --------------------------

@pytest.mark.parametrize("number", sorted(SEEDS))
def test_adopted_seed_renders_back_to_the_seed(adopted, number, tmp_path):
    summary, data_path = adopted[number]
    out = reportgen.render(reportgen.load(data_path), tmp_path / "out.docx")
    score = _seedsim().compare(out, _seed(number))
    assert score >= 0.98, score
    assert summary["verification"]["template_problems"] == 0, summary["verification"]["problems"]


@pytest.mark.parametrize("number", sorted(SEEDS))
def test_changing_the_spending_changes_every_printed_rate(adopted, number):
    summary, data_path = adopted[number]
    rates = [f for f in summary["derived"] if f["field"] == "budget.execution_rate"]
    assert rates, "the seed's 执行率 was not recognised as computed"
    data = json.loads(data_path.read_text(encoding="utf-8"), parse_float=Decimal)
    spending = data["budget"]["expenditure"]
    before = _text(reportgen.render_bytes(reportgen.load(data_path)))
    spending["general_public_budget"] = Decimal(spending["general_public_budget"]) - Decimal("1234.56")
    changed = data_path.with_name("changed.json")
    changed.write_text(dumps(data), encoding="utf-8")
    after = _text(reportgen.render_bytes(reportgen.load(changed)))
    executed = sum(Decimal(v) for v in spending.values())
    for rate in rates:
        places = int(rate["tag"].split("percent(")[1][0])
        old = rate["printed"]
        new = percent(round_half_up(executed / Decimal(data["budget"]["annual_budget"]) * 100, places))
        assert new != old
        assert after.count(new) >= len(rates)
        assert after.count(old) <= before.count(old) - len(rates)  # no rate kept its old value
    grouping = data.get("settings", {}).get("digit_grouping", True)
    assert money(executed, grouping) in after


def test_liwan_prints_one_quantity_two_ways(adopted):
    summary, data_path = adopted["000"]
    two = [t for t in summary["two_ways"] if "858.766亿元" in t["printed"]]
    assert two and two[0]["printed"] == ["858.766亿元", "858.77亿元"]
    data = json.loads(data_path.read_text(encoding="utf-8"), parse_float=Decimal)
    name = two[0]["field"].split("[")[-1].strip('"]') if "[" in two[0]["field"] else two[0]["field"][8:]
    assert data["figures"][name] == Decimal("858.766")
    assert "858.766亿元、858.77亿元 是同一个数" in adopt.summary.text(summary)
    # one value in the data: change it and both prints follow, each at its own precision
    data["figures"][name] = Decimal("900.004")
    changed = data_path.with_name("figure.json")
    changed.write_text(dumps(data), encoding="utf-8")
    after = _text(reportgen.render_bytes(reportgen.load(changed)))
    assert "900.004亿元" in after and "900.00亿元" in after and "858.7" not in after


def test_names_and_years_become_tags_and_other_numbers_stay_text(adopted):
    summary, data_path = adopted["000"]
    template = Path(summary["template"])
    text = "".join(p.text for p in docx.Document(template).paragraphs)
    assert "{{ department.full_name }}{{ year }}年部门" in text
    assert summary["names_and_years"]["{{ department.full_name }}"] == 1
    assert summary["names_and_years"]["{{ year }}"] == text.count("{{ year }}")
    assert "“荔湾跨年欢乐购—2022广州国际购物节荔湾分会场”" in text or "2022广州国际购物节" in \
        json.loads(data_path.read_text(encoding="utf-8"))["results"][0]["text"]
    reasons = {p["printed"]: p["reason"] for p in summary["plain"]}
    assert "只印出一次" in reasons["173.23万元"]


def test_check_finds_a_stray_year_in_adopted_data(seed_docx, tmp_path):
    document = docx.Document(seed_docx["000"])
    item = next(p for p in document.paragraphs if p.text.startswith("（11）"))
    item.runs[0].text = "（11）完成2019年区委、区政府和上级相关部门交办的其他任务。"
    for run in item.runs[1:]:
        run.text = ""
    source = tmp_path / "stray.docx"
    document.save(source)
    summary = adopt.write(adopt.adopt(source), source, tmp_path / "out")
    findings = reportgen.check(reportgen.load(summary["data"]))
    stray = [f for f in findings if "2019" in f.message]
    assert [str(f.where) for f in stray] == ["$.department.functions[10]"]


# ---- the round trip: what reportgen rendered comes back as the data that rendered it ---

#: per sample, the fields its shipped template prints as data (not composed sentences).
ROUND_TRIP = {
    "liwan-2023.json": ["year", "department", "budget", "projects", "measures", "work.tasks[0].title",
                        "work.tasks[1].title", "work.tasks[2].title", "work.tasks[2].outcome"],
    "haizhu-2023.json": ["year", "department", "budget.annual_budget", "budget.expenditure", "scope",
                         "projects", "problems", "measures", "work.overview", "performance_management"],
    "tianhe-2023.json": ["year", "attachment", "department", "budget.annual_budget", "budget.expenditure",
                         "budget.income", "special_funds[0].budget", "special_funds[0].executed", "work.tasks",
                         "performance_management", "problems", "measures"],
    "clean-2023.json": ["year", "department", "budget.annual_budget", "budget.expenditure",
                        "budget.basic_expenditure", "budget.project_expenditure", "budget.carryover",
                        "budget.prior_year_expenditure", "scope", "work.overview", "problems",
                        "results", "measures"] + [f"work.tasks[{k}].{f}" for k in range(3)
                                                  for f in ("title", "plan", "outcome")]
                       # what the report prints of its projects (a project given by source
                       # prints its totals, which come back as typed totals)
                       + [f"projects[{k}].{f}" for k in (0, 2) for f in ("name", "budget", "executed")]
                       + ["projects[1].name", "projects[2].explanation"],
}


def _at(data, path: str):
    for step in path.replace("]", "").replace("[", ".").split("."):
        data = data[int(step)] if step.isdigit() else data.get(step)
    return data


@pytest.mark.parametrize("sample", sorted(ROUND_TRIP))
def test_adopting_a_rendered_report_gives_back_its_data(sample, tmp_path):
    rendered = reportgen.render(reportgen.load(SAMPLES / sample), tmp_path / f"{Path(sample).stem}.docx")
    summary = adopt.write(adopt.adopt(rendered), rendered, tmp_path / "adopted")
    assert summary["verification"] == {"similarity": 1.0, "template_problems": 0, "problems": []}
    original = sample_data(sample)
    got = json.loads(Path(summary["data"]).read_text(encoding="utf-8"), parse_float=Decimal)
    for path in ROUND_TRIP[sample]:
        assert _at(got, path) == _at(original, path), path
    if sample == "liwan-2023.json":  # the one figure the sample names is found under its own name
        assert got["figures"]["协议达产值/年营收"] == original["figures"]["协议达产值/年营收"]
    if sample == "tianhe-2023.json":  # free blocks come back under the headings' names
        assert set(original["prose"].values()) <= set(got["prose"].values())


def test_the_template_keeps_the_reports_own_furniture(tmp_path):
    rendered = reportgen.render(reportgen.load(SAMPLES / "tianhe-2023.json"), tmp_path / "t.docx")
    adoption = adopt.adopt(rendered)
    with zipfile.ZipFile(rendered) as a, zipfile.ZipFile(__import__("io").BytesIO(adoption.template)) as b:
        for part in a.namelist():
            if part.startswith(("word/footer", "word/header", "word/styles")):
                assert a.read(part) == b.read(part), part


# ---- the command line ------------------------------------------------------------------

def test_command_prints_the_summary_as_json(seed_docx, tmp_path, capsys):
    assert main(["adopt", str(seed_docx["001"]), "-o", str(tmp_path), "--format", "json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["department"] == "广州市海珠区投资促进局" and summary["year"] == 2023
    fields = {f["field"] for f in summary["bound"]}
    assert {"budget.annual_budget", "scope.first_level_projects", "projects[0].initial_budget"} <= fields
    assert {f["field"] for f in summary["derived"]} >= {"budget.execution_rate", "scope.share",
                                                         "projects[0].execution_rate"}
    assert (tmp_path / "haizhu-001-模板.docx").exists() and (tmp_path / "haizhu-001.json").exists()


def _not_a_report(path: Path) -> Path:
    document = docx.Document()
    document.add_paragraph("会议通知")
    document.add_paragraph("请各单位于周五前报送材料。")
    document.save(path)
    return path


@pytest.mark.parametrize("make, words", [
    (lambda p: p.write_text("not a word file", encoding="utf-8"), "不是 Word 文档"),
    (lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512)), "旧版 Word"),
    (lambda p: p.write_bytes(b""), "空文件"),
    (lambda p: p.write_bytes(b"PK\x03\x04broken"), "已损坏"),
    (_not_a_report, "不像一份部门整体支出绩效自评报告"),
], ids=["text", "doc", "empty", "broken-zip", "not-a-report"])
def test_bad_input_is_refused_in_chinese(make, words, tmp_path, capsys):
    path = tmp_path / "report.docx"
    make(path)
    assert main(["adopt", str(path), "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_a_zip_that_is_not_a_word_document_is_refused(tmp_path, capsys):
    path = tmp_path / "report.docx"
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("content.xml", "<x/>")
    assert main(["adopt", str(path)]) == 2
    assert "不是 Word 文档" in capsys.readouterr().err


def test_a_package_whose_part_inflates_past_the_limit_is_refused_naming_the_file(tmp_path, capsys):
    path = tmp_path / "炸弹.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("word/document.xml", b" " * (17 * 2**20))
    assert main(["adopt", str(path), "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "报告 炸弹.docx" in err and "上限" in err and "Traceback" not in err


def test_a_file_of_another_format_is_named(tmp_path, capsys):
    path = tmp_path / "report.docx"
    path.write_bytes(b"{\\rtf1 ...}")
    assert main(["adopt", str(path)]) == 2
    err = capsys.readouterr().err
    assert "report.docx 是RTF 文档" in err and "另存为" in err


# ---- another province's outline, with heading styles, a table, header and footer ----------

def _other_outline(path: Path) -> Path:
    """A 2022 report laid out as no shipped template is: Word heading styles, 人员情况,
    a table, 存在问题 / 改进措施及建议, and a section the model has no field for."""
    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = "岳阳市云溪区农业农村局 信息公开"
    d.sections[0].footer.paragraphs[0].text = "第1页"
    d.add_paragraph("岳阳市云溪区农业农村局2022年度部门整体支出绩效自评报告")
    d.add_heading("一、部门基本情况", level=1)
    d.add_heading("（一）主要职能", level=2)
    d.add_paragraph("1.贯彻执行党和国家关于农业农村工作的方针政策。")
    d.add_paragraph("2.负责全区农业农村经济发展规划的拟订和实施。")
    d.add_heading("（二）人员情况", level=2)
    d.add_paragraph("我局编制25名，实有人员23名，退休人员9名。")
    d.add_heading("二、部门整体支出情况", level=1)
    d.add_paragraph("2022年全年预算数为3,210.50万元，执行数为3,105.20万元，预算执行率为96.72%。"
                    "其中基本支出1,205.20万元，项目支出1,900万元。较上年支出3,500万元下降11.28%。")
    table = d.add_table(rows=2, cols=3)
    for cell, text in zip(table.rows[0].cells + table.rows[1].cells,
                          ["项目", "预算数", "执行数", "合计", "3,210.50", "3,105.20"]):
        cell.text = text
    d.add_heading("三、存在问题", level=1)
    d.add_paragraph("一是预算编制不够精细；二是绩效目标设置不够科学。")
    d.add_heading("四、改进措施及建议", level=1)
    d.add_paragraph("一是细化预算编制。按项目逐项测算。二是完善绩效目标。引入可量化指标。")
    d.add_heading("五、其他需要说明的情况", level=1)
    d.add_paragraph("2021年度结转项目已于2022年6月完成。")
    d.save(path)
    return path


def test_another_outline_is_adopted_whole(tmp_path):
    source = _other_outline(tmp_path / "云溪2022.docx")
    summary = adopt.write(adopt.adopt(source), source, tmp_path / "out")
    assert summary["verification"] == {"similarity": 1.0, "template_problems": 0, "problems": []}
    data = json.loads(Path(summary["data"]).read_text(encoding="utf-8"), parse_float=Decimal)
    assert (data["year"], data["department"]["region"], data["department"]["name"]) == (2022, "岳阳市云溪区", "农业农村局")
    assert data["department"]["staffing"] == {"authorized": 25, "actual": 23, "retired": 9}
    assert data["department"]["functions"][1] == "负责全区农业农村经济发展规划的拟订和实施。"
    assert data["problems"] == ["一是预算编制不够精细；二是绩效目标设置不够科学。"]
    assert data["measures"] == [{"title": "细化预算编制", "text": "按项目逐项测算。"},
                                {"title": "完善绩效目标", "text": "引入可量化指标。"}]
    assert data["prose"] == {"其他需要说明的情况": "2021年度结转项目已于2022年6月完成。"}
    template = docx.Document(summary["template"])
    assert template.sections[0].header.paragraphs[0].text == "{{ department.full_name }} 信息公开"
    # a bare figure in a table is bound by its value, the headers telling 执行数 from its one source
    assert [template.tables[0].cell(1, c).text for c in range(3)] == [
        "合计", "{{ budget.annual_budget|money(true, 2) }}", "{{ budget.executed|money(true, 2) }}"]
    # the prose kept its own years, so check questions 2021 as it would in any data
    findings = reportgen.check(reportgen.load(summary["data"]))
    assert [str(f.where) for f in findings if "2021" in f.message] == ["$.prose"]


def test_a_field_printed_two_ways_binds_once_and_says_so():
    from reportgen.adopt.binding import bind
    found = bind([(1, "全年预算数36,628.61万元，执行数36628.61万元。"), (2, "全年预算数36628.6万元。")])
    assert found.two_ways == [("budget.annual_budget", ["36,628.61万元", "36628.6万元"])]
    assert [b.tag for b in found.bound if b.path == "budget.annual_budget"] == [
        "{{ budget.annual_budget|money(true, 2) }}", "{{ budget.annual_budget|money(false, 1) }}"]
    assert found.values["budget.annual_budget"] == Decimal("36628.61")


def test_a_figure_that_contradicts_the_first_stays_text():
    from reportgen.adopt.binding import bind
    found = bind([(1, "全年预算数100万元，执行数90万元，执行率为91%。"), (2, "全年预算数120万元。")])
    assert [(p.printed.digits, p.reason[:6]) for p in found.plain] == [("120", "与前面印出的"), ("91", "按数据算出的")]


def test_a_drop_on_last_year_is_computed_and_its_word_follows_the_sign(tmp_path):
    source = _other_outline(tmp_path / "云溪2022.docx")
    summary = adopt.write(adopt.adopt(source), source, tmp_path / "out")
    assert [f["printed"] for f in summary["derived"] if f["field"] == "budget.yoy_change"] == ["11.28%"]
    data = json.loads(Path(summary["data"]).read_text(encoding="utf-8"), parse_float=Decimal)
    assert data["budget"]["prior_year_expenditure"] == Decimal("3500")
    data["budget"]["prior_year_expenditure"] = Decimal("3000")
    changed = Path(summary["data"]).with_name("rise.json")
    changed.write_text(dumps(data), encoding="utf-8")
    text = _text(reportgen.render_bytes(reportgen.load(changed)))
    assert "较上年支出3,000万元增长3.51%。" in text and "下降" not in text


def test_a_preface_before_the_first_heading_is_kept_as_a_free_block(seed_docx, tmp_path):
    document = docx.Document(seed_docx["001"])
    document.paragraphs[2].insert_paragraph_before("根据区财政局的要求，现将有关情况报告如下：")
    source = tmp_path / "preface.docx"
    document.save(source)
    summary = adopt.write(adopt.adopt(source), source, tmp_path / "out")
    assert summary["department"] == "广州市海珠区投资促进局"
    assert summary["sections"][0]["went"] == {"数据 prose.前言": 1}
    assert summary["verification"]["similarity"] == 1.0
    data = json.loads(Path(summary["data"]).read_text(encoding="utf-8"))
    assert data["prose"] == {"前言": "根据区财政局的要求，现将有关情况报告如下："}


def test_a_table_follows_the_data(tmp_path):
    source = _other_outline(tmp_path / "云溪2022.docx")
    summary = adopt.write(adopt.adopt(source), source, tmp_path / "out")
    assert {(f["place"], f["field"]) for f in summary["bound"] + summary["derived"] if f["place"].startswith("表")} == {
        ("表1第2行第2列", "budget.annual_budget"), ("表1第2行第3列", "budget.executed")}
    data = json.loads(Path(summary["data"]).read_text(encoding="utf-8"), parse_float=Decimal)
    data["budget"]["expenditure"]["general_public_budget"] = Decimal("3000")
    changed = Path(summary["data"]).with_name("changed.json")
    changed.write_text(dumps(data), encoding="utf-8")
    out = docx.Document(reportgen.render(reportgen.load(changed), tmp_path / "out.docx"))
    assert out.tables[0].cell(1, 2).text == "3,000"
    assert "执行数为3,000万元，预算执行率为93.44%" in "".join(p.text for p in out.paragraphs)


def test_jinja_delimiters_in_the_report_stay_text(seed_docx, tmp_path):
    document = docx.Document(seed_docx["001"])
    heading = next(p for p in document.paragraphs if p.text.startswith("（三）部门整体收支情况"))
    heading.runs[0].text = "（三）部门整体收支情况{{ year }}{% if x %}{#"
    source = tmp_path / "braces.docx"
    document.save(source)
    summary = adopt.write(adopt.adopt(source), source, tmp_path / "out")
    assert summary["verification"] == {"similarity": 1.0, "template_problems": 0, "problems": []}


def test_adoption_keeps_no_state_between_threads(seed_docx):
    from concurrent.futures import ThreadPoolExecutor

    alone = {n: adopt.adopt(path) for n, path in seed_docx.items()}
    with ThreadPoolExecutor(6) as pool:
        together = list(pool.map(lambda n: (n, adopt.adopt(seed_docx[n])), list(seed_docx) * 2))
    for n, adoption in together:
        assert adoption.data == alone[n].data and adoption.summary == alone[n].summary


def test_a_file_over_the_size_limit_is_refused(seed_docx, monkeypatch, capsys):
    monkeypatch.setattr("reportgen.adopt.source.MAX_FILE", 1000)
    assert main(["adopt", str(seed_docx["000"])]) == 2
    assert "上限" in capsys.readouterr().err


def test_braces_in_tables_headers_and_footers_stay_text(tmp_path):
    source = _other_outline(tmp_path / "云溪2022.docx")
    document = docx.Document(source)
    document.sections[0].footer.paragraphs[0].text = "第{{ page }}页"
    document.tables[0].cell(0, 0).text = "项目{%"
    document.save(source)
    summary = adopt.write(adopt.adopt(source), source, tmp_path / "out")
    assert summary["verification"] == {"similarity": 1.0, "template_problems": 0, "problems": []}
    out = docx.Document(reportgen.render(reportgen.load(summary["data"]), tmp_path / "out.docx"))
    assert out.sections[0].footer.paragraphs[0].text == "第{{ page }}页"
    assert out.tables[0].cell(0, 0).text == "项目{%"


def test_adopt_never_replaces_what_a_clerk_edited_unasked(seed_docx, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["adopt", str(seed_docx["001"]), "-o", str(out)]) == 0
    data = out / f"{seed_docx['001'].stem}.json"
    data.write_text('{"edited": true}', encoding="utf-8")
    capsys.readouterr()
    assert main(["adopt", str(seed_docx["001"]), "-o", str(out)]) == 2
    assert "没有覆盖；确需覆盖请加 --force" in capsys.readouterr().err
    assert data.read_text(encoding="utf-8") == '{"edited": true}'
    assert main(["adopt", str(seed_docx["001"]), "-o", str(out), "--force"]) == 0
    assert '"edited"' not in data.read_text(encoding="utf-8")
    assert main(["adopt", str(seed_docx["001"]), "-o", str(data)]) == 2
    assert "-o 应为文件夹" in capsys.readouterr().err


def test_a_report_with_tracked_changes_is_refused_with_the_way_out(seed_docx, tmp_path, capsys):
    import docx
    from docx.oxml import OxmlElement
    document = docx.Document(seed_docx["001"])
    paragraph = document.paragraphs[5]._p
    inserted = OxmlElement("w:ins")
    inserted.set(docx.oxml.ns.qn("w:id"), "1")
    inserted.set(docx.oxml.ns.qn("w:author"), "审核人")
    paragraph.append(inserted)
    path = tmp_path / "修订中.docx"
    document.save(path)
    assert main(["adopt", str(path), "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "中有未处理的修订" in err and "接受所有修订" in err
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
