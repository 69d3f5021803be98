"""Targets and actual values written as text: "≥90%", "大于20家", "1500册左右".

Reads the comparator (a symbol or the words documents use), the number and the unit;
qualitative words ("比较满意", "长期") have no number. Pure string work, no model.
"""
from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from typing import Optional

# 比较符: symbols and the words documents use for them, before the number.
_COMPARATORS = [
    (">=", ("≥", ">=", "＞＝", "大于等于", "大于或等于", "不少于", "不低于", "至少", "不小于", "达到")),
    ("<=", ("≤", "<=", "＜＝", "小于等于", "小于或等于", "不超过", "不高于", "不多于", "至多", "不大于")),
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
#: the comparators as the text is read (NFKC), in the order above: longer words first.
_READ_COMPARATORS = [(symbol, tuple(unicodedata.normalize("NFKC", w) for w in words))
                     for symbol, words in _COMPARATORS]


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
    >>> read_measure("大于等于5个"), read_measure("小于或等于10")
    (('>=', Decimal('5'), '个'), ('<=', Decimal('10'), ''))
    >>> read_measure("1,500册左右"), read_measure("９５％以上"), read_measure("5%以内")
    ((None, Decimal('1500'), '册'), ('>=', Decimal('95'), '%'), ('<=', Decimal('5'), '%'))
    """
    rest = unicodedata.normalize("NFKC", text).strip()
    comparator = None
    for symbol, words in _READ_COMPARATORS:
        word = next((w for w in words if rest.startswith(w)), None)
        if word:
            comparator, rest = symbol, rest[len(word):].strip()
            break
    match = _NUMBER.match(rest)
    if not match:
        return None, None, ""
    bound, unit = _suffix(match.group(2).strip())
    return comparator or bound, Decimal(match.group(1).replace(",", "")), unit
