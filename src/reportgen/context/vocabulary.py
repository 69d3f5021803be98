"""The structured vocabulary: every name a template may reach, nested, with its meaning.

A document kind declares its vocabulary once, next to its builder, in plain literals:

- ``"含义"``: a value (text, number, true / false or none);
- ``("含义", {"key": …, …})``: a dict with exactly these keys;
- ``("含义", {ANY_KEY: …})``: a dict whose keys come from the data (``prose.procurement``);
- ``("含义", [shape])``: a list, every item described by the one ``shape``.

A bare dict or list is the same without a meaning, and a :class:`Name` stands for
itself (taking the meaning given beside it only when it has none). :func:`declare`
turns the literal into a :class:`Name` tree, which template-check resolves ``a.b.c``
against and the clerks' guide lists; :func:`meanings` gives the flat top-level
{name: meaning} map.

A part of the context that mirrors a model (as ``cattrs`` unstructures it) is not
written out: :func:`from_model` builds it from the model's attrs fields and the meaning
each declares (:mod:`reportgen.model.fields`), so a kind's declaration holds only what
its context adds or holds differently.

    >>> tree = declare({"budget": ("收支", {"executed": "执行数",
    ...                                    "sources": ("来源", [{"name": "名称"}])})})
    >>> [path for path, _ in paths(tree)]
    ['budget', 'budget.executed', 'budget.sources', 'budget.sources[…]', 'budget.sources[…].name']
    >>> tree.child("budget").child("executd") is None
    True
"""
from __future__ import annotations

import typing
from typing import Any, Iterable, Iterator, Mapping, Optional

import attrs
from attrs import evolve, field, frozen

from reportgen.model.fields import FieldInfo, metadata_of

#: the key of a dict declaration whose keys come from the data.
ANY_KEY: Any = ...

VALUE, DICT, OPEN, LIST = "value", "dict", "open", "list"


@frozen
class Name:
    """One name a template may reach: its meaning and what it holds."""

    meaning: str
    kind: str = VALUE  # VALUE, DICT (known keys), OPEN (keys from the data) or LIST
    fields: Mapping[str, "Name"] = field(factory=dict)  # of a DICT
    item: Optional["Name"] = None  # each value of an OPEN dict, each item of a LIST

    def child(self, key: str) -> Optional["Name"]:
        """What ``self.key`` (or ``self["key"]``) holds; None when it is not declared."""
        if self.kind == DICT:
            return self.fields.get(key)
        return self.item if self.kind == OPEN else None


def declare(spec: Any, meaning: str = "") -> Name:
    """The :class:`Name` tree of a declaration written as the module docstring says."""
    if isinstance(spec, Name):
        return spec if spec.meaning or not meaning else evolve(spec, meaning=meaning)
    if isinstance(spec, str):
        return Name(spec)
    if isinstance(spec, tuple):
        meaning, shape = spec
        return declare(shape, meaning)
    if isinstance(spec, list):
        (shape,) = spec  # one shape describes every item
        return Name(meaning, LIST, item=declare(shape))
    if isinstance(spec, dict):
        if ANY_KEY in spec:
            if len(spec) != 1:
                raise ValueError("a dict keyed by data declares nothing but ANY_KEY")
            return Name(meaning, OPEN, item=declare(spec[ANY_KEY]))
        return Name(meaning, DICT, fields={key: declare(value) for key, value in spec.items()})
    raise TypeError(f"not a vocabulary declaration: {spec!r}")


#: in :func:`from_model`'s ``extra``: the field, with a blank printed as empty text (``x or ""``).
BLANK_AS_TEXT: Any = object()

#: how the vocabulary says a field was left out of the data.
_BLANK_NONE, _BLANK_TEXT = "未填写为空 none", "未填写为空文字"


