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
        data.pop("figures", None)  # so are these: named figures the model has no field for
        for key in set(keys(data)):
            assert f"`{key}`" in text, f"{sample.name}: {key} not in docs/data-format.md"


def test_every_model_field_is_listed_with_its_chinese_name():
    """Independent of the tool: each field of each kind's model tree has its row."""
    import typing

    import attrs

    from reportgen import kinds
    from reportgen.model.fields import metadata_of, model_info
    text = (ROOT / "docs" / "data-format.md").read_text(encoding="utf-8")

    def classes(tp):
        if attrs.has(tp):
            yield tp
        for arg in typing.get_args(tp):
            yield from classes(arg)

    queue, seen = [k.model for k in kinds.all_kinds()], set()
    while queue:
        cls = queue.pop()
        if cls in seen:
            continue
        seen.add(cls)
        assert f"### {model_info(cls).meaning}（`{cls.__name__}`）" in text
        for name, info in metadata_of(cls).items():
            assert f"| `{name}` | {info.meaning} |" in text, f"{cls.__name__}.{name}"
        queue += [c for hint in typing.get_type_hints(cls).values() for c in classes(hint)]
    assert len(seen) >= 17
