"""What reportgen keeps between runs (compiled template code, a template's checked
structure, its reference package, what of it a report does not carry) changes nothing:
a cold run, a warm run and a run without a cache give the same bytes and messages."""
from __future__ import annotations

import subprocess
import sys

import pytest

from support import SAMPLES

SAMPLE_FILES = sorted(SAMPLES.glob("*.json"))


def _render(sample, out, cache, env_extra=None):
    import os
    env = dict(os.environ, REPORTGEN_CACHE_DIR=str(cache), **(env_extra or {}))
    done = subprocess.run([sys.executable, "-m", "reportgen", str(sample), "-o", str(out)],
                          capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    return out.read_bytes(), done.stderr


@pytest.mark.parametrize("sample", SAMPLE_FILES, ids=lambda p: p.stem)
def test_cold_warm_and_uncached_runs_give_the_same_bytes(sample, tmp_path):
    cache = tmp_path / "cache"
    cold = _render(sample, tmp_path / "cold.docx", cache)
    assert any(cache.rglob("ok-*")) and any(cache.rglob("reference-*")) or "project" in sample.stem
    warm = _render(sample, tmp_path / "warm.docx", cache)
    none = _render(sample, tmp_path / "none.docx", cache, {"REPORTGEN_NO_CACHE": "1"})
    assert cold == warm == none


def test_a_broken_template_is_refused_warm_as_cold(tmp_path):
    # The structure is remembered only when it is sound: a broken template is refused every run.
    from support import build_docx
    template = build_docx(tmp_path / "t.docx", body=["{% if year %}没有结束"])
    for _ in range(2):
        done = subprocess.run([sys.executable, "-m", "reportgen", str(SAMPLES / "clean-2023.json"),
                               "--template", str(template), "-o", str(tmp_path / "o.docx")],
                              capture_output=True, text=True,
                              env={**__import__("os").environ, "REPORTGEN_CACHE_DIR": str(tmp_path / "c")})
        assert done.returncode == 2 and "没有结束" in done.stderr
    assert not (tmp_path / "o.docx").exists()


def test_a_corrupt_cache_entry_is_worked_out_again(tmp_path):
    cache = tmp_path / "cache"
    first = _render(SAMPLES / "liwan-2023.json", tmp_path / "a.docx", cache)
    for entry in cache.rglob("layout-*"):
        entry.write_text("{not json")
    for entry in cache.rglob("carried-*"):
        entry.write_text("[broken")
    for entry in cache.rglob("reference-*"):
        entry.write_bytes(entry.read_bytes()[:100])  # a truncated package
    again = _render(SAMPLES / "liwan-2023.json", tmp_path / "b.docx", cache)
    assert again == first


def _flip(path, at: float = 0.5) -> None:
    """One byte of ``path`` changed, ``at`` the way through it: damage a disk may do."""
    data = bytearray(path.read_bytes())
    data[int(len(data) * at)] ^= 0x55
    path.write_bytes(bytes(data))


def test_an_entry_damaged_on_disk_is_never_used(tmp_path):
    # A changed byte inside a kept package would go into every report, and one inside
    # compiled code would be run: each entry is sealed with its digest and checked.
    cache = tmp_path / "cache"
    first = _render(SAMPLES / "liwan-2023.json", tmp_path / "a.docx", cache)
    kept = [p for p in cache.rglob("*") if p.is_file() and p.name != "used"]
    assert any(p.name.startswith("__jinja2_") for p in kept) and any(p.name.startswith("reference-") for p in kept)
    for path in kept:
        _flip(path)
    assert _render(SAMPLES / "liwan-2023.json", tmp_path / "b.docx", cache) == first
    _flip(next(cache.rglob("layout-*")), at=0.99)  # the seal itself
    assert _render(SAMPLES / "liwan-2023.json", tmp_path / "c.docx", cache) == first


def test_a_cache_folder_others_may_write_to_is_not_trusted(tmp_path, monkeypatch):
    # Compiled code is run from the cache: a folder others may write to is not used, and
    # its permissions are left as they are (it may be shared on purpose, or be /tmp).
    import os

    from reportgen.cachedir import cache_folder
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o1777)
    monkeypatch.setenv("REPORTGEN_CACHE_DIR", str(shared))
    assert cache_folder("x") is None
    assert os.stat(shared).st_mode & 0o7777 == 0o1777 and not (shared / "x").exists()
    link = tmp_path / "link"
    link.symlink_to(tmp_path / "target", target_is_directory=True)
    (tmp_path / "target").mkdir(mode=0o700)
    monkeypatch.setenv("REPORTGEN_CACHE_DIR", str(link))
    assert cache_folder("x") is None and not (tmp_path / "target" / "x").exists()  # a link may point anywhere
    monkeypatch.setenv("REPORTGEN_CACHE_DIR", str(tmp_path / "new" / "cache"))
    old = os.umask(0o002)  # a group-writable umask, as Debian's user groups have
    try:
        assert cache_folder("x", "y") == tmp_path / "new" / "cache" / "x" / "y"
    finally:
        os.umask(old)
    assert all(os.stat(p).st_mode & 0o777 == 0o700 for p in (tmp_path / "new" / "cache", tmp_path / "new" / "cache" / "x"))
    if os.getuid() == 0:
        os.chown(shared, 65534, 65534)  # another user's folder
        os.chmod(shared, 0o700)
        monkeypatch.setenv("REPORTGEN_CACHE_DIR", str(shared))
        assert cache_folder("x") is None


def test_a_relative_xdg_cache_home_is_ignored(tmp_path, monkeypatch):
    from reportgen.cachedir import cache_root
    monkeypatch.delenv("REPORTGEN_CACHE_DIR")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    assert cache_root() == tmp_path / ".cache" / "reportgen"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_root() == tmp_path / "xdg" / "reportgen"
    monkeypatch.setenv("REPORTGEN_CACHE_DIR", "   ")  # blank: as if not set
    assert cache_root() == tmp_path / "xdg" / "reportgen"


def test_the_folders_of_code_no_run_uses_are_removed(tmp_path):
    import os
    import time
    cache = tmp_path / "cache"
    old, recent = cache / "templates-0000000000000000", cache / "templates-1111111111111111"
    for folder, days in ((old, 40), (recent, 10)):
        folder.mkdir(parents=True)
        (folder / "used").touch()
        then = time.time() - days * 86400
        os.utime(folder / "used", (then, then))
    _render(SAMPLES / "liwan-2023.json", tmp_path / "a.docx", cache)
    assert not old.exists() and recent.exists()
