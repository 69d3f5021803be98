"""The filter table: reportgen's filters beside Jinja's, each naming what it fails on.

Every filter call is labelled, when parsed (:func:`label_filters`), with the expression
it filters, so a filter that cannot handle its value says which one
(``budget.execution_rate|percent``), in Chinese, rather than failing with a Python
message (:class:`FilterError`). :func:`filter_table` is the table every environment uses.

    >>> written(jinja2.Environment().parse("{{ a.b['c']|money(false) }}").body[0].nodes[0])
    'a.b["c"]|money(false)'
"""
from __future__ import annotations

import functools
from typing import Any, Callable, Optional

import jinja2
from jinja2 import nodes
from jinja2.sandbox import SecurityError

from reportgen.errors import ReportgenError, TemplateError
from reportgen.formatting import FILTERS
from reportgen.language.defaults import DEFAULTS
from reportgen.language.limits import check_filter, checked, limited, sized

#: Filters whose output is taken as markup: data through them could inject Word XML.
UNSAFE_FILTERS = ("safe", "urlize")
#: the keyword argument that carries a filter call's expression, as written, to the filter.
EXPRESSION = "_reportgen_expression"


class FilterError(TemplateError):
    """A filter could not handle its value; ``expression`` is the filter call as written."""

    def __init__(self, summary: str, expression: str):
        super().__init__(summary)
        self.expression = expression


def _constant(value: Any) -> str:
    if value is None or isinstance(value, bool):
        return {None: "none", True: "true", False: "false"}[value]
    return f'"{value}"' if isinstance(value, str) else str(value)


def written(node: nodes.Node) -> str:
    """``node`` as a template would write it (``budget.execution_rate``); "…" for what
    is not a name, an attribute, an item, a constant or a filter."""
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Const):
        return _constant(node.value)
    if isinstance(node, nodes.Getattr):
        return f"{written(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem):
        return f"{written(node.node)}[{written(node.arg)}]"
    if isinstance(node, nodes.Filter) and node.node is not None:
        given = [written(a) for a in node.args]
        given += [f"{k.key}={written(k.value)}" for k in node.kwargs if k.key != EXPRESSION]
        return f"{written(node.node)}|{node.name}" + (f"({', '.join(given)})" if given else "")
    if isinstance(node, nodes.BinExpr):
        return f"({written(node.left)} {node.operator} {written(node.right)})"
    if isinstance(node, nodes.Call):
        return f"{written(node.node)}(…)"
    return "…"


def label_filters(tree: nodes.Template) -> None:
    """Give every filter call the expression it filters, as a hidden keyword argument."""
    for node in tree.find_all(nodes.Filter):
        if node.node is not None and not any(k.key == EXPRESSION for k in node.kwargs):
            node.kwargs.append(nodes.Keyword(EXPRESSION, nodes.Const(written(node.node)),
                                             lineno=node.lineno))


# ---- filters that say what they could not handle -----------------------------------------


def _shown(value: Any) -> str:
    text = str(value)
    return f"「{text[:20]}{'…' if len(text) > 20 else ''}」"


def _failure(name: str, base: Optional[str], value: Any, exc: Exception) -> FilterError:
    """The Chinese message for filter ``name`` failing on ``value`` (``base|name``)."""
    call = f"{base}|{name}" if base else name
    if value is None and base:
        return FilterError(f"「{call}」无法生成：{base} 为空（none），数据中没有模板所需的这一项；可用 "
                           f"“{{% if {base} is not none %}}…{{% endif %}}” 在没有这一项时略去这段文字", call)
    why = exc.summary if isinstance(exc, ReportgenError) else f"过滤器 “{name}” 不能用于这个值"
    what = "空值（none）" if value is None else _shown(value)
    where = f"「{call}」无法生成" if base else f"过滤器 “{name}” 无法处理"
    return FilterError(f"{where}：{why}（值为{what}）", call)


def strict(function: Callable) -> Callable:
    """``function`` as a filter that reports an undefined value as undefined, rather
    than failing on it later with a message no clerk could act on."""
    @functools.wraps(function)
    def strict(value, *args, **kwargs):
        if isinstance(value, jinja2.Undefined):
            value._fail_with_undefined_error()
        return function(value, *args, **kwargs)
    return strict


def guarded(name: str, function: Callable) -> Callable:
    """``function`` as a filter that takes the label :func:`label_filters` gives it and,
    when it fails on its value, raises a :class:`FilterError` naming the expression;
    a call or a result over a limit of :mod:`.limits` is a :class:`~.limits.LimitError`."""
    value_at = 0 if getattr(function, "jinja_pass_arg", None) is None else 1  # after a context

    @functools.wraps(function)
    def guarded(*args, **kwargs):
        base = kwargs.pop(EXPRESSION, None)
        try:
            if name == "join" and len(args) > value_at:  # its size is known only of a list
                args = (*args[:value_at], sized(args[value_at]), *args[value_at + 1:])
            check_filter(name, args[value_at:], kwargs)  # before it runs: it may be huge
            return limited(checked(function(*args, **kwargs)))
        except (jinja2.TemplateError, SecurityError, FilterError):
            raise  # an undefined name, a refused operation: explained as they are
        except Exception as exc:  # noqa: BLE001 - any failure is the template's to report
            raise _failure(name, base, args[value_at] if len(args) > value_at else None, exc) from exc
    return guarded


def filter_table(builtin: dict[str, Callable]) -> dict[str, Callable]:
    """Jinja's ``builtin`` filters and reportgen's, without the unsafe ones, each
    strict about undefined values and naming the expression it fails on."""
    table = {**builtin, **{name: strict(f) for name, f in FILTERS.items()}, **DEFAULTS}
    for name in UNSAFE_FILTERS:
        table.pop(name, None)
    return {name: guarded(name, f) for name, f in table.items()}
