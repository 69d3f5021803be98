"""JSON text → plain data, every number that is not whole as Decimal, never float.

Syntax errors are explained in the words a clerk reads, with line and column. What
JSON allows but a data file must not hold, NaN or Infinity and a key written twice in
one object, is collected with its JSON path, all at once, so that the file's other
problems are listed beside them rather than after a fix and a second run.
"""
from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from reportgen.errors import DataError, DataPath, Problem
from reportgen.loading.hooks import show

#: json's messages (their start) in the words a clerk reads.
_JSON_MESSAGES = {
    "Expecting value": "此处应有一个值（数字、文字、true/false、null、列表或对象）；可能多了逗号",
    "Expecting property name enclosed in double quotes": "此处应为用英文双引号括起的键名；可能多了逗号或用了中文引号",
    "Expecting ',' delimiter": "缺少英文逗号 ,（或用了中文逗号 ，）",
    "Expecting ':' delimiter": "缺少英文冒号 :（或用了中文冒号 ：）",
    "Extra data": "数据已结束，后面还有多余的内容",
    "Unterminated string": "文字缺少结尾的英文双引号",
    "Invalid control character": "文字中有换行或控制字符；换行请写作 \\n",
    "Invalid \\escape": "无效的转义符（反斜杠 \\ 后面的字符不能这样写）",
    "Invalid \\uXXXX escape": "无效的 \\u 转义",
}


def _json_message(msg: str) -> str:
    return next((words for start, words in _JSON_MESSAGES.items() if msg.startswith(start)), msg)


class _Constant:
    """Where the text wrote NaN, Infinity or -Infinity."""

    def __init__(self, name: str):
        self.name = name


class _Object(dict):
    """A JSON object that remembers each key written twice, with both values."""

    def __init__(self, pairs: list[tuple[str, Any]]):
        super().__init__(pairs)
        self.twice: list[tuple[str, Any, Any]] = []
        if len(self) < len(pairs):  # some key written twice: which, with both values
            seen: dict[str, Any] = {}
            for key, value in pairs:
                if key in seen:
                    self.twice.append((key, seen[key], value))
                seen[key] = value


def _clean(value: Any, steps: list, problems: list[Problem]) -> Any:
    """``value`` as plain data, a problem for each NaN and each key written twice."""
    if isinstance(value, _Constant):
        problems.append(Problem(DataPath(steps), f"不能使用 {value.name}：金额和数值必须是有限的数字"))
        return None
    if isinstance(value, list):
        return [_clean(item, steps + [i], problems) for i, item in enumerate(value)]
    if isinstance(value, _Object):
        for key, first, second in value.twice:
            problems.append(Problem(DataPath(steps + [key]),
                                    f"同一对象里键 “{key}” 写了两次（{show(_shown(first))} 与 "
                                    f"{show(_shown(second))}），后一个会覆盖前一个；请删去一个"))
        return {key: _clean(item, steps + [key], problems) for key, item in value.items()}
    return value


def _shown(value: Any) -> Any:
    return value.name if isinstance(value, _Constant) else value


def parse(text: str, source: str = "数据") -> tuple[Any, list[Problem]]:
    """(the data, its problems) of JSON ``text``; a syntax error raises :class:`DataError`
    with its line and column. A byte-order mark is allowed."""
    text = text.removeprefix("\ufeff")  # the byte-order mark some editors write
    try:
        data = json.loads(text, parse_float=Decimal, parse_constant=_Constant, object_pairs_hook=_Object)
    except json.JSONDecodeError as exc:
        if exc.pos >= len(text.rstrip()):
            raise DataError(f"{source}不是有效的JSON：数据在第{exc.lineno}行提前结束，"
                            f"缺少结尾的 }} 或 ]") from None
        raise DataError(f"{source}不是有效的JSON：第{exc.lineno}行第{exc.colno}列，"
                        f"{_json_message(exc.msg)}") from None
    except RecursionError:
        raise DataError(f"{source}嵌套层次过深，无法读取") from None
    except ValueError:  # an integer of thousands of digits
        raise DataError(f"{source}中有位数过多的数字，无法读取") from None
    problems: list[Problem] = []
    try:
        return _clean(data, [], problems), problems
    except RecursionError:
        raise DataError(f"{source}嵌套层次过深，无法读取") from None


def parse_json(text: str, source: str = "数据") -> Any:
    """The data of JSON ``text`` (see :func:`parse`); :class:`DataError` lists every problem."""
    data, problems = parse(text, source)
    if problems:
        raise DataError(f"{source}不符合要求（{len(problems)}处）：", problems)
    return data
