#!/usr/bin/env python3
"""Build the shipped templates of the 自评表 (self-evaluation tables), which are code.

    python tools/build_evaluation_templates.py
    # writes templates/project-self-evaluation/national.docx  项目支出绩效自评表 (财预〔2020〕10号)
    #        templates/department-table/default.docx          部门整体支出绩效自评表

A4 portrait with the GB/T 9704 page of ``build_templates.official_document``. Each
table is its own Word table, stacked: head, 项目资金, 年度总体目标, 绩效指标. In the
indicator table the 一级 and 二级 cells are vertically merged over their rows (a real
``w:vMerge``): the 二级 cell by docxtpl's ``{% vm %}`` (it merges a cell over every
iteration of the innermost ``{%tr for %}``), the 一级 cell by two row variants under
``{%tr if i.first_in_group %}``, the first opening the merge (``restart``) and the other
continuing it, since one row cannot follow two loops' first iterations. Its two header
rows (年度绩效指标完成情况, the column headings) repeat on each page; no row splits across pages. Table text has its own paragraph
styles (五号, fixed 14 pt lines, off the page grid) over a table style of the same size,
never the body's 28.95 pt. The same source gives the same bytes.

templates/project-self-evaluation/sichuan.docx (the Sichuan-style layout) is not built
here: it was made from national.docx by editing its cells, as a clerk would in Word.
"""
from __future__ import annotations

import io
import sys
from pathlib import Path

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_table_templates import fixed_table  # noqa: E402
from build_templates import BODY_FONT, H1_FONT, ROOT, official_document, set_fonts  # noqa: E402

sys.path.insert(0, str(ROOT / "src"))
from reportgen.docx.package import normalise_package  # noqa: E402

TABLE_SIZE = 10.5  # 五号, as the national form prints
TABLE_PITCH = 14  # pt, fixed
TABLE_STYLE = "自评表格"
#: paragraph style → (font, size pt, line pitch pt, alignment)
STYLES = {
    "自评表年度": (BODY_FONT, 14, 22, WD_ALIGN_PARAGRAPH.CENTER),
    "表格栏目": (H1_FONT, TABLE_SIZE, TABLE_PITCH, WD_ALIGN_PARAGRAPH.CENTER),
    "表格文字": (BODY_FONT, TABLE_SIZE, TABLE_PITCH, WD_ALIGN_PARAGRAPH.LEFT),
    "表格居中": (BODY_FONT, TABLE_SIZE, TABLE_PITCH, WD_ALIGN_PARAGRAPH.CENTER),
    "表后说明": (BODY_FONT, 10.5, 16, WD_ALIGN_PARAGRAPH.LEFT),
    "表间空行": (BODY_FONT, 1, 1, WD_ALIGN_PARAGRAPH.LEFT),
}
# Elements a w:pPr may hold after w:snapToGrid, in schema order (Word rejects others).
_AFTER_SNAP = ("w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap",
               "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl",
               "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")

#: the indicator table's columns (heading, width mm); 156 mm is the portrait text block.
#: A 五号 character is 3.7 mm and a cell loses 2 mm to its margins: 18 mm holds four.
INDICATOR_COLUMNS = [("一级指标", 18), ("二级指标", 18), ("三级指标", 40), ("年度指标值", 16),
                     ("实际完成值", 16), ("分值", 11), ("得分", 12), ("偏差原因分析及改进措施", 25)]
ROW_CELLS = ["{{ i.label }}", "{{ i.target }}", "{{ i.actual }}", "{{ i.weight }}", "{{ i.score }}",
             "{{ i.reason }}"]
ROW_STYLES = ["表格文字", "表格居中", "表格居中", "表格居中", "表格居中", "表格文字"]


def define_table_styles(doc) -> None:
    """A table style (grid, 五号) and the paragraph styles of table text.

    The paragraph styles carry the line spacing: in Word a paragraph style outranks a
    table style, so without them the body's fixed 28.95 pt (Normal) would win."""
    table_style = doc.styles.add_style(TABLE_STYLE, WD_STYLE_TYPE.TABLE)
    table_style.base_style = doc.styles["Table Grid"]
    set_fonts(table_style.element, BODY_FONT, TABLE_SIZE)
    table_style.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    table_style.paragraph_format.line_spacing = Pt(TABLE_PITCH)
    for name, (font, size, pitch, align) in STYLES.items():
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = doc.styles["Normal"]
        style.quick_style = True
        set_fonts(style.element, font, size)
        fmt = style.paragraph_format
        fmt.alignment = align
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(pitch)
        snap = OxmlElement("w:snapToGrid")
        snap.set(qn("w:val"), "0")  # the body's 28.95 pt grid would double every line
        style.element.get_or_add_pPr().insert_element_before(snap, *_AFTER_SNAP)


