"""reportgen adopt: what a report states of its own evaluation, and its furniture's tables.

The grade in the ways districts write it (绩效自评结果为“良好”, 评定为优秀, 属于优秀等级 …) and
none read from prose that only uses the words (优化, 良好的营商环境, 优秀企业); the total
score stated beside it (自评得分为95分), printed from the indicators when they are read;
names and years in a table inside a header. Each report is seed 001 (海珠) rebuilt as a
.docx by ../shared/tools/seed2docx.py, changed the way a clerk's file differs.
"""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import docx
import pytest

import reportgen
from reportgen import adopt
from reportgen.adopt.grading import read_grade
from reportgen.cli import main
from reportgen.loading.dumping import dumps
from support import adopt_into


def _restate(source: Path, path: Path, sentence: str) -> Path:
    """Seed 001 with its grade sentence (“…自评良好。”) written as ``sentence``."""
    document = docx.Document(source)
    stated = next(p for p in document.paragraphs if "自评良好" in p.text)
    stated.runs[0].text = stated.text.replace("自评良好。", sentence)
    for run in stated.runs[1:]:
        run.text = ""
    document.save(path)
    return path


# ---- the grade, in the ways districts state it ---------------------------------------------

@pytest.mark.parametrize("text, grade, word", [
    ("综上，本部门2023年度绩效自评结果为“良好”。", "良", "良好"),
    ("经自评，自评等级为：优秀。", "优", "优秀"),
    ("经自评，自评等级为优秀等次。", "优", "优秀"),
    ("经综合评定为优秀。", "优", "优秀"),
    ("本部门整体支出绩效属于优秀等级。", "优", "优秀"),
    ("评价结果为“优”。", "优", "优"),
    ("绩效评价结果：良好", "良", "良好"),
    ("自评结果为中等。", "中", "中等"),
    ("绩效自评等级为“良”等次。", "良", "良"),
])
def test_a_grade_is_read_the_ways_districts_state_it(text, grade, word):
    read = read_grade([(4, text)])
    assert read.grade == grade and not read.notes
    (index, start, end, tag), = read.spans
    assert (index, text[start:end]) == (4, word)
    assert tag == ("{{ grade }}" if len(word) == 1 else "{{ grade|grade_word }}")


@pytest.mark.parametrize("text", [
    "全面优化营商环境，提升服务质量。",
    "营造良好的营商环境。",
    "引进优秀企业15家，评定为优秀企业的有3家。",
    "多家企业属于优秀企业，等级为优秀企业。",
    "评价结果为中等收入群体带来实惠。",
    "各项工作进展良好，成效优秀。",
    "信用等级差异较大。",
])
def test_prose_that_only_uses_the_words_states_no_grade(text):
    read = read_grade([(4, text)])
    assert read.grade is None and read.spans == []
    assert "没有读到自评等级" in read.notes[0]


def test_a_grade_stated_in_quotes_is_read_into_the_data_and_printed_from_it(haizhu, tmp_path):
    source = _restate(haizhu, tmp_path / "quoted.docx", "绩效自评结果为“良好”。")
    summary, data = adopt_into(source, tmp_path)
    assert data["grade"] == "良"
    template = "".join(p.text for p in docx.Document(summary["template"]).paragraphs)
    assert "绩效自评结果为“{{ grade|grade_word }}”。" in template
    assert summary["verification"]["similarity"] == 1.0
    assert not [n for n in summary["notes"] if "自评等级" in n]


def test_a_report_whose_grade_is_not_read_says_so(haizhu, tmp_path, capsys):
    source = _restate(haizhu, tmp_path / "ungraded.docx", "绩效表现突出。")
    assert main(["adopt", str(source), "-o", str(tmp_path / "out")]) == 0
    printed = capsys.readouterr().out
    assert "报告中没有读到自评等级" in printed and "grade" in printed and "Traceback" not in printed
    data = json.loads((tmp_path / "out" / "ungraded.json").read_text(encoding="utf-8"))
    assert "grade" not in data


# ---- the total score stated beside the grade -----------------------------------------------

def _scored(haizhu: Path, tmp_path: Path, name: str, sentence: str, table: bool = True) -> Path:
    """Seed 001 stating ``sentence`` as its grade sentence, with its table of indicators
    (总分 90 / 69.5 of the indicators' 90 points) when ``table``."""
    from test_adopt_faults import _with_table
    source = _with_table(haizhu, tmp_path / f"{name}.docx") if table else haizhu
    return _restate(source, tmp_path / f"{name}.docx", sentence)


def _stated_paragraph(summary: dict) -> str:
    return next(p.text for p in docx.Document(summary["template"]).paragraphs if "自评得分为" in p.text)


