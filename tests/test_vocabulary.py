"""The structured vocabulary declares exactly what the context builders produce.

For every sample (and a sample filled out where no sample has data), each key the
context holds is declared and each declared key is in the context, at every depth; and
every declared name is held by at least one of these contexts, so none goes unproved.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Literal, Optional

import pytest
from attrs import frozen

import reportgen
from reportgen import kinds
from reportgen.context.vocabulary import meanings
from reportgen.context.vocabulary import (BLANK_AS_TEXT, DATA_KEY, DICT, EACH_ITEM, LIST, OPEN, VALUE, Name,
                                          declare, from_model, paths)
from reportgen.model import Budget, Indicator
from reportgen.model.fields import describe, field, metadata_of

from support import SAMPLES, dump_json, sample_data

SAMPLE_FILES = sorted(SAMPLES.glob("*.json"))
NAMES = {kind.name: kind.vocabulary for kind in kinds.all_kinds()}


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
        assert meanings(tree) == {key: name.meaning for key, name in tree.fields.items()}
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


@describe("内层")
@frozen
class _Inner:
    text: str = field("正文", example="一段")


@describe("外层")
@frozen
class _Outer:
    amount: Decimal = field("金额", unit="万元")
    note: Optional[str] = field("备注", default=None)
    band: Optional[Literal["甲", "乙"]] = field("档次", default=None)
    flag: bool = field("开关", default=True)
    items: tuple[_Inner, ...] = field("条目", default=())
    words: tuple[str, ...] = field("词语", default=())
    counts: dict[str, int] = field("人数", factory=dict, unit="人")
    inner: Optional[_Inner] = field("内层", default=None)


def test_from_model_declares_a_model_as_cattrs_unstructures_it():
    tree = from_model(_Outer)
    assert tree.kind == DICT and list(tree.fields) == [f for f in metadata_of(_Outer)]
    assert tree.child("amount") == Name("金额（万元）")
    assert tree.child("note") == Name("备注（未填写为空 none）")
    assert tree.child("band") == Name("档次（可选 甲、乙；未填写为空 none）")
    assert tree.child("flag") == Name("开关（true / false）")
    assert tree.child("items").kind == LIST and tree.child("items").item.fields["text"] == Name("正文，如 一段")
    assert tree.child("words").item == Name("词语中的一项")
    assert tree.child("counts").kind == OPEN and tree.child("counts").item == Name("人数中按名称取用的一项（人）")
    inner = tree.child("inner")
    assert (inner.kind, inner.meaning, list(inner.fields)) == (DICT, "内层（未填写为空 none）", ["text"])


def test_from_model_takes_only_what_the_context_adds_or_changes():
    tree = from_model(_Outer, only=("amount", "note", "items"), extra={
        "note": BLANK_AS_TEXT, "items": [{"text": "正文"}], "total": "合计"})
    assert list(tree.fields) == ["amount", "note", "items", "total"]
    assert tree.child("note") == Name("备注（未填写为空文字）")
    assert tree.child("items").meaning == "条目"  # the field's meaning kept for a new shape
    assert tree.child("total") == Name("合计", VALUE)
    assert from_model(_Outer, extra={"note": "另说"}).child("note").meaning == "另说"
    with pytest.raises(ValueError):
        from_model(_Outer, omit=("note",), extra={"note": "备注"})


def test_the_kinds_take_mirrored_meanings_from_the_model():
    tree = NAMES["self-evaluation"]
    assert tree.child("budget").meaning == "部门整体收支"
    annual = metadata_of(Budget)["annual_budget"]
    assert tree.child("budget").child("annual_budget").meaning == f"{annual.meaning}（{annual.unit}）"
    scored = tree.child("indicators").child("groups").item.child("indicators").item
    reason = metadata_of(Indicator)["deviation_reason"].meaning
    assert scored.child("deviation_reason").meaning.startswith(reason)
