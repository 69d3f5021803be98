"""What each model field and class means, declared once beside it as attrs metadata.

Every field of the models is made with :func:`field`, which is ``attrs.field`` plus a
:class:`FieldInfo` (its Chinese meaning, and optionally a longer description, a unit
and an example) stored under :data:`METADATA_KEY` in the field's metadata, as attrs'
docs advise ("Extending → Metadata": an exposed key, immutable values, a wrapper of
``attrs.field`` that keeps any other metadata). Each model class is titled with
:func:`describe`. docs/data-format.md, the template vocabulary and anything later
generated from the models (a JSON Schema, Excel headers) read them through
:func:`info_of`, :func:`metadata_of` and :func:`model_info` only.

    >>> from attrs import frozen
    >>> @describe("例子")
    ... @frozen
    ... class Example:
    ...     amount: int = field("金额", unit="万元", example=12)
    >>> metadata_of(Example)["amount"]
    FieldInfo(meaning='金额', doc=None, unit='万元', example=12)
    >>> model_info(Example).meaning
    '例子'
"""
from __future__ import annotations

from typing import Any, Optional

import attrs
from attrs import frozen

#: the key under which a field's :class:`FieldInfo` is kept in its attrs metadata.
METADATA_KEY = "reportgen"
#: the class attribute under which :func:`describe` keeps a model's :class:`ModelInfo`.
_CLASS_KEY = "__reportgen_model__"


@frozen
class FieldInfo:
    """What one field means, for the people who fill it in and the templates that read it.

    ``meaning`` is short Chinese (a column header, a title: "全年预算数"); ``doc`` a
    longer Chinese description; ``unit`` what a number is counted in ("万元", "%");
    ``example`` a value as a data file would give it (2023, "广州市荔湾区").
    """

    meaning: str
    doc: Optional[str] = None
    unit: Optional[str] = None
    example: Any = None


@frozen
class ModelInfo:
    """What one model class stands for: a short Chinese title and a longer description."""

    meaning: str
    doc: Optional[str] = None


def field(meaning: str, *, doc: Optional[str] = None, unit: Optional[str] = None,
          example: Any = None, metadata: Optional[dict] = None, **kwargs: Any) -> Any:
    """``attrs.field(**kwargs)`` carrying a :class:`FieldInfo` in its metadata.

    ``meaning`` must not be empty (``ValueError``): a field nobody can name has no
    place in a clerk's data file. Any other ``metadata`` given is kept beside it.

        >>> dict(field("年度", metadata={"other": 1}).metadata)["other"]
        1
        >>> field("")
        Traceback (most recent call last):
        ValueError: a model field needs a meaning
    """
    if not meaning:
        raise ValueError("a model field needs a meaning")
    info = FieldInfo(meaning, doc, unit, example)
    return attrs.field(metadata={**(metadata or {}), METADATA_KEY: info}, **kwargs)


def describe(meaning: str, doc: Optional[str] = None):
    """Class decorator (over ``@frozen``) giving a model its :class:`ModelInfo`."""
    def decorate(cls: type) -> type:
        setattr(cls, _CLASS_KEY, ModelInfo(meaning, doc))
        return cls
    return decorate


def info_of(attribute: attrs.Attribute) -> FieldInfo:
    """The :class:`FieldInfo` of one attrs field; ``LookupError`` if it was not made
    with :func:`field`."""
    try:
        return attribute.metadata[METADATA_KEY]
    except KeyError:
        raise LookupError(f"field {attribute.name!r} was not made with reportgen.model.fields.field") from None


def metadata_of(cls: type) -> dict[str, FieldInfo]:
    """{field name: :class:`FieldInfo`} of an attrs model class, in declaration order."""
    return {attribute.name: info_of(attribute) for attribute in attrs.fields(cls)}


def model_info(cls: type) -> ModelInfo:
    """The :class:`ModelInfo` :func:`describe` gave ``cls``; ``LookupError`` if none."""
    info = cls.__dict__.get(_CLASS_KEY)
    if info is None:
        raise LookupError(f"model {cls.__name__} was declared without reportgen.model.fields.describe")
    return info
