"""Bind a report's printed figures to the data: model fields, computed figures, named figures.

Each figure's label (what its clause says before it) names the model field it prints
(:data:`LABELS`: 全年预算数, 执行数, a funding source, 基本/项目支出, 结转和结余, income,
staffing, the scope's counts …); a project's sentence (“…年初预算80万元，实际支出76.27万元，
执行率95%”) and a special fund's are read whole. A field takes the first value printed for
it; a later print must agree at its own precision. Figures the data reproduces by arithmetic
at their printed precision (执行数 as the sum of the sources, 执行率, 收入合计, 占比) become
computed. A quantity the model has no field for that the report prints more than once
becomes a named figure (``figures``), one value for every print, however rounded
(858.766 and 858.77). Everything else stays text, with the reason.
"""
from __future__ import annotations

import re
from decimal import Decimal
from typing import NamedTuple, Optional

from reportgen.adopt.printed import Printed, figures, reprint
from reportgen.compute.budget import total as sources_total
from reportgen.model import FundingSources
from reportgen.rounding import change, percentage, round_half_up

_SOURCES = (("一般公共预算", "general_public_budget"), ("政府性基金", "government_fund_budget"),
            ("国有资本经营", "state_capital_budget"), ("财政专户", "other_funds"), ("其他资金", "other_funds"))

#: (label pattern, unit kind, data path, derived?) in the order they are tried.
LABELS: tuple[tuple[str, str, str, bool], ...] = (
    (r"总收入|收入合计|收入总额|^收入$", "money", "budget.income_total", True),
    (r"基本支出", "money", "budget.basic_expenditure", False),
    (r"^(?!.*占).*项目支出$", "money", "budget.project_expenditure", False),
    (r"结转|结余", "money", "budget.carryover", False),
    (r"年初预算", "money", "budget.initial_budget", False),
    (r"上年.*(支出|决算|执行)", "money", "budget.prior_year_expenditure", False),
    (r"(全年|年度|调整后)预算(数|总额)?$|^预算数$", "money", "budget.annual_budget", False),
    (r"执行数|决算数|总支出|支出总额|支出合计|决算支出", "money", "budget.executed", True),
    (r"涉及资金", "money", "scope.amount", False),
    (r"一级项目", "count", "scope.first_level_projects", False),
    (r"二级项目", "count", "scope.second_level_projects", False),
    (r"编制", "people", "department.staffing.authorized", False),
    (r"实有", "people", "department.staffing.actual", False),
    (r"退休", "people", "department.staffing.retired", False),
    (r"占.*(项目支出|预算)", "percent", "scope.share", True),
    (r"执行率|完成预算|支出进度|预算执行", "percent", "budget.execution_rate", True),
    (r"上年.*(增长|增加|下降|减少)$", "percent", "budget.yoy_change", True),
)
_UNIT_KINDS = {"money": ("万元",), "count": ("个",), "people": ("人", "名"), "percent": ("%", "％")}
_NUM = r"(\d[\d,]*(?:\.\d+)?)"
_PROJECT = re.compile(r"(?P<name>[^，。；：]+?)[，,]?(?:项目)?(?P<kind>年初预算|全年预算数?|预算资金|预算数?)(?:为)?"
                      + _NUM + r"万元[，,]\s*实际支出(?:为)?" + _NUM + r"万元(?:[，,]\s*执行率(?:为)?" + _NUM + r"%)?")
#: the reason a project's sentence gives for its low execution, up to the full stop.
_REASON = re.compile(r"[，,]\s*((?:主要)?原因(?:是|为|在于)[^。；]+)")
_FUND = re.compile(r"专项资金预算金额(?:为)?" + _NUM + r"万元[，,]\s*预算支出金额(?:为)?" + _NUM
                   + r"万元[，,]\s*预算支出率(?:为)?" + _NUM + r"%")


class Bound(NamedTuple):
    """One figure of paragraph ``index`` printed from the data by ``tag``."""

    index: int
    printed: Printed
    path: str  # what it is bound to: "budget.annual_budget", "figures.协议达产值"
    kind: str  # "field", "derived" or "named"
    tag: str  # the template text that prints it: "{{ budget.annual_budget|money(false, 2) }}"
    whole: bool  # the tag prints the unit too (percent), so it replaces digits and unit
    lead: int = 0  # characters before the digits it replaces too (a change's 增长 / 下降)


class Plain(NamedTuple):
    """A figure left as text, and why."""

    index: int
    printed: Printed
    reason: str


