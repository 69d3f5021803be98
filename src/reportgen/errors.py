"""Errors reportgen reports to its users, with messages in Chinese.

A :class:`ReportgenError` is the user's to fix (bad data, a bad template, a missing
tool); the command line prints it without a traceback and exits with status 2.
"""
from __future__ import annotations

import errno
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


#: errno → what it means for a file the user named, in Chinese.
_OS_REASONS = {
    errno.ENOENT: "文件或文件夹不存在",
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.EROFS: "磁盘只读",
    errno.ENOSPC: "磁盘空间不足",
    errno.EISDIR: "这是一个文件夹",
    errno.ENOTDIR: "路径中有一项不是文件夹",
    errno.ENAMETOOLONG: "文件名太长",
    errno.EEXIST: "文件已存在",
}


def os_reason(exc: OSError) -> str:
    """Why an operating-system call failed, in Chinese where we know the words.

    >>> os_reason(FileNotFoundError(errno.ENOENT, "No such file or directory"))
    '文件或文件夹不存在'
    """
    return _OS_REASONS.get(exc.errno, exc.strerror or str(exc))
