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
