"""docs/data-format.md is generated from the models: it must not drift from them."""
import subprocess
import sys

from support import ROOT


def test_data_reference_is_up_to_date():
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "build_data_reference.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_sample_key_is_documented():
    import json
    text = (ROOT / "docs" / "data-format.md").read_text(encoding="utf-8")

    def keys(value):
        if isinstance(value, dict):
            for key, inner in value.items():
                yield key
                yield from keys(inner)
        elif isinstance(value, list):
            for inner in value:
                yield from keys(inner)

    for sample in (ROOT / "samples").glob("*.json"):
        data = json.loads(sample.read_text(encoding="utf-8"))
        data.pop("kind")
        data.get("settings", {}).pop("precision", None)  # its keys are figure names, listed in Settings
        data.pop("prose", None)  # its keys are the template's own names
        for key in set(keys(data)):
            assert f"`{key}`" in text, f"{sample.name}: {key} not in docs/data-format.md"
