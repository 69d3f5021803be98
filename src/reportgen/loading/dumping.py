"""Model → plain data and JSON text: the way back from :mod:`reportgen.loading`.

:func:`unstructure` gives what a data file holds (lists, dicts, str, int, bool, and
Decimals kept as Decimals), leaving out every field that has its default, so that
loading it again gives an equal model. :func:`dumps` writes it as JSON with each
Decimal digit for digit (12045.86 stays 12045.86, 116.00 stays 116.00): a float would
not.

    >>> from decimal import Decimal
    >>> dumps({"a": Decimal("116.00"), "b": ["x"]})
    '{\\n  "a": 116.00,\\n  "b": [\\n    "x"\\n  ]\\n}\\n'
"""
from __future__ import annotations

import json
import typing
from decimal import Decimal
from typing import Any

import cattrs


def _converter() -> cattrs.Converter:
    conv = cattrs.Converter(omit_if_default=True)
    conv.register_unstructure_hook(Decimal, lambda value: value)
    conv.register_unstructure_hook_factory(
        lambda t: typing.get_origin(t) is tuple,
        lambda t: lambda value: [conv.unstructure(item) for item in value])
    return conv


_CONVERTER = _converter()


def unstructure(model: Any) -> dict[str, Any]:
    """The plain data of an attrs model, fields with their default value left out."""
    return _CONVERTER.unstructure(model)


def _write(value: Any, indent: str, out: list[str]) -> None:
    if isinstance(value, dict) and value:
        inner = indent + "  "
        out.append("{\n")
        for n, (key, item) in enumerate(value.items()):
            out.append(f"{inner}{json.dumps(str(key), ensure_ascii=False)}: ")
            _write(item, inner, out)
            out.append(",\n" if n < len(value) - 1 else "\n")
        out.append(indent + "}")
    elif isinstance(value, (list, tuple)) and value:
        inner = indent + "  "
        out.append("[\n")
        for n, item in enumerate(value):
            out.append(inner)
            _write(item, inner, out)
            out.append(",\n" if n < len(value) - 1 else "\n")
        out.append(indent + "]")
    elif isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"{value} cannot be written as JSON")
        out.append(str(value))
    elif isinstance(value, float):
        raise TypeError("a float has no exact JSON digits: give a Decimal")
    else:
        out.append(json.dumps(value, ensure_ascii=False))


def dumps(data: Any) -> str:
    """``data`` as UTF-8-ready JSON text, indented by two spaces, ending in a newline;
    Decimals are written as their own digits. ``TypeError`` for a float."""
    out: list[str] = []
    _write(data, "", out)
    return "".join(out) + "\n"
