"""The page as GB/T 9704 sets it (rules.md §4): 28 characters a line in the PDF, and the
shipped templates' package parts as a Chinese Word document has them."""
import html
import re
import shutil
import subprocess
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from reportgen.cli import main

from support import ROOT, SAMPLES

TEMPLATES = sorted((ROOT / "templates").glob("*/*.docx"))
LEFT_MARGIN = 28 / 25.4 * 72  # pt
TEXT_WIDTH = 156 / 25.4 * 72  # pt
# Lines of ideographs and the punctuation that may end a line; quotes, brackets and "·"
# have their own line-breaking rules and widths, so lines holding them are left out.
PLAIN = re.compile(r"[\u4e00-\u9fff，。、；：]+")

needs_tools = pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                                 reason="LibreOffice or poppler-utils is not installed")


def pdf_lines(path: Path):
    """(left x, right x, height, text) of every line of a PDF, in points."""
    out = subprocess.run(["pdftotext", "-bbox-layout", str(path), "-"],
                         capture_output=True, text=True, check=True).stdout
    pattern = r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</line>'
    for match in re.finditer(pattern, out, re.S):
        x0, y0, x1, y1 = map(float, match.groups()[:4])
        words = re.findall(r">([^<]*)</word>", match.group(5))
        yield x0, x1, y1 - y0, "".join(html.unescape(word) for word in words)


@needs_tools
def test_a_full_body_line_holds_28_characters(tmp_path):
    out = tmp_path / "liwan.docx"
    assert main([str(SAMPLES / "liwan-2023.json"), "-o", str(out), "--pdf"]) == 0
    right = LEFT_MARGIN + TEXT_WIDTH
    counts = Counter()
    for x0, x1, height, text in pdf_lines(out.with_suffix(".pdf")):
        # A paragraph's inner line: from the left margin (no indent) to the right one,
        # in 三号 (a 16 pt line is about 21 pt tall in pdftotext's boxes).
        if abs(x0 - LEFT_MARGIN) < 2 and x1 > right - 8 and 18 < height < 24 and PLAIN.fullmatch(text):
            hanging = x1 > right + 2 and text[-1] in "，。、；："  # punctuation past the margin
            counts[len(text) - hanging] += 1
    assert sum(counts.values()) >= 30, counts  # enough lines to tell
    assert set(counts) == {28}, counts


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_a_shipped_template_is_a_chinese_word_document_of_its_own(template):
    with zipfile.ZipFile(template) as package:
        names = set(package.namelist())
        settings = package.read("word/settings.xml").decode()
        styles = package.read("word/styles.xml").decode()
        core = package.read("docProps/core.xml").decode()
        rels = package.read("_rels/.rels").decode()
    assert not any("thumbnail" in name for name in names) and "thumbnail" not in rels
    assert "python-docx" not in core
    assert '<w:characterSpacingControl w:val="compressPunctuation"/>' in settings
    assert "<w:savePreviewPicture/>" not in settings
    assert re.search(r'<w:themeFontLang [^>]*w:eastAsia="zh-CN"', settings)
    assert "ja-JP" not in settings + styles
    defaults = re.search(r"<w:docDefaults>.*</w:docDefaults>", styles).group(0)
    assert 'w:eastAsia="zh-CN"' in defaults
    normal = re.search(r'<w:style [^>]*w:styleId="Normal">.*?</w:style>', styles).group(0)
    assert '<w:spacing w:val="-5"/>' in normal  # 紧缩 0.25 磅: 28 三号 characters a line


def test_the_font_map_sets_kai_headings_in_the_fuller_face():
    conf = (ROOT / "src" / "reportgen" / "fonts" / "fonts.conf").read_text(encoding="utf-8")
    kai = re.findall(r"<string>楷体_GB2312</string></test>\s*<edit[^>]*><string>([^<]+)</string>", conf)
    assert kai == ["LXGW WenKai"]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "fonts-lxgw-wenkai" in ci and 'dpkg -s $packages' in ci  # installed when missing
    assert "fonts-lxgw-wenkai" in (ROOT / "README.md").read_text(encoding="utf-8")
