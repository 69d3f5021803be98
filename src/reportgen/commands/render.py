"""生成报告：把一个数据文件生成 Word 文档 (render one data file)."""
from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path
from typing import Any, NamedTuple, Optional

from reportgen import api
from reportgen.commands import add_time_limit, refuse_input_as_output
from reportgen.errors import ReportgenError
from reportgen.kinds import find_document


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("data", type=Path, help="数据文件（JSON 或 Excel 工作簿 .xlsx）")
    parser.add_argument("-o", "--output", type=Path,
                        help="输出的 .docx（默认：数据文件名 + .docx，写在当前目录）")
    parser.add_argument("--template", help="模板：.docx 文件路径，或随附模板的名称")
    parser.add_argument("--pdf", action="store_true",
                        help="同时生成PDF（需要LibreOffice），与 .docx 同名、放在一起")
    parser.add_argument("--document", metavar="文档",
                        help="由同一数据生成的其他文档：department-table（部门整体支出绩效自评表）、"
                             "project-tables（每个项目一个项目支出绩效自评表，-o 为输出文件夹，"
                             "默认为“数据文件名-project-tables”）")
    add_time_limit(parser)


def _refuse_clobbering(out: Path, *inputs: Path) -> None:
    """The output must be a .docx that is none of the inputs (a slip of -o would replace them)."""
    if out.suffix.lower() != ".docx":
        raise ReportgenError(f"输出文件应以 .docx 结尾：{out}（PDF 请用 --pdf，与 .docx 放在一起）")
    refuse_input_as_output(out, *inputs)


class _Plan(NamedTuple):
    """What to write: the model, where, with which template, which document."""

    model: Any
    out: Path
    template: Any
    document: Optional[str]


def run(args: argparse.Namespace) -> int:
    # The data first (a few milliseconds): a report that cannot be made starts no
    # LibreOffice. Then LibreOffice starts (it says so if it is missing) and gets ready
    # while the document is rendered; the conversion then takes a fraction of a second.
    plan = _plan(args)
    if args.pdf:
        from reportgen import pdf  # subprocess and friends: only when a PDF is asked for
    with pdf.Converters() if args.pdf else contextlib.nullcontext() as converters:
        paths = _render(args, plan)
        if converters is None:
            return 0
        try:
            errors = converters.convert(paths)
        except pdf.Interrupted as stop:  # stopped: the PDFs made are in place, named
            for path in stop.done:
                print(path.with_suffix(".pdf"))
            raise stop.__cause__ from None
    failed = 0
    for path in paths:
        if errors[path]:
            print(f"错误：{errors[path]}", file=sys.stderr)
            failed += 1
        else:
            print(path.with_suffix(".pdf"))
    return 1 if failed else 0


def _plan(args: argparse.Namespace) -> _Plan:
    """Read the data and decide what to write, refusing what must not be written: data
    whose score figures cannot be too, named where they were typed (a cell)."""
    document = args.document
    model, chosen = api.load_for_rendering(args.data, args.template, document)
    many = document is not None and find_document(model, document).many
    default_name = args.data.stem + (f"-{document}" if document else "") + ("" if many else ".docx")
    out = args.output or Path.cwd() / default_name
    if many:
        if out.is_file() or out.suffix.lower() == ".docx":
            raise ReportgenError(f"“{document}”为每个项目各生成一个 .docx，-o 应为文件夹：{out}")
    else:
        _refuse_clobbering(out, args.data, chosen)
    return _Plan(model, out, chosen, document)


def _render(args: argparse.Namespace, plan: _Plan) -> list[Path]:
    """Render the planned document(s); the paths written, printed as written."""
    # Refused in _plan already, before LibreOffice started: rendered without working it out again.
    rendered = api.render_checked(plan.model, plan.out, template=plan.template, document=plan.document,
                                  time_limit=args.time_limit)
    paths = rendered if isinstance(rendered, list) else [rendered]
    for path in paths:
        print(path)
    return paths
