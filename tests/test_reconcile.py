"""Issue 10, kind 3: what a tag paragraph carries, reconciled after rendering.

docxtpl deletes ``{%p`` paragraphs and repeats loop bodies as raw XML. The shared cases
``03-word-comment-copied-into-report`` and ``07-section-break-on-tag-paragraph-lost`` and a
red-team set of other members of the kind: section breaks on every sort of tag paragraph,
comments, bookmarks, drawings and footnote references in deleted or repeated paragraphs
(the notes a loop repeats: ``test_reconcile_repeats``).
Each report is rendered on both paths (the same bytes) and checked with
:func:`test_external.assert_consistent`; ``template-check`` warns where a template relies
on the reconciliation.
"""
from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile

import pytest
from lxml import etree

import reportgen
from reportgen.engine import Template
from reportgen.errors import TemplateError
from test_external import CASES, W, _header, entry, package, paragraph, render, run, text_of, warnings

CASE_03 = CASES / "03-word-comment-copied-into-report"
CASE_07 = CASES / "07-section-break-on-tag-paragraph-lost"
PORTRAIT = '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="2098" w:right="1474" ' \
           'w:bottom="1984" w:left="1588" w:header="851" w:footer="992" w:gutter="0"/></w:sectPr>'
LANDSCAPE = '<w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/>'


def tagged(text: str, section: str = "", extra: str = "") -> str:
    """A paragraph of ``text``, with a section break ``section`` in its properties."""
    properties = f"<w:pPr>{section}</w:pPr>" if section else ""
    return f"<w:p>{properties}{extra}{run(text)}</w:p>"


def body_of(report: bytes):
    return etree.fromstring(entry(report, "word/document.xml")).find(W + "body")


def sections(report: bytes) -> list[str]:
    """The text of the paragraph carrying each section break in the body ("" for an empty one)."""
    return ["".join(t.text or "" for t in s.getparent().getparent().iter(W + "t"))
            for s in body_of(report).iter(W + "sectPr") if s.getparent().tag == W + "pPr"]


def case_context(case) -> dict:
    return reportgen.context(reportgen.load(case / "data.json"))


# ---- section breaks --------------------------------------------------------------------------


def test_the_shared_case_keeps_its_portrait_section(tmp_path):
    data = (CASE_07 / "template.docx").read_bytes()
    report = render(data, case_context(CASE_07))
    assert len(list(body_of(report).iter(W + "sectPr"))) == 2
    (first,) = [s for s in body_of(report).iter(W + "sectPr") if s.getparent().tag == W + "pPr"]
    assert first.find(W + "pgSz").get(W + "h") == "16838"  # portrait, as the template's first section
    (found,) = warnings(tmp_path, data)
    assert "分节符" in found.message and found.where.label == "正文第4段"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_the_shared_case_prints_a_portrait_page_then_a_landscape_one(tmp_path):
    (tmp_path / "out.docx").write_bytes(render((CASE_07 / "template.docx").read_bytes(), case_context(CASE_07)))
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(tmp_path / "out.docx")], check=True, capture_output=True, timeout=180)
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "9", str(tmp_path / "out.pdf")], check=True,
                          capture_output=True, text=True).stdout
    sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)
    assert [float(w) < float(h) for w, h in sizes] == [True, False]


