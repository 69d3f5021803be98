"""Render one data file into its Word document (生成报告)."""
from __future__ import annotations

import argparse
from pathlib import Path

import reportgen


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("data", type=Path, help="数据文件 (JSON)")
    parser.add_argument("-o", "--output", type=Path,
                        help="输出的 .docx（默认：数据文件名 + .docx，写在当前目录）")
    parser.add_argument("--template", help="模板：.docx 文件路径，或随附模板的名称")


def run(args: argparse.Namespace) -> int:
    model = reportgen.load(args.data)
    out = args.output or Path.cwd() / (args.data.stem + ".docx")
    template = args.template
    path = reportgen.render(model, out, template=template)
    print(path)
    return 0
