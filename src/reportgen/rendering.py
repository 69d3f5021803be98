"""Rendering: a context and a Word template become a .docx, safely.

Templates are untrusted: they run in Jinja's immutable sandbox
(:mod:`reportgen.template_check.sandbox`), cannot include other files or switch
autoescaping off, and undefined names are errors, never blank text. Every data string
reaches the document exactly as given: autoescaped for XML, line breaks as line breaks,
braces kept from docxtpl's own ``{_{`` post-processing; an empty optional text (none)
as no text. A template file is read, checked and compiled once (:class:`CompiledTemplate`)
and renders any number of documents: one whose tags do not fit together is refused
before any document, since it would render with content silently lost. An error names
what is wrong, in Chinese, and where in the document (part, paragraph or table cell,
the very tag). The body, tables, headers, footers, footnotes and endnotes are rendered.
Output is written atomically: complete, or not at all.

The dependency runs one way: rendering uses :mod:`reportgen.template_check` to read
templates; template_check never imports rendering.
"""
from __future__ import annotations

import difflib
import html
import io
import os
import re
import tempfile
import zipfile
from pathlib import Path
from typing import Any, Optional

import jinja2
from docx.opc.oxml import parse_xml
from docx.opc.part import XmlPart
from docxtpl import DocxTemplate
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from markupsafe import Markup, escape

from reportgen.errors import Problem, ReportgenError, TemplateError
from reportgen.template_check import structural_problems, wrong_kind
from reportgen.template_check.document import locate
from reportgen.template_check.sandbox import (UNSAFE_FILTERS, FilterError, SandboxEnvironment,
                                             syntax_message)

__all__ = ["UNSAFE_FILTERS", "CompiledTemplate", "make_environment", "normalise_package",
           "write_atomically"]

# The characters XML 1.0 cannot hold (loading refuses them too); Word would reject the file.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# docxtpl turns "{_{" into "{{" after rendering and footnotes may be rendered again, so
# braces from data go out as character references, which XML reads back as braces.
_BRACES = {ord("{"): "&#123;", ord("}"): "&#125;"}
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
    """Jinja ``finalize`` for document XML: the value as escaped, brace-safe XML text;
    an empty value (none: the data lacks an optional text) as no text at all."""
    if value is None:
        return Markup("")
    if hasattr(value, "__html__"):  # already markup (``|e``, a block ``set``)
        return Markup(_checked(str(value.__html__())).translate(_BRACES))
    text = _checked(str(value)).replace("\r\n", "\n").replace("\r", "\n")
    # docxtpl turns "\n" into <w:br/>; a bare CR would be read back by XML as "\n" text.
    return Markup(str(escape(text)).translate(_BRACES))


def _plain_text(value: Any) -> str:
    """Jinja ``finalize`` for document properties, which python-docx escapes itself."""
    return "" if value is None else _checked(str(value))