ITEMS = {"items": ["甲", "乙", "丙"]}
SECTION_ATTEMPTS = {
    # id: (body, context, the text of the paragraph carrying the break in the report)
    "endfor": (tagged("前文") + tagged("{%p for x in items %}") + tagged("{{ x }}")
               + tagged("{%p endfor %}", PORTRAIT) + tagged("后文"), ITEMS, ["丙"]),
    "for-opener": (tagged("前文") + tagged("{%p for x in items %}", PORTRAIT) + tagged("{{ x }}")
                   + tagged("{%p endfor %}") + tagged("后文"), ITEMS, ["前文"]),
    "for-opener-no-items": (tagged("前文") + tagged("{%p for x in items %}", PORTRAIT) + tagged("{{ x }}")
                            + tagged("{%p endfor %}"), {"items": []}, ["前文"]),
    "if-false-opener": (tagged("前文") + tagged("{%p if flag %}", PORTRAIT) + tagged("条件文字")
                        + tagged("{%p endif %}"), {"flag": False}, ["前文"]),
    "endif-false": (tagged("前文") + tagged("{%p if flag %}") + tagged("条件文字")
                    + tagged("{%p endif %}", PORTRAIT), {"flag": False}, ["前文"]),
    "endif-first-in-body": (tagged("{%p if flag %}") + tagged("条件文字") + tagged("{%p endif %}", PORTRAIT)
                            + tagged("后文"), {"flag": False}, [""]),
    "after-a-table": ('<w:tbl><w:tblPr/><w:tblGrid><w:gridCol w:w="2000"/></w:tblGrid><w:tr><w:tc>'
                      + tagged("单元格") + "</w:tc></w:tr></w:tbl>" + tagged("{%p if flag %}")
                      + tagged("{%p endif %}", PORTRAIT) + tagged("后文"), {"flag": True}, [""]),
    "two-breaks-in-a-row": (tagged("前文", PORTRAIT) + tagged("{%p if flag %}") + tagged("{%p endif %}", PORTRAIT)
                            + tagged("后文"), {"flag": True}, ["前文", ""]),
    "else": (tagged("前文") + tagged("{%p if flag %}") + tagged("甲") + tagged("{%p else %}", PORTRAIT)
             + tagged("乙") + tagged("{%p endif %}"), {"flag": True}, ["甲"]),
    "set": (tagged("前文") + tagged("{%p set n = 3 %}", PORTRAIT) + tagged("{{ n }}"), {}, ["前文"]),
}


@pytest.mark.parametrize("name", sorted(SECTION_ATTEMPTS))
def test_a_section_break_on_a_tag_paragraph_survives(name, tmp_path):
    body, context, carriers = SECTION_ATTEMPTS[name]
    data = package(body)
    report = render(data, context)
    assert sections(report) == carriers
    assert any("分节符" in w.message for w in warnings(tmp_path, data))


def test_a_section_break_keeps_its_header_reference():
    header = _header("", paragraph(run("第一节页眉")))
    header["word/_rels/header9.xml.rels"] = (None, header["word/_rels/header9.xml.rels"][1].replace(
        b"<Relationships", b"<Relationships").replace(b"</Relationships>", b"</Relationships>"))
    section = PORTRAIT.replace("<w:pgSz", '<w:headerReference w:type="default" r:id="rId80"/><w:pgSz')
    data = package(tagged("前文") + tagged("{%p if flag %}") + tagged("{%p endif %}", section),
                   relations=('<Relationship Id="rId80" Type="http://schemas.openxmlformats.org/officeDocument/'
                              '2006/relationships/header" Target="header9.xml"/>',), parts=header)
    report = render(data, {"flag": True})
    assert sections(report) == ["前文"] and b'r:id="rId80"' in entry(report, "word/document.xml")


# ---- comments -------------------------------------------------------------------------------


def test_the_shared_case_carries_no_comment(tmp_path):
    data = (CASE_03 / "template.docx").read_bytes()
    report = render(data, case_context(CASE_03))
    with zipfile.ZipFile(io.BytesIO(report)) as z:
        assert not [n for n in z.namelist() if "comment" in n.lower()]
        assert not [n for n in z.namelist() if n.endswith((".rels", ".xml")) and b"comments" in z.read(n)]
    assert "内部说明" not in str(report)
    assert sum(1 for line in text_of(report).split() if line) >= 1
    (found,) = warnings(tmp_path, data)
    assert "批注" in found.message and found.where.label == "正文第3段"


COMMENTS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<w:comments xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            '<w:comment w:id="0" w:author="a"><w:p><w:r><w:t>内部说明</w:t></w:r></w:p></w:comment>'
            '</w:comments>').encode()
COMMENT_PARTS = {
    "word/comments.xml": ("application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml", COMMENTS),
    "word/commentsExtended.xml": ("application/vnd.openxmlformats-officedocument.wordprocessingml."
                                  "commentsExtended+xml",
                                  b'<w15:commentsEx xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml"/>'),
}
COMMENT_RELS = ('<Relationship Id="rId60" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                'relationships/comments" Target="comments.xml"/>',
                '<Relationship Id="rId61" Type="http://schemas.microsoft.com/office/2011/relationships/'
                'commentsExtended" Target="commentsExtended.xml"/>')
