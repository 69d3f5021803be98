"""Where templates live and which one a document uses.

Templates ship inside the wheel as ``reportgen/templates/<kind>/<name>.docx``; in a
source checkout they are read from the repository's ``templates/`` folder.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

from reportgen.errors import TemplateError
from reportgen.model import ProjectGoalTable, SelfEvaluationReport

#: document kind (文种) → its title, as messages and the guide name it.
KIND_TITLES: dict[str, str] = {"self-evaluation": "部门整体支出绩效自评报告",
                               "project-goals": "项目支出绩效目标表"}

#: model class → (kind folder, default template name).
KIND_OF: dict[type, tuple[str, str]] = {SelfEvaluationReport: ("self-evaluation", "guangzhou"),
                                         ProjectGoalTable: ("project-goals", "default")}


def templates_dir() -> Path:
    """The folder holding one sub-folder of templates per document kind."""
    packaged = Path(__file__).resolve().parent / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "templates"


def shipped(kind: str) -> list[Path]:
    """Every template shipped for ``kind``."""
    return sorted((templates_dir() / kind).glob("*.docx"))


def resolve(model: Any, template: Optional[str | Path] = None, base: Optional[Path] = None) -> Path:
    """The template file for ``model``: ``template`` if given (a path, or a shipped
    template's name), else the one its data names, else the kind's default."""
    if type(model) not in KIND_OF:
        raise TypeError(f"no template for {type(model).__name__}: pass a model from reportgen.load")
    kind, default = KIND_OF[type(model)]
    name = template or getattr(model, "template", None) or default
    candidate = Path(name)
    if candidate.suffix.lower() == ".docx" or len(candidate.parts) > 1:
        if not candidate.is_absolute() and base is not None and not candidate.exists():
            candidate = base / candidate
        if not candidate.is_file():
            raise TemplateError(f"找不到模板文件：{candidate}")
        return candidate
    path = templates_dir() / kind / f"{name}.docx"
    if not path.is_file():
        names = "、".join(p.stem for p in shipped(kind)) or "（无）"
        raise TemplateError(f"没有名为 \"{name}\" 的{kind}模板（可用：{names}）")
    return path
