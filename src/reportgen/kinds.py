"""Document kinds (文种): each declared once, read by every layer above.

A :class:`Kind` ties together what one kind of document is: its name in data files
(``"kind": "self-evaluation"``), its Chinese title, its model, the context builder and
the vocabulary its templates may use, its checker, and its default template. Templates
ship inside the wheel as ``reportgen/templates/<kind>/<name>.docx`` (in a source
checkout, the repository's ``templates/``).

Adding a kind means writing its model, context and checker modules, its template, and
one :func:`register` call at the bottom of this module; nothing else.

One data file may give further documents than its kind's own: a department's
self-evaluation data also makes its 部门整体支出绩效自评表 and one 项目支出绩效自评表 per
project. Each is a :class:`Document` registered with :func:`register_document` under
the kind whose data it reads: a name (``--document department-table``), a title, the
template folder, and a function from the model to the contexts of the files it makes
(one, or one per item: :attr:`Document.many`). A document may share another kind's
templates and vocabulary (project-tables uses project-self-evaluation's).

    >>> get("project-goals").title
    '项目支出绩效目标表'
    >>> [k.name for k in all_kinds()]
    ['self-evaluation', 'project-goals', 'project-self-evaluation']
    >>> [d.name for d in documents_of("self-evaluation")]
    ['department-table', 'project-tables']
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Optional

from attrs import frozen

from reportgen.checking.project_goals import check_table
from reportgen.checking.self_evaluation import check_report
from reportgen.checking.tables import check_project_evaluation
from reportgen.context import project_goals, self_evaluation, tables
from reportgen.context.vocabulary import Name
from reportgen.docx.formats import OTHER_FORMATS, names_a_file
from reportgen.errors import Problem, TemplateError, TemplateNotFoundError, did_you_mean, suggest
from reportgen.model import ProjectGoalTable, ProjectSelfEvaluation, SelfEvaluationReport


@frozen
class Kind:
    """One document kind and everything each layer needs of it."""

    name: str  # as data files and --kind write it, e.g. "self-evaluation"
    title: str  # 文种名称, e.g. 部门整体支出绩效自评报告
    model: type  # the attrs class one data file becomes
    build_context: Callable[[Any], dict[str, Any]]  # model → what a template sees
    vocabulary: Name  # every name a template may reach, with its meaning
    check: Callable[[Any], list[Problem]]  # model → findings of ``reportgen check``
    default_template: str  # a shipped template's name under templates/<name>/


_KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    """Add ``kind`` to the registry (once per name)."""
    if kind.name in _KINDS:
        raise ValueError(f"document kind {kind.name!r} registered twice")
    _KINDS[kind.name] = kind
    return kind


def all_kinds() -> list[Kind]:
    """Every registered kind, in registration order."""
    return list(_KINDS.values())


def names() -> list[str]:
    """Every kind's name, in registration order."""
    return list(_KINDS)


def get(name: str) -> Kind:
    """The kind called ``name``; a :class:`TemplateError` names the known ones."""
    try:
        return _KINDS[name]
    except KeyError:
        raise _unknown(name, _KINDS) from None


def _unknown(name: Any, known) -> TemplateError:
    """The error for a kind (or template vocabulary) ``name`` that is none of ``known``."""
    hint = did_you_mean(suggest(name, known))
    return TemplateError(f"未知的文种 “{name}”" + (f"，{hint}" if hint else "") + f"（可选：{'、'.join(known)}）")


def of_model(model: Any) -> Kind:
    """The kind whose model ``model`` is; ``TypeError`` for anything else."""
    for kind in _KINDS.values():
        if type(model) is kind.model:
            return kind
    raise TypeError(f"{type(model).__name__} is no document model: pass a model from reportgen.load")


# ---- further documents from one kind's data -------------------------------------------------


@frozen
class Document:
    """A further document made from the data of kind :attr:`source`."""

    name: str  # as --document writes it, e.g. "department-table"
    title: str  # 文种名称, e.g. 部门整体支出绩效自评表
    source: str  # the kind whose data it reads, e.g. "self-evaluation"
    folder: str  # its templates are templates/<folder>/*.docx
    vocabulary: Name  # every name its templates may reach
    #: model → (name of the item, context) of each file it makes; the name is None
    #: for a single document
    build: Callable[[Any], list[tuple[Optional[str], dict[str, Any]]]]
    default_template: str
    many: bool = False  # one file per item (written into a folder) rather than one file


_DOCUMENTS: dict[tuple[str, str], Document] = {}


def register_document(document: Document) -> Document:
    """Add ``document`` to its source kind's further documents (once per name)."""
    key = (document.source, document.name)
    if key in _DOCUMENTS or document.source not in _KINDS:
        raise ValueError(f"document {document.name!r} of {document.source!r} registered twice or without its kind")
    _DOCUMENTS[key] = document
    return document


def documents_of(kind: str) -> list[Document]:
    """The further documents a ``kind``'s data makes, in registration order."""
    return [d for (source, _), d in _DOCUMENTS.items() if source == kind]


def all_documents() -> list[Document]:
    """Every further document of every kind, in registration order."""
    return list(_DOCUMENTS.values())


