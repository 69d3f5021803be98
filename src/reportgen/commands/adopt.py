"""沿用旧报告：把部门去年的自评报告（.docx）变成模板和数据 (adopt a department's own report).

    reportgen adopt REPORT.docx -o DIR [--format text|json] [--force]

Writes DIR/<名称>-模板.docx (the report with tags where its content is data) and
DIR/<名称>.json (that content, valid for ``reportgen`` and ``reportgen check``), renders
the pair again to check that no text was lost, and prints the summary: the sections
recognised and where their text went, the figures bound to data fields, those
recognised as computed, and the numbers left as text with the reason. Files already in
DIR (a clerk may have edited them) are not replaced without ``--force``. Exit status 0;
2 when the file is not a .docx 自评报告 (the message says why).
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from reportgen import adopt as adoption
from reportgen.commands import add_force, kept
from reportgen.errors import ReportgenError
from reportgen.adopt import summary


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("report", type=Path, help="部门已有的部门整体支出绩效自评报告（.docx）")
    parser.add_argument("-o", "--output", type=Path, default=Path("."), help="写出模板和数据的文件夹（默认：当前文件夹）")
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="摘要的格式：text（默认，便于阅读）或 json（便于程序处理）")
    add_force(parser, "覆盖输出文件夹中已有的同名模板和数据文件")


def _refuse_overwriting(report: Path, out: Path, force: bool) -> None:
    """-o must be a folder, and what it holds of a clerk's own is not replaced unasked."""
    if out.exists() and not out.is_dir():
        raise ReportgenError(f"-o 应为文件夹（写出模板和数据文件），{out} 是一个文件")
    there = kept([out / f"{report.stem}-模板.docx", out / f"{report.stem}.json"], force)
    if there:
        raise ReportgenError("输出文件夹中已有" + "、".join(p.name for p in there)
                             + "（可能已经改过），没有覆盖；确需覆盖请加 --force，或用 -o 指定另一个文件夹")


def run(args: argparse.Namespace) -> int:
    _refuse_overwriting(args.report, args.output, args.force)
    result = adoption.adopt(args.report)
    report = adoption.write(result, args.report, args.output)
    if args.format == "json":
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(summary.text(report))
    return 0
