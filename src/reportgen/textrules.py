"""What counts as a line break and as a typed blank in data text: one rule for loading,
rendering and ``reportgen check`` alike (issue 10, kind 5).

    >>> line_breaks("一\\r\\n二\\x0b三\\u2028四")
    '一\\n二\\n三\\n四'
"""
from __future__ import annotations

import re

#: blanks a clerk types at the start of a paragraph (half-width, full-width, no-break).
BLANKS = " \u3000\u00a0"

# CR LF, CR, LF, Word's vertical tab (Shift+Enter), NEL, and the Unicode line and
# paragraph separators a paste from a web page carries.
_BREAKS = re.compile("\r\n|[\r\n\x0b\x85\u2028\u2029]")


def line_breaks(text: str) -> str:
    """``text`` with every kind of line break written as "\\n"."""
    return _BREAKS.sub("\n", text)
