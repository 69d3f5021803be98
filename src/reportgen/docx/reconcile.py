"""One reconciliation of a rendered package with what its tag paragraphs carried.

docxtpl deletes each ``{%p … %}`` paragraph and repeats a loop's body as raw XML;
whatever sat in those paragraphs goes or is copied with them. After every render, on
both rendering paths alike:

* a section break (``w:sectPr``) on a deleted tag paragraph moves to the paragraph
  before it, so a portrait report does not turn landscape, and a numbered list in a
  repeated block restarts in each repetition (:mod:`reportgen.docx.marks`: marks set
  before rendering, settled here), be it numbered in its paragraphs or by their style;
* template comments (批注) never reach the report: anchors, comment parts, their
  relationships and content types go;
* each repetition gets its own bookmark ids and names (``名称_2`` …), a bookmark whose
  start or end was deleted goes, and drawing ids (``wp:docPr/@id``) are unique;
* each repetition of a footnote or endnote reference gets a note of its own, copied
  into the notes part (:mod:`reportgen.docx.notes`), as Word does for a copied paragraph;
* external targets go as :mod:`reportgen.docx.external` says.

:func:`reconcile_package` does it for a whole saved package and returns the
:class:`Plan` under which :func:`reconcile_part` does the same to a part rendered on
its own (the parts-only path), so the two paths stay byte for byte the same.
"""
from __future__ import annotations

import io
import zipfile
from typing import Iterable, Mapping, NamedTuple, Optional

from lxml import etree

from reportgen.docx.constants import (DOCUMENT, ENDNOTES, FOOTER, FOOTNOTES, GLOSSARY, HEADER, NUMBERING, STYLES, W,
                                      ct, qn)
from reportgen.docx.external import (is_external, parse, relationships_entry, source_part, strip_part,
                                     strip_relationships, target_part)
from reportgen.docx.formats import WORD_VARIANTS
from reportgen.docx.liststyles import StyleNumbering, numbered_styles
from reportgen.docx.marks import MARKS, REPEAT, SECTION, restart_lists, serialise, settle_sections
from reportgen.docx.notes import copy_notes, repeated_notes
from reportgen.docx.package import content_types

__all__ = ["Plan", "reconcile_document", "reconcile_package", "reconcile_part", "reconcile_rendered"]

#: parts holding text a tag may repeat or delete (WordprocessingML stories).
MAIN_DOCUMENTS = frozenset({DOCUMENT, *WORD_VARIANTS})
STORIES = MAIN_DOCUMENTS | {HEADER, FOOTER, FOOTNOTES, ENDNOTES, GLOSSARY}
#: relationship types (last path step) of the parts that hold comments.
COMMENT_PARTS = frozenset({"comments", "commentsExtended", "commentsIds", "commentsExtensible"})
#: the anchors of a comment in the text it is about.
ANCHORS = (W + "commentRangeStart", W + "commentRangeEnd", W + "commentReference")
#: the parts the main document's reconciliation may change beside it: role → content type.
SHARED = {"numbering": NUMBERING, "footnotes": FOOTNOTES, "endnotes": ENDNOTES}
_DOC_PR = qn("wp:docPr")
_BOOKMARK_NAME_MAX = 40  # Word's limit
#: what a part holds when there may be anything to reconcile in it, whatever its prefixes.
_TRIGGERS = (b"urn:reportgen:reconcile", b"commentR", b"bookmark", b"docPr", b"noteReference", b"fldChar",
             b"fldSimple", b"sdtPr")


class Plan(NamedTuple):
    """What the reconciliation of a package did that parts rendered on their own must
    follow: relationship ids dropped, per part (zip entry); the main document's entry;
    the parts its reconciliation may change beside it (numbering, footnotes, endnotes:
    :data:`SHARED`), by role → (entry, reconciled XML), those the package has; the
    paragraph styles that number their paragraphs (:func:`.liststyles.numbered_styles`)."""

    removed: dict[str, frozenset[str]]
    document: str = ""
    shared: Mapping[str, tuple[str, bytes]] = {}
    styles: Mapping[str, StyleNumbering] = {}

    def of(self, part: str) -> frozenset[str]:
        return self.removed.get(part, frozenset())


def drop_comment_anchors(root) -> set[str]:
    """Remove the comment anchors under ``root`` (a run left with nothing but its
    formatting goes with them); the ids of the comments they anchored."""
    anchors = list(root.iter(*ANCHORS))
    for anchor in anchors:
        run = anchor.getparent()
        run.remove(anchor)
        if run.tag == W + "r" and all(child.tag == W + "rPr" for child in run):
            run.getparent().remove(run)
    return {anchor.get(W + "id") for anchor in anchors}


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


