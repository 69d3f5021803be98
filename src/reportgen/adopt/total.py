"""The total score a report states (自评得分为95分), printed from the indicators read.

A stated total is a score in 分 after 自评得分 / 评价得分 / 综合得分 / 总得分 (为/是/：), or
after 自评总分为 and the like; the scores of parts (预算执行率得分9.85分, 产出指标得分45分)
and a full mark (满分100分, 评价总分100分，其中…) are not totals. When the report's table of 绩效指标 is read into
``indicators``, reportgen computes the total from them, so each stated total becomes the
computed one, ``{{ score.total|number(N) }}``, as the shipped templates print scores:
with the report's own decimals where the computed total prints as the report printed it,
else with the document's score places, and the summary names the figure the indicators
do not give (正文第N段：报告写95分，指标计算为98.15分). Without indicators there is nothing
to compute it from: it stays text and the summary lists it among the figures kept as text.
"""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, Optional

from reportgen.adopt.binding import Bindings, Bound, Plain
from reportgen.adopt.compose import put
from reportgen.adopt.printed import Printed
from reportgen.formatting import number

_WHO = r"(?:自评|评价|绩效|综合|考核|考评)"
#: 得分 says what was scored; 总分 / 分数 only with 为 (评价总分100分，其中… is the full mark).
_TOTAL = re.compile(rf"(?:(?:{_WHO}总?(?:得分|评分)|总得分)(?:为|是|达到|达)?|{_WHO}(?:总分|分数|分)(?:为|是|达到|达|[：:]))"
                    r"\s*[：:]?\s*(?P<digits>\d{1,3}(?:\.\d+)?)\s*分")


def stated(paragraphs: list[tuple[int, str]]) -> list[tuple[int, Printed]]:
    """Each stated total of ``paragraphs`` ((index, text) pairs), as printed.

    >>> [(i, p.digits, p.label) for i, p in stated([(7, "经自评，部门整体支出绩效自评得分为95分，自评等级为优秀。"
    ...                                                   "预算执行率得分9.85分，产出指标得分45分。")])]
    [(7, '95', '自评得分为')]
    >>> [p.digits for _, p in stated([(1, "绩效评价总分100分，其中产出指标50分。自评总分为96.5分，综合得分：97分。")])]
    ['96.5', '97']
    """
    found = []
    for index, text in paragraphs:
        for m in _TOTAL.finditer(text):
            digits = m.group("digits")
            value = Decimal(digits)
            if value > 100:
                continue
            places = len(digits.partition(".")[2])
            found.append((index, Printed(m.start("digits"), m.end("digits"), value, places, None, "分", digits,
                                         text[m.start():m.start("digits")].strip(), "", m.end())))
    return found


def _card(bindings: Bindings, indicators: list[dict], settings: dict, year: int):
    """reportgen's scorecard of the budget and indicators read, or None when they are no
    data reportgen reads (rendering the adopted pair then says why) or give no score."""
    from reportgen import api
    from reportgen.compute import scoring
    from reportgen.errors import ReportgenError

    data: dict[str, Any] = {"kind": "self-evaluation", "year": year, "department": {"region": "某", "name": "某"},
                            "budget": {"expenditure": {}}, "indicators": indicators, "settings": settings}
    for path, value in bindings.values.items():
        if path.startswith("budget."):  # the 预算执行率 scored; the rest of the report is made up
            put(data, path, value)
    try:
        card = scoring.evaluate(api.from_dict(data))
    except ReportgenError:
        return None
    return card if card.scored else None


def bind(found: list[tuple[int, Printed]], bindings: Bindings, indicators: Optional[list[dict]],
         settings: dict, year: int) -> tuple[Bindings, list[str]]:
    """``bindings`` with each stated total printed from the computed one (or kept as
    text when no indicators were read), and what the summary says of those that differ."""
    card = _card(bindings, indicators, settings, year) if indicators and found else None
    if card is None:
        why = ("报告写的自评总分：没有读入绩效指标（indicators），总分无法由数据算出，作为文字保留；"
               "明年的报告仍印出此数，请改写")
        return bindings._replace(plain=bindings.plain + [Plain(i, p, why) for i, p in found]), []
    bound, notes = [], []
    for index, printed in found:
        agrees = number(card.total, printed.places, False) == printed.digits
        places = printed.places if agrees else card.places
        bound.append(Bound(index, printed, "score.total", "derived", f"{{{{ score.total|number({places}) }}}}", False))
        if not agrees:
            notes.append(f"正文第{index + 1}段：报告写{printed.digits}分，指标计算为{number(card.total, card.places, False)}分；"
                         "模板印出按绩效指标计算的总分（score.total），请核对")
    return bindings._replace(bound=bindings.bound + bound), notes
