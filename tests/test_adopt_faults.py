"""reportgen adopt: what a clerk's report holds beyond its body text.

Headers and footers with the year and the department, the grade the prose states,
full-width digits, reviewers' comments and formatting revisions, a year written in
Chinese numerals (二〇二三年). Each report is seed 001 (海珠) rebuilt as a .docx by
../shared/tools/seed2docx.py, changed the way a clerk's file differs, or a sample
rendered by reportgen.
"""
from __future__ import annotations

import json
import zipfile
from decimal import Decimal
from pathlib import Path

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

import reportgen
from reportgen import adopt
from reportgen.cli import main
from reportgen.loading.dumping import dumps
from support import adopt_into


def _next_year(summary: dict, data: dict, tmp_path: Path) -> docx.Document:
    data["year"] = data["year"] + 1
    changed = Path(summary["data"]).with_name("next.json")
    changed.write_text(dumps(data), encoding="utf-8")
    return docx.Document(reportgen.render(reportgen.load(changed), tmp_path / "next.docx"))


def _page_field(paragraph) -> None:
    """A PAGE field as Word writes it: begin, instruction, separate, result, end."""
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        run = paragraph.add_run()
        if kind:
            mark = OxmlElement("w:fldChar")
            mark.set(qn("w:fldCharType"), kind)
            run._r.append(mark)
        elif text == " PAGE ":
            instruction = OxmlElement("w:instrText")
            instruction.text = text
            run._r.append(instruction)
        else:
            run.text = text


# ---- 1. headers and footers carry the year and the department ---------------------------

def test_the_year_and_the_name_in_headers_and_footers_follow_the_data(haizhu, tmp_path):
    document = docx.Document(haizhu)
    document.sections[0].header.paragraphs[0].text = "广州市海珠区投资促进局2023年度部门整体支出绩效自评报告"
    footer = document.sections[0].footer.paragraphs[0]
    footer.text = "2023年度 第"
    _page_field(footer)
    footer.add_run("页")
    source = tmp_path / "furniture.docx"
    document.save(source)
    summary, data = adopt_into(source, tmp_path)
    assert summary["verification"]["similarity"] == 1.0
    assert summary["verification"]["template_problems"] == 0, summary["verification"]["problems"]
    template = docx.Document(summary["template"])
    assert template.sections[0].header.paragraphs[0].text == \
        "{{ department.full_name }}{{ year }}年度部门整体支出绩效自评报告"
    out = _next_year(summary, data, tmp_path)
    assert out.sections[0].header.paragraphs[0].text == "广州市海珠区投资促进局2024年度部门整体支出绩效自评报告"
    footer = out.sections[0].footer.paragraphs[0]
    assert footer.text.startswith("2024年度 第") and footer.text.endswith("页")
    texts = [t.text for t in footer._p.iter(qn("w:t"))]
    assert texts[0] == "2024年度 第" and texts[-1] == "页"  # the page number stays between them
    assert footer._p.find(".//" + qn("w:instrText")).text == " PAGE "


# ---- 4. comments and revision records stay out of the template --------------------------

def test_comments_and_revision_records_are_not_carried_into_the_template(haizhu, tmp_path, capsys):
    document = docx.Document(haizhu)
    paragraph = next(p for p in document.paragraphs if "全年预算数" in p.text)
    document.add_comment(paragraph.runs, text="此数请与决算核对", author="审核人")
    document.add_comment(document.paragraphs[0].runs, text="标题字号？", author="审核人")
    run = document.paragraphs[3].runs[0]
    change = OxmlElement("w:rPrChange")
    change.set(qn("w:id"), "7")
    change.set(qn("w:author"), "审核人")
    change.append(OxmlElement("w:rPr"))
    run._r.get_or_add_rPr().append(change)
    document.settings.element.append(OxmlElement("w:trackRevisions"))
    source = tmp_path / "reviewed.docx"
    document.save(source)
    assert main(["adopt", str(source), "-o", str(tmp_path / "out")]) == 0
    printed = capsys.readouterr().out
    assert "2条批注没有带入模板" in printed and "格式修订记录" in printed
    template = tmp_path / "out" / "reviewed-模板.docx"
    with zipfile.ZipFile(template) as package:
        names = package.namelist()
        body = package.read("word/document.xml")
        settings = package.read("word/settings.xml")
        types = package.read("[Content_Types].xml")
    assert not [n for n in names if "comments" in n] and b"comments" not in types
    assert b"commentRangeStart" not in body and b"commentReference" not in body and b"rPrChange" not in body
    assert b"trackRevisions" not in settings
    assert not [p for p in reportgen.check_template(template).problems if "批注" in p.message]
    rendered = reportgen.render(reportgen.load(tmp_path / "out" / "reviewed.json"), tmp_path / "r.docx")
    assert rendered.exists()


