"""The public API: load data (a JSON file, a workbook, or a program's dict), turn a model
back into plain data, build a template's context, check, render.

Each function reads the document kind from :mod:`reportgen.kinds`, so it works for
every kind registered there, and for the further documents a kind's data makes
(``document="department-table"``, ``document="project-tables"``: :func:`documents`). These are the names ``reportgen`` exports; the modules
below them are internal and may change.
"""
from __future__ import annotations

import json
import re
import warnings
import weakref
from pathlib import Path
from typing import Any, Callable, Mapping, Optional, Union

from reportgen import kinds, loading
from reportgen.loading.dumping import dumps, unstructure
from reportgen.model import ProjectGoalTable, SelfEvaluationReport
from reportgen.checking import ordered
from reportgen.errors import DataError, Problem, ReportgenError, TemplateError, TemplateNotice


#: a document model: what :func:`load` and :func:`from_dict` return, one per kind.
Document = Union[SelfEvaluationReport, ProjectGoalTable]


def _models() -> dict[str, type]:
    return {kind.name: kind.model for kind in kinds.all_kinds()}


def loads(text: Union[str, bytes], source: str = "数据") -> Document:
    """JSON text (or its UTF-8 bytes) → the model of the document kind its ``"kind"`` key
    names. Raises :class:`~reportgen.errors.DataError` listing every problem with its
    JSON path; a program's dict goes to :func:`from_dict`."""
    if isinstance(text, (bytes, bytearray)):
        return load(bytes(text))
    if not isinstance(text, str):
        raise DataError(f"无法读取{source}：应为 JSON 文字，实际为{type(text).__name__}"
                        + ("；程序中的数据请用 reportgen.from_dict" if isinstance(text, Mapping) else ""))
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
    from reportgen import workbook  # openpyxl, only when a workbook is read
    data, places, problems = workbook.read(source, _models(), name)
    try:
        return loading.from_data(data, _models(), name, problems), places.locate
    except DataError as exc:  # a column left out is one problem, not one per row
        located = _located(exc, places.locate)
        raise DataError(f"{name}不符合要求（{len(located.problems)}处）：", located.problems) from None


def _located(exc: DataError, locate: Callable[[Problem], Problem]) -> DataError:
    """``exc`` with each problem moved to where it was typed (:func:`load_located`), each place once."""
    return DataError(exc.summary, list(dict.fromkeys(locate(p) for p in exc.problems)))


def load_for_rendering(source: Union[str, Path], template: Optional[str | Path] = None,
                       document: Optional[str] = None) -> tuple[Document, Path]:
    """The model of the data file ``source`` and the template file to render it with
    (``template``, else the one the data names, relative to the data file, else the
    default: :func:`reportgen.kinds.resolve_template`), refusing data whose score figures
    cannot be (:func:`refuse_impossible`). Every problem is named where it was typed (a
    workbook's cell). Render with :func:`render_checked`, which does not refuse again."""
    model, locate = load_located(source)
    path = kinds.resolve_template(model, template, base=Path(source).parent, document=document)
    try:
        refuse_impossible(model, document)
    except DataError as exc:
        raise _located(exc, locate) from None
    return model, path


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


def to_json(model: Document) -> str:
    """A model as the JSON text of its data file (``"kind"`` first, numbers digit for
    digit: 12045.86 stays 12045.86), which :func:`loads` reads back to an equal model."""
    return dumps(to_dict(model))


def context(model: Any) -> dict[str, Any]:
    """The dict a template sees for ``model``: every figure and sentence computed.
    Its names and meanings are listed in docs/template-guide.md."""
    return kinds.of_model(model).build_context(model)


def check(model: Any) -> list[Problem]:
    """Every finding about ``model`` (``reportgen check``), errors first, then by JSON path.
    Each is a :class:`~reportgen.errors.Problem` with severity, path and message."""
    return ordered(kinds.of_model(model).check(model))


def documents(model: Any) -> list[str]:
    """The further documents ``model``'s data makes beside its own, by the names
    ``document=`` takes: a self-evaluation's ``department-table`` and ``project-tables``."""
    return [d.name for d in kinds.documents_of(kinds.of_model(model).name)]


