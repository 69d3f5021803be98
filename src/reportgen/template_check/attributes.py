"""Where a tag's names lead: ``a.b.c``, ``a["b"]`` and loop variables against the vocabulary.

Each name a template may use stands for a :class:`Value`: the vocabulary's
:class:`~reportgen.context.vocabulary.Name` it reaches (None when it cannot be known,
as for a filter's result) and how the template writes it. :func:`resolve` follows
every attribute and subscript of one parsed tag through the structured vocabulary,
binds what ``{% for %}``, ``{% set %}`` and ``{% with %}`` assign, and says in Chinese
which nested name does not exist, with the nearest one that does.

    >>> from reportgen.context.self_evaluation import NAMES
    >>> import jinja2
    >>> tree = jinja2.Environment().parse("{{ department.nmae }}")
    >>> resolve(tree, top_level(NAMES, ())).problems
    [('未知的名称 “department.nmae”', '是否应为 “department.name”？')]
"""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Iterable, Mapping, NamedTuple, Optional

from jinja2 import nodes
from jinja2.sandbox import modifies_known_mutable

from reportgen.context.vocabulary import DICT, EACH_ITEM, LIST, OPEN, VALUE, Name
from reportgen.errors import did_you_mean, suggest


class Value(NamedTuple):
    """What a name or expression in a template holds, as far as the vocabulary says."""

    name: Optional[Name]  # None: not known, so nothing under it is checked
    written: str = ""  # as the template writes it: t.title, budget["executed"]
    origin: str = ""  # for a bound name: what it is, e.g. work.tasks 中的一项


UNKNOWN = Value(None)
#: a name whose shape cannot be known (``loop.previtem`` over unknown items): not checked.
_ANY = Name("", "any")
_CHECKED = (DICT, OPEN, LIST, VALUE)

#: what Jinja finds as attributes of a dict, list or single value before any key:
#: the methods the sandbox lets a template call.
_METHODS = {kind: {a for a in dir(example)
                   if not a.startswith("_") and not modifies_known_mutable(example, a)}
            for kind, example in ((DICT, {}), (OPEN, {}), (LIST, []))}
_METHODS[VALUE] = {a for kind in (str, int, Decimal) for a in dir(kind) if not a.startswith("_")}

#: filters whose result is (a part of) the list they filter.
_SAME_LIST = {"sort", "reverse", "unique", "list", "selectattr", "rejectattr"}
_ONE_ITEM = {"first", "last", "random", "min", "max"}
_SAME_VALUE = {"default", "d"}


_LOOP = {key: Name(meaning) for key, meaning in {
    "index": "第几项（从 1 起）", "index0": "第几项（从 0 起）", "revindex": "倒数第几项（从 1 起）",
    "revindex0": "倒数第几项（从 0 起）", "first": "是否第一项", "last": "是否最后一项", "length": "共几项",
    "depth": "嵌套层数（从 1 起）", "depth0": "嵌套层数（从 0 起）", "cycle": "依次取给出的值",
    "changed": "值是否与上一项不同"}.items()}


def _loop(item: Optional[Name]) -> Name:
    """``loop`` inside a ``{% for %}`` over items described by ``item``."""
    each = item or _ANY
    return Name("循环", DICT, fields={**_LOOP, "previtem": each, "nextitem": each})


def top_level(root: Name, globals_: Iterable[str]) -> dict[str, Value]:
    """The names a template starts with: the vocabulary's top level and Jinja's globals."""
    known = {name: UNKNOWN for name in globals_}
    known.update({key: Value(name, key) for key, name in root.fields.items()})
    return known


def _short(meaning: str) -> str:
    return re.split(r"[，：；（(]", meaning, maxsplit=1)[0] or meaning


def _listing(name: Name) -> str:
    return "、".join(f"{key}（{_short(child.meaning)}）" if child.meaning else key
                    for key, child in name.fields.items())


class Resolved(NamedTuple):
    """What one tag binds (name → value) and what it reaches that does not exist."""

    binds: dict[str, Value]
    problems: list[tuple[str, Optional[str]]]  # (message, hint)


