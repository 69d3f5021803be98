"""The grade a report states (自评等级为优秀, 自评良好, 绩效自评等级优), read into ``grade``.

A grade is read where the prose names it as one: after 等级 (为/是/：, 自评等级为：优秀), a
result (自评结果为“良好”, 评价结果：良好), 评定为 or 自评 (自评良好), or between 属于 and
等级 / 等次 (属于优秀等级), quotes and a closing 等次 allowed; the grade word must stand
alone (优化, 良好的营商环境, 评定为优秀企业 are no grades). Every place that states it must agree;
then it becomes the data's ``grade`` and each place its tag, ``{{ grade }}`` where the
report wrote 优 and ``{{ grade|grade_word }}`` where it wrote 优秀, so that the template
prints next year's grade as it printed this one. Places that disagree leave ``grade``
unset and the summary says why. The 绩效指标 the report lists as lines (“（1）产出指标中的数量指标：…”)
are not read into ``indicators``: their targets and actuals are written in too many ways
to read them back reliably, so the summary says they stay text and what that costs (a
table of them is read, :mod:`.indicator_table`).
"""
from __future__ import annotations

import re
from typing import NamedTuple, Optional

from reportgen.compute.grades import GRADES

#: the grades in words (优秀 …), then as one character (优 … 差), longest first to match.
_WORDS = "|".join(word for g, _, word in GRADES if word != g)
_WORD = rf"(?P<g>{_WORDS}|{'|'.join(g for g, _, _ in GRADES)})"
_OPEN = r"[“\"「『‘']?"
_CLOSE = r"[”\"」』’']?"
_IS = r"(?:为|是|定为|评定为)?\s*[：:]?\s*"
_ALONE = r"(?![\u4e00-\u9fff])"  # 优秀企业, 良好的 are no grades
_LEVEL = r"(?:等级|等次|档次|级|档)"
#: the ways a report states its grade; each names the grade word ``g``.
_GRADES = tuple(re.compile(p) for p in (
    rf"(?:自评|评价|绩效|综合)?等级(?:评定)?{_IS}{_OPEN}{_WORD}{_CLOSE}{_LEVEL}?{_ALONE}",
    rf"(?:自评|评价|评定|考评|考核)结果{_IS}{_OPEN}{_WORD}{_CLOSE}{_LEVEL}?{_ALONE}",
    rf"评定(?:等级)?为\s*[：:]?\s*{_OPEN}{_WORD}{_CLOSE}{_LEVEL}?{_ALONE}",
    rf"属于{_OPEN}{_WORD}{_CLOSE}{_LEVEL}{_ALONE}",
    rf"自评(?:为)?{_OPEN}(?P<g>{_WORDS}){_CLOSE}{_ALONE}"))
_SHORT = {word: g for g, _, word in GRADES}
#: a line of the indicator list: “（1）产出指标中的数量指标：…”.
_INDICATOR = re.compile(r"^[（(]\d+[）)][^：:，。]{2,12}指标中的[^：:，。]{2,16}[：:]")


_UNSTATED = ("报告中没有读到自评等级（读得出的写法如“自评等级为优秀”“绩效自评结果为‘良好’”“评定为优秀”“属于优秀等级”），"
             "数据中没有 grade；报告如以别的写法写了等级，它作为文字留在模板中，明年不会随数据改变。"
             "请在数据中填写 grade（优、良、中、差），并把模板中的等级改为 {{ grade|grade_word }}")


class Grade(NamedTuple):
    """The stated grade (None when unread), the places that print it, what to tell."""

    grade: Optional[str]
    spans: list[tuple[int, int, int, str]]  # (paragraph index, start, end, tag)
    notes: list[str]


def read_grade(paragraphs: list[tuple[int, str]]) -> Grade:
    """The grade ``paragraphs`` ((index, text) pairs) state, and their tags.

    >>> read_grade([(3, "经自评，自评等级为优秀。"), (5, "绩效自评等级优。")])[:2]
    ('优', [(3, 9, 11, '{{ grade|grade_word }}'), (5, 6, 7, '{{ grade }}')])
    >>> read_grade([(3, "自评等级为优秀。"), (5, "自评良好。")]).grade is None
    True
    >>> read_grade([(3, "营造良好的营商环境，培育优秀企业。")]).notes[0][:12]
    '报告中没有读到自评等级（'
    """
    found = sorted({(index, m.start("g"), m.end("g"), m.group("g"))
                    for index, text in paragraphs for pattern in _GRADES for m in pattern.finditer(text)})
    stated = sorted({_SHORT.get(word, word) for *_, word in found})
    if len(stated) > 1:
        places = "、".join(f"第{i + 1}段“{word}”" for i, _, _, word in found)
        return Grade(None, [], [f"报告中写的自评等级不一致（{places}），没有读入 grade，这些等级作为文字保留；"
                                "请在数据中填写 grade（优、良、中、差）"])
    if not stated:
        return Grade(None, [], [_UNSTATED])
    spans = [(i, start, end, "{{ grade }}" if len(word) == 1 else "{{ grade|grade_word }}")
             for i, start, end, word in found]
    return Grade(stated[0], spans, [])


def indicator_note(paragraphs: list[tuple[int, str]]) -> list[str]:
    """What the summary says of an indicator list the report prints."""
    lines = [i for i, text in paragraphs if _INDICATOR.match(text)]
    if not lines:
        return []
    return [f"报告列出了{len(lines)}个绩效指标（第{lines[0] + 1}段起），没有读入数据的 indicators，作为文字保留："
            "其目标值和完成值写法不一，无法可靠读回。reportgen check 因此不能按得分核对自评等级；"
            "需要核对时，请把绩效指标填入数据（indicators）"]
