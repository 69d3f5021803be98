"""The structured vocabulary declares exactly what the context builders produce.

For every sample (and a sample filled out where no sample has data), each key the
context holds is declared and each declared key is in the context, at every depth; and
every declared name is held by at least one of these contexts, so none goes unproved.
"""
from __future__ import annotations

import pytest

import reportgen
from reportgen.context import NAMES, VOCABULARIES
from reportgen.context.vocabulary import DATA_KEY, DICT, EACH_ITEM, LIST, OPEN, Name, declare, paths

from support import SAMPLES, dump_json, sample_data

SAMPLE_FILES = sorted(SAMPLES.glob("*.json"))


def compare(name: Name, value, path: str, errors: list, seen: set) -> None:
    """Walk ``value`` and ``name`` together: differences go to ``errors``, the paths
    the context holds (with a value or none) to ``seen``."""
    seen.add(path)
    if value is None:  # a name may be none ("未填写为空 none"); what it holds is unseen here
        return
    expected = {DICT: dict, OPEN: dict, LIST: list}.get(name.kind)
    if expected is None:
        if isinstance(value, (dict, list)):
            errors.append(f"{path}: 声明为单个值，实际为 {type(value).__name__}")
        return
    if not isinstance(value, expected):
        errors.append(f"{path}: 声明为 {expected.__name__}，实际为 {type(value).__name__}")
        return
    if name.kind == DICT:
        errors += [f"{path}.{key}: 上下文中有，词汇表未声明" for key in value if key not in name.fields]
        errors += [f"{path}.{key}: 词汇表声明了，上下文中没有" for key in name.fields if key not in value]
        for key in name.fields.keys() & value.keys():
            compare(name.fields[key], value[key], f"{path}.{key}".lstrip("."), errors, seen)
    else:
        items, each = (value.values(), "." + DATA_KEY) if name.kind == OPEN else (value, EACH_ITEM)
        for item in items:
            compare(name.item, item, path + each, errors, seen)


def _filled() -> dict:
    """clean-2023 with what no sample has: other staff counts, a project with its own
    indicators and level, an indicator with a 实施周期指标值 and tags."""
    data = sample_data("clean-2023.json")
    indicator = data["indicators"][0]
    indicator.update(period_target="≥45场", tags=["重点"])
    data["department"]["staffing"]["others"] = {"临聘人员": 3}
    data["projects"][0].update(indicators=[indicator], level="一级")
    return data


def contexts() -> list[tuple[str, str, dict]]:
    """(label, kind, context) of every sample, and of the filled-out one."""
    data = [(path.name, sample_data(path.name)) for path in SAMPLE_FILES] + [("filled", _filled())]
    return [(label, d["kind"], reportgen.context(reportgen.loads(dump_json(d)))) for label, d in data]


CONTEXTS = contexts()


@pytest.mark.parametrize("label, kind, ctx", CONTEXTS, ids=[c[0] for c in CONTEXTS])
def test_context_keys_are_exactly_the_declared_ones(label, kind, ctx):
    errors: list = []
    compare(NAMES[kind], ctx, "", errors, set())
    assert errors == []


@pytest.mark.parametrize("kind", sorted(NAMES))
def test_every_declared_name_is_reached_by_a_sample(kind):
    seen: set = set()
    for _label, of_kind, ctx in CONTEXTS:
        if of_kind == kind:
            compare(NAMES[kind], ctx, "", [], seen)
    declared = {path for path, _name in paths(NAMES[kind])}
    assert declared - seen == set(), "没有样例数据覆盖这些名称"


def test_every_name_has_a_meaning_and_the_top_level_is_the_flat_vocabulary():
    for kind, tree in NAMES.items():
        assert VOCABULARIES[kind] == {key: name.meaning for key, name in tree.fields.items()}
        for path, name in paths(tree):
            assert name.meaning or name.kind == DICT, f"{kind} {path} 缺少含义"


def test_the_declaration_forms():
    tree = declare({"a": "值", "b": ("字典", {"c": "值"}), "d": ("列表", ["项"]),
                    "e": ("按名称", {...: ("值", [{"f": "值"}])})})
    assert [p for p, _ in paths(tree)] == ["a", "b", "b.c", "d", "d[…]", "e", "e.<名称>",
                                          "e.<名称>[…]", "e.<名称>[…].f"]
    assert tree.child("e").child("anything").kind == LIST
    assert tree.child("a").child("x") is None and tree.child("b").child("x") is None
    with pytest.raises(ValueError):
        declare({...: "值", "x": "值"})
