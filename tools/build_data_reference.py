#!/usr/bin/env python3
"""Build docs/data-format.md, the clerks' reference of data-file keys, from the models.

    python tools/build_data_reference.py          # rewrites docs/data-format.md
    python tools/build_data_reference.py --check  # exit 1 if the committed file is stale

Each document kind (``reportgen.kinds.all_kinds()``) is walked from its model through
every attrs class it holds. A class is titled by its :func:`~reportgen.model.fields.describe`
metadata; each key is listed with its Chinese name, JSON type, whether it is required or
its default, and its description, unit and example, all read from the field's metadata
(:func:`~reportgen.model.fields.metadata_of`). What the reference lists is what the
loader accepts: it reads the same attrs fields.
"""
from __future__ import annotations

import json
import sys
import typing
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))  # a checkout that is not installed

from reportgen import kinds  # noqa: E402
from reportgen.model import Actual, Count, Label, Money, Percent, Places, Points, Target, Year  # noqa: E402
from reportgen.model.common import RANGES  # noqa: E402
from reportgen.model.fields import FieldInfo, metadata_of, model_info  # noqa: E402
from reportgen.workbook.layout import KIND_LABEL, SINGLE, layout  # noqa: E402

#: the models' value types, in the words of the reference.
VALUE_TYPES = {Money: "金额（数字，不为负，最多6位小数）", Points: "分值（数字，不为负）", Count: "整数（不为负）",
               Places: "小数位数（整数 {}–{}）", Percent: "百分比（整数 {}–{}）", Year: "年度（整数 {}–{}）",
               Label: "名称（文字，不能为空）"}
VALUE_TYPES = {tp: words.format(*RANGES.get(tp, ())) for tp, words in VALUE_TYPES.items()}
PLAIN_TYPES = {str: "文字", int: "整数", bool: "true / false", Decimal: "数字"}

OUT = ROOT / "docs" / "data-format.md"

HEAD = """# 数据文件格式

> 本文由 `python tools/build_data_reference.py` 根据 `src/reportgen/model/` 中的数据模型生成，请勿直接修改。

数据文件是 UTF-8 编码的 JSON 文件。最外层的 `"kind"` 写文种，其余各键是该文种的内容，见下文各表。
写了程序不认识的键，程序会拒绝读取，并提示最接近的正确写法。数字按精确的小数读取：金额写成不带引号的数字，
以万元为单位（写 `12045.86`，不写 `"12045.86"`）。能由数据算出的数（执行数、执行率、合计、小计、占比、
个数、得分）都由程序计算，没有对应的键。

指标值和实际完成值（[指标值](#target)、[实际完成值](#actual)）可以直接写成一个字符串，程序从中读出比较符
（`≥ > ≤ < =`，或 不少于、大于、多于、超过、小于、不超过……）、数值和单位，如 `"≥90%"`、`"大于20家"`、
`"5个"`；定性的指标值写文字，如 `"比较满意"`、`"长期"`。

表中“必填/默认”一栏：**必填** 的键必须写；其余的键可以不写，不写时取该栏所列的默认值，“空”表示没有内容。

同样的数据也可以写在 Excel 工作簿（.xlsx）里：`reportgen init 文种 -o 文件.xlsx` 生成待填写的工作簿，
`reportgen export` 在 JSON 与工作簿之间转换。每个文种的工作簿布局列在该文种的 JSON 各表之前：“基本信息”表
一行一个单项，其余每张表一行一项，表头与 JSON 键一一对应；属于某个项目的绩效指标每个一行，前几列重复所属
单位、项目的名称。指标值一列写原文（如 `≥90%`），只有原文说不清时才填“·比较符”“·数值”“·单位”各列。
一个单元格里的多项内容（如标签）每行一项。
"""


def anchor(cls: type) -> str:
    return cls.__name__.lower()


def json_text(value: Any) -> str:
    """``value`` as a data file writes it (Decimals as plain numbers, not floats)."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json_text(k)}: {json_text(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(json_text(v) for v in value) + "]"
    if isinstance(value, Decimal):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def type_name(tp: Any) -> tuple[str, list[type]]:
    """A JSON-minded Chinese name for ``tp`` and the attrs classes it leads to."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if tp in VALUE_TYPES:
        return VALUE_TYPES[tp], []
    if origin is typing.Union:
        inner = [a for a in args if a is not type(None)]
        if len(inner) != 1:
            raise TypeError(f"the reference cannot name {tp}")
        return type_name(inner[0])
    if origin is typing.Literal:
        return "以下之一：" + " / ".join(f"`{json_text(a)}`" for a in args), []
    if origin in (tuple, list):
        name, nested = type_name(args[0])
        return f"列表，每项为{name}", nested
    if origin is dict:
        name, nested = type_name(args[1])
        keys = "名称" if args[0] is str else type_name(args[0])[0]
        return f"对象（{keys} → {name}）", nested
    if attrs.has(tp):
        shorthand = "，或一个字符串" if tp in (Target, Actual) else ""
        return f"[{model_info(tp).meaning}](#{anchor(tp)})对象{shorthand}", [tp]
    if tp in PLAIN_TYPES:
        return PLAIN_TYPES[tp], []
    raise TypeError(f"the reference cannot name {tp}")


