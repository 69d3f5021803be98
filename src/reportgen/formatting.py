"""Formatting filters: small pure functions that turn figures into zh_CN text.

Rounding is done here only through :func:`reportgen.rounding.round_half_up`
(四舍五入); babel then lays the digits out for the zh_CN locale. Every function is a
Jinja filter under the same name (see :data:`FILTERS`).
"""
from __future__ import annotations

import datetime as _dt
from decimal import Decimal

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal

from reportgen.errors import TemplateError
from reportgen.rounding import round_half_up

LOCALE = Locale.parse("zh_CN")  # parsed once: babel would re-parse a string per number
_CN_DIGITS = "零一二三四五六七八九"


def _decimal(value) -> Decimal:
    """The figure to format; an empty one is the template asking for data that is not there."""
    if value is None or isinstance(value, bool):
        raise TemplateError(f"模板要格式化的数值为空（{value!r}）：数据中没有模板所需的这一项")
    return Decimal(value)


def _number(value: Decimal, places: int, grouping: bool, trim: bool) -> str:
    value = round_half_up(_decimal(value), places)
    if trim:
        fraction = "#" * places
    else:
        fraction = "0" * places
    pattern = ("#,##0" if grouping else "0") + ("." + fraction if places else "")
    return format_decimal(value, format=pattern, locale=LOCALE, decimal_quantization=True,
                          group_separator=grouping)


def money(value, grouping: bool = True, places: int = 2) -> str:
    """金额（正文用）：保留两位小数，整数金额不带小数。

    Money in prose: two decimals, none at all for a whole amount.

    >>> money(Decimal("36628.61"))
    '36,628.61'
    >>> money(Decimal("12045.86"), grouping=False)
    '12045.86'
    >>> money(Decimal("21198.50"))
    '21,198.50'
    >>> money(Decimal("80")), money(Decimal("0.00"))
    ('80', '0')
    """
    value = _decimal(value)
    if value == value.to_integral_value():
        return _number(value, 0, grouping, trim=False)
    return _number(value, places, grouping, trim=False)


def amount(value, grouping: bool = True, places: int = 2) -> str:
    """金额（表格用）：总是两位小数，便于对齐；数据中没有的金额印为空白。

    Money in a table column: always two decimals, so columns align; an empty
    column (no amount in the data) is a blank cell.

    >>> amount(Decimal("26322"))
    '26,322.00'
    >>> amount(Decimal("35.5"), grouping=False)
    '35.50'
    >>> amount(None)
    ''
    """
    if value is None:
        return ""
    return _number(value, places, grouping, trim=False)


def number(value, places: int = 2, grouping: bool = True) -> str:
    """一般数字：按位数四舍五入，去掉末尾的0。

    A plain figure, trailing zeros dropped.

    >>> number(Decimal("858.766"), places=3)
    '858.766'
    >>> number(Decimal("1500.0"))
    '1,500'
    """
    return _number(value, places, grouping, trim=True)


def percent(value, places: int | None = None) -> str:
    """百分比：把以百分数表示的数值印成“97.85%”，可指定小数位数（四舍五入）。

    A figure already expressed in percent (97.85 → "97.85%").

    Computed rates arrive rounded to their document's precision; ``places``
    rounds again (half up) for one placeholder. Trailing zeros are dropped.

    >>> percent(Decimal("97.85")), percent(Decimal("100.00")), percent(Decimal("98.54"), 1)
    ('97.85%', '100%', '98.5%')
    >>> percent(Decimal("-3.125"), 2)
    '-3.13%'
    """
    value = _decimal(value)
    if places is None:
        places = max(0, -value.as_tuple().exponent)
    return _number(value, places, grouping=True, trim=True) + "%"


def cn_ordinal(index: int) -> str:
    """中文序数（1–99），用于“一是、二是”“第十二”。

    Chinese numeral for 1–99.

    >>> [cn_ordinal(i) for i in (1, 10, 12, 20, 35)]
    ['一', '十', '十二', '二十', '三十五']
    """
    index = int(index)
    if not 0 < index < 100:
        raise ValueError(f"cn_ordinal takes 1 to 99, not {index}")
    tens, units = divmod(index, 10)
    text = (_CN_DIGITS[tens] if tens > 1 else "") + ("十" if tens else "")
    return text + (_CN_DIGITS[units] if units else "")


def cn_date(value: _dt.date | str) -> str:
    """日期：公文用的长格式，如“2024年3月5日”。

    The long zh_CN form used in official documents.

    >>> cn_date("2024-03-05")
    '2024年3月5日'
    """
    if isinstance(value, str):
        value = _dt.date.fromisoformat(value)
    return format_date(value, format="long", locale=LOCALE)


def grade_word(grade: str | None) -> str:
    """自评等级的全称：优→优秀，良→良好，中→中等，差→差。

    The grade in words.

    >>> grade_word("良")
    '良好'
    """
    return {"优": "优秀", "良": "良好", "中": "中等", "差": "差"}.get(grade or "", grade or "")


FILTERS = {
    "money": money,
    "amount": amount,
    "number": number,
    "percent": percent,
    "cn_ordinal": cn_ordinal,
    "cn_date": cn_date,
    "grade_word": grade_word,
}