def test_tracked_insertions_in_a_header_are_refused_as_in_the_body(haizhu, tmp_path, capsys):
    document = docx.Document(haizhu)
    header = document.sections[0].header.paragraphs[0]
    header.text = "信息公开"
    inserted = OxmlElement("w:ins")
    inserted.set(qn("w:id"), "1")
    inserted.set(qn("w:author"), "审核人")
    header._p.append(inserted)
    source = tmp_path / "header.docx"
    document.save(source)
    assert main(["adopt", str(source), "-o", str(tmp_path / "out")]) == 2
    assert "接受所有修订" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


# ---- 3. full-width digits are the numbers they write --------------------------------------

_FULL = str.maketrans("0123456789.,", "０１２３４５６７８９．，")


def _in_full_width(paragraph) -> None:
    text = paragraph.text
    full = "".join(c.translate(_FULL) if c.isdigit() or (c in ".," and 0 < i < len(text) - 1 and text[i - 1].isdigit()
                                                         and text[i + 1].isdigit()) else c
                   for i, c in enumerate(text))
    paragraph.runs[0].text = full
    for run in paragraph.runs[1:]:
        run.text = ""


def test_full_width_digits_are_read_as_numbers(haizhu, tmp_path):
    document = docx.Document(haizhu)
    for paragraph in document.paragraphs:
        if paragraph.runs and any(c.isdigit() for c in paragraph.text):
            _in_full_width(paragraph)
    assert "２０２３年度广州市海珠区" in document.paragraphs[0].text + document.paragraphs[1].text
    source = tmp_path / "full-width.docx"
    document.save(source)
    summary, data = adopt_into(source, tmp_path)
    assert data["year"] == 2023 and data["budget"]["annual_budget"] == Decimal("36628.61")
    assert {"budget.execution_rate", "scope.share"} <= {f["field"] for f in summary["derived"]}
    assert summary["verification"]["similarity"] == 1.0
    assert any("全角" in note for note in summary["notes"])


def test_a_full_width_title_year_is_no_longer_refused(haizhu, tmp_path, capsys):
    document = docx.Document(haizhu)
    title = document.paragraphs[0]
    _in_full_width(title)
    source = tmp_path / "title.docx"
    document.save(source)
    assert main(["adopt", str(source), "-o", str(tmp_path / "out")]) == 0
    assert "没有年度" not in capsys.readouterr().err


# ---- 5. a year in Chinese numerals ---------------------------------------------------------

def test_a_year_in_chinese_numerals_is_read_and_printed_the_same_way(haizhu, tmp_path):
    document = docx.Document(haizhu)
    for paragraph in document.paragraphs[:40]:
        if "2023年" in paragraph.text or "2022年" in paragraph.text:
            paragraph.runs[0].text = paragraph.text.replace("2023年", "二〇二三年").replace("2022年", "二○二二年")
            for run in paragraph.runs[1:]:
                run.text = ""
    source = tmp_path / "cn.docx"
    document.save(source)
    summary, data = adopt_into(source, tmp_path)
    assert data["year"] == 2023
    assert summary["verification"]["similarity"] == 1.0
    assert summary["verification"]["template_problems"] == 0, summary["verification"]["problems"]
    assert summary["names_and_years"]["{{ year }}（中文数字）"] >= 1
    template = "".join(p.text for p in docx.Document(summary["template"]).paragraphs)
    assert "二〇二三" not in template and "二○二二" not in template  # text moved to the data keeps its own
    out = _next_year(summary, data, tmp_path)
    assert "二〇二四年度广州市海珠区投资促进局" in "".join(p.text for p in out.paragraphs)


# ---- 2. the grade the report states --------------------------------------------------------

