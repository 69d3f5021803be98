"""项目支出绩效目标表: loading, sums, check, the rendered table and its landscape page."""
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document

import reportgen
from reportgen.cli import main
from reportgen.compute import goals
from reportgen.model import ProjectGoalTable
from reportgen.kinds import resolve_template as resolve

from support import SAMPLES, docx_text, sample_data, write_json

SAMPLE = "liwan-2024-project-goals.json"
W_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture
def data():
    return sample_data(SAMPLE)


@pytest.fixture(scope="module")
def sample_docx(tmp_path_factory):
    out = tmp_path_factory.mktemp("goals") / "goals.docx"
    return reportgen.render(reportgen.load(SAMPLES / SAMPLE), out)


def _load(data, tmp_path):
    return reportgen.load(write_json(tmp_path / "goals.json", data))


def _rows(path):
    """Text of every table row as a list of cell texts."""
    table = Document(path).tables[0]
    return [[cell.text for cell in row.cells] for row in table.rows]


def _row(rows, name):
    return next(r for r in rows if r[0] == name)


# ---- loading ----------------------------------------------------------------------------


def test_sample_loads_with_decimal_money_and_read_targets():
    table = reportgen.load(SAMPLES / SAMPLE)
    assert isinstance(table, ProjectGoalTable)
    assert (table.department, table.year, table.money_unit) == ("广州市荔湾区商务和投资促进局", 2024, "万元")
    assert [len(u.projects) for u in table.units] == [10, 1]
    project = table.units[0].projects[0]
    assert project.fiscal_appropriation == Decimal("116.00") and project.total is None
    first = project.indicators[0]
    assert (first.level1.code, first.level1.name, first.level2.code, first.level2.name) == \
        ("1", "产出指标", "11", "数量指标")
    target = first.target
    assert (target.text, target.comparator, target.value, target.unit) == \
        ("大于20家", ">", Decimal(20), "家")
    last = project.indicators[-1].target
    assert (last.text, last.comparator, last.value) == ("比较满意", None, None)


def test_template_is_chosen_by_kind():
    assert resolve(reportgen.load(SAMPLES / SAMPLE)).parts[-2:] == ("project-goals", "default.docx")


def test_cli_renders_the_table(tmp_path):
    out = tmp_path / "x.docx"
    assert main([str(SAMPLES / SAMPLE), "-o", str(out)]) == 0
    assert "项目支出绩效目标表（含转移支付项目）" in docx_text(out)


def test_negative_amount_is_a_data_error(data, tmp_path):
    data["units"][0]["projects"][1]["fiscal_appropriation"] = Decimal("-1")
    with pytest.raises(reportgen.DataError) as caught:
        _load(data, tmp_path)
    assert "$.units[0].projects[1].fiscal_appropriation: 金额不能为负数" in str(caught.value)


# ---- sums -------------------------------------------------------------------------------


def test_totals_are_sums_of_the_columns():
    table = reportgen.load(SAMPLES / SAMPLE)
    assert goals.table_amounts(table) == (Decimal("26322.00"), Decimal("26322.00"), None, None)
    assert [goals.unit_amounts(u).total for u in table.units] == [Decimal("26252.00"), Decimal("70.00")]
    assert goals.project_total(table.units[0].projects[4]) == Decimal("25250.00")


def test_a_project_may_give_only_its_total(data, tmp_path):
    project = data["units"][1]["projects"][0]
    del project["fiscal_appropriation"]
    project["total"] = Decimal("70.00")
    table = _load(data, tmp_path)
    assert goals.project_amounts(table.units[1].projects[0]) == (Decimal("70.00"), None, None, None)
    assert goals.table_amounts(table)[:2] == (Decimal("26322.00"), Decimal("26252.00"))


def test_columns_add_up_across_sources(data, tmp_path):
    project = data["units"][1]["projects"][0]
    project["special_account"] = Decimal("5.25")
    project["other_funds"] = Decimal("0.10")
    table = _load(data, tmp_path)
    assert goals.unit_amounts(table.units[1]) == (
        Decimal("75.35"), Decimal("70.00"), Decimal("5.25"), Decimal("0.10"))


# ---- check ------------------------------------------------------------------------------


def test_sample_has_no_findings():
    assert reportgen.check(reportgen.load(SAMPLES / SAMPLE)) == []


def test_stated_total_that_disagrees_is_an_error_not_a_crash(data, tmp_path):
    data["units"][0]["projects"][2]["total"] = Decimal("61.01")
    table = _load(data, tmp_path)
    [finding] = reportgen.check(table)
    assert (finding.severity, finding.path) == ("error", "$.units[0].projects[2].total")
    assert "总计61.01万元与各列之和61万元不符，相差0.01万元" in finding.message
    assert _row(_rows(reportgen.render(table, tmp_path / "x.docx")), "商务投促局工作经费")[1] == "61.00"


