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
