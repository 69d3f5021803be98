"""`--pdf` runs stopped by Ctrl-C, SIGTERM (``timeout``, systemd) or SIGHUP (a closed
terminal), while rendering or converting: LibreOffice stopped with them, no work folder
left, no partial file, the PDFs already made kept, a summary and 128 + the signal."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from support import SAMPLES

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed"),
              pytest.mark.skipif(not hasattr(os, "fork"), reason="needs POSIX signals")]


def _start(tmp_path: Path, *arguments: str, **environment: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "REPORTGEN_CACHE_DIR": str(tmp_path / "cache"),
           "TMPDIR": str(tmp_path / "tmp"), **environment}  # TMPDIR: where its work folders go
    (tmp_path / "tmp").mkdir()
    return subprocess.Popen([sys.executable, "-m", "reportgen", *arguments], env=env, cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


def _libreoffice(tmp_path: Path) -> list[str]:
    """The LibreOffice processes of this test's run (they have sessions of their own)."""
    found = subprocess.run(["pgrep", "-f", str(tmp_path / "cache" / "lo-profile")], capture_output=True, text=True)
    return found.stdout.split()


def _until(condition, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


def _left_nothing(tmp_path: Path, out: Path) -> None:
    time.sleep(0.5)
    assert _libreoffice(tmp_path) == []
    assert list((tmp_path / "tmp").iterdir()) == []  # no work folder with copies of the reports
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []  # no partial file
    for made in out.glob("*.pdf"):
        assert made.read_bytes().rstrip().endswith(b"%%EOF")


# Started with the report's run, this holds it up where the test says (rendering, or
# converting with LibreOffice started) and says when it is there: the signal comes then.
PAUSE = """
import os, pathlib, time
import reportgen.api as api, reportgen.pdf as pdf
where, mark = os.environ["PAUSE_IN"], pathlib.Path(os.environ["PAUSE_MARK"])
def paused(function):
    def run(*args, **kwargs):
        mark.write_text("")
        time.sleep(30)
        return function(*args, **kwargs)
    return run
if where == "render":
    api.render_checked = paused(api.render_checked)  # the command line's rendering
else:
    pdf._run_all = paused(pdf._run_all)
"""


@pytest.mark.parametrize("signum, status, where", [(signal.SIGTERM, 143, "render"), (signal.SIGTERM, 143, "convert"),
                                                   (signal.SIGHUP, 129, "convert")])
def test_a_report_stopped_by_a_signal_stops_its_libreoffice(tmp_path, signum, status, where):
    out, hook = tmp_path / "out", tmp_path / "hook"
    out.mkdir()
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(PAUSE)
    mark = tmp_path / "paused"
    process = _start(tmp_path, str(SAMPLES / "liwan-2023.json"), "-o", str(out / "report.docx"), "--pdf",
                     PYTHONPATH=f"{hook}{os.pathsep}{ROOT / 'src'}", PAUSE_IN=where, PAUSE_MARK=str(mark))
    _until(lambda: mark.exists() and _libreoffice(tmp_path))
    process.send_signal(signum)  # as `timeout` and systemd send it: to reportgen alone
    _, err = process.communicate(timeout=30)
    assert process.returncode == status, err
    assert "已中断" in err and "Traceback" not in err
    _left_nothing(tmp_path, out)
    assert not (out / "report.pdf").exists()


@pytest.mark.parametrize("signum, status", [(signal.SIGINT, 130), (signal.SIGTERM, 143), (signal.SIGHUP, 129)])
def test_a_batch_stopped_while_converting_keeps_the_pdfs_made(tmp_path, signum, status):
    inputs = tmp_path / "in"
    inputs.mkdir()
    for number in range(24):
        shutil.copy(SAMPLES / "liwan-2023.json", inputs / f"r{number:02d}.json")
    out = tmp_path / "out"
    process = _start(tmp_path, "batch", str(inputs), "-o", str(out), "-j", "2", "--pdf")

    def converting() -> bool:  # two PDFs made or being made in the work folder
        return len(list((tmp_path / "tmp").glob("reportgen-pdf-*/run-*/out/*.pdf"))) >= 2

    _until(converting)
    if signum == signal.SIGINT:
        os.killpg(process.pid, signum)  # Ctrl-C reaches the whole process group
    else:
        process.send_signal(signum)
    _, err = process.communicate(timeout=30)
    assert process.returncode == status, err
    assert "Traceback" not in err
    made = len(list(out.glob("*.pdf")))
    assert made >= 1  # converted before the stop: kept, not thrown away
    # Every .docx was written before the PDF stage: all 24 are made, the PDFs not made are listed.
    assert f"已中断：生成 24 份（其中 {made} 份已生成PDF），失败 0 份，未处理 0 份" in err
    listed = err.split("未生成PDF的文件（重新运行即可生成）：\n")[1].splitlines()
    assert sorted(listed) == sorted(f"  {docx}" for docx in out.glob("*.docx") if not docx.with_suffix(".pdf").exists())
    assert len(listed) == 24 - made
    assert len(list(out.glob("*.docx"))) == 24
    _left_nothing(tmp_path, out)
