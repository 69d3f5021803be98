"""JSON → model: the one place where data files become typed models.

Numbers are parsed as Decimal, never float. A cattrs converter structures the JSON
strictly (no unknown keys, no silent str() of numbers, no negative money) and every
failure is turned into a :class:`~reportgen.errors.DataError` whose problems name
the JSON path, the value found and, for an unknown key, the nearest known one.
"""
from __future__ import annotations

import difflib
import json
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Callable, Optional

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn
from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError, IterableValidationError

from reportgen.errors import DataError, Problem
from reportgen.model import Actual, Money, ProjectGoalTable, SelfEvaluationReport, Target

#: Document kinds (文种) a data file may name in its "kind" key, with their models.
KINDS: dict[str, type] = {"self-evaluation": SelfEvaluationReport, "project-goals": ProjectGoalTable}

# XML 1.0 cannot hold these; Word would refuse the file.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class _Invalid(ValueError):
    """A value rejected by a structure hook; the message is already in Chinese."""


def _show(value: Any) -> str:
    """The value as it stands in the JSON (numbers unquoted), shortened."""
    if isinstance(value, Decimal):
        text = str(value)
    else:
        text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "…"


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "布尔值"
    if isinstance(value, (int, Decimal)):
        return "数字"
    if isinstance(value, str):
        return "文字"
    if isinstance(value, list):
        return "列表"
    if isinstance(value, dict):
        return "对象"
    return "空值" if value is None else type(value).__name__


