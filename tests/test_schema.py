"""reportgen schema: a JSON Schema every sample meets and a misspelt key does not."""
from __future__ import annotations

import json

import jsonschema
import pytest

import reportgen
from reportgen import kinds
from reportgen.cli import main
from reportgen.schema import schema_of
from support import SAMPLES

SAMPLE_FILES = sorted(SAMPLES.glob("*.json"), key=lambda p: p.name)


def _validator(kind: str) -> jsonschema.Draft202012Validator:
    schema = schema_of(kind)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("sample", SAMPLE_FILES, ids=lambda p: p.stem)
def test_every_sample_validates(sample):
    data = json.loads(sample.read_text(encoding="utf-8"))
    errors = [e.message for e in _validator(data["kind"]).iter_errors(data)]
    assert errors == []


@pytest.mark.parametrize("sample", SAMPLE_FILES, ids=lambda p: p.stem)
def test_a_misspelt_key_is_rejected(sample):
    data = json.loads(sample.read_text(encoding="utf-8"))
    data["yaer"] = data.pop("year")
    messages = [e.message for e in _validator(data["kind"]).iter_errors(data)]
    assert any("'yaer' was unexpected" in m for m in messages)
    assert any("'year' is a required property" in m for m in messages)


def test_a_misspelt_nested_key_and_a_bad_choice_are_rejected():
    data = json.loads((SAMPLES / "liwan-2024-project-goals.json").read_text(encoding="utf-8"))
    indicator = data["units"][0]["projects"][0]["indicators"][0]
    indicator["levle1"] = indicator.pop("level1")
    indicator["target"] = {"text": "≥90%", "comparator": "≧"}
    messages = [e.message for e in _validator("project-goals").iter_errors(data)]
    assert any("'levle1' was unexpected" in m for m in messages)
    assert any("'≧'" in m for m in messages)


def test_titles_and_descriptions_are_the_chinese_metadata():
    schema = schema_of("self-evaluation")
    budget = schema["$defs"]["Budget"]
    assert budget["title"] == "部门整体收支"
    assert budget["properties"]["annual_budget"]["title"] == "全年预算数"
    assert "单位：万元" in budget["properties"]["annual_budget"]["description"]
    assert schema["properties"]["year"]["minimum"] == 2000 and schema["properties"]["year"]["maximum"] == 2100


def test_a_data_file_may_name_its_schema(tmp_path):
    data = json.loads((SAMPLES / "haizhu-2023.json").read_text(encoding="utf-8"))
    data = {"$schema": "./self-evaluation.schema.json", **data}
    assert reportgen.loads(json.dumps(data, ensure_ascii=False)) == reportgen.load(SAMPLES / "haizhu-2023.json")


@pytest.mark.parametrize("kind", kinds.names())
def test_the_command_prints_the_schema(kind, capsys, tmp_path):
    assert main(["schema", kind]) == 0
    assert json.loads(capsys.readouterr().out) == schema_of(kind)
    init = tmp_path / "new.json"
    assert main(["init", kind, "-o", str(init)]) == 0  # a fresh JSON file names its schema
    assert json.loads(init.read_text(encoding="utf-8"))["$schema"] == f"./{kind}.schema.json"


def test_dash_means_standard_output(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["schema", "project-goals", "-o", "-"]) == 0
    assert json.loads(capsys.readouterr().out) == schema_of("project-goals")
    assert list(tmp_path.iterdir()) == []  # no file named "-"


def test_an_unknown_kind_is_refused(capsys):
    assert main(["schema", "self-evaluaton"]) == 2
    assert "self-evaluation" in capsys.readouterr().err


def test_an_existing_file_is_replaced_only_with_force(tmp_path, capsys):
    """As init, export and adopt: a schema a clerk may have edited is not overwritten unasked."""
    out = tmp_path / "self-evaluation.schema.json"
    out.write_text("{}", encoding="utf-8")
    assert main(["schema", "self-evaluation", "-o", str(out)]) == 2
    assert f"输出文件已存在：{out}（要覆盖请加 --force）" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "{}"
    assert main(["schema", "self-evaluation", "-o", str(out), "--force"]) == 0
    assert json.loads(out.read_text(encoding="utf-8")) == schema_of("self-evaluation")
