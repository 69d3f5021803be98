"""Document kinds (文种): each declared once, read by every layer above.

A :class:`Kind` ties together what one kind of document is: its name in data files
(``"kind": "self-evaluation"``), its Chinese title, its model, the context builder and
the vocabulary its templates may use, its checker, and its default template. Templates
ship inside the wheel as ``reportgen/templates/<kind>/<name>.docx`` (in a source
checkout, the repository's ``templates/``).

Adding a kind means writing its model, context and checker modules, its template, and
one :func:`register` call at the bottom of this module; nothing else.

    >>> get("project-goals").title
    '项目支出绩效目标表'
    >>> [k.name for k in all_kinds()]
    ['self-evaluation', 'project-goals']
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Optional

from attrs import frozen

from reportgen.checking.project_goals import check_table
from reportgen.checking.self_evaluation import check_report
from reportgen.context import project_goals, self_evaluation
from reportgen.context.vocabulary import Name
from reportgen.errors import Problem, TemplateError, TemplateNotFoundError, did_you_mean, suggest
from reportgen.model import ProjectGoalTable, SelfEvaluationReport


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
        raise TemplateError(f"未知的文种 “{name}”" + _hint(name)) from None


def _hint(name: Any) -> str:
    hint = did_you_mean(suggest(name, _KINDS))
    return (f"，{hint}" if hint else "") + f"（可选：{'、'.join(_KINDS)}）"


def of_model(model: Any) -> Kind:
    """The kind whose model ``model`` is; ``TypeError`` for anything else."""
    for kind in _KINDS.values():
        if type(model) is kind.model:
            return kind
    raise TypeError(f"{type(model).__name__} is no document model: pass a model from reportgen.load")


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


#: endings of the Word packages a template may be (a .dotx or .docm is a .docx inside).
WORD_PACKAGES = (".docx", ".dotx", ".docm", ".dotm")
#: endings of documents that are no Word package, and what they are, for the message.
OTHER_FORMATS = {".doc": "旧版 Word 文档（.doc）", ".dot": "旧版 Word 模板（.dot）",
                 ".wps": "WPS 文字文档（.wps）", ".wpt": "WPS 文字模板（.wpt）",
                 ".odt": "OpenDocument 文档（.odt）", ".rtf": "RTF 文档（.rtf）", ".pdf": "PDF 文件"}


def _refuse_other_format(path: Path) -> None:
    what = OTHER_FORMATS.get(path.suffix.lower())
    if what:
        raise TemplateError(f"模板 {path.name} 是{what}，不能直接使用：请在 Word 或 WPS 中打开，"
                            f"另存为“Word 文档（*.docx）”后再用")


def resolve_template(model: Any, template: Optional[str | Path] = None,
                     base: Optional[Path] = None) -> Path:
    """The template file for ``model``: ``template`` if given (a path, or a shipped
    template's name), else the one its data names, else the kind's default. A relative
    path is looked for beside ``base`` (the data file's folder) when not found as given.
    A file that exists is a file, whatever its name says; a name with a Word ending or a
    folder is a path; anything else names a shipped template.

    Raises :class:`TemplateNotFoundError` (a ``FileNotFoundError``) naming what is there,
    and :class:`TemplateError` for a .doc, .wps or other file that is no Word package.
    """
    kind = of_model(model)
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
    suffix = candidate.suffix.lower()
    if suffix in WORD_PACKAGES or suffix in OTHER_FORMATS or len(candidate.parts) > 1:
        raise TemplateNotFoundError(f"找不到模板文件：{candidate}")
    path = templates_dir() / kind.name / f"{name}.docx"
    if not path.is_file():
        available = "、".join(p.stem for p in shipped(kind.name)) or "（无）"
        hint = did_you_mean(suggest(name, [p.stem for p in shipped(kind.name)]))
        raise TemplateNotFoundError(f"没有名为 “{name}” 的{kind.title}模板（可用：{available}）"
                                    + (f"，{hint}" if hint else ""))
    return path


# ---- the kinds ---------------------------------------------------------------------------

register(Kind("self-evaluation", "部门整体支出绩效自评报告", SelfEvaluationReport,
              self_evaluation.self_evaluation_context, self_evaluation.NAMES, check_report, "guangzhou"))
register(Kind("project-goals", "项目支出绩效目标表", ProjectGoalTable,
              project_goals.project_goals_context, project_goals.NAMES, check_table, "default"))
