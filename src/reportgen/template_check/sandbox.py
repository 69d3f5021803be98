"""The template language: the Jinja sandbox every template is parsed and rendered in.

Templates are untrusted: they run in Jinja's immutable sandbox, cannot include other
files or switch autoescaping off, undefined names are errors, never blank text, and
arithmetic that would exhaust memory is refused. Both :mod:`reportgen.rendering`
(which adds how output is written) and :mod:`reportgen.template_check` (which parses
each tag) use :class:`SandboxEnvironment`, so they agree on what a template may do.

Every filter call is labelled, when parsed, with the expression it filters, so a filter
that cannot handle its value says which one (``budget.execution_rate|percent``), in
Chinese, rather than failing with a Python message:

    >>> env = SandboxEnvironment()
    >>> try:
    ...     env.from_string("{{ budget.rate|percent }}").render(budget={"rate": None})
    ... except FilterError as exc:
    ...     print(exc.expression)
    budget.rate|percent
"""
from __future__ import annotations

import functools
import re
from decimal import Decimal
from typing import Any, Callable, Optional

import jinja2
from jinja2 import nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from reportgen.errors import ReportgenError, TemplateError
from reportgen.formatting import FILTERS

#: Filters whose output is taken as markup: data through them could inject Word XML.
UNSAFE_FILTERS = ("safe", "urlize")
#: the keyword argument that carries a filter call's expression, as written, to the filter.
EXPRESSION = "_reportgen_expression"
_MAX_REPEAT = 100_000  # characters or items a "*" may produce
_MAX_EXPONENT = 100
_MAX_BITS = 100_000  # of an integer a "**" may produce


class FilterError(TemplateError):
    """A filter could not handle its value; ``expression`` is the filter call as written."""

    def __init__(self, summary: str, expression: str):
        super().__init__(summary)
        self.expression = expression


# ---- the expression a filter is applied to, as the template writes it --------------------


def _constant(value: Any) -> str:
    if value is None or isinstance(value, bool):
        return {None: "none", True: "true", False: "false"}[value]
    return f'"{value}"' if isinstance(value, str) else str(value)


def written(node: nodes.Node) -> str:
    """``node`` as a template would write it (``budget.execution_rate``); "…" for what
    is not a name, an attribute, an item, a constant or a filter.

    >>> written(jinja2.Environment().parse("{{ a.b['c']|money(false) }}").body[0].nodes[0])
    'a.b["c"]|money(false)'
    """
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


def _label_filters(tree: nodes.Template) -> None:
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


def _strict(function: Callable) -> Callable:
    """``function`` as a filter that reports an undefined value as undefined, rather
    than failing on it later with a message no clerk could act on."""
    @functools.wraps(function)
    def strict(value, *args, **kwargs):
        if isinstance(value, jinja2.Undefined):
            value._fail_with_undefined_error()
        return function(value, *args, **kwargs)
    return strict


def _guarded(name: str, function: Callable) -> Callable:
    """``function`` as a filter that takes the label :func:`_label_filters` gives it and,
    when it fails on its value, raises a :class:`FilterError` naming the expression."""
    value_at = 0 if getattr(function, "jinja_pass_arg", None) is None else 1  # after a context

    @functools.wraps(function)
    def guarded(*args, **kwargs):
        base = kwargs.pop(EXPRESSION, None)
        try:
            return function(*args, **kwargs)
        except (jinja2.TemplateError, SecurityError, FilterError):
            raise  # an undefined name, a refused operation: explained as they are
        except Exception as exc:  # noqa: BLE001 - any failure is the template's to report
            raise _failure(name, base, args[value_at] if len(args) > value_at else None, exc) from exc
    return guarded


# ---- Jinja's syntax errors, in Chinese ---------------------------------------------------

#: Jinja's names of tokens → as a clerk writes them.
_TOKENS = {"end of print statement": "}}", "end of statement block": "%}", "name": "名称",
           "end of template": "标签结尾", "end of comment": "#}"}
