"""Figures typed into the prose, against the data and against each other (rules.md §5).

- A rate, an amount, a count of indicators, a grade or a score written in the text
  is compared with the figure computed from the data. A figure that is the computed
  one rounded by hand to fewer places (98.5% for 98.54%) is a warning; any other
  difference is an error.
- A rate (预算执行率, 完成预算的, 支出进度, 执行率 …) is the department's unless its
  sentence names a project or a special fund before it: then it is that one's (and,
  when other words stand between the name and the phrase, the department's is
  accepted too). A department word right before the phrase (部门, 整体, 全年 …) makes
  it the department's whatever was named earlier.
- A rate in 下一步改进措施, or in a clause that sets a target (力争, 确保, 目标 …) or
  speaks of another year (上年, 同期, 2022年 …), is not this year's result and is left
  alone; "执行率达到95%以上" is a bound, wrong only when the rate falls short of it.
- The same quantity written twice with different values or precision (858.766亿元 and
  858.77亿元) is matched by the words before the number and its unit.
- A long passage repeated in two fields is reported (:mod:`reportgen.checking.repeats`):
  a later edit will reach only one.

Indicator fields (targets, actuals, their wording) are short values, not prose, and
are left to the indicator checks.
"""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Callable, Iterator, NamedTuple, Optional

from reportgen.checking.findings import ERROR, WARNING, Problem, finding
from reportgen.checking.text import excerpt, planned_or_past
from reportgen.compute import budget as b
from reportgen.compute import categories
from reportgen.compute import scoring
from reportgen.formatting import money, number
from reportgen.model import SelfEvaluationReport
from reportgen.rounding import HUNDRED, round_half_up

#: (JSON path, text) of every prose field, indicators left out (text.walk).
Prose = list[tuple[str, str]]

_NUM = r"(\d+(?:,\d{3})*(?:\.\d+)?)"
_RATE = re.compile(r"(预算执行率|执行率|完成预算的|支出进度|预算完成率|预算支出率|支出率)\s*"
                   r"(?:为|达到|达|是|约为|约)?\s*" + _NUM + r"\s*[%％]")
# A rate after these words is the department's ("全年预算执行率"), whatever project the
# sentence named before; a sentence ends at these characters.
_RATE_OWNERS = ("部门", "整体", "全局", "本局", "我局", "本单位", "我单位", "全年", "年度", "总体", "全区")
_SENTENCE_END = "。；;！？!?\n"
_MONEY_LABELS: dict[str, Callable[[SelfEvaluationReport], Optional[Decimal]]] = {
    "全年预算数|年度预算数|调整后预算数": lambda r: r.budget.annual_budget,
    "年初预算数": lambda r: r.budget.initial_budget,
    "年度决算数|决算数|执行数|决算总支出|支出总额": lambda r: b.executed(r.budget),
    "基本支出": lambda r: r.budget.basic_expenditure,
    "项目支出": lambda r: r.budget.project_expenditure,
    "年末结转和结余|结转和结余": lambda r: r.budget.carryover,
    "决算总收入|收入合计": lambda r: b.total(r.budget.income),
}
_COUNT = re.compile(r"(\d+)\s*个\s*(产出指标|效益指标|满意度指标|成本指标)")
_TOTAL_COUNT = re.compile(r"(?:共|包括|设置|设定|共设)\s*(\d+)\s*[个项]\s*(?:绩效)?指标")
# A one-character grade must stand alone ("等级为优。"), and 中 needs "为": "等级中，" is no grade.
_GRADE = re.compile(r"(?:(?:自评|评价|绩效)?等级(?:评定)?(?:(?:为|是|：|:)\s*[“\"]?(优秀|良好|中等|优|良|中|差)"
                    r"|[“\"]?(优秀|良好|中等|优|良|差))|自评(?:结果)?(?:为)?(优秀|良好|中等))(?![\u4e00-\u9fff])")
# Only the total: "产出指标得分45分" is a part.
_SCORE = re.compile(r"(?:自评得分|总得分|总分|综合得分)(?:为|是|：|:)?\s*" + _NUM + r"\s*分")
# Before a department-level label only these may stand ("我局项目支出"); any other word
# makes it a project's ("招商推介项目支出30万元"), which the department figure does not check.
_OWNERS = ("其中", "全年", "年度", "部门", "本局", "我局", "整体", "全局", "本单位", "我单位", "决算")
_SHORT_GRADE = {"优秀": "优", "良好": "良", "中等": "中"}


