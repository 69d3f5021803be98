"""一级指标 categories: how indicators group, whatever spelling a department uses.

Grouping and weights (:mod:`.scoring`) both go by :func:`category_key`, so that
"满意度" and "满意度指标" are one category, scored once (rules.md §3).
"""
from __future__ import annotations

import re
from typing import NamedTuple

from reportgen.model import Indicator


class IndicatorGroup(NamedTuple):
    """All indicators of one 一级 category, in the order the data gives them.

    ``name`` is the category as the data spells it, blanks around it dropped; when
    the data spells it two ways ("满意度" beside "满意度指标") the indicators belong
    to one group, named by the full spelling ("满意度指标") if the data has it.
    """

    name: str
    indicators: tuple[Indicator, ...]


def category_key(name: str) -> str:
    """The normalised name of a 一级 category: blanks and a final "指标" dropped.

    Departments write "满意度" and "满意度指标" for the same category; grouping and
    weights both go by this key, so one category is never scored twice.

    >>> category_key("满意度指标"), category_key(" 满意度 "), category_key("产出指标")
    ('满意度', '满意度', '产出')
    """
    return re.sub(r"\s+", "", name).removesuffix("指标")


def _group_name(key: str, spellings: list[str]) -> str:
    """The first spelling, unless another is the full one (key + "指标")."""
    return key + "指标" if key + "指标" in spellings else spellings[0]


def group_by_level1(indicators: tuple[Indicator, ...]) -> list[IndicatorGroup]:
    """Groups in order of first appearance (产出指标 before 效益指标 when listed so),
    one per :func:`category_key`, named by :func:`_group_name`.

    >>> from reportgen.model import Category
    >>> def one(name): return Indicator(Category(name), Category("x"), "a")
    >>> [g.name for g in group_by_level1((one(" 产出指标"), one("满意度"), one("满意度指标 ")))]
    ['产出指标', '满意度指标']
    """
    spellings: dict[str, list[str]] = {}
    order: dict[str, list[Indicator]] = {}
    for indicator in indicators:
        key = category_key(indicator.level1.name)
        spellings.setdefault(key, []).append(indicator.level1.name.strip())
        order.setdefault(key, []).append(indicator)
    return [IndicatorGroup(_group_name(key, spellings[key]), tuple(items)) for key, items in order.items()]
