"""Plain data (or nothing) → a fill-in workbook (.xlsx bytes), byte for byte the same
for the same data.

Each sheet follows :mod:`.layout`: Chinese headers, each with a comment saying what
goes there (from the field metadata), drop-down lists where the values are fixed,
number formats for money, frozen header rows; a 说明 sheet says how to fill it in.
Workbook properties and zip entry times are fixed, so that writing the same data twice
gives the same bytes (xlsx → JSON → xlsx is stable).
"""
from __future__ import annotations

import datetime as _dt
import io
import re
import zipfile
from decimal import Decimal
from typing import Any, Iterator, Optional

import attrs
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from reportgen.compute.grades import GRADES
from reportgen.errors import CellPlace, DataError, Problem
from reportgen.loading.measures import read_measure
from reportgen.model.fields import model_info
from reportgen.workbook import cells
from reportgen.workbook.layout import JOIN, KIND_LABEL, README, SINGLE, Column, Layout, Sheet
from reportgen.workbook.places import cell_at

#: 一级 and 二级 indicator names of 财预〔2020〕10号's common indicator framework, offered
#: in drop-downs; a department's own spelling ("经济效益") is still accepted.
LEVEL_NAMES = {"level1": ("产出指标", "效益指标", "满意度指标", "成本指标"),
               "level2": ("数量指标", "质量指标", "时效指标", "成本指标", "经济效益指标", "社会效益指标",
                          "生态效益指标", "可持续影响指标", "服务对象满意度指标")}
#: 自评等级 (compute.grades), offered for the document's own grade.
SUGGESTIONS = {("grade",): tuple(name for name, _, _ in GRADES)}
_FIXED_TIME = _dt.datetime(2020, 1, 1)
_ZIP_TIME = (2020, 1, 1, 0, 0, 0)
_ROWS_OFFERED = 2000  # rows that drop-downs and formats reach beyond the data
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")


def _get(data: Any, steps: tuple) -> Any:
    for step in steps:
        if not isinstance(data, dict):
            return None
        data = data.get(step)
    return data


def _measure_compact(value: Any) -> bool:
    """Whether a target/actual object says no more than its text: then only the text is written."""
    if not isinstance(value, dict):
        return True
    comparator, number, unit = read_measure(value.get("text", ""))
    given = value.get("value")
    return (comparator == value.get("comparator") and unit == value.get("unit", "")
            and (None if number is None else str(number)) == (None if given is None else str(given)))


def _value(item: Any, column: Column) -> Any:
    if not column.steps:  # a list of scalars: the item itself
        return item
    if column.measure:
        measure = _get(item, column.steps[:-1])
        if isinstance(measure, str):
            return measure if column.measure == "text" else None
        if column.measure == "part" and _measure_compact(measure):
            return None
    return _get(item, column.steps)


def rows_of(sheet: Sheet, data: dict) -> Iterator[tuple[list, Any, tuple]]:
    """(parent keys, item, JSON steps) of every item of ``sheet`` in ``data``, in order."""
    chain = sheet.parents + (sheet,)

    def walk(level: int, holder: Any, keys: list, path: tuple):
        current = chain[level]
        found = _get(holder, current.steps)
        if current.mapping:
            entries = [({"key": k, "value": v}, path + current.steps + (k,)) for k, v in (found or {}).items()]
        else:
            entries = [(item, path + current.steps + (i,)) for i, item in enumerate(found or [])]
        for item, steps in entries:
            if level == len(chain) - 1:
                yield keys, item, steps
            else:
                yield from walk(level + 1, item, keys + [_get(item, current.key.steps)], steps)
    yield from walk(0, data, [], ())


def _comment(column: Column) -> Comment:
    info = column.info
    lines = [column.header + ("（必填）" if column.required else "")]
    lines += [text for text in (info.doc, info.unit and f"单位：{info.unit}") if text]
    if info.example is not None:
        lines.append(f"例：{info.example}")
    if column.kind == "lines":
        lines.append("每行一项（单元格内换行：Alt+Enter）。")
    comment = Comment("\n".join(lines), "reportgen")
    comment.width, comment.height = 240, 120
    return comment


