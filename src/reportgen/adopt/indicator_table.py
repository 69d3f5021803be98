"""Read a report's table of 绩效指标 into ``indicators``, and print it from them again.

A table is one of indicators when a header row among its first three names at least the
三级指标 (指标名称), its 指标值 and its 实际完成值; its other columns must be ones the
model has (一级指标, 二级指标, 分值, 得分, 偏差原因 …, see :data:`COLUMNS`). Each row below
the header, up to a closing 总分 / 合计 row, is one indicator: names, target and actual as
written (read by :func:`reportgen.loading.measures.read_measure`), 分值 as Decimal, 得分
only where the indicator is qualitative (a quantitative one's score is computed from
its target and actual). Only the 一级指标 column may be merged from row to row, and only
over its own indicators: the template prints it with ``{% vm %}``.

Nothing is guessed: the rows read are put through reportgen's own context and printed
as the template would print them, and every cell must come out as the report printed
it. A row that cannot be read, or that would print otherwise, is named (正文表格N第M行)
and the whole table then stays as it is, text in the template; a quantitative row whose
printed 得分 is not the score its figures give is read all the same (the score is
reportgen's to compute) and named, since the template prints the computed score.
"""
from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from typing import Any, NamedTuple, Optional

from docx.oxml.ns import qn

from reportgen.adopt.numerals import half_width
from reportgen.adopt.template import element_text
from reportgen.formatting import amount, number
from reportgen.loading.measures import read_measure

#: column kind → words its header holds, in the order headers are tried.
COLUMNS = (("reason", ("偏差原因", "未完成原因", "原因分析", "改进措施")), ("score", ("得分",)),
           ("weight", ("分值", "权重")), ("actual", ("实际完成值", "完成值", "实际值", "实际完成")),
           ("target", ("指标值", "目标值", "年度目标")), ("level1", ("一级指标",)), ("level2", ("二级指标",)),
           ("name", ("三级指标", "指标名称")))
_FOOTER = re.compile(r"^(?:总分|合计|总计|得分合计)")
_NUMBER = re.compile(r"^\d+(?:\.(\d+))?$")
_W = {name: qn(f"w:{name}") for name in ("tr", "tc", "p", "t", "tcPr", "vMerge", "gridSpan")}


class Slot(NamedTuple):
    """One grid column of one row: its cell, text, vertical merge (None, "restart" or
    "continue") and whether the cell spans columns."""

    tc: Any
    text: str
    merge: Optional[str]
    spans: bool


class Found(NamedTuple):
    """A table of indicators read: the data, how to print it, what to tell."""

    table: Any  # the w:tbl element
    number: int  # 正文表格N
    indicators: list[dict]
    rows: range  # the data rows (w:tr positions)
    item: dict[int, str]  # column → template text of the looped row
    merged: bool  # 一级指标 printed once per group ({% vm %})
    settings: dict
    notes: list[str]
    footer: dict = {}  # (row, column), both from 1 → template text: a 总分 row's sums


def _text(tc) -> str:
    return half_width(element_text(tc)).strip()


def grid(table) -> list[list[Slot]]:
    """Every row of ``table`` as one slot per grid column, a merged-down cell showing
    the text of the cell it continues."""
    rows: list[list[Slot]] = []
    for r, tr in enumerate(table.findall(_W["tr"])):
        row = []
        for tc in tr.findall(_W["tc"]):
            pr = tc.find(_W["tcPr"])
            merge = pr.find(_W["vMerge"]) if pr is not None else None
            state = None if merge is None else (merge.get(qn("w:val")) or "continue")
            span = pr.find(_W["gridSpan"]) if pr is not None else None
            width = int(span.get(qn("w:val"), "1")) if span is not None else 1
            text = _text(tc)
            if state == "continue" and r and len(rows[-1]) > len(row):
                text = rows[-1][len(row)].text
            row += [Slot(tc, text, state, width > 1)] * width
        rows.append(row)
    return rows


def _kind(header: str) -> Optional[str]:
    words = re.sub(r"\s+", "", unicodedata.normalize("NFKC", header))
    return next((kind for kind, names in COLUMNS for name in names if name in words), None)


