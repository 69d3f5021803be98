"""The checks over a whole template: every problem found at once, each with its place.

Per paragraph: slips (unclosed or half-width-less delimiters), tags hidden in revisions,
tags Word split so that docxtpl cannot join them again. Per Jinja template (a part, or
one document property): names against the vocabulary and what the template binds,
nested names (``department.name``, ``t.title`` in a loop) against the structured
vocabulary (:mod:`.attributes`), filters and tests against the environment, blocks that
open and close in pairs at the same docxtpl level and place, ``{%p %}`` and ``{%tr %}``
tags alone in their paragraph or row.

Without a vocabulary (``known=None``) only the structure is checked: what would make
docxtpl and Jinja lose or garble content whatever the data (unclosed or stray
delimiters, misspelled or unbalanced tags, blocks closed at another level or place,
``{%p %}`` and ``{%tr %}`` tags sharing their paragraph or row, a tag split across the
edge of a revision, hyperlink or field, which docxtpl joins by breaking Word's XML).
Rendering refuses a template with such problems; names, curly quotes, line breaks in
tags and tags docxtpl cannot read (printed as written) are left to ``template-check``.
"""
from __future__ import annotations

import html
import re
from typing import Mapping, NamedTuple, Optional

import jinja2
from attrs import define, field
from docxtpl import DocxTemplate
from lxml import etree

from reportgen.template_check.attributes import UNKNOWN, Value, resolve
from reportgen.template_check.document import CURLY_QUOTES, W, Paragraph, Part, Tag, lex
from reportgen.template_check.sandbox import UNSAFE_FILTERS
from reportgen.template_check.tags import DOCXTPL, MIDDLES, hint, read, slips

_STRAIGHTEN = str.maketrans(CURLY_QUOTES)
#: how a problem with an unknown top-level name begins.
UNKNOWN_VARIABLE = "未知的变量"
_PATCHED_TAG = re.compile(r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}", re.S)
# Tag delimiters in Word's XML, perhaps with markup between the two characters.
_XML_OPEN = re.compile(r"\{(?:<[^>]*>)*([{%#])")
_XML_CLOSE = {d: re.compile(rf"{re.escape(c)}(?:<[^>]*>)*\}}") for d, c in (("{", "}"), ("%", "%"), ("#", "#"))}
_PARAGRAPH_EDGE = re.compile(r"(<w:p[ >/]|</w:p>)")
W_T = W + "t"


class TemplateProblem(NamedTuple):
    """One problem in a template: where (in words and as fields) and what."""

    part: str
    paragraph: int  # 1-based as in ``place``: outside tables, or within the cell
    table: Optional[int]
    row: Optional[int]
    column: Optional[int]
    place: str  # 正文第3段, 正文表格1第2行第3列
    text: str  # the text around the problem, in 「」
    tag: str  # the tag as written, if the problem is in one
    message: str
    start: int  # offset in the paragraph's text

    def __str__(self) -> str:
        return f"{self.place}{self.text}：{self.message}"


def _problem(paragraph: Paragraph, start: int, end: int, message: str, tag: str = "") -> TemplateProblem:
    return TemplateProblem(paragraph.part, paragraph.number or paragraph.index, paragraph.table, paragraph.row,
                           paragraph.column, paragraph.place(), paragraph.excerpt(start, end), tag,
                           message, start)


def _at(tag: Tag, message: str) -> TemplateProblem:
    return _problem(tag.paragraph, tag.start, tag.end, message, tag.raw)


def _opening(tag: Tag) -> str:
    return "{%" + tag.level


# ---- blocks and names, one Jinja template at a time -------------------------------------


@define
class _Frame:
    keyword: str
    tag: Tag
    names: dict = field(factory=dict)  # bound inside the block: name → Value
    pending: dict = field(factory=dict)  # bound after it ends (block set)


def _container(tag: Tag) -> tuple:
    p = tag.paragraph
    if tag.level == "tr":
        return (p.table,)
    if tag.level == "tc":
        return (p.table, p.row)
    return (p.table, p.row, p.column)