def _choices(column: Column) -> tuple[tuple, bool]:
    """(values offered, whether only they are allowed) for a column's drop-down."""
    if column.kind == "bool":
        return (cells.YES, cells.NO), True
    if column.kind == "choice":
        return tuple(cells.COMPARATOR_SHOWN.get(c, c) for c in column.choices), True
    if len(column.steps) >= 2 and column.steps[-1] == "name" and column.steps[-2] in LEVEL_NAMES:
        return LEVEL_NAMES[column.steps[-2]], False
    return SUGGESTIONS.get(column.steps, ()), False


def _validate(ws, column: Column, cell_range: str) -> None:
    values, strict = _choices(column)
    if not values:
        return
    rule = DataValidation(type="list", formula1='"' + ",".join(values) + '"', allow_blank=True,
                          showErrorMessage=strict, errorTitle="无效的值", error="请从下拉列表中选择。")
    ws.add_data_validation(rule)
    rule.add(cell_range)


def _put(ws, row: int, col: int, column: Column, value: Any, place: CellPlace) -> None:
    if column.kind == "lines" and value is not None:
        bad = next((v for v in value if "\n" in v or not v.strip()), None)
        if bad is not None:
            raise DataError("无法写成工作簿：", [Problem(place, "一个单元格里每行一项，这一项是空的或含有换行，"
                                                               "请把它拆开或删去")])
    cell = ws.cell(row, col, cells.write(value, column.kind))
    if isinstance(cell.value, str):
        cell.data_type = "s"  # text that begins with "=" stays text, never a formula
    cell.number_format = cells.number_format(column.kind, value if isinstance(value, Decimal) else None,
                                             column.money)
    if column.kind in ("lines", "text") and isinstance(value, (str, list)):
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _header(ws, headers: list[str], columns: list[Column]) -> None:
    for col, (text, column) in enumerate(zip(headers, columns), start=1):
        cell = ws.cell(1, col, text)
        cell.font = Font(bold=True)
        cell.fill = _REQUIRED_FILL if column.required else _HEADER_FILL
        cell.comment = _comment(column)
        width = 48 if column.kind == "lines" or column.info.meaning in ("正文", "绩效目标") else 14
        ws.column_dimensions[get_column_letter(col)].width = max(width, 2.2 * len(text) + 2)
    ws.freeze_panes = "A2"


def _list_sheet(wb: Workbook, sheet: Sheet, data: Optional[dict]) -> None:
    ws = wb.create_sheet(sheet.name)
    columns = [p.key for p in sheet.parents] + list(sheet.columns)
    _header(ws, sheet.headers, columns)
    for col, column in enumerate(columns, start=1):
        letter = get_column_letter(col)
        _validate(ws, column, f"{letter}2:{letter}{_ROWS_OFFERED}")
        ws.column_dimensions[letter].number_format = cells.number_format(column.kind, None, column.money)
    if data is None:
        return
    for row, (keys, item, _) in enumerate(rows_of(sheet, data), start=2):
        values = keys + [_value(item, c) for c in sheet.columns]
        for col, (column, value) in enumerate(zip(columns, values), start=1):
            _put(ws, row, col, column, value, cell_at(sheet.name, row, col, column.header))


def _single_sheet(wb: Workbook, layout: Layout, kind: str, data: Optional[dict]) -> None:
    ws = wb.create_sheet(SINGLE)
    for col, (text, width) in enumerate((("项目", 40), ("内容", 40), ("单位", 8), ("说明", 60)), start=1):
        ws.cell(1, col, text).font = Font(bold=True)
        ws.cell(1, col).fill = _HEADER_FILL
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "B2"
    ws.append([KIND_LABEL, kind, None, f"{model_info(layout.model).meaning}；请勿修改"])
    for row, column in enumerate(layout.single, start=3):
        info = column.info
        label = ws.cell(row, 1, column.header)
        label.fill = _REQUIRED_FILL if column.required else PatternFill()
        ws.cell(row, 3, info.unit)
        ws.cell(row, 4, "".join(filter(None, [("必填。" if column.required else ""), info.doc,
                                             f"例：{info.example}" if info.example is not None else None])))
        value = _get(data, column.steps) if data is not None else None
        _put(ws, row, 2, column, value, cell_at(SINGLE, row, 2, column.header))
        _validate(ws, column, f"B{row}")


