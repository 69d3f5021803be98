#!/usr/bin/env python3
"""Build the shipped templates of table documents (项目支出绩效目标表), which are code, not outlines.

    python tools/build_table_templates.py     # writes templates/project-goals/default.docx

``tools/build_templates.py`` runs this too. The page is GB/T 9704 A4 turned to landscape
with its margins (rules.md §4); table rows repeat by docxtpl ``{%tr for … %}`` rows, the
header row repeats on every page and no row breaks across pages.
"""
from __future__ import annotations

import io
import sys
from pathlib import Path

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_templates import (BODY_FONT, H1_FONT, ROOT, official_document, set_fonts,  # noqa: E402
                             set_tracking)

sys.path.insert(0, str(ROOT / "src"))
from reportgen.docx.package import normalise_package  # noqa: E402

TABLE_SIZE = 10.5  # 五号: seven columns of prose and figures fit the 225 mm line
TABLE_PITCH = 14  # pt, fixed: 1.33 lines of 五号, so a long project still fits one page
CELL_MARGIN = Mm(1)  # left and right; none above and below, as in Word, so more rows fit a page

#: paragraph style → (font, size pt, line pitch pt, alignment, left indent in characters)
STYLES = {
    "表头说明": (BODY_FONT, 14, 22, WD_ALIGN_PARAGRAPH.LEFT, 0),
    "表格栏目": (H1_FONT, TABLE_SIZE, TABLE_PITCH, WD_ALIGN_PARAGRAPH.CENTER, 0),
    # Left, not justified: "实施周期指标值:≥90%" does not break, and justifying
    # around it leaves wide gaps between characters.
    "表格文字": (BODY_FONT, TABLE_SIZE, TABLE_PITCH, WD_ALIGN_PARAGRAPH.LEFT, 0),
    "表格项目": (BODY_FONT, TABLE_SIZE, TABLE_PITCH, WD_ALIGN_PARAGRAPH.LEFT, 1),
    "表格合计": (BODY_FONT, TABLE_SIZE, TABLE_PITCH, WD_ALIGN_PARAGRAPH.CENTER, 0),
    "表格金额": (BODY_FONT, TABLE_SIZE, TABLE_PITCH, WD_ALIGN_PARAGRAPH.RIGHT, 0),
    "表后空行": (BODY_FONT, 1, 1, WD_ALIGN_PARAGRAPH.LEFT, 0),
}
# Elements a w:pPr may hold after w:snapToGrid, in schema order (Word rejects others).
_AFTER_SNAP = ("w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap",
               "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl",
               "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")

#: (heading, width mm) of each column; the widths fill the 225 mm landscape text block.
#: Indicators are the longest text, so their column is widest: it sets the row heights.
#: "\n" breaks a heading where it reads well rather than where the cell ends.
COLUMNS = [
    ("项目名称\n（资金使用单位）", 33), ("总计", 21), ("财政拨款", 21), ("财政专户\n拨款", 21),
    ("其他资金", 21), ("绩效目标", 33), ("绩效指标", 75),
]
AMOUNT_FIELDS = ("total", "fiscal_appropriation", "special_account", "other_funds")

INDICATORS = ("{% for i in project.indicators %}{{ i.number }}、{{ i.level1.label }}；"
              "{{ i.level2.label }}；{{ i.name }}；实施周期指标值:{{ i.period_target }}；"
              "年度指标值:{{ i.target }}。{% endfor %}")


def _amount(amounts: str, name: str) -> str:
    # A column no row fills is None; `amount` prints it as a blank cell.
    return f"{{{{ {amounts}.{name}|amount }}}}"


def define_table_styles(doc) -> None:
    """Table paragraph styles: smaller text at a fixed pitch that ignores the page grid."""
    for name, (font, size, pitch, align, indent) in STYLES.items():
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = doc.styles["Normal"]
        style.quick_style = True
        set_fonts(style.element, font, size)
        set_tracking(style.element, 0)  # the body's 28-a-line tightening is for 三号 lines
        fmt = style.paragraph_format
        fmt.alignment = align
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(pitch)
        ppr = style.element.get_or_add_pPr()
        snap = OxmlElement("w:snapToGrid")
        snap.set(qn("w:val"), "0")  # the body's 28.95 pt grid would double every line
        ppr.insert_element_before(snap, *_AFTER_SNAP)
        if indent:  # in characters, so the indent follows a changed font size
            ind = ppr.get_or_add_ind()
            ind.set(qn("w:leftChars"), str(indent * 100))
            ind.set(qn("w:left"), str(int(indent * size * 20)))