def _decimal(value: Any, what: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise _Invalid(f"应为{what}（数字），实际为{_type_name(value)}")
    value = Decimal(value)
    if not value.is_finite():
        raise _Invalid(f"应为有限的{what}")
    return value


def _money(value: Any, _type=None) -> Decimal:
    value = _decimal(value, "金额")
    if value < 0:
        raise _Invalid("金额不能为负数")
    return value


def _int(value: Any, _type=None) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise _Invalid(f"应为整数，实际为{_type_name(value)}")
    if value != int(value):
        raise _Invalid("应为整数")
    return int(value)


def _str(value: Any, _type=None) -> str:
    if not isinstance(value, str):
        raise _Invalid(f"应为文字，实际为{_type_name(value)}")
    bad = _XML_ILLEGAL.search(value)
    if bad:
        raise _Invalid(f"含有Word文档无法保存的控制字符 U+{ord(bad.group()):04X}（第{bad.start() + 1}个字符）")
    return value


def _bool(value: Any, _type=None) -> bool:
    if not isinstance(value, bool):
        raise _Invalid(f"应为 true 或 false，实际为{_type_name(value)}")
    return value


# 比较符: symbols and the words documents use for them, before the number.
_COMPARATORS = [
    (">=", ("≥", ">=", "＞＝", "不少于", "不低于", "至少", "不小于", "达到")),
    ("<=", ("≤", "<=", "＜＝", "不超过", "不高于", "不多于", "至多", "不大于")),
    (">", (">", "＞", "大于", "多于", "超过", "高于", "超")),
    ("<", ("<", "＜", "小于", "少于", "低于")),
    ("=", ("=", "＝", "等于")),
]
# Words after the number: a bound ("100%以上", "5%以内") or an approximation ("左右").
_SUFFIXES = [
    (">=", ("及以上", "以上")),
    ("<=", ("及以下", "以下", "以内")),
    (None, ("左右", "上下")),
]
_NUMBER = re.compile(r"(-?\d+(?:,\d{3})*(?:\.\d+)?)\s*(.*)")


def _suffix(unit: str) -> tuple[Optional[str], str]:
    for symbol, words in _SUFFIXES:
        word = next((w for w in words if unit.endswith(w)), None)
        if word:
            return symbol, unit[: -len(word)].strip()
    return None, unit


def read_measure(text: str) -> tuple[Optional[str], Optional[Decimal], str]:
    """Read "≥90%", "大于20家", "5个", "1500册左右" as (comparator, value, unit).

    Words with no number ("比较满意", "长期") read as (None, None, ""). Full-width
    digits and thousands separators are read; a bound after the number ("以上",
    "以内") is a comparator and an approximation ("左右") is dropped from the unit.

    >>> read_measure("大于20家")
    ('>', Decimal('20'), '家')
    >>> read_measure("≥ 90%")
    ('>=', Decimal('90'), '%')
    >>> read_measure("无负面投诉")
    (None, None, '')
    >>> read_measure("1,500册左右"), read_measure("９５％以上"), read_measure("5%以内")
    ((None, Decimal('1500'), '册'), ('>=', Decimal('95'), '%'), ('<=', Decimal('5'), '%'))
    """
    rest = unicodedata.normalize("NFKC", text).strip()
    comparator = None
    for symbol, words in _COMPARATORS:
        word = next((w for w in words if rest.startswith(unicodedata.normalize("NFKC", w))), None)
        if word:
            comparator, rest = symbol, rest[len(unicodedata.normalize("NFKC", word)):].strip()
            break
    match = _NUMBER.match(rest)
    if not match:
        return None, None, ""
    bound, unit = _suffix(match.group(2).strip())
    return comparator or bound, Decimal(match.group(1).replace(",", "")), unit


def _target(value: Any, _type=None) -> Target:
    if isinstance(value, str):
        comparator, number, unit = read_measure(_str(value))
        return Target(value, comparator, number, unit)
    return _structure_attrs(value, Target)


def _actual(value: Any, _type=None) -> Actual:
    if isinstance(value, str):
        # "超过1家" reached beyond 1: the bound is kept for judging a target "多于1家".
        comparator, number, unit = read_measure(_str(value))
        return Actual(value, number, unit, comparator)
    return _structure_attrs(value, Actual)


def _make_converter() -> cattrs.Converter:
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    conv.register_structure_hook(Money, _money)
    conv.register_structure_hook(Decimal, lambda v, _t: _decimal(v, "数值"))
    conv.register_structure_hook(int, _int)
    conv.register_structure_hook(str, _str)
    conv.register_structure_hook(bool, _bool)
    conv.register_structure_hook(Target, _target)
    conv.register_structure_hook(Actual, _actual)
    return conv


CONVERTER = _make_converter()


_OBJECT_HOOKS: dict[type, Callable] = {}


def _structure_attrs(value: Any, cls: type) -> Any:
    """The object form of a type whose hook also takes a string (Target, Actual)."""
    if not isinstance(value, dict):
        raise _Invalid(f"应为对象，实际为{_type_name(value)}")
    # Calling CONVERTER.structure here would find the same hook again and recurse.
    hook = _OBJECT_HOOKS.get(cls)
    if hook is None:
        hook = _OBJECT_HOOKS[cls] = make_dict_structure_fn(
            cls, CONVERTER, _cattrs_forbid_extra_keys=True)
    return hook(value, cls)


def register_kind(kind: str, model: type, hooks: Optional[dict[type, Callable]] = None) -> None:
    """Let data files name ``kind`` for ``model`` (used by each document module)."""
    KINDS[kind] = model
    for typ, hook in (hooks or {}).items():
        CONVERTER.register_structure_hook(typ, hook)


# ---- errors -----------------------------------------------------------------------------


def _path(parent: str, step: Any) -> str:
    return f"{parent}[{step}]" if isinstance(step, int) else f"{parent}.{step}"


def _lookup(data: Any, path: list) -> Any:
    for step in path:
        try:
            data = data[step]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _field_names(cls: Any) -> list[str]:
    return [f.name for f in attrs.fields(cls)] if attrs.has(cls) else []


def _walk(exc: BaseException, steps: list, data: Any, cls: Any, out: list[Problem]) -> None:
    where = "$" + "".join(f"[{s}]" if isinstance(s, int) else f".{s}" for s in steps)
    if isinstance(exc, ForbiddenExtraKeysError):
        known = _field_names(exc.cl)
        for key in sorted(exc.extra_fields):
            near = difflib.get_close_matches(key, known, n=1, cutoff=0.5)
            hint = f"，是否应为 \"{near[0]}\"？" if near else f"。可用的键：{'、'.join(known)}"
            out.append(Problem(_path(where, key), f"未知的键 \"{key}\"{hint}"))
        return
    if isinstance(exc, (ClassValidationError, IterableValidationError)):
        with_notes, without = exc.group_exceptions()
        for sub, note in with_notes:
            step = getattr(note, "name", None)
            if step is None:
                step = getattr(note, "index", None)
            _walk(sub, steps + [step], data, getattr(note, "type", None), out)
        for sub in without:
            _walk(sub, steps, data, cls, out)
        return
    value = _lookup(data, steps)
    if isinstance(exc, KeyError):
        out.append(Problem(where, "缺少必填字段"))
    elif isinstance(exc, _Invalid):
        out.append(Problem(where, f"{exc}：{_show(value)}"))
    else:
        out.append(Problem(where, f"无法识别的值 {_show(value)}（{exc}）"))


def structure(data: Any, cls: type, source: str = "数据") -> Any:
    """Structure parsed JSON into ``cls``, raising :class:`DataError` on any problem."""
    try:
        return CONVERTER.structure(data, cls)
    except (ClassValidationError, IterableValidationError, ForbiddenExtraKeysError,
            _Invalid, KeyError, TypeError, ValueError) as exc:
        problems: list[Problem] = []
        _walk(exc, [], data, cls, problems)
        raise DataError(f"{source}不符合要求（{len(problems)}处）：", problems) from None


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
    for start, words in _JSON_MESSAGES.items():
        if msg.startswith(start):
            return words
    return msg


def _no_constant(name: str):
    raise DataError(f"数据中不能使用 {name}：金额和数值必须是有限的数字")


def parse_json(text: str, source: str = "数据") -> Any:
    """Parse JSON with every non-integer number as Decimal (NaN and Infinity refused)."""
    try:
        return json.loads(text, parse_float=Decimal, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise DataError(f"{source}不是有效的JSON：第{exc.lineno}行第{exc.colno}列，"
                        f"{_json_message(exc.msg)}") from None


def loads(text: str, source: str = "数据") -> Any:
    """JSON text → the model its "kind" names."""
    data = parse_json(text, source)
    if not isinstance(data, dict):
        raise DataError(f"{source}不符合要求：", [Problem("$", f"应为对象，实际为{_type_name(data)}")])
    body = dict(data)
    kind = body.pop("kind", None)
    if kind not in KINDS:
        known = "、".join(f'"{k}"' for k in KINDS)
        near = difflib.get_close_matches(str(kind), list(KINDS), n=1)
        hint = f"，是否应为 \"{near[0]}\"？" if near else ""
        message = (f"缺少文种 \"kind\"（可选：{known}）" if kind is None
                   else f"未知的文种 {_show(kind)}{hint}（可选：{known}）")
        raise DataError(f"{source}不符合要求：", [Problem("$.kind", message)])
    return structure(body, KINDS[kind], source)


def load(path: str | Path) -> Any:
    """Read a data file (UTF-8 JSON) into its model."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise DataError(f"找不到数据文件：{path}") from None
    except UnicodeDecodeError as exc:
        raise DataError(f"数据文件不是UTF-8编码：{path}（第{exc.start + 1}字节）") from None
    except OSError as exc:
        raise DataError(f"无法读取数据文件 {path}：{exc.strerror}") from None
    return loads(text, source=f"数据文件 {path.name} ")
