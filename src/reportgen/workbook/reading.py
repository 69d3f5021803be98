"""A fill-in workbook (.xlsx) → the plain data a JSON file gives, and where each value
came from.

Each sheet is read by its :mod:`.layout`: the single values by their labels in column
A, the list sheets by their headers, so columns and rows may be moved. Each cell is
converted by its column's kind (:mod:`.cells`); a cell that cannot be is a problem at
its JSON path, like any other. :class:`~.places.Places` maps JSON paths back to cells, so that
every problem, whether of a cell or found later by structuring, names
``sheet!cell（header）``.
"""
from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any, Mapping, Optional

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.utils.exceptions import InvalidFileException

from reportgen.errors import CellPlace, DataError, DataPath, Place, Problem, did_you_mean, os_reason, suggest
from reportgen.loading import shapes
from reportgen.loading.hooks import Invalid, show
from reportgen.workbook import cells
from reportgen.workbook.layout import JOIN, KIND_LABEL, SINGLE, Column, Layout, Sheet, layout
from reportgen.workbook.places import Places, cell_at


def _open(source: Path | bytes, name: str):
    try:
        return load_workbook(io.BytesIO(source) if isinstance(source, bytes) else source, data_only=True)
    except FileNotFoundError:
        raise DataError(f"找不到数据文件：{name.strip()}") from None
    except (PermissionError, IsADirectoryError) as exc:
        raise DataError(f"无法读取{name}：{os_reason(exc)}") from None
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, TypeError, OSError) as exc:
        raise DataError(f"{name}不是有效的 .xlsx 工作簿，无法读取（{type(exc).__name__}）；"
                        f"请在 Excel 或 WPS 中另存为 .xlsx") from None


def _set(data: dict, steps: tuple, value: Any) -> None:
    for step in steps[:-1]:
        data = data.setdefault(step, {})
    data[steps[-1]] = value


def _ensure_required(cls: type, data: dict) -> None:
    """Give each required nested object an (empty) dict, so that its own missing
    fields are named rather than the object as a whole."""
    for field, shape in shapes.fields(cls):
        if shape.kind == "object" and shapes.required(field) and not shape.optional:
            _ensure_required(shape.tp, data.setdefault(field.name, {}))
        elif shape.kind == "object" and isinstance(data.get(field.name), dict):
            _ensure_required(shape.tp, data[field.name])


def _compact_measures(item: dict, columns: tuple[Column, ...]) -> None:
    """A target given only by its text is the text, as a JSON file writes it."""
    for column in columns:
        if column.measure == "text":
            holder = item
            for step in column.steps[:-2]:
                holder = holder.get(step, {}) if isinstance(holder, dict) else {}
            measure = holder.get(column.steps[-2]) if isinstance(holder, dict) else None
            if isinstance(measure, dict) and set(measure) == {"text"}:
                holder[column.steps[-2]] = measure["text"]


#: rows at the top of a sheet searched for its header row (a title may stand above it).
_HEADER_ROWS = 10
#: the header of the single-values sheet's label column.
_LABELS = "项目"
_NUMBERS = ("decimal", "whole")


def _header_row(ws, wanted: Mapping[str, Any]) -> int:
    """The row among the first few holding the most of the ``wanted`` headers (1 when none does)."""
    best, found = 1, 0
    for row in range(1, min(ws.max_row, _HEADER_ROWS) + 1):
        count = sum(str(ws.cell(row, col).value or "").strip() in wanted for col in range(1, ws.max_column + 1))
        if count > found:
            best, found = row, count
    return best


def _merged_down(ws, below: int) -> list[tuple[int, int, int]]:
    """(column, first row, last row) of each cell merged down over rows below ``below``
    (Excel and WPS keep its value in the first row only)."""
    out = []
    for merged in ws.merged_cells.ranges:
        first_col, first_row, last_col, last_row = range_boundaries(merged.coord)
        if first_col == last_col and first_row > below and last_row > first_row:
            out.append((first_col, first_row, last_row))
    return out