def test_check_finds_empty_units_and_missing_targets(data, tmp_path):
    data["units"].append({"name": "空单位", "projects": []})
    indicator = data["units"][0]["projects"][0]["indicators"][1]
    del indicator["target"]
    indicator["level2"]["code"] = "22"
    found = {(f.severity, f.path) for f in reportgen.check(_load(data, tmp_path))}
    assert found == {
        ("error", "$.units[2].projects"),
        ("error", "$.units[0].projects[0].indicators[1].target"),
        ("warning", "$.units[0].projects[0].indicators[1].level2.code"),
    }


def test_check_warns_when_the_year_asks_more_than_the_period(data, tmp_path):
    data["units"][0]["projects"][4]["indicators"][1]["target"] = "≥60"  # period ≥50
    [finding] = reportgen.check(_load(data, tmp_path))
    assert finding.path == "$.units[0].projects[4].indicators[1].target"
    assert finding.severity == "warning"


# ---- the rendered table -----------------------------------------------------------------


def test_rendered_rows(sample_docx):
    rows = _rows(sample_docx)
    assert rows[0] == ["项目名称\n（资金使用单位）", "总计", "财政拨款", "财政专户\n拨款", "其他资金",
                       "绩效目标", "绩效指标"]
    assert rows[1][:5] == ["合计", "26,322.00", "26,322.00", "", ""]
    assert rows[2][:3] == ["广州市荔湾区商务和投资促进局", "26,252.00", "26,252.00"]
    assert [r[0] for r in rows[3:]].index("广州市荔湾区招商中心") == 10
    assert len(rows) == 2 + 2 + 11
    indicators = _row(rows, "设备采购费用")[6]
    assert indicators == ("1、1-产出指标；11-数量指标；购置办公家具套数；实施周期指标值:≥10；年度指标值:≥10。"
                          "2、3-满意度指标；31-服务对象满意度；干部职工对办公设备保障情况的满意度；"
                          "实施周期指标值:≥90%；年度指标值:≥90%。")


def test_changing_one_appropriation_changes_total_subtotal_and_grand_total(data, tmp_path):
    data["units"][0]["projects"][2]["fiscal_appropriation"] = Decimal("71.25")  # was 61.00
    rows = _rows(reportgen.render(_load(data, tmp_path), tmp_path / "x.docx"))
    assert _row(rows, "商务投促局工作经费")[1:3] == ["71.25", "71.25"]
    assert _row(rows, "广州市荔湾区商务和投资促进局")[1:3] == ["26,262.25", "26,262.25"]
    assert _row(rows, "合计")[1:3] == ["26,332.25", "26,332.25"]
    assert _row(rows, "广州市荔湾区招商中心")[1] == "70.00"


def test_data_text_is_escaped_not_markup(data, tmp_path):
    data["units"][0]["projects"][0]["name"] = "研发&销售<部>"
    rows = _rows(reportgen.render(_load(data, tmp_path), tmp_path / "x.docx"))
    assert rows[3][0] == "研发&销售<部>"


def test_header_repeats_and_rows_do_not_split(sample_docx):
    rows = Document(sample_docx).tables[0]._tbl.tr_lst
    assert rows[0].trPr.find(W_NS + "tblHeader") is not None
    assert all(r.trPr.find(W_NS + "tblHeader") is None for r in rows[1:])
    assert all(r.trPr.find(W_NS + "cantSplit") is not None for r in rows)
    unit_row = Document(sample_docx).tables[0].rows[2]  # 广州市荔湾区商务和投资促进局
    assert all(p.paragraph_format.keep_with_next for c in unit_row.cells for p in c.paragraphs)


def test_landscape_page_with_turned_margins(sample_docx):
    section = Document(sample_docx).sections[0]
    assert section.orientation == 1  # WD_ORIENT.LANDSCAPE
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (297, 210)
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin,
                                  section.left_margin, section.right_margin)] == [26, 28, 37, 35]


def test_table_fonts_are_east_asian(sample_docx):
    doc = Document(sample_docx)
    for name, font in (("表格文字", "仿宋_GB2312"), ("表格金额", "仿宋_GB2312"), ("表格栏目", "黑体")):
        rfonts = doc.styles[name].element.rPr.find(W_NS + "rFonts")
        assert rfonts.get(W_NS + "eastAsia") == font
        assert doc.styles[name].font.size.pt == 10.5


@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")),
                    reason="needs LibreOffice and poppler-utils")
def test_pdf_repeats_the_header_and_keeps_every_project(sample_docx, tmp_path):
    from reportgen import pdf as converter

    docx = Path(shutil.copy(sample_docx, tmp_path / "goals.docx"))
    assert converter.convert([docx]) == {docx: None}  # the shipped path: one run, font map
    pdf = tmp_path / "goals.pdf"
    pages = []
    for number in range(1, 50):
        run = subprocess.run(["pdftotext", "-f", str(number), "-l", str(number), str(pdf), "-"],
                             capture_output=True, text=True)
        if run.returncode:
            break
        pages.append("".join(run.stdout.split()))
    assert len(pages) > 1
    assert all("绩效指标" in page and "其他资金" in page for page in pages)
    text = "".join(pages)
    for project in ("产业扶持资金", "招商扶持资金", "日常招商工作经费"):
        assert project in text
    assert text.count("年度指标值") == 44  # every indicator, none cut off
