#!/usr/bin/env python3
"""Hostile templates: peak memory and wall time of rendering and checking each one.

    .venv/bin/python benchmarks/hostile.py [--only NAME] [--time-limit S] [--jobs N]

Each template of the hostile set (issue 10, kind 1; red team of 2026-11-30) is rendered
(``reportgen.render`` with ``time_limit``) and checked (``check_template``) in a
process of its own, forked from this one once the engine is imported, under an
address-space cap (:data:`ADDRESS_CAP`) so that a regression cannot take the machine. For each it prints wall seconds, peak resident
memory (``wait4``'s ``ru_maxrss``), the exit status and the first line of the refusal.
A template *holds* when rendering is refused with exit 2 and a Chinese message,
nothing is written, peak memory stays under :data:`PEAK_LIMIT_MB` and the render ends
within its time limit (plus :data:`STARTUP` for the interpreter and imports).

The set: the payloads below (rendered into one-paragraph templates), two templates
just within the limits that must render (:data:`NEAR_LIMITS`), the case
``../shared/cases/rt-08-template-resource-exhaustion`` when present, and packages
whose parts inflate to hundreds of megabytes (zip bombs: in document.xml, in an
unreferenced part, in an image, behind a header that lies about the size, in many parts).
``tests/test_limits_hostile.py`` runs it (``--render-only --json``) and asserts that
every template holds.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import signal
import struct
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import NamedTuple, Optional

ROOT = Path(__file__).resolve().parents[1]
CASE = ROOT.parent / "shared" / "cases" / "rt-08-template-resource-exhaustion"
DATA = ROOT / "samples" / "liwan-2023.json"
#: the promise: no hostile template takes more memory than this.
PEAK_LIMIT_MB = 500
#: a safety net for the machine, not the measure: a process asking for more dies.
ADDRESS_CAP = 3 * 2**30
#: seconds a process needs to start and read its template, beyond the time limit.
STARTUP = 3.0
TIME_LIMIT = 5.0
_BIG = "x" * 999_999
#: one-paragraph payloads: (name, template text). Each tries to take memory or time.
PAYLOADS = [
    ("method-center", '{{ "a".center(10**9) }}'),
    ("method-ljust", '{{ "a".ljust(10**9) }}'),
    ("method-rjust", '{{ "a".rjust(999999999) }}'),
    ("method-zfill", '{{ "1".zfill(10**9) }}'),
    ("method-expandtabs", '{{ ("\\t" * 1000).expandtabs(10**6) }}'),
    ("int-to-bytes", '{{ (1).to_bytes(10**9, "big") }}'),
    ("format-nested-width", '{{ "{:{w}}".format("a", w=10**9) }}'),
    ("format-map-width", '{{ "{x:>999999999}".format_map({"x": 1}) }}'),
    ("format-precision", '{{ "{:.999999999f}".format(1.5) }}'),
    ("percent-star-width", '{{ "%*d" % (10**9, 1) }}'),
    ("percent-precision", '{{ "%.999999999f" % 1.5 }}'),
    ("filter-format-precision", '{{ "%.999999999f"|format(1.5) }}'),
    ("join-long-separator", '{{ range(100000)|join("x" * 100000) }}'),
    ("method-join-generator", '{{ ("x" * 100000).join(range(100000)|map("string")) }}'),
    ("map-center-list", '{{ range(100000)|map("string")|map("center", 100000)|list|length }}'),
    ("map-center-join", '{{ range(100000)|map("string")|map("center", 100000)|join|length }}'),
    ("batch-fill", '{{ ([1] * 1000)|batch(10**9, "x")|list }}'),
    ("slice-count", '{{ range(10)|slice(10**9, 0)|list }}'),
    ("indent-string-width", '{{ "a\\nb"|indent("y" * 999999) }}'),
    ("indent-many-lines", '{{ ("a\\n" * 400000)|indent(3) }}'),
    ("replace-empty", '{{ ("x" * 1000000)|replace("", "yy") }}'),
    ("method-replace", '{{ ("x" * 100000).replace("x", "y" * 100000) }}'),
    ("method-translate", '{{ ("a" * 100000).translate({97: "y" * 100000}) }}'),
    ("wordwrap-wrapstring", '{{ "x y"|wordwrap(1, wrapstring="y" * 999999) }}'),
    ("list-literal", '{% set a = "x" * 999999 %}{{ [a, a, a, a, a, a, a, a, a, a]|join }}'),
    ("tuple-literal", '{% set a = "x" * 999999 %}{{ (a, a, a)|join }}'),
    ("dict-literal", '{% set a = "x" * 999999 %}{% set d = {"k": a, "l": a} %}{{ d|length }}'),
    ("repeat-list-of-big", '{% set a = "x" * 999999 %}{{ ([a] * 1000)|join }}'),
    ("concat-big", '{% set a = "x" * 999999 %}{{ a ~ a }}'),
    ("add-big", '{% set a = "x" * 999999 %}{{ a + a }}'),
    ("fromkeys", '{{ dict.fromkeys(range(100000), "x" * 999999)|length }}'),
    ("output-accumulate", '{% set a = "x" * 900000 %}{% for i in range(100000) %}{{ a }}{% endfor %}'),
    ("power-in-loop", '{% set ns = namespace(v=2) %}{% for i in range(100) %}{% set ns.v = ns.v ** 64 %}'
                      '{% endfor %}{{ ns.v > 0 }}'),
    ("big-power", '{{ (10 ** 30000)|string|length }}'),
    ("triple-loop", '{% for i in range(1000) %}{% for j in range(1000) %}{% for k in range(1000) %}'
                    '{% endfor %}{% endfor %}{% endfor %}'),
    ("slow-loop", '{% for i in range(100000) %}{{ range(100000)|sort|first }}{% endfor %}'),
    ("slow-nested-sort", '{% for i in range(1000) %}{% for j in range(1000) %}{{ (range(1000)|list|sort)[0] }}'
                         '{% endfor %}{% endfor %}'),
    ("recursive-loop", '{% for x in [[1]] recursive %}{{ loop([x]) }}{% endfor %}'),
    ("escape-growth", '{{ ("<" * 999999)|e|e|length }}'),
    ("tojson-growth", '{{ ("中" * 999999)|tojson|length }}'),
    ("urlencode-growth", '{{ ("中" * 999999)|urlencode|length }}'),
    ("nested-parentheses", "{{ " + "(" * 10000 + "1" + ")" * 10000 + " }}"),
    ("long-filter-chain", "{{ department.name" + "|trim" * 10000 + " }}"),
    ("nested-lists", "{{ " + "[" * 3000 + "]" * 3000 + " }}"),
    ("deep-python-nesting", "{{ " + "(" * 250 + "1" + ")" * 250 + " }}"),
]


#: templates just within the limits, which must render (exit 0) within the same memory and time:
#: the largest output a document may have, as one long text and as 400,000 paragraphs.
NEAR_LIMITS = [
    ("near-output-cjk", ['{% set a = "中" * 900000 %}{% for i in range(21) %}{{ a }}{% endfor %}']),
    ("near-paragraphs", ["{%p for j in range(4) %}", "{%p for i in range(100000) %}", "x", "{%p endfor %}",
                         "{%p endfor %}"]),
]


class Result(NamedTuple):
    """One process: what it did and what it cost."""

    name: str
    mode: str  # "render" or "check"
    seconds: float
    peak_mb: float
    status: int  # exit status; negative: killed by that signal
    message: str  # the first line of what it printed
    written: bool  # the render wrote its output file


# ---- the hostile set ---------------------------------------------------------------------------


def _paragraph_template(path: Path, *texts: str) -> Path:
    from docx import Document
    document = Document()
    for text in texts:
        document.add_paragraph(text)
    document.save(path)
    return path


def _with_entries(source: Path, target: Path, entries: dict[str, tuple[bytes, int]],
                  replace: Optional[dict[str, tuple[bytes, int]]] = None) -> Path:
    """``source`` with ``entries`` added (name → (a block, how many times it repeats)),
    and ``replace`` entries written instead of the template's own. Written streaming:
    hundreds of megabytes never sit in memory."""
    replace = replace or {}
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            if item.filename not in replace:
                dst.writestr(item.filename, src.read(item.filename))
        for name, (block, times) in {**replace, **entries}.items():
            with dst.open(name, "w", force_zip64=True) as stream:
                for _ in range(times):
                    stream.write(block)
    return target


def _lie_about_size(path: Path, name: str, size: int) -> None:
    """Make the headers of entry ``name`` declare ``size`` bytes inflated."""
    data = bytearray(path.read_bytes())
    encoded = name.encode()
    for signature, offset, name_at in ((b"PK\x01\x02", 24, 46), (b"PK\x03\x04", 22, 30)):
        at = data.find(signature)
        while at >= 0:
            length = struct.unpack_from("<H", data, at + (28 if signature == b"PK\x01\x02" else 26))[0]
            if bytes(data[at + name_at:at + name_at + length]) == encoded:
                struct.pack_into("<I", data, at + offset, size)
            at = data.find(signature, at + 4)
    path.write_bytes(bytes(data))


def zip_bombs(folder: Path) -> list[tuple[str, Path]]:
    """Packages whose parts inflate to hundreds of megabytes."""
    plain = _paragraph_template(folder / "plain.docx", "{{ department.name }}")
    mb, spaces = 2**20, b" " * 2**20
    with zipfile.ZipFile(plain) as package:
        document = package.read("word/document.xml")
    head, tail = document.split(b"</w:body>")
    bombs = [
        ("bomb-document-xml", {}, {"word/document.xml": (head + spaces * 300 + b"</w:body>" + tail, 1)}),
        ("bomb-unreferenced-part", {"word/media/unused.bin": (b"\0" * mb, 400)}, None),
        ("bomb-image", {"word/media/image1.png": (b"\x89PNG" + b"\0" * (mb - 4), 400)}, None),
        ("bomb-many-parts", {f"customXml/bomb{n}.xml": (b"<a/>" + spaces[:mb - 4], 1) for n in range(1, 151)}, None),
    ]
    out = []
    for name, entries, replace in bombs:
        out.append((name, _with_entries(plain, folder / f"{name}.docx", entries, replace)))
    lying = _with_entries(plain, folder / "bomb-lying-header.docx", {"word/media/lie.bin": (b"\0" * mb, 300)})
    _lie_about_size(lying, "word/media/lie.bin", 1000)
    out.append(("bomb-lying-header", lying))
    return out


def hostile_set(folder: Path, only: Optional[str] = None) -> list[tuple[str, Path, Path]]:
    """(name, template, data) of every hostile template, built in ``folder``."""
    items = [(name, _paragraph_template(folder / f"{name}.docx", text), DATA) for name, text in PAYLOADS
             if only in (None, name)]
    items += [(name, _paragraph_template(folder / f"{name}.docx", *texts), DATA) for name, texts in NEAR_LIMITS
              if only in (None, name)]
    if CASE.is_dir():
        items += [(f"rt08-{p.stem}", p, CASE / "data.json") for p in sorted(CASE.glob("*.docx"))
                  if only in (None, f"rt08-{p.stem}")]
    if only is None or only.startswith("bomb"):
        items += [(name, path, DATA) for name, path in zip_bombs(folder) if only in (None, name)]
    return items


# ---- running one ---------------------------------------------------------------------------------

def _child(mode: str, template: Path, data: Path, out: Path, time_limit: float, log: Path) -> None:
    """In a forked process: render (or check) ``template``, print the first problem, exit."""
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_CAP, ADDRESS_CAP))
    signal.alarm(int(time_limit + STARTUP + 60))  # a safety net: SIGALRM ends a hang
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    code = 0
    try:
        import reportgen
        from reportgen.errors import ReportgenError
        from reportgen.template_check import check_template
        try:
            if mode == "render":
                reportgen.render(reportgen.load(data), out, template=template, time_limit=time_limit)
            else:
                for problem in check_template(template).problems:
                    print(problem.message)
        except ReportgenError as exc:
            print(str(exc.problems[0]) if exc.problems else exc.summary)
            code = 2
    except BaseException:  # noqa: BLE001 - what escaped is the finding
        import traceback
        traceback.print_exc()
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _result(name: str, mode: str, seconds: float, status: int, usage, out: Path, log: Path) -> Result:
    lines = [line for line in log.read_text(encoding="utf-8", errors="replace").splitlines() if line.strip()]
    message = lines[0] if lines else ""
    if any(line.startswith(("Traceback", "MemoryError")) for line in lines):
        message = "Traceback: " + lines[-1]
    return Result(name, mode, seconds, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status), message,
                  out.exists())


def run_jobs(work: list[tuple], jobs: int) -> list[Result]:
    """Each job (name, mode, template, data, out, time limit) in a process forked from
    this one, ``jobs`` at a time; its peak memory is what ``wait4`` says of it. The
    engine is imported before forking, so each process starts in milliseconds."""
    import docxtpl  # noqa: F401 - imported once, shared by every fork
    import reportgen.engine  # noqa: F401
    import reportgen.template_check  # noqa: F401
    pending, running, done = list(work), {}, {}
    while pending or running:
        while pending and len(running) < jobs:
            job = pending.pop(0)
            name, mode, template, data, out, limit = job
            log = out.with_suffix(f".{mode}.log")
            pid = os.fork()
            if pid == 0:
                _child(mode, template, data, out, limit, log)
            running[pid] = (job, log, time.monotonic())
        pid, status, usage = os.wait4(-1, 0)
        (name, mode, _template, _data, out, _limit), log, start = running.pop(pid)
        done[(name, mode)] = _result(name, mode, time.monotonic() - start, status, usage, out, log)
    return [done[(job[0], job[1])] for job in work]


def holds(result: Result, time_limit: float) -> bool:
    """The render was refused (exit 2, in Chinese), wrote nothing, and stayed in its limits;
    a template of :data:`NEAR_LIMITS` rendered (exit 0) within the same limits."""
    within = result.peak_mb < PEAK_LIMIT_MB and result.seconds < time_limit + STARTUP
    if result.name.startswith("near-") and result.mode == "render":
        return within and result.status == 0 and result.written
    if result.mode == "check":
        return within and result.status in (0, 2) and "Traceback" not in result.message
    return within and result.status == 2 and not result.written \
        and re.search(r"[\u4e00-\u9fff]", result.message) is not None


def run_all(only: Optional[str] = None, time_limit: float = TIME_LIMIT, jobs: int = 2,
            modes: tuple[str, ...] = ("render", "check")) -> list[Result]:
    """Every hostile template rendered and checked, ``jobs`` processes at a time."""
    with tempfile.TemporaryDirectory(prefix="hostile-") as tmp:
        folder = Path(tmp)
        items = hostile_set(folder, only)
        work = [(name, mode, template, data, folder / f"{name}-{mode}-out.docx", time_limit)
                for name, template, data in items for mode in modes]
        return run_jobs(work, jobs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", help="one template of the set, by name")
    parser.add_argument("--time-limit", type=float, default=TIME_LIMIT)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--render-only", action="store_true", help="no template-check runs")
    parser.add_argument("--json", action="store_true", help="the results as JSON lines, for tests")
    args = parser.parse_args()
    results = run_all(args.only, args.time_limit, args.jobs, ("render",) if args.render_only else ("render", "check"))
    if args.json:
        for r in results:
            print(json.dumps({**r._asdict(), "held": holds(r, args.time_limit)}, ensure_ascii=False))
        return 0
    print(f"{'template':28} {'mode':6} {'seconds':>8} {'peak MB':>8} {'exit':>4}  held  message")
    for r in results:
        print(f"{r.name:28} {r.mode:6} {r.seconds:8.2f} {r.peak_mb:8.1f} {r.status:4}  "
              f"{'yes' if holds(r, args.time_limit) else 'NO':4}  {r.message[:70]}")
    renders = [r for r in results if r.mode == "render" and not r.name.startswith("near-")]
    print(f"\n{len(renders)} hostile templates; held when rendered: "
          f"{sum(holds(r, args.time_limit) for r in renders)}; peak {max(r.peak_mb for r in results):.0f} MB "
          f"(limit {PEAK_LIMIT_MB}); longest {max(r.seconds for r in results):.1f} s "
          f"(time limit {args.time_limit:g} s + {STARTUP:g} s to start)")
    return 0 if all(holds(r, args.time_limit) for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
