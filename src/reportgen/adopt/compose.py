"""Decide, paragraph by paragraph, what stays in the template and what moves to the data.

Headings, the title and every paragraph that carries a bound figure stay in the template
(figures as tags, names and years as tags); where a sentence mixes prose and bound
figures the whole paragraph stays. Any other paragraph of a mapped section moves to its
model field (:mod:`reportgen.adopt.content` splits it into items) and one of a section
the model has no field for to a named free block, ``prose``. The result is a
:class:`Plan`: what to write in each paragraph, the data, and where each section went.
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Any, NamedTuple, Optional

from reportgen.adopt import content
from reportgen.adopt.binding import Bindings
from reportgen.adopt.identity import Identity, tag_names_and_years
from reportgen.adopt.outline import Block
from reportgen.adopt.sections import SYNONYMS, Placed

#: list sections of plain strings: field → the name a template reads it by.
STRING_LISTS = {"functions": "department.functions", "overview": "work.overview", "conclusion": "conclusion",
                "analysis": "analysis", "problems": "problems"}
POINT_LISTS = {"results": "results", "measures": "measures"}
SINGLE_TEXTS = {"performance_goal": "performance_goal", "performance_management": "performance_management"}
_STEP = re.compile(r'([^.\[\]"]+)|\[(\d+)\]|\["([^"]+)"\]')


class Plan(NamedTuple):
    ops: dict[int, tuple]  # paragraph index → ("text", s) | ("delete",) | ("loop", open, item, close)
    data: dict[str, Any]
    places: dict[int, str]  # body paragraph index → where its text went, for the summary


def put(data: dict, path: str, value: Any) -> None:
    """Set ``value`` at a context path (``budget.expenditure.x``, ``projects[0].executed``,
    ``figures["a/b"]``) in nested ``data``, making dicts and lists on the way."""
    steps = [m.group(1) or (int(m.group(2)) if m.group(2) else m.group(3)) for m in _STEP.finditer(path)]
    here: Any = data
    for step, following in zip(steps, steps[1:]):
        if isinstance(step, int):
            while len(here) <= step:
                here.append({})
            here = here[step]
        else:
            here = here.setdefault(step, [] if isinstance(following, int) else {})
    here[steps[-1]] = value


def _ctx(base: str, key: str) -> str:
    return f"{base}.{key}" if key.isidentifier() else f'{base}["{key}"]'


class _Composer:
    def __init__(self, blocks: list[Block], placed: list[Placed], bindings: Bindings, who: Identity,
                 tags: list[tuple[int, int, int, str]] = ()):
        self.blocks = {b.index: b for b in blocks}
        self.placed, self.bindings, self.who = placed, bindings, who
        self.ops: dict[int, tuple] = {}
        self.places: dict[int, str] = {}
        self.data: dict[str, Any] = {}
        self.prose: list[tuple[Placed, str, str, str]] = []  # (placed, base key, literal prefix, body)
        self.replacements: dict[int, list[tuple[int, int, str]]] = {}
        self.task_titles: list[str] = []
        for b in bindings.bound:
            end = b.printed.stop if b.whole else b.printed.end
            self.replacements.setdefault(b.index, []).append((b.printed.start - b.lead, end, b.tag))
        for i, start, end, tag in tags:  # the stated grade
            self.replacements.setdefault(i, []).append((start, end, tag))
        for k, project in enumerate(bindings.projects):
            for i, start, length, key in project["_spans"]:
                self.replacements.setdefault(i, []).append((start, start + length, f"{{{{ projects[{k}].{key} }}}}"))

    def literal(self, text: str, start: int = 0, end: Optional[int] = None) -> str:
        return tag_names_and_years(text, start, len(text) if end is None else end, self.who)

    def template_text(self, block: Block) -> str:
        text, out, at = block.text, [], 0
        for start, end, tag in sorted(self.replacements.get(block.index, [])):
            out += [self.literal(text, at, start), tag]
            at = end
        out.append(self.literal(text, at))
        return "".join(out)

    # ---- the whole document -------------------------------------------------------------
    def run(self) -> Plan:
        for block in self.blocks.values():
            if block.role == "attachment":
                self.data["attachment"] = block.text
                self.ops[block.index] = ("text", "{{ attachment }}")
            elif block.role in ("title", "heading"):
                self.ops[block.index] = ("text", self.literal(block.text))
        by_field: dict[str, list[Placed]] = {}
        for p in self.placed:
            if p.block.index in self.replacements:
                self.ops[p.block.index] = ("text", self.template_text(p.block))
                self.places[p.block.index] = "模板（含绑定的数字，整段保留）"
            else:
                by_field.setdefault(p.field or "", []).append(p)
        for field, paras in by_field.items():
            self.section(field, paras)
        self.free_blocks()
        return Plan(self.ops, self.data, self.places)

    def contiguous(self, paras: list[Placed]) -> bool:
        """Whether ``paras`` follow each other with only empty paragraphs between, so
        that one loop where the first stands prints them all in their places."""
        first, last = paras[0].block.index, paras[-1].block.index
        inside = {p.block.index for p in paras}
        return all(i in inside or self.blocks[i].role == "empty" for i in range(first, last + 1))

    def loop(self, paras: list[Placed], var: str, ctx: str, item: str) -> None:
        self.ops[paras[0].block.index] = ("loop", f"{{%p for {var} in {ctx} %}}", item, "{%p endfor %}")
        for p in paras[1:]:
            self.ops[p.block.index] = ("delete",)

    def section(self, field: str, paras: list[Placed]) -> None:
        if field == "overview":  # 年度总体工作和重点工作任务: “一是<任务>。<计划>” paragraphs are tasks
            tasks = [p for p in paras if content.task(p.block.text)]
            rest = [p for p in paras if p not in tasks]
            if rest:
                self.strings(field, rest)
            if tasks:
                self.tasks(tasks)
        elif field == "analysis" and self.task_titles:  # “一是<任务>。<完成情况>”: that task's outcome
            outcomes = [p for p in paras if (content.task(p.block.text) or ("",))[0] in self.task_titles]
            rest = [p for p in paras if p not in outcomes]
            if rest:
                self.strings(field, rest)
            self.outcomes(outcomes)
        elif field in STRING_LISTS:
            self.strings(field, paras)
        elif field in POINT_LISTS:
            self.points(field, paras)
        elif field == "tasks":
            self.tasks(paras)
        elif field == "units" and len(paras) == 1 and content.units(paras[0].block.text):
            text = paras[0].block.text
            put(self.data, "department.units", content.units(text))
            self.ops[paras[0].block.index] = ("text", '{{ department.units|join("、") }}' + ("。" if text.endswith("。") else ""))
            self.places[paras[0].block.index] = "数据 department.units（内设机构，按“、”分开）"
        elif field in SINGLE_TEXTS:
            put(self.data, field, paras[0].block.text)
            self.ops[paras[0].block.index] = ("text", "{{ " + field + " }}")
            self.places[paras[0].block.index] = f"数据 {SYNONYMS[field][0]}"
            self.to_prose(paras[1:])
        else:
            self.to_prose(paras)

    def strings(self, field: str, paras: list[Placed]) -> None:
        ctx = STRING_LISTS[field]
        items = [content.split_prefix(p.block.text, ordinals=False) for p in paras]
        prefix = content.loop_prefix(items) if self.contiguous(paras) else None
        put(self.data, ctx, [i.text for i in items])
        if prefix is not None:
            self.loop(paras, "x", ctx, prefix + "{{ x }}")
        for k, (p, item) in enumerate(zip(paras, items)):
            if prefix is None:
                self.ops[p.block.index] = ("text", self.literal(item.prefix) + "{{ " + f"{ctx}[{k}]" + " }}")
            self.places[p.block.index] = f"数据 {ctx}[{k}]"

    def tasks(self, paras: list[Placed]) -> None:
        parsed = [(p, content.task(p.block.text)) for p in paras]
        good = [(p, t) for p, t in parsed if t]
        self.to_prose([p for p, t in parsed if not t])
        if not good:
            return
        put(self.data, "work.tasks", [{"title": t[0], "plan": t[1]} for _, t in good])
        self.task_titles = [t[0] for _, t in good]
        items = [content.split_prefix(p.block.text) for p, _ in good]
        prefix = content.loop_prefix(items) if len(good) == len(paras) and self.contiguous(paras) else None
        looped = prefix is not None
        if looped:
            self.loop([p for p, _ in good], "t", "work.tasks", prefix + "{{ t.title }}。{{ t.plan }}")
        for k, ((p, _), item) in enumerate(zip(good, items)):
            if not looped:
                ctx = f"work.tasks[{k}]"
                self.ops[p.block.index] = ("text", f"{item.prefix}{{{{ {ctx}.title }}}}。{{{{ {ctx}.plan }}}}")
            self.places[p.block.index] = f"数据 work.tasks[{k}]（任务名称和计划）"

    def outcomes(self, paras: list[Placed]) -> None:
        titles = [content.task(p.block.text)[0] for p in paras]
        ks = [self.task_titles.index(t) for t in titles]
        for p, k in zip(paras, ks):
            put(self.data, f"work.tasks[{k}].outcome", content.task(p.block.text)[1])
            self.places[p.block.index] = f"数据 work.tasks[{k}].outcome（完成情况）"
        prefix = content.loop_prefix([content.split_prefix(p.block.text) for p in paras])
        if ks and ks == list(range(len(self.task_titles))) and self.contiguous(paras) and prefix is not None:
            self.loop(paras, "t", "work.tasks", prefix + "{{ t.title }}。{{ t.outcome }}")
            return
        for p, k in zip(paras, ks):
            prefix = content.split_prefix(p.block.text).prefix
            self.ops[p.block.index] = ("text", f"{prefix}{{{{ work.tasks[{k}].title }}}}。{{{{ work.tasks[{k}].outcome }}}}")

    def points(self, field: str, paras: list[Placed]) -> None:
        ctx, found, ordinal = POINT_LISTS[field], [], 1
        for p in paras:
            split = content.points(p.block.text, ordinal)
            if split:
                found.append((p, "", [{"title": t, "text": x} for t, x in split]))
                ordinal += len(split)
            else:
                item = content.split_prefix(p.block.text)
                title, body = content.titled(item.text) if item.prefix else (None, item.text)
                found.append((p, item.prefix, [{"title": title, "text": body} if title else {"text": body}]))
        put(self.data, ctx, [point for _, _, pts in found for point in pts])
        whole = self.contiguous(paras)
        if whole and len(found) == 1 and found[0][1] == "" and "title" in found[0][2][0]:
            p = paras[0]
            self.ops[p.block.index] = ("text", f"{{% for m in {ctx} %}}{{{{ loop.index|cn_ordinal }}}}是{{{{ m.title }}}}。"
                                               f"{{{{ m.text }}}}{{% endfor %}}")
            self.places[p.block.index] = f"数据 {ctx}（{len(found[0][2])}项要点）"
            return
        singles = [content.split_prefix(p.block.text) for p in paras]
        prefix = content.loop_prefix(singles) if whole and all(
            len(f[2]) == 1 and (f[1] or "title" not in f[2][0]) for f in found) else None
        if prefix is not None:
            self.loop(paras, "m", ctx, prefix + "{% if m.title %}{{ m.title }}。{% endif %}{{ m.text }}")
        k = 0
        for p, literal_prefix, pts in found:
            if prefix is None:
                parts = []
                for point in pts:
                    one = f"{ctx}[{k + len(parts)}]"
                    if "title" in point and not literal_prefix:
                        parts.append(f"{content.cn_ordinal(k + len(parts) + 1)}是{{{{ {one}.title }}}}。{{{{ {one}.text }}}}")
                    elif "title" in point:
                        parts.append(self.literal(literal_prefix) + f"{{{{ {one}.title }}}}。{{{{ {one}.text }}}}")
                    else:
                        parts.append(self.literal(literal_prefix) + f"{{{{ {one}.text }}}}")
                self.ops[p.block.index] = ("text", "".join(parts))
            self.places[p.block.index] = f"数据 {ctx}[{k}]" + (f"–[{k + len(pts) - 1}]" if len(pts) > 1 else "")
            k += len(pts)

    # ---- free blocks -------------------------------------------------------------------
    def to_prose(self, paras: list[Placed]) -> None:
        for p in paras:
            item = content.split_prefix(p.block.text)
            title = content.inline_title(item.text)
            if title and len(item.text) > len(title) + 1:
                cut = len(item.prefix) + len(title) + 1
                self.prose.append((p, title, p.block.text[:cut], p.block.text[cut:]))
            else:
                self.prose.append((p, p.heading or "前言", "", p.block.text))

    def free_blocks(self) -> None:
        counts = Counter(base for _, base, _, _ in self.prose)
        seen: Counter = Counter()
        used: set[str] = set()
        for p, base, prefix, body in self.prose:
            seen[base] += 1
            key = base if counts[base] == 1 else f"{base}{seen[base]}"
            while key in used:
                key += "之二"
            used.add(key)
            self.data.setdefault("prose", {})[key] = body
            ctx = _ctx("prose", key)
            self.ops[p.block.index] = ("text", self.literal(prefix) + "{{ " + ctx + " }}")
            self.places[p.block.index] = f"数据 {ctx}（其他文字段落）"


def compose(blocks: list[Block], placed: list[Placed], bindings: Bindings, who: Identity,
            cells: dict[int, str], tags: list[tuple[int, int, int, str]] = ()) -> Plan:
    """The :class:`Plan` of a document: its paragraphs as template text, and its data.
    ``cells`` are the texts of the other paragraphs (table cells, headers, footers;
    index → text): those with a bound figure get their tags, the others the tags of the
    department's names and the report's year, as the body's text does. ``tags`` are
    further (index, start, end, tag) replacements (the stated grade): their paragraphs
    stay in the template, as those with a bound figure do."""
    composer = _Composer(blocks, placed, bindings, who, tags)
    plan = composer.run()
    for index, text in cells.items():
        if index in composer.replacements:
            plan.ops[index] = ("text", composer.template_text(Block(index, text, "cell")))
        elif index not in plan.ops and composer.literal(text) != text:  # a name, a year, a brace
            plan.ops[index] = ("text", composer.literal(text))
    for path, value in bindings.values.items():
        put(plan.data, path, value)
    for k, project in enumerate(bindings.projects):
        for key, value in project.items():
            if not key.startswith("_"):
                put(plan.data, f"projects[{k}].{key}", value)
    return plan

