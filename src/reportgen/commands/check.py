"""检查数据：合计、数字、年份、等级等常见错误 (check data files before printing).

    reportgen check FILE.json [FILE.json …] [--format text|json]

Prints every finding with its JSON path (in a workbook, its sheet!cell), errors first. Exit status: 0 when no file has
an error (warnings alone do not fail), 1 when one has, 2 when a file cannot be read.

``--format json`` prints one shape whatever the number of files: a list with one
object per file, in the order given, ``{"file", "findings", "errors", "warnings"}``,
each finding ``{"severity", "path", "message"}`` and ``"hint"`` when it has one.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import reportgen
from reportgen.api import load_located
from reportgen.errors import ERROR, WARNING, Problem


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("data", type=Path, nargs="+", help="数据文件（JSON 或 Excel 工作簿 .xlsx）")
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="输出格式：text 供人阅读（默认），json 供程序读取（每个文件一项的列表）")


def _counts(findings: list[Problem]) -> tuple[int, int]:
    errors = sum(1 for f in findings if f.severity == ERROR)
    return errors, sum(1 for f in findings if f.severity == WARNING)


def _text(path: Path, findings: list[Problem]) -> str:
    errors, warnings = _counts(findings)
    if not findings:
        return f"{path}: 未发现问题"
    lines = [f"{path}: 错误{errors}处，警告{warnings}处"]
    return "\n".join(lines + [f"  {f.describe()}" for f in findings])


def _json(path: Path, findings: list[Problem]) -> dict:
    errors, warnings = _counts(findings)
    return {"file": str(path), "findings": [f.to_dict() for f in findings],
            "errors": errors, "warnings": warnings}


def _check(path: Path) -> list[Problem]:
    """The findings about one data file, each where it was typed (a workbook's cell)."""
    model, locate = load_located(path)
    return [locate(finding) for finding in reportgen.check(model)]


def run(args: argparse.Namespace) -> int:
    # Every file is loaded first: a file that cannot be read stops the run (status 2)
    # before anything is printed, as rendering does.
    results = [(path, _check(path)) for path in args.data]
    if args.format == "json":
        body = [_json(path, findings) for path, findings in results]
        print(json.dumps(body, ensure_ascii=False, indent=2))
    else:
        print("\n".join(_text(path, findings) for path, findings in results))
    failed = any(f.severity == ERROR for _, findings in results for f in findings)
    return 1 if failed else 0
