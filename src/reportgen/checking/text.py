"""The free text of a report, with JSON paths, and the years written in it (rules.md §5).

:func:`strings` walks every string field of a model and names it by the JSON path a
clerk would look up. :func:`year_findings` questions a year that is neither the
report's nor one the prose refers to on purpose: text copied from last year's report
keeps last year's year ("完成了2021年履行职能职责" in a 2022 report).

A year counts as purposeful when it is
- the report year, or listed in ``settings.allowed_years``;
- next year where the clause plans (预算, 计划, 目标, 将, 下一步) or in 下一步改进措施;
- inside quotes or a title: “2022广州国际购物节”, 《…2021年…》, 〔2018〕 document numbers;
- right after a comparison or a start: 较2022年, 比, 与, 自, 从, 于, 截至;
- followed by 以来, 起, 至, 同期, 相比, 同比, 版, 印发, 成立 …, or part of a range
  (2021—2025年);
- in a clause that looks back or ahead on purpose: 截至, 以来, 同比, 上年, 去年, 规划,
  十四五 ….
"""
from __future__ import annotations

import re
from typing import Any, Iterator

import attrs

from reportgen.checking.findings import WARNING, Finding
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
_CLAUSE_CUES = ("截至", "截止", "以来", "同比", "环比", "相比", "同期", "上年", "去年", "上一年",
                "规划", "十四五", "十三五", "历年", "连续")
_PLAN_CUES = ("预算", "计划", "目标", "将", "下一步", "明年", "下一年", "拟")


def _step(path: str, key: Any) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if re.fullmatch(r"[A-Za-z_]\w*", str(key)) else f"{path}['{key}']"


def strings(obj: Any, path: str = "$") -> Iterator[tuple[str, str]]:
    """(JSON path, text) of every string field of ``obj``, in field order.

    A target or an actual is named by its own key: in the data it may be a string
    ("≥90%") or an object whose text is one of its fields.
    """
    if isinstance(obj, str):
        yield path, obj
    elif isinstance(obj, (Target, Actual)):
        yield path, obj.text
    elif attrs.has(type(obj)):
        for f in attrs.fields(type(obj)):
            if f.name not in _NOT_PROSE:
                yield from strings(getattr(obj, f.name), _step(path, f.name))
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
    return any(cue in here for cue in _CLAUSE_CUES)


def _purposeful(report: SelfEvaluationReport, path: str, text: str, match: re.Match) -> bool:
    year = int(match.group(1))
    if year == report.year or year in report.settings.allowed_years:
        return True
    if year == report.year + 1 and (path.startswith("$.measures") or any(
            cue in clause(text, match.start(), match.end()) for cue in _PLAN_CUES)):
        return True
    return enclosed(text, match.start()) or _cued(text, match)


def year_findings(report: SelfEvaluationReport) -> Iterator[Finding]:
    """A warning for each year in the text that the report does not seem to mean."""
    for path, text in strings(report):
        for match in _YEAR.finditer(text):
            if not _is_year(text, match) or _purposeful(report, path, text, match):
                continue
            year = match.group(1)
            yield Finding(WARNING, path,
                          f"出现{year}年（“{excerpt(text, match.start(), match.end())}”），"
                          f"不是报告年度{report.year}年，也看不出是有意提及（如“较{year}年”“截至{year}年”）："
                          f"是否沿用了往年报告的文字？确属有意提及的，请列入 settings.allowed_years")
