"""Where each field of a model goes in a fill-in workbook, derived from the model alone.

A kind's workbook has one sheet of single values (:data:`SINGLE`: one row per value
that is not inside a list, its Chinese label in column A and the value in column B),
one sheet per list and per named map (主要职能, 绩效指标, 其他人数 …, each row one item,
each column one field with its Chinese meaning as header), and a 说明 sheet. Objects
inside a row are flattened into columns headed "一级指标·名称"; a target or actual
value is one column of text ("≥90%"), with columns for its comparator, value and unit
beside it for the rare value whose text does not say them. A list of texts inside a row
(标签, 存在问题) is one cell, a line per item. A list of objects inside a row (a
project's 绩效指标) is a sheet of its own, one row per item, repeating its parents'
names (单位名称, 项目名称) the way budget-system exports do.

Sheet names and headers are the fields' meanings (:mod:`reportgen.model.fields`); a
list whose meaning another sheet already took is named after its parent too
("项目支出·绩效指标").
"""
from __future__ import annotations

import functools
from typing import Any, Optional

import attrs
from attrs import frozen

from reportgen.loading import shapes
from reportgen.model import Money
from reportgen.model.fields import FieldInfo, info_of, model_info

#: the sheet of single values, the explanation sheet, and the 文种 row's label.
SINGLE, README, KIND_LABEL = "基本信息", "说明", "文种"
#: how nested meanings join in a label or header.
JOIN = "·"
#: characters a sheet name may not hold (Excel), and its longest length.
_SHEET_ILLEGAL, _SHEET_LONGEST = set("[]:*?/\\"), 31

Steps = tuple  # field names (and, once placed, list indices) from an item or the root


@frozen
class Column:
    """One column of a list sheet, or one row of the single-values sheet.

    ``steps`` lead from the row's item (or the document) to the value; ``kind`` is the
    value's shape kind ("decimal", "whole", "bool", "text", "choice", or "lines" for a
    list of texts in one cell); ``measure`` is "text" for the column that holds a
    target's or actual's own words, "part" for its comparator/value/unit columns.
    """

    header: str
    steps: Steps
    kind: str
    info: FieldInfo
    required: bool = False
    choices: tuple = ()
    measure: str = ""
    money: bool = False  # a Money amount: shown with two places and grouping


@frozen
class Sheet:
    """One list (or named map) sheet. ``steps`` lead from the parent item (or the
    document) to the list; ``parents`` are the parent sheets whose key column each row
    repeats; ``mapping`` is true for a map (名称 → 值), whose first column is the key."""

    name: str
    steps: Steps
    item: Any  # the item's type: an attrs class, or a scalar type
    columns: tuple[Column, ...]
    parents: tuple["Sheet", ...] = ()
    mapping: bool = False
    info: Optional[FieldInfo] = None

    @property
    def key(self) -> Column:
        """The column that names an item for its children (项目名称)."""
        return self.columns[0]

    @property
    def headers(self) -> list[str]:
        """The header row: each parent's key column, then the sheet's own columns."""
        return [p.key.header for p in self.parents] + [c.header for c in self.columns]


@frozen
class Layout:
    """A model's whole workbook: the single values and the list sheets, in order."""

    model: type
    single: tuple[Column, ...]
    sheets: tuple[Sheet, ...]


def _scalar(header: str, steps: Steps, shape: shapes.Shape, field: attrs.Attribute, measure: str = "") -> Column:
    return Column(header, steps, shape.kind, info_of(field), shapes.required(field) and not shape.optional,
                  shape.choices, measure, shape.tp is Money)


