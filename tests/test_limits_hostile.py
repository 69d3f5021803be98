"""Hostile templates stay within memory and time (issue 10, kind 1), shown in capped processes.

Runs ``benchmarks/hostile.py --render-only --json`` in a fresh interpreter: each
template of the hostile set (the case rt-08's among them when ``../shared/cases`` is
beside the clone) is rendered in a process of its own under an address-space cap,
with a time limit of :data:`TIME_LIMIT` seconds. Every one must be refused with exit
2 and a Chinese message naming its place, write nothing, peak under 500 MB resident
and end within its time limit.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CASE = Path(__file__).parents[2] / "shared" / "cases" / "rt-08-template-resource-exhaustion"
TIME_LIMIT = 5.0
PEAK_LIMIT_MB = 500


@pytest.fixture(scope="module")
def results():
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "hostile.py"), "--render-only", "--json",
                           "--time-limit", str(TIME_LIMIT)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return {r["name"]: r for r in map(json.loads, done.stdout.splitlines())}


def test_every_hostile_template_is_refused_within_500_mb_and_its_time_limit(results):
    assert len(results) >= 50
    assert not {name: r for name, r in results.items() if not r["held"]}
    assert max(r["peak_mb"] for r in results.values()) < PEAK_LIMIT_MB
    assert all(r["status"] == 2 and not r["written"] for name, r in results.items() if not name.startswith("near-"))


def test_documents_just_within_the_limits_render_within_500_mb(results):
    near = {name: r for name, r in results.items() if name.startswith("near-")}
    assert len(near) == 2 and all(r["held"] and r["status"] == 0 for r in near.values()), near


def test_each_template_of_case_rt08_is_refused_at_its_paragraph(results):
    if not CASE.is_dir():
        pytest.skip("../shared/cases is not beside the clone")
    case = {name: r for name, r in results.items() if name.startswith("rt08-")}
    assert len(case) == len(list(CASE.glob("*.docx"))) == 14
    for name, result in case.items():
        assert result["held"] and "正文第2段" in result["message"], (name, result)


def test_a_hanging_template_ends_at_its_time_limit(results):
    for name in ("slow-loop", "slow-nested-sort"):
        assert "时间上限" in results[name]["message"] and results[name]["seconds"] < TIME_LIMIT + 1.0


def test_zip_bombs_are_refused_before_inflating(results):
    bombs = {name: r for name, r in results.items() if name.startswith("bomb-")}
    assert len(bombs) == 5
    assert all("已拒绝读取" in r["message"] and r["peak_mb"] < 150 for r in bombs.values()), bombs