def _readme(wb: Workbook, layout: Layout, title: str) -> None:
    ws = wb.create_sheet(README)
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = 24, 90
    lines = [(f"{title}：填写说明", None),
             ("怎样填", "在“基本信息”表的“内容”一栏填写单项内容；其余每张表一行一项，表头的批注说明每一列填什么。"
                      "表头为橙色的列（行）必须填写。不需要的表可以留空，不要删除、改名表头。"),
             ("金额", "金额以万元为单位，只填数字（如 12045.86），不要写“万元”。"),
             ("绩效指标", "每个指标一行；属于某个项目的指标在前几列重复写该项目（及其单位）的名称，与预算管理一体化系统导出的格式相同。"
                        "指标值写原文（如“≥90%”“大于20家”），程序从中读出比较符、数值和单位；只有原文不能说明时才填“·比较符”“·数值”“·单位”各列。"
                        "单位名称、项目名称等文字可以上下合并单元格，合并的各行都按这个名称读；金额、分值等数值不能合并。"),
             ("多项内容", "一个单元格里的多项内容（如标签）每行一项，单元格内换行按 Alt+Enter。"),
             ("生成", "保存后运行：reportgen 本文件.xlsx （先用 reportgen check 本文件.xlsx 检查）。"),
             (None, None), ("工作表", "内容")]
    lines += [(SINGLE, "单项内容，每行一项")]
    lines += [(s.name, _about(s)) for s in layout.sheets]
    for row, (a, b) in enumerate(lines, start=1):
        ws.cell(row, 1, a).font = Font(bold=True)
        ws.cell(row, 2, b).alignment = Alignment(wrap_text=True, vertical="top")


_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def _about(sheet: Sheet) -> str:
    """What one sheet holds, for the 说明 sheet: the item's description, and the parents each row names."""
    if attrs.has(sheet.item):
        about = model_info(sheet.item)
        text = f"每行一个{about.meaning}：{about.doc or ''}"
    else:
        doc = sheet.info.doc if sheet.info and sheet.info.doc else ""
        what = f"一个名称及其{sheet.info.meaning}" if sheet.mapping and sheet.info else "一项"
        text = f"每行{what}" + (f"：{doc}" if doc and not doc.startswith("每") else "。")
    if sheet.parents:
        text += f"前几列写所属的{JOIN.join(p.key.header for p in sheet.parents)}。"
    return text


def _fixed_zip(data: bytes) -> bytes:
    """The same package with every entry dated alike and the modification time fixed
    (openpyxl stamps the time of saving), so equal workbooks are equal bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            fixed = zipfile.ZipInfo(entry.filename, date_time=_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            content = source.read(entry.filename)
            if entry.filename == "docProps/core.xml":
                content = _MODIFIED.sub(rb"\g<1>" + _FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode() + rb"\2",
                                        content)
            target.writestr(fixed, content)
    return out.getvalue()


def write(layout: Layout, kind: str, title: str, data: Optional[dict] = None) -> bytes:
    """The .xlsx bytes of a workbook for ``layout``: filled with ``data`` (the plain data
    of a model, without ``kind``), or empty for filling in when ``data`` is None.
    Raises :class:`DataError` (with the cell) for a value a cell cannot hold."""
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.creator = wb.properties.lastModifiedBy = "reportgen"
    wb.properties.created = wb.properties.modified = _FIXED_TIME
    wb.properties.title = title
    _readme(wb, layout, title)
    _single_sheet(wb, layout, kind, data)
    for sheet in layout.sheets:
        _list_sheet(wb, sheet, data)
    wb.active = 1  # open on 基本信息
    buffer = io.BytesIO()
    wb.save(buffer)
    return _fixed_zip(buffer.getvalue())
