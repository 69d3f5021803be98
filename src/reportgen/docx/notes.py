"""Footnotes and endnotes a loop repeated: each repetition gets a note of its own.

docxtpl repeats a loop's body as raw XML, so a note reference (``w:footnoteReference``,
``w:endnoteReference``) in it comes out once per repetition, every copy naming the one
note. Word gives a paragraph copied with its note a second note; so here every
reference after the first to a note is pointed at a copy of that note, added to the
notes part under a fresh id. The first reference keeps the note it had.
"""
from __future__ import annotations

import copy

from reportgen.docx.constants import W

__all__ = ["copy_notes", "repeated_notes"]

#: reference element → (the role of its notes part, the note element).
_KINDS = {W + "footnoteReference": ("footnotes", W + "footnote"),
          W + "endnoteReference": ("endnotes", W + "endnote")}


def repeated_notes(root) -> dict[str, list]:
    """Role ("footnotes", "endnotes") → the references in ``root``, in document order,
    that name a note an earlier reference already names."""
    seen: set = set()
    out: dict[str, list] = {}
    for reference in root.iter(*_KINDS):
        key = (reference.tag, reference.get(W + "id"))
        if key in seen:
            out.setdefault(_KINDS[reference.tag][0], []).append(reference)
        seen.add(key)
    return out


def copy_notes(references: list, notes) -> bool:
    """Point each of ``references`` at a copy of its note, appended to ``notes`` (the
    parsed notes part) under a fresh id; True when any was. A reference whose note
    ``notes`` does not hold is left as it is."""
    kinds = {kind for _, kind in _KINDS.values()}
    by_id = {note.get(W + "id"): note for note in notes if note.tag in kinds}
    ids = [int(i) for i in by_id if (i or "").lstrip("-").isdigit()]
    fresh, changed = max(ids, default=0) + 1, False
    for reference in references:
        note = by_id.get(reference.get(W + "id"))
        if note is None:
            continue
        duplicate = copy.deepcopy(note)
        duplicate.set(W + "id", str(fresh))
        notes.append(duplicate)
        reference.set(W + "id", str(fresh))
        fresh, changed = fresh + 1, True
    return changed
