"""Batches that meet a dead worker, a hanging file, Ctrl-C or SIGTERM, or odd folder
entries: each costs only its own file, and every input not processed is named."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reportgen import batch
from reportgen.cli import main

from support import SAMPLES

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs forked workers")

_render_job = batch.render_job


def _copies(folder: Path, count: int, sample: str = "clean-2023.json") -> Path:
    folder.mkdir()
    for n in range(count):
        (folder / f"r{n:03d}.json").write_bytes((SAMPLES / sample).read_bytes())
    return folder


def _dies_once(job):
    # The first attempt at r001 dies as a worker the kernel killed would; the retry lives.
    mark = job.docx.parent / "died-once"
    if job.source.stem == "r001" and not mark.exists():
        mark.parent.mkdir(parents=True, exist_ok=True)
        mark.write_text("")
        os.kill(os.getpid(), signal.SIGKILL)
    return _render_job(job)


def _always_dies(job):
    if job.source.stem == "r001":
        os.kill(os.getpid(), signal.SIGKILL)
    return _render_job(job)


def _hangs(job):
    if job.source.stem == "r001":
        time.sleep(3600)
    return _render_job(job)


def test_a_worker_killed_once_costs_nothing(tmp_path, monkeypatch, capsys):
    inputs = _copies(tmp_path / "in", 6)
    monkeypatch.setattr(batch, "render_job", _dies_once)  # forked workers inherit it
    assert main(["batch", str(inputs), "-o", str(tmp_path / "out"), "-j", "2"]) == 0
    assert len(list((tmp_path / "out").glob("*.docx"))) == 6


def test_a_file_that_kills_its_worker_fails_alone(tmp_path, monkeypatch, capsys):
    inputs = _copies(tmp_path / "in", 12)
    monkeypatch.setattr(batch, "render_job", _always_dies)
    assert main(["batch", str(inputs), "-o", str(tmp_path / "out"), "-j", "2"]) == 1
    err = capsys.readouterr().err
    assert "共 12 份：生成 11 份（.docx），失败 1 份" in err
    assert "r001.json：处理进程意外退出（已重试1次）" in err
    assert "Broken" not in err and "Error" not in err


def test_a_hanging_file_fails_alone_at_the_time_limit(tmp_path, monkeypatch, capsys):
    inputs = _copies(tmp_path / "in", 4)
    monkeypatch.setattr(batch, "render_job", _hangs)
    start = time.monotonic()
    assert main(["batch", str(inputs), "-o", str(tmp_path / "out"), "-j", "2", "--timeout", "2"]) == 1
    assert time.monotonic() - start < 10
    err = capsys.readouterr().err
    assert "r001.json：超过时间限制（2秒），已停止" in err and "生成 3 份" in err


def test_every_entry_of_a_folder_is_rendered_or_named(tmp_path, capsys):
    inputs = tmp_path / "in"
    inputs.mkdir()
    data = (SAMPLES / "clean-2023.json").read_bytes()
    (inputs / "ok.json").write_bytes(data)
    (inputs / "荔湾区.JSON").write_bytes(data)  # as Windows saves it
    (inputs / "dangling.json").symlink_to(tmp_path / "nowhere.json")
    (inputs / "说明.txt").write_text("不是数据")
    (inputs / "~$数据.xlsx").write_bytes(b"\x00" * 165)  # Excel's lock file while 数据.xlsx is open
    (inputs / "2022").mkdir()
    assert main(["batch", str(inputs), "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["ok.docx", "荔湾区.docx"]
    assert "dangling.json：找不到数据文件" in err
    assert (f"未处理的文件：\n  {inputs / '2022'}：子文件夹（不处理子文件夹）\n"
            f"  {inputs / '~$数据.xlsx'}：Excel 或 WPS 打开工作簿时留下的临时文件，不是数据（先关闭该工作簿再生成）\n"
            f"  {inputs / '说明.txt'}：不是数据文件（.json、.xlsx、.xlsm）") in err


def _slow_inputs(folder: Path, count: int) -> Path:
    # About 0.15 s of rendering each: 1,000 indicators.
    data = json.loads((SAMPLES / "clean-2023.json").read_text(encoding="utf-8"))
    data["indicators"] = [{"level1": {"name": "产出指标"}, "level2": {"name": "数量指标"},
                           "name": f"指标{i:04d}", "target": "≥15场", "actual": "18场"} for i in range(1000)]
    folder.mkdir()
    text = json.dumps(data, ensure_ascii=False)
    for n in range(count):
        (folder / f"r{n:03d}.json").write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize("signum, status", [(signal.SIGINT, 130), (signal.SIGTERM, 143), (signal.SIGHUP, 129)])
def test_an_interrupted_batch_stops_at_once_and_says_what_it_left(tmp_path, signum, status):
    inputs = _slow_inputs(tmp_path / "in", 200)
    out = tmp_path / "out"
    process = subprocess.Popen([sys.executable, "-m", "reportgen", "batch", str(inputs), "-o", str(out), "-j", "2"],
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 60
    while not (out.exists() and any(out.glob("*.docx"))) and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(process.pid, signum)  # Ctrl-C reaches the whole process group
    stopped = time.monotonic()
    _, err = process.communicate(timeout=30)
    assert time.monotonic() - stopped < 3
    assert process.returncode == status
    written = len(list(out.glob("*.docx")))
    assert f"已中断：生成 {written} 份" in err and f"未处理 {200 - written} 份" in err
    assert not list(out.glob(".*.part"))  # no half-written file
    time.sleep(0.5)
    alive = subprocess.run(["pgrep", "-s", str(process.pid)], capture_output=True, text=True).stdout.split()
    assert alive == []  # no orphaned worker


def test_what_a_stopped_write_leaves_is_found_however_long_the_name(tmp_path):
    # A worker killed mid-write leaves its temporary file; the batch finds it to remove it,
    # for a 245-byte name as for a short one.
    from reportgen.docx.files import _temporary, partial_files
    for name in ("liwan.docx", "报" * 80 + ".docx"):
        target = tmp_path / name
        fd, tmp = _temporary(target)
        os.close(fd)
        assert partial_files(target) == [tmp]
        batch.remove_partial(batch.Job(tmp_path / "x.json", target))
        assert partial_files(target) == [] and not tmp.exists()


def _slow_after_first(job):
    if job.source.stem != "r000":
        time.sleep(3600)
    return _render_job(job)


def test_a_bug_in_on_result_is_raised_as_it_is_not_as_an_interruption(tmp_path, monkeypatch):
    monkeypatch.setattr(batch, "render_job", _slow_after_first)
    jobs = batch.plan([_copies(tmp_path / "in", 3)], tmp_path / "out")
    cleaned = []
    monkeypatch.setattr(batch, "remove_partial", cleaned.append)

    def on_result(result):
        raise ValueError("a bug")

    start = time.monotonic()
    with pytest.raises(ValueError, match="a bug"):
        batch.run_jobs(jobs, 3, on_result)
    assert time.monotonic() - start < 30  # the hanging workers were stopped, not waited for
    assert sorted(job.source.stem for job in cleaned) == ["r001", "r002"]
