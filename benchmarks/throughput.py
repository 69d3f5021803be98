#!/usr/bin/env python3
"""Batch throughput: prints ratios measured side by side, on the same template and data.

    .venv/bin/python benchmarks/throughput.py [--reports N] [--parallel-reports N] [--only K]

1. one process: ``reportgen batch`` rendering vs a plain docxtpl loop (load the template,
   render, save, once per report), end to end and rendering alone      goal ≥ 5×
2. two jobs vs one, through the batch runner                            goal ≥ 1.7× on 2 cores
3. a report with 1,000 indicators vs one with 100                       goal ≤ 10× (linear)
4. peak memory after 1,000 reports vs after 100, in a fresh process     goal ≈ 1× (flat)
5. where the whole-package path's time goes (cProfile): why Template renders through
   the parts-only path, which re-renders only the templated parts
6. one report from the command line, cold (a new process, imports included), vs a
   plain docxtpl script doing the same                     goal ≤ 1.0× its time (0.7×)
7. check, time per indicator at 100 and 10,000 indicators         goal ≤ 60 µs, linear
8. batch --pdf of 20 reports, 2 jobs vs 1 (benchmarks/pdf_throughput.py, figure 1)
                                                                  goal ≥ 1.6× on 2 idle cores

A script that prints ratios, not a timed test: absolute times vary between machines,
ratios taken in the same run much less. Each figure is the best of a few interleaved runs.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

from docxtpl import DocxTemplate

import reportgen
from reportgen import batch
from reportgen.engine import Template, default_store
from reportgen.kinds import resolve_template
from reportgen.language.environment import make_environment

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "liwan-2023.json"  # one page-heavy report, the liwan template
INDICATORS = ROOT / "samples" / "tianhe-2023.json"  # a template that lists every indicator


def best(function: Callable[[], object], repeat: int = 3) -> float:
    """The shortest of ``repeat`` runs of ``function``, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def side_by_side(functions: dict[str, Callable[[], object]], repeat: int = 3) -> dict[str, float]:
    """Best time of each function, their runs interleaved so drift affects all alike."""
    times: dict[str, list[float]] = {name: [] for name in functions}
    for _ in range(repeat):
        for name, function in functions.items():
            times[name].append(best(function, 1))
    return {name: min(values) for name, values in times.items()}


def load_json(path: Path) -> dict:
    # floats print back with the digits they were read from, so amounts survive unchanged
    return json.loads(path.read_text(encoding="utf-8"))


def dump(data) -> str:
    return json.dumps(data, ensure_ascii=False)


def data_files(folder: Path, count: int, source: Path = SAMPLE) -> list[Path]:
    """``count`` copies of one data file, each its own department, in ``folder``."""
    data = load_json(source)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(count):
        data["department"]["name"] = f"第{number}局"
        paths.append(folder / f"report-{number:04d}.json")
        paths[-1].write_text(dump(data), encoding="utf-8")
    return paths


# ---- 1. one process ---------------------------------------------------------------------


def plain_loop(files: list[Path], out: Path) -> None:
    """What a script without reportgen's batch does: everything once per report."""
    for path in files:
        model = reportgen.load(path)
        document = DocxTemplate(str(resolve_template(model)))
        document.render(reportgen.context(model), jinja_env=make_environment(), autoescape=True)
        document.save(out / f"{path.stem}.docx")


def batch_loop(jobs: list[batch.Job], workers: int) -> None:
    default_store.clear()  # each run starts cold, as a new command would
    batch.run_jobs(jobs, workers, lambda result: None)


def one_process(folder: Path, count: int) -> None:
    files = data_files(folder / "in", count)
    out = folder / "out"
    out.mkdir()
    jobs = batch.plan(files, out)
    times = side_by_side({"plain": lambda: plain_loop(files, out), "batch": lambda: batch_loop(jobs, 1)})
    print(f"1. one process, {count} reports end to end (read JSON, compute, render, write):")
    print(f"   plain docxtpl loop {times['plain'] / count * 1000:6.2f} ms/report")
    print(f"   reportgen batch    {times['batch'] / count * 1000:6.2f} ms/report"
          f"   → {times['plain'] / times['batch']:.1f}× the throughput   (goal ≥ 5×)")
    render_only()


