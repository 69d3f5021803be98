"""The two ways a template becomes a document, byte for byte the same.

:class:`WholePackage` renders through docxtpl's whole package, once per document: it
renders what any template holds (tags in footnotes, document properties …) and says
where a failure happened. :class:`PartsOnly` renders only the tagged parts (the body,
tagged headers and footers) and writes the zip around them, copying every other entry
as the template's reference package has it compressed: over ten times faster
(``benchmarks/throughput.py``, figure 1). Both
are safe to use from many threads at once: nothing shared is changed while rendering
(compiled Jinja templates are shared). Only the whole package imports docxtpl.
"""
from __future__ import annotations

import io
import json
import re
import zipfile
from typing import Any, Optional

from reportgen.docx.constants import CORE_PROPERTIES, NOTES
from reportgen.docx.package import content_types, normalise_package
from reportgen.docx.reconcile import reconcile_package, reconcile_rendered
from reportgen.docx.zipwriter import Entry, reference_entries, write_zip
from reportgen.engine.layout import Layout, TaggedPart
from reportgen.engine.parts import render_parts
from reportgen.language.cache import read_entry, write_entry
from reportgen.language.environment import ReportEnvironment

_RAW_TAG = re.compile(rb"\{(?:<[^>]*>)*[{%#]")  # a tag in Word's XML, perhaps split across runs
#: parts docxtpl renders that the parts-only path does not.
_ELSEWHERE = (*NOTES, CORE_PROPERTIES)


class RenderFailure(Exception):
    """Rendering failed: ``error`` is the cause, ``failure`` (part, Jinja source) where."""

    def __init__(self, error: BaseException, failure: Optional[tuple[str, str]]):
        super().__init__(str(error))
        self.error, self.failure = error, failure


class WholePackage:
    """Every document rendered through docxtpl's whole package."""

    def __init__(self, data: bytes, env: ReportEnvironment, properties_env: ReportEnvironment):
        self.data, self.env, self.properties_env = data, env, properties_env

    def render_bytes(self, context: dict[str, Any]) -> bytes:
        """The normalised package; :class:`RenderFailure` when the template fails."""
        from reportgen.engine.docxtpl_adapter import WholeDocument
        document = WholeDocument(self.data, self.env, self.properties_env)
        try:
            saved = document.render_bytes(context)
        except Exception as exc:  # any failure inside a template is the template's to report
            raise RenderFailure(exc, document.failure) from exc
        return normalise_package(reconcile_package(saved)[0])


def tags_elsewhere(data: bytes) -> bool:
    """True when a part of package ``data`` that docxtpl renders besides the body,
    headers and footers (footnotes, endnotes, document properties) holds a tag: only
    the whole package renders those. Other parts no path renders."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        present = set(package.namelist())
        return any(_RAW_TAG.search(package.read(name)) for name, kind in content_types(package).items()
                   if kind in _ELSEWHERE and name in present)


class PartsOnly:
    """Documents rendered part by part (:mod:`.parts`), from a template without tags
    outside its body, headers and footers: its ``layout``, and ``saved``, the package a
    rendering leaves with those parts unrendered (:func:`.docxtpl_adapter.reference_package`).
    Needs neither python-docx nor docxtpl."""

    def __init__(self, layout: Layout, saved: bytes, env: ReportEnvironment):
        self.layout, self.env = layout, env
        with zipfile.ZipFile(io.BytesIO(saved)) as package:
            self.skeleton = package.read(layout.document)  # the main part as python-docx writes it
        saved, self.plan = reconcile_package(saved, layout.names)
        self.entries: list[Entry] = reference_entries(saved, layout.names, normalise=True)

    def render_bytes(self, context: dict[str, Any]) -> bytes:
        """The normalised package; any exception when the template fails (the whole
        package path then says where)."""
        rendered = render_parts(self.layout, self.skeleton, self.env, context)
        return write_zip(self.entries, reconcile_rendered(rendered, self.plan))


def parts_only(data: bytes, first, env: ReportEnvironment) -> Optional[PartsOnly]:
    """The parts-only path for template ``data`` (loaded by docxtpl as ``first``), or
    None when it has tags where only the whole package renders them. What it is made
    of is kept for later runs (:func:`kept_parts_only`)."""
    if tags_elsewhere(data):
        return None
    from reportgen.engine import docxtpl_adapter as adapter
    plan = adapter.layout(first)
    saved = adapter.reference_package(first, plan.names)
    write_entry(data, "layout", json.dumps(plan._asdict(), ensure_ascii=False).encode("utf-8"))
    write_entry(data, "reference", saved)
    return PartsOnly(plan, saved, env)


def kept_parts_only(data: bytes, env: ReportEnvironment) -> Optional[PartsOnly]:
    """The parts-only path an earlier run worked out for template ``data``, or None when
    none was kept (or what was kept cannot be used: it is then worked out again)."""
    kept, saved = read_entry(data, "layout"), read_entry(data, "reference")
    if kept is None or saved is None:
        return None
    try:
        fields = json.loads(kept)
        parts = tuple(TaggedPart(*part) for part in fields["parts"])
        return PartsOnly(Layout(fields["document"], fields["body"], parts), saved, env)
    except Exception:  # noqa: BLE001 - an entry of another shape, or damaged: worked out again
        return None