class _Walk:
    """The tags of one Jinja template in order: scopes, open blocks, problems."""

    def __init__(self, known: Optional[Mapping[str, Value]], env: jinja2.Environment, out: list):
        self.checks_names = known is not None  # else only the blocks are followed
        self.known, self.env, self.out = dict(known or {}), env, out
        self.frames: list[_Frame] = []

    def visible(self) -> dict[str, Value]:
        """Every name seen here, with its value; an inner binding hides an outer one."""
        out = dict(self.known)
        for frame in self.frames:
            out.update(frame.names)
        return out

    def bind(self, names: dict) -> None:
        scoping = [f for f in self.frames if f.keyword in ("for", "with", "set")]
        (scoping[-1].names if scoping else self.known).update(names)

    def tag(self, tag: Tag) -> None:
        reading = read(tag, self.env)
        self.out += [_at(tag, m) for m in reading.problems]
        keyword = reading.keyword
        found = None
        if reading.tree is not None and self.checks_names:
            found = resolve(reading.tree, self.visible())
        binds = {name: found.binds.get(name, UNKNOWN) if found else UNKNOWN for name in reading.binds}
        # Names a for or with binds are seen inside its block (and its own condition).
        inside = {**binds, "loop": found.binds.get("loop", UNKNOWN) if found else UNKNOWN} \
            if keyword == "for" else binds if keyword == "with" else {}
        if self.checks_names:
            self.names(tag, reading, inside)
            self.out += [_at(tag, m) for m in (found.problems if found else [])]
        if keyword in MIDDLES:
            self.middle(tag, keyword)
        elif keyword.startswith("end"):
            self.close(tag, keyword[3:])
        elif reading.opens:  # a block set binds its name when it ends
            pending = binds if keyword == "set" else {}
            self.frames.append(_Frame(keyword, tag, inside, pending))
        elif keyword == "set":
            self.bind(binds)

    def names(self, tag: Tag, reading, bound=frozenset()) -> None:
        visible = set(self.visible()) | set(bound)
        for name in reading.loads:
            if name not in visible:
                self.out.append(_at(tag, f"{UNKNOWN_VARIABLE} “{name}”{hint(name, visible)}"))
        for name in reading.filters:
            if name in UNSAFE_FILTERS:
                self.out.append(_at(tag, f"出于安全考虑，不能使用过滤器 “{name}”"))
            elif name not in self.env.filters:
                self.out.append(_at(tag, f"未知的过滤器 “{name}”{hint(name, self.env.filters)}"))
        for name in reading.tests:
            if name not in self.env.tests:
                self.out.append(_at(tag, f"未知的判断 “is {name}”{hint(name, self.env.tests)}"))
        for name in reading.private:
            self.out.append(_at(tag, f"不允许访问以下划线开头的内部属性 “{name}”"))

    def middle(self, tag: Tag, keyword: str) -> None:
        if not self.frames or self.frames[-1].keyword not in MIDDLES[keyword]:
            opener = "或".join(f"“{{% {k} … %}}”" for k in MIDDLES[keyword])
            self.out.append(_at(tag, f"“{tag.raw}” 前面没有对应的 {opener}"))
            return
        self.pair(self.frames[-1].tag, tag)

    def close(self, tag: Tag, keyword: str) -> None:
        found = [i for i, f in enumerate(self.frames) if f.keyword == keyword]
        if not found:
            self.out.append(_at(tag, f"多余的 “{tag.raw}”：前面没有对应的 “{{% {keyword} … %}}”"))
            return
        frame = self.frames[found[-1]]
        for inner in self.frames[found[-1] + 1:]:
            self.unclosed(inner)
        del self.frames[found[-1]:]
        self.pair(frame.tag, tag)
        self.bind(frame.pending)

    def pair(self, opener: Tag, tag: Tag) -> None:
        """Blocks must close at the level and in the place they opened."""
        if opener.level != tag.level:
            self.out.append(_at(tag, f"与{opener.where()}的 “{opener.raw}” 不配套：开始标签以 "
                                     f"“{_opening(opener)}” 开头，这里也应写作 “{_opening(opener)} … %}}”"))
        elif opener.paragraph.part != tag.paragraph.part or _container(opener) != _container(tag):
            where = "同一个表格" if tag.level == "tr" else "同一位置（正文与表格之间、不同单元格之间不能跨越）"
            self.out.append(_at(tag, f"与{opener.where()}的 “{opener.raw}” 不在{where}"))

    def unclosed(self, frame: _Frame) -> None:
        end = f"{_opening(frame.tag)} end{frame.keyword} %}}"
        self.out.append(_at(frame.tag, f"“{frame.tag.raw}” 没有结束：缺少 “{end}”"))

    def finish(self) -> None:
        for frame in self.frames:
            self.unclosed(frame)
        self.frames = []


