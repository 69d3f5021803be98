"""The text of a Word package as a clerk reads it: each paragraph with its place.

:func:`read_parts` reads every part docxtpl renders (body with its tables, headers,
footers, footnotes, endnotes, document properties) into :class:`Paragraph` records
that say where they are in words a clerk can follow ("正文表格1第2行第3列"), and
:meth:`Paragraph.place_of` turns a stretch of one into an :class:`~reportgen.errors.TemplatePlace`.
"""
from __future__ import annotations

import zipfile
from typing import Any, NamedTuple, Optional

from attrs import field, frozen
from lxml import etree

from reportgen.docx.constants import (CORE_PROPERTIES, DOCUMENT, ENDNOTES, FOOTER, FOOTNOTES, HEADER,
                                      MC_FALLBACK, W, qn)
from reportgen.docx.external import relationships_entry, target_part
from reportgen.docx.package import content_types, open_package
from reportgen.docx.targets import tagged_targets
from reportgen.errors import TemplateError, TemplatePlace

_PART_TYPES = {DOCUMENT: "正文", HEADER: "页眉", FOOTER: "页脚", FOOTNOTES: "脚注", ENDNOTES: "尾注"}
#: core property element (local name) → its name in Word's 文档属性; those docxtpl renders.
_PROPERTIES = {"title": "标题", "subject": "主题", "creator": "作者", "description": "备注",
               "identifier": "标识", "language": "语言"}
# Not read as the clerk's text: deleted revisions, field codes, formatting, nested
# paragraphs (they are paragraphs of their own) and the fallback copy of a text box.
_SKIP = {W + "del", W + "moveFrom", W + "instrText", W + "delText", W + "p", W + "pPr",
         W + "rPr", MC_FALLBACK}
_HIDDEN_TEXT = (W + "delText", W + "instrText")


@frozen
class Paragraph:
    """One paragraph (or one document property) of a template, with its place."""

    part: str  # as Word names it: 正文, 页眉, 偶数页页脚, 脚注, 文档属性（标题）
    partname: str  # zip entry, e.g. word/document.xml
    index: int  # 1-based, among all the part's paragraphs (table cells too): document order
    table: Optional[int]  # 1-based table of the part, None outside tables
    row: Optional[int]
    column: Optional[int]
    text: str  # what the clerk sees; a tab is "\t", a line break "\n"
    pieces: tuple = field(default=(), eq=False, repr=False)  # (start, end, element)
    hidden: str = field(default="", repr=False)  # deleted text and field codes
    # 1-based as the clerk counts: among the part's paragraphs outside tables, or in its cell.
    number: int = field(default=0, eq=False)

    def place(self) -> str:
        """Where the paragraph is, e.g. 正文第12段, 正文表格1第2行第3列."""
        if self.table is not None:
            return f"{self.part}表格{self.table}第{self.row}行第{self.column}列"
        if self.partname.startswith("docProps/"):
            return self.part
        if self.partname.endswith(".rels"):  # a relationship's address (:mod:`.targets`)
            return f"{self.part}（第{self.index}个）"
        return f"{self.part}第{self.number or self.index}段"

    def excerpt(self, start: int = 0, end: Optional[int] = None, width: int = 20) -> str:
        """The text around ``start:end`` (the whole paragraph, if short), in 「」."""
        end = len(self.text) if end is None else end
        before = max(0, start - width)
        after = min(len(self.text), end + width)
        text = ("…" if before else "") + self.text[before:after] + ("…" if after < len(self.text) else "")
        return "「" + text.replace("\n", "↵").replace("\t", "→") + "」"

    def place_of(self, start: int = 0, end: Optional[int] = None, tag: str = "") -> TemplatePlace:
        """The stretch ``start:end`` of this paragraph (a tag, if given) as a place."""
        return TemplatePlace(self.place(), self.excerpt(start, end), self.part, self.number or self.index,
                             self.table, self.row, self.column, tag, start)


class Part(NamedTuple):
    """One rendered part: its label, zip entry, XML text and paragraphs."""

    label: str
    name: str
    xml: str
    paragraphs: list[Paragraph]


# ---- reading ----------------------------------------------------------------------------


def _walk(element):
    """(text, element) of what a reader sees in ``element``, in reading order."""
    for child in element:
        tag = child.tag
        if tag in _SKIP:
            continue
        if tag == W + "t":
            yield child.text or "", child
        elif tag in (W + "tab", W + "ptab"):
            yield "\t", child
        elif tag in (W + "br", W + "cr"):
            yield "\n", child
        else:
            yield from _walk(child)


def own_text(paragraph) -> str:
    """The text a reader sees in the ``w:p`` element ``paragraph`` itself: not that of a
    paragraph nested in it (a text box's), nor deleted text or field codes."""
    return "".join(text for text, _ in _walk(paragraph))


def _nearest(element, tag: str):
    return next(element.iterancestors(tag), None)