def render_only() -> None:
    model = reportgen.load(SAMPLE)
    context, path = reportgen.context(model), resolve_template(model)
    prepared = Template(path)
    compiled = prepared.whole_package
    prepared.render_bytes(context)

    def plain() -> None:
        document = DocxTemplate(str(path))
        document.render(context, jinja_env=make_environment(), autoescape=True)
        document.save(io.BytesIO())

    n = 30
    times = side_by_side({"plain": lambda: [plain() for _ in range(n)],
                          "compiled": lambda: [compiled.render_bytes(context) for _ in range(n)],
                          "prepared": lambda: [prepared.render_bytes(context) for _ in range(n)]})
    per = {name: value / n * 1000 for name, value in times.items()}
    print("   rendering alone (context computed, bytes in memory):")
    print(f"   plain docxtpl {per['plain']:.2f} ms, whole package {per['compiled']:.2f} ms "
          f"({per['plain'] / per['compiled']:.1f}×), Template (parts only) {per['prepared']:.2f} ms "
          f"({per['plain'] / per['prepared']:.1f}×)")


# ---- 2. two jobs vs one -----------------------------------------------------------------


def two_jobs(folder: Path, count: int) -> None:
    files = data_files(folder / "in2", count)
    jobs = batch.plan(files, folder / "out2")
    load = os.getloadavg()[0]  # other programs on these cores lower the figure
    times = side_by_side({"1": lambda: batch_loop(jobs, 1), "2": lambda: batch_loop(jobs, 2)}, repeat=5)
    print(f"2. {count} reports through the batch runner: 1 job {times['1']:.2f} s, "
          f"2 jobs {times['2']:.2f} s → {times['1'] / times['2']:.2f}×   "
          f"(goal ≥ 1.7× on 2 cores; {batch.default_jobs()} cores here, load average {load:.1f})")


# ---- 3. indicators ----------------------------------------------------------------------


def with_indicators(count: int) -> dict:
    data = load_json(INDICATORS)
    base = data["indicators"]
    data["indicators"] = [dict(base[n % len(base)], name=f"{base[n % len(base)]['name']}{n}")
                          for n in range(count)]
    return data


def indicators() -> None:
    models = {n: reportgen.loads(dump(with_indicators(n))) for n in (100, 1000)}
    prepared = Template(resolve_template(models[100]))
    contexts = {n: reportgen.context(model) for n, model in models.items()}
    prepared.render_bytes(contexts[100])
    steps = {f"render{n}": (lambda n=n: prepared.render_bytes(contexts[n])) for n in models}
    steps.update({f"context{n}": (lambda n=n: reportgen.context(models[n])) for n in models})
    times = side_by_side(steps, repeat=5)
    print("3. a report with 1,000 indicators vs 100 (goal ≤ 10×, linear):")
    print(f"   rendering {times['render100'] * 1000:.1f} → {times['render1000'] * 1000:.1f} ms "
          f"= {times['render1000'] / times['render100']:.1f}×;  computing the context "
          f"{times['context100'] * 1000:.1f} → {times['context1000'] * 1000:.1f} ms "
          f"= {times['context1000'] / times['context100']:.1f}×")