def test_the_stated_grade_is_read_into_the_data_and_printed_from_it(haizhu, tmp_path):
    summary, data = adopt_into(haizhu, tmp_path)  # “…实现财政资金提质增效，自评良好。”
    assert data["grade"] == "良"
    template = "".join(p.text for p in docx.Document(summary["template"]).paragraphs)
    assert "自评{{ grade|grade_word }}。" in template
    assert summary["verification"]["similarity"] == 1.0
    findings = reportgen.check(reportgen.load(summary["data"]))
    assert not [f for f in findings if "未填写自评等级" in f.message]
    data["grade"] = "优"
    changed = Path(summary["data"]).with_name("graded.json")
    changed.write_text(dumps(data), encoding="utf-8")
    assert "自评优秀。" in adopt.document_text(reportgen.render_bytes(reportgen.load(changed)))


def test_grades_that_disagree_are_not_read_and_the_summary_says_so(tmp_path):
    from support import sample_data, dump_json
    sample = sample_data("clean-2023.json")
    sample["grade"] = "良"  # the scores give 优: the report prints both
    source_data = tmp_path / "clean.json"
    source_data.write_text(dump_json(sample), encoding="utf-8")
    rendered = reportgen.render(reportgen.load(source_data), tmp_path / "clean.docx")
    summary, data = adopt_into(rendered, tmp_path)
    assert "grade" not in data
    notes = "\n".join(summary["notes"])
    assert "自评等级不一致" in notes and "“良好”" in notes and "“优秀”" in notes
    assert "10个绩效指标" in notes and "不能按得分核对自评等级" in notes
    assert "reportgen check" in adopt.summary.text(summary)


# ---- 6. a table of 绩效指标 becomes the data's indicators ------------------------------------

_ROWS = [("产出指标", "数量指标", "举办招商推介活动场次", "≥15场", "18场", "20", "20", ""),
         ("产出指标", "质量指标", "招商项目入库率", "100%", "0%", "20", "0", "系统未上线"),
         ("产出指标", "时效指标", "资金支付及时率", "≥90%", "95%", "10", "10", ""),
         ("效益指标", "社会效益指标", "新增注册企业", "≥100家", "131家", "30", "30", ""),
         ("满意度指标", "服务对象满意度指标", "企业满意度", "比较满意", "满意", "10", "9.5", "")]
_HEADER = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"]


def _with_table(haizhu: Path, path: Path, rows=_ROWS, merge: bool = True, total=("90", "69.5")) -> Path:
    """Seed 001 (自评良好) with a table of its indicators where a report puts one, in
    （二）: the 一级指标 cells merged over their rows when ``merge``, a 总分 row last."""
    document = docx.Document(haizhu)
    anchor = next(p for p in document.paragraphs if p.text.startswith("（三）"))
    table = document.add_table(rows=len(rows) + 2, cols=len(_HEADER))
    for c, text in enumerate(_HEADER):
        table.cell(0, c).text = text
    for r, row in enumerate(rows, start=1):
        for c, text in enumerate(row):
            if not (c == 0 and merge and r > 1 and rows[r - 2][0] == text):
                table.cell(r, c).text = text
    start = 1
    for r in range(2, len(rows) + 2) if merge else ():
        if r == len(rows) + 1 or rows[r - 1][0] != rows[start - 1][0]:
            if r - 1 > start:
                table.cell(start, 0).merge(table.cell(r - 1, 0))
            start = r
    table.cell(len(rows) + 1, 0).text = "总分"
    table.cell(len(rows) + 1, 5).text, table.cell(len(rows) + 1, 6).text = total
    anchor._p.addprevious(table._tbl)
    document.save(path)
    return path


