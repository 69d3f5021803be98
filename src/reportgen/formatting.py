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
from reportgen.compute.grades import grade_word
from reportgen.rounding import Rate, round_half_up

LOCALE = Locale.parse("zh_CN")  # parsed once: babel would re-parse a string per number
_CN_DIGITS = "零一二三四五六七八九"
#: how a year written in Chinese numerals writes its zero.
_ZEROS = "〇○零"


def _decimal(value) -> Decimal:
    """The figure to format; an empty one is the template asking for data that is not there."""
    if value is None or isinstance(value, bool):
        raise TemplateError(f"模板要格式化的数值为空（{value!r}）：数据中没有模板所需的这一项")
    number = Decimal(value)
    if not number.is_finite():  # "nan"|money would print NaN.00
        raise TemplateError(f"模板要格式化的是无穷大或非数字（{value}），不是数据；请检查模板中的计算")
    return number


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
    rounds (half up) for one placeholder, from the rate's exact value where it
    has one, so a figure is never rounded twice. Trailing zeros are dropped.

    >>> percent(Decimal("97.85")), percent(Decimal("100.00")), percent(Decimal("98.54"), 1)
    ('97.85%', '100%', '98.5%')
    >>> percent(Decimal("-3.125"), 2)
    '-3.13%'
    """
    if places is not None and isinstance(value, Rate):
        value = value.exact
    value = _decimal(value)
    if places is None:
        places = max(0, -value.as_tuple().exponent)
    return _number(value, places, grouping=True, trim=True) + "%"


def cn_ordinal(index: int) -> str:
    """中文序数（任意正整数），用于“一是、二是”“第十二”“第一百零一”。

    Chinese numeral for any positive integer: 零 once for a run of zeros inside,
    十 rather than 一十 at the start.

    >>> [cn_ordinal(i) for i in (1, 10, 12, 20, 35, 99)]
    ['一', '十', '十二', '二十', '三十五', '九十九']
    >>> [cn_ordinal(i) for i in (100, 101, 110, 111, 1000, 1001, 1010, 2300)]
    ['一百', '一百零一', '一百一十', '一百一十一', '一千', '一千零一', '一千零一十', '二千三百']
    >>> [cn_ordinal(i) for i in (10010, 100000, 100100, 110000, 100000001, 100010000)]
    ['一万零一十', '十万', '十万零一百', '十一万', '一亿零一', '一亿零一万']
    >>> cn_ordinal(1_0001_0000_0000), cn_ordinal(99999999)
    ('一万零一亿', '九千九百九十九万九千九百九十九')
    """
    index = int(index)
    if index < 1:
        raise TemplateError(f"中文序数只能用于正整数，不能是 {index}")

    def below_10000(n: int) -> str:
        text, gap = "", False
        for power, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            digit, n = divmod(n, power)
            if digit:
                text += ("零" if gap and text else "") + _CN_DIGITS[digit] + unit
            gap = not digit
        return text

    def spell(n: int) -> str:
        for size, unit in ((10 ** 8, "亿"), (10 ** 4, "万")):
            if n >= size:
                high, low = divmod(n, size)
                rest = ("零" if low < size // 10 else "") + spell(low) if low else ""
                return spell(high) + unit + rest
        return below_10000(n)

    text = spell(index)
    return text[1:] if text.startswith("一十") else text


def cn_year(value, zero: str = "〇") -> str:
    """年度的中文数字写法，逐位书写，如“二〇二三”；``zero`` 为零的写法（〇、○ 或 零）。

    A year written digit by digit in Chinese numerals, as official documents title a
    year; ``zero`` is the report's own zero.

    >>> cn_year(2023), cn_year(2020, "○"), cn_year(2019, "零")
    ('二〇二三', '二○二○', '二零一九')
    """
    year = int(value)
    if not 1000 <= year <= 9999 or zero not in _ZEROS:
        raise TemplateError(f"年度中文写法只能用于四位年份、零写作 〇、○ 或 零，不能是 {value}、{zero}")
    return "".join(zero if d == "0" else _CN_DIGITS[int(d)] for d in str(year))


def cn_date(value: _dt.date | str) -> str:
    """日期：公文用的长格式，如“2024年3月5日”。

    The long zh_CN form used in official documents.

    >>> cn_date("2024-03-05")
    '2024年3月5日'
    """
    if isinstance(value, str):
        value = _dt.date.fromisoformat(value)
    return format_date(value, format="long", locale=LOCALE)


FILTERS = {
    "money": money,
    "amount": amount,
    "number": number,
    "percent": percent,
    "cn_ordinal": cn_ordinal,
    "cn_year": cn_year,
    "cn_date": cn_date,
    "grade_word": grade_word,
}