START, END = '<w:commentRangeStart w:id="0"/>', '<w:commentRangeEnd w:id="0"/>'
REFERENCE = '<w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr><w:commentReference w:id="0"/></w:r>'
COMMENT_ATTEMPTS = {
    "in-a-repeated-body": (tagged("{%p for x in items %}") + paragraph(START + run("{{ x }}") + END + REFERENCE)
                           + tagged("{%p endfor %}")),
    "starting-on-the-for-paragraph": (paragraph(START + run("{%p for x in items %}")) + tagged("{{ x }}")
                                      + paragraph(run("{%p endfor %}") + END + REFERENCE)),
    "ending-in-a-false-branch": (paragraph(START + run("前文")) + tagged("{%p if not items %}")
                                 + paragraph(run("无") + END + REFERENCE) + tagged("{%p endif %}")),
    "outside-any-tag": paragraph(START + run("前文") + END + REFERENCE) + tagged("{{ items|length }}"),
}


@pytest.mark.parametrize("name", sorted(COMMENT_ATTEMPTS))
def test_a_template_comment_never_reaches_the_report(name, tmp_path):
    data = package(COMMENT_ATTEMPTS[name], relations=COMMENT_RELS, parts=COMMENT_PARTS)
    report = render(data, ITEMS)
    with zipfile.ZipFile(io.BytesIO(report)) as z:
        assert not [n for n in z.namelist() if "comment" in n.lower()]
        assert b"comment" not in z.read("[Content_Types].xml") + z.read("word/_rels/document.xml.rels")
    assert "内部说明" not in text_of(report)
    assert any("批注" in w.message for w in warnings(tmp_path, data))


# ---- bookmarks, drawings, footnotes in repeated or deleted paragraphs ---------------------------


def bookmarks(report: bytes) -> list[tuple[str, str]]:
    return [(b.get(W + "id"), b.get(W + "name")) for b in body_of(report).iter(W + "bookmarkStart")]


def test_each_repetition_gets_its_own_bookmark(tmp_path):
    mark = '<w:bookmarkStart w:id="5" w:name="职能"/>{}<w:bookmarkEnd w:id="5"/>'
    data = package(tagged("{%p for x in items %}") + paragraph(mark.format(run("{{ x }}"))) + tagged("{%p endfor %}"))
    report = render(data, ITEMS)
    assert bookmarks(report) == [("5", "职能"), ("6", "职能_2"), ("7", "职能_3")]
    (found,) = warnings(tmp_path, data)
    assert "书签" in found.message and found.where.label == "正文第2段"


BOOKMARK_ATTEMPTS = {
    # id: (body, the bookmarks the report keeps)
    "start-on-the-for-paragraph": (paragraph('<w:bookmarkStart w:id="1" w:name="甲"/>' + run("{%p for x in items %}"))
                                   + tagged("{{ x }}") + paragraph(run("{%p endfor %}")) + tagged("后")
                                   + paragraph('<w:bookmarkEnd w:id="1"/>'), []),
    "end-in-the-body": (paragraph('<w:bookmarkStart w:id="1" w:name="甲"/>' + run("前"))
                        + tagged("{%p for x in items %}") + paragraph(run("{{ x }}") + '<w:bookmarkEnd w:id="1"/>')
                        + tagged("{%p endfor %}"), [("1", "甲")]),
    "hidden-go-back": (tagged("{%p for x in items %}") + paragraph('<w:bookmarkStart w:id="0" w:name="_GoBack"/>'
                                                                    '<w:bookmarkEnd w:id="0"/>' + run("{{ x }}"))
                       + tagged("{%p endfor %}"), [("0", "_GoBack"), ("1", "_GoBack_2"), ("2", "_GoBack_3")]),
    "long-name": (tagged("{%p for x in items %}") + paragraph(f'<w:bookmarkStart w:id="3" w:name="{"书" * 40}"/>'
                                                               + run("{{ x }}") + '<w:bookmarkEnd w:id="3"/>')
                  + tagged("{%p endfor %}"),
                  [("3", "书" * 40), ("4", "书" * 38 + "_2"), ("5", "书" * 38 + "_3")]),
    "inline-loop": (paragraph(run("{% for x in items %}") + '<w:bookmarkStart w:id="2" w:name="乙"/>'
                              + run("{{ x }}") + '<w:bookmarkEnd w:id="2"/>' + run("{% endfor %}")),
                    [("2", "乙"), ("3", "乙_2"), ("4", "乙_3")]),
}


@pytest.mark.parametrize("name", sorted(BOOKMARK_ATTEMPTS))
def test_bookmarks_in_deleted_or_repeated_paragraphs_stay_paired_and_unique(name):
    body, kept = BOOKMARK_ATTEMPTS[name]
    assert bookmarks(render(package(body), ITEMS)) == kept


