"""Errors reportgen reports to its users, with messages in Chinese.

A :class:`ReportgenError` is the user's to fix (bad data, a bad template, a missing
tool); the command line prints it without a traceback and exits with status 2.
"""
from __future__ import annotations

from typing import NamedTuple


class Problem(NamedTuple):
    """One thing wrong with the input: where (a JSON path or template place) and what."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class ReportgenError(Exception):
    """Something the user must fix; ``problems`` lists each one with its place."""

    def __init__(self, summary: str, problems: list[Problem] | None = None):
        self.summary = summary
        self.problems = list(problems or [])
        super().__init__(self.__str__())

    def __str__(self) -> str:
        lines = [self.summary] + [f"  {p}" for p in self.problems]
        return "\n".join(lines)


class DataError(ReportgenError):
    """The data file is malformed or does not fit the model (数据文件有误)."""


class TemplateError(ReportgenError):
    """The Word template cannot be read or rendered (模板有误)."""


class ToolMissingError(ReportgenError):
    """An outside program, such as LibreOffice, is not installed."""
