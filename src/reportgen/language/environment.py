"""The sandboxed Jinja environment every template is parsed and rendered in.

Templates are untrusted: they run in Jinja's immutable sandbox, cannot include other
files or switch autoescaping off, undefined names are errors (:mod:`.undefined`), never
blank text, and nothing a template does may exhaust memory or time (:mod:`.limits`). The renderer and the
linter both use :class:`SandboxEnvironment`, so they agree on what a template may do.
:class:`ReportEnvironment` adds how output is written: every data string reaches the
document exactly as given (escaped for XML, line breaks as line breaks, braces kept
from docxtpl's own ``{_{`` post-processing, an empty optional text as no text), and
compiles each distinct source once; it is safe to share between threads.
"""
from __future__ import annotations

import math
import re
import threading
import types
from decimal import Decimal
from typing import Any, Callable, Optional

import jinja2
from jinja2 import nodes
from jinja2 import sandbox
from jinja2.compiler import CodeGenerator
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup, escape

from reportgen.language.filters import filter_table, label_filters
from reportgen.language.cache import compile_cached
from reportgen.language.limits import BUDGET, Budget, bounded_range, check_binop, check_method, checked, limited, sized
from reportgen.language.text import line_breaks, lines
from reportgen.language.undefined import RefusedName, ReportUndefined

# The characters XML 1.0 cannot hold (loading refuses them too); Word would reject the file.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# docxtpl turns "{_{" into "{{" after rendering and footnotes may be rendered again, so
# braces from data go out as character references, which XML reads back as braces.
_BRACES = {ord("{"): "&#123;", ord("}"): "&#125;"}
# What Python prints for a program object (a generator, a method, a class): never data, and
# its address would differ from run to run.
_PROGRAM_OBJECT = re.compile(r"(?:<|&lt;)(?:class (?:'|&#39;)|(?:built-in |bound )?(?:method|function) "
                             r"|generator object |Namespace |TemplateReference |LoopContext |[\w.]+ object at 0x)")
# Attributes no template may reach whatever holds them: Jinja's internal ones.
_INTERNAL = frozenset({"mro", *sandbox.UNSAFE_FUNCTION_ATTRIBUTES, *sandbox.UNSAFE_METHOD_ATTRIBUTES,
                       *sandbox.UNSAFE_GENERATOR_ATTRIBUTES, *sandbox.UNSAFE_COROUTINE_ATTRIBUTES,
                       *sandbox.UNSAFE_ASYNC_GENERATOR_ATTRIBUTES})
_TOO_DEEP = "标签中的表达式嵌套过深或过长（例如成千上万层括号或过滤器），请拆分或简化"


def refused_name(name: str) -> bool:
    """True for an attribute or item name no template may reach (``__class__``, ``_x``,
    ``mro``, ``gi_frame`` …). The one rule on names: the sandbox applies it to every
    attribute it looks up (``a.b``, ``a["b"]``, ``map(attribute=…)``, ``groupby``,
    ``sort``, ``attr``, ``"{0.b}".format``), and ``template-check`` to every name a
    template writes in those places."""
    return name.startswith("_") or name in _INTERNAL


def _refuse_unsafe_nodes(tree: nodes.Template, name: Optional[str]) -> None:
    for node in tree.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)):
        raise jinja2.TemplateSyntaxError("模板不能引用其他文件（include、import、extends）",
                                         node.lineno, name)
    for node in tree.find_all(nodes.EvalContextModifier):
        raise jinja2.TemplateSyntaxError("模板不能关闭自动转义（autoescape）", node.lineno, name)


