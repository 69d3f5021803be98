"""Batch rendering: many data files into one folder of documents, in parallel.

Each data file becomes ``<stem>.docx`` (and ``<stem>.pdf``) in the output folder. One bad
file never stops the others: its message is kept and the rest are written. Worker
processes keep each template read once (:data:`reportgen.engine.default_store`),
so a template is read and compiled once per process, not once per document. Writes are
atomic, so a failed document never replaces an existing file.

Two data files with the same stem (``2023/liwan.json``, ``2024/liwan.json``) are told apart
by the names of their folders: ``2023_liwan.docx``, ``2024_liwan.docx``.

Documents are rendered in supervised worker processes (:mod:`reportgen.workers`): a file
that runs past the time limit, or whose worker dies, fails alone; an interrupted batch
stops at once and leaves no half-written file. Every entry of a folder that is not
rendered is named (:func:`unprocessed`).
"""
from __future__ import annotations

import functools
import os
import time
from collections import defaultdict
from pathlib import Path
from typing import Callable, Iterable, NamedTuple, Optional, Sequence

from reportgen import pdf
from reportgen.errors import DataError, ReportgenError, os_reason
from reportgen.api import load_for_rendering, render_checked
from reportgen.docx.files import partial_files
from reportgen.language.limits import DEFAULT_TIME_LIMIT
from reportgen.loading import WORKBOOK_SUFFIXES
from reportgen.workers import Interrupted as WorkersInterrupted
from reportgen.workers import run as workers_run


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


#: file endings read as data files, in any case (Windows saves "报告.JSON").
DATA_SUFFIXES = (".json",) + WORKBOOK_SUFFIXES


def _why_not(path: Path) -> Optional[str]:
    """Why a folder's entry is not rendered; None for a data file. A link to nowhere is
    a data file that cannot be read: it fails with that message."""
    lock = path.name.startswith("~$")  # Excel's and WPS's note that a workbook is open ("~$数据.xlsx")
    if path.suffix.lower() in DATA_SUFFIXES and not lock and (path.is_symlink() or not path.is_dir()):
        return None
    if path.is_dir():
        return "子文件夹（不处理子文件夹）"
    if lock:
        return "Excel 或 WPS 打开工作簿时留下的临时文件，不是数据（先关闭该工作簿再生成）"
    return f"不是数据文件（{'、'.join(DATA_SUFFIXES)}）"


def survey(inputs: Iterable[str | Path]) -> tuple[list[Path], list[tuple[Path, str]]]:
    """(the data files named and the data files (``*.json``, ``*.xlsx``, ``*.xlsm``, any
    case) directly inside the folders named, each once, in a stable order; every other
    entry of those folders, with why the batch does not render it)."""
    found: dict[Path, Path] = {}
    skipped: list[tuple[Path, str]] = []
    for item in map(Path, inputs):
        if item.is_dir():
            entries = [(path, _why_not(path)) for path in sorted(item.iterdir())]
            files = [path for path, why in entries if why is None]
            skipped += [(path, why) for path, why in entries if why is not None]
            if not files:
                raise DataError(f"文件夹 {item} 中没有 .json 数据文件，也没有 .xlsx、.xlsm 工作簿")
        elif item.is_file():
            files = [item]
        else:
            raise DataError(f"找不到数据文件或文件夹：{item}")
        for path in files:
            found.setdefault(path.resolve(), path)
    return list(found.values()), skipped


def collect(inputs: Iterable[str | Path]) -> list[Path]:
    """The data files of ``inputs`` (:func:`survey`)."""
    return survey(inputs)[0]


def unprocessed(inputs: Iterable[str | Path]) -> list[tuple[Path, str]]:
    """Every entry of the folders named that the batch does not render, with why (:func:`survey`)."""
    return survey(inputs)[1]


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
    return jobs_for(collect(inputs), out_dir)


def jobs_for(files: Sequence[Path], out_dir: Path) -> list[Job]:
    """The jobs for the data files ``files`` (:func:`survey`'s), into ``out_dir``."""
    if Path(out_dir).exists() and not Path(out_dir).is_dir():
        raise ReportgenError(f"输出位置 {out_dir} 已存在，但不是文件夹")
    stems = output_stems(files)
    return [Job(path, Path(out_dir) / f"{stems[path]}.docx") for path in files]


# ---- rendering -------------------------------------------------------------------------