class Bindings(NamedTuple):
    """What :func:`bind` found; ``known`` is every quantity the data gives or computes
    (path → exact value), for figures printed without words around them (a table)."""

    bound: list[Bound]
    plain: list[Plain]
    values: dict[str, Decimal]  # data path → value, for every raw field and named figure
    projects: list[dict]  # name, budget / initial_budget, executed
    notes: list[str]  # what the summary must say beyond the figures
    two_ways: list[tuple[str, list[str]]]  # a quantity printed more than one way
    known: dict[str, Decimal]
    grouping: bool = True  # the document's digit grouping: False when an amount over 999 is printed without


def _candidate(p: Printed) -> Optional[tuple[str, bool]]:
    for pattern, kind, path, derived in LABELS:
        if p.unit in _UNIT_KINDS[kind] and re.search(pattern, p.label):
            return path, derived
    if p.unit == "万元":
        for word, key in _SOURCES:
            if word in p.label:
                side = "income" if "收入" in p.label else "expenditure"
                return f"budget.{side}.{key}", False
    return None


def _agrees(value: Decimal, p: Printed) -> bool:
    return round_half_up(value, p.places) == p.value


def _percent_of(part: Decimal, whole: Optional[Decimal]) -> Optional[Decimal]:
    """``part / whole`` in percent, unrounded, as reportgen computes a rate; None for no whole."""
    rate = percentage(part, whole) if whole else None
    return None if rate is None else rate.exact


