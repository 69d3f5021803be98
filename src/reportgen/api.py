"""The public API: load data, build a template's context, check, render, lint templates.

Each function reads the document kind from :mod:`reportgen.kinds`, so it works for
every kind registered there. These are the names ``reportgen`` exports; the modules
below them are internal and may change.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

from reportgen import kinds, loading
from reportgen.checking import ordered
from reportgen.errors import Problem, ReportgenError
from reportgen.fastrender import prepared_template
from reportgen.rendering import write_atomically


def _models() -> dict[str, type]:
    return {kind.name: kind.model for kind in kinds.all_kinds()}


def loads(text: str, source: str = "数据") -> Any:
    """JSON text → the model of the document kind its ``"kind"`` key names.

    Raises :class:`~reportgen.errors.DataError` listing every problem with its JSON path.
    """
    return loading.loads(text, _models(), source)


def load(path: str | Path) -> Any:
    """A data file (UTF-8 JSON) → the model of its document kind (see :func:`loads`);
    a template path the data names is taken relative to the data file."""
    return loading.load(path, _models())


def context(model: Any) -> dict[str, Any]:
    """The dict a template sees for ``model``: every figure and sentence computed.
    Its names and meanings are listed in docs/template-guide.md."""
    return kinds.of_model(model).build_context(model)


def check(model: Any) -> list[Problem]:
    """Every finding about ``model`` (``reportgen check``), errors first, then by JSON path.
    Each is a :class:`~reportgen.errors.Problem` with severity, path and message."""
    return ordered(kinds.of_model(model).check(model))


def render_bytes(model: Any, template: Optional[str | Path] = None) -> bytes:
    """The rendered .docx of ``model`` as bytes (see :func:`render`)."""
    return prepared_template(kinds.resolve_template(model, template)).render_bytes(context(model))


def render(model: Any, out_path: str | Path, template: Optional[str | Path] = None) -> Path:
    """Render ``model`` into ``out_path`` (.docx) and return the path.

    ``template`` is a .docx path or a shipped template's name; by default the one the
    data names, else the kind's default. Nothing is written if rendering fails.
    """
    out_path = Path(out_path)
    if out_path.suffix.lower() != ".docx":  # Word would not open it under another name
        raise ReportgenError(f"输出文件应以 .docx 结尾：{out_path}")
    return write_atomically(out_path, render_bytes(model, template))
