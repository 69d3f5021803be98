"""Same input, same bytes (issue 10, kind 9): whatever the template holds, the day, the
time zone or the hash seed.

Each render runs in its own process, with its own ``TZ`` and ``PYTHONHASHSEED``, and
at least a second after the one before it: python-docx writes the time of rendering
into a template that has no document properties (``docProps/core.xml``).
"""
from __future__ import annotations

import hashlib
import io
import os
import re
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "liwan-2023.json"
TEMPLATE = ROOT / "templates" / "self-evaluation" / "liwan.docx"
#: (TZ, PYTHONHASHSEED) of each render: far apart in time zone, different seeds.
RUNS = [("UTC", "0"), ("Asia/Shanghai", "1"), ("America/Los_Angeles", "12345"), ("Pacific/Kiritimati", "random")]
_CORE = "docProps/core.xml"
_DATED_CORE = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<cp:coreProperties '
               b'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
               b'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
               b'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>{{ department.name }}</dc:title>'
               b'<dcterms:created xsi:type="dcterms:W3CDTF">2020-01-02T03:04:05Z</dcterms:created>'
               b'<dcterms:modified xsi:type="dcterms:W3CDTF">2021-06-07T08:09:10+08:00</dcterms:modified>'
               b'</cp:coreProperties>')
_CUSTOM = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties '
           b'xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
           b'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
           b'<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="AuditDate">'
           b'<vt:filetime>2022-03-04T05:06:07Z</vt:filetime></property></Properties>')


def _rewrite(source: Path, target: Path, edit) -> Path:
    """``source`` with each entry ``edit(name, body)`` → new body, or None to drop it;
    ``edit(None, None)`` may return extra entries as [(name, body)]."""
    out = io.BytesIO()
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = edit(item.filename, src.read(item.filename))
            if body is not None:
                dst.writestr(item.filename, body)
        for name, body in edit(None, None) or []:
            dst.writestr(name, body)
    target.write_bytes(out.getvalue())
    return target


def without_core(name, body):
    """A template with no document properties at all."""
    if name == _CORE:
        return None
    if name == "_rels/.rels":
        return re.sub(rb'<Relationship [^>]*docProps/core\.xml"[^>]*/>', b"", body)
    if name == "[Content_Types].xml":
        return re.sub(rb'<Override [^>]*/docProps/core\.xml"[^>]*/>', b"", body)
    return body


def dated_core(name, body):
    """Document properties with dates and a tag, and custom properties with a date."""
    if name is None:
        return [("docProps/custom.xml", _CUSTOM)]
    if name == _CORE:
        return _DATED_CORE
    if name == "_rels/.rels":
        return body.replace(b"</Relationships>", b'<Relationship Id="rIdCustom" Type="http://schemas.openxml'
                            b'formats.org/officeDocument/2006/relationships/custom-properties" '
                            b'Target="docProps/custom.xml"/></Relationships>')
    if name == "[Content_Types].xml":
        return body.replace(b"</Types>", b'<Override PartName="/docProps/custom.xml" ContentType="application/'
                            b'vnd.openxmlformats-officedocument.custom-properties+xml"/></Types>')
    return body


def _render(template: Path, out: Path, tz: str, seed: str) -> bytes:
    env = {**os.environ, "TZ": tz, "PYTHONHASHSEED": seed}
    done = subprocess.run([sys.executable, "-m", "reportgen", str(SAMPLE), "--template", str(template),
                           "-o", str(out)], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return out.read_bytes()


@pytest.mark.parametrize("edit", [without_core, dated_core], ids=["no-core-properties", "dated-properties"])
def test_the_same_input_gives_the_same_bytes_whatever_the_day_zone_or_seed(tmp_path, edit):
    template = _rewrite(TEMPLATE, tmp_path / "template.docx", edit)
    digests = set()
    for k, (tz, seed) in enumerate(RUNS):
        if k:
            time.sleep(1.1)  # the properties' clock counts seconds
        digests.add(hashlib.sha256(_render(template, tmp_path / f"out{k}.docx", tz, seed)).hexdigest())
    assert len(digests) == 1


def test_a_template_without_properties_gets_no_invented_title_or_date(tmp_path):
    out = tmp_path / "out.docx"
    _render(_rewrite(TEMPLATE, tmp_path / "template.docx", without_core), out, "UTC", "0")
    with zipfile.ZipFile(out) as package:
        core = package.read(_CORE) if _CORE in package.namelist() else b""
    assert b"Word Document" not in core and b"python-docx" not in core and b"dcterms:modified" not in core