def header(rows: list[list[Slot]]) -> Optional[tuple[int, list[Optional[str]]]]:
    """The header row of a table of indicators and each column's kind, or None."""
    for r, row in enumerate(rows[:3]):
        kinds = [_kind(s.text) for s in row]
        if {"name", "target", "actual"} <= set(kinds):
            return r, kinds
    return None


def _decimal(text: str) -> Optional[Decimal]:
    m = _NUMBER.match(text.replace("分", ""))
    return Decimal(m.group(0)) if m else None


def _measure(text: str, actual: bool) -> Optional[dict]:
    if not text:
        return None
    comparator, value, unit = read_measure(text)
    out: dict[str, Any] = {"text": text}
    if value is not None:
        out.update(value=value, unit=unit)
        if comparator and (not actual or comparator != "="):
            out["comparator"] = comparator
    return out


def read_row(row: list[Slot], kinds: list[Optional[str]], where: str) -> tuple[Optional[dict], list[str]]:
    """One data row as an indicator dict, or None and why not (each reason names its row)."""
    why = []
    for c, (slot, kind) in enumerate(zip(row, kinds)):
        if kind is None:
            why.append(f"第{c + 1}列不是绩效指标的栏目")
        elif slot.spans:
            why.append(f"第{c + 1}列的单元格横跨几列")
        elif slot.merge and kind != "level1":
            why.append(f"第{c + 1}列（{dict(COLUMNS)[kind][0]}）的单元格上下合并，模板只能按一级指标合并")
        elif len([p for p in slot.tc.findall(_W["p"]) if _text(p)]) > 1:
            why.append(f"第{c + 1}列的单元格分了几段")
    values = {kind: slot.text for slot, kind in zip(row, kinds) if kind}
    for kind, words in (("name", "三级指标名称"), ("level1", "一级指标"), ("level2", "二级指标")):
        if kind in values and not values[kind]:
            why.append(f"没有{words}")
    for kind, words in (("weight", "分值"), ("score", "得分")):
        if values.get(kind) and _decimal(values[kind]) is None:
            why.append(f"{words}“{values[kind]}”不是数字")
    if why:
        return None, [f"{where}：" + "；".join(dict.fromkeys(why))]
    indicator: dict[str, Any] = {"level1": {"name": values["level1"]}, "level2": {"name": values["level2"]},
                                 "name": values["name"]}
    for kind, key in (("target", "target"), ("actual", "actual")):
        measured = _measure(values.get(kind, ""), kind == "actual")
        if measured:
            indicator[key] = measured
    if values.get("weight"):
        indicator["weight"] = _decimal(values["weight"])
    if values.get("score") and "value" not in indicator.get("target", {}):  # qualitative: the evaluator's score
        indicator["score"] = _decimal(values["score"])
    if values.get("reason"):
        indicator["deviation_reason"] = values["reason"]
    return indicator, []


def number_format(printed: list[str]) -> tuple[str, int]:
    """The filter and places that print a column's numbers as ``printed`` are: a fixed
    count of decimals (amount) when all have the same, else number (trailing zeros dropped)."""
    places = [len(_NUMBER.match(t).group(1) or "") for t in printed if _NUMBER.match(t)]
    if places and len(set(places)) == 1 and places[0] > 0:
        return "amount", places[0]
    return "number", max(places, default=0)


def show(value, way: tuple[str, int]) -> str:
    """``value`` as the template's filter prints it (blank for none)."""
    if value is None:
        return ""
    return amount(value, False, way[1]) if way[0] == "amount" else number(value, way[1], False)


def printing(expression: str, way: tuple[str, int]) -> str:
    """The filter that prints the number ``expression`` gives as :func:`show` does."""
    return f"{expression}|amount(false, {way[1]})" if way[0] == "amount" else f"{expression}|number({way[1]}, false)"


def tag(path: str, way: tuple[str, int]) -> str:
    """The template text printing the number at ``path`` (blank for none) as :func:`show` does."""
    return f'{{{{ "" if {path} is none else {printing(path, way)} }}}}'


