"""Rendering: a context and a Word template become a .docx, safely.

Templates are untrusted: they run in Jinja's immutable sandbox, cannot include other
files or switch autoescaping off, and undefined names are errors, never blank text.
Every data string reaches the document exactly as given: autoescaped for XML, line
breaks as line breaks, braces kept from docxtpl's own ``{_{`` post-processing. An
error names what is wrong and where in the document (part, paragraph or table cell).
A template file is read and compiled once (:class:`CompiledTemplate`) and renders any
number of documents; the body, tables, headers, footers, footnotes and endnotes are
rendered. Output is written atomically: complete, or not at all.
"""
from __future__ import annotations

import difflib
import functools
import html
import io
import os
import re
import tempfile
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any, Optional

import jinja2
from docx.opc.oxml import parse_xml
from docx.opc.part import XmlPart
from docxtpl import DocxTemplate
from jinja2 import nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from markupsafe import Markup, escape

from reportgen.errors import Problem, ReportgenError, TemplateError
from reportgen.formatting import FILTERS

# The characters XML 1.0 cannot hold (loading refuses them too); Word would reject the file.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# docxtpl turns "{_{" into "{{" after rendering and footnotes may be rendered again, so
# braces from data go out as character references, which XML reads back as braces.
_BRACES = {ord("{"): "&#123;", ord("}"): "&#125;"}
# Filters whose output is taken as markup: data through them could inject Word XML.
UNSAFE_FILTERS = ("safe", "urlize")
_MAX_REPEAT = 100_000  # characters or items a "*" may produce
_MAX_EXPONENT = 100
_MAX_BITS = 100_000  # of an integer a "**" may produce
_NOTES = ("application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
          "application/vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml")
#: core property docxtpl renders → its name in Word's 文档属性.
_PROPERTIES = {"author": "作者", "comments": "备注", "identifier": "标识", "language": "语言",
               "subject": "主题", "title": "标题"}


# LibreOffice relates the document properties by a type python-docx does not know, so
# python-docx adds a second docProps/core.xml, "modified" now: two zip entries of one
# name, and different bytes for equal input. The standard type avoids both.
_OTHER_CORE_TYPE = b"http://schemas.openxmlformats.org/officedocument/2006/relationships/metadata/core-properties"
_CORE_TYPE = b"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"


def _standard_relationships(data: bytes) -> bytes:
    """``data`` with the document properties related by the standard type."""
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        if "_rels/.rels" not in src.namelist() or _OTHER_CORE_TYPE not in src.read("_rels/.rels"):
            return data
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for item in src.infolist():
                body = src.read(item.filename)
                if item.filename == "_rels/.rels":
                    body = body.replace(_OTHER_CORE_TYPE, _CORE_TYPE)
                dst.writestr(item, body)
    return out.getvalue()


class _TextError(ValueError):
    """A data string the document cannot hold; the message is in Chinese."""


def _checked(text: str) -> str:
    bad = _XML_ILLEGAL.search(text)
    if bad:
        raise _TextError(f"数据中含有Word文档无法保存的控制字符 U+{ord(bad.group()):04X}")
    return text


def _xml_text(value: Any) -> Markup:
    """Jinja ``finalize`` for document XML: the value as escaped, brace-safe XML text."""
    if hasattr(value, "__html__"):  # already markup (``|e``, a block ``set``)
        return Markup(_checked(str(value.__html__())).translate(_BRACES))
    text = _checked(str(value)).replace("\r\n", "\n").replace("\r", "\n")
    # docxtpl turns "\n" into <w:br/>; a bare CR would be read back by XML as "\n" text.
    return Markup(str(escape(text)).translate(_BRACES))


def _plain_text(value: Any) -> str:
    """Jinja ``finalize`` for document properties, which python-docx escapes itself."""
    return _checked(str(value))


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


def _strict(function):
    """``function`` as a filter that reports an undefined value as undefined, rather
    than failing on it later with a message no clerk could act on."""
    @functools.wraps(function)
    def strict(value, *args, **kwargs):
        if isinstance(value, jinja2.Undefined):
            value._fail_with_undefined_error()
        return function(value, *args, **kwargs)
    return strict


