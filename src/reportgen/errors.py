"""Problems and errors: one record for whatever is wrong, rendered to Chinese in one place.

Data errors (a JSON path), ``reportgen check`` findings (a JSON path and a severity) and
template problems (a place in the Word document) are all :class:`Problem` records:
*where* as structure first, then the Chinese *message*, its *severity* and an optional
*hint* (the nearest known name, say). :func:`suggest` finds that nearest name for every
layer, with one cut-off.

A :class:`ReportgenError` is the user's to fix (bad data, a bad template, a missing
tool); the command line prints it without a traceback and exits with status 2. Each
error is also of its standard library category: :class:`DataError` and
:class:`TemplateError` are ``ValueError``; a missing template is a ``FileNotFoundError``.

    >>> p = Problem("$.department.functons", "未知的键 “functons”", hint=did_you_mean("functions"))
    >>> p.where.steps, str(p)
    (('department', 'functons'), '$.department.functons: 未知的键 “functons”，是否应为 “functions”？')
"""
from __future__ import annotations

import difflib
import errno
import re
from typing import Any, Iterable, Optional, Union

from attrs import field, frozen

#: severities of a :class:`Problem`, and how a clerk reads them. A notice says what is
#: done as the clerk would expect it (template-check lists it without failing).
ERROR, WARNING, NOTICE = "error", "warning", "notice"
SEVERITY_LABELS = {ERROR: "错误", WARNING: "警告", NOTICE: "提示"}

#: how close a name must be to a known one to be suggested (difflib's ratio).
SUGGESTION_CUTOFF = 0.6


def suggest(name: Any, known: Iterable[Any], cutoff: float = SUGGESTION_CUTOFF) -> Optional[str]:
    """The known name nearest to ``name``, or None when none is near enough.

    >>> suggest("functons", ["functions", "units"]), suggest("xyz", ["functions"])
    ('functions', None)
    """
    if not isinstance(name, str):
        return None
    found = difflib.get_close_matches(name, sorted(str(k) for k in known), n=1, cutoff=cutoff)
    return found[0] if found else None


def did_you_mean(near: Optional[str]) -> Optional[str]:
    """The hint that proposes ``near`` (None stays None).

    >>> did_you_mean("year")
    '是否应为 “year”？'
    """
    return None if near is None else f"是否应为 “{near}”？"


_STEP = re.compile(r"\.([^.\[\]]+)|\[(\d+)\]|\[\"([^\"]*)\"\]")


@frozen
class DataPath:
    """A place in a data file, as JSONPath writes it: ``$.indicators[3].target``.

    >>> DataPath.parse("$.indicators[3].target").steps
    ('indicators', 3, 'target')
    >>> DataPath.parse('$.figures["a/b.c"].x').steps
    ('figures', 'a/b.c', 'x')
    >>> str(DataPath(("prose", "a b")).child(0))
    '$.prose.a b[0]'
    """

    steps: tuple[Union[str, int], ...] = field(default=(), converter=tuple)

    @classmethod
    def parse(cls, text: str) -> "DataPath":
        """The path written as ``text`` ("$", "$.a[0].b")."""
        # findall gives "" for a group that did not take part: a quoted step has no name
        return cls(tuple(int(i) if i else (name or quoted)
                         for name, i, quoted in _STEP.findall(text.removeprefix("$"))))

    def child(self, *steps: Union[str, int]) -> "DataPath":
        return DataPath(self.steps + steps)

    def __str__(self) -> str:
        return "$" + "".join(f"[{s}]" if isinstance(s, int) else f".{s}" for s in self.steps)


@frozen
class TemplatePlace:
    """A place in a Word template as a clerk finds it: ``label`` ("正文第3段",
    "正文表格1第2行第3列", "页脚"), the text around the problem in 「」, and the same
    as fields: the package ``part``, the paragraph (1-based, within its cell), the
    table, row and column (1-based, None outside tables), the tag as written and the
    problem's offset in the paragraph's text."""

    label: str
    excerpt: str = ""
    part: str = ""
    paragraph: Optional[int] = None
    table: Optional[int] = None
    row: Optional[int] = None
    column: Optional[int] = None
    tag: str = ""
    start: int = 0

    def __str__(self) -> str:
        return f"{self.label}{self.excerpt}"


@frozen
class Place:
    """A place named in words only (a file, a document property, a worksheet cell)."""

    label: str

    def __str__(self) -> str:
        return self.label


