"""Write the adopted template: the report itself, each paragraph's text replaced by its plan.

Everything else of the document is kept as it was: page setup, styles, headers and
footers, tables, each paragraph's properties and the formatting of its first run. A
paragraph's new text goes into its first text element (so a tag is never split across
runs, which docxtpl could not read) and its other text elements are emptied. A loop is
written the way the shipped templates write one: ``{%p for … %}`` and ``{%p endfor %}`` as
paragraphs of their own, copies of the item's paragraph, around the item.
"""
from __future__ import annotations

import copy
import io

from docx.document import Document
from docx.oxml.ns import qn

_T = qn("w:t")


def _set_text(p_element, text: str) -> None:
    texts = list(p_element.iter(_T))
    if not texts:  # a paragraph with no text run: give it one
        run = p_element.makeelement(qn("w:r"), {})
        texts = [run.makeelement(_T, {})]
        run.append(texts[0])
        p_element.append(run)
    texts[0].text = text
    texts[0].set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    for t in texts[1:]:
        t.text = ""


def _cell_paragraphs(tables) -> list:
    """The paragraphs of each cell of ``tables`` (a merged cell once), row by row."""
    elements, seen = [], set()
    for table in tables:
        for row in table.rows:
            for cell in row.cells:
                if cell._tc not in seen:
                    seen.add(cell._tc)
                    elements += [p._p for p in cell.paragraphs]
    return elements


def paragraph_elements(document: Document) -> list:
    """The paragraphs an adoption may rewrite, as XML elements: the body's, then those
    of each table cell (a merged cell once), in the numbering of
    :func:`reportgen.adopt.tables.cells`, then those of the headers and footers, their
    tables' cells included."""
    elements = [p._p for p in document.paragraphs] + _cell_paragraphs(document.tables)
    known = set(elements)
    for section in document.sections:  # headers and footers last: only names, years and braces change
        for part in (section.header, section.first_page_header, section.even_page_header,
                     section.footer, section.first_page_footer, section.even_page_footer):
            if not part.is_linked_to_previous:
                for p in [p._p for p in part.paragraphs] + _cell_paragraphs(part.tables):
                    if p not in known:
                        known.add(p)
                        elements.append(p)
    return elements


_FIELDS = (qn("w:fldChar"), qn("w:instrText"), qn("w:fldSimple"))


def has_field(p_element) -> bool:
    """Whether a paragraph holds a field (a page number): its text elements stand on
    either side of it and must stay there."""
    return any(True for _ in p_element.iter(*_FIELDS))


def pieces(p_element) -> list[str]:
    """The text of each of a paragraph's text elements, in order."""
    return [t.text or "" for t in p_element.iter(_T)]


def element_text(p_element) -> str:
    """The text of a paragraph element (or any other: a cell, a body), as its text elements hold it."""
    return "".join(t.text or "" for t in p_element.iter(_T))


def _cell_text(tc, text: str) -> None:
    """``tc`` holding ``text`` in its first paragraph, its other paragraphs gone."""
    paragraphs = tc.findall(qn("w:p"))
    for p in paragraphs[1:]:
        tc.remove(p)
    _set_text(paragraphs[0], text)


def loop_rows(table, rows: range, item: dict[int, str]) -> None:
    """Replace the rows ``rows`` of ``table`` (w:tbl) by one row printed per indicator,
    between ``{%tr for %}`` rows over ``indicators.groups`` and each group's indicators.
    Each cell of the looped row is a copy of the first cell of its column that holds
    text (so it keeps that text's font), holding the template text ``item[column]``."""
    data = [table.findall(qn("w:tr"))[r] for r in rows]
    row = copy.deepcopy(data[0])
    for c, tc in enumerate(row.findall(qn("w:tc"))):
        source = next((tr.findall(qn("w:tc"))[c] for tr in data if element_text(tr.findall(qn("w:tc"))[c]).strip()), None)
        if source is not None:
            tc.getparent().replace(tc, copy.deepcopy(source))
    for c, tc in enumerate(row.findall(qn("w:tc"))):
        pr = tc.find(qn("w:tcPr"))
        if pr is None:
            pr = tc.makeelement(qn("w:tcPr"), {})
            tc.insert(0, pr)
        for merge in pr.findall(qn("w:vMerge")):
            pr.remove(merge)
        if not len(pr):  # {% vm %} is read after a closing </w:tcPr>
            pr.append(pr.makeelement(qn("w:tcW"), {qn("w:w"): "0", qn("w:type"): "auto"}))
        _cell_text(tc, item[c])

    def marker(text: str):
        tr = copy.deepcopy(row)
        for c, tc in enumerate(tr.findall(qn("w:tc"))):
            _cell_text(tc, text if c == 0 else "")
        return tr
    for tr in (marker("{%tr for g in indicators.groups %}"), marker("{%tr for i in g.indicators %}"), row,
               marker("{%tr endfor %}"), marker("{%tr endfor %}")):
        data[0].addprevious(tr)
    for tr in data:
        table.remove(tr)


def write_template(document: Document, ops: dict[int, tuple], tables: tuple = ()) -> bytes:
    """``document`` with ``ops`` applied (paragraph index → ("text", s), ("pieces", one
    text per text element), ("delete",) or ("loop", opening tag, item text, closing tag)),
    and the rows of each of ``tables`` (the arguments of :func:`loop_rows`) looped, as
    .docx bytes. ``document`` is changed."""
    elements = paragraph_elements(document)
    for index, op in ops.items():
        p = elements[index]
        if op[0] == "text":
            _set_text(p, op[1])
        elif op[0] == "pieces":  # each text element its own text: a field between them stays put
            for t, text in zip(p.iter(_T), op[1]):
                t.text = text
                t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        elif op[0] == "delete":
            p.getparent().remove(p)
        elif op[0] == "loop":
            opening, closing = copy.deepcopy(p), copy.deepcopy(p)
            _set_text(opening, op[1])
            _set_text(closing, op[3])
            _set_text(p, op[2])
            p.addprevious(opening)
            p.addnext(closing)
    for table in tables:
        loop_rows(*table)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
