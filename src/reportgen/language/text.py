"""Text from data as Word paragraphs: one rule for every value a template prints.

A line break in a value ("\\n", "\\r\\n", "\\r", or Word's own Shift+Enter, "\\v", which a
paste from Word carries) ends a paragraph: each line becomes its own paragraph with the
formatting of the template's paragraph (GB/T 9704-2012 §7.3.5 body text: each point
its own indented paragraph), never a manual break inside a justified paragraph, which
stretches the line before it across the page. Blanks a clerk typed at the start of a
paragraph (half-width, full-width U+3000, no-break) are left out: the template's
paragraph gives the indent, and typed blanks would double it.

:func:`lines` writes the rule into the text of a value as two marks the XML cannot hold
(so no data can forge them); :mod:`reportgen.docx.lines` turns them into paragraphs in
the rendered part.
"""
from __future__ import annotations


from reportgen.docx.lines import LEADING, PARAGRAPH
from reportgen.textrules import BLANKS, line_breaks  # noqa: F401 - the language's own names too

def lines(text: str) -> str:
    """The XML-escaped value ``text`` (its breaks "\\n", see :func:`line_breaks`) with
    each later line's leading blanks removed and the marks of :mod:`reportgen.docx.lines`
    written in: :data:`PARAGRAPH` for each break, :data:`LEADING` before a first line
    that starts with blanks. Text without either comes back unchanged."""
    first, *rest = text.split("\n")
    if first[:1] and first[0] in BLANKS:
        first = LEADING + first
    return PARAGRAPH.join([first, *(line.lstrip(BLANKS) for line in rest)])
