"""One reconciliation of a rendered package with what its tag paragraphs carried.

docxtpl deletes each ``{%p … %}`` paragraph and repeats a loop's body as raw XML;
whatever sat in those paragraphs goes or is copied with them. After every render, on
both rendering paths alike:

* a section break (``w:sectPr``) on a deleted tag paragraph moves to the paragraph
  before it (:func:`carry_section_breaks`, before rendering, leaves it on a marked
  paragraph that the reconciliation merges into the one before, or keeps empty when
  there is none to take it), so a portrait report does not turn landscape;
* template comments (批注) never reach the report: anchors, comment parts, their
  relationships and content types go;
* each repetition gets its own bookmark ids and names (``名称_2`` …), a bookmark whose
  start or end was deleted goes, and drawing ids (``wp:docPr/@id``) are unique;
* a footnote or endnote reference repeated by a loop is refused (its note exists once);
* external targets go as :mod:`reportgen.docx.external` says.

:func:`reconcile_package` does it for a whole saved package and returns the
:class:`Plan` under which :func:`reconcile_part` does the same to a part rendered on
its own (the parts-only path), so the two paths stay byte for byte the same.
"""
from __future__ import annotations

import io
import re
import zipfile
from typing import Iterable, NamedTuple

from lxml import etree

from reportgen.docx.constants import CONTENT_TYPE, W, ct, qn
from reportgen.docx.external import parse, source_part, strip_part, strip_relationships
from reportgen.errors import Place, Problem, TemplateError

__all__ = ["CARRIER", "Plan", "carry_section_breaks", "reconcile_package", "reconcile_part"]

#: the attribute marking a paragraph that carries a deleted tag paragraph's section break.
CARRIER = "{urn:reportgen:reconcile}carrier"
#: parts holding text a tag may repeat or delete (WordprocessingML stories).
STORIES = frozenset({CONTENT_TYPE.WML_DOCUMENT_MAIN, CONTENT_TYPE.WML_HEADER, CONTENT_TYPE.WML_FOOTER,
                     CONTENT_TYPE.WML_FOOTNOTES, CONTENT_TYPE.WML_ENDNOTES, CONTENT_TYPE.WML_DOCUMENT_GLOSSARY,
                     "application/vnd.ms-word.document.macroEnabled.main+xml",
                     "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
                     "application/vnd.ms-word.template.macroEnabledTemplate.main+xml"})
#: relationship types (last path step) of the parts that hold comments.
_COMMENT_PARTS = frozenset({"comments", "commentsExtended", "commentsIds", "commentsExtensible"})
_ANCHORS = (W + "commentRangeStart", W + "commentRangeEnd", W + "commentReference")
_NOTE_REFERENCES = {W + "footnoteReference": "脚注", W + "endnoteReference": "尾注"}
_DOC_PR = qn("wp:docPr")
_TAG_PARAGRAPH = re.compile(r"\{%-?p\s+(\w*)")
# Tags after which the text belongs to a block: a section break carried there would be
# repeated or dropped with it, so it is carried before the tag paragraph.
_OPENERS = frozenset({"for", "if", "elif", "else", "with", "macro", "call", "filter", "block", "autoescape"})
_MARKER_NAMESPACE = re.compile(rb' xmlns:\w+="urn:reportgen:reconcile"')
_BOOKMARK_NAME_MAX = 40  # Word's limit


class Plan(NamedTuple):
    """What the reconciliation of a package removed that a part rendered on its own
    must follow: relationship ids dropped, per part (zip entry)."""

    removed: dict[str, frozenset[str]]

    def of(self, part: str) -> frozenset[str]:
        return self.removed.get(part, frozenset())


# ---- before rendering: section breaks on tag paragraphs ------------------------------------


def _text(paragraph) -> str:
    return "".join(t.text or "" for t in paragraph.iter(W + "t"))


def carry_section_breaks(xml: str) -> str:
    """``xml`` (a part, before docxtpl reads its tags) with the section break of each
    ``{%p`` paragraph moved to an empty marked paragraph beside it: before an opening
    tag (``for``, ``if``, ``else`` …), after any other. ``xml`` itself when there is none."""
    if "sectPr" not in xml or "p" not in xml:
        return xml
    root = parse(xml.encode("utf-8"))
    moved = False
    for section in list(root.iter(W + "sectPr")):
        properties = section.getparent()
        if properties.tag != W + "pPr":
            continue
        paragraph = properties.getparent()
        tag = _TAG_PARAGRAPH.search(_text(paragraph))
        if tag is None:
            continue
        carrier = etree.Element(W + "p", {CARRIER: "1"})
        etree.SubElement(carrier, W + "pPr").append(section)  # moved, not copied
        if tag.group(1) in _OPENERS:
            paragraph.addprevious(carrier)
        else:
            paragraph.addnext(carrier)
        moved = True
    return etree.tostring(root, encoding="unicode") if moved else xml


