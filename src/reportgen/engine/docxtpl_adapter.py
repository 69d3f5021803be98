"""The one module that imports docxtpl and steps into its internals (written against 0.20).

docxtpl renders a whole package: python-docx reads every part, Jinja renders the body,
headers, footers, footnotes and document properties, python-docx writes every part
again. The renderer needs three things of it, each here:

* :class:`WholeDocument` — that whole rendering, once per document, remembering which
  part (and its Jinja source) failed; properties render without XML escaping
  (python-docx escapes them), footnotes and endnotes once each;
* :func:`layout` and :func:`reference_package` — which parts hold tags, with their
  Jinja sources, and the package with every other part as a rendering leaves it: the
  parts-only path (:mod:`.parts`) renders the first and copies the rest from the second;
* :func:`resolve_listing` and :func:`fix_tables` — docxtpl's steps that :mod:`.parts`
  calls when a rendered part needs them;

and :func:`patch_xml`, docxtpl's reading of tags in Word's XML, for the linter.
``pyproject.toml`` pins docxtpl to the minor version these steps were written against.
"""
from __future__ import annotations

import io
import re
from typing import Any, Optional

from docx.opc.oxml import parse_xml
from docx.opc.part import XmlPart
from docxtpl import DocxTemplate

from reportgen.docx.constants import NOTES, STYLES, nsmap
from reportgen.docx.lines import split_paragraphs
from reportgen.docx.liststyles import numbered_styles
from reportgen.docx.marks import mark_tag_paragraphs
from reportgen.engine.layout import Layout, TaggedPart

_TAG = re.compile(r"\{[{%#]")
_EMPTY_BODY = f'<w:body xmlns:w="{nsmap["w"]}"/>'
#: core property docxtpl renders → its name in Word's 文档属性.
_PROPERTIES = {"author": "作者", "comments": "备注", "identifier": "标识", "language": "语言",
               "subject": "主题", "title": "标题"}


def patch_xml(xml: str) -> str:
    """Word XML with its tags as docxtpl reads them (runs joined, levels resolved)."""
    return DocxTemplate.patch_xml(None, xml)


# ---- the whole package -------------------------------------------------------------------


class WholeDocument(DocxTemplate):
    """One document rendered the whole-package way; ``failure`` is (part name or label,
    its Jinja source) of the part that failed, if one did. While ``unrendered`` names
    entries (for :func:`reference_package`), the body is left empty and those headers
    and footers as the template has them."""

    def __init__(self, data: bytes, env, properties_env):
        super().__init__(io.BytesIO(data))
        self.env, self.properties_env = env, properties_env
        self.failure: Optional[tuple[str, str]] = None
        self.unrendered: frozenset[str] = frozenset()
        self._numbered: Optional[frozenset[str]] = None

    def patch_xml(self, src_xml):
        # What a {%p paragraph carries must outlive it (docx.reconcile settles the marks).
        return super().patch_xml(mark_tag_paragraphs(src_xml, self.numbered_styles() if "{%p" in src_xml else ()))

    def numbered_styles(self) -> frozenset[str]:
        """The ids of the paragraph styles that number their paragraphs ("": the default
        style), read once: a loop of such paragraphs has lists to restart."""
        if self._numbered is None:
            styles = next((part.blob for part in self.docx.part.package.iter_parts()
                           if part.content_type == STYLES), None)
            self._numbered = frozenset(numbered_styles(styles))
        return self._numbered

    def build_xml(self, context, jinja_env=None):
        if self.unrendered:  # its entry is not kept: an empty body saves serialising it twice
            return _EMPTY_BODY
        return super().build_xml(context, jinja_env)

    def render_bytes(self, context: dict[str, Any]) -> bytes:
        """The rendered package, as python-docx saves it (not normalised)."""
        self.render(context, jinja_env=self.env)  # the environment autoescapes already
        out = io.BytesIO()
        self.save(out)
        return out.getvalue()

    def render_xml_part(self, src_xml, part, context, jinja_env=None):
        if part is not None and part.partname.lstrip("/") in self.unrendered:
            return self.get_part_xml(part)
        try:
            return split_paragraphs(super().render_xml_part(src_xml, part, context, jinja_env))
        except Exception:
            # docxtpl starts each paragraph on a new line: Jinja's line numbers count them.
            source = re.sub(r"<w:p([ >])", r"\n<w:p\1", src_xml)
            self.failure = (getattr(part, "partname", "") or "", source)
            raise

    def render_properties(self, context, jinja_env=None):
        props = self.docx.core_properties
        for prop, label in _PROPERTIES.items():
            value = getattr(props, prop) or ""
            try:
                setattr(props, prop, self.properties_env.from_string(value).render(context))
            except Exception:
                self.failure = (f"文档属性（{label}）", value)
                raise

    def render_footnotes(self, context, jinja_env=None):
        for part in self.docx.part.package.iter_parts():
            if part.content_type not in NOTES:
                continue
            xml = self.patch_xml(part.blob.decode("utf-8"))
            rendered = self.render_xml_part(xml, part, context, jinja_env).encode("utf-8")
            if isinstance(part, XmlPart):
                part._element = parse_xml(rendered)
            else:
                part._blob = rendered


def load(data: bytes, env, properties_env) -> WholeDocument:
    """The template ``data`` read by python-docx, ready to render; raises whatever
    python-docx raises for a file that is no Word document."""
    document = WholeDocument(data, env, properties_env)
    document.init_docx()
    return document


def reference_package(document: WholeDocument, tagged: set[str]) -> bytes:
    """The package of the freshly loaded template ``document`` as a rendering saves it,
    but for the entries named in ``tagged`` (the body and tagged headers and footers),
    left unrendered: every other part comes out as any document's rendering leaves it.
    Only for templates without tags in any other part."""
    document.unrendered = frozenset(tagged)
    try:
        return document.render_bytes({})
    finally:
        # docxtpl would read the whole package again before the next render (render_init).
        document.unrendered, document.is_rendered = frozenset(), False


# ---- the templated parts only ------------------------------------------------------------


def layout(document: DocxTemplate) -> Layout:
    """The tagged parts of a freshly loaded template."""
    parts = []
    for uri in (document.HEADER_URI, document.FOOTER_URI):
        for _key, part in document.get_headers_footers(uri):
            xml = document.get_part_xml(part)
            source = document.patch_xml(xml)
            if _TAG.search(source):  # an untagged part renders the same every time
                parts.append(TaggedPart(part.partname.lstrip("/"), source,
                                        document.get_headers_footers_encoding(xml)))
    body = document.patch_xml(document.get_xml())
    return Layout(document.docx.part.partname.lstrip("/"), body, tuple(parts))


def resolve_listing(xml: str) -> str:
    """docxtpl's tabs, line and paragraph breaks of rendered text made Word's."""
    return DocxTemplate.resolve_listing(None, xml)


def fix_tables(xml: str):
    """docxtpl's reading of a rendered body, its table grids fitted to their rows."""
    return DocxTemplate.fix_tables(None, xml)
