"""reportgen.from_dict / to_dict / load for programs: exact numbers, DataError only, typed."""
from __future__ import annotations

import subprocess
import sys
from decimal import Decimal

import pytest

import reportgen
from support import ROOT, SAMPLES

SAMPLE_FILES = sorted(SAMPLES.glob("*.json"), key=lambda p: p.name)


@pytest.mark.parametrize("sample", SAMPLE_FILES, ids=lambda p: p.stem)
def test_the_dict_round_trip_holds(sample):
    model = reportgen.load(sample)
    data = reportgen.to_dict(model)
    assert next(iter(data)) == "kind"
    assert reportgen.from_dict(data) == model


def test_to_dict_keeps_decimal_digits_and_export_writes_them(tmp_path):
    model = reportgen.load(SAMPLES / "liwan-2024-project-goals.json")
    data = reportgen.to_dict(model)
    amount = data["units"][0]["projects"][0]["fiscal_appropriation"]
    assert isinstance(amount, Decimal) and str(amount) == "116.00"
    out = tmp_path / "x.json"
    assert reportgen.cli.main(["export", str(SAMPLES / "liwan-2024-project-goals.json"), "-o", str(out)]) == 0
    assert '"fiscal_appropriation": 116.00' in out.read_text(encoding="utf-8")


def _goals(**project):
    return {"kind": "project-goals", "department": "广州市荔湾区商务和投资促进局", "year": 2024,
            "units": ({"name": "单位", "projects": [{"name": "项目", **project}]},)}


@pytest.mark.parametrize("amount", [Decimal("12045.86"), 12045, "12045.86", "12,045.86", 0.5, 116.0])
def test_money_may_be_decimal_int_numeric_text_or_an_exact_float(amount):
    model = reportgen.from_dict(_goals(total=amount))
    expected = Decimal(str(amount).replace(",", ""))
    assert model.units[0].projects[0].total == expected


def test_an_inexact_float_is_refused_and_says_which():
    with pytest.raises(reportgen.DataError) as caught:
        reportgen.from_dict(_goals(total=12045.86))
    [problem] = caught.value.problems
    assert problem.path == "$.units[0].projects[0].total"
    assert "12045.86" in problem.message and "Decimal(\"12045.86\")" in problem.hint


@pytest.mark.parametrize("bad", [None, [], "text", 5, {"kind": "nothing"}, {"kind": "project-goals"},
                                 _goals(total="约九成"), _goals(indicators=[{"name": 3}]), _goals(total=float("nan"))])
def test_every_failure_is_a_data_error(bad):
    with pytest.raises(reportgen.DataError) as caught:
        reportgen.from_dict(bad)
    assert caught.value.problems


def test_model_objects_inside_the_mapping_are_taken():
    model = reportgen.load(SAMPLES / "liwan-2024-project-goals.json")
    data = reportgen.to_dict(model)
    data["units"] = list(model.units)
    assert reportgen.from_dict(data) == model


def test_load_takes_a_path_json_text_or_bytes():
    path = SAMPLES / "haizhu-2023.json"
    model = reportgen.load(path)
    text = path.read_text(encoding="utf-8")
    assert reportgen.load(str(path)) == model
    assert reportgen.load(text) == model
    assert reportgen.load(text.encode("utf-8")) == model
    with pytest.raises(reportgen.DataError):
        reportgen.load(12)  # type: ignore[arg-type]


def test_mypy_sees_the_model_types(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text("import reportgen\n"
                     "reveal_type(reportgen.load('x.json'))\n"
                     "reveal_type(reportgen.from_dict({}))\n"
                     "reveal_type(reportgen.to_dict)\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "mypy", "--follow-imports=silent", "--no-incremental",
                             "--cache-dir", str(tmp_path / ".mypy"), str(probe)],
                            capture_output=True, text=True, cwd=ROOT, timeout=300)
    lines = [l for l in result.stdout.splitlines() if "Revealed type" in l]
    assert len(lines) == 3, result.stdout + result.stderr
    for line in lines[:2]:
        assert "SelfEvaluationReport" in line and "ProjectGoalTable" in line and "Any" not in line, line
