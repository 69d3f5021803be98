"""The template context: the documented vocabulary a Word template may use.

:func:`context` turns a model into plain dicts, lists, strings and Decimals. Each
document kind has its builder and, declared once next to it, the tree of every name a
template may reach (:data:`NAMES`, see :mod:`.vocabulary`); :data:`VOCABULARIES` is its
top level (name → Chinese meaning). docs/template-guide.md is generated from them and
template-check resolves ``a.b.c`` against them, so what is documented is what exists.
"""
from __future__ import annotations

from typing import Any, Callable

from reportgen.context import project_goals, self_evaluation, tables
from reportgen.context.project_goals import project_goals_context
from reportgen.context.self_evaluation import self_evaluation_context
from reportgen.context.vocabulary import Name
from reportgen.model import ProjectGoalTable, ProjectSelfEvaluation, SelfEvaluationReport

#: model class → its context builder; each document kind adds its own.
BUILDERS: dict[type, Callable[[Any], dict[str, Any]]] = {
    SelfEvaluationReport: self_evaluation_context,
    ProjectGoalTable: project_goals_context,
    ProjectSelfEvaluation: tables.project_self_evaluation_context,
}

#: template folder (a document kind, or a further document's own folder) → the tree of
#: every name its templates may reach, with meanings.
NAMES: dict[str, Name] = {
    "self-evaluation": self_evaluation.NAMES,
    "project-goals": project_goals.NAMES,
    "project-self-evaluation": tables.PROJECT_NAMES,
    "department-table": tables.DEPARTMENT_NAMES,
}

#: document kind → {top-level name: Chinese meaning}.
VOCABULARIES: dict[str, dict[str, str]] = {
    "self-evaluation": self_evaluation.VOCABULARY,
    "project-goals": project_goals.VOCABULARY,
    "project-self-evaluation": tables.PROJECT_VOCABULARY,
    "department-table": tables.DEPARTMENT_VOCABULARY,
}


def context(model: Any) -> dict[str, Any]:
    """The dict a template sees for ``model`` (any document kind)."""
    try:
        builder = BUILDERS[type(model)]
    except KeyError:
        raise TypeError(f"no template context for {type(model).__name__}") from None
    return builder(model)