def test_drawings_a_header_loop_repeats_get_their_own_ids():
    image = '<Relationship Id="rId90" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/' \
            'image" Target="media/image9.png"/>'
    drawing = ('<w:r><w:drawing><wp:inline><wp:extent cx="9525" cy="9525"/><wp:docPr id="7" name="p"/>'
               '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
               '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
               '<pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:nvPicPr>'
               '<pic:cNvPr id="0" name="p"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed="rId90"/>'
               '</pic:blipFill><pic:spPr/></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>')
    from test_external import PNG
    parts = _header(image, tagged("{%p for x in items %}") + paragraph(drawing + run("{{ x }}"))
                    + tagged("{%p endfor %}"))
    parts["word/media/image9.png"] = ("image/png", PNG)
    data = package(tagged("正文"), relations=('<Relationship Id="rId80" Type="http://schemas.openxmlformats.org/'
                                             'officeDocument/2006/relationships/header" Target="header9.xml"/>',),
                   section='<w:headerReference w:type="default" r:id="rId80"/>', parts=parts)
    report = render(data, ITEMS)  # assert_consistent: unique ids in every part
    assert entry(report, "word/header9.xml").count(b"<wp:docPr") == 3


FOOTNOTES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
             '<w:footnote w:id="1"><w:p><w:r><w:t>资料来源：财政局。</w:t></w:r></w:p></w:footnote>'
             '</w:footnotes>').encode()
NOTE_PARTS = {"word/footnotes.xml": ("application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
                                     FOOTNOTES)}
NOTE_RELS = ('<Relationship Id="rId70" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
             'footnotes" Target="footnotes.xml"/>',)
NOTE_BODY = (tagged("{%p for x in items %}") + paragraph(run("{{ x }}") + '<w:r><w:footnoteReference w:id="1"/></w:r>')
             + tagged("{%p endfor %}"))


def test_a_footnote_in_a_loop_that_runs_once_renders():
    report = render(package(NOTE_BODY, relations=NOTE_RELS, parts=NOTE_PARTS), {"items": ["甲"]})
    assert entry(report, "word/document.xml").count(b"footnoteReference") == 1


def test_a_clean_template_is_left_byte_for_byte_as_docxtpl_renders_it():
    from reportgen.docx.reconcile import reconcile_part
    xml = entry(render(package(tagged("{{ year }}"))), "word/document.xml")
    assert reconcile_part(xml) is xml


# ---- numbered lists in repeated blocks --------------------------------------------------------

ABSTRACT = ('<w:abstractNum w:abstractNumId="90"><w:multiLevelType w:val="hybridMultilevel"/>'
            '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>'
            '<w:lvl w:ilvl="1"><w:start w:val="3"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%2)"/></w:lvl>'
            '</w:abstractNum>')
LISTS = {"word/numbering.xml": lambda d: d.replace(b'<w:num w:numId="1">', ABSTRACT.encode() + b'<w:num w:numId="1">', 1)
         .replace(b"</w:numbering>", b'<w:num w:numId="90"><w:abstractNumId w:val="90"/></w:num></w:numbering>')}
PROJECTS = {"projects": [{"name": n, "targets": ["指标一", "指标二"]} for n in ("项目甲", "项目乙", "项目丙")]}


def item(text: str, num: str = "90", level: str = "0") -> str:
    return (f'<w:p><w:pPr><w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num}"/></w:numPr></w:pPr>'
            f"{run(text)}</w:p>")


def numbered(report: bytes) -> list[tuple[str, str]]:
    return [("".join(t.text or "" for t in p.iter(W + "t")), p.find(f"{W}pPr/{W}numPr/{W}numId").get(W + "val"))
            for p in body_of(report).iter(W + "p") if p.find(f"{W}pPr/{W}numPr") is not None]


def test_a_list_inside_a_repeated_block_restarts_in_each_repetition():
    data = package(tagged("{%p for p in projects %}") + tagged("{{ p.name }}") + item("{{ p.targets[0] }}")
                   + item("{{ p.targets[1] }}") + tagged("{%p endfor %}"), edits=LISTS)
    report = render(data, PROJECTS)
    assert [n for _, n in numbered(report)] == ["90", "90", "91", "91", "92", "92"]
    lists = etree.fromstring(entry(report, "word/numbering.xml"))
    for new in ("91", "92"):
        (num,) = [n for n in lists.iter(W + "num") if n.get(W + "numId") == new]
        assert num.find(W + "abstractNumId").get(W + "val") == "90"
        starts = {o.get(W + "ilvl"): o.find(W + "startOverride").get(W + "val") for o in num.iter(W + "lvlOverride")}
        assert starts == {"0": "1", "1": "3"}  # each level restarts where the list's definition starts it
    nums = [n.get(W + "numId") for n in lists.iter(W + "num")]
    assert len(nums) == len(set(nums)) and lists[-1].get(W + "numId") == "92"


