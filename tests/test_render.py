"""Rendered documents: the text that depends on the data, and the GB/T 9704 layout."""
import zipfile
from decimal import Decimal

import pytest
from docx import Document

import reportgen
from reportgen.kinds import shipped

from support import SAMPLES, docx_text, paragraphs, write_json

W_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    out = tmp_path_factory.mktemp("render")
    return {name: reportgen.render(reportgen.load(SAMPLES / f"{name}-2023.json"), out / f"{name}.docx")
            for name in ("liwan", "haizhu", "tianhe")}


def test_liwan_sentences(rendered):
    text = docx_text(rendered["liwan"])
    assert "全年预算数12045.86万元，执行数11787.03万元，完成预算的97.85%。" in text
    assert "一般公共预算财政拨款支出11787.03万元，政府性基金预算财政拨款支出0万元" in text
    assert "如商务投促局办公室维修维护经费，项目预算资金10万元，实际支出0万元。" in text


def test_haizhu_sentences_with_grouping(rendered):
    text = docx_text(rendered["haizhu"])
    assert "全年预算数36,628.61万元，执行数36,628.61万元，支出进度100%。" in text
    assert "共涉及资金36,628.61万元，占一般公共预算项目支出总额的100%。" in text
    assert "执行率95%。" in text and "自评良好" in text


def test_tianhe_sentences(rendered):
    text = docx_text(rendered["tianhe"])
    assert "年度决算数为28,404.48万元，预算执行率为98.5%。" in text
    assert "预算支出金额21,084.04万元，预算支出率为99.46%。" in text
    assert "包括11个产出指标和8个效益指标" in text
    assert paragraphs(rendered["tianhe"])[0] == "附件2"


def test_changing_executed_changes_every_dependent_sentence(liwan, tmp_path):
    liwan["budget"]["expenditure"]["general_public_budget"] = Decimal("11000.00")
    report = reportgen.load(write_json(tmp_path / "liwan.json", liwan))
    text = docx_text(reportgen.render(report, tmp_path / "liwan.docx"))
    assert "执行数11000万元，完成预算的91.32%。" in text  # 11000 / 12045.86
    assert "一般公共预算财政拨款支出11000万元" in text
    assert "11787.03" not in text and "97.85" not in text


@pytest.mark.parametrize("name", ["liwan", "haizhu", "tianhe"])
def test_gbt9704_page(rendered, name):
    section = Document(rendered[name]).sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin,
                                  section.left_margin, section.right_margin)] == [37, 35, 28, 26]


def test_fonts_set_for_east_asian_text(rendered):
    doc = Document(rendered["liwan"])
    fonts = {}
    for name in ("公文标题", "一级标题", "二级标题", "公文正文"):
        rfonts = doc.styles[name].element.rPr.find(W_NS + "rFonts")
        fonts[name] = rfonts.get(W_NS + "eastAsia")
        assert doc.styles[name].font.size.pt == (22 if name == "公文标题" else 16)
    assert fonts == {"公文标题": "方正小标宋简体", "一级标题": "黑体",
                     "二级标题": "楷体_GB2312", "公文正文": "仿宋_GB2312"}


def test_page_numbers_alternate_sides(rendered):
    doc = Document(rendered["liwan"])
    assert doc.settings.odd_and_even_pages_header_footer
    section = doc.sections[0]
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    assert odd.text.startswith("— ") and odd.text.endswith(" —")
    assert (odd.alignment, even.alignment) == (2, 0)  # right on odd pages, left on even
    with zipfile.ZipFile(rendered["liwan"]) as z:
        footers = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("word/footer"))
    assert footers.count("PAGE") == 2


def test_every_shipped_template_renders_its_kind():
    assert {p.stem for p in shipped("self-evaluation")} >= {"guangzhou", "liwan", "tianhe"}


def test_data_text_comes_out_exactly(liwan, tmp_path):
    odd = "研发&销售<部> “引号” \"quotes\" 'apos' ，。；：、"
    liwan["department"]["name"] = odd
    liwan["work"]["tasks"][0]["outcome"] = "第一行\n第二行 & <b>不是标签</b>"
    report = reportgen.load(write_json(tmp_path / "x.json", liwan))
    path = reportgen.render(report, tmp_path / "x.docx")
    text = docx_text(path)
    assert "广州市荔湾区" + odd in text
    assert "第一行第二行 & <b>不是标签</b>" in text
    assert "第二行 & <b>不是标签</b>" in paragraphs(path)  # each line its own paragraph


def test_render_writes_only_docx_names(tmp_path):
    from reportgen.errors import ReportgenError
    report = reportgen.load(SAMPLES / "haizhu-2023.json")
    with pytest.raises(ReportgenError, match=r"\.docx 结尾"):
        reportgen.render(report, tmp_path / "x.pdf")
    assert list(tmp_path.iterdir()) == []
