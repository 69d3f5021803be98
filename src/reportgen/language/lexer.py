"""Tags in a paragraph's text: ``{{ }}``, ``{% %}``, ``{# #}`` and docxtpl's levels.

:func:`lex` finds the tags of one :class:`~reportgen.docx.paragraphs.Paragraph`, and the
slips that keep a tag from being read at all (a stray ``%}``, a full-width ``｛％``, a
tag left open); :func:`mentions` says whether a tag names a name or expression.
"""
from __future__ import annotations

import re
from typing import NamedTuple, Optional

from reportgen.docx.paragraphs import Paragraph
from reportgen.errors import Problem

#: straightened by docxtpl (the first four) or never typed on purpose in a tag.
CURLY_QUOTES = {"“": '"', "”": '"', "„": '"', "‟": '"', "〝": '"', "〞": '"', "＂": '"',
                "‘": "'", "’": "'", "‚": "'", "‛": "'", "＇": "'"}
_STRAIGHTEN = str.maketrans(CURLY_QUOTES)


class Tag(NamedTuple):
    """A tag as written in a paragraph."""

    paragraph: Paragraph
    start: int
    end: int
    delim: str  # "{{", "{%" or "{#"
    level: str  # docxtpl's "p", "tr", "tc", "r" prefix (lower case), or ""
    inner: str  # between the delimiters, without prefix and "-", quotes straightened

    @property
    def raw(self) -> str:
        return self.paragraph.text[self.start:self.end]

    @property
    def keyword(self) -> str:
        match = re.match(r"\w+", self.inner) if self.delim == "{%" else None
        return match.group() if match else ""

    def where(self) -> str:
        """Where the tag is, with the text around it: 正文第3段「…{{ x }}…」."""
        return self.paragraph.place() + self.paragraph.excerpt(self.start, self.end)

    def problem(self, message: str, hint: Optional[str] = None) -> Problem:
        """A problem with this tag, placed at it."""
        return Problem(self.paragraph.place_of(self.start, self.end, self.raw), message, hint=hint)


# ---- lexing -------------------------------------------------------------------------------

_OPEN = re.compile(r"\{[{%#]")
_CLOSE = {"{{": "}}", "{%": "%}", "{#": "#}"}
_STRAY = re.compile(r"%\}|\}\}|#\}")
# Case-blind: Word's AutoCorrect writes "{%P"; read it as meant and let the checks say so.
_LEVEL = re.compile(r"(tr|tc|p|r) ", re.IGNORECASE)
_SPACED_LEVEL = re.compile(r"\s+(tr|tc|p|r)\s+(?=(?:if|elif|else|endif|for|endfor)\b)")
# A delimiter typed with a full-width half (｛％) or with a space inside it ({ %).
_MISTYPED = re.compile(r"[{｛][｛％＃]|｛[{%#]|[％＃｝]｝|[%#}]｝|％}|＃}|\{ +[{%]|[%}] +\}")
_HALF = str.maketrans("｛｝％＃", "{}%#", " ")


def _tag(paragraph: Paragraph, start: int, end: int) -> Tag:
    delim = paragraph.text[start:start + 2]
    body = paragraph.text[start + 2:end - 2]
    level = ""
    # "{% p if %}" is a mistyped "{%p if %}"; read it as meant and let the checks say so.
    match = _LEVEL.match(body) or (delim == "{%" and _SPACED_LEVEL.match(body))
    if match and delim != "{#":
        level, body = match.group(1).lower(), body[match.end():]
    # "{%-", "-%}", "{{+" … control white space; a "+" or "-" apart from them is the tag's own.
    inner = re.sub(r"^[-+]|[-+]$", "", body).strip().translate(_STRAIGHTEN)
    return Tag(paragraph, start, end, delim, level, inner)


def _stray(paragraph: Paragraph, start: int, end: int, mistyped: list[int]) -> list[Problem]:
    out = []
    for match in _STRAY.finditer(paragraph.text, start, end):
        if any(start <= m < match.start() for m in mistyped):
            continue  # the closer of a mistyped opener, already reported
        opener = {"%}": "{%", "}}": "{{", "#}": "{#"}[match.group()]
        out.append(_slip(paragraph, match.start(), match.end(),
                         f"多余的 “{match.group()}”：前面没有对应的 “{opener}”（标签不能跨段落）"))
    return out


def _slip(paragraph: Paragraph, start: int, end: int, message: str) -> Problem:
    return Problem(paragraph.place_of(start, end), message)


def lex(paragraph: Paragraph) -> tuple[list[Tag], list[Problem]]:
    """The tags in ``paragraph``, and the slips: stretches that should be a tag but
    cannot be read as one (a stray or full-width delimiter, an unclosed tag)."""
    text, tags, slips, pos = paragraph.text, [], [], 0
    mistyped = [m.start() for m in _MISTYPED.finditer(text)]
    for match in _MISTYPED.finditer(text):
        fixed = match.group().translate(_HALF)
        what = "全角符号" if fixed != match.group().replace(" ", "") else "空格"
        slips.append(_slip(paragraph, match.start(), match.end(),
                           f"标签符号 “{match.group()}” 中有{what}，应写作半角的 “{fixed}”"))
    while True:
        match = _OPEN.search(text, pos)
        slips += _stray(paragraph, pos, match.start() if match else len(text), mistyped)
        if not match:
            break
        closer = _CLOSE[match.group()]
        end = text.find(closer, match.end())
        following = _OPEN.search(text, match.end())
        if end < 0 or (following and following.start() < end and match.group() != "{#"):
            slips.append(_slip(paragraph, match.start(), match.end(),
                               f"标签没有结束：“{match.group()}” 之后缺少 “{closer}”（标签必须写在同一段内）"))
            pos = match.end()
            continue
        tags.append(_tag(paragraph, match.start(), end + 2))
        pos = end + 2
    return tags, slips


# ---- naming ----------------------------------------------------------------------------


def _tight(text: str) -> str:
    """``text`` without the spaces around symbols: ``a | money`` → ``a|money``."""
    return re.sub(r"\s*([^\w\s])\s*", r"\1", " ".join(text.split()))


def mentions(inner: str, name: str) -> bool:
    """True when a tag's ``inner`` text holds ``name``, a name (``nmae``) or an
    expression (``budget.execution_rate|percent``), spaces around symbols aside.

    >>> mentions("budget.execution_rate | percent(1)", "budget.execution_rate|percent")
    True
    >>> mentions("p.nmae|money", "nmae"), mentions("p.name|money", "nam")
    (True, False)
    """
    return re.search(rf"(?<!\w){re.escape(_tight(name))}(?!\w)", _tight(inner)) is not None
