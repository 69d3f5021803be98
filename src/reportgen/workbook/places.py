"""Where in a workbook each value of its data was typed: JSON steps → cell.

A problem found after reading (by structuring, by ``reportgen check``, by the refusal
of impossible scores) names a JSON path; :meth:`Places.locate` moves it to the cell
the value came from, ``sheet!cell（header）``. A problem about a whole object rather
than one value (``$.settings.weights``: 预算执行率 and the 一级指标 points, which must add
up to 100) is placed at the first cell holding one of its parts, and its message names
the other cells, and the parts left blank that count with their defaults.
"""
from __future__ import annotations

from typing import Any, Optional

from openpyxl.utils import get_column_letter

from reportgen.errors import CellPlace, DataPath, Place, Problem
from reportgen.workbook.layout import SINGLE, Layout


def cell_at(sheet: str, row: int, col: int, header: str = "") -> CellPlace:
    """The cell of ``sheet`` at ``row`` and ``col`` (1-based), under ``header``."""
    return CellPlace(sheet, f"{get_column_letter(col)}{row}", header)


class Places:
    """JSON steps → the cell they were read from; :meth:`locate` moves a problem there."""

    def __init__(self, layout: Optional[Layout] = None):
        self.cells: dict[tuple, CellPlace] = {}
        self.blank: set[tuple] = set()  # steps whose cell was there but empty
        self.layout = layout

    def add(self, steps: tuple, place: CellPlace, blank: bool = False) -> None:
        self.cells.setdefault(steps, place)
        if blank:
            self.blank.add(steps)

    def locate(self, problem: Problem) -> Problem:
        """``problem`` with its JSON path replaced by the cell (or sheet) it stands for."""
        if not isinstance(problem.where, DataPath):
            return problem
        steps = problem.where.steps
        for end in range(len(steps), 0, -1):
            if steps[:end] in self.cells:
                return Problem(self.cells[steps[:end]], problem.message, problem.severity, problem.hint)
        where = self._sheet_of(steps)
        if isinstance(where, DataPath):  # an object of several values: where its parts are
            return self._at_parts(problem, steps)
        return Problem(where, problem.message, problem.severity, problem.hint)

    def _sheet_of(self, steps: tuple) -> Any:
        """A place in words for a value that has no cell (a row or a column left out)."""
        names = tuple(s for s in steps if isinstance(s, str))
        if self.layout is None:
            return DataPath(steps)
        for column in self.layout.single:
            if column.steps == names:
                return Place(f"{SINGLE}（{column.header}）")
        for sheet in reversed(self.layout.sheets):
            full = sum((p.steps for p in sheet.parents), ()) + sheet.steps
            if names[:len(full)] == full:
                rest = names[len(full):]
                header = next((c.header for c in sheet.columns if c.steps == rest[:len(c.steps)] and c.steps), "")
                return Place(f"工作表“{sheet.name}”" + (f"的“{header}”列" if header else ""))
        return DataPath(steps)

    def _at_parts(self, problem: Problem, steps: tuple) -> Problem:
        """``problem`` about the object at ``steps``, placed at the first cell typed in it,
        its message naming the other cells and the parts left to their defaults."""
        inside = [key for key in self.cells if len(key) > len(steps) and key[:len(steps)] == steps]
        typed = list(dict.fromkeys(self.cells[key] for key in inside if key not in self.blank))
        untyped = [str(self.cells[key]) for key in inside if key in self.blank] + self._left_out(steps)
        if not typed and not untyped:
            return problem
        said = ([f"另见 {_cells(typed[1:])}"] if len(typed) > 1 else []) + \
               ([f"{'、'.join(untyped)}未填写，按默认值计"] if untyped else [])
        where = typed[0] if typed else Place(_parts_place(untyped))
        message = problem.message + (f"（{'；'.join(said)}）" if typed and said else "")
        return Problem(where, message, problem.severity, problem.hint)

    def _left_out(self, steps: tuple) -> list[str]:
        """The rows of 基本信息 and the sheets within the object at ``steps`` that hold no
        value of it at all (their values are the defaults), in words."""
        if self.layout is None or not all(isinstance(s, str) for s in steps):
            return []

        def held(full: tuple) -> bool:
            return any(key[:len(full)] == full for key in self.cells)
        rows = [f"{SINGLE}中的“{c.header}”" for c in self.layout.single
                if c.steps[:len(steps)] == steps and not held(c.steps)]
        sheets = [f"工作表“{s.name}”" for s in self.layout.sheets
                  if not s.parents and s.steps[:len(steps)] == steps and not held(s.steps)]
        return rows + sheets


def _cells(places: list[CellPlace]) -> str:
    """Cells in words, each sheet's named once: "一级指标分值!B3、B4"."""
    shown, sheet = [], None
    for place in places:
        shown.append(place.cell if place.sheet == sheet else f"{place.sheet}!{place.cell}")
        sheet = place.sheet
    return "、".join(shown)


def _parts_place(untyped: list[str]) -> str:
    return "、".join(untyped) + "（未填写，按默认值计）"
