"""The structure of a template's tags: what would lose or garble content whatever the data.

Unclosed or stray delimiters, misspelled or unbalanced tags, blocks closed at another
docxtpl level (``{%p if %}`` … ``{% endif %}``) or in another place, ``{%p %}`` and
``{%tr %}`` tags sharing their paragraph or row, a tag split across the edge of a
revision, hyperlink or field (which docxtpl joins by breaking Word's XML). The renderer
refuses a template with such problems (:func:`structural_problems`); the linter walks
the same blocks (:class:`BlockWalk`) and adds what depends on a vocabulary.
"""
from __future__ import annotations

import re
from typing import Any, Callable

import jinja2
from attrs import define, field

from reportgen.docx.constants import W
from reportgen.docx.paragraphs import Paragraph, Part
from reportgen.errors import Problem
from reportgen.language.lexer import Tag, lex
from reportgen.language.tags import DOCXTPL, MIDDLES, Reading, read, slips, source, unsupported

SPLIT = "Word 把这个标签拆成了几段"
STRADDLING = (f"{SPLIT}，分在修订、超链接或域的边界两侧：程序能读出标签，但生成的文档从这里起"
              "会错乱、丢失内容；请在 Word 或 WPS 中“接受所有修订”，或删除整个标签再一次性重新输入")
_W_T = W + "t"
#: docxtpl's merge tags → the level of the loop whose copies they merge, and what they do.
MERGES = {"vm": ("tr", "行", "上下合并", "各次重复出来的这一格上下合并成一格，文字只印一次"),
          "hm": ("tc", "列", "左右合并", "各次重复出来的单元格左右合并成一格")}
TARGET = ("超链接或链接的地址中的标签不会被替换（docxtpl 只处理文字，不处理地址），每份报告都会原样带着它："
          "请把地址写成固定的网址；要输出随数据变化的网址，请把它作为文字写作 “{{ … }}”")


def opening(tag: Tag) -> str:
    """How the tag's block opens, with its docxtpl level: ``{%p``."""
    return "{%" + tag.level


# ---- blocks, one Jinja template at a time ----------------------------------------------


@define
class Frame:
    """An open block: its keyword, its tag, and the names bound inside it."""

    keyword: str
    tag: Tag
    names: dict = field(factory=dict)  # bound inside the block: name → what it holds
    pending: dict = field(factory=dict)  # bound after it ends (block set)


def _container(tag: Tag) -> tuple:
    p = tag.paragraph
    if tag.level == "tr":
        return (p.table,)
    if tag.level == "tc":
        return (p.table, p.row)
    return (p.table, p.row, p.column)


class BlockWalk:
    """The tags of one Jinja template in order: open blocks and what they bind.

    :meth:`bindings` says what a tag binds; here nothing is known of it (None), a
    linter overrides it to follow names through a vocabulary."""

    def __init__(self, env: jinja2.Environment, out: list[Problem], parse: bool = True):
        self.env, self.out, self.parse = env, out, parse
        self.known: dict = {}
        self.frames: list[Frame] = []

    def bindings(self, tag: Tag, reading: Reading) -> tuple[dict, dict]:
        """(names the tag binds, names seen inside its block) → what each holds."""
        binds = {name: None for name in reading.binds}
        inside = {**binds, "loop": None} if reading.keyword == "for" else \
            binds if reading.keyword == "with" else {}
        return binds, inside

    def bind(self, names: dict) -> None:
        scoping = [f for f in self.frames if f.keyword in ("for", "with", "set")]
        (scoping[-1].names if scoping else self.known).update(names)

    def reading(self, tag: Tag) -> Reading:
        """What ``tag`` does (:func:`~reportgen.language.tags.read`)."""
        return read(tag, self.env, self.parse)

    def tag(self, tag: Tag) -> None:
        reading = self.reading(tag)
        self.out += reading.problems
        keyword = reading.keyword
        binds, inside = self.bindings(tag, reading)
        if keyword in MIDDLES:
            self.middle(tag, keyword)
        elif keyword.startswith("end"):
            self.close(tag, keyword[3:])
        elif keyword in MERGES:
            self.merge(tag, keyword)
        elif reading.opens:  # a block set binds its name when it ends
            self.frames.append(Frame(keyword, tag, inside, binds if keyword == "set" else {}))
        elif keyword == "set":
            self.bind(binds)

    def middle(self, tag: Tag, keyword: str) -> None:
        if not self.frames or self.frames[-1].keyword not in MIDDLES[keyword]:
            opener = "或".join(f"“{{% {k} … %}}”" for k in MIDDLES[keyword])
            self.out.append(tag.problem(f"“{tag.raw}” 前面没有对应的 {opener}"))
            return
        self.pair(self.frames[-1].tag, tag)

    def merge(self, tag: Tag, keyword: str) -> None:
        """``{% vm %}`` / ``{% hm %}`` merge the copies a ``{%tr for %}`` / ``{%tc for %}``
        makes of their cell: docxtpl rewrites them into tests of that loop's ``loop``."""
        level, unit, merging, does = MERGES[keyword]
        loops = [f for f in self.frames if f.keyword == "for"]
        if tag.paragraph.table is not None and loops and loops[-1].tag.level == level:
            return
        if tag.paragraph.table is None:
            why = "这里不在表格中"
        elif not loops:
            why = f"这里不在 “{{%{level} for %}}” 循环之内"
        else:
            inner = loops[-1].tag
            why = f"它只认最内层的循环，而这里最内层的是{inner.paragraph.place()}的 “{inner.raw}”"
        self.out.append(tag.problem(
            f"“{{% {keyword} %}}”（{merging}单元格）只能写在 “{{%{level} for … %}}” 重复的表格{unit}里："
            f"它把{does}；{why}",
            hint=f"请把它移到 “{{%{level} for %}}” 重复的{unit}中，或删去它"))

    def close(self, tag: Tag, keyword: str) -> None:
        found = [i for i, f in enumerate(self.frames) if f.keyword == keyword]
        if not found:
            self.out.append(tag.problem(f"多余的 “{tag.raw}”：前面没有对应的 “{{% {keyword} … %}}”"))
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
            self.out.append(tag.problem(f"与{opener.where()}的 “{opener.raw}” 不配套：开始标签以 "
                                        f"“{opening(opener)}” 开头，这里也应写作 “{opening(opener)} … %}}”"))
        elif opener.paragraph.part != tag.paragraph.part or _container(opener) != _container(tag):
            where = "同一个表格" if tag.level == "tr" else "同一位置（正文与表格之间、不同单元格之间不能跨越）"
            self.out.append(tag.problem(f"与{opener.where()}的 “{opener.raw}” 不在{where}"))

    def unclosed(self, frame: Frame) -> None:
        end = f"{opening(frame.tag)} end{frame.keyword} %}}"
        self.out.append(frame.tag.problem(f"“{frame.tag.raw}” 没有结束：缺少 “{end}”"))

    def finish(self) -> None:
        for frame in self.frames:
            self.unclosed(frame)
        self.frames = []


