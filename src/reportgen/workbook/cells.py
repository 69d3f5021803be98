"""One cell ↔ one plain value, exactly: numbers as Decimal, text as typed.

openpyxl gives a numeric cell as a float (or an int). Its exact decimal is recovered
from the float's shortest round-trip form (``repr``), then widened to the places the
cell's number format shows. That is exact for any value typed with at most 15
significant digits: a binary double keeps 15 decimal digits (DBL_DIG), so the decimal
typed is the shortest one that reads back as the same double, which is what ``repr``
prints. A value of more digits, the float artefact of a formula (0.1+0.2 →
0.30000000000000004), is cut to the 15 significant digits Excel itself shows.

    >>> number_of(12045.86, "#,##0.00"), number_of(116, "#,##0.00"), number_of(0.1 + 0.2, "General")
    (Decimal('12045.86'), Decimal('116.00'), Decimal('0.3'))
    >>> cell_text(Decimal("116.00")), number_format("decimal", Decimal("5"), money=False)
    ('116.00', '0')
"""
from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from decimal import Decimal
from typing import Any, Optional

from reportgen.loading.hooks import Invalid
from reportgen.loading.python import number_text

#: how a comparator is shown in a cell, and every way a clerk may type one.
COMPARATOR_SHOWN = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "=": "="}
_COMPARATOR_READ = {**{v: k for k, v in COMPARATOR_SHOWN.items()}, ">=": ">=", "<=": "<=",
                    "＞": ">", "＜": "<", "＝": "=", "≧": ">=", "≦": "<="}
YES, NO = "是", "否"
_BOOLS = {YES: True, NO: False, "TRUE": True, "FALSE": False, "true": True, "false": False}
_EXCEL_DIGITS = 15
_PLACES = re.compile(r"\.(0+)")


def _places(fmt: Optional[str]) -> int:
    """Decimal places a number format shows ("#,##0.00" → 2, "General" → 0)."""
    match = _PLACES.search(fmt or "")
    return len(match.group(1)) if match else 0


def number_of(value: float | int, fmt: Optional[str] = None) -> Decimal:
    """The exact decimal a numeric cell holds (see the module's note)."""
    number = Decimal(value) if isinstance(value, int) else Decimal(repr(value))
    if not number.is_finite() or abs(number.adjusted()) > 2 * _EXCEL_DIGITS:
        return number  # far beyond any budget: loading refuses it with its range
    digits = number.as_tuple()
    if len(digits.digits) > _EXCEL_DIGITS:  # beyond what was typed: a float artefact
        number = round(number, _EXCEL_DIGITS - number.adjusted() - 1).normalize()
    return _widened(number, _places(fmt))


def _widened(number: Decimal, places: int) -> Decimal:
    """``number`` with the decimal places a format shows (six at most) when it has fewer."""
    if 0 < places <= 6 and -int(number.as_tuple().exponent) < places:
        return number.quantize(Decimal(1).scaleb(-places))
    return number


def _shown(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "…"


def _number_text(text: str, unit: Optional[str]) -> Decimal:
    plain = unicodedata.normalize("NFKC", text).strip()
    number = number_text(plain)
    if number is not None:
        return number
    bare = plain.removesuffix(unit).strip() if unit else plain
    hint = f"（单位已是{unit}，只填数字）" if unit and bare != plain and number_text(bare) is not None else ""
    raise Invalid(f"应为数字，实际为“{_shown(text)}”{hint}")


def read(value: Any, kind: str, fmt: Optional[str] = None, unit: Optional[str] = None) -> Any:
    """The plain value of a cell in a column of ``kind`` (see :class:`..layout.Column`);
    None for an empty cell. Raises :class:`Invalid` with a Chinese message."""
    if value is None or value == "":
        return None
    if _percent_cell(value, fmt):
        # Excel keeps "96.5%" as 0.965 with a percent format: the clerk meant what it shows.
        shown = cell_text(_widened((number_of(value) * 100).normalize(), _places(fmt)))
        if kind in ("decimal", "whole"):
            raise Invalid(f"单元格是百分比格式（显示为{shown}%）：请把单元格格式改为“数值”，填写 {shown}")
        return shown + "%"
    if kind in ("decimal", "whole"):
        if isinstance(value, bool):
            raise Invalid(f"应为数字，实际为{'TRUE' if value else 'FALSE'}")
        if isinstance(value, (int, float)):
            return number_of(value, fmt)
        if isinstance(value, (_dt.date, _dt.time, _dt.timedelta)):
            raise Invalid(f"应为数字，实际为日期或时间“{_shown(value)}”；请把单元格格式设为数值")
        return _number_text(str(value), unit)
    if kind == "bool":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip() in _BOOLS:
            return _BOOLS[value.strip()]
        raise Invalid(f"应为“{YES}”或“{NO}”，实际为“{_shown(value)}”")
    text = _as_text(value)
    if kind == "choice":
        return _COMPARATOR_READ.get(text.strip(), text)
    if kind == "lines":
        return [line for line in text.replace("\r\n", "\n").split("\n") if line.strip()]
    return text


def _percent_cell(value: Any, fmt: Optional[str]) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and "%" in (fmt or "")


def _as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):  # a code typed as a number (11), kept as its digits
        return cell_text(number_of(value))
    if isinstance(value, _dt.datetime):
        return value.date().isoformat() if value.time() == _dt.time() else value.isoformat(sep=" ")
    if isinstance(value, _dt.date):
        return value.isoformat()
    return str(value)


def cell_text(number: Decimal) -> str:
    """A Decimal as plain digits, never in exponent form."""
    return f"{number:f}"


def number_format(kind: str, value: Optional[Decimal], money: bool) -> str:
    """The number format of a cell: as many places as its value has (so it reads back
    digit for digit), two for an empty money cell, General for another empty number; "@" (text) for any other column, so
    that a code typed as 01 stays 01."""
    if kind not in ("decimal", "whole"):
        return "@"
    if value is None and not money:
        return "General"
    places = max(0, -int(value.as_tuple().exponent)) if isinstance(value, Decimal) else 0
    if money and value is None:
        places = 2
    places = min(places, 6)
    return ("#,##0" if money else "0") + ("." + "0" * places if places else "")


def write(value: Any, kind: str) -> Any:
    """The cell value for a plain value of a column of ``kind``."""
    if value is None:
        return None
    if kind == "bool":
        return YES if value else NO
    if kind == "choice" and value in COMPARATOR_SHOWN:
        return COMPARATOR_SHOWN[value]
    if kind == "lines":
        return "\n".join(value)
    return value
