"""A finding of ``reportgen check`` is an :class:`~reportgen.errors.Problem` at a JSON path.

    >>> str(finding(ERROR, "$.budget", "基本支出与项目支出之和与支出总额相差0.01万元").describe())
    '错误 $.budget: 基本支出与项目支出之和与支出总额相差0.01万元'
"""
from __future__ import annotations

import re
from typing import Iterable, Optional

from reportgen.errors import ERROR, WARNING, Problem

__all__ = ["ERROR", "WARNING", "Problem", "finding", "ordered"]


def finding(severity: str, path: str, message: str, hint: Optional[str] = None) -> Problem:
    """A problem of ``severity`` at the JSON ``path`` ("$.projects[0].executed")."""
    return Problem(path, message, severity, hint)


def ordered(findings: Iterable[Problem]) -> list[Problem]:
    """Errors first, then by JSON path, numbers in numeric order ($.a[5] before $.a[18])."""
    return sorted(findings, key=lambda f: (f.severity != ERROR, _natural(f.path)))


def _natural(path: str) -> list:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", path)]
