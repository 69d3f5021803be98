"""What a tag reaches and what it would cost, found without data, by the renderer's own rules.

The linter reports before any document what rendering would refuse (issue 10, kinds 1
and 2), using the very functions the sandbox uses, so the two never disagree:

* every attribute or item name a tag writes — ``a.b``, ``a["b"]``, ``map(attribute=…)``,
  ``groupby``, ``sort``, ``selectattr``, ``attr(…)``, ``"{0.b}".format`` — is judged by
  :func:`~reportgen.language.environment.refused_name`;
* every part of a tag made of constants only (``"a"|center(10**9)``,
  ``range(100000)|join(",")|wordwrap(1)``, ``"{0.__class__}".format(1)``) is rendered
  in the sandbox itself, under a short time limit, and its failure reported;
* a filter or string method whose constant arguments alone break a limit
  (``name|center(10**9)``) is refused by :mod:`reportgen.language.limits`' checks;
* nested ``{% for %}`` loops over constant ranges (:func:`loop_size`) whose turns
  together pass :data:`~reportgen.language.limits.MAX_ITERATIONS`.
"""
from __future__ import annotations

import time
from typing import Any, Iterator, Optional

import jinja2
from jinja2 import nodes
from jinja2.sandbox import MAX_RANGE

from reportgen.language.environment import refused_name
from reportgen.language.filters import EXPRESSION
from reportgen.language.limits import (BUDGET, MAX_ITERATIONS, Budget, LimitError, check_filter, check_method,
                                       format_fields)
from reportgen.language.undefined import RefusedName

#: seconds the linter gives the constant expressions of one template, all together, however
#: many document kinds it is checked against (a hostile template must not make checking
#: slow; past it, they go unchecked).
CHECK_TIME = 3.0
#: filters whose argument names an attribute of each item (Jinja's attribute getters).
_ATTRIBUTE_FILTERS = {"map", "groupby", "sort", "unique", "min", "max", "sum", "selectattr",
                      "rejectattr", "attr", "join"}
_POSITIONAL_ATTRIBUTE = {"groupby", "selectattr", "rejectattr", "attr"}
#: globals a constant expression may call: they depend on nothing but their arguments.
_PURE = {"range", "dict"}
_COMPUTING = (nodes.Filter, nodes.Call, nodes.BinExpr, nodes.Concat)


# ---- names reached -------------------------------------------------------------------------------


def _strings(node: Optional[nodes.Node]) -> list[str]:
    return [node.value] if isinstance(node, nodes.Const) and isinstance(node.value, str) else []


def reached(tree: nodes.Node) -> list[str]:
    """Every attribute or item name ``tree`` writes, wherever it writes one."""
    names = [n.attr for n in tree.find_all(nodes.Getattr)]
    names += [s for n in tree.find_all(nodes.Getitem) for s in _strings(n.arg)]
    for node in tree.find_all(nodes.Filter):
        if node.name not in _ATTRIBUTE_FILTERS:
            continue
        given = [k.value for k in node.kwargs if k.key == "attribute"]
        if node.name in _POSITIONAL_ATTRIBUTE and node.args:
            given.append(node.args[0])
        names += [part for value in given for text in _strings(value) for part in text.split(".")]
    for node in tree.find_all(nodes.Call):  # "{0.__class__}".format(x), .format_map(x)
        if isinstance(node.node, nodes.Getattr) and node.node.attr in ("format", "format_map"):
            names += [field for text in _strings(node.node.node) for field in format_fields(text)]
    return list(dict.fromkeys(names))


def refused(tree: nodes.Node) -> list[str]:
    """The messages for names in ``tree`` no template may reach (the renderer's own)."""
    return [str(RefusedName(name)) for name in reached(tree) if refused_name(name)]


# ---- what constants would cost -------------------------------------------------------------------


def _constant(node: nodes.Node) -> bool:
    if isinstance(node, nodes.Const):
        return True
    if isinstance(node, nodes.Name):
        return node.ctx == "load" and node.name in _PURE
    if isinstance(node, nodes.Call) and (node.dyn_args is not None or node.dyn_kwargs is not None):
        return False
    if not isinstance(node, (nodes.List, nodes.Tuple, nodes.Dict, nodes.Pair, nodes.BinExpr, nodes.UnaryExpr,
                             nodes.Concat, nodes.Compare, nodes.Operand, nodes.CondExpr, nodes.Filter,
                             nodes.Call, nodes.Getattr, nodes.Getitem, nodes.Slice, nodes.Keyword)):
        return False
    if isinstance(node, nodes.Tuple) and node.ctx != "load":
        return False
    return all(_constant(child) for child in node.iter_child_nodes())


