"""PDF through LibreOffice: one process per job, each with its own cached profile, started
while the documents are rendered; official fonts mapped to serif, sans and Kai CJK faces,
stable bytes, atomic output, and a clear message without LibreOffice."""
import contextlib
import fcntl
import os
import re
import shutil
import stat
import subprocess
import time
from pathlib import Path

import pytest

import reportgen
from reportgen import pdf
from reportgen.cli import main

from support import SAMPLES, docx_text

needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")


def fonts(path: Path) -> set[str]:
    """Font names embedded in a PDF, without their subset prefix (ABCDEF+)."""
    lines = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return {re.sub(r"^[A-Z]{6}\+", "", line.split()[0]) for line in lines.splitlines()[2:]}


@pytest.fixture(autouse=True)
def cache(tmp_path, monkeypatch) -> Path:
    """Profiles cached in a folder of this test's own."""
    monkeypatch.delenv("REPORTGEN_CACHE_DIR", raising=False)  # the profiles' own default place
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "reportgen"


@needs_soffice
def test_batch_pdf_has_serif_body_and_sans_headings(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("liwan-2023.json", "haizhu-2023.json"):
        shutil.copy(SAMPLES / name, folder)
    out = tmp_path / "out"
    assert main(["batch", str(folder), "-o", str(out), "--pdf", "-j", "2"]) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "haizhu-2023.docx", "haizhu-2023.pdf", "liwan-2023.docx", "liwan-2023.pdf"]
    assert "（.docx 和 PDF）" in capsys.readouterr().err
    for name in ("haizhu-2023", "liwan-2023"):
        assert (out / f"{name}.pdf").read_bytes().startswith(b"%PDF")
    if shutil.which("pdffonts") is None:
        pytest.skip("poppler-utils (pdffonts) is not installed")
    faces = fonts(out / "liwan-2023.pdf")
    # 仿宋_GB2312 body and 方正小标宋简体 title → Noto Serif CJK (regular, bold);
    # 黑体 headings → Noto Sans CJK; 楷体_GB2312 → LXGW WenKai.
    assert any(f.startswith("NotoSerifCJK") and "Regular" in f for f in faces), faces
    assert any(f.startswith("NotoSerifCJK") and "Bold" in f for f in faces), faces
    assert any(f.startswith("NotoSansCJK") for f in faces), faces
    assert any(f.startswith("LXGWWenKai") for f in faces), faces
    assert not any("DejaVu" in f for f in faces), faces  # nothing fell back to a Latin face


@needs_soffice
def test_render_pdf_beside_the_docx_with_the_same_bytes_each_time(tmp_path, capsys):
    made = []
    for run in ("a", "b"):
        out = tmp_path / run / "report.docx"
        assert main([str(SAMPLES / "haizhu-2023.json"), "-o", str(out), "--pdf"]) == 0
        made.append(out.with_suffix(".pdf"))
    assert str(made[1]) in capsys.readouterr().out
    assert made[0].read_bytes() == made[1].read_bytes()
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(made[0]), "-"], capture_output=True, text=True).stdout
        assert "投资促进局" in text and "36,628.61" in text


