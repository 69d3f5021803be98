"""reportgen's ``default`` filter: the text to print where the data has nothing.

Jinja's own ``default`` replaces only an *undefined* value (pallets/jinja#2144). In
reportgen every documented name is defined: a text the data leaves out is "" and a
number or an object it leaves out is none, so Jinja's ``default("无")`` would never
print "无" (docs/template-guide.md promised it would; case 12 of issue 10). This
``default`` prints its text when the value is *empty*: undefined, none, a text of
blanks only (half- or full-width), an empty list or mapping. Zero and false are values,
not empty: a carry-over of 0 prints "0", not "未填报". With ``boolean=true`` it is
Jinja's (every false value replaced, zero too), for templates written for Jinja.
"""
from __future__ import annotations

from typing import Any

import jinja2


def empty(value: Any) -> bool:
    """True for what ``default`` replaces: undefined, none, blank text, an empty collection."""
    if value is None or isinstance(value, jinja2.Undefined):
        return True
    if isinstance(value, str):
        return not value.strip()  # str.strip drops U+3000 too
    return isinstance(value, (list, tuple, dict, set, frozenset)) and not value


def default(value: Any, default_value: Any = "", boolean: bool = False) -> Any:
    """``value``, or ``default_value`` when ``value`` is :func:`empty` (with ``boolean``,
    when it is false in Jinja's sense, zero included)."""
    if isinstance(value, jinja2.Undefined) or (not value if boolean else empty(value)):
        return default_value
    return value


#: the filters this module adds to the table (Jinja names ``d`` an alias of ``default``).
DEFAULTS = {"default": default, "d": default}