class _Binder:
    """One pass over the document's figures; see the module docstring for the rules."""

    def __init__(self, paragraphs: list[tuple[int, str]]):
        self.found = {i: figures(text) for i, text in paragraphs}
        seen = [p.grouping for found in self.found.values() for p in found if p.grouping is not None]
        self.grouping = not seen or any(seen)
        self.texts = dict(paragraphs)
        self.claimed: dict[tuple[int, int], tuple[str, bool]] = {}  # (index, start) → (path, derived)
        self.values: dict[str, Decimal] = {}
        self.bound: list[Bound] = []
        self.plain: list[Plain] = []
        self.notes: list[str] = []
        self.projects: list[dict] = []
        self.funds = 0  # special funds read
        self.two_ways: list[tuple[str, list[str]]] = []
        self.rates: dict[str, Decimal] = {}

    # ---- what each figure is -------------------------------------------------------------
    def claim_sentences(self) -> None:
        """Projects and special funds are read as whole sentences, before single labels."""
        for i, text in self.texts.items():
            starts = {p.start: p for p in self.found[i]}
            for m in _PROJECT.finditer(text):
                name = re.sub(r"^(如|其中|例如|包括)", "", m.group("name")).strip()
                names = [p["name"] for p in self.projects]
                k = names.index(name) if name in names else len(names)  # one project, named twice
                base = "initial_budget" if m.group("kind") == "年初预算" else "budget"
                if k == len(names):
                    self.projects.append({"name": name, "_spans": []})
                self._claim(i, starts, m.start(3), f"projects[{k}].{base}")
                self._claim(i, starts, m.start(4), f"projects[{k}].executed")
                if m.group(5):
                    self._claim(i, starts, m.start(5), f"projects[{k}].execution_rate", True)
                self.projects[k]["_spans"].append((i, m.start("name") + m.group("name").index(name), len(name), "name"))
                why = _REASON.match(text, m.end())
                if why and self.projects[k].get("explanation", why.group(1)) == why.group(1):
                    self.projects[k]["explanation"] = why.group(1)
                    self.projects[k]["_spans"].append((i, why.start(1), len(why.group(1)), "explanation"))
            for m in _FUND.finditer(text):
                k = self.funds
                self.funds += 1
                self._claim(i, starts, m.start(1), f"special_funds[{k}].budget")
                self._claim(i, starts, m.start(2), f"special_funds[{k}].executed")
                self._claim(i, starts, m.start(3), f"special_funds[{k}].execution_rate", True)

    def _claim(self, i: int, starts: dict, start: int, path: str, derived: bool = False) -> None:
        if start in starts:
            self.claimed[(i, start)] = (path, derived)

    def claim_labels(self) -> None:
        for i, found in self.found.items():
            for p in found:
                if (i, p.start) not in self.claimed:
                    candidate = _candidate(p)
                    if candidate:
                        self.claimed[(i, p.start)] = candidate

    # ---- values ---------------------------------------------------------------------------
    def _prints(self, path: str) -> list[tuple[int, Printed]]:
        return [(i, p) for i, found in self.found.items() for p in found
                if self.claimed.get((i, p.start), ("",))[0] == path]

    def raw_values(self) -> None:
        for (i, start), (path, derived) in self.claimed.items():
            if derived or path in self.values:
                continue
            prints = self._prints(path)
            self.values[path] = max((p for _, p in prints), key=lambda p: p.places).value
        for path, value in list(self.values.items()):
            shown = sorted({p.digits + p.unit for _, p in self._prints(path) if _agrees(value, p)})
            if len(shown) > 1:  # 36,628.61 and 36628.61, 858.766 and 858.77: one field
                self.two_ways.append((path, shown))
            for i, p in self._prints(path):
                if _agrees(value, p):
                    self._bind(i, p, path, "field")
                else:
                    self.plain.append(Plain(i, p, f"与前面印出的{path} {value} 不符，未绑定"))

    def _sum(self, side: str) -> Optional[Decimal]:
        """The side's total as reportgen computes it from the sources printed; None for none."""
        prefix = f"budget.{side}."
        return sources_total(FundingSources(**{k[len(prefix):]: v for k, v in self.values.items() if k.startswith(prefix)}))

    def derived_values(self) -> None:
        self._total("expenditure", "budget.executed", "执行数")
        self._total("income", "budget.income_total", "收入合计")
        executed = self._sum("expenditure") or Decimal(0)
        rates = {"budget.execution_rate": ("执行率 = 执行数 / 全年预算数",
                                           _percent_of(executed, self.values.get("budget.annual_budget")))}
        base = self.values.get("budget.project_expenditure", self.values.get("budget.expenditure.general_public_budget"))
        if "scope.amount" in self.values and base:
            rates["scope.share"] = ("占比 = 自评涉及资金 / 项目支出", _percent_of(self.values["scope.amount"], base))
        prior = self.values.get("budget.prior_year_expenditure")
        if prior:
            rates["budget.yoy_change"] = ("同比 = 执行数 / 上年支出 − 1", change(executed, prior).exact)
        for k, _ in enumerate(self.projects):
            got = self.values.get(f"projects[{k}].budget", self.values.get(f"projects[{k}].initial_budget"))
            rates[f"projects[{k}].execution_rate"] = (
                "项目执行率 = 实际支出 / 预算", _percent_of(self.values.get(f"projects[{k}].executed", Decimal(0)), got))
        for k in range(self.funds):
            rates[f"special_funds[{k}].execution_rate"] = (
                "支出率 = 支出金额 / 预算金额", _percent_of(self.values.get(f"special_funds[{k}].executed", Decimal(0)),
                                                 self.values.get(f"special_funds[{k}].budget")))
        self.rates = {path: exact for path, (_, exact) in rates.items() if exact is not None and path != "budget.yoy_change"}
        for path, (how, exact) in rates.items():
            for i, p in self._prints(path):
                if path == "budget.yoy_change" and exact is not None:
                    self._change(i, p, exact, how)
                elif exact is not None and _agrees(exact, p):
                    self._bind(i, p, path, "derived", how)
                else:
                    self.plain.append(Plain(i, p, f"按数据算出的{how.split(' = ')[0]}与印出的数不符，未改为计算值"))

    def _total(self, side: str, path: str, what: str) -> None:
        prints = self._prints(path)
        if not prints:
            return
        total = self._sum(side)
        if total is None:  # no source printed: the total is the one raw figure there is
            first = max((p for _, p in prints), key=lambda p: p.places)
            self.values[f"budget.{side}.general_public_budget"] = first.value
            total = first.value
            self.notes.append(f"{what}未按资金来源列出，记入一般公共预算财政拨款（budget.{side}.general_public_budget）；"
                              f"如有其他来源，请在数据中分开填写")
        for i, p in prints:
            if _agrees(total, p):
                self._bind(i, p, path, "derived", f"{what} = 按资金来源之和")
            else:
                self.plain.append(Plain(i, p, f"与按资金来源之和 {total} 不符，未改为计算值"))

    def _change(self, i: int, p: Printed, exact: Decimal, how: str) -> None:
        """同比: the word before it (增长 / 下降) is printed from the sign, the figure unsigned."""
        verb = p.label[-2:]
        falling = verb in ("下降", "减少")
        if (exact < 0) != falling or not _agrees(abs(exact), p):
            self.plain.append(Plain(i, p, "按数据算出的同比变化与印出的数不符，未改为计算值"))
            return
        up, down = ("增加", "减少") if verb in ("增加", "减少") else ("增长", "下降")
        tag = (f"{{% if budget.yoy_change < 0 %}}{down}{{% else %}}{up}{{% endif %}}"
               f"{{{{ budget.yoy_change|abs|percent({p.places}) }}}}")
        self.bound.append(Bound(i, p, "budget.yoy_change", "derived", tag, True, len(verb)))

    def _bind(self, i: int, p: Printed, path: str, kind: str, how: str = "") -> None:
        if path.endswith(("execution_rate", ".share")):
            self.bound.append(Bound(i, p, path, kind, f"{{{{ {path}|percent({p.places}) }}}}", True))
            return
        way = reprint(p, self.values.get(path) if kind != "derived" else None, self.grouping)
        if way is None:
            self.plain.append(Plain(i, p, "无法用模板的格式写出同样的数字"))
            return
        self.bound.append(Bound(i, p, path, kind, f"{{{{ {path}|{way[0]}({way[1]}) }}}}", False))

    # ---- named figures ------------------------------------------------------------------
    def named(self) -> None:
        groups: list[tuple[str, str, list[tuple[int, Printed]]]] = []  # (name, unit, prints)
        for i, found in self.found.items():
            for p in found:
                if (i, p.start) in self.claimed:
                    continue
                key = _name(p)
                if key is None:
                    self.plain.append(Plain(i, p, "前后没有说明它是什么数，作为文字保留"))
                    continue
                for g, (name, unit, prints) in enumerate(groups):
                    if unit == p.unit and (name.endswith(key) or key.endswith(name)):
                        groups[g] = (min(name, key, key=len), unit, prints + [(i, p)])
                        break
                else:
                    groups.append((key, p.unit, [(i, p)]))
        names = [g[0] for g in groups]
        for name, unit, prints in groups:
            best = max((p for _, p in prints), key=lambda p: p.places).value
            if len(prints) < 2:
                self.plain.extend(Plain(i, p, "只印出一次、模型中没有对应字段，随所在段落保留") for i, p in prints)
            elif names.count(name) > 1 or not all(_agrees(best, p) for _, p in prints):
                self.plain.extend(Plain(i, p, f"“{name}”印出了不同的数，看不出是同一个数，作为文字保留")
                                  for i, p in prints)
            else:
                path = f"figures.{name}" if name.isidentifier() else f'figures["{name}"]'
                self.values[path] = best
                for i, p in prints:
                    self._bind(i, p, path, "named")
                shown = sorted({p.digits + p.unit for _, p in prints})
                if len(shown) > 1:
                    self.two_ways.append((path, shown))


