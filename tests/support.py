"""Shared test helpers: paths, sample data, reading a .docx back."""
from __future__ import annotations

import json
import re
import zipfile
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree as ET

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
SHARED = ROOT.parent / "shared"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_text(path: Path, part: str = "word/document.xml") -> str:
    """All text of one part, runs joined (what a reader sees, without layout)."""
    with zipfile.ZipFile(path) as z:
        root = ET.fromstring(z.read(part))
    return "".join(t.text or "" for t in root.iter(W + "t"))


def paragraphs(path: Path) -> list[str]:
    """Text of each body paragraph."""
    with zipfile.ZipFile(path) as z:
        root = ET.fromstring(z.read("word/document.xml"))
    return ["".join(t.text or "" for t in p.iter(W + "t")) for p in root.iter(W + "p")]


def sample_data(name: str) -> dict:
    """A sample's JSON, numbers as Decimal, for tests that vary it."""
    return json.loads((SAMPLES / name).read_text(encoding="utf-8"), parse_float=Decimal)


def dump_json(data) -> str:
    """JSON with Decimals written as numbers, digit for digit."""
    text = json.dumps(data, ensure_ascii=False, default=lambda d: f"__decimal__{d}__")
    return re.sub(r'"__decimal__([^_"]+)__"', r"\1", text)


def write_json(path: Path, data: dict) -> Path:
    path.write_text(dump_json(data), encoding="utf-8")
    return path


def build_docx(path: Path, body=(), cells=None, header=None, footer=None, title=None,
               xml: str = "") -> Path:
    """A .docx with body paragraphs, tables (``cells``: one table's rows, or a list of
    tables), a header, a footer, a title property, and raw paragraph ``xml`` (as Word
    writes it) at the start of the body."""
    from docx import Document

    doc = Document()
    for text in body:
        doc.add_paragraph(text)
    for rows in ([cells] if cells and isinstance(cells[0][0], str) else cells or []):
        table = doc.add_table(rows=len(rows), cols=len(rows[0]))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                table.cell(r, c).text = text
    if header is not None:
        doc.sections[0].header.paragraphs[0].text = header
    if footer is not None:
        doc.sections[0].footer.paragraphs[0].text = footer
    if title is not None:
        doc.core_properties.title = title
    doc.save(path)
    if xml:
        _insert_body_xml(path, xml)
    return path


def _insert_body_xml(path: Path, xml: str) -> None:
    with zipfile.ZipFile(path) as src:
        entries = [(item, src.read(item.filename)) for item in src.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item, data in entries:
            if item.filename == "word/document.xml":
                data = re.sub(rb"<w:body>", b"<w:body>" + xml.encode(), data, count=1)
            dst.writestr(item, data)


def seed_docx(folder: Path, number: str) -> Path:
    """Seed ``number`` ("001") as a clerk's .docx, rebuilt by the shared seed2docx tool."""
    import subprocess
    import sys
    seed = next((SHARED / "seeds").glob(f"{number}_*.txt"))
    out = folder / f"seed-{number}.docx"
    subprocess.run([sys.executable, str(SHARED / "tools" / "seed2docx.py"), str(seed), str(out)], check=True)
    return out


def adopt_into(source: Path, folder: Path) -> tuple[dict, dict]:
    """(adopt's summary, the data it wrote) for the report ``source``, written into ``folder``/out."""
    from reportgen import adopt
    summary = adopt.write(adopt.adopt(source), source, folder / "out")
    return summary, json.loads(Path(summary["data"]).read_text(encoding="utf-8"), parse_float=Decimal)


def libreoffice_text(data: bytes, folder: Path) -> str:
    """The text LibreOffice reads in the .docx ``data`` (list numbers as it numbers them)."""
    import subprocess
    (folder / "out.docx").write_bytes(data)
    subprocess.run(["soffice", "--headless", "--convert-to", "txt:Text (encoded):UTF8", "--outdir", str(folder),
                    str(folder / "out.docx")], check=True, capture_output=True, timeout=180)
    return (folder / "out.txt").read_text(encoding="utf-8-sig")