def contexts(model: Any, document: Optional[str] = None) -> list[tuple[Optional[str], dict[str, Any]]]:
    """(item name, context) of each file ``document`` makes from ``model``: its own
    document by default ([(None, context)]), else a further one (see :func:`documents`):
    one per project for ``project-tables``. A :class:`~reportgen.errors.TemplateError`
    names the documents there are when ``document`` is none of them."""
    if document is None:
        return [(None, context(model))]
    return kinds.find_document(model, document).build(model)


def render_bytes(model: Any, template: Optional[str | Path] = None,
                 document: Optional[str] = None, time_limit: Optional[float] = None) -> bytes:
    """The rendered .docx of ``model`` (or of its further single ``document``) as bytes
    (see :func:`render`)."""
    refuse_impossible(model, document)
    (item,) = _single(model, document)
    return _render(model, template, document, item[1], time_limit)


def refuse_impossible(model: Any, document: Optional[str] = None) -> None:
    """A :class:`~reportgen.errors.DataError` naming each place where the figures of the
    score the document would print cannot be (weights not adding up to 100, a score
    above its points, a total above 100: :mod:`reportgen.checking.impossible`), with
    the messages ``reportgen check`` gives; nothing when there is none."""
    from reportgen.checking.impossible import impossible
    found = ordered(impossible(model, document))
    if found:
        raise DataError(f"数据中的分值和得分有{len(found)}处不能成立，印出的得分会自相矛盾或有误，未生成文件"
                        f"（请改正后再生成；reportgen check 列出全部问题）：", found)


def _single(model: Any, document: Optional[str]) -> list[tuple[Optional[str], dict[str, Any]]]:
    if document is not None and kinds.find_document(model, document).many:
        raise ReportgenError(f"“{document}”为每个项目各生成一个文件：请用 render 并给出输出文件夹")
    return contexts(model, document)


def _render(model: Any, template: Optional[str | Path], document: Optional[str], ctx: dict,
            time_limit: Optional[float] = None) -> bytes:
    # The engine (python-docx, docxtpl) is imported only when a document is rendered.
    from reportgen.engine import UndefinedNameError, default_store
    path = kinds.resolve_template(model, template, document=document)
    prepared = default_store.get(path)
    _notice_carried(prepared)
    try:
        return prepared.render_bytes(ctx, time_limit)
    except UndefinedNameError as exc:  # perhaps a template of another kind of document
        from reportgen.template_check import wrong_kind  # reads the whole template: only now
        other = wrong_kind(path.read_bytes(), exc.name, ctx)
        if other:
            raise TemplateError(f"模板 {path.name} 是“{other[0]}”的模板，不能用于“{other[1]}”") from None
        raise


def _notice_carried(template) -> None:
    """A :class:`~reportgen.errors.TemplateNotice` when the template holds what the report
    will not carry as it is (external links removed, comments dropped …)."""
    carried = _carried(template)
    if carried:
        shown = "；".join(carried[:3]) + ("等" if len(carried) > 3 else "")
        warnings.warn(TemplateNotice(f"模板 {template.name} 中有{len(carried)}处内容不会原样进入报告（已删除或调整）："
                                     f"{shown}。详见 reportgen template-check"), stacklevel=4)


_CARRIED: "weakref.WeakKeyDictionary[Any, tuple[str, ...]]" = weakref.WeakKeyDictionary()


def _carried(template) -> tuple[str, ...]:
    """What of ``template`` a report does not carry as it is: worked out once per template
    in a process, and kept between runs (:mod:`reportgen.language.cache`)."""
    found = _CARRIED.get(template)
    if found is None:
        from reportgen.language.cache import read_entry, write_entry
        found = _kept_carried(read_entry(template.data, "carried"))
        if found is None:
            from reportgen.template_check.carried import carried_problems
            found = tuple(str(p) for p in carried_problems(template.data, template.parts))
            write_entry(template.data, "carried", json.dumps(found, ensure_ascii=False).encode("utf-8"))
        _CARRIED[template] = found
    return found


