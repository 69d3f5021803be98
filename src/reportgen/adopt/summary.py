"""The adoption summary, for the clerk (Chinese text) and for programs (``--format json``).

It says which sections were recognised and where their text went, which figures were
bound to which data field, which were recognised as computed (a rate, a sum, a share)
and with what formula, which quantities were printed more than one way, which numbers
stayed text and why, and how the adopted pair was checked (rendered again and compared
with the source; ``template-check`` on the template).
"""
from __future__ import annotations

from collections import Counter
from typing import Any

import attrs

from reportgen.adopt.binding import Bindings
from reportgen.adopt.outline import Block
from reportgen.adopt.sections import Placed, SYNONYMS
from reportgen.model import SelfEvaluationReport
from reportgen.model.fields import metadata_of

#: names a template reads that the context computes, with their meaning.
COMPUTED = {"budget.executed": "执行数", "budget.income_total": "收入合计", "budget.execution_rate": "预算执行率",
            "scope.share": "自评涉及资金占比", "budget.yoy_change": "同比增减", "execution_rate": "执行率",
            "score.total": "自评总分"}


def meaning(path: str) -> str:
    """The Chinese meaning of a data or context path, from the model's metadata.

    >>> meaning("budget.annual_budget"), meaning("projects[0].executed"), meaning("budget.executed")
    ('全年预算数', '实际支出', '执行数')
    """
    if path in COMPUTED:
        return COMPUTED[path]
    if path.startswith("figures"):
        return "其他数值"
    cls, words = SelfEvaluationReport, []
    for step in path.replace("]", "").split("."):
        name = step.split("[")[0]
        if cls is None or not attrs.has(cls):
            return COMPUTED.get(name, words[-1] if words else path)
        fields = {f.name: f for f in attrs.fields(attrs.resolve_types(cls))}
        if name not in fields:
            return COMPUTED.get(name, name)
        words.append(metadata_of(cls)[name].meaning)
        cls = _inner(fields[name].type)
    return words[-1]


def _inner(kind: Any):
    for arg in getattr(kind, "__args__", ()) or ():
        if attrs.has(arg):
            return arg
    return kind if isinstance(kind, type) and attrs.has(kind) else None


def build(source: str, who, blocks: list[Block], placed: list[Placed],
          places: dict[int, str], bindings: Bindings, cells: dict[int, tuple[str, str]]) -> dict[str, Any]:
    """The summary as plain data (the ``--format json`` shape). ``cells`` gives each
    table cell's place (“表1第2行第3列”) and text, by paragraph index."""
    headings = {b.index: b for b in blocks if b.role == "heading"}
    if any(p.heading_index == -1 for p in placed):  # a preface between title and first heading
        headings = {-1: Block(-1, "（标题之后、第一个标题之前的正文）", "heading"), **headings}
    sections = []
    for index, heading in headings.items():
        mine = [p for p in placed if p.heading_index == index]
        field = SYNONYMS[mine[0].field][0] if mine and mine[0].field else None
        sections.append({"heading": heading.text, "paragraph": index + 1,
                         "field": field or ("其他文字段落（prose）" if mine else None),
                         "went": dict(Counter(places.get(p.block.index, "模板") .split("[")[0].split("（")[0]
                                              for p in mine))})
    texts = {p.block.index: p.block.text for p in placed}
    texts.update((i, text) for i, (_, text) in cells.items())

    def where(i: int) -> str:
        return cells[i][0] if i in cells else f"第{i + 1}段"

    def context(i: int, printed) -> str:
        text = texts.get(i, "")
        return text[max(0, printed.start - 10): printed.stop + 6]

    figures = [{"paragraph": b.index + 1, "place": where(b.index), "printed": b.printed.digits + b.printed.unit, "field": b.path,
                "meaning": meaning(b.path), "kind": b.kind, "tag": b.tag} for b in bindings.bound]
    return {
        "source": source, "department": who.full_name, "year": who.year,
        "sections": sections,
        "bound": [f for f in figures if f["kind"] != "derived"],
        "derived": [f for f in figures if f["kind"] == "derived"],
        "two_ways": [{"field": path, "printed": shown} for path, shown in bindings.two_ways],
        "plain": [{"paragraph": p.index + 1, "place": where(p.index), "printed": p.printed.digits + p.printed.unit,
                   "context": context(p.index, p.printed), "reason": p.reason}
                  for p in sorted(bindings.plain, key=lambda p: (p.index, p.printed.start))],
        "notes": list(bindings.notes),
    }


def text(summary: dict[str, Any]) -> str:
    """The summary in Chinese, for the terminal."""
    lines = [f"已读取 {summary['source']}：{summary['department']} {summary['year']}年",
             f"模板：{summary.get('template', '')}", f"数据：{summary.get('data', '')}", "",
             f"一、识别的章节（{len(summary['sections'])}个）"]
    for s in summary["sections"]:
        went = "，".join(f"{where} {n}段" for where, n in s["went"].items()) or "（无正文）"
        lines.append(f"  {s['heading']} → {s['field'] or '标题，留在模板'}：{went}")
    lines.append(f"二、绑定到数据的数字（{len(summary['bound'])}个）")
    lines += [f"  {f['place']} {f['printed']} → {f['field']}（{f['meaning']}），印作 {f['tag']}"
              for f in summary["bound"]]
    lines.append(f"三、识别为计算值的数字（{len(summary['derived'])}个）")
    lines += [f"  {f['place']} {f['printed']} → {f['field']}（{f['meaning']}，由数据算出），印作 {f['tag']}"
              for f in summary["derived"]]
    if summary["two_ways"]:
        lines.append("四、同一数值的不同写法")
        lines += [f"  {t['field']}：{'、'.join(t['printed'])} 是同一个数，数据中只记一次，各处按原来的位数印出"
                  for t in summary["two_ways"]]
    if summary.get("names_and_years"):
        lines.append("年度和部门名称改为标签：" + "，".join(f"{tag} {n}处" for tag, n in summary["names_and_years"].items()))
    lines.append(f"五、作为文字保留的数字（{len(summary['plain'])}个）")
    lines += [f"  {p['place']} {p['printed']}（“{p['context']}”）：{p['reason']}" for p in summary["plain"]]
    if summary["notes"]:
        lines.append("六、说明")
        lines += [f"  {n}" for n in summary["notes"]]
    verify = summary.get("verification")
    if verify:
        lines.append(f"核对：用数据和模板重新生成，正文与原文的一致度 {verify['similarity']:.4f}；"
                     f"template-check 发现 {verify['template_problems']} 个问题")
    return "\n".join(lines)
