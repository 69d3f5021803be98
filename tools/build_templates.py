#!/usr/bin/env python3
"""Build the shipped Word templates from their outline sources.

    python tools/build_templates.py          # rebuilds templates/<kind>/<name>.docx

An outline source (``templates/src/<kind>/<name>.txt``) is one paragraph a line:
``title:``, ``h1:`` (黑体), ``h2:`` (楷体_GB2312), ``h3:`` (仿宋_GB2312) and
``attachment:`` name a paragraph's style; ``~`` alone is an empty line (the one after
the title); any other line is a body paragraph; a line
that is only a ``{%p … %}`` tag stays a paragraph of its own for docxtpl to remove;
``#`` starts a comment. The page is set up after GB/T 9704-2012 (rules.md §4). The
.docx files are committed: a clerk copies and edits them in Word or WPS.
"""
from __future__ import annotations

import datetime as dt
import io
import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))  # a checkout that is not installed
from reportgen.docx.package import normalise_package  # noqa: E402
from reportgen import kinds  # noqa: E402

SOURCES = ROOT / "templates" / "src"

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
H1_FONT = "黑体"
H2_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"
LINE_PITCH = Pt(28.95)  # 22 lines in the 225 mm text block
BODY_TRACKING = -5  # twentieths of a point after each character: 28 characters a line

# 28 characters a line, in LibreOffice and in Word. The 156 mm text block is 442.2 pt wide;
# 三号 characters are 16 pt, so 27 fit (27.6), not GB/T 9704's 28. Two ways to get 28:
#
# - A character grid (w:docGrid w:type="linesAndChars" w:charSpace=…): ECMA-376 §17.6.5
#   has Word lay every East Asian character on a pitch derived from charSpace, which
#   Word's 页面设置 › 文档网格 "指定行和字符网格" writes as 28 characters a line. But
#   LibreOffice maps it to its own text grid, which set 14 characters a line here; the
#   PDF route fails, so this is not used.
# - Character spacing (w:spacing w:val in w:rPr, ECMA-376 §17.3.2.35: "the amount of
#   character pitch which shall be added or removed after each character in this run",
#   in twentieths of a point; Word's 字体 › 高级 › 字符间距 "紧缩 0.25 磅"): −5 makes each
#   character 15.75 pt, and 28 × 15.75 = 441 pt ≤ 442.2 pt. Word and LibreOffice both
#   apply it to every character, East Asian ones included, and it is what clerks do by
#   hand to fit 28. With the grid only for lines (w:type="lines", §17.18.14: charSpace is
#   ignored), Word adds no pitch of its own, so Word too sets 28 a line; the first line
#   holds 26 after its two-character indent (32 + 26 × 15.75 = 441.5 pt).
#
# Punctuation: w:characterSpacingControl "compressPunctuation" (ISO/IEC 29500-1 §17.15.1.18;
# Word's 中文版式 › 字符间距控制 "只压缩标点符号", the setting of Chinese Word's Normal
# template). Word "applies white space compression to full width punctuation characters"
# (MS-OI29500 §2.1.531); as Chinese Word is documented and seen, it narrows adjoining marks
# ("。”", "），") and marks at a line's edges, not every mark (not tried in Word here), so a
# plain line still holds 28. LibreOffice 7.4 does not read this setting from a .docx (its
# CharacterCompressionType stays 0, measured by converting to .odt), so the PDF is not
# compressed; its line breaks match the seeds' all the same.
PUNCTUATION = "compressPunctuation"

#: paragraph style name → (font, size pt, alignment, first-line indent in chars, outline level)
STYLES = {
    "公文标题": (TITLE_FONT, 22, WD_ALIGN_PARAGRAPH.CENTER, 0, None),
    "附件标识": (H1_FONT, 16, WD_ALIGN_PARAGRAPH.LEFT, 0, None),
    "一级标题": (H1_FONT, 16, WD_ALIGN_PARAGRAPH.JUSTIFY, 2, 0),
    "二级标题": (H2_FONT, 16, WD_ALIGN_PARAGRAPH.JUSTIFY, 2, 1),
    "三级标题": (BODY_FONT, 16, WD_ALIGN_PARAGRAPH.JUSTIFY, 2, 2),
    "公文正文": (BODY_FONT, 16, WD_ALIGN_PARAGRAPH.JUSTIFY, 2, None),
}
PREFIXES = {"title:": "公文标题", "attachment:": "附件标识", "h1:": "一级标题",
            "h2:": "二级标题", "h3:": "三级标题"}


def set_fonts(rpr_owner, font: str, size_pt: float) -> None:
    """Set Latin and East Asian fonts (w:eastAsia) and size on a style or run."""
    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):  # theme fonts would override the names
        del fonts.attrib[attr]
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), font)
    for tag in ("w:sz", "w:szCs"):
        el = rpr.find(qn(tag))
        if el is None:
            el = OxmlElement(tag)
            rpr.append(el)
        el.set(qn("w:val"), str(int(size_pt * 2)))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def set_tracking(rpr_owner, twentieths: int) -> None:
    """Character spacing (w:spacing in w:rPr) after each character, in twentieths of a point."""
    rpr = rpr_owner.get_or_add_rPr()
    el = rpr.find(qn("w:spacing"))
    if el is None:
        el = OxmlElement("w:spacing")
        rpr.insert_element_before(el, "w:w", "w:kern", "w:position", "w:sz", "w:szCs",
                                  "w:highlight", "w:u", "w:effect", "w:lang")
    el.set(qn("w:val"), str(twentieths))


def _indent_chars(style, chars: int) -> None:
    ppr = style.element.get_or_add_pPr()
    ind = ppr.find(qn("w:ind"))
    if ind is None:
        ind = OxmlElement("w:ind")
        ppr.append(ind)
    ind.set(qn("w:firstLineChars"), str(chars * 100))
    ind.set(qn("w:firstLine"), str(int(chars * 16 * 20)))


