"""What a loop repeats that Word would give each copy of its own: notes and style-given lists.

A clerk who copies a paragraph with a 脚注 in Word gets a second note; a loop that
repeats that paragraph gives each repetition its own note, on both rendering paths
alike (:func:`test_external.render` holds them to the same bytes). A numbered list
whose numbering comes from a paragraph style (``w:numPr`` in styles.xml, perhaps
through ``w:basedOn``) restarts in each repetition as one numbered directly does. A
failure inside a text box that no paragraph of the template holds is named in Chinese.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest
from lxml import etree

from reportgen.cli import main
from reportgen.engine import Template
from reportgen.errors import TemplateError
from reportgen.template_check import check_template
from support import libreoffice_text
from test_external import W, entry, package, paragraph, run, warnings
from test_reconcile import ITEMS, LISTS, NOTE_BODY, NOTE_PARTS, NOTE_RELS, PROJECTS, body_of, item, render, tagged

ENDNOTES = {"word/endnotes.xml": ("application/vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml",
                                  NOTE_PARTS["word/footnotes.xml"][1].replace(b"footnotes", b"endnotes")
                                  .replace(b"footnote ", b"endnote ").replace(b"</w:footnote>", b"</w:endnote>"))}
ENDNOTE_RELS = (NOTE_RELS[0].replace("footnotes", "endnotes"),)


def notes(report: bytes, kind: str = "footnote") -> list[tuple[str, str]]:
    root = etree.fromstring(entry(report, f"word/{kind}s.xml"))
    return [(n.get(W + "id"), "".join(t.text or "" for t in n.iter(W + "t"))) for n in root.iter(W + kind)]


def references(report: bytes, kind: str = "footnote") -> list[str]:
    return [r.get(W + "id") for r in body_of(report).iter(W + kind + "Reference")]


# ---- footnotes and endnotes ------------------------------------------------------------------


def test_each_repetition_of_a_footnote_gets_a_note_of_its_own(tmp_path):
    data = package(NOTE_BODY, relations=NOTE_RELS, parts=NOTE_PARTS)
    report = render(data, ITEMS)
    assert references(report) == ["1", "2", "3"]
    assert notes(report) == [("1", "资料来源：财政局。"), ("2", "资料来源：财政局。"), ("3", "资料来源：财政局。")]
    assert warnings(tmp_path, data) == []  # what Word does with a copied note: no problem
    (tmp_path / "t.docx").write_bytes(data)
    (found,) = check_template(tmp_path / "t.docx", "self-evaluation").notices
    assert "每次重复" in found.message and "无法生成" not in found.message and found.where.label == "正文第2段"


def test_template_check_lists_a_note_in_a_loop_as_a_notice_and_passes(tmp_path, capsys):
    template = tmp_path / "t.docx"
    body = NOTE_BODY.replace("in items", "in department.functions")  # names the kind knows
    template.write_bytes(package(body, relations=NOTE_RELS, parts=NOTE_PARTS))
    assert main(["template-check", str(template), "--kind", "self-evaluation"]) == 0
    out = capsys.readouterr().out
    assert "未发现问题" in out and "另有 1 条提示（不是问题）" in out and "脚注位于循环中" in out
    assert main(["template-check", str(template), "--kind", "self-evaluation", "--format", "json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found["problems"] == [] and [n["severity"] for n in found["notices"]] == ["notice"]


def test_each_repetition_of_an_endnote_gets_a_note_of_its_own():
    data = package(NOTE_BODY.replace("footnoteReference", "endnoteReference"), relations=ENDNOTE_RELS,
                   parts=ENDNOTES)
    report = render(data, ITEMS)
    assert references(report, "endnote") == ["1", "2", "3"]
    assert [i for i, _ in notes(report, "endnote")] == ["1", "2", "3"]


def test_one_template_renders_each_document_with_only_its_own_notes():
    template = Template(package(NOTE_BODY, relations=NOTE_RELS, parts=NOTE_PARTS), name="t.docx")
    for items in (["甲", "乙", "丙"], ["甲"], ["甲", "乙"], []):
        report = template.render_bytes({"year": 2023, "items": items})
        assert report == template.whole_package.render_bytes({"year": 2023, "items": items})
        assert [i for i, _ in notes(report)] == [str(n) for n in range(1, max(len(items), 1) + 1)]


def test_a_copied_note_gets_its_own_bookmark_and_fresh_ids_after_word_s_separators():
    separators = (b'<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
                  b'<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
                  b'</w:r></w:p></w:footnote>')
    xml = NOTE_PARTS["word/footnotes.xml"][1].replace(b'<w:footnote w:id="1">', separators + b'<w:footnote w:id="1">')
    xml = xml.replace(b"<w:t>", b'<w:bookmarkStart w:id="0" w:name="\xe6\x9d\xa5\xe6\xba\x90"/><w:t>', 1) \
        .replace(b"</w:t>", b'</w:t><w:bookmarkEnd w:id="0"/>', 1)
    report = render(package(NOTE_BODY, relations=NOTE_RELS,
                            parts={"word/footnotes.xml": (NOTE_PARTS["word/footnotes.xml"][0], xml)}), ITEMS)
    assert references(report) == ["1", "2", "3"]  # assert_consistent: unique bookmarks in footnotes.xml
    assert [i for i, _ in notes(report)] == ["-1", "0", "1", "2", "3"]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_prints_a_note_under_each_repetition(tmp_path):
    (tmp_path / "out.docx").write_bytes(render(package(NOTE_BODY, relations=NOTE_RELS, parts=NOTE_PARTS), ITEMS))
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(tmp_path / "out.docx")], check=True, capture_output=True, timeout=180)
    text = subprocess.run(["pdftotext", str(tmp_path / "out.pdf"), "-"], check=True, capture_output=True,
                          text=True).stdout
    assert re.findall(r"([123])\s*资料来源", text) == ["1", "2", "3"]


# ---- lists numbered by their paragraph style ----------------------------------------------------

STYLES = (b'<w:style w:type="paragraph" w:styleId="Numbered"><w:name w:val="\xe7\xbc\x96\xe5\x8f\xb7"/>'
          b'<w:basedOn w:val="Normal"/><w:pPr><w:numPr><w:numId w:val="90"/></w:numPr></w:pPr></w:style>'
          b'<w:style w:type="paragraph" w:styleId="Target"><w:name w:val="Target"/><w:basedOn w:val="Numbered"/>'
          b'<w:pPr><w:keepNext/></w:pPr></w:style>'
          b'<w:style w:type="paragraph" w:styleId="Sub"><w:name w:val="Sub"/><w:basedOn w:val="Target"/>'
          b'<w:pPr><w:numPr><w:ilvl w:val="1"/></w:numPr></w:pPr></w:style>')
STYLED = {**LISTS, "word/styles.xml": lambda d: d.replace(b"</w:styles>", STYLES + b"</w:styles>")}


def styled(text: str, style: str = "Target", extra: str = "") -> str:
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{extra}</w:pPr>{run(text)}</w:p>'


def own_numbers(report: bytes) -> list[tuple[str, str, str]]:
    """(text, numId, ilvl) of each paragraph with a style, its own numbering ("" where it has none)."""
    out = []
    for p in body_of(report).iter(W + "p"):
        if p.find(f"{W}pPr/{W}pStyle") is None:
            continue
        num, level = p.find(f"{W}pPr/{W}numPr/{W}numId"), p.find(f"{W}pPr/{W}numPr/{W}ilvl")
        out.append(("".join(t.text or "" for t in p.iter(W + "t")), "" if num is None else num.get(W + "val"),
                    "" if level is None else level.get(W + "val")))
    return out


def test_a_list_its_style_numbers_restarts_in_each_repetition():
    data = package(tagged("{%p for p in projects %}") + tagged("{{ p.name }}") + styled("{{ p.targets[0] }}")
                   + styled("{{ p.targets[1] }}", "Sub") + tagged("{%p endfor %}"), edits=STYLED)
    report = render(data, PROJECTS)
    assert own_numbers(report) == [("指标一", "", ""), ("指标二", "", ""),  # the first as the template has it
                                   ("指标一", "91", "0"), ("指标二", "91", "1"),
                                   ("指标一", "92", "0"), ("指标二", "92", "1")]
    properties = [etree.QName(e).localname for e in body_of(report).findall(f"{W}p/{W}pPr")[2]]
    assert properties == ["pStyle", "numPr"]  # in the schema's order


def test_a_loop_of_style_numbered_items_continues_its_list():
    data = package(tagged("{%p for x in items %}") + styled("{{ x }}") + tagged("{%p endfor %}"), edits=STYLED)
    assert [n for _, n, _ in own_numbers(render(data, ITEMS))] == ["", "", ""]


def test_a_paragraph_that_turns_its_style_s_numbering_off_stays_unnumbered():
    data = package(tagged("{%p for p in projects %}") + item("{{ p.name }}")
                   + styled("{{ p.targets[0] }}", extra='<w:numPr><w:numId w:val="0"/></w:numPr>')
                   + tagged("{%p endfor %}"), edits=STYLED)
    assert [n for _, n, _ in own_numbers(render(data, PROJECTS))] == ["0", "0", "0"]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
@pytest.mark.parametrize("numbered, edits", [(item, LISTS), (styled, STYLED)], ids=["own-numbering", "style"])
def test_libreoffice_numbers_each_repetition_from_one(tmp_path, numbered, edits):
    data = package(tagged("{%p for p in projects %}") + tagged("{{ p.name }}") + numbered("{{ p.targets[0] }}")
                   + numbered("{{ p.targets[1] }}") + tagged("{%p endfor %}"), edits=edits)
    text = libreoffice_text(render(data, PROJECTS), tmp_path)
    assert re.findall(r"(\d+)\.\s*指标", text) == ["1", "2"] * 3


# ---- a failure in a text box -------------------------------------------------------------------

MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def text_box(shown: str, fallback: str) -> str:
    """A paragraph holding a text box: ``shown`` in its DrawingML copy, ``fallback`` in its VML one."""
    return (f'<w:p><w:r><mc:AlternateContent xmlns:mc="{MC}"><mc:Choice Requires="wps"><w:drawing><wp:anchor>'
            '<wp:docPr id="1" name="t"/><a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
            '<a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
            '<wps:wsp xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:txbx>'
            f'<w:txbxContent>{shown}</w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor>'
            '</w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml">'
            f'<v:textbox><w:txbxContent>{fallback}</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>'
            '</mc:AlternateContent></w:r></w:p>')


def test_a_failure_in_a_text_box_no_paragraph_shows_is_placed_in_chinese():
    # An editor that rewrote the shown copy only leaves the old tag in the fallback one.
    data = package(tagged("前文") + text_box(paragraph(run("框内文字")), paragraph(run("框内：{{ missing }}"))))
    with pytest.raises(TemplateError) as raised:
        Template(data, name="t.docx").render_bytes({})
    assert "正文文本框中含有「框内：{{ missing }}」的段落" in str(raised.value)
    assert "word/" not in str(raised.value)


def test_a_failure_place_names_the_part_as_a_clerk_does():
    from reportgen.docx.paragraphs import read_parts
    from reportgen.language.locate import failure_place
    parts = read_parts(package(tagged("前文")))
    source = "<w:body>\n<w:p><w:r><w:t>{{ a }}</w:t></w:r></w:p>\n<w:p><w:r><w:t> </w:t></w:r></w:p></w:body>"
    assert str(failure_place(parts, "/word/document.xml", source, 2, "a")) == "正文中含有「{{ a }}」的段落"
    assert str(failure_place(parts, "/word/document.xml", source, 3, None)) == "正文"
    assert str(failure_place(parts, "/word/header7.xml", source, None, None)) == "页眉"
