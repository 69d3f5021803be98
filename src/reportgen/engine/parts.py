"""The parts-only rendering, without python-docx: a template's tagged parts, and docxtpl's
steps for one part as functions of their text.

docxtpl (0.20) renders a part in five steps: its Jinja source (docxtpl-patched, each
paragraph on a line of its own so Jinja's line numbers count paragraphs) is rendered,
the lines are joined again and docxtpl's escapes (``{_{`` …) undone
(``render_xml_part``); tabs, line and paragraph breaks in text become Word's
(``resolve_listing``); table grids are fitted to rows a ``{%tc %}`` loop widened
(``fix_tables``); drawings are numbered from 1001 (``fix_docpr_ids``); the body takes
the template body's place in the document, which python-docx serialises
(``map_tree``, ``serialize_part_xml``).

The first two and the last two are a few lines each and are done here; for
``resolve_listing`` and ``fix_tables`` this module only tells whether they would change
anything, and calls docxtpl's own (:mod:`.docxtpl_adapter`) when they would. A template
rendered before (its :class:`Layout` kept, :mod:`reportgen.language.cache`) so renders
without python-docx or docxtpl being imported: that import and python-docx's reading
of the template are a quarter of a one-report run. ``tests/test_parts.py`` holds every
step equal to docxtpl's on the shipped templates and on parts made to need each step.
"""
from __future__ import annotations

import re
from typing import Any

from lxml import etree

from reportgen.docx.constants import W, qn
from reportgen.docx.lines import split_paragraphs
from reportgen.engine.layout import Layout

_PARAGRAPH_LINE = re.compile(r"<w:p([ >])")
_JOINED = re.compile(r"\n<w:p([ >])")
#: docxtpl's escapes of Jinja's delimiters, and what they stand for.
_ESCAPES = (("{_{", "{{"), ("}_}", "}}"), ("{_%", "{%"), ("%_}", "%}"))
#: the characters ``resolve_listing`` turns into Word's tabs and breaks.
_LISTING = re.compile("[\t\a\n\f]")
#: python-docx's reading of a part (``docx.oxml.parser.oxml_parser``, less its element classes).
_PART_PARSER = etree.XMLParser(remove_blank_text=True, resolve_entities=False)
#: docxtpl's reading of a rendered body (``fix_tables``).
_BODY_PARSER = etree.XMLParser(recover=True)
_TBL, _TBL_GRID, _GRID_COL, _TR, _TC = W + "tbl", W + "tblGrid", W + "gridCol", W + "tr", W + "tc"
_TC_PR, _GRID_SPAN, _VAL = W + "tcPr", W + "gridSpan", W + "val"
_DOC_PR = qn("wp:docPr")


def render_source(env, source: str, context: dict[str, Any]) -> str:
    """docxtpl's ``render_xml_part`` of a patched ``source`` in ``env``, then the
    paragraphs reportgen's text marks ask for (:func:`~reportgen.docx.lines.split_paragraphs`)."""
    lined = _PARAGRAPH_LINE.sub(r"\n<w:p\1", source)
    xml = _JOINED.sub(r"<w:p\1", env.from_string(lined).render(context))
    for escaped, delimiter in _ESCAPES:
        xml = xml.replace(escaped, delimiter)
    if _LISTING.search(xml):  # else docxtpl's resolve_listing changes nothing
        from reportgen.engine.docxtpl_adapter import resolve_listing
        xml = resolve_listing(xml)
    return split_paragraphs(xml)


def fitted_body(xml: str) -> etree._Element:
    """docxtpl's ``fix_tables`` of a rendered body, then its ``fix_docpr_ids``."""
    tree = etree.fromstring(xml, parser=_BODY_PARSER)
    if any(_grid_misfits(table) for table in tree.iter(_TBL)):
        from reportgen.engine.docxtpl_adapter import fix_tables
        tree = fix_tables(xml)
    for number, drawing in enumerate(tree.iter(_DOC_PR), start=1001):
        drawing.attrib["id"] = str(number)
    return tree


def _grid_misfits(table: etree._Element) -> bool:
    """Whether ``fix_tables`` would change ``table``'s grid: a row with more cells than
    grid columns, or fewer grid columns used (spans counted) than declared. Rows of
    nested tables count, as they do there."""
    grid = table.find(_TBL_GRID)
    if grid is None:  # docxtpl's own step says what is wrong
        return True
    columns = len(grid.findall(_GRID_COL))
    widest = spanned = 0
    for row in table.iter(_TR):
        cells = row.findall(_TC)
        widest = max(widest, len(cells))
        spanned = max(spanned, sum(_span(cell) for cell in cells))
    return widest > columns or spanned < columns


def _span(cell: etree._Element) -> int:
    properties = cell.find(_TC_PR)
    span = None if properties is None else properties.find(_GRID_SPAN)
    return 1 if span is None else int(span.get(_VAL))


def document_part(skeleton: bytes, body: etree._Element) -> bytes:
    """The main document part: ``skeleton`` (the part as python-docx serialises it, any
    body) with ``body`` in its body's place, serialised as python-docx does."""
    root = etree.fromstring(skeleton, parser=_PART_PARSER)
    root.replace(root.find(W + "body"), body)
    return etree.tostring(root, encoding="UTF-8", standalone=True)


def header_part(xml: str, encoding: str) -> bytes:
    """A rendered header or footer serialised as python-docx writes a part it read."""
    root = etree.fromstring(xml.encode(encoding), parser=_PART_PARSER)
    return etree.tostring(root, encoding="UTF-8", standalone=True)


def render_parts(layout: Layout, skeleton: bytes, env, context: dict[str, Any]) -> dict[str, bytes]:
    """The serialised XML of each tagged part of ``layout``, by entry name, as docxtpl's
    ``render`` leaves them; ``skeleton`` is the main document part as python-docx
    serialises it. Safe from many threads: nothing shared is changed."""
    body = fitted_body(render_source(env, layout.body, context))
    out = {layout.document: document_part(skeleton, body)}
    for part in layout.parts:
        out[part.name] = header_part(render_source(env, part.source, context), part.encoding)
    return out
