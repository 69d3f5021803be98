"""A template saved again by an office program renders the same text as the original.

Each shipped template goes through LibreOffice (docx → docx, as a clerk's "save as"
would), then both are rendered with a sample of their kind and their visible text is
compared part by part. Skipped only when LibreOffice (``soffice``) is not installed.
"""
from __future__ import annotations

import io
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx import Document

import reportgen
from reportgen.engine import Template
from reportgen.template_check import check_template

ROOT = Path(__file__).resolve().parents[1]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
HEADERS_FOOTERS = ("header", "even_page_header", "first_page_header",
                   "footer", "even_page_footer", "first_page_footer")


def _sample_for(template: Path) -> Path | None:
    """A sample of the template's kind, the one naming this template if there is one."""
    kind = template.parent.name
    samples = [p for p in sorted((ROOT / "samples").glob("*.json"))
               if json.loads(p.read_text(encoding="utf-8")).get("kind") == kind]
    naming = [p for p in samples if json.loads(p.read_text(encoding="utf-8")).get("template") == template.stem]
    return (naming or samples or [None])[0]


PAIRS = [(t, s) for t in sorted((ROOT / "templates").glob("*/*.docx")) if (s := _sample_for(t))]


@pytest.fixture(scope="module")
def converted(tmp_path_factory) -> dict[Path, Path]:
    """Each shipped template after a LibreOffice round trip."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) 未安装")
    work = tmp_path_factory.mktemp("roundtrip")
    inputs = {}
    for template, _sample in PAIRS:  # one name per template: kinds may share a stem
        inputs[template] = work / f"{template.parent.name}--{template.name}"
        shutil.copy(template, inputs[template])
    profile = (work / "profile").as_uri()  # its own profile: no clash with a running office
    subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "docx",
                    "--outdir", str(work / "out"), *map(str, inputs.values())],
                   check=True, capture_output=True, timeout=300)
    return {template: work / "out" / path.name for template, path in inputs.items()}


def _visible(paragraph) -> str:
    """A paragraph's text as printed, without field codes or their cached results."""
    text, field = [], None
    for el in (child for run in paragraph.iter(W + "r") for child in run):  # not pPr's tab stops
        if el.tag == W + "fldChar":
            field = {"begin": "code", "separate": "result", "end": None}[el.get(W + "fldCharType")]
        elif field is None and el.tag in (W + "t", W + "br", W + "tab"):
            text.append({W + "br": "\n", W + "tab": "\t"}.get(el.tag, el.text or ""))
    return "".join(text)


def texts(data: bytes) -> dict:
    """Visible text of the body and of every header and footer, by where they are."""
    doc = Document(io.BytesIO(data))
    out = {"body": [_visible(p) for p in doc.element.body.iter(W + "p")]}
    for number, section in enumerate(doc.sections):
        for name in HEADERS_FOOTERS:
            part = getattr(section, name)
            if not part.is_linked_to_previous:
                out[(number, name)] = [_visible(p) for p in part._element.iter(W + "p")]
    return out


@pytest.mark.parametrize("template, sample", PAIRS, ids=lambda p: p.name)
def test_libreoffice_round_trip_renders_the_same_text(converted, template, sample):
    context = reportgen.context(reportgen.load(sample))
    original = Template(template).render_bytes(context)
    again = Template(converted[template]).render_bytes(context)
    assert texts(again) == texts(original)
    names = zipfile.ZipFile(io.BytesIO(again)).namelist()
    assert len(names) == len(set(names))  # one docProps/core.xml, though LibreOffice relates it oddly
    assert Template(converted[template]).render_bytes(context) == again


def test_round_tripped_templates_pass_template_check(converted):
    for template, path in converted.items():
        assert check_template(path, template.parent.name).problems == [], path.name
