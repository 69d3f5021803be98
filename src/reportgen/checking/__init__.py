"""``reportgen check``: findings about a data file that a clerk should fix.

Each document kind has its checker, found by the model's class name in
:data:`CHECKERS` (``module:function``, imported when first needed). A checker returns
:class:`~reportgen.checking.findings.Finding` objects: severity, JSON path, message.
"""
from __future__ import annotations

import importlib
import re
from typing import Any

from reportgen.checking.findings import ERROR, WARNING, Finding

__all__ = ["CHECKERS", "ERROR", "WARNING", "Finding", "check"]

#: model class name → "module:function" returning list[Finding].
CHECKERS = {
    "SelfEvaluationReport": "reportgen.checking.self_evaluation:check_report",
    "ProjectGoalTable": "reportgen.checking.project_goals:check_table",
}


def check(model: Any) -> list[Finding]:
    """Every finding about ``model``, errors first, then by JSON path."""
    target = CHECKERS.get(type(model).__name__)
    if target is None:
        raise TypeError(f"no checker for {type(model).__name__}")
    module, function = target.split(":")
    findings = getattr(importlib.import_module(module), function)(model)
    return sorted(findings, key=lambda f: (f.severity != ERROR, _natural(f.path)))


def _natural(path: str) -> list:
    """Sort key that puts $.indicators[5] before $.indicators[18]."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", path)]