class _ReportEnvironment(SandboxEnvironment):
    """The sandbox with output written as Word XML (or, for document properties, as
    plain text, which python-docx escapes itself)."""

    def __init__(self, xml: bool = True):
        super().__init__(autoescape=xml, finalize=_xml_text if xml else _plain_text)


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

    A template whose tags do not fit together (a block opened with ``{%p`` and closed
    with ``{%``, an unclosed ``{{``, a tag across paragraphs, an unpaired ``{%tr %}``,
    a tag Word split across the edge of a revision or hyperlink)
    would render with content silently lost, so it is refused here, once, with every
    such mistake located (see :func:`reportgen.template_check.structural_problems`).
    Names are not checked here: whether a name exists depends on the data.

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
        except IsADirectoryError:
            raise TemplateError(f"模板应为 .docx 文件，{self.path} 是文件夹") from None
        except Exception:  # a corrupt or non-Word file: what python-docx says means nothing to a clerk
            raise TemplateError(f"模板不是有效的Word文档（.docx）：{self.path}。请在Word或WPS中打开后"
                                f"另存为“Word文档（*.docx）”") from None
        self.env = _CachingEnvironment()
        self._properties_env = _CachingEnvironment(xml=False)
        self._refuse_broken_structure()

    def _refuse_broken_structure(self) -> None:
        problems = structural_problems(self._bytes, self.env)
        if problems:
            raise TemplateError(f"模板 {self.path.name} 无法生成文档：",
                                [Problem(f"{p.place}{p.text}", p.message) for p in problems])

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
        if isinstance(exc, jinja2.UndefinedError) and name is not None:
            kinds = wrong_kind(self._bytes, name, context)  # only now: it reads the whole template
            if kinds:
                return TemplateError(f"模板 {self.path.name} 是“{kinds[0]}”的模板，不能用于“{kinds[1]}”")
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
        return f"数据中没有名为 “{match.group(1)}” 的项", match.group(1)
    return "使用了数据中没有的名称", None


def _security(exc: SecurityError) -> tuple[str, Optional[str]]:
    attr = re.search(r"attribute '(.+?)'", str(exc))
    if attr:
        return f"模板试图做不允许的操作，已被阻止（不能使用 “{attr.group(1)}”）", attr.group(1)
    own = f"（{exc}）" if re.search(r"[\u4e00-\u9fff]", str(exc)) else ""  # the sandbox's own words
    return f"模板试图做不允许的操作，已被阻止{own}", None


#: other failures → what they mean, in the order tried.
_FAILURES = ((ZeroDivisionError, "除数为零"), (TypeError, "数值类型不符（例如对空值 none 做运算）"),
             (ArithmeticError, "数值运算无效"), ((KeyError, IndexError), "取不到所需的项"),
             (RecursionError, "嵌套过深"))


def _syntax(exc: jinja2.TemplateSyntaxError) -> tuple[str, Optional[str]]:
    message = exc.message or ""
    if re.search(r"[\u4e00-\u9fff]", message):  # the sandbox's own refusal
        return message, None
    unknown = re.match(r"No (filter|test) named '(.+?)'", message)
    if unknown and unknown[2] in UNSAFE_FILTERS:
        return f"出于安全考虑，不能使用过滤器 “{unknown[2]}”", unknown[2]
    if unknown:
        return f"未知的{'过滤器' if unknown[1] == 'filter' else '判断'} “{unknown[2]}”", unknown[2]
    return syntax_message(message)


def _explain(exc: Exception, context: dict[str, Any]) -> tuple[str, Optional[str]]:
    """(Chinese message, the name or expression involved if any) for a rendering failure."""
    if isinstance(exc, SecurityError):
        return _security(exc)
    if isinstance(exc, jinja2.UndefinedError):
        return _undefined(exc.message or "", context)
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return _syntax(exc)
    if isinstance(exc, jinja2.TemplateError):
        return "模板有误，请用 reportgen template-check 检查模板", None
    if isinstance(exc, FilterError):
        return exc.summary, exc.expression
    if isinstance(exc, (_TextError, ReportgenError)):  # already in Chinese
        return exc.summary if isinstance(exc, ReportgenError) else str(exc), None
    reason = next((text for kind, text in _FAILURES if isinstance(exc, kind)), "意外的错误")
    return f"生成时出错：{reason}", None


def _where(template: bytes, failure: Optional[tuple[str, str]], line: Optional[int],
           name: Optional[str]) -> str:
    """Where in the document a failure happened, as a clerk would find it: the tag that
    names ``name`` (a name or a filter expression) in the paragraph of ``line``."""
    if failure is None:
        return ""
    part, source = failure
    if part.startswith("文档属性"):  # a document property: its label and value
        return f"{part}「{source[:40]}」"
    lines = re.split(r"\r\n|\r|\n", source)  # as Jinja counts lines
    text = lines[line - 1] if line and 0 < line <= len(lines) else ""
    text = html.unescape(re.sub(r"<[^>]+>", "", text))
    found = locate(template, part.lstrip("/"), name, text)
    if found is None and name is not None:
        found = locate(template, part.lstrip("/"), None, text)
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
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as exc:  # name the file the user asked for, not our temporary one
        raise ReportgenError(f"无法写入 {path}：{exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp's 0600 would hide reports from colleagues
        os.replace(tmp, path)
    except IsADirectoryError:
        os.unlink(tmp)
        raise ReportgenError(f"无法写入 {path}：这是一个文件夹") from None
    except OSError as exc:
        os.unlink(tmp)
        raise ReportgenError(f"无法写入 {path}：{exc.strerror or exc}") from None
    except BaseException:
        os.unlink(tmp)
        raise
    return path
