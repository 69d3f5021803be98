"""The cattrs converter: strict structure hooks for each value type of the models.

Every hook refuses what a careless JSON file holds (a number as text, text where a list
belongs, negative money, control characters Word cannot store) with an
:class:`Invalid` whose message is already in Chinese; :mod:`.problems` adds the path.
"""
from __future__ import annotations

import json
import re
import typing
from decimal import Decimal
from typing import Any, Callable

import attrs
import cattrs
from cattrs.errors import ClassValidationError
from cattrs.cols import homogenous_tuple_structure_factory
from cattrs.gen import make_dict_structure_fn

from reportgen.loading.measures import read_measure
from reportgen.model import Actual, Count, Label, Money, Percent, Places, Points, Target, Year
from reportgen.model.common import RANGES

# XML 1.0 cannot hold these; Word would refuse the file.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Beyond any budget (a trillion 万元) and beyond what Decimal arithmetic here keeps exact.
LARGEST = Decimal("1e12")
# Finer than a fen of 万元 (0.000001 万元 = 0.01 元): no document's figure, a float artefact
# (12045.860000000001) or a slip (1e-30) that would make rates absurd.
_PLACES = 6


class Invalid(ValueError):
    """A value rejected by a structure hook; the message is already in Chinese."""


def show(value: Any) -> str:
    """The value as it stands in the JSON (numbers unquoted), shortened."""
    if isinstance(value, Decimal):
        text = str(value)
    else:
        text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "…"


def type_name(value: Any) -> str:
    """What a JSON value is, in the words of the messages."""
    if isinstance(value, bool):
        return "布尔值"
    if isinstance(value, (int, Decimal)):
        return "数字"
    names = {str: "文字", list: "列表", dict: "对象", type(None): "空值"}
    return names.get(type(value), type(value).__name__)


