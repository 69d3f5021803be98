"""批量生成：把多个数据文件（或文件夹）并行生成到一个文件夹 (render many, in parallel).

    reportgen batch INPUT… -o OUT_DIR [--jobs N] [--timeout S] [--time-limit S] [--pdf]

INPUT is a data file or a folder of them (its ``*.json``, ``*.xlsx`` and ``*.xlsm``, any case). Progress goes to
stderr: a bar on a terminal, otherwise one line per file. A document whose rendering
takes longer than ``--time-limit`` seconds is refused, as ``reportgen FILE`` refuses it;
a file that takes longer than ``--timeout`` seconds in all (its worker stopped) fails
alone. Ctrl-C, SIGTERM or SIGHUP stops within a second or two, while rendering or
converting to PDF, leaves no half-written file (the PDFs converted so far are kept) and
lists what was written and what was not. Exit status 0 when every document was written,
1 when any failed (the others are written all the same), 2 for a mistake in the command
itself (no such input, LibreOffice missing for ``--pdf``), 130 after Ctrl-C, 143 after
SIGTERM, 129 after SIGHUP.
"""
from __future__ import annotations

import argparse
import contextlib
import sys
import time
from pathlib import Path
from typing import Optional, Sequence, TextIO

from reportgen import batch, pdf
from reportgen.batch import Result
from reportgen.commands import add_time_limit, seconds, stopped_status
from reportgen.errors import ReportgenError


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"应为正整数：{text}")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("inputs", nargs="+", type=Path, metavar="INPUT",
                        help="数据文件（JSON 或 Excel 工作簿 .xlsx），或存放数据文件的文件夹")
    parser.add_argument("-o", "--output", dest="out_dir", type=Path, required=True, metavar="OUT_DIR",
                        help="输出文件夹（不存在时自动创建）；文件名为数据文件名 + .docx，"
                             "同名的数据文件以所在文件夹名区分，如 2023_liwan.docx")
    parser.add_argument("-j", "--jobs", type=_positive, metavar="N",
                        help=f"并行进程数（默认：本机可用的CPU核数，{batch.default_jobs()}）")
    parser.add_argument("--pdf", action="store_true",
                        help="同时生成PDF（需要LibreOffice），与 .docx 放在一起")
    parser.add_argument("--timeout", type=seconds, metavar="SECONDS",
                        help=f"每份文件（读数据、生成、写出）最多用时（秒），超时的文件停止并记为失败"
                             f"（默认：{batch.TIME_LIMIT:g}，--time-limit 更长时相应延长）")
    add_time_limit(parser)


def _limits(args: argparse.Namespace) -> tuple[float | None, float | None]:
    """(seconds each document may render, seconds each file may take in all; None: the default)."""
    time_limit, timeout = args.time_limit, args.timeout
    if timeout is not None and time_limit is not None and time_limit >= timeout:
        raise ReportgenError(f"--time-limit（{time_limit:g} 秒）应小于 --timeout（{timeout:g} 秒）："
                             "--timeout 是每份文件读数据、生成、写出合计的用时")
    return time_limit, timeout


class Progress:
    """Reports each finished file: a bar redrawn in place on a terminal, else a line each."""

    WIDTH = 30

    def __init__(self, total: int, stream: TextIO, what: str = "生成"):
        self.total, self.stream, self.what = total, stream, what
        self.done = self.failed = 0
        self.tty, self.closed = stream.isatty(), False

    def update(self, result: Result) -> None:
        self.done += 1
        if result.error is not None:
            self.failed += 1
            self._line(f"失败 {result.job.source}：{result.error}")
        elif not self.tty:
            self._line(f"完成 {result.job.source} → {result.job.docx}")
        self._draw()

    def reached(self, done: int) -> None:
        """For work that only counts (PDF conversion): ``done`` of the total so far."""
        self.done = done
        self._draw()

    def _draw(self) -> None:
        if self.tty:
            filled = self.WIDTH * self.done // max(self.total, 1)
            bar = "█" * filled + "░" * (self.WIDTH - filled)
            failed = f"  失败 {self.failed}" if self.failed else ""
            self.stream.write(f"\r{self.what} [{bar}] {self.done}/{self.total}{failed}\x1b[K")
            self.stream.flush()

    def _line(self, text: str) -> None:
        # On a terminal, clear the bar first; the next update draws it again below.
        self.stream.write(("\r\x1b[K" if self.tty else "") + text + "\n")
        self.stream.flush()

    def close(self) -> None:
        """End the bar's line; again (after an interruption) it does nothing."""
        if self.tty and self.done and not self.closed:
            self.stream.write("\n")
            self.stream.flush()
        self.closed = True


def _unprocessed(skipped: Sequence[tuple[Path, str]]) -> str:
    return "\n".join(["未处理的文件："] + [f"  {path}：{why}" for path, why in skipped]) if skipped else ""