_BAD = "标签写法有误："
#: Jinja's syntax messages → (Chinese message, the name involved), by how they begin.
_SYNTAX = (
    (r"Unexpected end of template.*innermost block that needs to be closed is '(\w+)'",
     lambda m: (f"“{{% {m[1]} … %}}” 没有结束：缺少 “{{% end{m[1]} %}}”", m[1])),
    (r"Encountered unknown tag '(\w+)'", lambda m: (f"未知的标签 “{m[1]}”", m[1])),
    (r"unexpected char (['\"])(.+?)\1",
     lambda m: (f"{_BAD}标签中有不能用的符号 “{m[2]}”，标签内的符号一律用英文半角", None)),
    (r"unexpected 'end of (?:print statement|statement block)'", lambda m: (f"{_BAD}标签结尾之前缺少内容", None)),
    (r"unexpected '(.+?)'", lambda m: (f"{_BAD}“{_TOKENS.get(m[1], m[1])}” 的位置不对或多余", None)),
    (r"expected token '(.+?)', got '(.+?)'", lambda m: (
        f"{_BAD}此处应为 “{_TOKENS.get(m[1], m[1])}”，写的却是 “{_TOKENS.get(m[2], m[2])}”", None)),
    (r"Expected an expression", lambda m: (f"{_BAD}标签中缺少要输出或判断的内容", None)),
    (r"unexpected end of template", lambda m: (f"{_BAD}标签没有写完", None)),
)


def syntax_message(message: str) -> tuple[str, Optional[str]]:
    """Jinja's syntax error ``message`` in Chinese, with the tag keyword involved if any.

    >>> syntax_message("expected token 'end of print statement', got 'b'")
    ('标签写法有误：此处应为 “}}”，写的却是 “b”', None)
    """
    for pattern, explain in _SYNTAX:
        match = re.match(pattern, message, re.S)
        if match:
            return explain(match)
    return "标签写法有误", None


# ---- the environment ---------------------------------------------------------------------


def _refuse_unsafe_nodes(tree: nodes.Template, name: Optional[str]) -> None:
    for node in tree.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)):
        raise jinja2.TemplateSyntaxError("模板不能引用其他文件（include、import、extends）",
                                         node.lineno, name)
    for node in tree.find_all(nodes.EvalContextModifier):
        raise jinja2.TemplateSyntaxError("模板不能关闭自动转义（autoescape）", node.lineno, name)


def _limit(operator: str, left: Any, right: Any) -> None:
    """Refuse arithmetic that would exhaust memory or time (``'x' * 10**9``, ``9**9**9``)."""
    if operator == "**" and isinstance(right, (int, float, Decimal)):
        too_big = isinstance(left, int) and isinstance(right, int) and left.bit_length() * right > _MAX_BITS
        if abs(right) > _MAX_EXPONENT or too_big:
            raise SecurityError(f"乘方的结果过大（指数 {right}）")
    if operator == "*":
        for seq, count in ((left, right), (right, left)):
            if isinstance(seq, (str, list, tuple)) and isinstance(count, int) \
                    and len(seq) * count > _MAX_REPEAT:
                raise SecurityError(f"重复产生的内容过长（{len(seq)}×{count}）")


class SandboxEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox every template is parsed and runs in.

    Immutable, so a template cannot change the context shared by many documents;
    strict, so a mistyped name is an error; no ``lipsum`` (nothing a report needs);
    reportgen's filters beside Jinja's, each naming the expression it fails on.
    """

    intercepted_binops = frozenset({"*", "**"})

    def __init__(self, autoescape: bool = True, finalize: Optional[Callable] = None):
        super().__init__(autoescape=autoescape, undefined=jinja2.StrictUndefined, finalize=finalize)
        self.filters.update({name: _strict(f) for name, f in FILTERS.items()})
        for name in UNSAFE_FILTERS:
            self.filters.pop(name, None)
        self.filters = {name: _guarded(name, f) for name, f in self.filters.items()}
        self.globals.pop("lipsum", None)

    def _parse(self, source, name, filename):
        tree = super()._parse(source, name, filename)
        _refuse_unsafe_nodes(tree, name)
        _label_filters(tree)
        return tree

    def call_binop(self, context, operator, left, right):
        _limit(operator, left, right)
        return super().call_binop(context, operator, left, right)