class _Reader:
    def __init__(self, wb, layout: Layout):
        self.wb, self.layout = wb, layout
        self.places = Places(layout)
        self.problems: list[Problem] = []
        self.data: dict = {}
        self.above: dict[tuple[str, int, int], int] = {}  # (sheet, row, column) → row its merged value is in

    def merged(self, ws, found: list, below: int) -> None:
        """A cell merged down over several rows holds for each of them, as it reads (单位名称
        over its indicators); not an amount or a count, which no row can take for its own:
        that is one problem (and read for each row all the same, so it is the only one)."""
        kinds = {col: column for col, _, column in found}
        for col, first, last in _merged_down(ws, below):
            column = kinds.get(col)
            if column is not None and column.kind in _NUMBERS:
                letter = get_column_letter(col)
                self.problems.append(Problem(CellPlace(ws.title, f"{letter}{first}:{letter}{last}", column.header),
                                             "数值单元格不能跨行合并：请取消合并，每行填写各自的数值"))
            self.above.update({(ws.title, row, col): first for row in range(first + 1, last + 1)})

    def cell(self, ws, row: int, col: int, column: Column, steps: Optional[tuple]) -> Any:
        """The value of one cell, its place kept under ``steps`` (None: a parent's name,
        which has no JSON path of its own); a cell that cannot be read is a problem.
        A cell merged down from a row above reads as that row's, and is placed there."""
        source = self.above.get((ws.title, row, col))
        row = row if source is None else source
        cell = ws.cell(row, col)
        place = cell_at(ws.title, row, col, column.header)
        if steps is not None:
            blank = cell.value in (None, "")
            self.places.add(steps, place, blank)
            if column.measure == "text":
                self.places.add(steps[:-1], place, blank)
        try:
            unit = column.info.unit or ("万元" if column.money else None)  # the money columns' unit
            return cells.read(cell.value, column.kind, cell.number_format, unit)
        except Invalid as exc:
            problem = Problem(place if steps is None or source is not None else DataPath(steps), str(exc))
            if problem not in self.problems:  # a merged cell's value, read for each of its rows: once
                self.problems.append(problem)
            return None

    def single(self) -> None:
        ws = self.wb[SINGLE]
        top = _header_row(ws, {_LABELS: None}) + 1
        rows = {str(ws.cell(r, 1).value).strip(): r for r in range(top, ws.max_row + 1) if ws.cell(r, 1).value}
        known = {c.header: c for c in self.layout.single}
        for label, row in rows.items():
            if label != KIND_LABEL and label not in known:
                self.problems.append(Problem(cell_at(SINGLE, row, 1), f"未知的项目“{label}”",
                                             hint=did_you_mean(suggest(label, known))))
        for column in self.layout.single:
            if column.header in rows:
                value = self.cell(ws, rows[column.header], 2, column, column.steps)
                if value is not None:
                    _set(self.data, column.steps, value)

    def headers(self, ws, sheet: Sheet) -> tuple[int, list[tuple[int, Optional[int], Column]]]:
        """(the header row, and the column number, parent index or None for the sheet's
        own, and column of each header). A title above the headers is passed over."""
        wanted: dict[str, tuple[Optional[int], Column]] = {p.key.header: (i, p.key)
                                                           for i, p in enumerate(sheet.parents)}
        wanted.update({c.header: (None, c) for c in sheet.columns})
        found: list[tuple[int, Optional[int], Column]] = []
        top = _header_row(ws, wanted)
        for col in range(1, ws.max_column + 1):
            text = str(ws.cell(top, col).value or "").strip()
            place = cell_at(ws.title, top, col)
            if not text:
                continue
            if text not in wanted:
                self.problems.append(Problem(place, f"未知的列“{text}”", hint=did_you_mean(suggest(text, wanted))))
            elif any(column.header == text for _, _, column in found):
                self.problems.append(Problem(place, f"列“{text}”出现了两次"))
            else:
                found.append((col, *wanted[text]))
        for parent in sheet.parents:
            if not any(column is parent.key for _, _, column in found):
                self.problems.append(Problem(Place(f"工作表“{ws.title}”"), f"缺少列“{parent.key.header}”："
                                             f"每行要写所属的{parent.key.info.meaning}"))
        return top, found

    def sheet(self, sheet: Sheet, entries: dict[str, list]) -> None:
        """Read one list sheet; ``entries`` keeps each sheet's items as (keys, item, steps),
        for the rows of its child sheets to find their parent by."""
        entries[sheet.name] = []
        if sheet.name not in self.wb.sheetnames:
            return
        ws = self.wb[sheet.name]
        top, found = self.headers(ws, sheet)
        self.merged(ws, found, top)
        for row in range(top + 1, ws.max_row + 1):  # a row only merged into from above is no item
            if any(ws.cell(row, col).value not in (None, "") for col, _, _ in found):
                self.row(ws, sheet, row, found, entries)

    def row(self, ws, sheet: Sheet, row: int, found: list, entries: dict[str, list]) -> None:
        keys: list = [None] * len(sheet.parents)
        own = [(col, column) for col, parent, column in found if parent is None]
        for col, parent, column in found:
            if parent is not None:
                keys[parent] = self.cell(ws, row, col, column, None)
        owners = {parent: col for col, parent, _ in found if parent is not None}
        holder, base = self.owner(ws, sheet, row, keys, entries, owners)
        if holder is None:
            return
        for step in sheet.steps[:-1]:
            holder = holder.setdefault(step, {})
        if sheet.mapping:
            self.entry(ws, row, own, holder.setdefault(sheet.steps[-1], {}), base + sheet.steps)
            return
        items = holder.setdefault(sheet.steps[-1], [])
        steps = base + sheet.steps + (len(items),)
        if not sheet.columns[0].steps:  # a list of texts or numbers: one column
            items.append(next((self.cell(ws, row, col, c, steps) for col, c in own), None))
            return
        item: dict = {}
        for col, column in own:
            value = self.cell(ws, row, col, column, steps + column.steps)
            if value is not None:
                _set(item, column.steps, value)
        _ensure_required(sheet.item, item)  # type: ignore[arg-type]  # an attrs class here
        _compact_measures(item, sheet.columns)
        items.append(item)
        entries[sheet.name].append((tuple(keys) + (item.get(sheet.key.steps[0]),), item, steps))

    def entry(self, ws, row: int, own: list, mapping: dict, steps: tuple) -> None:
        """One 名称 → 值 row of a map sheet."""
        cells_of = {column.steps[0]: (col, column) for col, column in own}
        key = self.cell(ws, row, *cells_of["key"], None) if "key" in cells_of else None
        if "key" in cells_of:
            col, column = cells_of["key"]
            place: Any = cell_at(ws.title, row, col, column.header)
        else:  # the 名称 column is missing: no cell of this row names it
            place = Place(f"工作表“{ws.title}”第{row}行")
        if key is None:
            self.problems.append(Problem(place, "缺少名称"))
            return
        if key in mapping:
            self.problems.append(Problem(place, f"名称“{key}”写了两次"))
        value = self.cell(ws, row, *cells_of["value"], steps + (key,)) if "value" in cells_of else None
        mapping[key] = value

    def owner(self, ws, sheet: Sheet, row: int, keys: list, entries: dict[str, list],
              owner_columns: dict[int, int]) -> tuple[Optional[dict], tuple]:
        """The item this row belongs to (the document for a top-level sheet), and its
        steps; ``owner_columns`` maps each parent's index to the column of its name."""
        if not sheet.parents:
            return self.data, ()
        parent = sheet.parents[-1]
        matches = [(item, steps) for k, item, steps in entries.get(parent.name, []) if k == tuple(keys)]
        shown = JOIN.join(str(k or "") for k in keys)
        # Names merged over several rows: said once, at the first row of those they cover.
        row = max([self.above.get((ws.title, row, col), row) for col in owner_columns.values()] or [row])
        first = min(owner_columns, default=None)  # the first parent whose name has a column
        place: Any = (Place(f"工作表“{ws.title}”第{row}行") if first is None
                      else cell_at(ws.title, row, owner_columns[first], sheet.parents[first].key.header))
        if len(matches) == 1:
            return matches[0]
        if matches:
            problem = Problem(place, f"工作表“{parent.name}”中有{len(matches)}个“{shown}”，无法确定所属")
        elif None not in keys:
            problem = Problem(place, f"在工作表“{parent.name}”中找不到“{shown}”", hint="所属名称应与该表中的写法完全一致")
        else:
            problem = Problem(place, f"缺少所属的{JOIN.join(p.key.header for p in sheet.parents)}")
        if problem not in self.problems:
            self.problems.append(problem)
        return None, ()

    def read(self) -> dict:
        self.single()
        entries: dict[str, list] = {}
        for sheet in self.layout.sheets:
            self.sheet(sheet, entries)
        _ensure_required(self.layout.model, self.data)
        return self.data