def _row_columns(cls: type, prefix: Steps = (), label: str = "") -> tuple[list[Column], list[tuple]]:
    """The columns of one item of ``cls`` and the lists of objects inside it
    (as (steps, field, shape) to become sheets of their own)."""
    columns, lists = [], []
    for field, shape in shapes.fields(cls):
        meaning = info_of(field).meaning
        header, steps = (label + JOIN + meaning if label else meaning), prefix + (field.name,)
        if shape.kind == "measure":
            for sub, sub_shape in shapes.fields(shape.tp):
                own = sub.name == "text"
                columns.append(_scalar(header if own else header + JOIN + info_of(sub).meaning,
                                       steps + (sub.name,), sub_shape, sub, "text" if own else "part"))
        elif shape.kind == "object":
            inner, nested = _row_columns(shape.tp, steps, header)
            columns += inner
            lists += nested
        elif shape.kind == "list" and attrs.has(shape.item):
            lists.append((steps, field, shape))
        elif shape.kind == "list":
            columns.append(Column(header, steps, "lines", info_of(field)))
        elif shape.kind == "dict":
            raise TypeError(f"{cls.__name__}.{field.name}: a map inside a list has no workbook layout")
        else:
            columns.append(_scalar(header, steps, shape, field))
    return columns, lists


def _unique(name: str, parent: str, taken: set[str]) -> str:
    name = "".join("_" if ch in _SHEET_ILLEGAL else ch for ch in name)
    if name in taken:
        name = f"{parent}{JOIN}{name}"
    if name in taken or len(name) > _SHEET_LONGEST:
        raise TypeError(f"no unique sheet name for {name!r}")
    taken.add(name)
    return name


def _list_sheet(steps: Steps, field: attrs.Attribute, shape: shapes.Shape, parents: tuple,
                taken: set[str], out: list[Sheet]) -> None:
    info = info_of(field)
    name = _unique(info.meaning, parents[-1].name if parents else "", taken)
    if shape.kind == "dict":
        value = shapes.of(shape.item)
        key_kind = "choice" if shapes.of(shape.key).kind == "choice" else "text"
        columns: tuple[Column, ...] = (Column("名称", ("key",), key_kind, FieldInfo("名称"), True, shapes.of(shape.key).choices),
                   Column(info.meaning, ("value",), value.kind, info, True, value.choices))
        out.append(Sheet(name, steps, shape.item, columns, parents, True, info))
        return
    if not attrs.has(shape.item):
        item = shapes.of(shape.item)
        out.append(Sheet(name, steps, shape.item, (Column(info.meaning, (), item.kind, info, True),), parents,
                         info=info))
        return
    own, lists = _row_columns(shape.item)
    sheet = Sheet(name, steps, shape.item, tuple(own), parents, info=info)
    if len(set(sheet.headers)) < len(sheet.headers):
        raise TypeError(f"sheet {name!r}: two columns with one header")
    if lists and sheet.key.kind != "text":
        raise TypeError(f"{shape.item.__name__}: its first field must name it for its child sheets")
    out.append(sheet)
    for child_steps, child, child_shape in lists:
        _list_sheet(child_steps, child, child_shape, parents + (sheet,), taken, out)


def _walk_single(cls: type, prefix: Steps, label: str, single: list, found: list) -> None:
    for field, shape in shapes.fields(cls):
        meaning = info_of(field).meaning
        header, steps = (label + JOIN + meaning if label else meaning), prefix + (field.name,)
        if shape.kind == "object":
            _walk_single(shape.tp, steps, header, single, found)
        elif shape.kind in ("list", "dict"):
            found.append((steps, field, shape))
        elif shape.kind == "measure":
            raise TypeError(f"{cls.__name__}.{field.name}: a target outside a list has no workbook layout")
        else:
            single.append(_scalar(header, steps, shape, field))


@functools.lru_cache(maxsize=None)
def layout(model: type) -> Layout:
    """The workbook layout of a document model (cached: models are immutable classes).
    ``TypeError`` if the model nests something a workbook cannot hold."""
    model_info(model)  # a model without its meaning has no workbook: LookupError
    single: list[Column] = []
    found: list[tuple] = []
    _walk_single(model, (), "", single, found)
    taken, sheets = {SINGLE, README}, []  # type: set[str], list[Sheet]
    for steps, field, shape in found:
        _list_sheet(steps, field, shape, (), taken, sheets)
    return Layout(model, tuple(single), tuple(sheets))