# ---- per paragraph ----------------------------------------------------------------------


def _canonical(text: str) -> str:
    return re.sub(r"\s+", "", html.unescape(text).translate(_STRAIGHTEN))


def _as_docxtpl_reads(tag: Tag) -> str:
    body = tag.raw[2:-2]
    if tag.level and body.startswith(tag.level):  # docxtpl drops "p" from "{%p if %}"
        body = body[len(tag.level):]
    return _canonical(tag.raw[:2] + body + tag.raw[-2:])


def _unclosed_cut(text: str) -> str:
    """``text`` (XML within one paragraph) with the first "{" of each tag opener that is
    not closed (as :func:`.document.lex` reads it) removed."""
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
    xml = "".join(_unclosed_cut(p) if i % 2 == 0 else p for i, p in enumerate(pieces))
    return [_canonical(t) for t in _PATCHED_TAG.findall(DocxTemplate.patch_xml(None, xml))]


SPLIT = "Word 把这个标签拆成了几段"
_UNREADABLE = (f"{SPLIT}，中间夹有修订、超链接、域或其他格式，程序读不出；"
               "请删除整个标签，再一次性重新输入")
_STRADDLING = (f"{SPLIT}，分在修订、超链接或域的边界两侧：程序能读出标签，但生成的文档从这里起"
               "会错乱、丢失内容；请在 Word 或 WPS 中“接受所有修订”，或删除整个标签再一次性重新输入")


def _below(element, top) -> list:
    """The tags of ``element``'s ancestors below ``top``, nearest first."""
    out = []
    for ancestor in element.iterancestors():
        if ancestor is top:
            return out
        out.append(ancestor.tag)
    return out


def _straddles(tag: Tag) -> bool:
    """True when docxtpl, joining the tag's text, would leave Word's XML unbalanced.

    docxtpl joins a tag's pieces by deleting the markup from each ``</w:t>`` to the
    next ``<w:t>``: balanced when both pieces sit equally deep in the same kinds of
    element (two runs, two revisions), not across the edge of a revision, hyperlink or
    field; the XML then no longer parses and the rest of the part is lost."""
    texts = [e for start, end, e in tag.paragraph.pieces
             if start < tag.end and end > tag.start and e.tag == W_T]
    for first, second in zip(texts, texts[1:]):
        common = next(a for a in first.iterancestors() if second in a.iterdescendants())
        if _below(first, common) != _below(second, common):
            return True
    return False


def _swallowed(tags: list[Tag]) -> tuple[set, set]:
    """(table, row) and paragraphs docxtpl replaces by a {%tr %} or {%p %} tag; and
    those holding more than one such tag, of which docxtpl reads only one (each is
    reported by :func:`_alone`)."""
    seen: dict = {}
    for t in tags:
        if t.level in ("tr", "p"):
            key = (t.paragraph.table, t.paragraph.row) if t.level == "tr" else t.paragraph.index
            seen[key] = seen.get(key, 0) + 1
    return set(seen), {key for key, count in seen.items() if count > 1}


def _skipped(tag: Tag, swallowed: set, crowded: set) -> bool:
    """Tags docxtpl rewrites into cell properties, or removes with their row or paragraph."""
    p = tag.paragraph
    row, own = (p.table, p.row), (p.table, p.row) if tag.level == "tr" else p.index
    return (tag.keyword in DOCXTPL or row in swallowed and tag.level != "tr"
            or p.index in swallowed and tag.level != "p" or own in crowded)