def _constants(node: nodes.Node) -> Iterator[nodes.Expr]:
    """The largest parts of ``node`` made of constants only that compute something."""
    if isinstance(node, nodes.Expr) and _constant(node):
        if any(isinstance(n, _COMPUTING) for n in [node, *node.find_all(_COMPUTING)]):
            yield node
        return
    for child in node.iter_child_nodes():
        yield from _constants(child)


def _left(budget: Budget) -> Optional[Budget]:
    """A fresh budget for one evaluation, within what is left of ``budget``; None once it is spent."""
    left = budget.deadline - time.monotonic()
    return Budget(left) if left > 0 else None


def _failure(node: nodes.Expr, env: jinja2.Environment, budget: Budget) -> Optional[BaseException]:
    """What rendering ``node`` alone in ``env`` raises, or None."""
    tree = nodes.Template([nodes.Output([node], lineno=1)], lineno=1)
    tree.set_environment(env)
    try:
        code = env.compile(tree)
    except jinja2.TemplateSyntaxError:  # an unknown filter …: reported by the name checks
        return None
    try:
        template = env.template_class.from_code(env, code, env.make_globals(None), None)
        own = _left(budget)
        if own is not None:
            template.render({BUDGET: own})
    except Exception as exc:  # noqa: BLE001 - whatever it is, rendering would fail the same way
        return exc
    return None


_NOTHING = object()


def _value(node: nodes.Expr, env: jinja2.Environment, budget: Budget) -> Any:
    """The value of the constant expression ``node`` computed in ``env``; ``_NOTHING``
    when it is not constant or fails (its failure is reported by :func:`_failure`)."""
    if isinstance(node, nodes.Const):
        return node.value
    own = _left(budget)
    if not _constant(node) or own is None:
        return _NOTHING
    tree = nodes.Template([nodes.Assign(nodes.Name("value", "store"), node)], lineno=1)
    tree.set_environment(env)
    try:
        template = env.template_class.from_code(env, env.compile(tree), env.make_globals(None), None)
        return getattr(template.make_module({BUDGET: own}), "value", _NOTHING)
    except Exception:  # noqa: BLE001 - see _failure
        return _NOTHING


def _argument_limits(tree: nodes.Node, env: jinja2.Environment, budget: Budget) -> list[str]:
    """Limits broken by a filter's or string method's constant arguments alone."""
    out = []
    for node in tree.find_all((nodes.Filter, nodes.Call)):
        args = [_value(a, env, budget) for a in node.args]
        kwargs = {k.key: _value(k.value, env, budget) for k in node.kwargs if k.key != EXPRESSION}
        if _NOTHING in args or _NOTHING in kwargs.values():
            continue
        try:
            if isinstance(node, nodes.Filter):
                check_filter(node.name, ("", *args), kwargs)
            elif isinstance(node.node, nodes.Getattr):
                check_method(getattr("", node.node.attr, None), tuple(args), kwargs)
        except LimitError as exc:
            out.append(str(exc))
    return out


def costs(tree: nodes.Node, env: jinja2.Environment, budget: Budget) -> list[str]:
    """The messages for what rendering ``tree`` would refuse whatever the data: its
    constant parts rendered in ``env``, and arguments over a limit, within the time
    ``budget`` leaves (one budget for a whole template: :data:`CHECK_TIME`)."""
    from reportgen.language.explain import explain  # only for a tag that fails
    out = [explain(exc).message for exc in (_failure(n, env, budget) for n in _constants(tree)) if exc]
    limits = [f"模板试图做不允许的操作，已被阻止（{m}）" for m in _argument_limits(tree, env, budget)]
    return list(dict.fromkeys(out + limits))


def loop_size(tree: Optional[nodes.Node]) -> Optional[int]:
    """Turns of the ``{% for %}`` in ``tree`` when it loops over a constant range, else None."""
    loop = next(tree.find_all(nodes.For), None) if tree is not None else None
    if loop is None or not isinstance(loop.iter, nodes.Call) or not _constant(loop.iter) \
            or not isinstance(loop.iter.node, nodes.Name) or loop.iter.node.name != "range":
        return None
    try:
        args: list[Any] = [a.as_const() for a in loop.iter.args]
        return min(len(range(*args)), MAX_RANGE)
    except Exception:  # noqa: BLE001 - not a range it can count: the render says what is wrong
        return None


def nested_turns(sizes: list[Optional[int]]) -> Optional[str]:
    """The message when loops over ranges of ``sizes`` (outermost first, None: not
    known), nested, turn more than the limit allows."""
    total = 1
    for size in sizes:
        total *= size if size is not None else 1
    if len([s for s in sizes if s is not None]) > 1 and total > MAX_ITERATIONS:
        return (f"模板试图做不允许的操作，已被阻止（嵌套的循环共约 {total:,} 次，"
                f"超过上限 {MAX_ITERATIONS:,} 次）")
    return None