@frozen
class CellPlace:
    """A worksheet cell of a data workbook: ``sheet`` ("绩效指标"), ``cell`` in Excel's
    A1 notation ("E7") and the column's ``header`` ("实际完成值"), rendered as a clerk
    finds it in Excel or WPS.

    >>> str(CellPlace("绩效指标", "E7", "实际完成值"))
    '绩效指标!E7（实际完成值）'
    """

    sheet: str
    cell: str
    header: str = ""

    def __str__(self) -> str:
        return f"{self.sheet}!{self.cell}" + (f"（{self.header}）" if self.header else "")


Where = Union[DataPath, TemplatePlace, Place, CellPlace]


def _where(value: Union[Where, str, None]) -> Where:
    # "$…" is a JSON path; any other text names a place in words.
    if isinstance(value, str):
        return DataPath.parse(value) if value.startswith("$") else Place(value)
    return Place("") if value is None else value


@frozen
class Problem:
    """One thing wrong with the input: where, what (in Chinese), how serious, a hint.

    >>> str(Problem("$.budget", "基本支出与项目支出之和与支出总额相差0.01万元", WARNING))
    '$.budget: 基本支出与项目支出之和与支出总额相差0.01万元'
    >>> Problem("$.budget", "x", WARNING).describe()
    '警告 $.budget: x'
    """

    where: Where = field(converter=_where)
    message: str
    severity: str = ERROR
    hint: Optional[str] = None

    @property
    def path(self) -> str:
        """Where, as text: a JSON path, or a place in words."""
        return str(self.where)

    def __str__(self) -> str:
        text = self.message + (f"，{self.hint}" if self.hint else "")
        where = str(self.where)
        if not where:
            return text
        return f"{where}: {text}" if isinstance(self.where, DataPath) else f"{where}：{text}"

    def describe(self) -> str:
        """The problem with its severity first, as ``reportgen check`` prints it."""
        return f"{SEVERITY_LABELS.get(self.severity, self.severity)} {self}"

    def to_dict(self) -> dict[str, Any]:
        """The problem for programs: severity, path, message, and hint when there is one."""
        out: dict[str, Any] = {"severity": self.severity, "path": self.path, "message": self.message}
        if self.hint:
            out["hint"] = self.hint
        return out


class ReportgenError(Exception):
    """Something the user must fix; ``problems`` lists each one with its place."""

    def __init__(self, summary: str, problems: Optional[Iterable[Problem]] = None):
        self.summary = summary
        self.problems = list(problems or [])
        super().__init__(self.__str__())

    def __str__(self) -> str:
        return "\n".join([self.summary] + [f"  {p}" for p in self.problems])


class DataError(ReportgenError, ValueError):
    """The data file is malformed or does not fit the model (数据文件有误)."""


class TemplateError(ReportgenError, ValueError):
    """The Word template cannot be read or rendered (模板有误)."""


class TemplateNotFoundError(TemplateError, FileNotFoundError):
    """The template named does not exist (找不到模板)."""


class Notice(UserWarning):
    """Something reportgen did that the user should know, issued with
    :func:`warnings.warn`; the command line prints it in Chinese ("注意：…")."""


class DataNotice(Notice):
    """Something done to read the data (a file read as GBK, say)."""


class TemplateNotice(Notice):
    """Something in the template that does not reach the report as it is (an external
    link removed, a comment dropped, a section break moved)."""


class OutputNotice(Notice):
    """Something about the files a rendering leaves in its output folder (a table of a
    project no longer in the data deleted, or kept because a clerk changed it)."""


class ToolMissingError(ReportgenError, FileNotFoundError):
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
    errno.EDQUOT: "磁盘配额已用完",
    errno.EFBIG: "文件太大",
    errno.EBUSY: "文件正被占用",
    errno.ETXTBSY: "文件正被占用",
    errno.ELOOP: "路径中的链接循环指向自身",
    errno.EMFILE: "同时打开的文件过多",
    errno.EIO: "磁盘读写出错",
    errno.EINVAL: "文件名无效",
}


def os_reason(exc: OSError) -> str:
    """Why an operating-system call failed, in Chinese, never in the system's English.

    >>> os_reason(FileNotFoundError(errno.ENOENT, "No such file or directory"))
    '文件或文件夹不存在'
    >>> os_reason(OSError(errno.ENOTSUP, "Operation not supported"))
    '系统错误（errno 95）'
    """
    reason = _OS_REASONS.get(exc.errno)
    if reason:
        return reason
    # Never the system's English words alone: the number lets a technician look it up.
    return f"系统错误（errno {exc.errno}）" if exc.errno else "系统错误"