def default_text(field: attrs.Attribute) -> str:
    if field.default is attrs.NOTHING:
        return "**必填**"
    value = field.default.factory() if isinstance(field.default, attrs.Factory) else field.default
    if value is None or value in ((), {}):
        return "空"
    if attrs.has(type(value)):
        return "各项取默认值"
    return f"`{json_text(value)}`"


def description(info: FieldInfo) -> str:
    parts = [info.doc or ""]
    if info.unit:
        parts.append(f"单位：{info.unit}。")
    if info.example is not None:
        parts.append(f"例：`{json_text(info.example)}`。")
    return "".join(parts).replace("|", "\\|")


def class_section(cls: type) -> tuple[list[str], list[type]]:
    hints = typing.get_type_hints(cls)
    about = model_info(cls)
    lines = [f'<a id="{anchor(cls)}"></a>', "", f"### {about.meaning}（`{cls.__name__}`）", ""]
    if about.doc:
        lines += [about.doc, ""]
    lines += ["| 键 | 名称 | 类型 | 必填/默认 | 说明 |", "| --- | --- | --- | --- | --- |"]
    nested: list[type] = []
    infos = metadata_of(cls)
    for field in attrs.fields(cls):
        name, more = type_name(hints[field.name])
        nested += more
        info = infos[field.name]
        lines.append(f"| `{field.name}` | {info.meaning} | {name} | {default_text(field)} "
                     f"| {description(info)} |")
    return lines + [""], nested


def _key(steps: tuple) -> str:
    return ".".join(steps) if steps else "（该项本身）"


def _column_key(sheet, column) -> str:
    if sheet.mapping:
        return "名称" if column.steps == ("key",) else "值"
    if column.measure == "text":  # the text alone is the JSON string "≥90%"
        return f"`{_key(column.steps[:-1])}`（原文）"
    return f"`{_key(column.steps)}`"


def workbook_section(kind: kinds.Kind) -> list[str]:
    """The kind's workbook: each sheet with its headers beside the JSON keys they fill."""
    shape = layout(kind.model)
    lines = [f"### Excel 工作簿（`reportgen init {kind.name} -o 文件.xlsx`）", "",
             f"“{SINGLE}”表：A 列是项目，B 列填内容；第一行“{KIND_LABEL}”写 `{kind.name}`，不要修改。", "",
             "| 项目（A 列） | JSON 键 |", "| --- | --- |"]
    lines += [f"| {c.header} | `{_key(c.steps)}` |" for c in shape.single]
    lines += ["", "其余各表，一行一项：", "", "| 工作表 | JSON 键 | 列（表头） → 键 |", "| --- | --- | --- |"]
    for sheet in shape.sheets:
        path = "".join(f"{_key(p.steps)}[]." for p in sheet.parents) + _key(sheet.steps)
        path += "{名称: 值}" if sheet.mapping else "[]"
        parents = [f"{p.key.header}（所属{p.info.meaning if p.info else p.name}）" for p in sheet.parents]
        own = [f"{c.header} → {_column_key(sheet, c)}" for c in sheet.columns]
        lines.append(f"| {sheet.name} | `{path}` | {'；'.join(parents + own)} |")
    return lines + [""]


def kind_section(kind: kinds.Kind, seen: set[type]) -> list[str]:
    """The kind's workbook layout, then its model and every class it leads to that no
    earlier kind listed."""
    lines = [f"## 文种 `\"kind\": \"{kind.name}\"`（{kind.title}）", ""] + workbook_section(kind)
    queue = [kind.model]
    while queue:
        cls = queue.pop(0)
        if cls in seen:
            continue
        seen.add(cls)
        section, nested = class_section(cls)
        lines += section
        queue += [c for c in nested if c not in seen]
    return lines


def build() -> str:
    every = kinds.all_kinds()
    lines = [HEAD, "| `kind` | 文种 | 最外层的内容 |", "| --- | --- | --- |"]
    lines += [f"| `\"{k.name}\"` | {k.title} | [{model_info(k.model).meaning}](#{anchor(k.model)}) |"
              for k in every]
    lines.append("")
    seen: set[type] = set()
    for kind in every:
        lines += kind_section(kind, seen)
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str]) -> int:
    text = build()
    if "--check" in argv:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        if current != text:
            print(f"{OUT.relative_to(ROOT)} 已过期：请运行 python tools/build_data_reference.py")
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(OUT.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
