"""The linter's checks of what a template carries besides its text: each a warning with its
place, or a notice for what the report carries as Word itself would (a note in a loop).

What the renderer removes or reconciles (:mod:`reportgen.docx.external`,
:mod:`reportgen.docx.reconcile`) is listed here, so a clerk learns it before a report:

* every external target but an ordinary web or mail hyperlink (linked image, remote
  attached template, linked sub-document, OLE link, mail-merge source, ``INCLUDEPICTURE``
  and other fetching fields …): removed from every report;
* every comment (批注): never reaches the report;
* a section break on a ``{%p`` paragraph: moved to the paragraph before;
* a bookmark inside a loop: renamed in each repetition after the first;
* a footnote or endnote reference inside a loop: each repetition gets a copy of the note,
  as Word gives a copied paragraph one (a notice, no problem).
"""
from __future__ import annotations

import zipfile
from typing import Optional

from lxml import etree

from reportgen.docx.constants import MC_FALLBACK, W
from reportgen.docx.external import External, external_relationships, fetching_fields, parse, refers, source_part
from reportgen.docx.package import open_package
from reportgen.docx.paragraphs import Paragraph, Part
from reportgen.errors import NOTICE, WARNING, Problem, TemplatePlace
from reportgen.language.lexer import Tag, lex

__all__ = ["carried_problems"]

_NOTES = {W + "footnoteReference": "脚注", W + "endnoteReference": "尾注"}
_SETTINGS = TemplatePlace("文档设置", part="文档设置", paragraph=0)


def _shown(root) -> list:
    """The part's paragraphs as :mod:`reportgen.docx.paragraphs` numbers them."""
    return [p for p in root.iter(W + "p") if next(p.iterancestors(MC_FALLBACK), None) is None]


def _place(element, shown: list, paragraphs: list[Paragraph], part: Optional[Part]):
    """The place of ``element``: its paragraph's, else the part (or 文档设置)."""
    paragraph = element if element.tag == W + "p" else next(element.iterancestors(W + "p"), None)
    if paragraph is not None and paragraph in shown:
        index = shown.index(paragraph)
        if index < len(paragraphs):
            return paragraphs[index].place_of()
    if part is None:
        return _SETTINGS
    return TemplatePlace(part.label, part=part.label, paragraph=0)


def _external(package: zipfile.ZipFile, names: set[str], parts: dict[str, Part]) -> list[Problem]:
    out = []
    for rels in sorted(n for n in names if n.endswith(".rels")):
        found = _readable(lambda: external_relationships(rels, package.read(rels))) or []
        if not found:
            continue
        source = source_part(rels)
        root = _readable(lambda: parse(package.read(source))) if source in names else None
        shown = _shown(root) if root is not None else []
        part = parts.get(source)
        for target in found:
            users = [e for e in root.iter() if isinstance(e.tag, str) and refers(e, frozenset({target.rid}))] \
                if root is not None else []
            where = _place(users[0], shown, part.paragraphs if part else [], part) if users else \
                (TemplatePlace(part.label, part=part.label, paragraph=0) if part else _SETTINGS)
            out.append(_warning(where, target))
    return out


def _readable(read):
    """What ``read()`` gives, or None for an entry that is no XML (python-docx would not
    load it: nothing of it reaches a report)."""
    try:
        return read()
    except (etree.XMLSyntaxError, ValueError):
        return None


def _warning(where, target: External) -> Problem:
    kept = "保留链接的文字，" if "超链接" in target.kind else ""
    return Problem(where, f"模板含有{target.kind}：{target.target}。打开报告时Word会访问该地址，"
                          f"生成报告时已{kept}删除该链接", WARNING)


def _statements(paragraph: Paragraph) -> list[Tag]:
    return [tag for tag in lex(paragraph)[0] if tag.delim == "{%"]


def _loop_depths(paragraphs: list[Paragraph]) -> list[int]:
    """How many loops each paragraph sits in (its own opening ``for`` counted), loops
    of every docxtpl level (``{%p``, ``{%tr``, ``{%tc``, ``{%``) read as the lexer reads them."""
    depth, out = 0, []
    for paragraph in paragraphs:
        keywords = [tag.keyword.lower() for tag in _statements(paragraph)]
        opened, closed = keywords.count("for"), keywords.count("endfor")
        out.append(depth + opened)
        depth = max(0, depth + opened - closed)
    return out


def _tag_paragraph(paragraph: Paragraph) -> bool:
    """True when ``paragraph`` holds a ``{%p`` tag (``{%P`` too, as AutoCorrect writes it)."""
    return any(tag.level == "p" for tag in _statements(paragraph))


def _story(part: Part, root) -> list[Problem]:
    shown, out = _shown(root), []
    paragraphs = part.paragraphs
    for name, target, element in fetching_fields(root):
        out.append(Problem(_place(element, shown, paragraphs, part),
                           f"模板含有 {name} 域，引用 {target}。打开报告时Word会访问该地址，"
                           f"生成报告时只保留它当前显示的内容", WARNING))
    for reference in root.iter(W + "commentReference"):
        out.append(Problem(_place(reference, shown, paragraphs, part),
                           "模板中的批注不会出现在生成的报告中", WARNING))
    depths = _loop_depths(paragraphs) if len(shown) == len(paragraphs) else [0] * len(shown)
    for element, paragraph, depth in zip(shown, paragraphs, depths):
        if element.find(f"{W}pPr/{W}sectPr") is not None and _tag_paragraph(paragraph):
            out.append(Problem(paragraph.place_of(), "分节符位于 {%p} 标签段落上：该段落不会出现在报告中，"
                                                     "分节符移到它前面的段落", WARNING))
        if depth <= 0:
            continue
        for mark in element.iter(W + "bookmarkStart"):
            if mark.get(W + "name", "").startswith("_"):
                continue  # Word's own (_GoBack, _Toc…)
            out.append(Problem(paragraph.place_of(), f"书签“{mark.get(W + 'name')}”位于循环中：每次重复的书签"
                                                     f"改名为“{mark.get(W + 'name')}_2”等，交叉引用只指向第一处",
                               WARNING))
        for note in element.iter(*_NOTES):
            label = _NOTES[note.tag]
            out.append(Problem(paragraph.place_of(), f"{label}位于循环中：每次重复都带有一条自己的{label}，"
                                                     f"内容与模板中的{label}相同", NOTICE,
                               hint=f"各次重复需要不同的说明时，请把说明写在正文中，或把{label}移到循环之外"))
    return out


def carried_problems(data: bytes, parts: list[Part]) -> list[Problem]:
    """Warnings about what the template ``data`` (read as ``parts``) carries that the
    report will not, or not as it is, and notices of what it carries as Word would.
    ``parts`` are :func:`~reportgen.docx.paragraphs.read_parts`' reading of ``data``,
    which checked its sizes: they are not checked again."""
    by_name = {part.name: part for part in parts if part.xml}
    with open_package(data, checked=True) as package:
        names = set(package.namelist())
        out = _external(package, names, by_name)
        for name, part in by_name.items():
            out += _story(part, parse(part.xml.encode("utf-8")))
    return out