def _weights(indicators: list[dict]) -> dict:
    """The 一级 points the table's 分值 give (each category the sum of its rows), as
    settings, when every row has one and they are not the default 50 / 30 / 10."""
    if not indicators or any("weight" not in i for i in indicators):
        return {}
    sums: dict[str, tuple[str, Decimal]] = {}
    for i in indicators:
        key = re.sub(r"\s+", "", i["level1"]["name"]).removesuffix("指标")
        name, total = sums.get(key, (i["level1"]["name"].strip(), Decimal(0)))
        sums[key] = (name, total + i["weight"])
    categories = dict(sums.values())
    default = {"产出指标": Decimal(50), "效益指标": Decimal(30), "满意度指标": Decimal(10)}
    return {} if categories == default else {"weights": {"categories": categories}}


def _context(indicators: list[dict], settings: dict) -> dict:
    """reportgen's own context of ``indicators`` (the rest of the report made up)."""
    from reportgen import api

    data = {"kind": "self-evaluation", "year": 2000, "department": {"region": "某", "name": "某"},
            "budget": {"annual_budget": 1, "expenditure": {}}, "indicators": indicators, "settings": settings}
    return api.context(api.from_dict(data))["indicators"]


def _predicted(groups: list[dict], kinds: list[Optional[str]], merged: bool, ways: dict) -> list[dict]:
    """Each row as the template prints it: column kind → text."""
    rows = []
    for g in groups:
        for k, i in enumerate(g["indicators"]):
            level1 = (g["name"] if k == 0 else None) if merged else i["level1"]["name"]
            rows.append({"level1": level1, "level2": i["level2"]["name"], "name": i["name"],
                         "target": (i["target"] or {}).get("text", ""), "actual": (i["actual"] or {}).get("text", ""),
                         "weight": show(i["weight"], ways["weight"]), "score": show(i["score"], ways["score"]),
                         "reason": i["deviation_reason"] or "", "_scored": i["target"] is not None
                         and i["target"].get("value") is not None})
    return rows


_ITEM = {"level1": "{{ i.level1.name }}", "level2": "{{ i.level2.name }}", "name": "{{ i.name }}",
         "target": '{{ i.target.text if i.target else "" }}', "actual": '{{ i.actual.text if i.actual else "" }}',
         "reason": '{{ i.deviation_reason or "" }}'}
_WORDS = {"level1": "一级指标", "level2": "二级指标", "name": "三级指标", "target": "指标值", "actual": "实际完成值",
          "weight": "分值", "score": "得分", "reason": "偏差原因"}


def _merged(data: list[list[Slot]], c: Optional[int]) -> Optional[bool]:
    """Whether the 一级指标 column is merged over each group's rows (True), never
    merged (False), or merged some other way (None)."""
    if c is None:
        return False
    states = [row[c].merge for row in data]
    if not any(states):
        return False
    for r, state in enumerate(states):
        same = r and data[r - 1][c].text == data[r][c].text
        if (state == "continue") != bool(same):
            return None
    return True


def _scattered(indicators: list[dict], top: int, place: str) -> list[str]:
    """The rows that come back to a 一级指标 after another: the template prints each
    一级指标's indicators together, which would move them."""
    seen, last, why = set(), None, []
    for r, i in enumerate(indicators, start=top + 2):
        key = re.sub(r"\s+", "", i["level1"]["name"]).removesuffix("指标")
        if key != last and key in seen:
            why.append(f"{place}第{r}行：一级指标“{i['level1']['name']}”的指标不相连（中间隔着别的一级指标），"
                       "模板按一级指标分组印出，会改变行的顺序")
        seen.add(key)
        last = key
    return why