def _split(part: Part, tags: list[Tag], structure: bool = False) -> list[TemplateProblem]:
    """Tags docxtpl cannot read as written, or joins only by breaking the XML; for
    ``structure``, only the latter (content lost whatever the data)."""
    swallowed, crowded = _swallowed(tags)
    tags = [tag for tag in tags if not _skipped(tag, swallowed, crowded)]
    if structure:
        return [_at(tag, _STRADDLING) for tag in tags if _straddles(tag)]
    patched, out, pointer = _patched_tags(part), [], 0
    used = [False] * len(patched)
    for tag in tags:
        want = _as_docxtpl_reads(tag)
        found = next((i for i in [*range(pointer, len(patched)), *range(pointer)]
                      if not used[i] and patched[i] == want), None)
        if found is not None:
            used[found], pointer = True, found + 1
        if found is None or _straddles(tag):
            out.append(_at(tag, _UNREADABLE if found is None else _STRADDLING))
    return out


def _leftover(text: str, tag: Tag) -> str:
    return text.replace(tag.raw, "", 1).strip()


def _alone(tag: Tag, rows: dict) -> list[TemplateProblem]:
    """docxtpl replaces the whole paragraph of a {%p %} tag, the whole row of a {%tr %}."""
    p = tag.paragraph
    if tag.level in ("tr", "tc") and p.table is None:
        return [_at(tag, f"“{_opening(tag)} … %}}” 标签必须写在表格中")]
    if tag.level == "p" and _leftover(p.text, tag):
        return [_at(tag, f"同一段中的其他文字「{_leftover(p.text, tag)[:20]}」会被删除："
                         f"“{{%p … %}}” 标签应独占一段")]
    if tag.level == "tr" and _leftover(rows[(p.table, p.row)], tag):
        return [_at(tag, f"同一行中的其他内容「{_leftover(rows[(p.table, p.row)], tag)[:20]}」会被删除："
                         f"“{{%tr … %}}” 所在的整行只用于放这个标签")]
    return []


def _paragraph_problems(paragraph: Paragraph, tags: list[Tag], found_slips,
                        structure: bool) -> list[TemplateProblem]:
    out = [_problem(paragraph, s.start, s.end, s.message) for s in found_slips]
    for tag in tags:
        out += [_at(tag, m) for m in slips(tag, cosmetic=not structure)]
    if not structure and re.search(r"\{[{%]", paragraph.hidden):
        out.append(_problem(paragraph, 0, 0, "修订中删除的文字或域代码里有标签，程序仍会处理它；"
                                             "请在 Word 或 WPS 中“接受所有修订”后再检查"))
    return out


def check_parts(parts: list[Part], known: Optional[Mapping[str, Value]],
                env: jinja2.Environment) -> list[TemplateProblem]:
    """Every problem in ``parts``; ``known`` holds the names a template may read, each
    with what it holds (see :func:`.attributes.top_level`); None: the structure only."""
    out: list[TemplateProblem] = []
    for part in parts:
        lexed = [(p, *lex(p)) for p in part.paragraphs]
        rows: dict = {}
        for p in part.paragraphs:
            if p.table is not None:
                rows[(p.table, p.row)] = rows.get((p.table, p.row), "") + p.text
        for paragraph, tags, found_slips in lexed:
            out += _paragraph_problems(paragraph, tags, found_slips, known is None)
            for tag in tags:
                out += _alone(tag, rows)
        if part.xml:
            out += _split(part, [t for _, tags, _ in lexed for t in tags], known is None)
        # The body, a header …: one Jinja template each; so is each document property.
        groups = [lexed] if part.xml else [[item] for item in lexed]
        for group in groups:
            walk = _Walk(known, env, out)
            for _paragraph, tags, _slips in group:
                for tag in tags:
                    walk.tag(tag)
            walk.finish()
    return sorted(out, key=_document_order(parts))


def _document_order(parts: list[Part]):
    """Sort key: problems in the order of the parts and, in a part, of its paragraphs."""
    rank = {part.label: n for n, part in reversed(list(enumerate(parts)))}
    order = {(p.part, p.table, p.row, p.column, p.number): p.index
             for part in parts for p in part.paragraphs}

    def key(problem: TemplateProblem) -> tuple:
        where = (problem.part, problem.table, problem.row, problem.column, problem.paragraph)
        return (rank.get(problem.part.split("（")[0], rank.get(problem.part, 0)),
                order.get(where, problem.paragraph), problem.start)
    return key