def test_a_stated_total_prints_the_total_the_indicators_give(haizhu, tmp_path, capsys):
    source = _scored(haizhu, tmp_path, "total", "自评得分为95分，自评良好。")
    summary, data = adopt_into(source, tmp_path)
    assert len(data["indicators"]) == 5 and data["grade"] == "良"
    computed = reportgen.api.context(reportgen.load(summary["data"]))["score"]["total"]
    assert computed != 95
    text = _stated_paragraph(summary)
    assert "自评得分为{{ score.total|number(2) }}分，自评{{ grade|grade_word }}。" in text
    notes = "\n".join(summary["notes"])
    number = reportgen.formatting.number(computed, 2, False)
    assert f"：报告写95分，指标计算为{number}分" in notes and "正文第" in notes
    assert [f["printed"] for f in summary["derived"] if f["field"] == "score.total"] == ["95分"]
    assert f"自评得分为{number}分" in adopt.document_text(reportgen.render_bytes(reportgen.load(summary["data"])))
    # next year: a changed actual changes the total printed beside it
    data["indicators"][1]["actual"] = {"text": "100%", "value": Decimal(100), "unit": "%"}
    changed = Path(summary["data"]).with_name("next.json")
    changed.write_text(dumps(data), encoding="utf-8")
    later = reportgen.api.context(reportgen.load(changed))["score"]["total"]
    assert later > computed
    printed = adopt.document_text(reportgen.render_bytes(reportgen.load(changed)))
    assert f"自评得分为{reportgen.formatting.number(later, 2, False)}分" in printed and "95分" not in printed


def test_a_stated_total_the_indicators_give_prints_as_the_report_printed_it(haizhu, tmp_path):
    first, _ = adopt_into(_scored(haizhu, tmp_path, "probe", "自评得分为95分，自评良好。"), tmp_path / "probe")
    computed = reportgen.api.context(reportgen.load(first["data"]))["score"]["total"]
    one_place = reportgen.formatting.number(computed, 1, False)
    summary, _ = adopt_into(_scored(haizhu, tmp_path, "agrees", f"自评得分为{one_place}分，自评良好。"), tmp_path)
    assert "自评得分为{{ score.total|number(1) }}分" in _stated_paragraph(summary)
    assert not [n for n in summary["notes"] if "报告写" in n]
    assert summary["verification"]["similarity"] == 1.0


def test_a_stated_total_without_indicators_stays_text_and_is_listed(haizhu, tmp_path, capsys):
    source = _scored(haizhu, tmp_path, "untabled", "自评得分为95分，自评良好。", table=False)
    assert main(["adopt", str(source), "-o", str(tmp_path / "out")]) == 0
    printed = capsys.readouterr().out
    kept = printed[printed.index("五、作为文字保留的数字"):]
    assert "95分" in kept and "报告写的自评总分" in kept and "没有读入绩效指标" in kept
    template = next(p.text for p in docx.Document(tmp_path / "out" / "untabled-模板.docx").paragraphs
                    if "自评得分为" in p.text)
    assert "自评得分为95分" in template and "一致度 1.0000" in printed


# ---- a table inside a header or footer -------------------------------------------------------

def test_names_and_years_in_a_header_table_and_a_footer_table_follow_the_data(haizhu, tmp_path):
    document = docx.Document(haizhu)
    section = document.sections[0]
    section.header.paragraphs[0].text = "广州市海珠区投资促进局２０２３年度"
    header = section.header.add_table(1, 2, section.page_width)
    header.cell(0, 0).text, header.cell(0, 1).text = "编制单位：广州市海珠区投资促进局", "２０２３年度"
    footer = section.footer.add_table(1, 2, section.page_width)
    footer.cell(0, 0).text, footer.cell(0, 1).text = "广州市海珠区", "2022年度决算、2023年度自评"
    source = tmp_path / "tabled-furniture.docx"
    document.save(source)
    summary, data = adopt_into(source, tmp_path)
    assert summary["verification"]["similarity"] == 1.0
    assert summary["verification"]["template_problems"] == 0, summary["verification"]["problems"]
    template = docx.Document(summary["template"]).sections[0]
    assert [c.text for c in template.header.tables[0].rows[0].cells] == \
        ["编制单位：{{ department.full_name }}", "{{ year }}年度"]
    assert [c.text for c in template.footer.tables[0].rows[0].cells] == \
        ["{{ department.region }}", "{{ year - 1 }}年度决算、{{ year }}年度自评"]
    assert any("全角" in n for n in summary["notes"])
    data["year"] += 1
    changed = Path(summary["data"]).with_name("next.json")
    changed.write_text(dumps(data), encoding="utf-8")
    out = docx.Document(reportgen.render(reportgen.load(changed), tmp_path / "next.docx")).sections[0]
    assert [c.text for c in out.header.tables[0].rows[0].cells] == ["编制单位：广州市海珠区投资促进局", "2024年度"]
    assert out.footer.tables[0].rows[0].cells[1].text == "2023年度决算、2024年度自评"