def _unique_ids(elements, attribute: str) -> bool:
    """Repeated values of ``attribute`` among ``elements`` replaced by fresh numbers."""
    ids = [int(e.get(attribute)) for e in elements if (e.get(attribute) or "").lstrip("-").isdigit()]
    fresh, seen, changed = max(ids, default=0) + 1, set(), False
    for element in elements:
        if element.get(attribute) in seen:
            element.set(attribute, str(fresh))
            fresh, changed = fresh + 1, True
        seen.add(element.get(attribute))
    return changed


def _unique_drawing_ids(root) -> bool:
    """Own ids for drawings (``wp:docPr``) and content controls (``w:sdtPr/w:id``) a loop repeated."""
    drawings = _unique_ids(list(root.iter(_DOC_PR)), "id")
    return _unique_ids([e for e in root.iter(W + "id") if e.getparent().tag == W + "sdtPr"], W + "val") or drawings


def _own_notes(root, shared: Mapping[str, Optional[bytes]]) -> dict[str, bytes]:
    """Each note reference in ``root`` a loop repeated pointed at a note of its own; the
    notes parts of ``shared`` (role → XML) that gained notes, by role."""
    out = {}
    for role, references in repeated_notes(root).items():
        if shared.get(role) is None:
            continue
        notes = parse(shared[role])
        if copy_notes(references, notes):
            _unique_bookmarks(notes)
            _unique_drawing_ids(notes)
            out[role] = serialise(notes)
    return out


def _reconcile(root, removed: Iterable[str], numbering=None, styles=None) -> bool:
    """Reconcile a parsed story part in place (and ``numbering``, for the main document,
    with the numbered paragraph ``styles``); True when anything changed."""
    marked = next(root.iter(SECTION, REPEAT), None) is not None
    changed = [settle_sections(root), numbering is not None and restart_lists(root, numbering, styles),
               strip_part(root, removed), drop_comment_anchors(root), _unique_bookmarks(root),
               _unique_drawing_ids(root)]
    for mark in list(root.iter(REPEAT)):
        mark.getparent().remove(mark)
    return marked or any(changed)


def _untouched(xml: bytes, removed: Iterable[str]) -> bool:
    """True when a rendered part holds nothing to reconcile: not worth parsing (the
    parts-only path's speed)."""
    return not removed and not any(trigger in xml for trigger in _TRIGGERS)


def reconcile_part(xml: bytes, removed: Iterable[str] = ()) -> bytes:
    """A rendered story part (header, footer, notes; the body without lists to restart
    or notes to copy) reconciled; ``removed``: the ids of the part's relationships the
    package reconciliation dropped. ``xml`` itself when nothing changes, else
    serialised as python-docx does."""
    if _untouched(xml, removed):
        return xml
    root = parse(xml)
    return serialise(root) if _reconcile(root, removed) else xml


def reconcile_document(xml: bytes, shared: Mapping[str, Optional[bytes]], removed: Iterable[str] = (),
                       styles: Optional[Mapping[str, StyleNumbering]] = None) -> tuple[bytes, dict[str, bytes]]:
    """The rendered main document reconciled as :func:`reconcile_part` does, and those
    parts of ``shared`` (role → reconciled XML, :data:`SHARED`) that change with it, by
    role: the numbering part with a list for each repetition that restarts (numbered
    in its paragraphs or by one of the paragraph ``styles``), the notes parts with a
    note for each repeated reference."""
    if _untouched(xml, removed):
        return xml, {}
    root = parse(xml)
    changed = _own_notes(root, shared)
    numbering = shared.get("numbering")
    lists = parse(numbering) if numbering is not None and next(root.iter(REPEAT), None) is not None else None
    count = 0 if lists is None else len(lists)  # restarting a list adds one to the numbering
    if not _reconcile(root, removed, lists, styles) and not changed:
        return xml, {}
    if lists is not None and len(lists) != count:
        changed["numbering"] = etree.tostring(lists, encoding="UTF-8", standalone=True)
    return serialise(root), changed


def reconcile_rendered(rendered: dict[str, bytes], plan: "Plan") -> dict[str, bytes]:
    """Parts rendered on their own (entry → XML) reconciled under the ``plan`` of their
    package's reconciliation: the same bytes as :func:`reconcile_package` gives them.
    The numbering and notes parts are among the result when the document changed them."""
    out = {}
    for name, xml in rendered.items():
        if name == plan.document:
            base = {role: body for role, (_, body) in plan.shared.items()}
            out[name], changed = reconcile_document(xml, base, plan.of(name), plan.styles)
            out.update((plan.shared[role][0], body) for role, body in changed.items())
        else:
            out[name] = reconcile_part(xml, plan.of(name))
    return out


# ---- after rendering: the package ----------------------------------------------------------


