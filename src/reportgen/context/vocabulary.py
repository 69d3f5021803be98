"""The structured vocabulary: every name a template may reach, nested, with its meaning.

A document kind declares its vocabulary once, next to its builder, in plain literals:

- ``"含义"``: a value (text, number, true / false or none);
- ``("含义", {"key": …, …})``: a dict with exactly these keys;
- ``("含义", {ANY_KEY: …})``: a dict whose keys come from the data (``prose.procurement``);
- ``("含义", [shape])``: a list, every item described by the one ``shape``.

A bare dict or list is the same without a meaning. :func:`declare` turns the literal
into a :class:`Name` tree, which template-check resolves ``a.b.c`` against and the
clerks' guide lists; :func:`meanings` gives the flat top-level {name: meaning} map.

    >>> tree = declare({"budget": ("收支", {"executed": "执行数",
    ...                                    "sources": ("来源", [{"name": "名称"}])})})
    >>> [path for path, _ in paths(tree)]
    ['budget', 'budget.executed', 'budget.sources', 'budget.sources[…]', 'budget.sources[…].name']
    >>> tree.child("budget").child("executd") is None
    True
"""
from __future__ import annotations

from typing import Any, Iterator, Mapping, Optional

from attrs import field, frozen

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
