"""Which parts of a template hold tags, with their Jinja sources: worked out once per
template by docxtpl (:func:`.docxtpl_adapter.layout`), kept between runs
(:mod:`reportgen.language.cache`), rendered by :mod:`.parts`."""
from __future__ import annotations

from typing import NamedTuple


class TaggedPart(NamedTuple):
    """A templated header or footer."""

    name: str  # zip entry, e.g. "word/footer1.xml"
    source: str  # docxtpl-patched Jinja source
    encoding: str


class Layout(NamedTuple):
    """Which parts of a template hold tags, with their Jinja sources."""

    document: str  # the body's zip entry, e.g. "word/document.xml"
    body: str  # the body's docxtpl-patched Jinja source
    parts: tuple[TaggedPart, ...]  # tagged headers and footers

    @property
    def names(self) -> set[str]:
        return {self.document} | {part.name for part in self.parts}