def test_without_libreoffice_pdf_says_how_to_install_and_writes_nothing(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs-here"))
    out = tmp_path / "out"
    assert main(["batch", str(SAMPLES), "-o", str(out), "--pdf"]) == 2
    assert main([str(SAMPLES / "liwan-2023.json"), "-o", str(out / "x.docx"), "--pdf"]) == 2
    err = capsys.readouterr().err
    assert err.count("apt-get install -y libreoffice-writer-nogui fonts-noto-cjk") == 2
    assert "LibreOffice" in err and not out.exists()


def _fake_soffice(folder: Path, script: str = "echo 'Error: source file could not be loaded'") -> None:
    """A LibreOffice that fails every file, as a crashed conversion would."""
    folder.mkdir()
    program = folder / "soffice"
    program.write_text(f"#!/bin/sh\n{script}\nexit 0\n")
    program.chmod(program.stat().st_mode | stat.S_IXUSR)


def test_failed_conversion_keeps_the_existing_pdf(tmp_path, monkeypatch, capsys):
    _fake_soffice(tmp_path / "bin")
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    out = tmp_path / "out"
    out.mkdir()
    (out / "liwan-2023.pdf").write_bytes(b"last year's PDF")
    assert main(["batch", str(SAMPLES / "liwan-2023.json"), "-o", str(out), "--pdf"]) == 1
    err = capsys.readouterr().err
    assert "未能把 liwan-2023.docx 转换为PDF" in err and "source file could not be loaded" in err
    assert (out / "liwan-2023.pdf").read_bytes() == b"last year's PDF"
    assert "商务和投资促进局" in docx_text(out / "liwan-2023.docx")  # the .docx is still written
    assert sorted(p.name for p in out.iterdir()) == ["liwan-2023.docx", "liwan-2023.pdf"]


def test_a_hung_libreoffice_is_stopped(tmp_path, monkeypatch):
    _fake_soffice(tmp_path / "bin", "sleep 60")
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    document = tmp_path / "x.docx"
    document.write_bytes(b"PK")
    start = time.monotonic()
    assert "未完成转换，已终止" in pdf.convert([document], timeout=1)[document]
    assert time.monotonic() - start < 10 and not document.with_suffix(".pdf").exists()


def test_stable_fixes_dates_and_ids_keeping_every_offset():
    made = (b"%PDF-1.6\n<</CreationDate(D:20261123002233+08'00')>>\ntrailer\n<</Size 9"
            b"/ID [ <47EDB4CBD377FA69A2CF12F64912D923>\n<47EDB4CBD377FA69A2CF12F64912D923> ]\n"
            b"/DocChecksum /968E1B046FD7E8C1A083618387B89D12\n>>\nstartxref\n42\n%%EOF\n")
    later = made.replace(b"20261123002233", b"20270101120000").replace(b"47EDB4CB", b"12345678")
    fixed = pdf.stable(made)
    assert len(fixed) == len(made) and fixed == pdf.stable(later)
    assert b"(D:19800101000000+08'00')" in fixed and b"47EDB4CB" not in fixed
    assert b"startxref\n42\n" in fixed


@needs_soffice
def test_each_job_has_a_profile_of_its_own_kept_for_the_next_run(tmp_path, cache):
    documents = []
    for name in ("a", "b", "c"):
        assert main([str(SAMPLES / "haizhu-2023.json"), "-o", str(tmp_path / f"{name}.docx")]) == 0
        documents.append(tmp_path / f"{name}.docx")
    assert pdf.convert(documents, jobs=2) == dict.fromkeys(documents)
    assert sorted(p.name for p in cache.iterdir() if p.is_dir()) == ["lo-profile-0", "lo-profile-1"]
    (cache / "lo-profile-0" / "kept").write_text("")
    tests = cache / "lo-profile-0" / "user" / "GraphicsRenderTests.log"
    tests.write_text("")
    assert pdf.convert(documents[:1]) == {documents[0]: None}
    assert (cache / "lo-profile-0" / "kept").exists()  # used again, not built again
    assert tests.read_text() == ""  # and without LibreOffice's first-start self-tests
    assert all(path.with_suffix(".pdf").read_bytes().startswith(b"%PDF") for path in documents)


def _hold(lock: Path) -> int:
    """Hold a profile's lock as another batch running at the same time would."""
    lock.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(lock, os.O_RDWR | os.O_CREAT)
    fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return descriptor


def _recording_soffice(folder: Path) -> Path:
    """A LibreOffice that notes the profile each launch was given, then fails the file."""
    log = folder / "launches"
    _fake_soffice(folder, f'echo "$1" >> {log}')
    return log


def test_a_profile_in_use_by_another_batch_is_not_shared(tmp_path, monkeypatch, cache):
    log = _recording_soffice(tmp_path / "bin")
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    document = tmp_path / "x.docx"
    document.write_bytes(b"PK")
    held = _hold(cache / "lo-profile-0.lock")
    try:
        pdf.convert([document])
    finally:
        os.close(held)
    launches = set(log.read_text().split())
    assert launches == {f"-env:UserInstallation={(cache / 'lo-profile-1').as_uri()}"}


def test_without_a_cache_folder_a_throw_away_profile_is_used(tmp_path, monkeypatch):
    log = _recording_soffice(tmp_path / "bin")
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    (tmp_path / "a-file").write_text("")
    monkeypatch.delenv("REPORTGEN_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "a-file"))  # cannot hold a folder
    document = tmp_path / "x.docx"
    document.write_bytes(b"PK")
    assert "未能把 x.docx 转换为PDF" in pdf.convert([document])[document]
    (profile,) = set(log.read_text().split())
    assert "reportgen-lo-profile-" in profile and not Path(profile.split("file://")[1]).exists()


def test_a_report_whose_data_is_wrong_starts_no_libreoffice(tmp_path, monkeypatch, capsys):
    started = []
    monkeypatch.setattr(pdf, "Converters", lambda *args: started.append(args) or contextlib.nullcontext())
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    assert main([str(bad), "-o", str(tmp_path / "bad.docx"), "--pdf"]) == 2
    assert "不是有效的JSON" in capsys.readouterr().err
    assert started == []  # the data is read first: nothing to stop, no profile touched


def _waiting_soffice(folder: Path, on_term: str) -> Path:
    """A LibreOffice that builds nothing, notes that it started, and waits; ``on_term``
    is its shell's SIGTERM trap (its children share it)."""
    started = folder / "started"
    _fake_soffice(folder, f"trap {on_term} TERM; echo $$ >> {started}; sleep 60 & wait; sleep 60 & wait")
    return started


def _built_profile(cache: Path) -> Path:
    settings = cache / "lo-profile-0" / "user" / "registrymodifications.xcu"
    settings.parent.mkdir(parents=True)
    settings.write_text('<?xml version="1.0"?>\n<oor:items>\n<item oor:path="/org.openoffice.Setup/Office">'
                        '<prop oor:name="ooSetupInstCompleted" oor:op="fuse"><value>true</value></prop></item>\n'
                        '</oor:items>\n')
    return settings.parent.parent


def _idle(started: Path) -> None:
    """Start a LibreOffice, and end it without handing it work, once it is running."""
    with pdf.Converters(1):
        for _ in range(200):
            if started.exists():
                break
            time.sleep(0.01)


@pytest.mark.parametrize("built", [True, False])
def test_a_libreoffice_never_handed_work_is_asked_to_end_and_a_complete_profile_kept(
        tmp_path, monkeypatch, cache, built):
    started = _waiting_soffice(tmp_path / "bin", f"'echo term >> {tmp_path / 'ended'}; exit 0'")
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    profile = _built_profile(cache) if built else cache / "lo-profile-0"
    if not built:  # what a LibreOffice stopped while building it would leave
        (profile / "user").mkdir(parents=True)
    _idle(started)
    assert (tmp_path / "ended").read_text().split() == ["term"]  # SIGTERM, and it ended on it
    assert profile.exists() == built  # a profile being built may be half written: built again


def test_a_libreoffice_that_ignores_sigterm_is_killed_and_a_complete_profile_kept(tmp_path, monkeypatch, cache):
    # A busy machine may leave LibreOffice starting past the grace: its writes to a complete
    # profile are as safe to cut short by SIGKILL as by SIGTERM.
    started = _waiting_soffice(tmp_path / "bin", "''")
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    profile = _built_profile(cache)
    begin = time.monotonic()
    _idle(started)
    assert time.monotonic() - begin < pdf.STOP_GRACE + 3
    with pytest.raises(ProcessLookupError):
        os.kill(int(started.read_text()), 0)
    assert profile.exists()


def test_a_stopped_conversion_keeps_the_complete_pdfs_alone(tmp_path, monkeypatch):
    whole = tmp_path / "whole.pdf"
    whole.write_bytes(b"%PDF-1.6\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\nstartxref\n9\n%%EOF\n")
    (tmp_path / "cut.pdf").write_bytes(whole.read_bytes()[:30])
    # The client writes one whole PDF and one cut short, then goes on converting.
    _fake_soffice(tmp_path / "bin", 'out=; prev=; for a in "$@"; do [ "$prev" = --outdir ] && out=$a; prev=$a; done\n'
                  f'if [ -n "$out" ]; then mkdir -p "$out"; cp {whole} "$out/00000.pdf"; '
                  f'cp {tmp_path / "cut.pdf"} "$out/00001.pdf"; fi\nexec sleep 60')
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    documents = [tmp_path / "a.docx", tmp_path / "b.docx"]
    for document in documents:
        document.write_bytes(b"PK")

    def stop(count):  # Ctrl-C once both files are there
        if count == 2:
            raise KeyboardInterrupt

    with pdf.Converters(1) as converters, pytest.raises(pdf.Interrupted) as stopped:
        converters.convert(documents, progress=stop)
    assert stopped.value.done == {documents[0]: None}
    assert isinstance(stopped.value.__cause__, KeyboardInterrupt)
    assert documents[0].with_suffix(".pdf").read_bytes().startswith(b"%PDF")
    assert not documents[1].with_suffix(".pdf").exists()  # never a partial PDF


@needs_soffice
@pytest.mark.parametrize("command", ["render", "batch"])
def test_a_pdf_run_that_fails_before_converting_keeps_the_cached_profile(tmp_path, monkeypatch, cache, command):
    for _ in range(3):  # a profile LibreOffice has finished building (two instances racing may not say so at once)
        assert main([str(SAMPLES / "haizhu-2023.json"), "-o", str(tmp_path / "a.docx"), "--pdf"]) == 0
        if pdf._built(cache / "lo-profile-0"):
            break
    assert pdf._built(cache / "lo-profile-0")
    (cache / "lo-profile-0" / "kept").write_text("")
    def failing(*args, **kwargs):  # a template that fails once LibreOffice has started
        time.sleep(0.3)
        raise reportgen.ReportgenError("模板有误")

    monkeypatch.setattr(reportgen.api, "render_checked", failing)  # the command line's rendering
    if command == "render":
        assert main([str(SAMPLES / "haizhu-2023.json"), "-o", str(tmp_path / "b.docx"), "--pdf"]) == 2
    else:  # a batch whose every file fails
        bad = tmp_path / "bad.json"
        bad.write_text("{", encoding="utf-8")
        assert main(["batch", str(bad), "-o", str(tmp_path / "out"), "--pdf"]) == 1
    assert (cache / "lo-profile-0" / "kept").exists()
    assert _running(cache) == []


def _running(cache: Path) -> list[str]:
    """The processes that use a profile of ``cache``."""
    return subprocess.run(["pgrep", "-f", str(cache / "lo-profile")], capture_output=True, text=True).stdout.split()


def test_a_built_profile_records_the_version_that_started_it(tmp_path):
    settings = tmp_path / "user" / "registrymodifications.xcu"
    settings.parent.mkdir()
    older = ('<item oor:path="/org.openoffice.Setup/Product"><prop oor:name="ooSetupLastVersion" '
             'oor:op="fuse"><value>7.3</value></prop></item>\n')
    other = '<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="FirstRun"/></item>\n'
    settings.write_text(f'<?xml version="1.0"?>\n<oor:items>\n{other}{older}</oor:items>\n')
    pdf._started_before(tmp_path, "7.4")
    once = settings.read_text()
    pdf._started_before(tmp_path, "7.4")
    assert settings.read_text() == once
    assert once.count("ooSetupLastVersion") == 1 and "<value>7.4</value>" in once and other in once
    pdf._started_before(tmp_path / "not-built", "7.4")  # left for LibreOffice to build
    assert not (tmp_path / "not-built").exists()


@needs_soffice
def test_a_pdf_that_cannot_be_written_fails_its_file_alone(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("liwan-2023.json", "haizhu-2023.json"):
        shutil.copy(SAMPLES / name, folder)
    out = tmp_path / "out"
    (out / "liwan-2023.pdf").mkdir(parents=True)  # a folder where the PDF belongs
    assert main(["batch", str(folder), "-o", str(out), "--pdf", "-j", "2"]) == 1
    err = capsys.readouterr().err
    assert f"无法写入 {out / 'liwan-2023.pdf'}" in err and "共 2 份：生成 1 份" in err
    assert (out / "haizhu-2023.pdf").read_bytes().startswith(b"%PDF")


def test_a_profile_whose_settings_cannot_be_written_only_costs_time(tmp_path, monkeypatch):
    settings = tmp_path / "user" / "registrymodifications.xcu"
    settings.parent.mkdir()
    settings.write_text('<?xml version="1.0"?>\n<oor:items>\n</oor:items>\n')

    def unwritable(path, data):
        raise reportgen.ReportgenError(f"无法写入 {path}：没有权限")

    monkeypatch.setattr(pdf, "write_atomically", unwritable)
    pdf._started_before(tmp_path, "7.4")  # no exception: LibreOffice runs its self-tests again
    assert "ooSetupLastVersion" not in settings.read_text()