def render_job(job: Job, time_limit: Optional[float] = None) -> Result:
    """Render one job, its document within ``time_limit`` seconds (None: the renderer's
    default); a failure becomes the result's message, never an exception."""
    start = time.perf_counter()
    error = None
    try:
        model, template = load_for_rendering(job.source)
        render_checked(model, job.docx, template, time_limit=time_limit)
    except ReportgenError as exc:
        error = str(exc)
    except OSError as exc:  # writing says ReportgenError: this is reading (the template)
        error = f"无法读取 {exc.filename or job.source}：{os_reason(exc)}"
    except Exception as exc:  # noqa: BLE001 - a bug met by one file must not stop the batch
        error = f"意外错误（{type(exc).__name__}）：{exc}"
    return Result(job, error, time.perf_counter() - start)


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


#: seconds one document may take before its file fails (a template that loops forever).
TIME_LIMIT = 120.0
#: seconds a file may take besides rendering (reading the data, the template, writing).
_SLACK = TIME_LIMIT - DEFAULT_TIME_LIMIT


def supervision_limit(time_limit: Optional[float]) -> float:
    """Seconds a file may take in all when rendering may take ``time_limit`` (None:
    the default): :data:`TIME_LIMIT` by default, longer for a longer render."""
    return (DEFAULT_TIME_LIMIT if time_limit is None else time_limit) + _SLACK


class Interrupted(Exception):
    """The batch was stopped (Ctrl-C, SIGTERM); ``results`` holds the jobs finished, in
    order (a document written is finished), ``unfinished`` the others, and ``without_pdf``
    the documents written whose PDF was not made. ``__cause__`` is what stopped it."""

    def __init__(self, results: list[Result], unfinished: list[Job], without_pdf: Sequence[Job] = ()):
        super().__init__("interrupted")
        self.results, self.unfinished, self.without_pdf = results, unfinished, list(without_pdf)


def remove_partial(job: Job) -> None:
    """Remove what a stopped worker had begun to write for ``job`` (the temporary file
    of an atomic write), so an interrupted batch leaves no half-written file."""
    for leftover in partial_files(job.docx):
        try:
            leftover.unlink()
        except OSError:
            pass


def _written_since(path: Path, since: float) -> bool:
    try:
        return path.stat().st_mtime >= since - 0.05  # the kernel stamps files with a coarser clock
    except OSError:
        return False


def run_jobs(jobs: Sequence[Job], workers: int, on_result: Callable[[Result], None],
             time_limit: Optional[float] = None, timeout: Optional[float] = None) -> list[Result]:
    """Render ``jobs`` in ``workers`` supervised processes, calling ``on_result`` as each
    finishes; results come back in the order of ``jobs``. Each document renders within
    ``time_limit`` seconds (None: the renderer's default); a job past ``timeout`` seconds
    in all (None: :func:`supervision_limit`), or whose worker died twice, fails alone.
    Raises :class:`Interrupted`."""
    def failed(job: Job, why: str) -> Result:
        return Result(job, why, 0.0)

    started = time.time()
    try:
        render = render_job if time_limit is None else functools.partial(render_job, time_limit=time_limit)
        done = workers_run(render, jobs, workers, lambda _, result: on_result(result), failed,
                           timeout or supervision_limit(time_limit), remove_partial)
    except WorkersInterrupted as stop:
        # A worker stopped between writing its document (atomically) and saying so still
        # wrote it: a file this run made is complete, and counts as written.
        for i, job in enumerate(jobs):
            if i not in stop.done and _written_since(job.docx, started):
                stop.done[i] = Result(job, None, 0.0)
        finished = [stop.done[i] for i in sorted(stop.done)]
        unfinished = [job for i, job in enumerate(jobs) if i not in stop.done]
        raise Interrupted(finished, unfinished) from stop.__cause__
    return [done[i] for i in range(len(jobs))]


def convert_to_pdf(results: Sequence[Result], converters: pdf.Converters,
                   progress: Optional[Callable[[int], None]] = None) -> list[Result]:
    """Make a PDF beside every document written, with ``converters`` (entered); a
    document whose PDF could not be made keeps the message as its error. ``progress``
    is told how many PDFs are made so far. Raises :class:`Interrupted`,
    whose results are those given (every document written stays written, as after a
    stop while rendering) and whose ``without_pdf`` are the documents still without PDF."""
    written = [result.job.docx for result in results if result.error is None]
    try:
        errors = converters.convert(written, progress=progress)
    except pdf.Interrupted as stop:  # the PDFs made so far are in place; the others wait
        waiting = [result.job for result in results if result.error is None and result.job.docx not in stop.done]
        raise Interrupted(list(results), [], waiting) from stop.__cause__
    return [result._replace(error=errors[result.job.docx]) if result.error is None else result
            for result in results]
