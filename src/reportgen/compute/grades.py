"""自评等级 (rules.md §3): the grade a total supports, its rank and its full word.

The one place grades are declared: 优 ≥ 90, 良 ≥ 80, 中 ≥ 60, else 差 (财预〔2020〕10号).
"""
from __future__ import annotations

from decimal import Decimal
from typing import Optional

#: (grade, lowest total, the grade in words), best first.
GRADES = (("优", Decimal(90), "优秀"), ("良", Decimal(80), "良好"),
          ("中", Decimal(60), "中等"), ("差", Decimal(0), "差"))


def grade(total: Decimal) -> str:
    """自评等级 of a total out of 100.

    >>> [grade(Decimal(x)) for x in ("90", "89.99", "80", "60", "59.99")]
    ['优', '良', '良', '中', '差']
    """
    return next(name for name, floor, _ in GRADES if total >= floor)


def rank(name: Optional[str]) -> Optional[int]:
    """0 for the best grade (优), 3 for 差; None for anything that is no grade.

    >>> rank("优"), rank("差"), rank("甲")
    (0, 3, None)
    """
    return next((i for i, (g, _, _) in enumerate(GRADES) if g == name), None)


def grade_word(name: Optional[str]) -> str:
    """自评等级的全称：优→优秀，良→良好，中→中等，差→差；其他文字原样印出。

    The grade in words (rules.md §3); anything that is no grade stays as given.

    >>> grade_word("良")
    '良好'
    >>> grade_word(None), grade_word("甲")
    ('', '甲')
    """
    return next((word for g, _, word in GRADES if g == name), name or "")