def _no_grid_snap(style) -> None:
    el = OxmlElement("w:snapToGrid")
    el.set(qn("w:val"), "0")
    style.element.get_or_add_pPr().insert(0, el)


def _outline(style, level: int) -> None:
    ppr = style.element.get_or_add_pPr()
    el = OxmlElement("w:outlineLvl")
    el.set(qn("w:val"), str(level))
    ppr.append(el)


def define_styles(doc) -> None:
    """The Normal style and the official paragraph styles, in Chinese for clerks."""
    normal = doc.styles["Normal"]
    set_fonts(normal.element, BODY_FONT, 16)
    set_tracking(normal.element, BODY_TRACKING)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    normal.paragraph_format.line_spacing = LINE_PITCH
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.widow_control = False
    for name, (font, size, align, indent, level) in STYLES.items():
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.quick_style = True
        set_fonts(style.element, font, size)
        fmt = style.paragraph_format
        fmt.alignment = align
        if name == "公文标题":
            fmt.line_spacing = Pt(36)
            fmt.keep_with_next = True
            _no_grid_snap(style)  # 36 pt lines would snap to two 28.95 pt grid lines
        if indent:
            _indent_chars(style, indent)
        if level is not None:
            fmt.keep_with_next = True
            _outline(style, level)


def _page_number_paragraph(footer, align) -> None:
    """"— N —" in 四号宋体, one character in from the outer edge."""
    para = footer.paragraphs[0]
    para.alignment = align
    fmt = para.paragraph_format
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        fmt.right_indent = Pt(14)
    else:
        fmt.left_indent = Pt(14)

    def run(text=None):
        r = para.add_run(text)
        set_fonts(r._r, PAGE_NUMBER_FONT, 14)
        return r

    run("— ")
    for kind, text in (("begin", None), ("instr", " PAGE "), ("separate", None), ("end", None)):
        r = run()
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        r._r.append(el)
        if kind == "separate":
            run("1")
    run(" —")


def _doc_grid(section) -> None:
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(int(LINE_PITCH.pt * 20)))


def official_document(landscape: bool = False):
    """An empty document with the GB/T 9704 page, styles and page numbers."""
    doc = Document()
    section = doc.sections[0]
    width, height = Mm(210), Mm(297)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        width, height = height, width
    section.page_width, section.page_height = width, height
    if landscape:  # the portrait margins turned with the page
        section.left_margin, section.right_margin = Mm(37), Mm(35)
        section.top_margin, section.bottom_margin = Mm(26), Mm(28)
    else:
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance = Mm(15)
    section.footer_distance = Mm(23 if not landscape else 16)
    doc.settings.odd_and_even_pages_header_footer = True
    _page_number_paragraph(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number_paragraph(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)
    _doc_grid(section)
    define_styles(doc)
    _chinese_settings(doc)
    body = doc.element.body
    for p in list(body.iterchildren(qn("w:p"))):
        body.remove(p)
    props = doc.core_properties
    props.author = "reportgen"
    props.created = props.modified = dt.datetime(2024, 1, 1)
    props.revision = 1
    props.comments = ""  # python-docx's own "generated by python-docx"
    _drop_thumbnail(doc)
    return doc


def _chinese_settings(doc) -> None:
    """Chinese punctuation compression, a zh-CN theme and default language, no preview picture."""
    settings = doc.settings.element
    settings.find(qn("w:characterSpacingControl")).set(qn("w:val"), PUNCTUATION)
    # Theme fonts for East Asian text are picked by this language: zh-CN → the theme's
    # "Hans" face, not the Japanese one of python-docx's default ja-JP.
    settings.find(qn("w:themeFontLang")).set(qn("w:eastAsia"), "zh-CN")
    preview = settings.find(qn("w:savePreviewPicture"))  # Word would save a thumbnail again
    if preview is not None:
        settings.remove(preview)
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    lang = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    lang.set(qn("w:eastAsia"), "zh-CN")


def _drop_thumbnail(doc) -> None:
    """Unlink python-docx's default thumbnail (a picture of its own sample page); an
    unlinked part is not saved."""
    rels = doc.part.package.rels
    for rid in [rid for rid, rel in rels.items() if rel.reltype == RT.THUMBNAIL]:
        del rels[rid]


def read_outline(path: Path) -> list[tuple[str, str]]:
    """(style, text) for each paragraph of an outline source."""
    lines = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        style = "公文正文"
        if line == "~":
            lines.append((style, ""))
            continue
        for prefix, name in PREFIXES.items():
            if line.startswith(prefix):
                style, line = name, line[len(prefix):].strip()
                break
        lines.append((style, line))
    return lines


def build_outline(source: Path, target: Path, title: str) -> None:
    doc = official_document()
    doc.core_properties.title = title
    for style, text in read_outline(source):
        doc.add_paragraph(text, style=style)
    target.parent.mkdir(parents=True, exist_ok=True)
    out = io.BytesIO()
    doc.save(out)
    target.write_bytes(normalise_package(out.getvalue()))  # same source, same bytes




def main() -> int:
    for source in sorted(SOURCES.glob("*/*.txt")):
        kind = source.parent.name
        target = ROOT / "templates" / kind / f"{source.stem}.docx"
        build_outline(source, target, kinds.get(kind).title)
        print(target.relative_to(ROOT))
    import runpy  # table documents are built by code, not from an outline
    for extra in ("build_table_templates.py", "build_evaluation_templates.py"):
        runpy.run_path(str(ROOT / "tools" / extra), run_name="__main__")
    return 0


if __name__ == "__main__":
    sys.exit(main())