# ---- tags Word split -----------------------------------------------------------------------


def _below(element, top) -> list:
    """The tags of ``element``'s ancestors below ``top``, nearest first."""
    out = []
    for ancestor in element.iterancestors():
        if ancestor is top:
            return out
        out.append(ancestor.tag)
    return out


def straddles(tag: Tag) -> bool:
    """True when docxtpl, joining the tag's text, would leave Word's XML unbalanced.

    docxtpl joins a tag's pieces by deleting the markup from each ``</w:t>`` to the
    next ``<w:t>``: balanced when both pieces sit equally deep in the same kinds of
    element (two runs, two revisions), not across the edge of a revision, hyperlink or
    field; the XML then no longer parses and the rest of the part is lost."""
    texts = [e for start, end, e in tag.paragraph.pieces
             if start < tag.end and end > tag.start and e.tag == _W_T]
    for first, second in zip(texts, texts[1:]):
        common = next(a for a in first.iterancestors() if second in a.iterdescendants())
        if _below(first, common) != _below(second, common):
            return True
    return False


def _swallowed(tags: list[Tag]) -> tuple[set, set]:
    """(table, row) and paragraphs docxtpl replaces by a {%tr %} or {%p %} tag; and
    those holding more than one such tag, of which docxtpl reads only one (each is
    reported by :func:`alone`)."""
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
    return (tag.keyword in DOCXTPL or unsupported(tag) or row in swallowed and tag.level != "tr"
            or p.index in swallowed and tag.level != "p" or own in crowded)


def joined_tags(tags: list[Tag]) -> list[Tag]:
    """The tags docxtpl joins and renders as tags (not those it rewrites or removes)."""
    swallowed, crowded = _swallowed(tags)
    return [tag for tag in tags if not _skipped(tag, swallowed, crowded)]


# ---- per paragraph and row ----------------------------------------------------------------


def _leftover(text: str, tag: Tag) -> str:
    return text.replace(tag.raw, "", 1).strip()


def alone(tag: Tag, rows: dict) -> list[Problem]:
    """docxtpl replaces the whole paragraph of a {%p %} tag, the whole row of a {%tr %}."""
    p = tag.paragraph
    if tag.level in ("tr", "tc") and p.table is None:
        return [tag.problem(f"“{opening(tag)} … %}}” 标签必须写在表格中")]
    if tag.level == "p" and _leftover(p.text, tag):
        return [tag.problem(f"同一段中的其他文字「{_leftover(p.text, tag)[:20]}」会被删除："
                            f"“{{%p … %}}” 标签应独占一段")]
    if tag.level == "tr" and _leftover(rows[(p.table, p.row)], tag):
        return [tag.problem(f"同一行中的其他内容「{_leftover(rows[(p.table, p.row)], tag)[:20]}」会被删除："
                            f"“{{%tr … %}}” 所在的整行只用于放这个标签")]
    return []


