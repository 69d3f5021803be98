"""Tags in a paragraph's text: ``{{ }}``, ``{% %}``, ``{# #}`` and docxtpl's levels.

:func:`lex` finds the tags of one :class:`~reportgen.docx.paragraphs.Paragraph`, each
ending where Jinja ends it (:func:`tag_end`: not at a closer inside a string or brackets,
so ``{{ {"a": 1}|length }}`` is one tag, not a mistyped "{ {"), and the
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


_CLOSERS = {")": "(", "]": "[", "}": "{"}
_QUOTED = {'"': re.compile(r'"(?:[^"\\]|\\.)*"', re.S), "'": re.compile(r"'(?:[^'\\]|\\.)*'", re.S)}


def tag_end(text: str, start: int, stop: Optional[re.Pattern] = None) -> Optional[int]:
    """Where the tag opened at ``start`` ends (after its closer), read as Jinja reads it:
    a closer inside a string (``{{ "}}" }}``) or inside brackets (``{{ {"a": {"b": 1}}|length }}``)
    does not end it. None when it does not end so (an unclosed string or bracket, a
    closing bracket that does not match, or ``stop`` met first): the caller then reads
    it the plain way, and Jinja says what is wrong with it."""
    closer = _CLOSE[text[start:start + 2]]
    if closer == "#}":  # a comment ends at its first closer
        end = text.find(closer, start + 2)
        return None if end < 0 else end + 2
    pos, brackets = start + 2, []
    while pos < len(text):
        char = text[pos]
        if not brackets and text.startswith(closer, pos):
            return pos + 2
        if stop is not None and stop.match(text, pos):
            return None
        if char in _QUOTED:
            quoted = _QUOTED[char].match(text, pos)
            if quoted is None:
                return None
            pos = quoted.end()
            continue
        if char in "([{":
            brackets.append(char)
        elif char in _CLOSERS and brackets:
            if brackets.pop() != _CLOSERS[char]:
                return None
        pos += 1
    return None


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


def _spans(text: str) -> tuple[list[tuple[int, int]], list[int], list[tuple[int, int]]]:
    """(the tags' spans, the openers left unclosed, the stretches between them)."""
    spans, unclosed, gaps, pos = [], [], [], 0
    while True:
        match = _OPEN.search(text, pos)
        gaps.append((pos, match.start() if match else len(text)))
        if not match:
            return spans, unclosed, gaps
        end = tag_end(text, match.start())
        if end is None:  # read the plain way: to the first closer, if no tag opens before it
            found = text.find(_CLOSE[match.group()], match.end())
            following = _OPEN.search(text, match.end())
            end = None if found < 0 or (following and following.start() < found and match.group() != "{#") \
                else found + 2
        if end is None:
            unclosed.append(match.start())
            pos = match.end()
        else:
            spans.append((match.start(), end))
            pos = end


def lex(paragraph: Paragraph) -> tuple[list[Tag], list[Problem]]:
    """The tags in ``paragraph``, and the slips: stretches that should be a tag but
    cannot be read as one (a stray or full-width delimiter, an unclosed tag)."""
    text = paragraph.text
    spans, unclosed, gaps = _spans(text)
    # Inside a tag, "{ {" and "} }" are Jinja's own braces (a dict in a dict): no slip.
    found = [m for m in _MISTYPED.finditer(text) if not any(s < m.start() < e - 1 for s, e in spans)]
    mistyped = [m.start() for m in found]
    slips = []
    for match in found:
        fixed = match.group().translate(_HALF)
        what = "全角符号" if fixed != match.group().replace(" ", "") else "空格"
        slips.append(_slip(paragraph, match.start(), match.end(),
                           f"标签符号 “{match.group()}” 中有{what}，应写作半角的 “{fixed}”"))
    for start in unclosed:
        opener = text[start:start + 2]
        slips.append(_slip(paragraph, start, start + 2,
                           f"标签没有结束：“{opener}” 之后缺少 “{_CLOSE[opener]}”（标签必须写在同一段内）"))
    for start, end in gaps:
        slips += _stray(paragraph, start, end, mistyped)
    return [_tag(paragraph, start, end) for start, end in spans], slips


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
