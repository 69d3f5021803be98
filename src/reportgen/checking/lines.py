"""What the report does to the lines of a text (issue 10; the rule of
:mod:`reportgen.language.text`), said by ``reportgen check`` so a clerk is not surprised.

A text of several lines (a paste of several points) becomes several paragraphs, each
with the template paragraph's formatting; blanks typed at the start of a line are left
out, as the template's paragraph gives the indent. Word's Shift+Enter, read as a line
break when the data is loaded, is counted among the lines.
"""
from __future__ import annotations

from typing import Iterable, Iterator

from reportgen.checking.findings import WARNING, Problem, finding
from reportgen.checking.text import _NAME_PATH  # names get their own warning for blanks
from reportgen.textrules import BLANKS, line_breaks



def line_findings(texts: Iterable[tuple[str, str]]) -> Iterator[Problem]:
    """A notice (warning) for each text of (path, text) ``texts`` that is written as
    several paragraphs or whose lines lose the blanks typed before them."""
    for path, text in texts:
        lines = line_breaks(text).split("\n")  # the renderer's own rule
        indented = [n for n, line in enumerate(lines, start=1) if line[:1] and line[0] in BLANKS
                    and not _NAME_PATH.fullmatch(path)]
        said = []
        if len(lines) > 1:
            said.append(f"有{len(lines)}行，报告中每行成为单独的一段，沿用模板段落的格式（缩进、对齐）")
        if indented:
            which = "、".join(map(str, indented[:5])) + ("等" if len(indented) > 5 else "")
            said.append(f"第{which}行开头的空格在段首不印出，缩进由模板段落决定")
        if said:
            yield finding(WARNING, path, "这段文字" + "；".join(said))