class _Resolver:
    """Evaluates the expressions of one tag over values, collecting problems."""

    def __init__(self, scope: Mapping[str, Value]):
        self.scope, self.problems = dict(scope), []

    def report(self, problem: tuple[str, Optional[str]]) -> None:
        if problem not in self.problems:
            self.problems.append(problem)

    # ---- one step down ------------------------------------------------------------------

    def attribute(self, parent: Value, key: str, bracket: bool = False) -> Value:
        """``parent.key`` (or ``parent["key"]``): its value, or a problem when it does not exist."""
        name = parent.name
        if name is None or name.kind not in _CHECKED or key.startswith("_"):  # "_…": refused elsewhere
            return UNKNOWN
        written = f'{parent.written}["{key}"]' if bracket else f"{parent.written}.{key}"
        if not bracket and key in _METHODS[name.kind]:
            return Value(None, written)  # a method Jinja finds before any key (prose.items)
        child = name.child(key)
        if child is not None:
            return Value(child, written)
        self.report(self.unknown(parent, key, written, bracket))
        return UNKNOWN

    def unknown(self, parent: Value, key: str, written: str, bracket: bool) -> tuple[str, Optional[str]]:
        """(what is wrong with ``written``, the nearest name that exists as a hint)."""
        name, what = parent.name, f"“{parent.written}”" + (f"（{parent.origin}）" if parent.origin else " ")
        if name.kind == LIST:
            item = name.item.fields if name.item.kind == DICT else {}
            near = key if key in item else suggest(key, item)
            how = f"，这一项的名称写作 “x.{near}”" if near else ""
            return (f"未知的名称 “{written}”：{what}是列表，要用 “{{% for x in {parent.written} %}}” "
                    f"逐项取用{how}", None)
        if name.kind == VALUE:
            return f"未知的名称 “{written}”：{what}是单个值，其下没有其他名称", None
        near = suggest(key, name.fields)
        if near:
            fixed = f'{parent.written}["{near}"]' if bracket else f"{parent.written}.{near}"
            return f"未知的名称 “{written}”", did_you_mean(fixed)
        return f"未知的名称 “{written}”：{what}之下只有 {_listing(name)}", None

    def item(self, value: Value, written: str = "") -> Value:
        """Each item of a list value (or each value of a dict keyed by data)."""
        if value.name is None or value.name.kind not in (LIST, OPEN):
            return UNKNOWN
        return Value(value.name.item, written or value.written + EACH_ITEM)

    # ---- expressions --------------------------------------------------------------------

    def value(self, expr: nodes.Node) -> Value:
        """What ``expr`` holds; every sub-expression is checked on the way."""
        if isinstance(expr, nodes.Name):
            return self.scope.get(expr.name, UNKNOWN)
        if isinstance(expr, nodes.Getattr):
            return self.attribute(self.value(expr.node), expr.attr)
        if isinstance(expr, nodes.Getitem):
            return self.subscript(self.value(expr.node), expr.arg)
        if isinstance(expr, nodes.Filter):
            return self.filtered(expr)
        if isinstance(expr, nodes.Call):
            return self.call(expr)
        for child in expr.iter_child_nodes():
            self.value(child)
        return UNKNOWN

    def subscript(self, parent: Value, arg: nodes.Node) -> Value:
        if isinstance(arg, nodes.Const) and isinstance(arg.value, str):
            return self.attribute(parent, arg.value, bracket=True)
        self.value(arg)
        if isinstance(arg, nodes.Slice):
            return parent if parent.name is not None and parent.name.kind == LIST else UNKNOWN
        index = f"[{arg.value}]" if isinstance(arg, nodes.Const) else EACH_ITEM
        return self.item(parent, parent.written + index)

    def call(self, expr: nodes.Call) -> Value:
        """A method call: ``.values()`` / ``.get(…)`` of a dict keep their shape."""
        for child in [*expr.args, *expr.kwargs, expr.dyn_args, expr.dyn_kwargs]:
            if child is not None:
                self.value(child)
        target = expr.node
        if not isinstance(target, nodes.Getattr):
            self.value(target)
            return UNKNOWN
        parent = self.value(target.node)
        found = self.attribute(parent, target.attr)
        kind = parent.name.kind if parent.name is not None else None
        if kind == OPEN and target.attr in ("values", "items"):
            pair = Name(f"{parent.written} 中一项的值", "pair", item=parent.name.item)
            each = parent.name.item if target.attr == "values" else pair
            return Value(Name("", LIST, item=each), found.written + "()")
        if target.attr == "get" and expr.args and isinstance(expr.args[0], nodes.Const):
            return self.attribute(parent, str(expr.args[0].value), bracket=True)
        return UNKNOWN

    def filtered(self, expr: nodes.Filter) -> Value:
        base = self.value(expr.node) if expr.node is not None else UNKNOWN
        for child in [*expr.args, *expr.kwargs, expr.dyn_args, expr.dyn_kwargs]:
            if child is not None:
                self.value(child)
        is_list = base.name is not None and base.name.kind == LIST
        mapped = self.attribute_argument(expr, base) if is_list else UNKNOWN
        written = f"({base.written}|{expr.name})"
        if expr.name == "map" and mapped.name is not None:
            return Value(Name("", LIST, item=mapped.name), written)
        if expr.name in _SAME_LIST and is_list:
            return Value(base.name, written)
        if expr.name in _ONE_ITEM and is_list:
            return self.item(base, written)
        return base if expr.name in _SAME_VALUE else UNKNOWN

    def attribute_argument(self, expr: nodes.Filter, base: Value) -> Value:
        """``map(attribute="a.b")``, ``selectattr("a")`` …: the attribute of each item."""
        given = [k.value for k in expr.kwargs if k.key == "attribute"]
        if expr.name in ("selectattr", "rejectattr", "groupby") and expr.args:
            given = [expr.args[0]]
        if not given or not isinstance(given[0], nodes.Const) or not isinstance(given[0].value, str):
            return UNKNOWN
        value = self.item(base)
        for key in given[0].value.split("."):
            value = self.attribute(value, key) if not key.isdigit() else self.item(value)
        return value