class _ReportEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox every template runs in.

    Immutable, so a template cannot change the context shared by many documents;
    strict, so a mistyped name is an error; no ``lipsum`` (nothing a report needs).
    """

    intercepted_binops = frozenset({"*", "**"})

    def __init__(self, xml: bool = True):
        super().__init__(autoescape=xml, undefined=jinja2.StrictUndefined,
                         finalize=_xml_text if xml else _plain_text)
        self.filters.update({name: _strict(f) for name, f in FILTERS.items()})
        for name in UNSAFE_FILTERS:
            self.filters.pop(name, None)
        self.globals.pop("lipsum", None)

    def _parse(self, source, name, filename):
        tree = super()._parse(source, name, filename)
        _refuse_unsafe_nodes(tree, name)
        return tree

    def call_binop(self, context, operator, left, right):
        _limit(operator, left, right)
        return super().call_binop(context, operator, left, right)


def make_environment() -> ImmutableSandboxedEnvironment:
    """The sandboxed, autoescaping, strict Jinja environment every template runs in."""
    return _ReportEnvironment()


class _CachingEnvironment(_ReportEnvironment):
    """A sandbox that compiles each distinct template source once."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._compiled: dict[str, jinja2.Template] = {}

    def from_string(self, source, globals=None, template_class=None):
        if globals or template_class or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        compiled = self._compiled.get(source)
        if compiled is None:
            compiled = self._compiled[source] = super().from_string(source)
        return compiled


class _Document(DocxTemplate):
    """docxtpl's document, remembering which part (and its Jinja source) failed.

    Properties render without XML escaping (python-docx escapes them); footnotes and
    endnotes render once each, where docxtpl renders footnotes once per section.
    """

    def __init__(self, data: bytes, properties_env: _ReportEnvironment):
        super().__init__(io.BytesIO(data))
        self.properties_env = properties_env
        self.failure: Optional[tuple[str, str]] = None  # (part name or label, its source)

    def render_xml_part(self, src_xml, part, context, jinja_env=None):
        try:
            return super().render_xml_part(src_xml, part, context, jinja_env)
        except Exception:
            # docxtpl starts each paragraph on a new line: Jinja's line numbers count them.
            source = re.sub(r"<w:p([ >])", r"\n<w:p\1", src_xml)
            self.failure = (getattr(part, "partname", "") or "", source)
            raise

    def render_properties(self, context, jinja_env=None):
        props = self.docx.core_properties
        for prop, label in _PROPERTIES.items():
            value = getattr(props, prop) or ""
            try:
                setattr(props, prop, self.properties_env.from_string(value).render(context))
            except Exception:
                self.failure = (f"文档属性（{label}）", value)
                raise

    def render_footnotes(self, context, jinja_env=None):
        for part in self.docx.part.package.iter_parts():
            if part.content_type not in _NOTES:
                continue
            xml = self.patch_xml(part.blob.decode("utf-8"))
            rendered = self.render_xml_part(xml, part, context, jinja_env).encode("utf-8")
            if isinstance(part, XmlPart):
                part._element = parse_xml(rendered)
            else:
                part._blob = rendered


