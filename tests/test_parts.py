"""The parts-only path without python-docx (reportgen.engine.parts): docxtpl's steps for
one part, done as docxtpl does them, on the shipped templates and on parts made to need
each step; a template rendered before renders without importing python-docx or docxtpl."""
from __future__ import annotations

import base64
import io
import json
import os
import subprocess
import sys
import zipfile

import pytest

import reportgen
from reportgen.engine.template import Template
from reportgen.kinds import resolve_template

from support import ROOT, SAMPLES, build_docx

# a 1×1 PNG, for drawings a loop repeats (docPr ids)
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")


def spy(monkeypatch, step: str) -> list:
    """The calls of docxtpl's ``step`` (through the adapter) from now on."""
    from reportgen.engine import docxtpl_adapter
    calls, original = [], getattr(docxtpl_adapter, step)
    monkeypatch.setattr(docxtpl_adapter, step, lambda xml: calls.append(xml) or original(xml))
    return calls


def both_paths(path, context: dict) -> bytes:
    """The document by the whole package, checked equal to the parts-only path worked
    out from docxtpl (a first run) and to the one read back from the cache (later runs)."""
    first = Template(path)
    assert first._kept is None or first.parts_only is not None
    whole = first.whole_package.render_bytes(context)
    assert first.parts_only is not None and first.parts_only.render_bytes(context) == whole
    later = Template(path)
    assert later._kept is not None and later._first is None  # python-docx did not read it
    assert later.render_bytes(context) == whole
    return whole


@pytest.mark.parametrize("sample", sorted(p.name for p in SAMPLES.glob("*.json")))
def test_every_sample_renders_the_same_by_both_paths(sample):
    model = reportgen.load(SAMPLES / sample)
    for document in [None, *reportgen.api.documents(model)]:
        for _name, context in reportgen.api.contexts(model, document)[:2]:
            both_paths(resolve_template(model, document=document), context)


@pytest.mark.parametrize("count", [1, 2, 5])
def test_a_table_a_column_loop_widens_or_narrows_gets_its_grid_fitted(tmp_path, count, monkeypatch):
    used = spy(monkeypatch, "fix_tables")
    path = build_docx(tmp_path / "tc.docx", body=["表"],
                      cells=[["{%tc for x in items %}", "{{ x }}", "{%tc endfor %}", "合计"]])
    data = both_paths(path, {"items": ["一二三四五"[i] for i in range(count)]})
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        document = package.read("word/document.xml").decode()
    assert document.count("<w:gridCol") == count + 1
    assert len(used) == 2  # docxtpl's own step, on the first run and on a later one


def test_drawings_a_loop_repeats_are_numbered_and_headers_rendered(tmp_path):
    from docx import Document
    image = tmp_path / "dot.png"
    image.write_bytes(PNG)
    document = Document()
    document.add_paragraph("{%p for x in items %}")
    document.add_paragraph("{{ x }}").add_run().add_picture(str(image))
    document.add_paragraph("{%p endfor %}")
    document.sections[0].header.paragraphs[0].text = "{{ department }}"
    path = tmp_path / "drawings.docx"
    document.save(path)
    data = both_paths(path, {"items": ["甲", "乙"], "department": "荔湾区财政局"})
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        body = package.read("word/document.xml").decode()
        headers = b"".join(package.read(n) for n in package.namelist() if "header" in n).decode()
    assert 'id="1001"' in body and 'id="1002"' in body
    assert "荔湾区财政局" in headers


def test_tabs_and_breaks_in_values_are_words(tmp_path, monkeypatch):
    used = spy(monkeypatch, "resolve_listing")
    path = build_docx(tmp_path / "listing.docx", body=["{{ a }}", "{{ b }}"])
    data = both_paths(path, {"a": "甲\t乙", "b": "第一行\n第二行"})
    assert len(used) == 2 and b"<w:tab/>" in zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")


def test_constants_are_python_docx_own():
    from docx.opc.constants import CONTENT_TYPE, NAMESPACE, RELATIONSHIP_TYPE
    from docx.oxml.ns import nsmap as docx_nsmap

    from reportgen.docx import constants
    assert (constants.DOCUMENT, constants.GLOSSARY, constants.HEADER, constants.FOOTER, constants.FOOTNOTES,
            constants.ENDNOTES, constants.NUMBERING, constants.STYLES, constants.CORE_PROPERTIES) == (
        CONTENT_TYPE.WML_DOCUMENT_MAIN, CONTENT_TYPE.WML_DOCUMENT_GLOSSARY, CONTENT_TYPE.WML_HEADER,
        CONTENT_TYPE.WML_FOOTER, CONTENT_TYPE.WML_FOOTNOTES, CONTENT_TYPE.WML_ENDNOTES,
        CONTENT_TYPE.WML_NUMBERING, CONTENT_TYPE.WML_STYLES, CONTENT_TYPE.OPC_CORE_PROPERTIES)
    assert constants.CORE_RELATIONSHIP == RELATIONSHIP_TYPE.CORE_PROPERTIES
    assert constants.HYPERLINK_RELATIONSHIP == RELATIONSHIP_TYPE.HYPERLINK
    assert constants.RELATIONSHIPS_NS == NAMESPACE.OPC_RELATIONSHIPS
    assert constants.CONTENT_TYPES_NS == NAMESPACE.OPC_CONTENT_TYPES
    assert all(docx_nsmap[prefix] == uri for prefix, uri in constants.nsmap.items())


def test_a_template_rendered_before_needs_neither_python_docx_nor_docxtpl(tmp_path):
    script = ("import sys, reportgen\n"
              "reportgen.render(reportgen.load(sys.argv[1]), sys.argv[2])\n"
              "print(sorted(m for m in ('docx', 'docxtpl') if m in sys.modules))")
    env = {**os.environ, "REPORTGEN_CACHE_DIR": str(tmp_path / "cache")}
    command = [sys.executable, "-c", script, str(SAMPLES / "liwan-2023.json"), str(tmp_path / "out.docx")]
    first = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    later = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    assert json.loads(first.stdout.replace("'", '"')) == ["docx", "docxtpl"]
    assert json.loads(later.stdout.replace("'", '"')) == []