def _bind(target: nodes.Node, value: Value, origin: str) -> dict[str, Value]:
    """What a for, set or with target names: one name, or ``k, v`` over ``.items()``."""
    if isinstance(target, nodes.Name):
        return {target.name: value._replace(written=target.name, origin=origin)}
    if not isinstance(target, nodes.Tuple):
        return {}  # {% set ns.total = … %}
    names = [t.name for t in target.items if isinstance(t, nodes.Name)]
    out = {name: UNKNOWN for name in names}
    if value.name is not None and value.name.kind == "pair" and len(names) == 2:
        out[names[1]] = Value(value.name.item, names[1], value.name.meaning)
    return out


def _same_as(value: Value) -> str:
    return f"即 {value.written}" if value.written else ""


def resolve(tree: nodes.Template, scope: Mapping[str, Value]) -> Resolved:
    """Check every name ``tree`` (one parsed tag) reaches; what it binds, with values."""
    resolver, binds = _Resolver(scope), {}
    for statement in tree.body:
        if isinstance(statement, nodes.For):
            items = resolver.value(statement.iter)
            each = resolver.item(items)
            binds.update(_bind(statement.target, each, f"{items.written} 中的一项"))
            binds["loop"] = Value(_loop(each.name), "loop")
            resolver.scope.update(binds)  # the loop's own condition sees them
            if statement.test is not None:
                resolver.value(statement.test)
        elif isinstance(statement, nodes.Assign):
            value = resolver.value(statement.node)
            binds.update(_bind(statement.target, value, _same_as(value)))
        elif isinstance(statement, nodes.With):
            for target, expr in zip(statement.targets, statement.values):
                value = resolver.value(expr)
                binds.update(_bind(target, value, _same_as(value)))
        else:
            resolver.value(statement)
    return Resolved(binds, resolver.problems)
