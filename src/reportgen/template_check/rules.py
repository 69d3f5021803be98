"""The linter's checks over a whole template: every problem found at once, each with its place.

On top of the structure the renderer checks too (:mod:`reportgen.language.structure`):
names against the vocabulary and what the template binds, nested names
(``department.name``, ``t.title`` in a loop) against the structured vocabulary
(:mod:`.attributes`), filters and tests against the environment, curly quotes and line
breaks in tags, tags hidden in revisions, tags Word split so that docxtpl cannot
join them again (printed as written), and what rendering would refuse whatever the
data: names no template may reach, constants over a limit (:mod:`.limits`).

Without a vocabulary (``known=None``) only the structure is checked, as the renderer does.
"""
from __future__ import annotations

import html
import re
from typing import Any, Callable, Mapping, Optional

import jinja2
from lxml import etree

from reportgen.docx.paragraphs import Paragraph, Part
from reportgen.engine.docxtpl_adapter import patch_xml
from reportgen.errors import Problem, did_you_mean, suggest
from reportgen.language.filters import UNSAFE_FILTERS
from reportgen.language.lexer import CURLY_QUOTES, Tag, lex, tag_end
from reportgen.language.structure import (SPLIT, STRADDLING, BlockWalk, joined_tags, scan, straddles,
                                          structural_problems)
from reportgen.language.tags import Reading, read
from reportgen.template_check.attributes import UNKNOWN, Value, resolve
from reportgen.language.limits import Budget
from reportgen.template_check.limits import CHECK_TIME, costs, loop_size, nested_turns, refused

_STRAIGHTEN = str.maketrans(CURLY_QUOTES)
#: how a problem with an unknown top-level name begins.
UNKNOWN_VARIABLE = "未知的变量"
_PATCHED_TAG = re.compile(r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}", re.S)
_OPENER = re.compile(r"\{[{%#]")
_MARKUP = re.compile(r"</?w:")  # docxtpl leaves no markup inside a tag it joined
# Tag delimiters in Word's XML, perhaps with markup between the two characters.
_XML_OPEN = re.compile(r"\{(?:<[^>]*>)*([{%#])")
_XML_CLOSE = {d: re.compile(rf"{re.escape(c)}(?:<[^>]*>)*\}}") for d, c in (("{", "}"), ("%", "%"), ("#", "#"))}
_PARAGRAPH_EDGE = re.compile(r"(<w:p[ >/]|</w:p>)")
_UNREADABLE = (f"{SPLIT}，中间夹有修订、超链接、域或其他格式，程序读不出；"
               "请删除整个标签，再一次性重新输入")


class Shared:
    """What checking a template against a vocabulary works out whatever the vocabulary,
    kept for checking it against another: each paragraph's tags, each part's tags as
    docxtpl reads them, each tag's reading (Jinja's parse) and what the renderer would
    refuse in it whatever the data (its constants evaluated, under one :data:`CHECK_TIME`
    for the template). For one template and one environment."""

    def __init__(self, env: jinja2.Environment):
        self.env, self.budget = env, Budget(CHECK_TIME)
        self._kept: dict[tuple[str, int], tuple[Any, Any]] = {}  # (what, id) → (its object, the result)

    def _once(self, what: str, of: Any, work: Callable[[], Any]) -> Any:
        found = self._kept.get((what, id(of)))
        if found is None:  # ``of`` is kept too: its id stays its own
            found = self._kept[(what, id(of))] = (of, work())
        return found[1]

    def lex(self, paragraph: Paragraph) -> tuple[list[Tag], list[Problem]]:
        return self._once("lex", paragraph, lambda: lex(paragraph))

    def split(self, part: Part, tags: list[Tag]) -> list[Problem]:
        return self._once("split", part, lambda: _split(part, tags))

    def reading(self, tag: Tag) -> Reading:
        return self._once("read", tag, lambda: read(tag, self.env))

    def limits(self, tag: Tag, tree) -> tuple[list[str], Optional[int]]:
        """(what the renderer would refuse in ``tag`` whatever the data, its loop's turns)."""
        return self._once("limits", tag, lambda: (refused(tree) + costs(tree, self.env, self.budget),
                                                  loop_size(tree)))