def _kind(wb, models: Mapping[str, type], name: str) -> str:
    if SINGLE not in wb.sheetnames:
        raise DataError(f"{name}中没有“{SINGLE}”工作表；请用 reportgen init 生成的工作簿填写")
    ws = wb[SINGLE]
    for row in range(2, ws.max_row + 1):
        if str(ws.cell(row, 1).value or "").strip() == KIND_LABEL:
            kind = ws.cell(row, 2).value
            if isinstance(kind, str) and kind.strip() in models:
                return kind.strip()
            known = "、".join(f"“{k}”" for k in models)
            raise DataError(f"{name}不符合要求：", [Problem(cell_at(SINGLE, row, 2, KIND_LABEL),
                                                          f"未知的文种 {show(kind)}（可选：{known}）")])
    raise DataError(f"{name}不符合要求：", [Problem(Place(f"工作表“{SINGLE}”"), f"缺少“{KIND_LABEL}”一行")])


def read(source: Path | bytes, models: Mapping[str, type], name: str = "工作簿") -> tuple[dict, Places, list[Problem]]:
    """(the plain data with its ``"kind"``, the places of its values, the problems of its
    cells, each at its JSON path) of a workbook file or its bytes. ``models`` maps each
    kind's name to its model. Raises :class:`DataError` when it is no workbook of a
    known kind."""
    wb = _open(source, name)
    kind = _kind(wb, models, name)
    reader = _Reader(wb, layout(models[kind]))
    data = reader.read()
    return {"kind": kind, **data}, reader.places, reader.problems
