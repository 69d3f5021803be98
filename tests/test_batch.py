"""reportgen batch: many files in parallel, bad ones reported, names unique, output
deterministic and atomic; the parts-only render path gives what the whole-package path gives."""
import io
import os
import shutil
import zipfile
from pathlib import Path

import pytest

import reportgen
from reportgen import batch
from reportgen.cli import main
from reportgen.commands.batch import Progress
from reportgen.errors import TemplateError
from reportgen.engine import Template
from reportgen.kinds import resolve_template

from support import SAMPLES, docx_text, dump_json, sample_data, write_json


def entries(data: bytes) -> list[tuple[str, bytes]]:
    """A package's entries in order, uncompressed: what a reader of the file gets."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return [(name, package.read(name)) for name in package.namelist()]


@pytest.fixture
def inputs(tmp_path):
    """Every sample plus a second department on the liwan template, so that a worker
    renders some template twice (the fast path) whatever the split between workers."""
    folder = tmp_path / "in"
    folder.mkdir()
    for path in SAMPLES.glob("*.json"):
        shutil.copy(path, folder)
    liwan = sample_data("liwan-2023.json")
    liwan["department"]["name"] = "商务局 & <测试>"
    write_json(folder / "liwan-copy.json", liwan)
    shutil.copy(SAMPLES / "liwan-2023.json", folder / "liwan-again.json")
    return folder


def test_batch_writes_every_sample_like_render(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["batch", str(SAMPLES), "-o", str(out), "--jobs", "2"]) == 0
    samples = sorted(SAMPLES.glob("*.json"))
    assert sorted(p.name for p in out.iterdir()) == sorted(p.stem + ".docx" for p in samples)
    for path in samples:
        expected = reportgen.render_bytes(reportgen.load(path))
        assert entries((out / f"{path.stem}.docx").read_bytes()) == entries(expected)
    err = capsys.readouterr().err
    assert f"生成 {len(samples)} 份" in err and "失败 0 份" in err
    assert f"完成 {SAMPLES / 'liwan-2023.json'} → {out / 'liwan-2023.docx'}" in err


def test_bad_files_are_reported_and_the_rest_written(inputs, tmp_path, capsys):
    liwan = sample_data("liwan-2023.json")
    liwan["budget"]["annual_budget"] = -1
    write_json(inputs / "bad-data.json", liwan)
    (inputs / "broken.json").write_text("{", encoding="utf-8")
    liwan["budget"]["annual_budget"] = 1
    liwan["template"] = "no-such-template"
    write_json(inputs / "bad-template.json", liwan)
    out = tmp_path / "out"
    assert main(["batch", str(inputs), "-o", str(out), "-j", "2"]) == 1
    err = capsys.readouterr().err
    assert "$.budget.annual_budget: 金额不能为负数：-1" in err
    assert "不是有效的JSON" in err and "no-such-template" in err
    assert "失败 3 份" in err and "失败的文件：" in err
    good = {p.stem for p in inputs.glob("*.json")} - {"bad-data", "broken", "bad-template"}
    assert {p.stem for p in out.glob("*.docx")} == good
    assert not list(out.glob(".*"))  # no temporary file left behind


def test_exit_status_2_for_a_mistake_in_the_command(tmp_path, capsys):
    assert main(["batch", str(tmp_path / "nope.json"), "-o", str(tmp_path / "out")]) == 2
    assert "找不到数据文件或文件夹" in capsys.readouterr().err
    (tmp_path / "empty").mkdir()
    assert main(["batch", str(tmp_path / "empty"), "-o", str(tmp_path / "out")]) == 2
    assert "没有 .json 数据文件" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
    with pytest.raises(SystemExit):
        main(["batch", str(SAMPLES), "-o", str(tmp_path / "out"), "--jobs", "0"])


def test_same_input_gives_identical_bytes_whatever_the_jobs(inputs, tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    assert main(["batch", str(inputs), "-o", str(one), "-j", "1"]) == 0
    assert main(["batch", str(inputs), "-o", str(two), "-j", "2"]) == 0
    names = sorted(p.name for p in one.iterdir())
    assert names == sorted(p.name for p in two.iterdir()) and len(names) == len(list(inputs.iterdir()))
    for name in names:
        assert (one / name).read_bytes() == (two / name).read_bytes(), name
    assert (one / "liwan-again.docx").read_bytes() == (one / "liwan-2023.docx").read_bytes()
    assert "商务局 & <测试>" in docx_text(one / "liwan-copy.docx")


def test_failed_render_keeps_the_existing_file(tmp_path):
    liwan = sample_data("liwan-2023.json")
    liwan["budget"]["annual_budget"] = -1
    data = write_json(tmp_path / "report.json", liwan)
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.docx").write_bytes(b"last year's report")
    assert main(["batch", str(data), "-o", str(out)]) == 1
    assert (out / "report.docx").read_bytes() == b"last year's report"
    assert [p.name for p in out.iterdir()] == ["report.docx"]


def test_equal_stems_are_told_apart_by_their_folders(tmp_path, capsys):
    for year in ("2023", "2024"):
        (tmp_path / year).mkdir()
        shutil.copy(SAMPLES / "liwan-2023.json", tmp_path / year / "liwan.json")
    out = tmp_path / "out"
    assert main(["batch", str(tmp_path / "2023"), str(tmp_path / "2024" / "liwan.json"),
                 str(tmp_path / "2023" / "liwan.json"), "-o", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["2023_liwan.docx", "2024_liwan.docx"]
    assert "生成 2 份" in capsys.readouterr().err  # a file named twice renders once


def test_output_stems_are_unique_ignoring_case(tmp_path):
    paths = [tmp_path / "a" / "x" / "r.json", tmp_path / "b" / "x" / "R.json",
             tmp_path / "x_r.json", tmp_path / "c" / "q.json"]
    stems = batch.output_stems(paths)
    assert stems[paths[0]] == "a_x_r" and stems[paths[1]] == "b_x_R"
    assert stems[paths[2]] == "x_r" and stems[paths[3]] == "q"
    clash = [tmp_path / "x" / "r.json", tmp_path / "y" / "x_r.json", tmp_path / "x_r.json"]
    assert len({s.casefold() for s in batch.output_stems(clash).values()}) == 3


def _whole_package_used(context):
    raise AssertionError("the parts-only path fell back to the whole package")


def test_fast_path_gives_what_the_whole_package_gives():
    for path in sorted(SAMPLES.glob("*.json")):
        model = reportgen.load(path)
        template = Template(resolve_template(model))
        whole = template.whole_package
        data = sample_data(path.name)
        data["year"] -= 1
        owner = data.get("department", data.get("project"))  # each kind names its department
        if isinstance(owner, dict):
            owner["name" if "name" in owner else "department"] += "（二）"
        else:
            data["department"] += "（二）"
        other = reportgen.loads(dump_json(data))
        expected = [whole.render_bytes(reportgen.context(m)) for m in (model, other)]
        template.whole_package.render_bytes = _whole_package_used  # the first document too
        try:
            rendered = [template.render_bytes(reportgen.context(m)) for m in (model, other)]
        finally:
            del template.whole_package.render_bytes
        assert rendered == expected, path  # byte for byte
        assert rendered[1] != rendered[0] and zipfile.ZipFile(io.BytesIO(rendered[1])).testzip() is None


def test_fast_path_errors_are_the_whole_package_errors():
    """A failure on the parts-only path is explained by the whole-package path: the
    same message, naming the tag, as when the parts-only path is not there."""
    model = reportgen.load(SAMPLES / "liwan-2023.json")
    context = reportgen.context(model)
    broken = {key: value for key, value in context.items() if key != "budget"}
    fast = Template(resolve_template(model))
    fast.render_bytes(context)
    with pytest.raises(TemplateError) as from_fast:
        fast.render_bytes(broken)
    whole_only = Template(resolve_template(model))
    whole_only.parts_only.render_bytes = lambda c: 1 / 0  # it fails
    with pytest.raises(TemplateError) as from_whole:
        whole_only.render_bytes(broken)
    assert str(from_fast.value) == str(from_whole.value) == (
        "模板 liwan.docx 无法生成文档：\n  正文第13段「全年预算数{{ budget.annual_budget|money(false) }}万元，"
        "执行数{{ budget.exec…」：未定义的变量 “budget”")


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_is_a_bar_on_a_terminal_and_lines_elsewhere(tmp_path):
    jobs = [batch.Job(Path(f"{n}.json"), tmp_path / f"{n}.docx") for n in range(3)]
    terminal, log = _Terminal(), io.StringIO()
    for stream in (terminal, log):
        progress = Progress(3, stream)
        progress.update(batch.Result(jobs[0], None, 0.1))
        progress.update(batch.Result(jobs[1], "坏了", 0.1))
        progress.update(batch.Result(jobs[2], None, 0.1))
        progress.close()
    assert "\r" in terminal.getvalue() and "3/3  失败 1" in terminal.getvalue()
    assert "完成" not in terminal.getvalue() and "失败 1.json：坏了" in terminal.getvalue()
    assert log.getvalue().splitlines() == [f"完成 0.json → {jobs[0].docx}", "失败 1.json：坏了",
                                           f"完成 2.json → {jobs[2].docx}"]



_render_job = batch.render_job


def _render_or_die(job):
    if job.source.stem == "crash":
        os._exit(1)  # as a worker the system killed would
    return _render_job(job)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs forked workers")
def test_a_dead_worker_fails_its_files_and_the_batch_ends(inputs, tmp_path, monkeypatch, capsys):
    shutil.copy(SAMPLES / "liwan-2023.json", inputs / "crash.json")
    monkeypatch.setattr(batch, "render_job", _render_or_die)  # forked workers inherit it
    assert main(["batch", str(inputs), "-o", str(tmp_path / "out"), "-j", "2"]) == 1
    err = capsys.readouterr().err
    assert "处理进程意外退出" in err and "crash.json" in err


def test_a_stop_while_converting_counts_the_documents_written_and_lists_those_without_pdf(tmp_path, capsys):
    from reportgen import pdf
    from reportgen.commands import batch as command
    jobs = [batch.Job(tmp_path / f"r{k}.json", tmp_path / f"r{k}.docx") for k in range(6)]
    results = [batch.Result(job, None, 0.1) for job in jobs[:5]] + [batch.Result(jobs[5], "数据有误", 0.1)]

    class Stopped:  # two PDFs made, then Ctrl-C
        def convert(self, paths, progress=None):
            try:
                raise KeyboardInterrupt
            except KeyboardInterrupt as cause:
                raise pdf.Interrupted({paths[0]: None, paths[1]: None}) from cause

    with pytest.raises(batch.Interrupted) as stopped:
        batch.convert_to_pdf(results, converters=Stopped())
    stop = stopped.value
    assert stop.results == results and stop.unfinished == [] and stop.without_pdf == jobs[2:5]
    said = command._interrupted(stop, 1.0, with_pdf=True)
    assert said.startswith("已中断：生成 5 份（其中 2 份已生成PDF），失败 1 份，未处理 0 份")
    assert said.endswith("\n".join(f"  {job.docx}" for job in jobs[2:5]))


def test_a_template_that_cannot_be_read_is_no_write_failure(tmp_path, monkeypatch):
    from reportgen.engine import default_store

    def unreadable(path):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(default_store, "get", unreadable)
    job = batch.Job(SAMPLES / "liwan-2023.json", tmp_path / "liwan-2023.docx")
    error = batch.render_job(job).error
    assert error.startswith("无法读取 ") and error.endswith("：没有权限") and "无法写入" not in error
    assert not job.docx.exists()
