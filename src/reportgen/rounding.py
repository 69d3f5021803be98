"""Rounding and rates: 四舍五入 on Decimal, never binary floats or half-to-even."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal
from typing import Optional

HUNDRED = Decimal(100)


def round_half_up(value: Decimal, places: int) -> Decimal:
    """Round to ``places`` decimals, halves away from zero; a zero has no sign.

    Exact whatever the size: the working precision grows with the number, where
    Decimal's default 28 digits would fail on a rate of 1e30 percent.

    >>> round_half_up(Decimal("98.545"), 2), round_half_up(Decimal("2.5"), 0)
    (Decimal('98.55'), Decimal('3'))
    >>> round_half_up(Decimal("-0.001"), 2), round_half_up(Decimal("4.65e34"), 2)
    (Decimal('0.00'), Decimal('46500000000000000000000000000000000.00'))
    """
    value = Decimal(value)
    digits = max(value.adjusted(), 0) + places + 2
    rounded = value.quantize(Decimal(1).scaleb(-places),
                             context=Context(prec=max(28, digits), rounding=ROUND_HALF_UP))
    return rounded.copy_abs() if not rounded else rounded  # never "-0" in a document


class Rate(Decimal):
    """A percentage rounded to its document's precision that keeps its exact value.

    It compares and prints as the rounded figure; a template that asks for other
    places (``|percent(1)``) rounds once, from :attr:`exact`, never a rounded value
    again (98.449 → 98.45 → 98.5 would be wrong; 98.449 → 98.4 is right).

    >>> rate = percentage(Decimal("9844.9"), Decimal("10000"))
    >>> rate, rate.exact, round_half_up(rate.exact, 1)
    (Decimal('98.45'), Decimal('98.449'), Decimal('98.4'))
    """

    __slots__ = ("exact",)

    def __new__(cls, rounded: Decimal, exact: Decimal):
        rate = super().__new__(cls, rounded)
        rate.exact = exact
        return rate

    def __repr__(self) -> str:  # what a plain Decimal of the printed value shows
        return f"Decimal('{self}')"

    def __reduce__(self):  # worker processes send contexts through pickle
        return (Rate, (Decimal(self), self.exact))


def percentage(part: Decimal, whole: Decimal, places: int = 2) -> Optional[Rate]:
    """``part / whole`` in percent, rounded half up; None when ``whole`` is zero.

    >>> percentage(Decimal("11787.03"), Decimal("12045.86"))
    Decimal('97.85')
    >>> percentage(Decimal("28404.48"), Decimal("28825.37"), 1)
    Decimal('98.5')
    >>> percentage(Decimal(1), Decimal(0)) is None
    True
    """
    if not whole:
        return None
    exact = Decimal(part) * HUNDRED / Decimal(whole)
    return Rate(round_half_up(exact, places), exact)


def change(current: Decimal, previous: Decimal, places: int = 2) -> Optional[Decimal]:
    """同比 change in percent: (current − previous) / previous.

    >>> change(Decimal("110"), Decimal("100"))
    Decimal('10.00')
    """
    if not previous:
        return None
    return percentage(Decimal(current) - Decimal(previous), previous, places)
