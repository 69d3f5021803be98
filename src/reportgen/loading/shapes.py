"""What a model field's type is, for every walker of the models' types.

The workbook layout, the JSON Schema and the reading of Python values all ask the
same questions of a field's type (is it optional? a list of what? a nested object, a
target that may be written as text, a number?); they are answered here once, from the
types the models declare.

    >>> from reportgen.model import Indicator, Money
    >>> from typing import Optional
    >>> of(Optional[Money]).kind, of(Optional[Money]).optional
    ('decimal', True)
    >>> of(tuple[Indicator, ...]).kind, of(tuple[Indicator, ...]).item is Indicator
    ('list', True)
"""
from __future__ import annotations

import typing
from decimal import Decimal
from typing import Any

import attrs
from attrs import frozen

from reportgen.model import Actual, Count, Label, Money, Percent, Places, Points, Target, Year

#: types whose values are exact decimals, whole numbers, and text.
DECIMALS = (Money, Points, Decimal)
WHOLES = (int, Count, Places, Percent, Year)
TEXTS = (str, Label)
#: attrs classes that a data file may also write as one string ("≥90%").
MEASURES = (Target, Actual)


@frozen
class Shape:
    """One field type: ``kind`` is "object", "measure" (an object or a string), "list",
    "dict", "decimal", "whole", "bool", "text" or "choice" (a Literal); ``tp`` is the
    type without Optional; ``item`` a list's item type or a dict's value type."""

    kind: str
    tp: Any
    optional: bool = False
    item: Any = None

    @property
    def choices(self) -> tuple:
        """The values a "choice" allows (a Literal's arguments), else ()."""
        return typing.get_args(self.tp) if self.kind == "choice" else ()

    @property
    def key(self) -> Any:
        """A dict's key type (None for other kinds)."""
        return typing.get_args(self.tp)[0] if self.kind == "dict" else None


def of(tp: Any) -> Shape:
    """The :class:`Shape` of a model field's type; ``TypeError`` for a type the models
    do not use (a Union of two types, a float)."""
    optional = False
    if typing.get_origin(tp) is typing.Union:
        inner = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(inner) != 1:
            raise TypeError(f"no shape for {tp}")
        tp, optional = inner[0], True
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is typing.Literal:
        return Shape("choice", tp, optional)
    if origin in (tuple, list):
        return Shape("list", tp, optional, args[0])
    if origin is dict:
        return Shape("dict", tp, optional, args[1])
    if tp in MEASURES:
        return Shape("measure", tp, optional)
    if attrs.has(tp):
        return Shape("object", tp, optional)
    for kind, types in (("decimal", DECIMALS), ("whole", WHOLES), ("text", TEXTS), ("bool", (bool,))):
        if tp in types:
            return Shape(kind, tp, optional)
    raise TypeError(f"no shape for {tp}")


def fields(cls: type) -> list[tuple[attrs.Attribute, Shape]]:
    """Each attrs field of ``cls`` with the :class:`Shape` of its resolved type."""
    hints = typing.get_type_hints(cls)
    return [(field, of(hints[field.name])) for field in attrs.fields(cls)]


def required(field: attrs.Attribute) -> bool:
    """Whether a data file must give ``field`` (it has no default)."""
    return field.default is attrs.NOTHING
