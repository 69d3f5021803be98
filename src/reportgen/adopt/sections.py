"""Map a report's sections to the model's fields by their headings, across districts.

:data:`SYNONYMS` lists, for each field a section's paragraphs can fill, the headings
districts give it (rules.md §1 and the seeds: 部门职能 / 主要职能 / 部门概况 → functions;
存在的主要问题 / 存在问题 → problems …). A heading is matched on its text without its
number, the longest synonym first; the innermost mapped heading above a paragraph decides
where it goes. A paragraph under no mapped heading goes to a named free block
(``prose``), named after its heading: nothing is dropped.
"""
from __future__ import annotations

import re
from typing import NamedTuple, Optional

from reportgen.adopt.outline import Block

#: model field → what it is (for the summary) and the headings that name it, by district.
SYNONYMS: dict[str, tuple[str, tuple[str, ...]]] = {
    "functions": ("department.functions（主要职能）", ("部门职能", "主要职能", "部门概况", "职能职责", "部门主要职责")),
    "units": ("department.units（内设机构）", ("机构设置情况", "机构设置", "内设机构")),
    "overview": ("work.overview（年度总体工作）", ("年度总体工作和重点工作任务", "年度总体工作", "年度主要工作",
                                               "总体工作情况")),
    "tasks": ("work.tasks（重点工作任务）", ("部门年度重点工作任务", "年度重点工作任务", "重点工作任务")),
    "budget": ("budget（部门整体收支）", ("部门整体收支情况", "整体收支情况", "收支情况", "部门整体支出情况",
                                     "预算收支情况")),
    "performance_goal": ("performance_goal（部门整体支出绩效目标）", ("部门整体支出绩效目标", "整体支出绩效目标",
                                                                 "绩效目标")),
    "performance_management": ("performance_management（绩效管理情况）", ("部门整体绩效管理情况", "绩效管理情况")),
    "conclusion": ("conclusion（自评结论）", ("自评结论综述", "自评结论", "评价结论")),
    "analysis": ("analysis（绩效目标完成情况分析）", ("各重点工作任务绩效目标完成情况分析", "各项工作任务绩效目标完成情况分析",
                                                "工作任务绩效目标完成情况分析", "绩效目标完成情况分析", "绩效目标完成情况")),
    "projects": ("projects（项目支出）", ("各重点任务项目支出完成情况分析", "项目支出完成情况分析", "项目支出情况")),
    "results": ("results（主要工作成效）", ("主要工作成效", "主要成效", "工作成效", "主要绩效")),
    "problems": ("problems（存在的主要问题）", ("存在的主要问题", "存在的问题", "存在问题", "主要问题")),
    "measures": ("measures（下一步改进措施）", ("下一步改进措施", "改进措施及建议", "改进措施", "整改措施",
                                           "下一步工作计划", "改进建议")),
}
_ORDERED = sorted(((syn, key) for key, (_, syns) in SYNONYMS.items() for syn in syns),
                  key=lambda pair: -len(pair[0]))


def field_of(label: str) -> Optional[str]:
    """The model field a heading (without its number) names, or None.

    >>> field_of("部门概况"), field_of("存在问题"), field_of("改进措施及建议"), field_of("管理效率分析")
    ('functions', 'problems', 'measures', None)
    """
    text = re.sub(r"[\s：:]", "", label)
    for synonym, key in _ORDERED:
        if synonym in text:
            return key
    return None


class Placed(NamedTuple):
    """A body paragraph with the section it belongs to."""

    block: Block
    field: Optional[str]  # a key of SYNONYMS, or None for a free block
    heading: str  # the innermost heading above it ("" before any)
    heading_index: int  # that heading's paragraph index (-1 before any)


def place(blocks: list[Block]) -> list[Placed]:
    """Each body paragraph of ``blocks`` with the innermost mapped section above it,
    else (field None) the innermost heading of any kind, which names its free block."""
    stack: list[tuple[int, Block, Optional[str]]] = []
    placed = []
    for block in blocks:
        if block.role == "heading":
            while stack and stack[-1][0] >= block.level:
                stack.pop()
            stack.append((block.level, block, field_of(block.label)))
        elif block.role == "body":
            mapped = next(((b, f) for _, b, f in reversed(stack) if f), None)
            if mapped:
                placed.append(Placed(block, mapped[1], mapped[0].label, mapped[0].index))
            else:
                inner = stack[-1][1] if stack else None
                placed.append(Placed(block, None, inner.label if inner else "", inner.index if inner else -1))
    return placed