def test_a_loop_whose_every_repetition_is_one_list_item_continues_the_list():
    data = package(tagged("{%p for x in items %}") + item("{{ x }}") + tagged("{%p endfor %}"), edits=LISTS)
    report = render(data, ITEMS)
    assert numbered(report) == [("甲", "90"), ("乙", "90"), ("丙", "90")]
    assert entry(report, "word/numbering.xml").count(b"<w:num ") == 10


def test_an_inner_loop_of_list_items_restarts_with_each_outer_repetition():
    data = package(tagged("{%p for p in projects %}") + tagged("{{ p.name }}") + tagged("{%p for i in p.targets %}")
                   + item("{{ i }}") + tagged("{%p endfor %}") + tagged("{%p endfor %}"), edits=LISTS)
    report = render(data, PROJECTS)
    assert [n for _, n in numbered(report)] == ["90", "90", "91", "91", "92", "92"]


def test_a_list_in_a_repeated_table_cell_block_restarts():
    cell = lambda inner: ('<w:tbl><w:tblPr/><w:tblGrid><w:gridCol w:w="4000"/></w:tblGrid><w:tr><w:tc>'
                          + inner + "</w:tc></w:tr></w:tbl>")
    data = package(cell(tagged("{%p for p in projects %}") + tagged("{{ p.name }}") + item("{{ p.targets[0] }}")
                        + tagged("{%p endfor %}")), edits=LISTS)
    assert [n for _, n in numbered(render(data, PROJECTS))] == ["90", "91", "92"]


# ---- the marks change nothing else -----------------------------------------------------------


@pytest.mark.parametrize("section", ["", PORTRAIT])
def test_a_failure_after_the_marks_is_placed_in_its_own_paragraph(section):
    data = package(tagged("前文") + tagged("{%p for x in items %}") + tagged("{{ x }}") + tagged("{%p endfor %}", section)
                   + tagged("{%p if flag %}", section) + tagged("{%p endif %}") + tagged("结论：{{ missing }}"))
    with pytest.raises(TemplateError) as raised:
        Template(data, name="t.docx").render_bytes({**ITEMS, "flag": True})
    assert "正文第7段「结论：{{ missing }}」" in str(raised.value) and "missing" in str(raised.value)


def test_the_marks_are_set_once_per_part_and_never_reach_the_linter():
    from reportgen.docx.marks import mark_tag_paragraphs
    from reportgen.engine.docxtpl_adapter import patch_xml
    xml = etree.tostring(body_of(package(tagged("{%p for x in items %}") + tagged("{{ x }}")
                                         + tagged("{%p endfor %}", PORTRAIT))), encoding="unicode")
    marked = mark_tag_paragraphs(xml)
    assert marked.count("urn:reportgen:reconcile") >= 1 and "urn:reportgen" not in patch_xml(xml)
    assert mark_tag_paragraphs(tagged("{{ year }}").replace("<w:p>", f'<w:p xmlns:w="{W[1:-1]}">')) \
        == tagged("{{ year }}").replace("<w:p>", f'<w:p xmlns:w="{W[1:-1]}">')


def test_reconciling_from_many_threads_gives_the_same_bytes():
    from concurrent.futures import ThreadPoolExecutor
    data = package(paragraph(START + run("前文") + END + REFERENCE) + tagged("{%p for p in projects %}")
                   + tagged("{{ p.name }}") + paragraph('<w:bookmarkStart w:id="5" w:name="甲"/>'
                                                      + run("{{ p.targets[0] }}") + '<w:bookmarkEnd w:id="5"/>')
                   + item("{{ p.targets[1] }}") + tagged("{%p endfor %}", PORTRAIT) + tagged("后文"),
                   relations=COMMENT_RELS, parts=COMMENT_PARTS, edits=LISTS)
    template = Template(data, name="t.docx")
    contexts = [{"projects": PROJECTS["projects"][: n % 3 + 1]} for n in range(24)]
    with ThreadPoolExecutor(8) as pool:
        outputs = list(pool.map(template.render_bytes, contexts))
    for context, output in zip(contexts, outputs):
        assert output == render(data, context)