class _Generator(CodeGenerator):
    """Jinja's code generator, with every loop counted and timed and every literal list,
    tuple, dict and ``~`` join checked against the value limit (see :mod:`.limits`), and
    constants printed only when they are data: Jinja escapes a constant before it
    reaches ``finalize``, which then could not tell ``"inf"|float`` from the word "inf"."""

    def _output_child_to_const(self, node, frame, finalize):
        if not isinstance(node, nodes.TemplateData):
            value = node.as_const(frame.eval_ctx)
            if not isinstance(value, (str, int, Decimal)) or isinstance(value, bool):
                raise nodes.Impossible()  # printed at render time, through finalize
        return super()._output_child_to_const(node, frame, finalize)

    def visit_For(self, node, frame):
        # environment.counted(context, <the iterable>); Jinja allows no node types of one's own.
        counted = nodes.Call(nodes.EnvironmentAttribute("counted"), [nodes.ContextReference(), node.iter],
                             [], None, None, lineno=node.lineno)
        original, node.iter = node.iter, counted
        try:
            super().visit_For(node, frame)
        finally:
            node.iter = original

    def _checked(self, visit, node, frame):
        self.write("environment.checked(")
        visit(node, frame)
        self.write(")")

    def visit_Concat(self, node, frame):
        self._checked(super().visit_Concat, node, frame)

    def visit_List(self, node, frame):
        self._checked(super().visit_List, node, frame)

    def visit_Dict(self, node, frame):
        self._checked(super().visit_Dict, node, frame)

    def visit_Tuple(self, node, frame):
        if node.ctx != "load":  # an assignment target
            return super().visit_Tuple(node, frame)
        return self._checked(super().visit_Tuple, node, frame)


class BudgetedTemplate(jinja2.Template):
    """A compiled template whose render spends a :class:`~.limits.Budget`: the one the
    context carries under :data:`~.limits.BUDGET` (one per document), else its own."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        variables = dict(*args, **kwargs)
        budget = variables.get(BUDGET)
        if budget is None:
            budget = variables[BUDGET] = Budget()
        context = self.new_context(variables)
        try:
            return self.environment.concat(budget.output(self.root_render_func(context)))
        except Exception:
            self.environment.handle_exception()


class SandboxEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox every template is parsed and runs in.

    Immutable, so a template cannot change the context shared by many documents;
    strict, so a mistyped name is an error; no ``lipsum`` (nothing a report needs);
    reportgen's filters beside Jinja's, each naming the expression it fails on; every
    limit of :mod:`.limits` (value size, loop turns, output, time) enforced; an
    attribute :func:`refused_name` refuses is an error (:class:`RefusedName`), never text.
    """

    intercepted_binops = frozenset({"*", "**", "%", "+"})
    code_generator_class = _Generator
    template_class = BudgetedTemplate

    def __init__(self, autoescape: bool = True, finalize: Optional[Callable] = None):
        super().__init__(autoescape=autoescape, undefined=ReportUndefined, finalize=finalize)
        self.filters = filter_table(self.filters)
        self.globals.pop("lipsum", None)
        self.globals["range"] = bounded_range

    def _parse(self, source, name, filename):
        try:  # a tree too deep for Python's recursion fails here, not in every walk after
            tree = super()._parse(source, name, filename)
            _refuse_unsafe_nodes(tree, name)
            label_filters(tree)
        except (RecursionError, MemoryError):
            raise jinja2.TemplateSyntaxError(_TOO_DEEP, 1, name) from None
        return tree

    def _generate(self, source, name, filename, defer_init=False):
        try:
            return super()._generate(source, name, filename, defer_init)
        except (RecursionError, MemoryError):
            raise jinja2.TemplateSyntaxError(_TOO_DEEP, 1, name) from None

    def _compile(self, source, filename):
        try:
            return super()._compile(source, filename)
        except (RecursionError, MemoryError, SyntaxError):  # Python's own nesting limits
            raise jinja2.TemplateSyntaxError(_TOO_DEEP, 1) from None

    def getitem(self, obj, argument):
        if isinstance(argument, str) and refused_name(argument):  # by name alone, as template-check
            raise RefusedName(argument)
        return super().getitem(obj, argument)

    def getattr(self, obj, attribute):
        if refused_name(attribute):
            raise RefusedName(attribute)
        return super().getattr(obj, attribute)

    def is_safe_attribute(self, obj, attr, value):
        return not refused_name(attr) and super().is_safe_attribute(obj, attr, value)

    def unsafe_undefined(self, obj, attribute):
        raise RefusedName(attribute)

    def call_binop(self, context, operator, left, right):
        check_binop(operator, left, right)
        return checked(super().call_binop(context, operator, left, right))

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 - Jinja's own signature
        if getattr(__obj, "__name__", None) == "join" and args:  # str.join: its size is known only of a list
            args = (sized(args[0]), *args[1:])
        check_method(__obj, args, kwargs)
        budget = __context.get(BUDGET)
        if budget is not None:
            budget.tick()
        return limited(checked(super().call(__context, __obj, *args, **kwargs)))

    @staticmethod
    def checked(value: Any) -> Any:
        """``value`` (a literal list, tuple or dict, a ``~`` join) if within the value limit."""
        return checked(value)

    @staticmethod
    def counted(context, items: Any):
        """The iterable of a loop, its turns counted against the render's budget."""
        budget = context.get(BUDGET)
        return items if budget is None else budget.loop(items)


