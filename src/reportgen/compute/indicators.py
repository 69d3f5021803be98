"""绩效指标 grouped for the narrative: groups by 一级, counts, and one sentence each."""
from __future__ import annotations

from typing import NamedTuple

from reportgen.model import Indicator


class IndicatorGroup(NamedTuple):
    """All indicators of one 一级 category, in the order the data gives them."""

    name: str
    indicators: tuple[Indicator, ...]


def group_by_level1(indicators: tuple[Indicator, ...]) -> list[IndicatorGroup]:
    """Groups in order of first appearance (产出指标 before 效益指标 when listed so)."""
    order: dict[str, list[Indicator]] = {}
    for indicator in indicators:
        order.setdefault(indicator.level1.name, []).append(indicator)
    return [IndicatorGroup(name, tuple(items)) for name, items in order.items()]


def count_summary(groups: list[IndicatorGroup]) -> str:
    """"11个产出指标和8个效益指标": how many indicators each 一级 category has.

    >>> from reportgen.model import Category
    >>> out = Indicator(Category("产出指标"), Category("数量指标"), "a")
    >>> count_summary(group_by_level1((out, out, out)))
    '3个产出指标'
    """
    parts = [f"{len(g.indicators)}个{g.name}" for g in groups]
    if len(parts) <= 1:
        return "".join(parts)
    return "、".join(parts[:-1]) + "和" + parts[-1]


def _wording(explicit: str | None, fallback_prefix: str, text: str | None) -> str:
    if explicit:
        return explicit
    return f"{fallback_prefix}{text}" if text else ""


def sentence(indicator: Indicator) -> str:
    """"产出指标中的数量指标：<名称>，<目标>，<完成>" without closing punctuation.

    The document's own wording is used where the data gives it; otherwise
    "全年目标<target>" and "实际完成<actual>".
    """
    head = f"{indicator.level1.name}中的{indicator.level2.name}：{indicator.name}"
    target = indicator.target.text if indicator.target else None
    actual = indicator.actual.text if indicator.actual else None
    parts = [
        head,
        _wording(indicator.target_wording, "全年目标", target),
        _wording(indicator.actual_wording, "实际完成", actual),
    ]
    return "，".join(p for p in parts if p)
