"""cattrs' nested exceptions → a flat list of problems, each with its JSON path.

A path is written as in JSONPath (``$.indicators[3].target``); each message says what
was expected and shows the value found, and an unknown key names the nearest known one.
"""
from __future__ import annotations

from typing import Any

import attrs
from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError, IterableValidationError

from reportgen.errors import DataError, DataPath, Problem, did_you_mean, suggest
from reportgen.loading.hooks import CONVERTER, Invalid, show


def _lookup(data: Any, path: list) -> Any:
    for step in path:
        try:
            data = data[step]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _unknown_keys(exc: ForbiddenExtraKeysError, steps: list, out: list[Problem]) -> None:
    known = [f.name for f in attrs.fields(exc.cl)] if attrs.has(exc.cl) else []
    for key in sorted(exc.extra_fields):
        hint = did_you_mean(suggest(key, known)) or f"可用的键：{'、'.join(known)}"
        out.append(Problem(DataPath(steps + [key]), f"未知的键 “{key}”", hint=hint))


def walk(exc: BaseException, steps: list, data: Any, out: list[Problem]) -> None:
    """Append a problem for every leaf failure under ``exc``, found at ``steps``."""
    if isinstance(exc, ForbiddenExtraKeysError):
        _unknown_keys(exc, steps, out)
        return
    if isinstance(exc, (ClassValidationError, IterableValidationError)):
        with_notes, without = exc.group_exceptions()
        for sub, note in with_notes:
            step = getattr(note, "name", None)
            walk(sub, steps + [getattr(note, "index", None) if step is None else step], data, out)
        for sub in without:
            walk(sub, steps, data, out)
        return
    where, value = DataPath(steps), _lookup(data, steps)
    if isinstance(exc, KeyError):
        out.append(Problem(where, "缺少必填字段"))
    elif isinstance(exc, Invalid):
        out.append(Problem(where, f"{exc}：{show(value)}"))
    else:
        out.append(Problem(where, f"无法识别的值 {show(value)}（{type(exc).__name__}）"))


def structure(data: Any, cls: type, source: str = "数据") -> Any:
    """Structure parsed JSON into ``cls``, raising :class:`DataError` on any problem."""
    try:
        return CONVERTER.structure(data, cls)
    except (ClassValidationError, IterableValidationError, ForbiddenExtraKeysError,
            KeyError, TypeError, ValueError, ArithmeticError) as exc:
        problems: list[Problem] = []
        walk(exc, [], data, problems)
        raise DataError(f"{source}不符合要求（{len(problems)}处）：", problems) from None
