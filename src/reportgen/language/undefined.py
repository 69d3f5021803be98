"""Undefined names: strict, and failing with the name as structure and a Chinese message.

A template that reads a name the data lacks must fail, never print blank text nor the
word "Undefined" (its ``repr`` fails too: inside a list, under ``|pprint``). The
failure is an :class:`UndefinedName` carrying the name and whether it was an attribute
(``department.nmae``) or a variable (``nmae``), so callers suggest the nearest name or
diagnose a template of another kind without reading Jinja's English.

    >>> env = jinja2.Environment(undefined=ReportUndefined)
    >>> try:
    ...     env.from_string("{{ department.nmae }}").render(department={"name": "x"})
    ... except UndefinedName as exc:
    ...     print(exc.name, exc.attribute, exc.message)
    nmae True 数据中没有名为 “nmae” 的项
"""
from __future__ import annotations

from typing import Any, Optional

import jinja2
from jinja2.sandbox import SecurityError
from jinja2.utils import missing


class UndefinedName(jinja2.UndefinedError):
    """A template read ``name``, which the data does not have.

    ``attribute``: True for a name under another (``a.name``, ``a["name"]``), False for
    a top-level variable; ``name`` is None when Jinja did not say which name.
    """

    def __init__(self, name: Optional[str], attribute: bool):
        self.name, self.attribute = name, attribute
        if name is None:
            message = "使用了数据中没有的名称"
        elif attribute:
            message = f"数据中没有名为 “{name}” 的项"
        else:
            message = f"未定义的变量 “{name}”"
        super().__init__(message)


class RefusedName(SecurityError):
    """The sandbox refused the template ``name`` (``__class__``, a list's ``append`` …)."""

    def __init__(self, name: str):
        self.name = name
        super().__init__(f"模板试图做不允许的操作，已被阻止（不能使用 “{name}”：以下划线开头的"
                         f"和程序内部的属性一律不能访问）")


class ReportUndefined(jinja2.StrictUndefined):
    """:class:`jinja2.StrictUndefined` whose every use raises :class:`UndefinedName`, or
    :class:`RefusedName` for what the sandbox refused; other failures routed through it
    keep their own kind."""

    __slots__ = ()

    def _fail_with_undefined_error(self, *args: Any, **kwargs: Any):
        name = self._undefined_name
        if issubclass(self._undefined_exception, SecurityError) and isinstance(name, str):
            raise RefusedName(name)
        if self._undefined_exception is not jinja2.UndefinedError or self._undefined_hint:
            return super()._fail_with_undefined_error(*args, **kwargs)
        raise UndefinedName(None if name is None else str(name), self._undefined_obj is not missing)


# StrictUndefined binds Undefined's function itself to each operation (str, ==, +, …),
# but not to repr: a list literal, |pprint, |batch or |list of map would print "Undefined".
for _name in [*dir(jinja2.StrictUndefined), "__repr__"]:
    if getattr(jinja2.StrictUndefined, _name, None) is jinja2.Undefined._fail_with_undefined_error \
            or _name == "__repr__":
        setattr(ReportUndefined, _name, ReportUndefined._fail_with_undefined_error)
del _name
