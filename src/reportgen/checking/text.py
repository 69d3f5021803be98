"""The free text of a report, with JSON paths, and the years written in it (rules.md §5).

:func:`strings` walks every string field of a model and names it by the JSON path a
clerk would look up. :func:`year_findings` questions a year that is neither the
report's nor one the prose refers to on purpose: text copied from last year's report
keeps last year's year ("完成了2021年履行职能职责" in a 2022 report).

A year counts as purposeful when it is
- the report year, or listed in ``settings.allowed_years``;
- next year where the clause plans (预算, 计划, 目标, 力争, 将, 下一步) or in 下一步改进措施;
- inside quotes or a title: “2022广州国际购物节”, 《…2021年…》, 〔2018〕 document numbers;
- right after a comparison or a start: 较2022年, 比, 与, 自, 从, 于, 截至;
- followed by 以来, 起, 至, 同期, 相比, 同比, 版, 印发, 成立 …, or part of a range
  (2021—2025年);
- in a clause that looks back or ahead on purpose: 截至, 以来, 同比, 上年, 去年, 规划,
  十四五 ….

:func:`planned_or_past` uses the same words to tell a figure of this year's result
from a target (力争…达到95%以上) or another year's figure (上年预算执行率为92.3%).
:func:`stray_years` serves any document: the 项目支出绩效目标表 checks its goals with it.
"""
from __future__ import annotations

import re
from typing import Any, Callable, Iterable, Iterator, NamedTuple

from reportgen.checking.findings import WARNING, Problem, finding
from reportgen.model import Actual, SelfEvaluationReport, Target

#: Fields that hold codes, names of settings or units, not prose.
_NOT_PROSE = {"template", "attachment", "code", "band", "unit", "comparator", "in_conclusion", "tags"}

_YEAR = re.compile(r"(?<![\d.])((?:19|20)\d{2})(?![\d.])")
# After a number these make it a quantity ("2000万元", "2000家"), not a year.
_UNITS = set("万亿千百元个家人次场条册件名户项平米吨台套批份天日月号余多位所座间辆部本张篇期笔单宗")
_CLAUSE_END = "，。；！？,;!?\n"
_PAIRS = {"“": "”", "《": "》", "〔": "〕", "【": "】", "[": "]", "<": ">", "〈": "〉",
          "‘": "’", "「": "」", "﹝": "﹞"}
_PREFIX_CUES = ("截至", "截止", "较", "比", "与", "自", "从", "于", "至", "到", "—", "-", "–", "~", "～")
_SUFFIX_CUES = ("以来", "起", "至", "到", "—", "-", "–", "~", "～", "同期", "相比", "同比", "比",
                "版", "修订", "印发", "出台", "成立", "设立", "建成")
#: Words that make a clause look back or ahead on purpose: its figures are not this year's.
LOOKBACK_CUES = ("截至", "截止", "以来", "同比", "环比", "相比", "同期", "上年", "去年", "上一年",
                "规划", "十四五", "十三五", "历年", "连续")
#: Words that make a clause a plan or a target, not a result ("力争…达到95%以上").
TARGET_CUES = ("力争", "确保", "争取", "目标", "计划", "将", "拟", "下一步", "明年", "下一年")
# Next year is planned where the clause names a budget as well ("2024年度预算已编制").
_PLAN_CUES = TARGET_CUES + ("预算",)


_IDENTIFIER = re.compile(r"[A-Za-z_]\w*")


def _step(path: str, key: Any) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if _IDENTIFIER.fullmatch(str(key)) else f"{path}['{key}']"


def strings(obj: Any, path: str = "$") -> Iterator[tuple[str, str]]:
    """(JSON path, text) of every string field of ``obj``, in field order.

    A target or an actual is named by its own key: in the data it may be a string
    ("≥90%") or an object whose text is one of its fields.
    """
    if isinstance(obj, str):
        yield path, obj
    elif isinstance(obj, (Target, Actual)):
        yield path, obj.text
    elif hasattr(type(obj), "__attrs_attrs__"):  # attrs.has, without its cost per value
        for f in type(obj).__attrs_attrs__:
            if f.name not in _NOT_PROSE:
                yield from strings(getattr(obj, f.name), f"{path}.{f.name}")
    elif isinstance(obj, (tuple, list)):
        for k, item in enumerate(obj):
            yield from strings(item, _step(path, k))
    elif isinstance(obj, dict):
        for key, item in obj.items():
            yield from strings(item, _step(path, key))


def is_indicator_path(path: str) -> bool:
    """Whether a path is inside an indicator (short values, not narrative prose)."""
    return ".indicators[" in path


def clause(text: str, start: int, end: int) -> str:
    """The clause around text[start:end]: up to the nearest ，。； on either side."""
    left = max(text.rfind(c, 0, start) for c in _CLAUSE_END) + 1
    rights = [i for i in (text.find(c, end) for c in _CLAUSE_END) if i >= 0]
    return text[left: min(rights) if rights else len(text)]