def read_table(table, number: int) -> Optional[Found]:
    """The indicators of one table (w:tbl), or None when it is not a table of them.
    A table of them that cannot be read whole gives a Found with no indicators and notes."""
    rows = grid(table)
    found = header(rows)
    if found is None:
        return None
    if len({len(r) for r in rows}) > 1:
        return Found(table, number, [], range(0), {}, False, {}, [f"正文表格{number}：各行的列数不同"])
    top, kinds = found
    end = len(rows)
    while end > top + 1 and (not any(s.text for s in rows[end - 1]) or _FOOTER.match(rows[end - 1][0].text)):
        end -= 1
    data, place = rows[top + 1:end], f"正文表格{number}"
    why = [] if {"level1", "level2"} <= set(kinds) else [f"{place}：没有一级指标或二级指标一栏"]
    indicators = []
    for r, row in enumerate(data, start=top + 2):
        indicator, problems = read_row(row, kinds, f"{place}第{r}行")
        why += problems
        indicators.append(indicator)
    merged = _merged(data, kinds.index("level1") if "level1" in kinds else None)
    if merged is None:
        why.append(f"{place}：一级指标一栏的合并与各一级指标的行不一致")
    if not data:
        why.append(f"{place}：表头之下没有指标")
    if not why:
        why += _scattered(indicators, top, place)
    result = Found(table, number, [], range(top + 1, end), {}, bool(merged), {}, why)
    return result if why else _verify(result, rows, kinds, indicators, top)


def _footer(rows: list[list[Slot]], kinds: list[Optional[str]], groups: list[dict], ways: dict) -> dict:
    """The cells of the rows below the indicators that print the sum of the groups'
    分值 or 得分, as the template prints that sum."""
    tags = {}
    for kind in ("weight", "score"):
        values = [g[kind] for g in groups]
        if kind not in kinds or None in values:
            continue
        c = kinds.index(kind)
        for r, row in enumerate(rows, start=1):
            if row[c].text and row[c].text == show(sum(values), ways[kind]):
                tags[(r, c + 1)] = "{{ " + printing(f'indicators.groups|sum(attribute="{kind}")', ways[kind]) + " }}"
    return tags


def _verify(found: Found, rows: list[list[Slot]], kinds: list[Optional[str]], indicators: list[dict],
            top: int) -> Found:
    """``found`` with its indicators when every cell prints back as printed."""
    data = rows[found.rows.start:found.rows.stop]
    place = f"正文表格{found.number}"
    ways = {k: number_format([row[kinds.index(k)].text for row in data]) if k in kinds else ("number", 0)
            for k in ("weight", "score")}
    settings = _weights(indicators)
    if ways["score"][1] > 2:
        settings["precision"] = {"score": ways["score"][1]}
    try:
        groups = _context(indicators, settings)["groups"]
    except Exception as exc:  # reportgen's refusal of the data read, in its own words
        return found._replace(notes=[f"{place}：读出的指标不符合数据格式（{exc}）"])
    notes, differ = [], []
    for r, (row, shown) in enumerate(zip(data, _predicted(groups, kinds, found.merged, ways)), start=top + 2):
        for slot, kind in zip(row, kinds):
            if shown[kind] is None or shown[kind] == slot.text:
                continue
            if kind == "score" and shown["_scored"]:
                differ.append(f"第{r}行印出{slot.text or '（空）'}，按指标值和实际完成值算出为{shown[kind] or '（空）'}")
            elif not notes or not notes[-1].startswith(f"{place}第{r}行"):  # one cell a row says enough
                notes.append(f"{place}第{r}行：{_WORDS[kind]}印出“{slot.text}”，按读出的数据会印成“{shown[kind]}”")
    if notes:
        return found._replace(notes=list(dict.fromkeys(notes)))
    item = {c: ("{% vm %}{{ g.name }}" if kind == "level1" and found.merged else
                _ITEM.get(kind) or tag(f"i.{kind}", ways[kind])) for c, kind in enumerate(kinds)}
    told = [f"{place}的{len(indicators)}个绩效指标读入了数据的 indicators，模板按数据逐行印出"
            "（{%tr for %}），reportgen check 按它们计算得分、核对自评等级"]
    if differ:
        told.append(f"{place}中定量指标的得分与按指标值和实际完成值算出的不同（" + "；".join(differ)
                    + "）：得分由程序计算，生成的报告印出算出的得分，请核对")
    below = {(r + found.rows.stop, c): t for (r, c), t in _footer(rows[found.rows.stop:], kinds, groups, ways).items()}
    return found._replace(indicators=indicators, item=item, settings=settings, notes=told, footer=below)


def find(document) -> list[Found]:
    """Every table of indicators in the body of ``document`` (python-docx), read or not."""
    found = []
    for index, table in enumerate(document.tables, start=1):
        result = read_table(table._tbl, index)
        if result is not None:
            found.append(result)
    return found
