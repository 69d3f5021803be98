"""Python values → the plain data a JSON file gives, for programs that hold the data
as objects (``reportgen.from_dict``).

A program may hand over what JSON cannot hold: tuples, other mappings, model objects,
numbers as Decimal, int or numeric strings ("12045.86") where the model wants a number.
Each is turned into what :func:`reportgen.loading.structure` takes, guided by the
model's field types (:mod:`.shapes`). A float is taken only when it is exactly the
decimal it prints as (0.5, 116.0); 0.1 is not (its binary value is 0.1000000000000000055…),
and is refused with its path, so money never silently changes.

    >>> from reportgen.model import GoalProject
    >>> data, problems = plain({"name": "x", "total": "12,045.86", "indicators": ()}, GoalProject)
    >>> data["total"], data["indicators"], problems
    (Decimal('12045.86'), [], [])
    >>> plain({"name": "x", "total": 0.1}, GoalProject)[1][0].message[:19]
    '浮点数 0.1 不能精确表示为十进制数'
"""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, Mapping

import attrs

from reportgen.errors import DataPath, Problem
from reportgen.loading import shapes
from reportgen.loading.dumping import unstructure

# A number written as text: digits with an optional sign, decimal point and thousands commas.
_NUMERIC = re.compile(r"[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?")


def number_text(text: str) -> Any:
    """The Decimal a numeric string spells ("12,045.86", " 5 "), else None."""
    text = text.strip()
    return Decimal(text.replace(",", "")) if _NUMERIC.fullmatch(text) else None


def _float(value: float, steps: list, problems: list[Problem]) -> Any:
    """A float that is exactly its shortest decimal (0.5, 116.0) as that Decimal."""
    shown = Decimal(repr(value)) if value == value and abs(value) != float("inf") else None
    if shown is not None and shown == Decimal(value):
        return shown
    problems.append(Problem(DataPath(steps), f"浮点数 {value!r} 不能精确表示为十进制数"
                            f"（其二进制值为 {Decimal(value) if shown is not None else value}）",
                            hint=f"请写作 Decimal(\"{value!r}\") 或字符串 \"{value!r}\""))
    return None


def _value(value: Any, shape: shapes.Shape | None, steps: list, problems: list[Problem]) -> Any:
    if attrs.has(type(value)):  # a model object inside the mapping
        return unstructure(value)
    if isinstance(value, float):
        return _float(value, steps, problems)
    kind = shape.kind if shape else None
    if isinstance(value, str) and kind in ("decimal", "whole"):
        number = number_text(value)
        return value if number is None else number
    if isinstance(value, Mapping):
        if shape is not None and kind in ("object", "measure"):
            return _object(value, shape.tp, steps, problems)
        item = shapes.of(shape.item) if shape is not None and kind == "dict" else None
        return {key: _value(inner, item, steps + [key], problems) for key, inner in value.items()}
    if isinstance(value, (list, tuple)):
        item = shapes.of(shape.item) if shape is not None and kind == "list" else None
        return [_value(inner, item, steps + [i], problems) for i, inner in enumerate(value)]
    return value


def _object(value: Mapping, cls: type, steps: list, problems: list[Problem]) -> dict:
    known = {field.name: shape for field, shape in shapes.fields(cls)}
    return {key: _value(inner, known.get(key), steps + [key], problems) for key, inner in value.items()}


def plain(mapping: Mapping, cls: type) -> tuple[dict[str, Any], list[Problem]]:
    """(the plain data, its problems) of a mapping meant as a ``cls``. Keys the model
    does not know are kept, for structuring to name them."""
    problems: list[Problem] = []
    return _object(mapping, cls, [], problems), problems
