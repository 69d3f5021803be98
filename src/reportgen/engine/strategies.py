"""The two ways a template becomes a document, byte for byte the same.

:class:`WholePackage` renders through docxtpl's whole package, once per document: it
renders what any template holds (tags in footnotes, document properties …) and says
where a failure happened. :class:`PartsOnly` renders only the tagged parts (the body,
tagged headers and footers) and writes the zip around them, copying every other entry
as the template's reference package has it compressed: over ten times faster
(``benchmarks/throughput.py``, figure 1). Both
are safe to use from many threads at once: nothing shared is changed while rendering
(each document object serves one render at a time; compiled Jinja templates are shared).
"""
from __future__ import annotations

import io
import json
import queue
import re
import zipfile
from typing import Any, Optional

from reportgen.docx.constants import CORE_PROPERTIES, NOTES
from reportgen.docx.package import content_types, normalise_package
from reportgen.docx.reconcile import reconcile_package, reconcile_rendered
from reportgen.docx.zipwriter import Entry, reference_entries, write_zip
from reportgen.engine import docxtpl_adapter as adapter
from reportgen.language.cache import read_entry, write_entry
from reportgen.language.environment import ReportEnvironment

_RAW_TAG = re.compile(rb"\{(?:<[^>]*>)*[{%#]")  # a tag in Word's XML, perhaps split across runs
#: documents kept for later renders, at most (each holds a whole package in memory).
_MAX_IDLE = 8
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
        document = adapter.WholeDocument(self.data, self.env, self.properties_env)
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
    """Documents rendered part by part, from a template without tags outside its body,
    headers and footers. ``first`` is the template already loaded (by the caller's
    check that it can be read); it serves the first render."""

    def __init__(self, data: bytes, first, layout: adapter.Layout, saved: bytes, env: ReportEnvironment,
                 properties_env: ReportEnvironment):
        self.data, self.env, self.properties_env, self.layout = data, env, properties_env, layout
        saved, self.plan = reconcile_package(saved, self.layout.names)
        self.entries: list[Entry] = reference_entries(saved, self.layout.names, normalise=True)
        self._idle: queue.SimpleQueue = queue.SimpleQueue()  # documents no render is using
        self._idle.put(adapter.PartsDocument(first, self.layout, env))

    def _document(self) -> adapter.PartsDocument:
        try:
            return self._idle.get_nowait()
        except queue.Empty:  # every document is in use: one more, kept for later renders
            return adapter.PartsDocument(adapter.load(self.data, self.env, self.properties_env), self.layout,
                                         self.env)

    def render_bytes(self, context: dict[str, Any]) -> bytes:
        """The normalised package; any exception when the template fails (the whole
        package path then says where)."""
        document = self._document()
        try:
            rendered = document.render_parts(context)
        finally:
            if self._idle.qsize() < _MAX_IDLE:  # a burst of threads leaves no more behind
                self._idle.put(document)
        return write_zip(self.entries, reconcile_rendered(rendered, self.plan))


def parts_only(data: bytes, first, env: ReportEnvironment,
               properties_env: ReportEnvironment) -> Optional[PartsOnly]:
    """The parts-only path for template ``data`` (loaded as ``first``), or None when it
    has tags where only the whole package renders them."""
    if tags_elsewhere(data):
        return None
    plan, saved = _kept(data)
    if plan is None or saved is None:  # worked out once per template, kept between runs
        plan = adapter.layout(first)
        saved = adapter.reference_package(first, plan.names)
        write_entry(data, "layout", json.dumps(plan._asdict(), ensure_ascii=False).encode("utf-8"))
        write_entry(data, "reference", saved)
    return PartsOnly(data, first, plan, saved, env, properties_env)


def _kept(data: bytes) -> tuple[Optional[adapter.Layout], Optional[bytes]]:
    """The layout and reference package kept for template ``data`` by an earlier run."""
    kept, saved = read_entry(data, "layout"), read_entry(data, "reference")
    if kept is None or saved is None:
        return None, None
    try:
        fields = json.loads(kept)
        parts = tuple(adapter.TaggedPart(*part) for part in fields["parts"])
        return adapter.Layout(fields["document"], fields["body"], parts), saved
    except (ValueError, KeyError, TypeError):  # an entry of another shape: worked out again
        return None, None
