"""The sandboxed Jinja environment every template is parsed and rendered in.

Templates are untrusted: they run in Jinja's immutable sandbox, cannot include other
files or switch autoescaping off, undefined names are errors (:mod:`.undefined`), never
blank text, and arithmetic that would exhaust memory is refused. The renderer and the
linter both use :class:`SandboxEnvironment`, so they agree on what a template may do.
:class:`ReportEnvironment` adds how output is written: every data string reaches the
document exactly as given (escaped for XML, line breaks as line breaks, braces kept
from docxtpl's own ``{_{`` post-processing, an empty optional text as no text), and
compiles each distinct source once; it is safe to share between threads.
"""
from __future__ import annotations

import re
import threading
from decimal import Decimal
from typing import Any, Callable, Optional

import jinja2
from jinja2 import nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from markupsafe import Markup, escape

from reportgen.language.filters import filter_table, label_filters
from reportgen.language.text import line_breaks, lines
from reportgen.language.undefined import ReportUndefined

_MAX_REPEAT = 100_000  # characters or items a "*" may produce
_MAX_EXPONENT = 100
_MAX_BITS = 100_000  # of an integer a "**" may produce
# The characters XML 1.0 cannot hold (loading refuses them too); Word would reject the file.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# docxtpl turns "{_{" into "{{" after rendering and footnotes may be rendered again, so
# braces from data go out as character references, which XML reads back as braces.
_BRACES = {ord("{"): "&#123;", ord("}"): "&#125;"}


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
        super().__init__(autoescape=autoescape, undefined=ReportUndefined, finalize=finalize)
        self.filters = filter_table(self.filters)
        self.globals.pop("lipsum", None)

    def _parse(self, source, name, filename):
        tree = super()._parse(source, name, filename)
        _refuse_unsafe_nodes(tree, name)
        label_filters(tree)
        return tree

    def call_binop(self, context, operator, left, right):
        _limit(operator, left, right)
        return super().call_binop(context, operator, left, right)


# ---- output: Word XML ----------------------------------------------------------------------


class TextError(ValueError):
    """A data string the document cannot hold; the message is in Chinese."""


def _checked(text: str) -> str:
    bad = _XML_ILLEGAL.search(text)
    if bad:
        raise TextError(f"数据中含有Word文档无法保存的控制字符 U+{ord(bad.group()):04X}")
    return text


def xml_text(value: Any) -> Markup:
    """Jinja ``finalize`` for document XML: the value as escaped, brace-safe XML text;
    an empty value (none: the data lacks an optional text) as no text at all."""
    if value is None:
        return Markup("")
    if hasattr(value, "__html__"):  # already markup (``|e``, a block ``set``)
        return Markup(lines(_checked(str(value.__html__())).translate(_BRACES)))  # same line rule
    text = _checked(line_breaks(str(value)))  # "\v" (Word's Shift+Enter), "\r" too: one rule
    return Markup(lines(str(escape(text)).translate(_BRACES)))  # each line its own paragraph


def plain_text(value: Any) -> str:
    """Jinja ``finalize`` for document properties, which python-docx escapes itself."""
    return "" if value is None else _checked(str(value))


class ReportEnvironment(SandboxEnvironment):
    """The sandbox with output written as Word XML (or, for document properties, as
    plain text), compiling each distinct template source once. Compiled templates
    are shared between threads; compiling is guarded so it happens once."""

    def __init__(self, xml: bool = True):
        super().__init__(autoescape=xml, finalize=xml_text if xml else plain_text)
        self._compiled: dict[str, jinja2.Template] = {}
        self._lock = threading.Lock()

    def from_string(self, source, globals=None, template_class=None):
        if globals or template_class or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        compiled = self._compiled.get(source)
        if compiled is None:
            with self._lock:
                compiled = self._compiled.get(source)
                if compiled is None:
                    compiled = self._compiled[source] = super().from_string(source)
        return compiled


def make_environment() -> ReportEnvironment:
    """The sandboxed, autoescaping, strict Jinja environment every template runs in."""
    return ReportEnvironment()
