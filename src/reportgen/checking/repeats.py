"""Long passages written in two or more fields (rules.md §5: seed 000 repeats a whole
paragraph of results in three sections): a later edit will reach only one of them.

Each passage is reported once, at its second occurrence, against its first, with
any further places listed in the same message: 300 projects with the same
explanation give one warning, not 44,850.

Finding them is linear in the length of the text. Every window of :data:`WINDOW`
characters is hashed and the first place it occurs is remembered; in a later field,
a run of consecutive windows seen before is a candidate passage, and it is confirmed
by looking it up as a plain substring in the earlier fields, first field first. A
passage therefore needs ``least`` ≥ :data:`WINDOW` characters to be found.
"""
from __future__ import annotations

from typing import Iterator, NamedTuple, Optional

from reportgen.checking.findings import WARNING, Problem, finding

WINDOW = 30  # characters hashed together (shingle)
_SHOWN = 3  # further places named in a message, then "等"


class Passage(NamedTuple):
    """Text that occurs in field ``first`` (index into the fields) at ``start``."""

    first: int
    start: int
    text: str


def _runs(text: str, index: dict[int, tuple[int, int]], width: int) -> Iterator[tuple[int, int]]:
    """(start, end) of each maximal run of ``width``-character windows already indexed."""
    run_start: Optional[int] = None
    for p in range(len(text) - width + 1):
        seen = hash(text[p: p + width]) in index
        if seen and run_start is None:
            run_start = p
        elif not seen and run_start is not None:
            yield run_start, p - 1 + width
            run_start = None
    if run_start is not None:
        yield run_start, len(text)


def _first_place(passage: str, texts: list[str], earliest: int, before: int) -> Optional[Passage]:
    for i in range(earliest, before):
        at = texts[i].find(passage)
        if at >= 0:
            return Passage(i, at, passage)
    return None


def _pieces(start: int, fields: list[int]) -> Iterator[tuple[int, int, int]]:
    """(field, first window, last window) of each stretch of windows first seen in one field."""
    first = 0
    for k in range(1, len(fields) + 1):
        if k == len(fields) or fields[k] != fields[first]:
            yield fields[first], start + first, start + k - 1
            first = k


def _passages(text: str, j: int, texts: list[str], index: dict, least: int, width: int) -> Iterator[Passage]:
    """Passages of ``least`` characters or more of field ``j`` found in an earlier field."""
    for start, end in _runs(text, index, width):
        if end - start < least:
            continue
        fields = [index[hash(text[p: p + width])][0] for p in range(start, end - width + 1)]
        whole = _first_place(text[start:end], texts, min(fields), j)
        if whole is not None:
            yield whole
            continue
        # Pieced together from several fields: each piece against the field it came from.
        for field, low, high in _pieces(start, fields):
            if high + width - low >= least:
                found = _first_place(text[low: high + width], texts, field, j)
                if found is not None:
                    yield found


def _index(text: str, i: int, index: dict[int, tuple[int, int]], width: int) -> None:
    for p in range(len(text) - width + 1):
        index.setdefault(hash(text[p: p + width]), (i, p))


def _message(passage: Passage, paths: list[str], places: list[str]) -> str:
    head = passage.text[:16]
    message = f"有一段{len(passage.text)}字的文字与 {paths[passage.first]} 相同（“{head}…”）"
    if len(places) > 1:
        others = "、".join(places[1:1 + _SHOWN]) + ("等" if len(places) > 1 + _SHOWN else "")
        return message + f"，还出现在 {others}：同一内容共写了{len(places) + 1}遍，修改时容易只改一处"
    return message + "：同一内容写了两遍，修改时容易只改一处"


def repeated_findings(prose: list[tuple[str, str]], least: int = 50) -> Iterator[Problem]:
    """A passage of ``least`` characters or more written in two or more of the ``prose``
    fields ((JSON path, text), indicators left out), reported once."""
    fields = [(p, t) for p, t in prose if len(t) >= least]
    paths, texts = [p for p, _ in fields], [t for _, t in fields]
    width = min(WINDOW, least)
    index: dict[int, tuple[int, int]] = {}
    found: dict[tuple[int, int], tuple[Passage, list[str]]] = {}
    for j, text in enumerate(texts):
        for passage in _passages(text, j, texts, index, least, width):
            _, places = found.setdefault((passage.first, passage.start), (passage, []))
            if paths[j] not in places:
                places.append(paths[j])
        _index(text, j, index, width)
    for passage, places in found.values():
        yield finding(WARNING, places[0], _message(passage, paths, places))
