"""``reportgen check``: an indicator whose 指标值 and 实际完成值 carry a unit on one side only.

Scoring reads a value written without a unit in the other side's unit ("≥15场" against
"18" is 18场: :func:`reportgen.compute.scoring.units_agree`). That is usually what was
meant, but not always: "≥90%" against "0.85" is scored as 0.85%, nearly nothing, where
the clerk meant 85%. So a unit on one side only is said, with what to write instead:

- an error when the side with the unit is in percent and the bare value is a fraction
  (0 < value ≤ 1) while the other exceeds 1: almost surely a proportion written as a
  fraction, and the score computed from it is off by a hundred times;
- a warning otherwise (write the unit, or give the indicator's 计量单位 ``unit``).

An indicator with its own ``unit`` gives bare values that unit, and is not questioned.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Iterator, Optional

from reportgen.checking.findings import ERROR, WARNING, Problem, finding
from reportgen.compute import scoring
from reportgen.model import Indicator

PERCENT = ("%", "％")


def _plain(value: Decimal) -> str:
    """A value as a clerk writes it: no exponent, no trailing zeros ("85", "85.5")."""
    return format(value.normalize(), "f")


def _sides(indicator: Indicator) -> Optional[tuple]:
    """(bare side, its field, its label, the other side, its label) when exactly one
    side of a numeric indicator has a unit; None otherwise."""
    target, actual = scoring.target_of(indicator), indicator.actual
    if indicator.unit or target is None or actual is None or target.value is None or actual.value is None:
        return None
    if bool(target.unit) == bool(actual.unit):
        return None
    target_field = "target" if indicator.target is not None else "period_target"
    target_label = "年度指标值" if indicator.target is not None else "实施周期指标值"
    if target.unit:
        return actual, "actual", "实际完成值", target, target_label
    return target, target_field, target_label, actual, "实际完成值"


def one_sided_unit_findings(indicator: Indicator, where: str) -> Iterator[Problem]:
    """The finding for an indicator whose value has a unit on one side only (module docstring)."""
    sides = _sides(indicator)
    if sides is None:
        return
    bare, field, label, other, other_label = sides
    unit: str = other.unit
    value = _plain(bare.value)
    head = f"指标“{indicator.name}”的{other_label}“{other.text}”带单位“{unit}”，{label}“{bare.text}”没有单位"
    if unit in PERCENT and 0 < bare.value <= 1 < other.value:
        yield finding(ERROR, f"{where}.{field}",
                      f"{head}，按{value}{unit}计分；如{value}是比例，请写作“{_plain(bare.value * 100)}{unit}”，"
                      f"确为{value}{unit}请写作“{value}{unit}”")
        return
    yield finding(WARNING, f"{where}.{field}",
                  f"{head}，按“{value}{unit}”计分；请写明单位，如“{value}{unit}”，"
                  f"或在计量单位（unit）中填写“{unit}”")

