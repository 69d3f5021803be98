#!/usr/bin/env python3
"""PDF throughput: prints ratios measured side by side (needs LibreOffice).

    .venv/bin/python benchmarks/pdf_throughput.py [--reports N] [--repeat N]

1. ``reportgen batch --pdf`` of N reports (default 20), 2 jobs vs 1: one LibreOffice a
   job, each with its own cached profile                         goal ≥ 1.6× on 2 idle cores
2. one report's ``reportgen FILE --pdf``: LibreOffice started while the document is
   rendered, with a cached profile, vs started after it with a throw-away profile (the
   way reportgen converted before)                                   reported, no goal

A script that prints ratios, not a timed test: absolute times vary between machines,
ratios taken in the same run much less. Each figure is the best of interleaved runs,
all through the command line, as a user runs them. A 2-jobs ratio only means something
on idle cores, so the script first measures how many are free (two busy loops side by
side vs one after the other: 2.0× on two idle cores) and prints the CPU time each batch
used, from which the ratio on idle cores follows.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

from reportgen import pdf

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "liwan-2023.json"
REPORTGEN = [sys.executable, "-m", "reportgen"]


def children_cpu() -> float:
    """CPU seconds used so far by this process's finished children."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def side_by_side(functions: dict[str, Callable[[], object]], repeat: int) -> dict[str, tuple[float, float]]:
    """(best wall time, its CPU time) of each function, in seconds; their runs interleaved
    so that drift affects all alike."""
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in functions}
    for _ in range(repeat):
        for name, function in functions.items():
            cpu, start = children_cpu(), time.perf_counter()
            function()
            times[name].append((time.perf_counter() - start, children_cpu() - cpu))
    return {name: min(values) for name, values in times.items()}


def spin(count: int = 5_000_000) -> None:
    total = 0
    for number in range(count):
        total += number


def free_cores() -> float:
    """Two busy loops one after the other vs side by side: about 2 on two idle cores."""
    def once() -> float:
        start = time.perf_counter()
        spin(), spin()
        serial = time.perf_counter() - start
        start = time.perf_counter()
        loops = [multiprocessing.Process(target=spin) for _ in range(2)]
        for loop in loops:
            loop.start()
        for loop in loops:
            loop.join()
        return serial / (time.perf_counter() - start)
    return max(once() for _ in range(3))


def data_files(folder: Path, count: int) -> None:
    """``count`` copies of the sample, each its own department, in ``folder``."""
    data = json.loads(SAMPLE.read_text(encoding="utf-8"))
    folder.mkdir(parents=True)
    for number in range(count):
        data["department"]["name"] = f"第{number}局"
        (folder / f"report-{number:04d}.json").write_text(json.dumps(data, ensure_ascii=False),
                                                           encoding="utf-8")


def run(command: list[str], cwd: Path) -> None:
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def batch_jobs(folder: Path, count: int, repeat: int, number: int = 1) -> None:
    data_files(folder / "in", count)

    def batch(jobs: int) -> Callable[[], None]:
        def go() -> None:
            out = folder / f"out-{jobs}"
            shutil.rmtree(out, ignore_errors=True)
            run([*REPORTGEN, "batch", str(folder / "in"), "-o", str(out), "--pdf", "-j", str(jobs)], folder)
            assert len(list(out.glob("*.pdf"))) == count, "a PDF is missing"
        return go

    batch(2)()  # the cached profiles exist before anything is timed
    cores = free_cores()
    times = side_by_side({"1": batch(1), "2": batch(2)}, repeat)
    cores = min(cores, free_cores())  # what was free before and after, the lower
    (one, one_cpu), (two, two_cpu) = times["1"], times["2"]
    print(f"{number}. batch --pdf, {count} reports (.docx and PDF); free cores measured {cores:.2f} "
          f"of {len(os.sched_getaffinity(0))}:")
    print(f"   1 job  {one:6.2f} s   {one / count * 1000:5.0f} ms/report   CPU {one_cpu:5.2f} s")
    print(f"   2 jobs {two:6.2f} s   {two / count * 1000:5.0f} ms/report   CPU {two_cpu:5.2f} s"
          f"   → {one / two:.2f}×   (goal ≥ 1.6× on 2 idle cores)")
    print(f"   on 2 idle cores 2 jobs would take about their CPU time / 2 = {two_cpu / 2:.2f} s"
          f" → {one / (two_cpu / 2):.2f}×")


def one_report(folder: Path, repeat: int) -> None:
    soffice = pdf.find_soffice()

    def before() -> None:
        """Render, then convert in a LibreOffice started afterwards with a new profile."""
        out = folder / "before.docx"
        run([*REPORTGEN, str(SAMPLE), "-o", str(out)], folder)
        with tempfile.TemporaryDirectory() as profile:
            subprocess.run([soffice, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
                            "--invisible", "--norestore", "--nolockcheck", "--convert-to",
                            "pdf:writer_pdf_Export", "--outdir", str(folder / "before"), str(out)],
                           env={**os.environ, "FONTCONFIG_FILE": str(pdf.FONTS_CONF)},
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def now() -> None:
        run([*REPORTGEN, str(SAMPLE), "-o", str(folder / "now.docx"), "--pdf"], folder)

    times = {name: wall for name, (wall, _) in side_by_side({"before": before, "now": now}, repeat).items()}
    print("2. one report, .docx and PDF, end to end:")
    print(f"   LibreOffice after rendering, throw-away profile {times['before']:5.2f} s")
    print(f"   LibreOffice while rendering, cached profile     {times['now']:5.2f} s"
          f"   → {times['before'] / times['now']:.2f}× as fast")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="reportgen-bench-") as folder:
        batch_jobs(Path(folder) / "batch", args.reports, args.repeat)
        one_report(Path(folder), args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