def test_content_controls_a_loop_repeats_get_their_own_ids():
    control = ('<w:sdt><w:sdtPr><w:id w:val="-1234"/></w:sdtPr><w:sdtContent>' + paragraph(run("{{ x }}"))
               + "</w:sdtContent></w:sdt>")
    report = render(package(tagged("{%p for x in items %}") + control + tagged("{%p endfor %}")), ITEMS)
    ids = [e.get(W + "val") for e in body_of(report).iter(W + "id") if e.getparent().tag == W + "sdtPr"]
    assert len(ids) == 3 and len(set(ids)) == 3 and ids[0] == "-1234"


def test_a_bookmark_in_a_repeated_table_row_is_renamed():
    row = lambda inner: f'<w:tr><w:tc><w:tcPr><w:tcW w:w="4000" w:type="dxa"/></w:tcPr>{inner}</w:tc></w:tr>'
    data = package('<w:tbl><w:tblPr/><w:tblGrid><w:gridCol w:w="4000"/></w:tblGrid>'
                   + row(tagged("{%tr for x in items %}"))
                   + row(paragraph('<w:bookmarkStart w:id="4" w:name="行"/>' + run("{{ x }}") + '<w:bookmarkEnd w:id="4"/>'))
                   + row(tagged("{%tr endfor %}")) + "</w:tbl>" + tagged("后"))
    assert bookmarks(render(data, ITEMS)) == [("4", "行"), ("5", "行_2"), ("6", "行_3")]


# ---- the linter reads loops and tag paragraphs as the lexer does ------------------------------

def _table_loop(inner: str) -> str:
    """A table whose middle row, ``inner``, a ``{%tr for %}`` row repeats."""
    row = lambda cell: f'<w:tr><w:tc><w:tcPr><w:tcW w:w="4000" w:type="dxa"/></w:tcPr>{cell}</w:tc></w:tr>'
    return ('<w:tbl><w:tblPr/><w:tblGrid><w:gridCol w:w="4000"/></w:tblGrid>' + row(tagged("{%tr for x in items %}"))
            + row(inner) + row(tagged("{%tr endfor %}")) + "</w:tbl>" + tagged("后"))


def test_a_bookmark_in_a_repeated_table_row_is_listed(tmp_path):
    data = package(_table_loop(paragraph('<w:bookmarkStart w:id="4" w:name="行"/>' + run("{{ x }}")
                                         + '<w:bookmarkEnd w:id="4"/>')))
    (found,) = warnings(tmp_path, data)
    assert "书签“行”位于循环中" in found.message and found.where.table == 1


def test_a_footnote_in_a_repeated_table_row_is_a_notice(tmp_path):
    from reportgen.template_check import check_template
    data = package(_table_loop(paragraph(run("{{ x }}") + '<w:r><w:footnoteReference w:id="1"/></w:r>')),
                   relations=NOTE_RELS, parts=NOTE_PARTS)
    (tmp_path / "t.docx").write_bytes(data)
    (found,) = check_template(tmp_path / "t.docx", "self-evaluation").notices
    assert "脚注位于循环中" in found.message


def test_a_section_break_on_an_autocorrected_tag_paragraph_is_listed(tmp_path):
    data = package(tagged("前文") + tagged("{%P if flag %}") + tagged("{%P endif %}", PORTRAIT) + tagged("后文"))
    assert any("分节符" in w.message for w in warnings(tmp_path, data))


def test_a_tag_paragraph_in_a_text_box_leaves_the_section_break_of_the_paragraph_holding_it():
    from reportgen.docx.marks import mark_tag_paragraphs
    from test_reconcile_repeats import text_box
    inner = tagged("{%p if flag %}") + tagged("框内") + tagged("{%p endif %}")
    box = text_box(inner, inner).replace("<w:p><w:r><mc:", f"<w:p><w:pPr>{PORTRAIT}</w:pPr><w:r><mc:", 1)
    xml = (f'<w:document xmlns:w="{W[1:-1]}" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/'
           'wordprocessingDrawing"><w:body>' + tagged("前文") + box + "</w:body></w:document>")
    marked = etree.fromstring(mark_tag_paragraphs(xml).encode())
    holder = marked.find(f"{W}body")[1]
    assert holder.find(f"{W}pPr/{W}sectPr") is not None
