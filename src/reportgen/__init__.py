"""reportgen: official budget-performance documents from typed data.

    >>> import reportgen
    >>> report = reportgen.load("samples/liwan-2023.json")      # doctest: +SKIP
    >>> reportgen.context(report)["budget"]["execution_rate"]  # doctest: +SKIP
    Decimal('97.85')
    >>> reportgen.render(report, "liwan.docx")                 # doctest: +SKIP

Layers, each importing only those below it: ``model`` (attrs declarations) →
``loading`` (JSON → model) and ``compute`` (figures and sentences) → ``context``
(the template vocabulary) → ``rendering`` (docxtpl in a sandbox) → ``cli``.
"""
from __future__ import annotations

from importlib import metadata as _metadata
from pathlib import Path
from typing import Any, Optional

from reportgen.checking import Finding, check
from reportgen.context import context
from reportgen.errors import DataError, ReportgenError, TemplateError
from reportgen.kinds import resolve_template
from reportgen.loading import load, loads

__all__ = ["DataError", "Finding", "ReportgenError", "TemplateError", "check", "context",
           "load", "loads", "render", "render_bytes"]
try:  # one version, the one pyproject.toml declares
    __version__ = _metadata.version("reportgen")
except _metadata.PackageNotFoundError:  # a source tree that is not installed
    __version__ = "0+unknown"


def render_bytes(model: Any, template: Optional[str | Path] = None) -> bytes:
    """The rendered .docx of ``model`` as bytes (see :func:`render`). Safe to call from
    many threads at once."""
    # The engine (python-docx, docxtpl) is imported only when a document is rendered.
    from reportgen.engine import UndefinedNameError, default_store
    path = resolve_template(model, template)
    values = context(model)
    try:
        return default_store.get(path).render_bytes(values)
    except UndefinedNameError as exc:  # perhaps a template of another kind of document
        from reportgen.template_check import wrong_kind  # reads the whole template: only now
        kinds = wrong_kind(path.read_bytes(), exc.name, values)
        if kinds:
            raise TemplateError(f"模板 {path.name} 是“{kinds[0]}”的模板，不能用于“{kinds[1]}”") from None
        raise


def render(model: Any, out_path: str | Path, template: Optional[str | Path] = None) -> Path:
    """Render ``model`` into ``out_path`` (.docx) and return the path.

    ``template`` is a .docx path or a shipped template's name; by default the one the
    data names, else the kind's default. Nothing is written if rendering fails.
    """
    out_path = Path(out_path)
    if out_path.suffix.lower() != ".docx":  # Word would not open it under another name
        raise ReportgenError(f"输出文件应以 .docx 结尾：{out_path}")
    from reportgen.docx.files import write_atomically
    return write_atomically(out_path, render_bytes(model, template))