def check_per_indicator(folder: Path) -> None:
    """``reportgen.check`` on a loaded model (the walk the issue measured), and the
    ``reportgen check FILE`` command end to end (reading the JSON and loading it too),
    per indicator at 100 and 10,000."""
    models = {n: reportgen.loads(dump(with_indicators(n))) for n in (100, 10_000)}
    times = side_by_side({str(n): (lambda n=n: reportgen.check(models[n])) for n in models}, repeat=3)
    per = {n: times[str(n)] / n * 1e6 for n in models}
    print("7. reportgen check, time per indicator (goal ≤ 60 µs at 10,000, linear from 100):")
    print(f"   the check itself: 100 indicators {per[100]:.1f} µs, 10,000 indicators {per[10_000]:.1f} µs "
          f"= {per[10_000] / per[100]:.2f}× the per-indicator time at 100")
    files = {n: folder / f"check-{n}.json" for n in models}
    for n, path in files.items():
        path.write_text(dump(with_indicators(n)), encoding="utf-8")
    command = {n: [sys.executable, "-m", "reportgen", "check", str(path)] for n, path in files.items()}
    whole = side_by_side({str(n): (lambda n=n: subprocess.run(command[n], stdout=subprocess.DEVNULL))
                          for n in files}, repeat=3)
    beyond = (whole["10000"] - whole["100"]) / (10_000 - 100) * 1e6
    print(f"   the command end to end: {whole['100'] * 1000:.0f} ms at 100, {whole['10000'] * 1000:.0f} ms at "
          f"10,000: {beyond:.0f} µs per further indicator (reading and loading it, then checking)")


# ---- 4. memory --------------------------------------------------------------------------