def _comment_parts(package: zipfile.ZipFile, names: set[str]) -> set[str]:
    """The entries holding comments, by the relationships that name them, and theirs."""
    out = set()
    for name in (n for n in names if n.endswith(".rels")):
        folder = source_part(name).rpartition("/")[0]
        out |= {target_part(folder, r) for r in parse(package.read(name))
                if r.get("Type", "").rpartition("/")[2] in COMMENT_PARTS and not is_external(r)}
    return out | {relationships_entry(n) for n in out}


def _without_targets(rels_xml: bytes, gone: set[str], folder: str) -> bytes:
    root = parse(rels_xml)
    doomed = [r for r in root if not is_external(r) and target_part(folder, r) in gone]
    for rel in doomed:
        root.remove(rel)
    return etree.tostring(root, encoding="UTF-8", standalone=True) if doomed else rels_xml


def _without_overrides(types_xml: bytes, gone: set[str]) -> bytes:
    root = parse(types_xml)
    doomed = [o for o in root.iter(ct("Override")) if o.get("PartName", "").lstrip("/") in gone]
    for override in doomed:
        root.remove(override)
    return etree.tostring(root, encoding="UTF-8", standalone=True) if doomed else types_xml


def _relationships(package: zipfile.ZipFile, names: set[str], gone: set[str]) -> tuple[dict, dict]:
    """(each relationships entry reconciled, the ids dropped per part)."""
    bodies, removed = {}, {}
    for name in sorted(n for n in names if n.endswith(".rels") and n not in gone):
        part = source_part(name)
        body, ids = strip_relationships(package.read(name))
        bodies[name] = _without_targets(body, gone, part.rpartition("/")[0])
        if ids:
            removed[part] = ids
    return bodies, removed


def reconcile_package(data: bytes, rendered: Iterable[str] = ()) -> tuple[bytes, Plan]:
    """The saved package ``data`` reconciled, and the plan its parts followed. Parts
    named in ``rendered`` are left for :func:`reconcile_rendered` (the parts-only path
    renders them on their own); their relationships are reconciled here."""
    rendered = set(rendered)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = set(package.namelist())
        gone = _comment_parts(package, names)
        types = content_types(package)
        bodies, removed = _relationships(package, names, gone)
        bodies["[Content_Types].xml"] = _without_overrides(package.read("[Content_Types].xml"), gone)
        document = next((n for n, k in types.items() if k in MAIN_DOCUMENTS), "")
        for name, kind in types.items():  # the document last: it may change the notes and numbering
            if name not in names or name in gone or name in rendered or name == document \
                    or (kind not in STORIES and name not in removed):
                continue
            if kind in STORIES:
                bodies[name] = reconcile_part(package.read(name), removed.get(name, ()))
            else:  # settings and the like: only what reaches outside
                bodies[name] = _strip_only(package.read(name), removed.get(name, frozenset()))
        shared = _shared(package, types, names - gone, bodies)
        styles = _styles(package, types, names, document, document in rendered)
        if document in names and document not in rendered:
            bodies[document], changed = reconcile_document(
                package.read(document), {role: body for role, (_, body) in shared.items()},
                removed.get(document, ()), styles)
            bodies.update((shared[role][0], body) for role, body in changed.items())
        plan = Plan(removed, document, shared, styles)
        if not gone and all(body == package.read(name) for name, body in bodies.items()):
            return data, plan
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for item in package.infolist():
                if item.filename not in gone:
                    dst.writestr(item, bodies.get(item.filename) or package.read(item.filename))
    return out.getvalue(), plan


def _shared(package: zipfile.ZipFile, types: dict[str, str], names: set[str],
            bodies: dict[str, bytes]) -> dict[str, tuple[str, bytes]]:
    """The parts the main document's reconciliation may change, by role (:data:`SHARED`)
    → (entry, XML as reconciled so far), those the package has."""
    out = {}
    for role, kind in SHARED.items():
        entry = next((n for n, k in types.items() if k == kind and n in names), None)
        if entry is not None:
            out[role] = (entry, bodies.get(entry) or package.read(entry))
    return out


def _styles(package: zipfile.ZipFile, types: dict[str, str], names: set[str], document: str,
            later: bool) -> dict[str, StyleNumbering]:
    """The package's numbered paragraph styles: when the ``document`` has lists a loop
    repeated, or is reconciled ``later`` (then any may have)."""
    entry = next((n for n, k in types.items() if k == STYLES and n in names), None)
    if entry is None or not later and (document not in names or MARKS.encode() not in package.read(document)):
        return {}
    return numbered_styles(package.read(entry))


def _strip_only(xml: bytes, removed: frozenset[str]) -> bytes:
    root = parse(xml)
    if not strip_part(root, removed):
        return xml
    return etree.tostring(root, encoding="UTF-8", standalone=True)
