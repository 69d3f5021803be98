"""Numbers as a clerk may type them: full-width digits (２０２３, １２．５) and years in
Chinese numerals (二〇二三年), read as the numbers they are.

:func:`half_width` turns full-width digits into ASCII ones (what NFKC does to them), with
a full-width decimal point or grouping comma between them, one character for one, so that
every place in a paragraph's text stays where it was. A year written 二〇二三 is not a
figure: :data:`CN_YEAR_TEXT` finds it, :func:`cn_year_value` reads it, and :func:`cn_year_tag`
tags a year to be printed the same way again (the ``cn_year`` filter of
:mod:`reportgen.formatting`), with the report's own zero (〇, ○ or 零).
"""
from __future__ import annotations

import re

from reportgen.formatting import _CN_DIGITS, _ZEROS  # the digits and zeros cn_year prints

_FULL = "０１２３４５６７８９"
_TO_ASCII = str.maketrans(_FULL, "0123456789")
_FULL_RUN = re.compile(f"[{_FULL}]+")
#: a full-width point or comma between digits (at least one side full-width).
_MARK = re.compile(f"(?<=[{_FULL}])[．，](?=[0-9{_FULL}])|(?<=[0-9])．(?=[{_FULL}])")

#: a year in Chinese numerals, 1900–2099: 一九八五, 二〇二三 (二○二三, 二零二三).
CN_YEAR_TEXT = f"(?:一九|二[{_ZEROS}])[{_ZEROS}一二三四五六七八九]{{2}}"


def half_width(text: str) -> str:
    """``text`` with full-width digits, and a full-width point or grouping comma between
    digits, as ASCII: the same length, each character where it was.

    >>> half_width("２０２３年预算１２，０４５．８６万元，增长１２．５％，一、二")
    '2023年预算12,045.86万元，增长12.5％，一、二'
    """
    text = _MARK.sub(lambda m: "." if m.group(0) == "．" else ",", text)
    return text.translate(_TO_ASCII)


def full_width_numbers(text: str) -> int:
    """How many numbers ``text`` writes in full-width digits.

    >>> full_width_numbers("２０２３年预算１２，０４５．８６万元，2024年")
    2
    """
    return len(_FULL_RUN.findall(_MARK.sub("", text)))


def cn_year_value(text: str) -> int:
    """The year a :data:`CN_YEAR_TEXT` match writes.

    >>> cn_year_value("二〇二三"), cn_year_value("二○一九"), cn_year_value("二零二零"), cn_year_value("一九九九")
    (2023, 2019, 2020, 1999)
    """
    return int("".join(str(_CN_DIGITS.index("零" if c in _ZEROS else c)) for c in text))


def cn_year_tag(expression: str, written: str) -> str:
    """The template text that prints ``expression`` (``year``, ``year - 1``) as the report
    wrote its year (``written``): in Chinese numerals with the report's own zero.

    >>> cn_year_tag("year", "二○二三"), cn_year_tag("year - 1", "二〇二三")
    ('{{ year|cn_year("○") }}', '{{ (year - 1)|cn_year }}')
    """
    zero = next((c for c in written if c in _ZEROS), "〇")
    value = expression if expression.isidentifier() else f"({expression})"
    return "{{ " + value + "|cn_year" + ("" if zero == "〇" else f'("{zero}")') + " }}"