def peak_mb() -> float:
    """This process's peak resident memory. Linux's VmHWM, since ru_maxrss carries over
    the peak of the process that started this one."""
    try:
        status = Path("/proc/self/status").read_text()
        return int(status.split("VmHWM:")[1].split()[0]) / 1024
    except (OSError, IndexError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def memory_child(count: int) -> None:
    """Run in a fresh process: peak memory after 100 reports and after ``count``."""
    with tempfile.TemporaryDirectory() as folder:
        jobs = batch.plan(data_files(Path(folder), count), Path(folder) / "out")
        marks: dict[int, float] = {}
        done = iter(range(1, count + 1))

        def mark(result: batch.Result) -> None:
            assert result.error is None, result.error
            number = next(done)
            if number in (100, count):
                marks[number] = peak_mb()

        batch.run_jobs(jobs, 1, mark)
        print(json.dumps({"after100": marks[100], "after": marks[count]}))


def memory(count: int) -> None:
    child = subprocess.run([sys.executable, __file__, "--memory-child", str(count)],
                           capture_output=True, text=True, check=True)
    marks = json.loads(child.stdout)
    print(f"4. peak memory of one process rendering {count} reports: after 100 "
          f"{marks['after100']:.0f} MB, after {count} {marks['after']:.0f} MB "
          f"→ {marks['after'] / marks['after100']:.2f}×   (goal: flat)")


# ---- 5. where the time goes ---------------------------------------------------------------

#: (file, function) → what that time is, in the whole-package path's render_bytes.
PHASES = {
    ("docx/api.py", "Document"): "python-docx reads the whole package again (DocxTemplate per document)",
    ("docxtpl/template.py", "patch_xml"): "docxtpl re-patches the same XML (regexes)",
    ("jinja2/environment.py", "render"): "Jinja renders (compiled once)",
    ("docx/opc/package.py", "save"): "python-docx serialises and deflates every part",
    ("reportgen/docx/package.py", "normalise_package"): "normalise_package inflates and deflates every entry again",
}


def profile() -> None:
    model = reportgen.load(SAMPLE)
    context, compiled = reportgen.context(model), Template(resolve_template(model)).whole_package
    compiled.render_bytes(context)
    profiler = cProfile.Profile()
    profiler.runcall(lambda: [compiled.render_bytes(context) for _ in range(30)])
    stats = pstats.Stats(profiler).stats  # (file, line, function) → (…, cumulative, callers)
    total = sum(ct for (file, _, name), (_, _, _, ct, _) in stats.items()
                if file.endswith("engine/strategies.py") and name == "render_bytes")
    print("5. where the whole-package path spends its time (cProfile, 30 documents):")
    for (suffix, function), meaning in PHASES.items():
        spent = sum(ct for (file, _, name), (_, _, _, ct, _) in stats.items()
                    if file.endswith(suffix) and name == function)
        print(f"   {spent / total:5.0%}  {meaning}")


# ---- 6. one report, cold ------------------------------------------------------------------

#: what a plain script does for one report: import, load, render, save.
PLAIN_SCRIPT = """
import sys
from docxtpl import DocxTemplate
import reportgen
from reportgen.kinds import resolve_template
from reportgen.language.environment import make_environment
model = reportgen.load(sys.argv[1])
document = DocxTemplate(str(resolve_template(model)))
document.render(reportgen.context(model), jinja_env=make_environment(), autoescape=True)
document.save(sys.argv[2])
"""


def cold(runs: int = 15) -> None:
    """Wall time of a new process rendering one report, ``reportgen FILE -o OUT`` against
    the plain script, runs interleaved; best and median of ``runs``. Both run as an
    installed package does, from compiled bytecode (pip compiles it at install; a warm-up
    run writes it here, whatever PYTHONDONTWRITEBYTECODE says). reportgen runs twice:
    with its template rendered before (kept in its cache folder, the usual case: a
    department renders its report from the same template year after year), and as the
    first run of a template (an empty cache folder each time)."""
    out = Path(tempfile.mkdtemp()) / "cold.docx"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    kept = tempfile.mkdtemp()
    reportgen_command = [sys.executable, "-m", "reportgen", str(SAMPLE), "-o", str(out)]
    commands = {"reportgen": (reportgen_command, {"REPORTGEN_CACHE_DIR": kept}),
                "first": (reportgen_command, None),
                "plain": ([sys.executable, "-c", PLAIN_SCRIPT, str(SAMPLE), str(out)], {})}
    times: dict[str, list[float]] = {name: [] for name in commands}
    for round_ in range(runs + 1):
        for name, (command, extra) in commands.items():
            run_env = {**env, **(extra if extra is not None else {"REPORTGEN_CACHE_DIR": tempfile.mkdtemp()})}
            start = time.perf_counter()
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL, cwd=ROOT, env=run_env)
            if round_:  # the first round is the warm-up
                times[name].append(time.perf_counter() - start)
    best = {name: min(values) * 1000 for name, values in times.items()}
    median = {name: sorted(values)[len(values) // 2] * 1000 for name, values in times.items()}
    print(f"6. one report from the command line, cold (a new process, imports included), {runs} runs:")
    for name, meaning in (("reportgen", "template rendered before"), ("first", "first run of a template")):
        print(f"   {meaning:<25} reportgen {best[name]:.0f} ms (median {median[name]:.0f}), plain docxtpl "
              f"script {best['plain']:.0f} ms (median {median['plain']:.0f}) → {best[name] / best['plain']:.2f}× "
              f"the plain script's time (median {median[name] / median['plain']:.2f}×)")
    print("   goal: ≤ 1.0× (0.7×) for a template rendered before")


def pdf_jobs(folder: Path, count: int = 20) -> None:
    """``batch --pdf`` of ``count`` reports, 2 jobs vs 1 (LibreOffice needed): the first
    figure of ``benchmarks/pdf_throughput.py``, which says how many cores were free."""
    import pdf_throughput  # beside this script
    pdf_throughput.batch_jobs(folder / "pdf", count, repeat=3, number=8)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=200, help="reports for figure 1")
    parser.add_argument("--parallel-reports", type=int, default=1000,
                        help="reports for figure 2: enough that starting workers is not the measure")
    parser.add_argument("--memory-reports", type=int, default=1000)
    parser.add_argument("--memory-child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--only", type=int, choices=range(1, 9), action="append",
                        help="run only this figure (may be repeated)")
    args = parser.parse_args()
    if args.memory_child:
        return memory_child(args.memory_child)
    figures = {1: lambda folder: one_process(folder, args.reports),
               2: lambda folder: two_jobs(folder, args.parallel_reports),
               3: lambda folder: indicators(),
               4: lambda folder: memory(args.memory_reports),
               5: lambda folder: profile(),
               6: lambda folder: cold(),
               7: lambda folder: check_per_indicator(folder),
               8: lambda folder: pdf_jobs(folder)}
    with tempfile.TemporaryDirectory() as folder:
        for number in sorted(set(args.only or figures)):
            figures[number](Path(folder))


if __name__ == "__main__":
    main()