class CompiledTemplate:
    """A Word template read once, rendering many documents.

    docxtpl normalises each part's XML the same way every time, so the normalised
    source is the cache key and Jinja compiles each part once per template.
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        try:
            self._bytes = _standard_relationships(self.path.read_bytes())
            DocxTemplate(io.BytesIO(self._bytes)).init_docx()
        except FileNotFoundError:
            raise TemplateError(f"找不到模板文件：{self.path}") from None
        except Exception as exc:  # a corrupt or non-Word file
            raise TemplateError(f"模板不是有效的Word文档（.docx）：{self.path}（{exc}）") from None
        self.env = _CachingEnvironment()
        self._properties_env = _CachingEnvironment(xml=False)

    def render_bytes(self, context: dict[str, Any]) -> bytes:
        """Render ``context`` into a complete .docx, returned as bytes."""
        doc = _Document(self._bytes, self._properties_env)
        try:
            doc.render(context, jinja_env=self.env, autoescape=True)
        except Exception as exc:  # any failure inside a template is the template's to report
            raise self._error(doc, exc, context) from exc
        out = io.BytesIO()
        doc.save(out)
        return normalise_package(out.getvalue())

    def _error(self, doc: _Document, exc: Exception, context: dict[str, Any]) -> TemplateError:
        message, name = _explain(exc, context)
        where = _where(self._bytes, doc.failure, _template_line(exc), name)
        return TemplateError(f"模板 {self.path.name} 无法生成文档：", [Problem(where, message)])


# ---- explaining a failure ----------------------------------------------------------------


def _template_line(exc: BaseException) -> Optional[int]:
    """The line of the template source where ``exc`` arose, if Jinja recorded it."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return exc.lineno
    line, tb = None, exc.__traceback__
    while tb is not None:  # Jinja rewrites tracebacks so template frames carry template lines
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _undefined(message: str, context: dict[str, Any]) -> tuple[str, Optional[str]]:
    match = re.fullmatch(r"'(.+?)' is undefined", message)
    if match:
        name = match.group(1)
        near = difflib.get_close_matches(name, [str(k) for k in context], n=1, cutoff=0.6)
        hint = f"，是否应为 “{near[0]}”？" if near else ""
        return f"未定义的变量 “{name}”{hint}", name
    match = re.search(r"has no (?:attribute|element) '?(.+?)'?$", message)
    if match:
        name = match.group(1)
        return f"数据中没有名为 “{name}” 的项（{message}）", name
    return f"使用了未定义的名称（{message}）", None


def _explain(exc: Exception, context: dict[str, Any]) -> tuple[str, Optional[str]]:
    """(Chinese message, the name involved if any) for a rendering failure."""
    if isinstance(exc, SecurityError):
        attr = re.search(r"attribute '(.+?)'", str(exc))
        return f"模板试图做不允许的操作，已被阻止（{exc}）", attr.group(1) if attr else None
    if isinstance(exc, jinja2.UndefinedError):
        return _undefined(exc.message or "", context)
    if isinstance(exc, jinja2.TemplateSyntaxError):
        unknown = re.fullmatch(r"No (filter|test) named '(.+?)'.*", exc.message or "", re.S)
        if unknown and unknown.group(2) in UNSAFE_FILTERS:
            return f"出于安全考虑，不能使用过滤器 “{unknown.group(2)}”", unknown.group(2)
        if unknown:
            what = "过滤器" if unknown.group(1) == "filter" else "判断"
            return f"未知的{what} “{unknown.group(2)}”", unknown.group(2)
        return f"标签写法有误：{exc.message}", None
    if isinstance(exc, jinja2.TemplateError):
        return f"模板有误：{exc}", None
    if isinstance(exc, _TextError):
        return str(exc), None
    if isinstance(exc, ReportgenError):  # a filter's own message, already in Chinese
        return exc.summary, None
    return f"生成时出错（{type(exc).__name__}：{exc}）", None


def _where(template: bytes, failure: Optional[tuple[str, str]], line: Optional[int],
           name: Optional[str]) -> str:
    """Where in the document a failure happened, as a clerk would find it."""
    if failure is None:
        return ""
    part, source = failure
    if part.startswith("文档属性"):  # a document property: its label and value
        return f"{part}「{source[:40]}」"
    lines = re.split(r"\r\n|\r|\n", source)  # as Jinja counts lines
    text = lines[line - 1] if line and 0 < line <= len(lines) else ""
    text = html.unescape(re.sub(r"<[^>]+>", "", text))
    # Imported here: template_check reads documents, and itself uses this module.
    from reportgen.template_check.document import locate
    found = locate(template, part.lstrip("/"), name, text)
    if found:
        return found
    return f"{part.lstrip('/')}中含有「{text.strip()[:40]}」的段落" if text.strip() else part.lstrip("/")


# ---- writing -----------------------------------------------------------------------------

_EPOCH = (1980, 1, 1, 0, 0, 0)


def normalise_package(data: bytes) -> bytes:
    """The same .docx with fixed entry timestamps, so equal input gives equal bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, src.read(item.filename))
    return out.getvalue()


def write_atomically(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` so that it appears complete or not at all."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp's 0600 would hide reports from colleagues
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
    return path
