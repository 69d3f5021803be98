"""新建数据文件：为某一文种写出待填写的 Excel 工作簿或 JSON 文件 (an empty data file to fill in).

    reportgen init KIND -o FILE.xlsx     待填写的工作簿：每张表一行一项，表头批注说明填什么
    reportgen init KIND -o FILE.json     同样内容的 JSON 文件（带 "$schema"，编辑器可提示键名）

An existing file is not replaced unless ``--force`` is given.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from reportgen import kinds
from reportgen.commands import add_force, write_output
from reportgen.commands.export import SCHEMA_HINT
from reportgen.errors import ReportgenError
from reportgen.loading import dumping, shapes
from reportgen.workbook import layout, write


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", help=f"文种：{'、'.join(kinds.names())}")
    parser.add_argument("-o", "--output", type=Path, required=True, help="输出文件：.xlsx 工作簿或 .json 文件")
    add_force(parser)


def _json_skeleton(kind: kinds.Kind) -> str:
    """The JSON a clerk starts from: the kind, the schema pointer, each required field
    empty (null for a number), so that loading names each one still to fill in; no
    example value, which would pass for data."""
    body: dict = {"$schema": SCHEMA_HINT.format(kind=kind.name), "kind": kind.name}
    for field, shape in shapes.fields(kind.model):
        if shapes.required(field):
            body[field.name] = {"object": {}, "text": ""}.get(shape.kind)
    return dumping.dumps(body)


def run(args: argparse.Namespace) -> int:
    kind = kinds.get(args.kind)
    suffix = args.output.suffix.lower()
    if suffix == ".xlsx":
        content: bytes = write(layout(kind.model), kind.name, kind.title)
    elif suffix == ".json":
        content = _json_skeleton(kind).encode("utf-8")
    else:
        raise ReportgenError(f"输出文件应以 .xlsx 或 .json 结尾：{args.output}")
    print(write_output(args.output, content, args.force))
    return 0