# ---- output: Word XML ----------------------------------------------------------------------


class TextError(ValueError):
    """A data string the document cannot hold; the message is in Chinese."""


def _checked(text: str) -> str:
    bad = _XML_ILLEGAL.search(text)
    if bad:
        raise TextError(f"数据中含有Word文档无法保存的控制字符 U+{ord(bad.group()):04X}")
    inner = _PROGRAM_OBJECT.search(text)
    if inner:
        raise TextError(f"模板输出了程序内部的对象「{text[inner.start():inner.start() + 30]}…」而不是数据；"
                        "要输出一组值，请在后面加 “|join('、')” 或 “|list”")
    return text


#: values that are no data, whatever Python prints for them (b'x', range(0, 3), a module …).
_NOT_DATA = (bytes, bytearray, memoryview, range, type({}.keys()), type({}.values()), type({}.items()),
             types.ModuleType, type, types.FunctionType, types.BuiltinFunctionType, types.MethodType)


def _data(value: Any) -> Any:
    """``value`` when a document may print it; :class:`TextError` for a program object or
    a number that is none (inf, nan), which Python would print as English."""
    if isinstance(value, (float, Decimal)) and not math.isfinite(value):
        raise TextError(f"模板输出了无穷大或非数字（{value}），不是数据；请检查模板中的计算")
    if isinstance(value, _NOT_DATA):
        raise TextError(f"模板输出了程序内部的对象（{type(value).__name__}）而不是数据；"
                        "要输出一组值，请在后面加 “|join('、')”")
    return value


def xml_text(value: Any) -> Markup:
    """Jinja ``finalize`` for document XML: the value as escaped, brace-safe XML text;
    an empty value (none: the data lacks an optional text) as no text at all."""
    if value is None:
        return Markup("")
    value = _data(value)
    if hasattr(value, "__html__"):  # already markup (``|e``, a block ``set``)
        return Markup(lines(_checked(str(value.__html__())).translate(_BRACES)))  # same line rule
    text = _checked(line_breaks(str(value)))  # "\v" (Word's Shift+Enter), "\r" too: one rule
    return Markup(lines(str(escape(text)).translate(_BRACES)))  # each line its own paragraph


def plain_text(value: Any) -> str:
    """Jinja ``finalize`` for document properties, which python-docx escapes itself."""
    return "" if value is None else _checked(str(_data(value)))


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
                    compiled = self._compiled[source] = compile_cached(
                        self, source, "xml" if self.autoescape else "plain")
        return compiled


def make_environment() -> ReportEnvironment:
    """The sandboxed, autoescaping, strict Jinja environment every template runs in."""
    return ReportEnvironment()
