"""Rendering: a context and a Word template become a .docx, safely.

Templates are untrusted: they run in Jinja's sandbox with autoescape on (so ``&`` and
``<`` in data stay text) and undefined names are errors, never blank text. A template
file is read and compiled once (:class:`CompiledTemplate`) and renders any number of
documents. Output is written atomically: complete, or not at all.
"""
from __future__ import annotations

import io
import os
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import jinja2
from docxtpl import DocxTemplate
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from reportgen.errors import TemplateError
from reportgen.formatting import FILTERS


def make_environment() -> SandboxedEnvironment:
    """The sandboxed, autoescaping, strict Jinja environment every template runs in."""
    env = SandboxedEnvironment(autoescape=True, undefined=jinja2.StrictUndefined)
    env.filters.update(FILTERS)
    return env


class _CachingEnvironment(SandboxedEnvironment):
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


class CompiledTemplate:
    """A Word template read once, rendering many documents.

    docxtpl normalises each part's XML the same way every time, so the normalised
    source is the cache key and Jinja compiles each part once per template.
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        try:
            self._bytes = self.path.read_bytes()
            DocxTemplate(io.BytesIO(self._bytes)).init_docx()
        except FileNotFoundError:
            raise TemplateError(f"找不到模板文件：{self.path}") from None
        except Exception as exc:  # a corrupt or non-Word file
            raise TemplateError(f"模板不是有效的Word文档（.docx）：{self.path}（{exc}）") from None
        self.env = _CachingEnvironment(autoescape=True, undefined=jinja2.StrictUndefined)
        self.env.filters.update(FILTERS)

    def render_bytes(self, context: dict[str, Any]) -> bytes:
        """Render ``context`` into a complete .docx, returned as bytes."""
        doc = DocxTemplate(io.BytesIO(self._bytes))
        try:
            doc.render(context, jinja_env=self.env, autoescape=True)
        except SecurityError as exc:
            raise TemplateError(f"模板 {self.path.name} 试图访问不允许的内容：{exc}") from None
        except jinja2.UndefinedError as exc:
            raise TemplateError(f"模板 {self.path.name} 使用了未定义的名称：{exc.message}") from None
        except jinja2.TemplateError as exc:
            raise TemplateError(f"模板 {self.path.name} 有误：{exc}") from None
        out = io.BytesIO()
        doc.save(out)
        return normalise_package(out.getvalue())


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
