"""Bind the figures of a report's tables: a cell that is only a number.

A table prints its figures bare (“3,210.50”, the unit in a header), so a cell is bound
by value, not by words: to the one quantity the data gives or computes (全年预算数, 执行数,
执行率 …, see :attr:`Bindings.known`) that it equals at its printed precision. Where
several equal it (执行数 and the one funding source it came from), the column's and the
row's headers choose among them by the labels of :data:`binding.LABELS`; a cell still
undecided, a zero, or one no quantity equals stays text, with the reason.
"""
from __future__ import annotations

import re
from decimal import Decimal
from typing import NamedTuple

from docx.document import Document

from reportgen.adopt.binding import Bindings, Bound, Plain, _agrees, _candidate
from reportgen.adopt.numerals import half_width
from reportgen.adopt.printed import Printed, reprint

_CELL = re.compile(r"^(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<frac>\d+))?\s*(?P<unit>%|％|万元)?$")
_RATES = ("execution_rate", ".share")


class Cell(NamedTuple):
    """A table cell's only paragraph: its place among all paragraphs and its headers."""

    index: int
    text: str
    headers: tuple[str, str]  # the column's first cell, the row's first cell
    place: str  # “表1第2行第3列”


def cells(document: Document, first: int) -> list[Cell]:
    """Every single-paragraph cell of the document's tables, numbered from ``first`` in
    the order :func:`reportgen.adopt.template.paragraph_elements` lists them."""
    found, seen, index = [], set(), first
    for t, table in enumerate(document.tables, start=1):
        for r, row in enumerate(table.rows):
            for c, cell in enumerate(row.cells):
                if cell._tc in seen:  # a merged cell is listed once per grid column
                    continue
                seen.add(cell._tc)
                paragraphs = cell.paragraphs
                if len(paragraphs) == 1:
                    found.append(Cell(index, half_width(paragraphs[0].text).strip(),
                                      (table.rows[0].cells[c].text.strip(), row.cells[0].text.strip()),
                                      f"表{t}第{r + 1}行第{c + 1}列"))
                index += len(paragraphs)
    return found


def _printed(text: str) -> Printed | None:
    m = _CELL.match(text)
    if not m:
        return None
    whole, frac, unit = m.group("int"), m.group("frac") or "", m.group("unit") or ""
    digits = whole + ("." + frac if frac else "")
    grouping = True if "," in whole else (False if len(whole) > 3 else None)
    # a bare cell reads as an amount (money first) unless it says %
    return Printed(0, len(digits), Decimal(digits.replace(",", "")), len(frac), grouping, unit,
                   digits, "", "", len(text) if unit else len(digits))


def bind_cells(found: list[Cell], bindings: Bindings, grouping: bool) -> tuple[list[Bound], list[Plain]]:
    """The cells of ``found`` bound to the quantities of ``bindings``, and those left as text."""
    bound, plain = [], []
    for cell in found:
        p = _printed(cell.text)
        if p is None:
            continue
        percent = p.unit in ("%", "％")
        equal = [path for path, value in bindings.known.items()
                 if path.endswith(_RATES) == percent and not path.startswith(("scope.first", "scope.second"))
                 and _agrees(value, p)]
        if len(equal) > 1:
            as_labelled = p._replace(unit=p.unit or "万元")  # the header's unit, as a sentence would print it
            named = {(_candidate(as_labelled._replace(label=h)) or ("",))[0] for h in cell.headers}
            equal = [path for path in equal if path in named] or equal
        if p.value == 0 or len(equal) != 1:
            why = "为0" if p.value == 0 else ("与多个数据项相等，表头也分不出" if equal else "数据中没有与之相等的数")
            plain.append(Plain(cell.index, p, f"表格中的数{why}，作为文字保留"))
            continue
        path = equal[0]
        kind = "field" if path in bindings.values else "derived"
        if percent:
            bound.append(Bound(cell.index, p, path, kind, f"{{{{ {path}|percent({p.places}) }}}}", True))
            continue
        way = reprint(p, bindings.known[path] if kind == "field" else None, grouping)
        if way is None:
            plain.append(Plain(cell.index, p, "无法用模板的格式写出同样的数字"))
        else:
            bound.append(Bound(cell.index, p, path, kind, f"{{{{ {path}|{way[0]}({way[1]}) }}}}", False))
    return bound, plain
