"""Find the printed figures of a paragraph: amounts, counts, percentages, with how they print.

A figure is a number followed by a unit (万元, 亿元, 元, %, 个, 人, 次, 家 …); a number
without one (12月31日, a document number, “1310”) is not data and is never touched. Each
:class:`Printed` keeps its place in the text, its value as Decimal, and the decimal places
and digit grouping it was printed with, so that a tag can print it again the same way.
Its *label* is what the clause says before it (“全年预算数”, “其中一般公共预算财政拨款支出”),
which is how :mod:`reportgen.adopt.binding` knows what it is.
"""
from __future__ import annotations

import re
from decimal import Decimal
from typing import NamedTuple, Optional

from reportgen.formatting import money, number

#: units a figure may carry, longest first so that 亿元 is not read as 元.
UNITS = ("亿美元", "万美元", "亿元", "万元", "元", "%", "％", "人次", "家次", "个", "人", "次", "家", "项",
         "条", "场", "册", "场次", "户", "名", "所", "件")
AMOUNT_UNITS = ("亿元", "万元", "元", "亿美元", "万美元", "")  # "": a bare table cell, in 万元 by its header
_UNIT = "|".join(sorted((re.escape(u) for u in UNITS), key=len, reverse=True))
_FIGURE = re.compile(r"(?<![\d.,A-Za-z])(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<frac>\d+))?\s*(?P<unit>" + _UNIT + ")")
#: where a clause starts: the label of a figure never reaches past these.
_CLAUSE = "，。；：、（）()\n“”\"《》,;:"
#: words that open a clause but say nothing of what the figure is.
_OPENERS = re.compile(r"^(?:其中|另外|此外|并|且|共计|共|合计|累计|总计|本年度|本年|年内|约|为|达到|达|实现|超过|超|近)+")
_CLOSERS = re.compile(r"(?:为|达到|达|是|共计|共|合计|累计|约|超过|超|近|实现)+$")


class Printed(NamedTuple):
    """One figure as printed: ``text[start:end]`` is ``digits`` + ``unit``."""

    start: int
    end: int  # end of the digits; the unit follows
    value: Decimal
    places: int
    grouping: Optional[bool]  # None: too small to tell (below 1,000)
    unit: str
    digits: str  # the number exactly as printed, "28,825.37"
    label: str  # what the clause says before it
    after: str  # what follows the unit, up to the clause's end
    stop: int  # end of the unit

    @property
    def is_amount(self) -> bool:
        return self.unit in AMOUNT_UNITS


_EARLIER = re.compile(r"^.*\d(?:" + _UNIT + ")?")


def _clause_start(text: str, start: int) -> int:
    """Where the clause holding text[start] begins; a digit-grouping comma ends none."""
    i = start - 1
    while i >= 0:
        if text[i] in _CLAUSE and not (text[i] == "," and 0 < i < len(text) - 1
                                       and text[i - 1].isdigit() and text[i + 1].isdigit()):
            break
        i -= 1
    return i + 1


def _label(text: str, start: int) -> str:
    left = _clause_start(text, start)
    earlier = _EARLIER.match(text, left, start)  # "拟为14家电商企业…资金": the label starts after 14家
    if earlier and earlier.end() < start:
        rest = text[earlier.end():start]
        # "较上年支出4,520.10万元增长5.54%": a bare change is labelled by the clause it compares
        left = left if re.fullmatch(r"(?:增长|增加|下降|减少)", _CLOSERS.sub("", rest.strip())) else earlier.end()
    label = _CLOSERS.sub("", text[left:start].strip())
    return _OPENERS.sub("", label) or label


def _after(text: str, end: int) -> str:
    stops = [i for i in (text.find(c, end) for c in _CLAUSE) if i >= 0]
    return text[end: min(stops) if stops else len(text)]


def _grouping(whole: str) -> Optional[bool]:
    if "," in whole:
        return True
    return False if len(whole) > 3 else None


def figures(text: str) -> list[Printed]:
    """Every figure with a unit in ``text``, in order; a year (2023年) is not one.

    >>> [(f.value, f.places, f.grouping, f.unit, f.label) for f in figures("全年预算数28,825.37万元，执行率为98.5%")]
    [(Decimal('28825.37'), 2, True, '万元', '全年预算数'), (Decimal('98.5'), 1, None, '%', '执行率')]
    """
    found = []
    for m in _FIGURE.finditer(text):
        whole, frac = m.group("int"), m.group("frac") or ""
        digits = whole + ("." + frac if frac else "")
        value = Decimal(digits.replace(",", ""))
        found.append(Printed(m.start(), m.end("frac") if frac else m.end("int"), value, len(frac),
                             _grouping(whole), m.group("unit"), digits, _label(text, m.start()),
                             _after(text, m.end()), m.end()))
    return found


def reprint(printed: Printed, value: Optional[Decimal] = None,
            grouping: bool = True) -> Optional[tuple[str, str]]:
    """(filter, arguments) that print ``value`` (default: the printed value) exactly as
    ``printed`` shows it: ``money`` first for an amount, ``number`` first for anything
    else; None when neither does. ``grouping`` is the document's habit, for a figure
    too small to show its own.

    >>> reprint(figures("21,198.50万元")[0])
    ('money', 'true, 2')
    >>> reprint(figures("858.77个")[0], Decimal("858.766"))
    ('number', '2')
    """
    value = printed.value if value is None else value
    grouping = grouping if printed.grouping is None else printed.grouping
    as_money = ("money", f"{'true' if grouping else 'false'}, {printed.places or 2}",
                money(value, grouping, printed.places or 2))
    as_number = ("number", f"{printed.places}" + ("" if grouping else ", false"),
                 number(value, printed.places, grouping))
    for name, arguments, text in ((as_money, as_number) if printed.is_amount else (as_number, as_money)):
        if text == printed.digits:
            return name, arguments
    return None
