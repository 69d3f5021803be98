"""The public API: load data (a JSON file, a workbook, or a program's dict), turn a model
back into plain data, build a template's context, check, render.

Each function reads the document kind from :mod:`reportgen.kinds`, so it works for
every kind registered there. These are the names ``reportgen`` exports; the modules
below them are internal and may change.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Mapping, Optional, Union

from reportgen import kinds, loading, workbook
from reportgen.loading.dumping import unstructure
from reportgen.model import ProjectGoalTable, SelfEvaluationReport
from reportgen.checking import ordered
from reportgen.errors import DataError, Problem, ReportgenError
from reportgen.fastrender import prepared_template
from reportgen.rendering import write_atomically


#: a document model: what :func:`load` and :func:`from_dict` return, one per kind.
Document = Union[SelfEvaluationReport, ProjectGoalTable]


def _models() -> dict[str, type]:
    return {kind.name: kind.model for kind in kinds.all_kinds()}


def loads(text: str, source: str = "数据") -> Document:
    """JSON text → the model of the document kind its ``"kind"`` key names.

    Raises :class:`~reportgen.errors.DataError` listing every problem with its JSON path.
    """
    return loading.loads(text, _models(), source)


def load(source: Union[str, bytes, Path]) -> Document:
    """A data file → the model of its document kind: a path to a JSON file or an Excel
    workbook (.xlsx, as ``reportgen init`` writes it), or JSON text, or the bytes of
    either. A template path the data names is taken relative to the data file.

    Raises :class:`~reportgen.errors.DataError` listing every problem, each with its JSON
    path or, in a workbook, its ``sheet!cell（header）``.
    """
    return load_located(source)[0]


def load_located(source: Union[str, bytes, Path]) -> tuple[Document, Callable[[Problem], Problem]]:
    """:func:`load`, with a function that moves a problem found later (``check``) from its
    JSON path to where the data was typed: the workbook cell, or the path itself."""
    if isinstance(source, bytes) and source.startswith(b"PK\x03\x04"):  # a zip package: a workbook
        return _load_workbook(source, "工作簿")
    if isinstance(source, (str, Path)) and Path(source).suffix.lower() in loading.WORKBOOK_SUFFIXES \
            and not loading.is_text(str(source)) and not Path(source).is_dir():
        path = Path(source)
        model, locate = _load_workbook(path, f"工作簿 {path.name} ")
        return loading.beside(model, path.parent), locate
    return loading.load(source, _models()), lambda problem: problem


def _load_workbook(source: Union[Path, bytes], name: str) -> tuple[Document, Callable[[Problem], Problem]]:
    data, places, problems = workbook.read(source, _models(), name)
    try:
        return loading.from_data(data, _models(), name, problems), places.locate
    except DataError as exc:  # a column left out is one problem, not one per row
        located = list(dict.fromkeys(places.locate(p) for p in exc.problems))
        raise DataError(f"{name}不符合要求（{len(located)}处）：", located) from None


def from_dict(mapping: Mapping[str, Any]) -> Document:
    """A program's mapping → the model of the kind its ``"kind"`` key names.

    Numbers may be Decimal, int or numeric strings ("12045.86"); a float only when it is
    exactly the decimal it prints as (0.5, not 0.1: say ``Decimal("0.1")``); tuples
    stand for lists. Every failure is a :class:`~reportgen.errors.DataError` whose
    problems name their JSON paths. ``from_dict(to_dict(m)) == m``.
    """
    return loading.from_python(mapping, _models())


def to_dict(model: Document) -> dict[str, Any]:
    """A model → plain JSON-ready data, ``"kind"`` first: dicts, lists, str, int, bool and
    Decimal (exact; write it with a JSON writer that keeps its digits, as ``reportgen
    export`` does). Fields that hold their default are left out. ``TypeError`` for
    anything that is no document model."""
    return {"kind": kinds.of_model(model).name, **unstructure(model)}


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