def excerpt(text: str, start: int, end: int, around: int = 10) -> str:
    """“…前后十来个字…” around a match, for a message."""
    left, right = max(0, start - around), min(len(text), end + around)
    return ("…" if left else "") + text[left:right] + ("…" if right < len(text) else "")


def enclosed(text: str, position: int) -> bool:
    """Whether ``position`` is inside quotes, a title 《》 or a document number 〔〕."""
    for opening, closing in _PAIRS.items():
        if text.rfind(opening, 0, position) > text.rfind(closing, 0, position):
            return True
    return False


def _is_year(text: str, match: re.Match) -> bool:
    after = text[match.end(): match.end() + 1]
    if after == "年":
        return True
    # "2023广州国际购物节" names a year; "2000万元" is an amount.
    return bool(after) and "\u4e00" <= after <= "\u9fff" and after not in _UNITS


def _cued(text: str, match: re.Match) -> bool:
    before = text[: match.start()].rstrip()
    after = re.sub(r"^\s*年度?", "", text[match.end():])
    if before.endswith(_PREFIX_CUES) or after.startswith(_SUFFIX_CUES):
        return True
    here = clause(text, match.start(), match.end())
    return any(cue in here for cue in LOOKBACK_CUES)


def _purposeful(year: int, allowed: tuple[int, ...], ahead: bool, text: str, match: re.Match) -> bool:
    """Whether a year in ``text`` is meant: ``ahead`` says the field plans next year."""
    found = int(match.group(1))
    if found == year or found in allowed:
        return True
    if found == year + 1 and (ahead or any(
            cue in clause(text, match.start(), match.end()) for cue in _PLAN_CUES)):
        return True
    return enclosed(text, match.start()) or _cued(text, match)


def other_years(text: str, start: int, end: int, year: int) -> list[int]:
    """Years other than ``year`` written in the clause around text[start:end]."""
    here = clause(text, start, end)
    return [int(m.group(1)) for m in _YEAR.finditer(here) if _is_year(here, m) and int(m.group(1)) != year]


def planned_or_past(text: str, start: int, end: int, year: int) -> bool:
    """Whether the clause around text[start:end] states a plan or a target (力争, 确保,
    目标 …), looks back or ahead (上年, 去年, 同期, 截至 …) or names another year than
    ``year``: a figure in it is not this year's result."""
    here = clause(text, start, end)
    return any(cue in here for cue in TARGET_CUES + LOOKBACK_CUES) or bool(other_years(text, start, end, year))


def stray_years(texts: Iterable[tuple[str, str]], year: int, allowed: tuple[int, ...] = (),
                ahead: Callable[[str], bool] = lambda path: False,
                what: str = "报告年度", source: str = "报告",
                hint: str = "请列入 settings.allowed_years") -> Iterator[Problem]:
    """A warning for each year in ``texts`` ((path, text) pairs) that is neither ``year``
    nor one the text seems to mean; ``ahead(path)`` says a field plans next year.
    ``what`` names the year, ``source`` the document copied from, ``hint`` the way out."""
    for path, text in texts:
        for match in _YEAR.finditer(text):
            if not _is_year(text, match) or _purposeful(year, allowed, ahead(path), text, match):
                continue
            found = match.group(1)
            yield finding(WARNING, path,
                          f"出现{found}年（“{excerpt(text, match.start(), match.end())}”），"
                          f"不是{what}{year}年，也看不出是有意提及（如“较{found}年”“截至{found}年”）："
                          f"是否沿用了往年{source}的文字？确属有意提及的，{hint}")


class Texts(NamedTuple):
    """Every string field of a model, walked once for all the checks that read text:
    ``all`` of them and the ``prose`` (indicators left out), as (JSON path, text)."""

    all: list[tuple[str, str]]
    prose: list[tuple[str, str]]


def walk(model: Any) -> Texts:
    """The :class:`Texts` of ``model``: one walk, shared by every check."""
    found = list(strings(model))
    return Texts(found, [(p, t) for p, t in found if not is_indicator_path(p)])


def year_findings(report: SelfEvaluationReport, texts: Texts) -> Iterator[Problem]:
    """A warning for each year in the text that the report does not seem to mean."""
    return stray_years(texts.all, report.year, report.settings.allowed_years,
                       ahead=lambda path: path.startswith("$.measures"))


# Fields that name something (a category, an indicator, a project, a department or one
# of its units): printed inside sentences, where a stray blank shows ("5个 产出指标").
_NAME_PATH = re.compile(r"\$(?:\..*)?\.name|\$\.department(?:\.region|\.units\[\d+\])?")


def blank_name_findings(texts: Iterable[tuple[str, str]]) -> Iterator[Problem]:
    """A warning for each name with blanks before or after it, in (path, text) ``texts``."""
    for path, text in texts:
        if _NAME_PATH.fullmatch(path) and text != text.strip():
            yield finding(WARNING, path, f"名称“{text}”首尾有空格：印在正文中会多出空格，请删去")
