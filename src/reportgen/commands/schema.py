"""打印 JSON Schema：某一文种数据文件的格式说明，供编辑器提示和检查键名 (print a kind's JSON Schema).

    reportgen schema KIND [-o KIND.schema.json|-] [--force]

A data file that names the schema in its ``"$schema"`` key is completed and checked by
an editor such as VS Code (see README). An existing file is not replaced unless
``--force`` is given, as with every command that writes a file.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from reportgen import kinds
from reportgen.commands import add_force, write_output
from reportgen.schema import schema_text


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", help=f"文种：{'、'.join(kinds.names())}")
    parser.add_argument("-o", "--output", type=Path, help="写入此文件（默认，或写 -：打印到标准输出）")
    add_force(parser)


def run(args: argparse.Namespace) -> int:
    text = schema_text(args.kind)
    if args.output and str(args.output) != "-":  # "-": standard output, as usual (./- for a file so named)
        print(write_output(args.output, text.encode("utf-8"), args.force))
    else:
        sys.stdout.write(text)
    return 0