def new_table(doc, widths: list[float], rows: int):
    """A fixed-layout table of ``widths`` (mm) in the table style, centred."""
    table = doc.add_table(rows=rows, cols=len(widths))
    table.style = doc.styles[TABLE_STYLE]
    fixed_table(table, widths)
    for column, mm in zip(table.columns, widths):
        column.width = Mm(mm)
        for cell in column.cells:
            cell.width = Mm(mm)
    for row in table.rows:
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # a row never splits
    return table


def put(cell, text: str, style: str = "表格文字", centre: bool = True) -> None:
    """``text`` in ``cell`` (one paragraph of ``style``), vertically centred unless the
    cell is merged by ``{% vm %}``: docxtpl writes its w:vMerge last in w:tcPr, where a
    w:vAlign before it would break the schema order Word checks."""
    para = cell.paragraphs[0]
    para.style = style
    if text:
        para.add_run(text)
    if centre:
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def vmerge(cell, restart: bool) -> None:
    """A static vertical merge: ``restart`` opens it, otherwise the cell continues the one above."""
    cell._tc.get_or_add_tcPr()
    cell._tc.vMerge = "restart" if restart else "continue"


def span(row, first: int, last: int):
    """Cells first..last of ``row`` merged across; the merged cell."""
    return row.cells[first].merge(row.cells[last])


def gap(doc) -> None:
    doc.add_paragraph("", style="表间空行")


def heading(doc, title: str) -> None:
    doc.add_paragraph(title, style="公文标题")
    para = doc.add_paragraph("（{{ year }}年度）", style="自评表年度")
    para.paragraph_format.space_after = Pt(4)
    para.paragraph_format.keep_with_next = True


def _tag_row(row, tag: str) -> None:
    """A docxtpl ``{%tr %}`` row: the tag in the 三级 cell. The ``{%tr else %}`` row
    continues the 一级 cell, as merging the two row variants' cells in Word does (tag
    rows vanish when rendered)."""
    if tag == "{%tr else %}":
        vmerge(row.cells[0], restart=False)
    put(row.cells[2], tag)


def _indicator_row(row, first_in_group: bool) -> None:
    level1 = row.cells[0]
    vmerge(level1, restart=first_in_group)
    put(level1, "{{ g.label }}" if first_in_group else "", "表格居中")
    put(row.cells[1], "{% vm %}{{ s.name }}", "表格居中", centre=False)
    for cell, text, style in zip(row.cells[2:], ROW_CELLS, ROW_STYLES):
        put(cell, text, style)


def _header_rows(title_row, heading_row) -> None:
    """年度绩效指标完成情况 across the table, then the column headings; both repeat on
    each page. The title is a row of its own rather than a cell merged down the side:
    a merge reaching from a repeated header into the body breaks when the page does."""
    put(span(title_row, 0, len(INDICATOR_COLUMNS) - 1), "年度绩效指标完成情况", "表格栏目")
    for cell, (text, _) in zip(heading_row.cells, INDICATOR_COLUMNS):
        put(cell, text, "表格栏目")
    for row in (title_row, heading_row):
        row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def indicator_table(doc, extra_rows: list[tuple[str, str]]) -> None:
    """一级 | 二级 | 三级 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因, 总分, then
    ``extra_rows`` (label, value) below it."""
    body = ["{%tr for g in indicators.groups %}", "{%tr for s in g.subgroups %}",
            "{%tr for i in s.indicators %}", "{%tr if i.first_in_group %}", None, "{%tr else %}", None,
            "{%tr endif %}", "{%tr endfor %}", "{%tr endfor %}", "{%tr endfor %}"]
    table = new_table(doc, [mm for _, mm in INDICATOR_COLUMNS], 3 + len(body) + len(extra_rows))
    rows = table.rows
    _header_rows(rows[0], rows[1])
    variant = iter((True, False))
    for row, tag in zip(rows[2:], body):
        if tag is None:
            _indicator_row(row, next(variant))
        else:
            _tag_row(row, tag)
    total = rows[2 + len(body)]
    put(span(total, 0, 4), "总分", "表格栏目")
    put(total.cells[5], "{{ full }}", "表格居中")
    put(total.cells[6], "{{ total }}", "表格居中")
    put(total.cells[7], "")
    for row, (label, value) in zip(rows[3 + len(body):], extra_rows):
        put(span(row, 0, 4), label, "表格栏目")
        put(span(row, 5, 7), value, "表格居中")
    for row in rows[2 + len(body):]:  # 总分 and what follows go to the next page with the note
        for cell in row.cells:
            for para in cell.paragraphs:
                para.paragraph_format.keep_with_next = True


FUND_WIDTHS = [16, 28, 19, 19, 19, 16, 22, 17]