def test_a_table_of_indicators_is_read_and_printed_from_the_data(haizhu, tmp_path):
    summary, data = adopt_into(_with_table(haizhu, tmp_path / "table.docx"), tmp_path)
    assert summary["verification"] == {"similarity": 1.0, "template_problems": 0, "problems": []}
    assert len(data["indicators"]) == 5
    assert data["indicators"][1] == {
        "level1": {"name": "产出指标"}, "level2": {"name": "质量指标"}, "name": "招商项目入库率",
        "target": {"text": "100%", "value": Decimal(100), "unit": "%"},
        "actual": {"text": "0%", "value": Decimal(0), "unit": "%"},
        "weight": Decimal(20), "deviation_reason": "系统未上线"}
    assert data["indicators"][4]["score"] == Decimal("9.5")  # qualitative: the evaluator's score
    assert "score" not in data["indicators"][0]  # quantitative: computed from target and actual
    template = docx.Document(summary["template"]).tables[-1]
    texts = [row.cells[0].text for row in template.rows]
    assert texts[1:3] == ["{%tr for g in indicators.groups %}", "{%tr for i in g.indicators %}"]
    assert texts[3] == "{% vm %}{{ g.name }}" and texts[4:6] == ["{%tr endfor %}"] * 2
    assert any("5个绩效指标读入了数据的 indicators" in n for n in summary["notes"])
    assert not [p for p in summary["plain"] if p["place"].startswith("表1")]  # the 总分 prints the sums
    # next year's figures print in the report's own layout, the 一级指标 merged over its rows
    data["indicators"][1]["actual"] = {"text": "100%", "value": Decimal(100), "unit": "%"}
    out = _next_year(summary, data, tmp_path).tables[-1]
    assert [c.text for c in out.rows[2].cells] == ["产出指标", "质量指标", "招商项目入库率", "100%", "100%", "20", "20",
                                                  "系统未上线"]
    assert out.rows[2].cells[0]._tc is out.rows[1].cells[0]._tc
    assert [c.text for c in out.rows[-1].cells][5:7] == ["90", "89.5"]


def test_check_reports_a_stated_grade_the_indicators_do_not_reach(haizhu, tmp_path, capsys):
    source = _with_table(haizhu, tmp_path / "graded.docx")
    document = docx.Document(source)
    stated = next(p for p in document.paragraphs if "自评良好" in p.text)
    stated.runs[0].text = stated.text.replace("自评良好", "自评优秀")
    for run in stated.runs[1:]:
        run.text = ""
    document.save(source)
    summary, data = adopt_into(source, tmp_path)
    assert data["grade"] == "优"
    assert main(["check", summary["data"]]) == 1
    out = capsys.readouterr().out
    assert "自评等级为“优”" in out and "只够“中”" in out and "Traceback" not in out


def test_a_table_without_merged_cells_prints_each_rows_names(haizhu, tmp_path):
    summary, data = adopt_into(_with_table(haizhu, tmp_path / "flat.docx", merge=False), tmp_path)
    assert summary["verification"]["similarity"] == 1.0 and len(data["indicators"]) == 5
    template = docx.Document(summary["template"]).tables[-1]
    assert template.rows[3].cells[0].text == "{{ i.level1.name }}"


def test_a_row_that_cannot_be_read_keeps_the_whole_table_as_text(haizhu, tmp_path, capsys):
    rows = list(_ROWS)
    rows[2] = rows[2][:5] + ("十分", "10", "")
    source = _with_table(haizhu, tmp_path / "bad-row.docx", rows=rows)
    assert main(["adopt", str(source), "-o", str(tmp_path / "out")]) == 0
    printed = capsys.readouterr().out
    assert "正文表格1第4行：分值“十分”不是数字" in printed and "整个表格作为文字保留" in printed
    data = json.loads((tmp_path / "out" / "bad-row.json").read_text(encoding="utf-8"))
    assert "indicators" not in data
    template = docx.Document(tmp_path / "out" / "bad-row-模板.docx").tables[-1]
    assert template.rows[3].cells[5].text == "十分"
    assert "一致度 1.0000" in printed


def test_a_score_the_figures_do_not_give_is_named_and_computed(haizhu, tmp_path):
    rows = list(_ROWS)
    rows[1] = rows[1][:6] + ("20",) + rows[1][7:]  # 0% of 100% printed as full marks
    summary, data = adopt_into(_with_table(haizhu, tmp_path / "score.docx", rows=rows, total=("90", "89.5")), tmp_path)
    assert len(data["indicators"]) == 5 and "score" not in data["indicators"][1]
    notes = "\n".join(summary["notes"])
    assert "第3行印出20，按指标值和实际完成值算出为0" in notes
    assert summary["verification"]["similarity"] < 1.0


def test_a_row_the_data_would_print_otherwise_is_named(haizhu, tmp_path):
    rows = [_ROWS[0], _ROWS[3], _ROWS[1], _ROWS[2], _ROWS[4]]  # 产出指标 split by 效益指标: the loop regroups
    summary, data = adopt_into(_with_table(haizhu, tmp_path / "order.docx", rows=rows, merge=False), tmp_path)
    assert "indicators" not in data
    notes = "\n".join(summary["notes"])
    assert "正文表格1第4行：一级指标“产出指标”的指标不相连" in notes
    assert summary["verification"]["similarity"] == 1.0