def _name(p: Printed) -> Optional[str]:
    """What a figure without a model field is called: its label, else what follows it."""
    label = re.sub(r"^[“”\"‘’]+|[“”\"‘’]+$", "", p.label)
    after = re.sub(r"[^\u4e00-\u9fff]", "", p.after)[:8]
    if len(label) >= 4 and not label.isdigit():
        return label
    if len(label) + len(after) >= 3:  # "推动170个项目注册落地": a verb alone names nothing
        return label + after
    return None


def bind(paragraphs: list[tuple[int, str]]) -> Bindings:
    """The :class:`Bindings` of the figures in ``paragraphs`` ((index, text) pairs), with
    the document's digit-grouping habit, which figures below 1,000 follow too."""
    binder = _Binder(paragraphs)
    binder.claim_sentences()
    binder.claim_labels()
    binder.raw_values()
    binder.derived_values()
    binder.named()
    known = dict(binder.values, **binder.rates)
    for side, path in (("expenditure", "budget.executed"), ("income", "budget.income_total")):
        if (whole := binder._sum(side)) is not None:
            known[path] = whole
    return _drop_incomplete(Bindings(binder.bound, binder.plain, binder.values, binder.projects,
                                     binder.notes, binder.two_ways, known, binder.grouping))


def _drop_incomplete(bindings: Bindings) -> Bindings:
    """``bindings`` without a 自评范围 the report does not give whole (its three figures):
    the model has no partial scope, so those figures stay text."""
    scope = ("scope.first_level_projects", "scope.second_level_projects", "scope.amount")
    if all(s in bindings.values for s in scope) or not any(s in bindings.values for s in scope):
        return bindings
    gone = [b for b in bindings.bound if b.path.startswith("scope.")]
    return bindings._replace(
        bound=[b for b in bindings.bound if not b.path.startswith("scope.")],
        plain=bindings.plain + [Plain(b.index, b.printed, "自评范围的三个数（一级、二级项目数和涉及资金）不全，作为文字保留")
                                for b in gone],
        values={k: v for k, v in bindings.values.items() if not k.startswith("scope.")})
