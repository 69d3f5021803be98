"""Batch rendering: many data files into one folder of documents, in parallel.

Each data file becomes ``<stem>.docx`` (and ``<stem>.pdf``) in the output folder. One bad
file never stops the others: its message is kept and the rest are written. Worker
processes keep one prepared template per template file (see :mod:`reportgen.fastrender`),
so a template is read and compiled once per process, not once per document. Writes are
atomic, so a failed document never replaces an existing file.

Two data files with the same stem (``2023/liwan.json``, ``2024/liwan.json``) are told apart
by the names of their folders: ``2023_liwan.docx``, ``2024_liwan.docx``.
"""
from __future__ import annotations

import multiprocessing
import os
import sys
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Callable, Iterable, NamedTuple, Optional, Sequence

from reportgen import pdf
from reportgen.context import context
from reportgen.errors import DataError, ReportgenError, os_reason
from reportgen.fastrender import prepared_template
from reportgen.loading import load
from reportgen.rendering import write_atomically
from reportgen.templates import resolve


class Job(NamedTuple):
    """One data file and the document it becomes."""

    source: Path
    docx: Path


class Result(NamedTuple):
    """What became of one job: ``error`` is None when its document was written."""

    job: Job
    error: Optional[str]
    seconds: float


# ---- which files, which names ----------------------------------------------------------


def collect(inputs: Iterable[str | Path]) -> list[Path]:
    """The data files named, and the ``*.json`` files directly inside the folders named;
    each once, in a stable order."""
    found: dict[Path, Path] = {}
    for item in map(Path, inputs):
        if item.is_dir():
            files = sorted(p for p in item.glob("*.json") if p.is_file())
            if not files:
                raise DataError(f"文件夹 {item} 中没有 .json 数据文件")
        elif item.is_file():
            files = [item]
        else:
            raise DataError(f"找不到数据文件或文件夹：{item}")
        for path in files:
            found.setdefault(path.resolve(), path)
    return list(found.values())


def _folder_names(group: list[Path]) -> dict[Path, str]:
    """Names for files sharing one stem: the stem after as few of its folders' names
    as tell the files apart."""
    folders = {path: path.resolve().parent.parts[1:] for path in group}
    deepest = max(len(parts) for parts in folders.values())
    for depth in range(1, deepest + 1):
        names = {path: "_".join(folders[path][-depth:] + (path.stem,)) for path in group}
        if len({name.casefold() for name in names.values()}) == len(group):
            return names
    return {path: path.stem for path in group}  # unreachable for distinct files; numbered below


def output_stems(files: Sequence[Path]) -> dict[Path, str]:
    """Each file's output stem, unique even on a case-insensitive file system."""
    by_stem: dict[str, list[Path]] = defaultdict(list)
    for path in files:
        by_stem[path.stem.casefold()].append(path)
    stems: dict[Path, str] = {}
    for group in by_stem.values():
        stems.update({group[0]: group[0].stem} if len(group) == 1 else _folder_names(group))
    taken: set[str] = set()
    for path in files:  # a made-up name may still equal another file's own stem
        stem, number = stems[path], 2
        while stems[path].casefold() in taken:
            stems[path], number = f"{stem}-{number}", number + 1
        taken.add(stems[path].casefold())
    return stems


def plan(inputs: Iterable[str | Path], out_dir: Path) -> list[Job]:
    """The jobs for ``inputs``: every data file with its output path in ``out_dir``."""
    if Path(out_dir).exists() and not Path(out_dir).is_dir():
        raise ReportgenError(f"输出位置 {out_dir} 已存在，但不是文件夹")
    files = collect(inputs)
    stems = output_stems(files)
    return [Job(path, Path(out_dir) / f"{stems[path]}.docx") for path in files]


# ---- rendering -------------------------------------------------------------------------

def render_job(job: Job) -> Result:
    """Render one job; a failure becomes the result's message, never an exception."""
    start = time.perf_counter()
    error = None
    try:
        model = load(job.source)
        template = prepared_template(resolve(model, base=job.source.parent))
        write_atomically(job.docx, template.render_bytes(context(model)))
    except ReportgenError as exc:
        error = str(exc)
    except OSError as exc:  # reading the data is loading's to report; this is the output
        error = f"无法写入 {job.docx}：{os_reason(exc)}"
    except Exception as exc:  # noqa: BLE001 - a bug met by one file must not stop the batch
        error = f"意外错误（{type(exc).__name__}）：{exc}"
    return Result(job, error, time.perf_counter() - start)


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def run_jobs(jobs: Sequence[Job], workers: int, on_result: Callable[[Result], None]) -> list[Result]:
    """Render ``jobs`` in ``workers`` processes (in this one for 1), calling
    ``on_result`` as each finishes; results come back in the order of ``jobs``."""
    results: dict[Job, Result] = {}

    def done(result: Result) -> None:
        results[result.job] = result
        on_result(result)

    if workers <= 1 or len(jobs) <= 1:
        for job in jobs:
            done(render_job(job))
    else:
        _run_pool(jobs, min(workers, len(jobs)), done)
    return [results[job] for job in jobs]


def render_jobs(jobs: Sequence[Job]) -> list[Result]:
    """Render several jobs in one go: one message to and from a worker for all of them."""
    return [render_job(job) for job in jobs]


def _chunks(jobs: Sequence[Job], workers: int) -> list[Sequence[Job]]:
    # A few jobs a message keeps the parent's share of the work small; no more than 8,
    # so the progress shown stays close to the truth and no worker waits long at the end.
    size = max(1, min(8, len(jobs) // (workers * 4)))
    return [jobs[start:start + size] for start in range(0, len(jobs), size)]


def _run_pool(jobs: Sequence[Job], workers: int, done: Callable[[Result], None]) -> None:
    # Forked workers start in milliseconds with reportgen already imported, and do not
    # run the main module again (``python -m reportgen``'s __main__ has no guard).
    start = multiprocessing.get_context("fork") if sys.platform == "linux" else None
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=start)
    try:
        futures = {pool.submit(render_jobs, chunk): chunk for chunk in _chunks(jobs, workers)}
        for future in as_completed(futures):
            try:
                results = future.result()
            except Exception as exc:  # noqa: BLE001 - a worker died (killed, out of memory)
                message = f"处理进程意外退出（{type(exc).__name__}）：{exc}"
                results = [Result(job, message, 0.0) for job in futures[future]]
            for result in results:
                done(result)
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)  # Ctrl-C: do not render the rest
        raise
    pool.shutdown()


def convert_to_pdf(results: Sequence[Result], progress: Optional[Callable[[int], None]] = None,
                   converters: Optional[pdf.Converters] = None) -> list[Result]:
    """Make a PDF beside every document written, with ``converters`` (entered) or one
    LibreOffice; a document whose PDF could not be made keeps the message as its error.
    ``progress`` is told how many PDFs are made so far."""
    written = [result.job.docx for result in results if result.error is None]
    errors = (converters.convert if converters else pdf.convert)(written, progress=progress)
    return [result._replace(error=errors[result.job.docx]) if result.error is None else result
            for result in results]