def _decimal(value: Any, what: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise Invalid(f"应为{what}（数字），实际为{type_name(value)}")
    value = Decimal(value)
    if not value.is_finite() or abs(value) >= LARGEST:
        raise Invalid(f"{what}超出可处理的范围")
    if value.as_tuple().exponent < -_PLACES and value != round(value, _PLACES):
        raise Invalid(f"{what}的小数位数过多（最多{_PLACES}位）")
    return value.copy_abs() if not value else value  # -0 is 0: a document never prints "-0"


def _non_negative(what: str) -> Callable:
    def hook(value: Any, _type=None) -> Decimal:
        value = _decimal(value, what)
        if value < 0:
            raise Invalid(f"{what}不能为负数")
        return value
    return hook


def _int(value: Any, _type=None) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise Invalid(f"应为整数，实际为{type_name(value)}")
    if abs(value) >= LARGEST or value != int(value):
        raise Invalid("应为整数" if abs(value) < LARGEST else "整数超出可处理的范围")
    return int(value)


def _bounded(what: str, low: int, high: int) -> Callable:
    def hook(value: Any, _type=None) -> int:
        number = _int(value)
        if not low <= number <= high:
            raise Invalid(f"{what}应在{low}到{high}之间")
        return number
    return hook


def _str(value: Any, _type=None) -> str:
    if not isinstance(value, str):
        raise Invalid(f"应为文字，实际为{type_name(value)}")
    # Word's Shift+Enter, which a paste from Word carries: a line break (language.text's rule).
    value = value.replace("\x0b", "\n")
    bad = _XML_ILLEGAL.search(value)
    if bad:
        raise Invalid(f"含有Word文档无法保存的控制字符 U+{ord(bad.group()):04X}（第{bad.start() + 1}个字符）")
    return value


#: characters that show nothing: zero-width spaces and joiners, the byte-order mark.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))


def _label(value: Any, _type=None) -> str:
    text = _str(value)
    if not text.translate(_INVISIBLE).strip():  # str.strip drops U+3000, the full-width blank, too
        raise Invalid("名称不能为空" + ("（只有空格）" if text else ""))
    return text


def _bool(value: Any, _type=None) -> bool:
    if not isinstance(value, bool):
        raise Invalid(f"应为 true 或 false，实际为{type_name(value)}")
    return value


def _literal(tp) -> Callable:
    allowed = typing.get_args(tp)

    def hook(value: Any, _type=None):
        if value not in allowed or type(value) is not type(allowed[0]):
            raise Invalid("应为以下之一：" + "、".join(f'"{a}"' for a in allowed))
        return value
    return hook


def _sequence(tp, conv: cattrs.Converter) -> Callable:
    """A list in the JSON → a tuple, through cattrs' own tuple hook (every bad item
    reported with its index); only a list is taken: text would split into characters."""
    structure = homogenous_tuple_structure_factory(tp, conv)

    def hook(value: Any, _type=None) -> tuple:
        if not isinstance(value, list):
            raise Invalid(f"应为列表，实际为{type_name(value)}")
        return structure(value, tp)
    return hook


def _mapping(tp, conv: cattrs.Converter) -> Callable:
    """An object of names → values; its keys are checked like any other value."""
    key_type, value_type = typing.get_args(tp)

    def hook(value: Any, _type=None) -> dict:
        if not isinstance(value, dict):
            raise Invalid(f"应为对象，实际为{type_name(value)}")
        out, errors = {}, []
        for key, item in value.items():
            try:
                out[conv.structure(key, key_type)] = conv.structure(item, value_type)
            except Exception as exc:  # reported under the key's own path
                exc.add_note(cattrs.errors.AttributeValidationNote(f"@ {key}", key, value_type))
                errors.append(exc)
        if errors:
            raise ClassValidationError(f"While structuring {tp}", errors, dict)
        return out
    return hook


def _object(cls: type, conv: cattrs.Converter) -> Callable:
    """An attrs class from a JSON object, unknown keys refused."""
    structure = make_dict_structure_fn(cls, conv, _cattrs_forbid_extra_keys=True)

    def hook(value: Any, _type=None):
        if not isinstance(value, dict):
            raise Invalid(f"应为对象，实际为{type_name(value)}")
        return structure(value, cls)
    return hook


def _measure(cls: type, conv: cattrs.Converter) -> Callable:
    """Target / Actual: a string read by read_measure, or the object form."""
    as_object = _object(cls, conv)

    def hook(value: Any, _type=None):
        if not isinstance(value, str):
            return as_object(value)
        comparator, number, unit = read_measure(_str(value))
        if cls is Target:
            return Target(value, comparator, number, unit)
        # "超过1家" reached beyond 1: the bound is kept for judging a target "多于1家".
        return Actual(value, number, unit, comparator)
    return hook


def make_converter() -> cattrs.Converter:
    """The strict converter every data file goes through."""
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    for typ, hook in {Money: _non_negative("金额"), Points: _non_negative("分值"),
                      Decimal: lambda v, _t: _decimal(v, "数值"), int: _int,
                      Count: _bounded("数量", *RANGES[Count]), Places: _bounded("小数位数", *RANGES[Places]),
                      Percent: _bounded("百分比", *RANGES[Percent]), Year: _bounded("年度", *RANGES[Year]),
                      str: _str, Label: _label, bool: _bool}.items():
        conv.register_structure_hook(typ, hook)
    origin = typing.get_origin
    conv.register_structure_hook_factory(lambda t: origin(t) is typing.Literal, _literal)
    conv.register_structure_hook_factory(lambda t: origin(t) is tuple,
                                         lambda t: _sequence(t, conv))
    conv.register_structure_hook_factory(lambda t: origin(t) is dict, lambda t: _mapping(t, conv))
    conv.register_structure_hook_factory(lambda t: t in (Target, Actual), lambda t: _measure(t, conv))
    conv.register_structure_hook_factory(
        lambda t: attrs.has(t) and t not in (Target, Actual), lambda t: _object(t, conv))
    return conv


CONVERTER = make_converter()