@frozen
class Vocabulary:
    """What a folder of templates may print: its folder's name (``--kind`` of template-check),
    the documents' title and the names with their meanings. One per kind, and one per
    further document whose templates have a folder of their own."""

    name: str
    title: str
    names: Name


def vocabularies() -> list[Vocabulary]:
    """Every template vocabulary: each kind's, then each further document's own."""
    found = {k.name: Vocabulary(k.name, k.title, k.vocabulary) for k in _KINDS.values()}
    for document in _DOCUMENTS.values():
        found.setdefault(document.folder, Vocabulary(document.folder, document.title, document.vocabulary))
    return list(found.values())


def vocabulary(name: str) -> Vocabulary:
    """The template vocabulary called ``name``; a :class:`TemplateError` names the known ones."""
    found = {v.name: v for v in vocabularies()}
    if name not in found:
        raise _unknown(name, found)
    return found[name]


def find_document(model: Any, name: str) -> Document:
    """The further document ``name`` of ``model``'s kind; a :class:`TemplateError` names
    the ones it has."""
    kind = of_model(model)
    found = _DOCUMENTS.get((kind.name, name))
    if found is None:
        known = [d.name for d in documents_of(kind.name)]
        hint = did_you_mean(suggest(name, known))
        raise TemplateError(f"{kind.title}的数据不能生成 “{name}”" + (f"，{hint}" if hint else "")
                            + f"（可选：{'、'.join(known) or '无'}）")
    return found


# ---- where templates live ------------------------------------------------------------------


def templates_dir() -> Path:
    """The folder holding one sub-folder of templates per document kind."""
    packaged = Path(__file__).resolve().parent / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "templates"


def shipped(kind: str) -> list[Path]:
    """Every template shipped for ``kind``."""
    return sorted((templates_dir() / kind).glob("*.docx"))


def _refuse_other_format(path: Path) -> None:
    what = OTHER_FORMATS.get(path.suffix.lower())
    if what:
        raise TemplateError(f"模板 {path.name} 是{what}，不能直接使用：请在 Word 或 WPS 中打开，"
                            f"另存为“Word 文档（*.docx）”后再用")


def resolve_template(model: Any, template: Optional[str | Path] = None,
                     base: Optional[Path] = None, document: Optional[str] = None) -> Path:
    """The template file for ``model``: ``template`` if given (a path, or a shipped
    template's name), else the one its data names, else the kind's default. A relative
    path is looked for beside ``base`` (the data file's folder) when not found as given.
    A file that exists is a file, whatever its name says; a name with a Word ending or a
    folder is a path; anything else names a shipped template. For a further ``document``
    the data's own template is not used: its default is the document's, and shipped
    names are looked up in its folder.

    Raises :class:`TemplateNotFoundError` (a ``FileNotFoundError``) naming what is there,
    and :class:`TemplateError` for a .doc, .wps or other file that is no Word package.
    """
    kind = of_model(model)
    folder, title = kind.name, kind.title
    if document is not None:
        further = find_document(model, document)
        folder, title = further.folder, further.title
        name = str(template or further.default_template)
    else:
        name = str(template or getattr(model, "template", None) or kind.default_template)
    candidate = Path(name)
    if not candidate.is_absolute() and base is not None and not candidate.exists() \
            and (base / candidate).exists():
        candidate = base / candidate
    if candidate.is_file():
        _refuse_other_format(candidate)
        return candidate
    if candidate.is_dir():
        raise TemplateError(f"模板应为 .docx 文件，{candidate} 是文件夹")
    if names_a_file(name):
        raise TemplateNotFoundError(f"找不到模板文件：{candidate}")
    path = templates_dir() / folder / f"{name}.docx"
    if not path.is_file():
        available = "、".join(p.stem for p in shipped(folder)) or "（无）"
        hint = did_you_mean(suggest(name, [p.stem for p in shipped(folder)]))
        raise TemplateNotFoundError(f"没有名为 “{name}” 的{title}模板（可用：{available}）"
                                    + (f"，{hint}" if hint else ""))
    return path


# ---- the kinds ---------------------------------------------------------------------------

register(Kind("self-evaluation", "部门整体支出绩效自评报告", SelfEvaluationReport,
              self_evaluation.self_evaluation_context, self_evaluation.NAMES, check_report, "guangzhou"))
register(Kind("project-goals", "项目支出绩效目标表", ProjectGoalTable,
              project_goals.project_goals_context, project_goals.NAMES, check_table, "default"))
register(Kind("project-self-evaluation", "项目支出绩效自评表", ProjectSelfEvaluation,
              tables.project_self_evaluation_context, tables.PROJECT_NAMES, check_project_evaluation,
              "national"))

register_document(Document("department-table", "部门整体支出绩效自评表", "self-evaluation", "department-table",
                           tables.DEPARTMENT_NAMES, lambda r: [(None, tables.department_table_context(r))],
                           "default"))
register_document(Document("project-tables", "项目支出绩效自评表", "self-evaluation", "project-self-evaluation",
                           tables.PROJECT_NAMES, tables.project_tables, "national", many=True))