def _cell(p) -> tuple[Any, Any, Any]:
    """The innermost (table, row, cell) holding paragraph ``p``, or Nones."""
    cell = _nearest(p, W + "tc")
    if cell is None:
        return None, None, None
    row = _nearest(cell, W + "tr")
    return _nearest(row, W + "tbl"), row, cell


def _index(parent, child, tag: str, level: str) -> int:
    """1-based position of ``child`` among the ``tag`` elements whose nearest
    ``level`` ancestor is ``parent`` (rows may sit inside content controls)."""
    own = [e for e in parent.iter(tag) if _nearest(e, level) is parent]
    return own.index(child) + 1


def _paragraphs(root, label: str, name: str) -> list[Paragraph]:
    tables = list(root.iter(W + "tbl"))  # kept alive: lxml proxies are identical only then
    out = []
    # A text box's fallback copy repeats its paragraphs; the clerk sees and edits one.
    shown = [p for p in root.iter(W + "p") if _nearest(p, MC_FALLBACK) is None]
    counts: dict = {}  # the cell (None: outside tables) → paragraphs counted in it so far
    for index, p in enumerate(shown, start=1):
        pieces, text = [], ""
        for piece, element in _walk(p):
            pieces.append((len(text), len(text) + len(piece), element))
            text += piece
        hidden = "".join(e.text or "" for e in p.iter(*_HIDDEN_TEXT))
        table, row, cell = _cell(p)
        place = (None, None, None)
        if table is not None:
            place = (tables.index(table) + 1, _index(table, row, W + "tr", W + "tbl"),
                     _index(row, cell, W + "tc", W + "tr"))
        counts[cell] = number = counts.get(cell, 0) + 1
        out.append(Paragraph(label, name, index, *place, text, tuple(pieces), hidden, number))
    return out


def _header_labels(package: zipfile.ZipFile, document: str) -> dict[str, str]:
    """Header/footer entry → 页眉, 首页页脚, 第2节偶数页页眉 …, from the sections."""
    folder = document.rpartition("/")[0]
    rels = etree.fromstring(package.read(relationships_entry(document)))
    targets = {r.get("Id"): target_part(folder, r) for r in rels}
    body = etree.fromstring(package.read(document))
    sections = list(body.iter(W + "sectPr"))
    labels: dict[str, str] = {}
    for number, section in enumerate(sections, start=1):
        prefix = f"第{number}节" if len(sections) > 1 else ""
        for ref in section:
            kind = {W + "headerReference": "页眉", W + "footerReference": "页脚"}.get(ref.tag)
            if kind:
                which = {"first": "首页", "even": "偶数页"}.get(ref.get(W + "type"), "")
                labels.setdefault(targets.get(ref.get(qn("r:id")), ""), prefix + which + kind)
    return labels


def _properties(root, name: str) -> list[Paragraph]:
    out = []
    for element in root:
        label = _PROPERTIES.get(etree.QName(element).localname)
        if label and element.text:
            out.append(Paragraph(f"文档属性（{label}）", name, len(out) + 1, None, None, None,
                                 element.text))
    return out


def _read_parts(package: zipfile.ZipFile) -> list[Part]:
    types = content_types(package)
    document = next(n for n, t in types.items() if t == DOCUMENT)
    labels = _header_labels(package, document)
    rank = {t: n for n, t in enumerate([*_PART_TYPES, CORE_PROPERTIES])}
    parts = []
    for name, ctype in sorted(types.items(), key=lambda item: (rank.get(item[1], 99), item[0])):
        if ctype in _PART_TYPES and name in package.namelist():
            xml = package.read(name).decode("utf-8")
            label = labels.get(name) or _PART_TYPES[ctype]
            parts.append(Part(label, name, xml, _paragraphs(etree.fromstring(xml.encode()), label, name)))
            rels, targets = tagged_targets(package, name)  # tags there are refused by the tag checks
            if targets:
                parts.append(Part(f"{label}超链接或链接的地址", rels, "",
                                  [Paragraph(f"{label}超链接或链接的地址", rels, n, None, None, None, address)
                                   for n, address in enumerate(targets, start=1)]))
        elif ctype == CORE_PROPERTIES and name in package.namelist():
            parts.append(Part("文档属性", name, "", _properties(etree.fromstring(package.read(name)), name)))
    return parts


def read_parts(data: bytes, source: str = "模板", checked: bool = False) -> list[Part]:
    """Every part of the .docx ``data`` that docxtpl renders, in the order Word shows them.
    ``checked``: ``data``'s sizes were checked already (:func:`~.package.open_package`).

    Raises :class:`TemplateError` (naming ``source``) for a file that is no Word document.
    """
    try:
        with open_package(data, source, checked) as package:
            return _read_parts(package)
    except TemplateError:  # the package's own refusal (a part too large) says why already
        raise
    except (zipfile.BadZipFile, KeyError, StopIteration, etree.XMLSyntaxError, UnicodeDecodeError,
            ValueError):
        raise TemplateError(f"{source}不是有效的Word文档（.docx）：请在Word或WPS中打开后另存为“Word文档（*.docx）”") from None