def paragraph_problems(paragraph: Paragraph, tags: list[Tag], found_slips: list[Problem],
                       structure: bool) -> list[Problem]:
    """The slips of one paragraph and its tags; for ``structure``, only those that lose
    content (not the curly quotes and line breaks docxtpl mends, nor hidden tags)."""
    out = list(found_slips)
    for tag in tags:
        out += slips(tag, cosmetic=not structure)
        if paragraph.partname.endswith(".rels"):
            out.append(tag.problem(TARGET))
    if not structure and re.search(r"\{[{%]", paragraph.hidden):
        out.append(Problem(paragraph.place_of(0, 0), "修订中删除的文字或域代码里有标签，程序仍会处理它；"
                                                    "请在 Word 或 WPS 中“接受所有修订”后再检查"))
    return out


def rows_text(part: Part) -> dict:
    """(table, row) → the text of the row's cells, joined."""
    rows: dict = {}
    for p in part.paragraphs:
        if p.table is not None:
            rows[(p.table, p.row)] = rows.get((p.table, p.row), "") + p.text
    return rows


def walk_groups(part: Part, lexed: list) -> list:
    """The Jinja templates of a part: the body or a header is one; so is each document property."""
    return [lexed] if part.xml else [[item] for item in lexed]


def document_order(parts: list[Part]):
    """Sort key: problems in the order of the parts and, in a part, of its paragraphs."""
    rank = {part.label: n for n, part in reversed(list(enumerate(parts)))}
    order = {(p.part, p.table, p.row, p.column, p.number): p.index
             for part in parts for p in part.paragraphs}

    def key(problem: Problem) -> tuple:
        w = problem.where
        where = (w.part, w.table, w.row, w.column, w.paragraph)
        return (rank.get(w.part.split("（")[0], rank.get(w.part, 0)), order.get(where, w.paragraph), w.start)
    return key


_PAIRS = {")": "(", "]": "[", "}": "{"}


def _self_contained(text: str) -> bool:
    """True when every string and bracket opened in ``text`` is closed in it (a
    backslash escapes in strings): Jinja then reads the text the same whatever follows."""
    quote, escaped, open_ = None, False, []
    for char in text:
        if escaped:
            escaped = False
        elif quote is not None:
            escaped, quote = char == "\\", None if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "([{":
            open_.append(char)
        elif char in _PAIRS and (not open_ or open_.pop() != _PAIRS[char]):
            return False
    return quote is None and not open_


def _each_parses(tags: list[Tag], env: jinja2.Environment) -> bool:
    """True when every tag parses on its own: checked in one parse of all their sources
    (each closes its own block), as a tag that fails alone fails there too once each
    closes its strings and brackets (else one would run on into the next tag's source)."""
    sources = {text: tag.inner for tag in tags if (text := source(tag)) is not None}  # each once
    if not all(map(_self_contained, sources.values())):
        return False
    try:
        env.parse("\n".join(sources))
    except Exception:  # noqa: BLE001 - then each tag is parsed alone, to say which fails
        return False
    return True


def scan(parts: list[Part], structure: bool,
         whole_part: Callable[[Part, list[Tag]], list[Problem]],
         walker: Callable[[list[Problem], list[Tag]], Callable[[], Any]],
         lexer: Callable[[Paragraph], tuple[list[Tag], list[Problem]]] = lex) -> list[Problem]:
    """The one pass over a template that the renderer's check and the linter both make:
    each paragraph's and each tag's own problems; ``whole_part(part, tags)`` for a part
    whose XML is read; then, for each group of tags that must fit together, a walk made
    by ``walker(out, tags of the part)()`` that is told each tag and then finishes.
    ``lexer`` reads a paragraph's tags (:func:`~reportgen.language.lexer.lex`, or what
    keeps its readings for another pass). Problems in document order."""
    out: list[Problem] = []
    for part in parts:
        lexed = [(p, *lexer(p)) for p in part.paragraphs]
        rows = rows_text(part)
        for paragraph, tags, found_slips in lexed:
            out += paragraph_problems(paragraph, tags, found_slips, structure=structure)
            for tag in tags:
                out += alone(tag, rows)
        every = [t for _, tags, _ in lexed for t in tags]
        if part.xml:
            out += whole_part(part, every)
        make = walker(out, every)
        for group in walk_groups(part, lexed):
            walk = make()
            for _paragraph, tags, _slips in group:
                for tag in tags:
                    walk.tag(tag)
            walk.finish()
    return sorted(out, key=document_order(parts))


def structural_problems(parts: list[Part], env: jinja2.Environment) -> list[Problem]:
    """Every problem of ``parts`` that no data can make right, in document order."""
    def straddling(part: Part, tags: list[Tag]) -> list[Problem]:
        return [tag.problem(STRADDLING) for tag in joined_tags(tags) if straddles(tag)]

    def walker(out: list[Problem], tags: list[Tag]) -> Callable[[], BlockWalk]:
        parse = not _each_parses(tags, env)
        return lambda: BlockWalk(env, out, parse)
    return scan(parts, True, straddling, walker)