def _settle_carriers(root) -> bool:
    """Merge each carried section break into the paragraph before it; a carrier with
    no paragraph before it to take the break stays, as an empty paragraph."""
    carriers = [p for p in root.iter(W + "p") if p.get(CARRIER) is not None]
    for carrier in carriers:
        del carrier.attrib[CARRIER]
        before = carrier.getprevious()
        if before is None or before.tag != W + "p" or before.find(f"{W}pPr/{W}sectPr") is not None:
            continue
        properties = before.find(W + "pPr")
        if properties is None:
            properties = etree.Element(W + "pPr")
            before.insert(0, properties)
        change = properties.find(W + "pPrChange")  # sectPr comes before a change record
        section = carrier.find(f"{W}pPr/{W}sectPr")
        if change is not None:
            change.addprevious(section)
        else:
            properties.append(section)
        carrier.getparent().remove(carrier)
    return bool(carriers)


# ---- after rendering: one part -------------------------------------------------------------


def _drop_comment_anchors(root) -> bool:
    anchors = list(root.iter(*_ANCHORS))
    for anchor in anchors:
        run = anchor.getparent()
        run.remove(anchor)
        if run.tag == W + "r" and all(child.tag == W + "rPr" for child in run):
            run.getparent().remove(run)
    return bool(anchors)


def _unique_bookmarks(root) -> bool:
    """Own ids and names for each repeated bookmark; unpaired starts and ends removed."""
    marks = list(root.iter(W + "bookmarkStart", W + "bookmarkEnd"))
    if not marks:
        return False
    ids = [int(m.get(W + "id")) for m in marks if (m.get(W + "id") or "").isdigit()]
    fresh = max(ids, default=0) + 1
    used_ids, used_names, open_, changed = set(), set(), {}, False
    for mark in marks:
        old = mark.get(W + "id")
        if mark.tag == W + "bookmarkStart":
            new = old
            if old in used_ids:
                new, fresh = str(fresh), fresh + 1
            name, n = mark.get(W + "name", ""), 1
            while name in used_names:
                n += 1
                suffix = f"_{n}"
                name = mark.get(W + "name", "")[:_BOOKMARK_NAME_MAX - len(suffix)] + suffix
            used_ids.add(new)
            used_names.add(name)
            if (new, name) != (old, mark.get(W + "name")):
                mark.set(W + "id", new)
                mark.set(W + "name", name)
                changed = True
            open_.setdefault(old, []).append(mark)
        elif open_.get(old):
            start = open_[old].pop(0)
            if start.get(W + "id") != old:
                mark.set(W + "id", start.get(W + "id"))
                changed = True
        else:  # its start was in a deleted paragraph
            mark.getparent().remove(mark)
            changed = True
    for starts in open_.values():  # their ends were in deleted paragraphs
        for start in starts:
            start.getparent().remove(start)
            changed = True
    return changed


def _unique_drawing_ids(root) -> bool:
    drawings = list(root.iter(_DOC_PR))
    ids = [int(d.get("id")) for d in drawings if (d.get("id") or "").isdigit()]
    fresh, seen, changed = max(ids, default=0) + 1, set(), False
    for drawing in drawings:
        if drawing.get("id") in seen:
            drawing.set("id", str(fresh))
            fresh, changed = fresh + 1, True
        seen.add(drawing.get("id"))
    return changed


def _refuse_repeated_notes(root, part: str) -> None:
    seen: set = set()
    problems = []
    for reference in root.iter(*_NOTE_REFERENCES):
        key = (reference.tag, reference.get(W + "id"))
        if key in seen:
            label = _NOTE_REFERENCES[reference.tag]
            problems.append(Problem(Place(part), f"{label}引用位于被循环重复的段落中：同一条{label}"
                                                 f"不能在报告中出现多次",
                                    hint=f"请把{label}移到循环之外，或改为正文中的括号说明"))
        seen.add(key)
    if problems:
        raise TemplateError("模板无法生成文档：", problems[:1])


