"""生成报告：把一个数据文件生成 Word 文档 (render one data file)."""
from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path

import reportgen
from reportgen import pdf
from reportgen.errors import ReportgenError
from reportgen.templates import resolve


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("data", type=Path, help="数据文件 (JSON)")
    parser.add_argument("-o", "--output", type=Path,
                        help="输出的 .docx（默认：数据文件名 + .docx，写在当前目录）")
    parser.add_argument("--template", help="模板：.docx 文件路径，或随附模板的名称")
    parser.add_argument("--pdf", action="store_true",
                        help="同时生成PDF（需要LibreOffice），与 .docx 同名、放在一起")


def _refuse_clobbering(out: Path, *inputs: Path) -> None:
    """The output must be a .docx that is none of the inputs (a slip of -o would replace them)."""
    if out.suffix.lower() != ".docx":
        raise ReportgenError(f"输出文件应以 .docx 结尾：{out}（PDF 请用 --pdf，与 .docx 放在一起）")
    for source in inputs:
        if out.resolve() == Path(source).resolve():
            raise ReportgenError(f"输出文件 {out} 就是输入文件本身，不能覆盖")


def run(args: argparse.Namespace) -> int:
    # LibreOffice starts first (it says so if it is missing) and gets ready while the
    # document is rendered; the conversion then takes a fraction of a second.
    with pdf.Converters() if args.pdf else contextlib.nullcontext() as converters:
        model = reportgen.load(args.data)
        out = args.output or Path.cwd() / (args.data.stem + ".docx")
        # A template path written in the data is relative to the data file, as in batch.
        template = args.template or resolve(model, base=args.data.parent)
        _refuse_clobbering(out, args.data, resolve(model, template))
        path = reportgen.render(model, out, template=template)
        print(path)
        if converters is None:
            return 0
        error = converters.convert([path])[path]
    if error:
        print(f"错误：{error}", file=sys.stderr)
        return 1
    print(path.with_suffix(".pdf"))
    return 0
