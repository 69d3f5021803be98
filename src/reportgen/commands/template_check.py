"""检查模板：不需要数据，一次列出 Word 模板的全部问题 (check a template).

Exit status: 0 when the template has no problem (notices, of what the report carries as
Word would, do not count), 1 when it has, 2 when it cannot be read (the command line
prints that error).
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from reportgen import kinds
from reportgen.errors import Problem
from reportgen.template_check import Report, check_template


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("template", type=Path, help="要检查的模板（.docx）")
    parser.add_argument("--kind", choices=[v.name for v in kinds.vocabularies()],
                        help="模板的文种（默认：按模板所在文件夹判断，否则逐一尝试）")
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="输出格式：text（默认，便于阅读）或 json（便于程序处理）")


def format_text(report: Report) -> str:
    """The report as a clerk reads it: each problem's place, the text around it, what is
    wrong; then the notices, numbered on."""
    how = "，自动判断" if report.guessed else ""
    head = f"模板 {report.path.name}（文种：{report.kind}{how}）"
    lines = [head + (f"：发现 {len(report.problems)} 处问题：" if report.problems else "：未发现问题。")]
    lines += _listed(report.problems, 1)
    if report.notices:
        lines.append(f"另有 {len(report.notices)} 条提示（不是问题）：")
        lines += _listed(report.notices, len(report.problems) + 1)
    return "\n".join(lines)


def _listed(problems, first: int) -> list[str]:
    lines = []
    for number, problem in enumerate(problems, start=first):
        lines.append(f"{number:>3}. {problem.where.label}{problem.where.excerpt}")
        lines.append(f"     {problem.message}" + (f"，{problem.hint}" if problem.hint else ""))
    return lines


def _fields(problem: Problem) -> dict:
    """One problem for programs: its place as fields, its message and hint."""
    w = problem.where
    return {"part": w.part, "paragraph": w.paragraph, "table": w.table, "row": w.row, "column": w.column,
            "place": w.label, "text": w.excerpt, "tag": w.tag, "start": w.start,
            "severity": problem.severity, "message": problem.message, "hint": problem.hint}


def format_json(report: Report) -> str:
    """The report for programs: each problem with its place as fields."""
    problems = [_fields(p) for p in report.problems]
    data = {"template": str(report.path), "kind": report.kind, "kind_guessed": report.guessed,
            "problems": problems, "notices": [_fields(p) for p in report.notices]}
    return json.dumps(data, ensure_ascii=False, indent=2)


def run(args: argparse.Namespace) -> int:
    report = check_template(args.template, args.kind)
    print(format_json(report) if args.format == "json" else format_text(report))
    return 1 if report.problems else 0
