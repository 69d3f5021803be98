"""Split a section's prose paragraphs into the model's items, and write the tags that print them.

A list section (职能, 问题 …) holds one item per paragraph, its numbering (（1）, 1., 一是)
kept in the template; 重点工作任务 are “一是<任务>。<计划>”; 主要工作成效 and 改进措施 are
要点 (title and text), several of them often in one paragraph (“一是…。…二是…。…”).
Each function here is pure text in, items and template text out; when the section's
paragraphs are all data, in order, numbered 1, 2, 3 … in one style, the template is one
loop (the shipped templates' ``{%p for … %}``), so that an item added to the data is printed.
"""
from __future__ import annotations

import re
from typing import NamedTuple, Optional

from reportgen.formatting import cn_ordinal

_CN = "一二三四五六七八九十"
_PREFIX = re.compile(rf"^(?:[（(](\d+)[）)]|(\d+)([.．、])(?!\d)|([{_CN}]+)是)")
#: “一是…。” opens an enumerated point; later ones start after 。 or ；.
_ORDINAL = re.compile(rf"(?:^|(?<=[。；]))([{_CN}]+)是")
_TITLE_LENGTH = 30


class Item(NamedTuple):
    """A paragraph's numbering as written and the text after it."""

    prefix: str
    number: Optional[int]  # its number, if numbered
    style: str  # "paren", "dot." (with its mark), "ordinal", or "" for none
    text: str


#: 一 … 九十九 → 1 … 99, the ordinals a list of points counts with.
_CN_VALUES = {cn_ordinal(n): n for n in range(1, 100)}


def _cn_value(word: str) -> Optional[int]:
    return _CN_VALUES.get(word)


def split_prefix(text: str, ordinals: bool = True) -> Item:
    """A paragraph's numbering and text; with ``ordinals`` False an opening “一是” is
    text (a list of problems written “一是…；二是…” in one paragraph is one item).

    >>> split_prefix("（3）负责监测分析"), split_prefix("2.进一步加强").style
    (Item(prefix='（3）', number=3, style='paren', text='负责监测分析'), 'dot.')
    """
    m = _PREFIX.match(text)
    if not m or (m.group(4) and not ordinals):
        return Item("", None, "", text)
    if m.group(1):
        return Item(m.group(0), int(m.group(1)), "paren", text[m.end():])
    if m.group(2):
        return Item(m.group(0), int(m.group(2)), "dot" + m.group(3), text[m.end():])
    return Item(m.group(0), _cn_value(m.group(4)), "ordinal", text[m.end():])


def loop_prefix(items: list[Item]) -> Optional[str]:
    """The template text that numbers ``items`` in a loop as they are numbered, or None
    when they are not numbered 1, 2, 3 … in one style (unnumbered items: "")."""
    styles = {i.style for i in items}
    if len(styles) != 1:
        return None
    style = styles.pop()
    if style == "":
        return ""
    if [i.number for i in items] != list(range(1, len(items) + 1)):
        return None
    if style == "paren":
        return items[0].prefix[0] + "{{ loop.index }}" + items[0].prefix[-1]
    if style == "ordinal":
        return "{{ loop.index|cn_ordinal }}是"
    return "{{ loop.index }}" + style[3:]


def points(text: str, first: int = 1) -> Optional[list[tuple[str, str]]]:
    """The (title, text) points of a paragraph “一是<title>。<text>二是…”, numbered from
    ``first``; None when it is not written so.

    >>> points("一是加强学习。认真学习。二是强化培训。加强培训。")
    [('加强学习', '认真学习。'), ('强化培训', '加强培训。')]
    """
    marks = list(_ORDINAL.finditer(text))
    if not marks or marks[0].start() != 0:
        return None
    expected, kept = first, []
    for m in marks:
        if _cn_value(m.group(1)) == expected:
            kept.append(m)
            expected += 1
    if not kept or kept[0].start() != 0:
        return None
    found = []
    for k, m in enumerate(kept):
        end = kept[k + 1].start() if k + 1 < len(kept) else len(text)
        body = text[m.end():end]
        title, dot, rest = body.partition("。")
        if not dot or not title or len(title) > _TITLE_LENGTH or not rest:
            return None
        found.append((title, rest))
    return found


def titled(text: str) -> tuple[Optional[str], str]:
    """(title, text) of a point that opens with a short sentence of its own
    (“加强预算执行管理。对执行进度…”), else (None, text).

    >>> titled("加强学习。认真学习。"), titled("加强项目经费的事前、事中管理，做好预算。")
    (('加强学习', '认真学习。'), (None, '加强项目经费的事前、事中管理，做好预算。'))
    """
    title, dot, rest = text.partition("。")
    if dot and rest and len(title) <= _TITLE_LENGTH // 2 and not re.search(r"[，、；：,]", title):
        return title, rest
    return None, text


#: a task named without “一是” (“商贸业。全区……”) has a name this short at most.
_BARE_TITLE = 8


def task(text: str) -> Optional[tuple[str, str]]:
    """(title, text) of a 重点工作任务 paragraph, “一是<title>。<text>” or
    “<short title>。<text>”; else None.

    >>> task("二是企业扶持类项目。通过扶持企业项目。"), task("商贸业。全区商品销售总额增长。")
    (('企业扶持类项目', '通过扶持企业项目。'), ('商贸业', '全区商品销售总额增长。'))
    >>> task("2023年，我局围绕全区经济工作部署。全年任务完成。")
    """
    opening = _ORDINAL.match(text)
    if opening:
        found = points(text, _cn_value(opening.group(1)) or 1)
        return found[0] if found and len(found) == 1 else None
    title, body = titled(text)
    return (title, body) if title and len(title) <= _BARE_TITLE and not _PREFIX.match(text) else None


def units(text: str) -> Optional[list[str]]:
    """The 内设机构 of a paragraph that only lists them (“一科、二科、办公室。”), else None."""
    body = text.rstrip("。")
    parts = body.split("、")
    if len(parts) < 2 or any(not p or len(p) > 20 or re.search(r"[，；：,]", p) for p in parts):
        return None
    return parts


#: a free paragraph that opens with its own short title (“1.预算编制：…”).
_INLINE_TITLE = re.compile(r"^([^：:，。；]{2,16})[：:]")


def inline_title(text: str) -> Optional[str]:
    """The short title a paragraph opens with (“预算编制：…” → 预算编制), else None."""
    m = _INLINE_TITLE.match(text)
    return m.group(1) if m else None