def _interrupted(stop: batch.Interrupted, seconds: float, with_pdf: bool) -> str:
    """What a stopped batch made: the documents written count whether their PDF was made
    or not (those without are listed)."""
    written = sum(result.error is None for result in stop.results)
    failed = len(stop.results) - written
    pdfs = f"（其中 {written - len(stop.without_pdf)} 份已生成PDF）" if with_pdf and written else ""
    lines = [f"已中断：生成 {written} 份{pdfs}，失败 {failed} 份，未处理 {len(stop.unfinished)} 份，"
             f"用时 {seconds:.1f} 秒"]
    if stop.unfinished:
        lines.append("未处理的文件（重新运行即可生成）：")
        lines += [f"  {job.source}" for job in stop.unfinished]
    if with_pdf and stop.without_pdf:
        lines.append("已生成 .docx、未生成PDF的文件（重新运行即可生成）：")
        lines += [f"  {job.docx}" for job in stop.without_pdf]
    return "\n".join(lines)


def _summary(results: Sequence[Result], seconds: float, workers: int, with_pdf: bool) -> str:
    failed = [result for result in results if result.error is not None]
    written = len(results) - len(failed)
    kinds = ".docx 和 PDF" if with_pdf else ".docx"
    lines = [f"共 {len(results)} 份：生成 {written} 份（{kinds}），失败 {len(failed)} 份，"
             f"用时 {seconds:.1f} 秒（{workers} 个进程）"]
    if failed:
        lines.append("失败的文件：")
        # The first line names the problem; the details were shown as the file failed.
        lines += [f"  {result.job.source}：{result.error.splitlines()[0].rstrip('：:')}" for result in failed]
    return "\n".join(lines)


def _pdf_stage(results: list[Result], stream: TextIO, converters: pdf.Converters) -> list[Result]:
    written = sum(result.error is None for result in results)
    if not written:
        return results
    stream.write(f"正在用LibreOffice生成PDF（{written} 份）…\n")
    stream.flush()
    progress = Progress(written, stream, "PDF")
    try:
        converted = batch.convert_to_pdf(results, converters, progress.reached)
    finally:  # stopped, the summary starts on a line of its own
        progress.close()
    for before, after in zip(results, converted):
        if before.error is None and after.error is not None:
            stream.write(f"失败 {after.job.source}：{after.error}\n")
        elif before.error is None and not stream.isatty():
            stream.write(f"完成 {after.job.docx.with_suffix('.pdf')}\n")
    return converted


class _Tolerant:
    """A stream that stops writing once its reader has gone (`| head`): reporting
    progress must never stop the rendering itself."""

    def __init__(self, stream: TextIO):
        self._stream, self._gone = stream, False

    def write(self, text: str) -> None:
        if not self._gone:
            try:
                self._stream.write(text)
            except (BrokenPipeError, OSError, ValueError):
                self._gone = True

    def flush(self) -> None:
        self.write("")
        if not self._gone:
            try:
                self._stream.flush()
            except (BrokenPipeError, OSError, ValueError):
                self._gone = True

    def isatty(self) -> bool:
        return self._stream.isatty()


def run(args: argparse.Namespace, stream: Optional[TextIO] = None) -> int:
    stream = _Tolerant(stream or sys.stderr)
    if args.pdf:
        pdf.find_soffice()  # say so before rendering anything
    time_limit, timeout = _limits(args)
    files, skipped = batch.survey(args.inputs)
    jobs = batch.jobs_for(files, args.out_dir)
    workers = min(args.jobs or batch.default_jobs(), len(jobs))
    start = time.perf_counter()
    progress = Progress(len(jobs), stream)
    try:  # Ctrl-C, and SIGTERM or SIGHUP (the command line's stopping_signals), stop both stages
        # One LibreOffice a job, each started now so that it is ready when the documents are.
        with pdf.Converters(workers) if args.pdf else contextlib.nullcontext() as converters:
            try:
                results = batch.run_jobs(jobs, workers, progress.update, time_limit, timeout)
            except batch.Interrupted as stop:  # stopped before any PDF: each written lacks its own
                stop.without_pdf = [result.job for result in stop.results if result.error is None]
                raise
            progress.close()
            if converters is not None:
                results = _pdf_stage(results, stream, converters)
    except batch.Interrupted as stop:
        progress.close()
        stream.write(_interrupted(stop, time.perf_counter() - start, args.pdf) + "\n")
        return stopped_status(stop.__cause__)
    summary = _summary(results, time.perf_counter() - start, workers, args.pdf)
    stream.write("\n".join(filter(None, [summary, _unprocessed(skipped)])) + "\n")
    return 1 if any(result.error is not None for result in results) else 0
