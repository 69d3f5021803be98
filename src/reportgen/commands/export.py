"""转换数据文件：JSON 与 Excel 工作簿互相转换 (convert a data file between JSON and .xlsx).

    reportgen export FILE.json -o FILE.xlsx     JSON → 工作簿（可在 Excel、WPS 中修改）
    reportgen export FILE.xlsx -o FILE.json     工作簿 → JSON

The data is loaded and checked first, as for rendering: nothing is written when it has
a problem (exit 2). Numbers keep their digits both ways. An existing file is not
replaced unless ``--force`` is given.
"""
from __future__ import annotations

import argparse
from pathlib import Path

import reportgen
from reportgen import kinds
from reportgen.errors import ReportgenError
from reportgen.loading import dumping
from reportgen.commands import add_force, refuse_input_as_output, write_output
from reportgen.workbook import layout, write

#: where ``reportgen schema KIND -o`` is meant to put a kind's schema, beside the data.
SCHEMA_HINT = "./{kind}.schema.json"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("data", type=Path, help="数据文件（.json 或 .xlsx）")
    parser.add_argument("-o", "--output", type=Path, required=True, help="输出文件：.xlsx 或 .json")
    add_force(parser)


def run(args: argparse.Namespace) -> int:
    suffix = args.output.suffix.lower()
    if suffix not in (".xlsx", ".json"):
        raise ReportgenError(f"输出文件应以 .xlsx 或 .json 结尾：{args.output}")
    refuse_input_as_output(args.output, args.data)
    model = reportgen.load(args.data)
    kind = kinds.of_model(model)
    data = reportgen.to_dict(model)
    if suffix == ".json":
        content = dumping.dumps(data).encode("utf-8")
    else:
        data.pop("kind")
        content = write(layout(kind.model), kind.name, kind.title, data)
    print(write_output(args.output, content, args.force))
    return 0