def fund_table(doc) -> None:
    """项目资金（万元）: 年度资金总额, then one 其中 row per source in the data."""
    table = new_table(doc, FUND_WIDTHS, 5)
    head, total, loop, source, end = table.rows
    texts = ["项目资金（万元）", "", "年初预算数", "全年预算数（A）", "全年执行数（B）", "分值", "执行率（B/A）", "得分"]
    for cell, text in zip(head.cells, texts):
        put(cell, text, "表格栏目")
    vmerge(head.cells[0], restart=True)
    values = ["年度资金总额：", "{{ funds.total.initial_budget }}", "{{ funds.total.budget }}",
              "{{ funds.total.executed }}", "{{ funds.total.weight }}", "{{ funds.total.rate }}",
              "{{ funds.total.score }}"]
    for cell, text in zip(total.cells[1:], values):
        put(cell, text, "表格居中")
    sources = ["{% if loop.first %}其中：{% endif %}{{ s.name }}", "{{ s.initial_budget }}", "{{ s.budget }}",
               "{{ s.executed }}", "—", "", "—"]
    for cell, text in zip(source.cells[1:], sources):
        put(cell, text, "表格居中")
    put(loop.cells[1], "{%tr for s in funds.sources %}")
    put(end.cells[1], "{%tr endfor %}")
    for row in (total, loop, source, end):
        vmerge(row.cells[0], restart=False)


def goal_table(doc, label: str = "年度总体目标完成情况") -> None:
    """年度总体目标: 预期目标 | 实际完成情况."""
    table = new_table(doc, [16, 70, 70], 2)
    head, body = table.rows
    for cell, text in zip(head.cells, [label, "预期目标", "实际完成情况"]):
        put(cell, text, "表格栏目")
    vmerge(head.cells[0], restart=True)
    vmerge(body.cells[0], restart=False)
    put(body.cells[1], "{{ goal }}")
    put(body.cells[2], "{{ outcome }}")


def head_table(doc, rows: list[list[str]]) -> None:
    """Label | value pairs: a row of two pairs, or of one pair whose value spans three cells."""
    table = new_table(doc, [28, 50, 28, 50], len(rows))
    for row, texts in zip(table.rows, rows):
        if len(texts) == 2:
            put(row.cells[0], texts[0], "表格栏目")
            put(span(row, 1, 3), texts[1])
        else:
            for k, (cell, text) in enumerate(zip(row.cells, texts)):
                put(cell, text, "表格栏目" if k % 2 == 0 else "表格文字")


def save(doc, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    out = io.BytesIO()
    doc.save(out)
    target.write_bytes(normalise_package(out.getvalue()))  # same source, same bytes


def _document(title: str):
    doc = official_document()
    doc.core_properties.title = title
    define_table_styles(doc)
    heading(doc, title)
    return doc


def build_project_table(target: Path) -> None:
    """项目支出绩效自评表, national layout (财预〔2020〕10号 annex, rules.md §1)."""
    doc = _document("项目支出绩效自评表")
    head_table(doc, [["项目名称", "{{ project }}"],
                     ["主管部门", "{{ department }}", "实施单位", "{{ unit }}"]])
    gap(doc)
    fund_table(doc)
    gap(doc)
    goal_table(doc)
    gap(doc)
    indicator_table(doc, [])
    doc.add_paragraph("注：{{ weights_note }}", style="表后说明")
    save(doc, target)


def build_department_table(target: Path) -> None:
    """部门整体支出绩效自评表: the common core of the provincial forms (rules.md §1)."""
    doc = _document("部门整体支出绩效自评表")
    head_table(doc, [["部门名称", "{{ department }}"]])
    gap(doc)
    table = new_table(doc, [28, 22, 22, 22, 20, 22, 20], 2)
    head, body = table.rows
    texts = ["年度预算执行情况（万元）", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]
    for cell, text in zip(head.cells, texts):
        put(cell, text, "表格栏目")
    vmerge(head.cells[0], restart=True)
    vmerge(body.cells[0], restart=False)
    for cell, key in zip(body.cells[1:], ("initial_budget", "annual_budget", "executed", "weight", "rate",
                                          "score")):
        put(cell, f"{{{{ budget.{key} }}}}", "表格居中")
    gap(doc)
    goal_table(doc)
    gap(doc)
    indicator_table(doc, [("自评等级", "{{ grade_word }}")])
    doc.add_paragraph("注：{{ weights_note }}", style="表后说明")
    save(doc, target)


def main() -> int:
    templates = ROOT / "templates"
    for target, build in ((templates / "project-self-evaluation" / "national.docx", build_project_table),
                          (templates / "department-table" / "default.docx", build_department_table)):
        build(target)
        print(target.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