def from_model(cls: type, *, only: Optional[Iterable[str]] = None, omit: Iterable[str] = (),
               extra: Optional[Mapping[str, Any]] = None) -> Name:
    """The DICT :class:`Name` of the dict ``cls`` unstructures to, with its fields' meanings.

    Each field of the attrs class ``cls`` (all, or ``only`` these, less ``omit``) is
    declared from its type: ``Optional[X]`` as X that may be none, ``tuple[X, ...]`` as a
    list of X, ``dict[str, X]`` as a dict keyed by the data, an attrs class as a dict of
    its own fields; its meaning is the field's metadata, with its example, unit, choices
    and "（未填写为空 none）" when it is optional. ``extra`` maps a name the context adds
    to its declaration, or a field's name to what the context holds there instead (it
    keeps the field's meaning unless it declares one; :data:`BLANK_AS_TEXT` for ``x or
    ""``). ``ValueError`` if ``extra`` names a field left out.
    """
    extra = dict(extra or {})
    hints = typing.get_type_hints(cls)
    infos = metadata_of(cls)
    kept = [f.name for f in attrs.fields(cls) if (only is None or f.name in only) and f.name not in omit]
    lost = [name for name in extra if name in infos and name not in kept]
    if lost:
        raise ValueError(f"{cls.__name__}: extra names fields left out: {lost}")
    fields = {}
    for name in kept:
        spec = extra.pop(name, None)
        if spec is BLANK_AS_TEXT:
            fields[name] = Name(field_meaning(infos[name], hints[name], blank=_BLANK_TEXT))
        elif spec is not None:
            fields[name] = declare(spec, field_meaning(infos[name], hints[name]))
        else:
            fields[name] = _of_type(hints[name], infos[name])
    fields.update({name: declare(spec) for name, spec in extra.items()})
    return Name("", DICT, fields=fields)


def _inner(tp: Any) -> Any:
    """X of ``Optional[X]``; ``tp`` itself otherwise."""
    if typing.get_origin(tp) is typing.Union:
        (inner,) = [a for a in typing.get_args(tp) if a is not type(None)]
        return inner
    return tp


def field_meaning(info: FieldInfo, tp: Any, blank: str = _BLANK_NONE) -> str:
    """A field's meaning as the vocabulary writes it: "全年预算数（万元；未填写为空 none）"."""
    inner = _inner(tp)
    container = typing.get_origin(inner) in (tuple, list, dict)
    text = info.meaning
    if info.example is not None and not isinstance(info.example, (dict, list)):
        text += f"，如 {info.example}"
    notes = [] if container or not info.unit else [info.unit]
    if typing.get_origin(inner) is typing.Literal:
        notes.append("可选 " + "、".join(str(a) for a in typing.get_args(inner)))
    elif inner is bool:
        notes.append("true / false")
    if inner is not tp:
        notes.append(blank)
    return text + (f"（{'；'.join(notes)}）" if notes else "")


def _of_type(tp: Any, info: FieldInfo) -> Name:
    """The :class:`Name` of a field of type ``tp`` as cattrs unstructures it."""
    meaning = field_meaning(info, tp)
    inner = _inner(tp)
    origin, args = typing.get_origin(inner), typing.get_args(inner)
    if origin in (tuple, list, dict):
        item_type = args[-1] if origin is dict else args[0]
        if attrs.has(item_type):
            item = from_model(item_type)
        else:
            each = "中按名称取用的一项" if origin is dict else "中的一项"
            item = Name(info.meaning + each + (f"（{info.unit}）" if info.unit else ""))
        return Name(meaning, OPEN if origin is dict else LIST, item=item)
    if attrs.has(inner):
        return evolve(from_model(inner), meaning=meaning)
    return Name(meaning)


def meanings(root: Name) -> dict[str, str]:
    """{top-level name: Chinese meaning} of a context's tree."""
    return {key: name.meaning for key, name in root.fields.items()}


#: how the guide and the messages write "each item" and "any name from the data".
EACH_ITEM, DATA_KEY = "[…]", "<名称>"


def paths(name: Name, prefix: str = "") -> Iterator[tuple[str, Name]]:
    """(path as a clerk reads it, name) of everything below ``name``, depth first:
    ``budget.expenditure_sources[…].amount``, ``prose.<名称>``."""
    if name.kind == DICT:
        for key, child in name.fields.items():
            path = f"{prefix}.{key}" if prefix else key
            yield path, child
            yield from paths(child, path)
    elif name.kind in (OPEN, LIST):
        path = prefix + (EACH_ITEM if name.kind == LIST else "." + DATA_KEY)
        yield path, name.item
        yield from paths(name.item, path)