class _NameWalk(BlockWalk):
    """The block walk, following every name through the vocabulary (``known``)."""

    def __init__(self, known: Mapping[str, Value], out: list[Problem], shared: Shared):
        super().__init__(shared.env, out)
        self.known, self.shared = dict(known), shared
        self.loop_sizes: dict[int, Optional[int]] = {}  # id of a for tag → turns of its constant range

    def reading(self, tag: Tag) -> Reading:
        return self.shared.reading(tag)

    def visible(self) -> dict[str, Value]:
        """Every name seen here, with its value; an inner binding hides an outer one."""
        out = dict(self.known)
        for frame in self.frames:
            out.update(frame.names)
        return out

    def bindings(self, tag: Tag, reading: Reading) -> tuple[dict, dict]:
        found = resolve(reading.tree, self.visible()) if reading.tree is not None else None
        binds = {name: found.binds.get(name, UNKNOWN) if found else UNKNOWN for name in reading.binds}
        # Names a for or with binds are seen inside its block (and its own condition).
        inside = {**binds, "loop": found.binds.get("loop", UNKNOWN) if found else UNKNOWN} \
            if reading.keyword == "for" else binds if reading.keyword == "with" else {}
        self.names(tag, reading, inside)
        self.out += [tag.problem(message, hint) for message, hint in (found.problems if found else [])]
        if reading.tree is not None:
            self.limits(tag, reading)
        return binds, inside

    def limits(self, tag: Tag, reading: Reading) -> None:
        """What the renderer would refuse in this tag whatever the data (:mod:`.limits`)."""
        messages, size = self.shared.limits(tag, reading.tree)
        self.out += [tag.problem(message) for message in messages]
        if reading.keyword == "for":
            self.loop_sizes[id(tag)] = size
            outer = [self.loop_sizes.get(id(f.tag)) for f in self.frames if f.keyword == "for"]
            message = nested_turns([*outer, size])
            if message:
                self.out.append(tag.problem(message))

    def names(self, tag: Tag, reading: Reading, bound) -> None:
        visible = set(self.visible()) | set(bound)
        for name in reading.loads:
            if name not in visible:
                self.out.append(tag.problem(f"{UNKNOWN_VARIABLE} “{name}”", did_you_mean(suggest(name, visible))))
        for name in reading.filters:
            if name in UNSAFE_FILTERS:
                self.out.append(tag.problem(f"出于安全考虑，不能使用过滤器 “{name}”"))
            elif name not in self.env.filters:
                self.out.append(tag.problem(f"未知的过滤器 “{name}”", did_you_mean(suggest(name, self.env.filters))))
        for name in reading.tests:
            if name not in self.env.tests:
                self.out.append(tag.problem(f"未知的判断 “is {name}”", did_you_mean(suggest(name, self.env.tests))))


# ---- tags docxtpl cannot read as written ---------------------------------------------------


def _canonical(text: str) -> str:
    return re.sub(r"\s+", "", html.unescape(text).translate(_STRAIGHTEN))


def _as_docxtpl_reads(tag: Tag) -> str:
    body = tag.raw[2:-2]
    if tag.level and body.startswith(tag.level):  # docxtpl drops "p" from "{%p if %}"
        body = body[len(tag.level):]
    return _canonical(tag.raw[:2] + body + tag.raw[-2:])


def _unclosed_cut(text: str) -> str:
    """``text`` (XML within one paragraph) with the first "{" of each tag opener that is
    not closed (as :func:`reportgen.language.lexer.lex` reads it) removed."""
    cut, pos = [], 0
    while (opener := _XML_OPEN.search(text, pos)) is not None:
        closer = _XML_CLOSE[opener.group(1)].search(text, opener.end())
        following = _XML_OPEN.search(text, opener.end())
        if closer is None or (following and following.start() < closer.start() and opener.group(1) != "#"):
            cut.append(opener.start())
            pos = opener.end()
        else:
            pos = closer.end()
    for start in reversed(cut):
        text = text[:start] + text[start + 1:]
    return text


def _patched_tags(part: Part) -> list[str]:
    """The tags of a part as docxtpl reads them. An unclosed opener would make docxtpl
    read on to the next closer, paragraphs later, and hide the tags between (each then
    reported as split): it is cut first, as it is reported already."""
    xml = etree.tostring(etree.fromstring(part.xml.encode("utf-8")), encoding="unicode")
    pieces = _PARAGRAPH_EDGE.split(xml)  # odd items: the edges themselves
    xml = patch_xml("".join(_unclosed_cut(p) if i % 2 == 0 else p for i, p in enumerate(pieces)))
    found, pos = [], 0
    while (opener := _OPENER.search(xml, pos)) is not None:
        end = tag_end(xml, opener.start(), _MARKUP)  # as the lexer reads the paragraph's text
        plain = _PATCHED_TAG.match(xml, opener.start()) if end is None else None
        if end is None and plain is None:
            pos = opener.end()
            continue
        end = end if end is not None else plain.end()
        found.append(_canonical(xml[opener.start():end]))
        pos = end
    return found


def _split(part: Part, tags: list[Tag]) -> list[Problem]:
    """Tags docxtpl cannot read as written, or joins only by breaking the XML."""
    patched, out, pointer = _patched_tags(part), [], 0
    used = [False] * len(patched)
    for tag in joined_tags(tags):
        want = _as_docxtpl_reads(tag)
        found = next((i for i in [*range(pointer, len(patched)), *range(pointer)]
                      if not used[i] and patched[i] == want), None)
        if found is not None:
            used[found], pointer = True, found + 1
        if found is None or straddles(tag):
            out.append(tag.problem(_UNREADABLE if found is None else STRADDLING))
    return out


def check_parts(parts: list[Part], known: Optional[Mapping[str, Value]],
                env: jinja2.Environment, shared: Optional[Shared] = None) -> list[Problem]:
    """Every problem in ``parts``, in document order; ``known`` holds the names a
    template may read, each with what it holds (see :func:`.attributes.top_level`);
    None: the structure only (:func:`reportgen.language.structure.structural_problems`).
    ``shared``: what an earlier check of the same ``parts`` in ``env`` against another
    vocabulary worked out (then only the names are followed again)."""
    if known is None:
        return structural_problems(parts, env)
    shared = Shared(env) if shared is None else shared
    return scan(parts, False, shared.split, lambda out, tags: lambda: _NameWalk(known, out, shared), shared.lex)