def _kept_carried(kept: Optional[bytes]) -> Optional[tuple[str, ...]]:
    try:
        found = json.loads(kept) if kept is not None else None
    except ValueError:  # an entry of another shape: worked out again
        return None
    return tuple(found) if isinstance(found, list) and all(isinstance(x, str) for x in found) else None


def _write(path: Path, data: bytes) -> Path:
    from reportgen.docx.files import write_atomically
    return write_atomically(path, data)


def render(model: Any, out_path: str | Path, template: Optional[str | Path] = None,
           document: Optional[str] = None, time_limit: Optional[float] = None) -> Path | list[Path]:
    """Render ``model`` into ``out_path`` (.docx) and return the path.

    ``template`` is a .docx path or a shipped template's name; by default the one the
    data names, else the kind's default. ``document`` names a further document of the
    data (:func:`documents`) with its own default template. A document made once per
    item (``project-tables``) is written into the folder ``out_path`` (made if need be),
    one ``NN-<项目名称>.docx`` per project in data order, and the list of paths is
    returned; a table the previous rendering of the same department and year wrote
    there for a project no longer in the data is deleted if unchanged since, else kept
    and named, as are tables of other data (:mod:`reportgen.outputs`). Nothing is written for a file whose rendering fails; every file is
    rendered before the first is written. Data whose score figures cannot be (weights
    not adding up to 100, a score above its points, a total above 100) is refused with
    a :class:`~reportgen.errors.DataError` naming each place (:func:`refuse_impossible`). ``time_limit``: seconds each document may
    take to render (default 30, :data:`reportgen.language.limits.DEFAULT_TIME_LIMIT`);
    a template over it, or over any other limit of that module, is a
    :class:`~reportgen.errors.TemplateError`.
    """
    refuse_impossible(model, document)
    return render_checked(model, out_path, template, document, time_limit)


def render_checked(model: Any, out_path: str | Path, template: Optional[str | Path] = None,
                   document: Optional[str] = None, time_limit: Optional[float] = None) -> Path | list[Path]:
    """:func:`render` for data :func:`refuse_impossible` has let through already (the
    command line refuses before it starts LibreOffice, and does not work it out twice)."""
    out_path = Path(out_path)
    if document is not None and kinds.find_document(model, document).many:
        return _render_many(model, out_path, template, document, time_limit)
    if out_path.suffix.lower() != ".docx":  # Word would not open it under another name
        raise ReportgenError(f"输出文件应以 .docx 结尾：{out_path}")
    (item,) = _single(model, document)
    return _write(out_path, _render(model, template, document, item[1], time_limit))


def _render_many(model: Any, folder: Path, template: Optional[str | Path], document: str,
                 time_limit: Optional[float] = None) -> list[Path]:
    if folder.suffix.lower() == ".docx":
        raise ReportgenError(f"“{document}”为每个项目各生成一个文件，输出应为文件夹，而不是 {folder}")
    items = contexts(model, document)
    if not items:
        raise ReportgenError(f"数据中没有可生成{kinds.find_document(model, document).title}的项目（projects 为空）")
    rendered = [(file_name(k, name), _render(model, template, document, ctx, time_limit))
                for k, (name, ctx) in enumerate(items, start=1)]
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise ReportgenError(f"输出文件夹 {folder} 已是一个文件") from None
    from reportgen.outputs import write_folder  # the folder keeps to the data (reportgen.outputs)
    return write_folder(folder, rendered, kinds.find_document(model, document).title, _whose(model))


def _whose(model: Any) -> dict[str, Any]:
    """The data a folder of tables is written for: its department and year, so that a
    rendering of other data into the same folder never deletes them."""
    department = getattr(model, "department", None)
    name = None if department is None else department.full_name
    return {"department": name, "year": getattr(model, "year", None)}


def file_name(number: int, name: Optional[str]) -> str:
    """"03-水旱灾害防御经费.docx": the item's number (data order) and name, with what
    Windows refuses in a file name (\\ / : * ? " < > | and control characters) made "_",
    cut to 60 characters.

    >>> file_name(3, "A/B: 经费?")
    '03-A_B_ 经费_.docx'
    """
    safe = re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", (name or "").strip())[:60].rstrip(" .")
    return f"{number:02d}-{safe}.docx"