def reconcile_part(xml: bytes, removed: Iterable[str] = (), part: str = "正文") -> bytes:
    """A rendered story part (body, header, footer, notes) reconciled; ``removed``: the
    ids of the part's relationships the package reconciliation dropped. ``xml`` itself
    when nothing changes, else serialised as python-docx does. Raises
    :class:`TemplateError` for a note reference a loop repeated (``part`` names the place)."""
    root = parse(xml)
    _refuse_repeated_notes(root, part)
    carried = _settle_carriers(root)
    changed = [strip_part(root, removed), _drop_comment_anchors(root), _unique_bookmarks(root),
               _unique_drawing_ids(root)]
    if not carried and not any(changed):
        return xml
    out = etree.tostring(root, encoding="UTF-8", standalone=True)
    # The marker is gone; its namespace's declaration, wherever lxml left it, goes too.
    return _MARKER_NAMESPACE.sub(b"", out) if carried else out


# ---- after rendering: the package ----------------------------------------------------------


def _comment_parts(package: zipfile.ZipFile, names: set[str]) -> set[str]:
    """The entries holding comments, by the relationships that name them."""
    out = set()
    for name in names:
        if not name.endswith(".rels"):
            continue
        folder = source_part(name).rpartition("/")[0]
        for rel in parse(package.read(name)):
            if rel.get("Type", "").rpartition("/")[2] in _COMMENT_PARTS and rel.get("TargetMode") != "External":
                target = rel.get("Target", "")
                out.add(target.lstrip("/") if target.startswith("/") else
                        "/".join(filter(None, [folder, target])))
    return out


def _without_targets(rels_xml: bytes, gone: set[str], folder: str) -> bytes:
    root = parse(rels_xml)
    doomed = [r for r in root if r.get("TargetMode") != "External" and
              (r.get("Target", "").lstrip("/") if r.get("Target", "").startswith("/")
               else "/".join(filter(None, [folder, r.get("Target", "")]))) in gone]
    for rel in doomed:
        root.remove(rel)
    return etree.tostring(root, encoding="UTF-8", standalone=True) if doomed else rels_xml


def _without_overrides(types_xml: bytes, gone: set[str]) -> bytes:
    root = parse(types_xml)
    doomed = [o for o in root.iter(ct("Override")) if o.get("PartName", "").lstrip("/") in gone]
    for override in doomed:
        root.remove(override)
    return etree.tostring(root, encoding="UTF-8", standalone=True) if doomed else types_xml


def _types(package: zipfile.ZipFile) -> dict[str, str]:
    root = parse(package.read("[Content_Types].xml"))
    return {o.get("PartName", "").lstrip("/"): o.get("ContentType") for o in root.iter(ct("Override"))}


def reconcile_package(data: bytes, rendered: Iterable[str] = ()) -> tuple[bytes, Plan]:
    """The saved package ``data`` reconciled, and the plan its parts followed. Parts
    named in ``rendered`` are left for :func:`reconcile_part` (the parts-only path
    renders them on their own); their relationships are reconciled here."""
    rendered = set(rendered)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = set(package.namelist())
        gone = _comment_parts(package, names)
        gone |= {f"{n.rpartition('/')[0]}/_rels/{n.rpartition('/')[2]}.rels".lstrip("/") for n in gone}
        types = _types(package)
        bodies: dict[str, bytes] = {}
        removed: dict[str, frozenset[str]] = {}
        for name in sorted(n for n in names if n.endswith(".rels") and n not in gone):
            part = source_part(name)
            body, ids = strip_relationships(package.read(name))
            body = _without_targets(body, gone, part.rpartition("/")[0])
            if ids:
                removed[part] = ids
            bodies[name] = body
        bodies["[Content_Types].xml"] = _without_overrides(package.read("[Content_Types].xml"), gone)
        plan = Plan(removed)
        for name, kind in types.items():
            if name in names and name not in gone and name not in rendered and (kind in STORIES or name in removed):
                if kind in STORIES:
                    bodies[name] = reconcile_part(package.read(name), plan.of(name), name)
                else:  # settings and the like: only what reaches outside
                    bodies[name] = _strip_only(package.read(name), plan.of(name))
        if not gone and all(body == package.read(name) for name, body in bodies.items()):
            return data, plan
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for item in package.infolist():
                if item.filename not in gone:
                    dst.writestr(item, bodies.get(item.filename) or package.read(item.filename))
    return out.getvalue(), plan


def _strip_only(xml: bytes, removed: frozenset[str]) -> bytes:
    root = parse(xml)
    if not strip_part(root, removed):
        return xml
    return etree.tostring(root, encoding="UTF-8", standalone=True)