def fund_label(report: SelfEvaluationReport, k: int) -> str:
    """专项资金“<name>”, or 专项资金 alone, or 第2项专项资金 when several have no name."""
    fund = report.special_funds[k]
    if fund.name:
        return f"专项资金“{fund.name}”"
    return "专项资金" if len(report.special_funds) == 1 else f"第{k + 1}项专项资金"


def _decimal(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def _places(value: Decimal) -> int:
    return max(0, -value.as_tuple().exponent)


def _compare(typed: Decimal, exact: Decimal) -> Optional[str]:
    """None when ``typed`` is ``exact`` at two places (or as given), "rounded" when it is
    ``exact`` rounded to fewer places by hand, "wrong" otherwise."""
    places = _places(typed)
    if round_half_up(exact, max(places, 2)) == round_half_up(typed, max(places, 2)):
        return None
    return "rounded" if round_half_up(exact, places) == typed else "wrong"


class Rate(NamedTuple):
    """A rate the data gives, unrounded, with its name in a message."""

    name: str
    exact: Decimal


def _department_rates(report: SelfEvaluationReport) -> list[Rate]:
    budget = report.budget
    if not budget.annual_budget:
        return []
    return [Rate("预算执行率", b.executed(budget) * HUNDRED / budget.annual_budget)]


def _named_rates(report: SelfEvaluationReport) -> list[tuple[str, list[Rate]]]:
    """(what the prose calls it, its rates) for each project and special fund."""
    named: list[tuple[str, list[Rate]]] = []
    for p in report.projects:
        base = b.project_base(p)
        named.append((p.name, [Rate(f"项目“{p.name}”执行率", b.project_executed(p) * HUNDRED / base)] if base else []))
    funds = [[Rate(f"{fund_label(report, k)}支出率", f.executed * HUNDRED / f.budget)] if f.budget else []
             for k, f in enumerate(report.special_funds)]
    named += [(name, rates) for f, rates in zip(report.special_funds, funds) if f.name
              for name in (f.name, f"{f.name}专项资金")]  # "商务发展专项资金" is 商务发展's
    return named + [("专项资金", [rate for rates in funds for rate in rates])]


def _subject(report: SelfEvaluationReport, text: str, start: int) -> list[Rate]:
    """The rates a rate phrase may state: those of the project or fund named last in
    its sentence, unless a department word stands right before the phrase (部门, 全年 …);
    the department's otherwise."""
    left = max(text.rfind(c, 0, start) for c in _SENTENCE_END) + 1
    before = text[left:start].rstrip()
    found = [(before.rfind(name) + len(name), len(name), rates)
             for name, rates in _named_rates(report) if name and name in before]
    owner = next((w for w in _RATE_OWNERS if before.endswith(w)), "")
    if not found:
        return _department_rates(report)
    end, _, rates = max(found, key=lambda f: f[:2])
    if owner and end < len(before) - len(owner):  # "A执行较快，部门整体预算执行率…"
        return _department_rates(report)
    if not owner and end == len(before):  # "A执行率…": A's alone
        return rates
    # "A全年预算…万元，执行率…", "A等项目按计划执行，预算执行率…": A's, or the department's.
    return rates + _department_rates(report)


def _bound_finding(path: str, text: str, match: re.Match, rates: list[Rate]) -> Optional[Problem]:
    """"执行率达到95%以上" says at least 95%: wrong only when no rate it may state reaches it."""
    typed = _decimal(match.group(2))
    if not rates or any(round_half_up(r.exact, max(_places(typed), 2)) >= typed for r in rates):
        return None
    name, exact = rates[0]
    return finding(ERROR, path, f"“{excerpt(text, match.start(), match.end() + 2)}”写作{typed}%以上，"
                                f"但按数据计算的{name}为{round_half_up(exact, 2)}%")


def _rate_finding(path: str, text: str, match: re.Match, rates: list[Rate]) -> Optional[Problem]:
    if text.startswith("以上", match.end()):
        return _bound_finding(path, text, match, rates)
    typed = _decimal(match.group(2))
    verdicts = [(_compare(typed, r.exact), r) for r in rates]
    if not verdicts or any(v is None for v, _ in verdicts):
        return None
    where = f"“{excerpt(text, match.start(), match.end())}”"
    rounded = [r for v, r in verdicts if v == "rounded"]
    if rounded:
        return finding(WARNING, path, f"{where}写作{typed}%，按数据计算的{rounded[0].name}为"
                                      f"{round_half_up(rounded[0].exact, 2)}%：手工四舍五入少保留了小数位")
    name, exact = rates[0]
    return finding(ERROR, path, f"{where}写作{typed}%，与按数据计算的{name}{round_half_up(exact, 2)}%不符")


def _this_years_result(report: SelfEvaluationReport, path: str, text: str, match: re.Match) -> bool:
    """Whether a rate states this year's result: not in 下一步改进措施, not in a clause that
    sets a target (力争, 确保 …) or speaks of another year (上年, 2022年 …)."""
    return not path.startswith("$.measures") and not planned_or_past(text, match.start(), match.end(), report.year)


def rate_findings(report: SelfEvaluationReport, prose: Prose) -> Iterator[Problem]:
    """Rates typed into the prose against the rate they state (:func:`_subject`): an
    error when they contradict it, a warning when rounded by hand to fewer places.
    Targets and other years' rates are left alone (:func:`_this_years_result`)."""
    for path, text in prose:
        for match in _RATE.finditer(text):
            if not _this_years_result(report, path, text, match):
                continue
            finding = _rate_finding(path, text, match, _subject(report, text, match.start()))
            if finding:
                yield finding


def _department_level(text: str, start: int) -> bool:
    before = text[:start].rstrip()
    if not before or not "\u4e00" <= before[-1] <= "\u9fff":
        return True
    return before.endswith(_OWNERS)


def money_findings(report: SelfEvaluationReport, prose: Prose) -> Iterator[Problem]:
    """Amounts typed after 全年预算数, 执行数, 基本支出 … that differ from the data."""
    for path, text in prose:
        for labels, value_of in _MONEY_LABELS.items():
            value = value_of(report)
            pattern = rf"({labels})\s*(?:为|是|共|合计|达)?\s*{_NUM}\s*万元"
            for match in re.finditer(pattern, text):
                if not _department_level(text, match.start()):
                    continue
                typed = _decimal(match.group(2))
                verdict = None if value is None else _compare(typed, value)
                if verdict:
                    severity = WARNING if verdict == "rounded" else ERROR
                    yield finding(severity, path, f"“{excerpt(text, match.start(), match.end())}”写作"
                                                  f"{match.group(1)}{money(typed)}万元，数据中为{money(value)}万元")


def _counts(report: SelfEvaluationReport) -> dict[str, int]:
    """Indicators per 一级 category, by :func:`~reportgen.compute.categories.category_key`."""
    return {categories.category_key(g.name): len(g.indicators) for g in categories.group_by_level1(report.indicators)}


def count_findings(report: SelfEvaluationReport, prose: Prose) -> Iterator[Problem]:
    """"11个产出指标" typed into the prose against the indicators listed."""
    if not report.indicators:
        return
    counts, total = _counts(report), len(report.indicators)
    for path, text in prose:
        found = [(m, m.group(2), counts.get(categories.category_key(m.group(2)), 0)) for m in _COUNT.finditer(text)]
        found += [(m, "绩效指标", total) for m in _TOTAL_COUNT.finditer(text)]
        for match, what, listed in found:
            if int(match.group(1)) != listed:
                yield finding(ERROR, path, f"“{excerpt(text, match.start(), match.end())}”写作"
                                           f"{match.group(1)}个{what}，但指标列表中有{listed}个")


def grade_findings(report: SelfEvaluationReport, card: scoring.Scorecard, prose: Prose) -> Iterator[Problem]:
    """A grade or a score written in the prose that the data does not give."""
    stated = scoring.printed_grade(card, report.grade)
    for path, text in prose:
        for match in _GRADE.finditer(text):
            typed = next(g for g in match.groups() if g)
            if stated and _SHORT_GRADE.get(typed, typed) != stated:
                yield finding(ERROR, path, f"“{excerpt(text, match.start(), match.end())}”写作"
                                           f"自评等级“{typed}”，数据中的自评等级为“{stated}”")
        for match in _SCORE.finditer(text) if card.scored else ():
            if _compare(_decimal(match.group(1)), card.total):
                yield finding(ERROR, path, f"“{excerpt(text, match.start(), match.end())}”写作得分"
                                           f"{match.group(1)}分，按数据计算为{number(card.total, card.places)}分")


# ---- the same quantity in several places ----------------------------------------------

_QUANTITY = re.compile(_NUM + r"\s*(亿元|万元|亿美元|万美元|万人次|人次|元|%|％|个|家|次|场|条|册|件|名|户|项)")
# Quotes do not end a label: "星巴克“一企一策”协议已兑现" is not "广药“一企一策”协议已兑现".
_LABEL_STOP = set("，。；：、！？,;:!?（）()《》【】\n 0123456789.%％")
_LABEL_LENGTH = 16
_CONNECTORS = ("达到", "共计", "超过", "累计", "合计", "总计", "增至", "实现", "为", "达", "是", "共",
               "约", "超", "近", "至", "已", "有", "计")
# Words that say how a figure changed or where it stands, not which quantity it is.
_GENERIC = ("同比", "环比", "增长", "下降", "减少", "增速", "增加", "提高", "提升", "占比", "比重",
            "完成", "实际", "全年", "预计", "累计", "共计", "合计", "其中", "分别", "本年度", "年度",
            "今年以来", "目前", "截至", "占", "年", "约", "超", "近", "达", "为", "共", "已")


class Quantity(NamedTuple):
    """A number with its unit and the words before it, where it was found."""

    path: str
    label: str
    unit: str
    value: Decimal
    start: int
    end: int


def _label(text: str, start: int) -> str:
    i = start
    while i > 0 and text[i - 1] not in _LABEL_STOP and start - i < _LABEL_LENGTH:
        i -= 1
    label = text[i:start].strip()
    trimmed = True
    while trimmed:  # "协议投资总额为" → "协议投资总额"
        trimmed = False
        for word in _CONNECTORS:
            if label.endswith(word) and len(label) > len(word):
                label, trimmed = label[: -len(word)], True
    return label


def _meaningful(label: str) -> bool:
    rest = label
    for word in _GENERIC:
        rest = rest.replace(word, "")
    return len(rest) >= 3


def quantities(path: str, text: str) -> Iterator[Quantity]:
    """Labelled quantities in one text; "其中…" is labelled under the quantity it splits."""
    previous = ""
    for match in _QUANTITY.finditer(text):
        label = _label(text, match.start())
        if label.startswith("其中") and previous:
            label = f"{previous}/{label}"
        elif label:
            previous = label
        if _meaningful(label):
            unit = "%" if match.group(2) == "％" else match.group(2)
            yield Quantity(path, label, unit, _decimal(match.group(1)), match.start(), match.end())


def _drift_message(first: Quantity, later: Quantity) -> str:
    a, b_ = first.value, later.value
    coarse, fine = sorted((a, b_), key=_places)
    same = _places(coarse) < _places(fine) and round_half_up(fine, _places(coarse)) == coarse
    kind = "精度不一致（同一数字保留的小数位数不同）" if same else "数值不一致"
    return (f"“{later.label}”在此写作{number(b_, _places(b_))}{later.unit}，在 {first.path} 写作"
            f"{number(a, _places(a))}{first.unit}：{kind}")


def drift_findings(report: SelfEvaluationReport, prose: Prose) -> Iterator[Problem]:
    """The same quantity (same words before it, same unit) written with different values
    in two fields. Within one field a repeated label is usually a list (分别…), not drift."""
    first: dict[tuple[str, str], Quantity] = {}
    reported: set[tuple[str, str, Decimal, str]] = set()
    for path, text in prose:
        for q in quantities(path, text):
            seen = first.setdefault((q.label, q.unit), q)
            key = (q.label, q.unit, q.value, q.path)
            if seen.path == q.path or key in reported:
                continue
            if q.value != seen.value or _places(q.value) != _places(seen.value):
                reported.add(key)
                yield finding(WARNING, path, _drift_message(seen, q))