def _row_flag(row, tag: str) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement(tag))


def _table_properties(table) -> None:
    """Fixed layout, full text width, centred, narrower cell margins."""
    fixed_table(table, [mm for _, mm in COLUMNS])


def fixed_table(table, widths: list[float]) -> None:
    """``table`` in fixed layout (the column widths hold), ``widths`` (mm) wide in all,
    centred, with narrower left and right cell margins (shared by every table template)."""
    table.autofit = False  # w:tblLayout fixed
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    tbl_pr = table._tbl.tblPr
    width = tbl_pr.find(qn("w:tblW"))
    width.set(qn("w:type"), "dxa")
    width.set(qn("w:w"), str(sum(int(Mm(mm).twips) for mm in widths)))
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(int(CELL_MARGIN.twips)))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    tbl_pr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription",
                                 "w:tblPrChange")


def _fill(row, texts: list[str], styles: list[str]) -> None:
    for cell, text, style in zip(row.cells, texts, styles):
        para = cell.paragraphs[0]
        para.style = style
        if text:
            para.add_run(text)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def _keep_with_next(row) -> None:
    # Word keeps a row whose paragraphs are "keep with next" on the page of the row below.
    for cell in row.cells:
        for para in cell.paragraphs:
            para.paragraph_format.keep_with_next = True


def _tag_row(row, tag: str) -> None:
    # docxtpl replaces a row holding a {%tr %} tag by the bare tag.
    _fill(row, [tag] + [""] * (len(COLUMNS) - 1), ["表格文字"] * len(COLUMNS))


def _amount_row(row, label: str, name_style: str, amounts: str, prose: list[str]) -> None:
    texts = [label] + [_amount(amounts, f) for f in AMOUNT_FIELDS] + prose
    styles = [name_style] + ["表格金额"] * 4 + ["表格文字"] * 2
    _fill(row, texts, styles)


def add_goal_table(doc) -> None:
    """Header, 合计, then per unit its subtotal row and its projects' rows."""
    table = doc.add_table(rows=8, cols=len(COLUMNS))
    table.style = doc.styles["Table Grid"]
    _table_properties(table)
    for column, (_, mm) in zip(table.columns, COLUMNS):
        column.width = Mm(mm)
        for cell in column.cells:
            cell.width = Mm(mm)
    rows = table.rows
    _fill(rows[0], [h for h, _ in COLUMNS], ["表格栏目"] * len(COLUMNS))
    _row_flag(rows[0], "w:tblHeader")  # repeated at the top of every page
    _amount_row(rows[1], "合计", "表格合计", "total", ["", ""])
    _tag_row(rows[2], "{%tr for unit in units %}")
    _amount_row(rows[3], "{{ unit.name }}", "表格文字", "unit.amounts", ["", ""])
    _keep_with_next(rows[3])  # a unit's subtotal row never ends a page without its projects
    _tag_row(rows[4], "{%tr for project in unit.projects %}")
    _amount_row(rows[5], "{{ project.name }}", "表格项目", "project.amounts",
                ["{{ project.goal }}", INDICATORS])
    _tag_row(rows[6], "{%tr endfor %}")
    _tag_row(rows[7], "{%tr endfor %}")
    for row in rows:
        _row_flag(row, "w:cantSplit")  # a project's goal and indicators stay on one page


def _heading_line(doc) -> None:
    """部门名称 at the left, 单位 at the right edge of the text block."""
    para = doc.add_paragraph("部门名称：{{ department }}\t单位：{{ money_unit }}", style="表头说明")
    section = doc.sections[0]
    width = section.page_width - section.left_margin - section.right_margin
    para.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
    para.paragraph_format.space_after = Pt(3)
    para.paragraph_format.keep_with_next = True


def build_project_goals(target: Path) -> None:
    doc = official_document(landscape=True)
    doc.core_properties.title = "项目支出绩效目标表"
    define_table_styles(doc)
    doc.add_paragraph("项目支出绩效目标表（含转移支付项目）", style="公文标题")
    _heading_line(doc)
    add_goal_table(doc)
    doc.add_paragraph("", style="表后空行")  # Word wants a paragraph after a table
    target.parent.mkdir(parents=True, exist_ok=True)
    out = io.BytesIO()
    doc.save(out)
    target.write_bytes(normalise_package(out.getvalue()))  # same source, same bytes


def main() -> int:
    target = ROOT / "templates" / "project-goals" / "default.docx"
    build_project_goals(target)
    print(target.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
