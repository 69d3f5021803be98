"""Text from data becomes proper Word paragraphs (issue 10, kind 5): each line of a value
its own paragraph with the template paragraph's formatting, typed blanks at a
paragraph's start not doubling the template's indent, Word's Shift+Enter read as a line
break, the same bytes on both render paths, and ``check`` saying what it normalised."""
from __future__ import annotations

import io
import json
import zipfile

import pytest
from docx import Document
from lxml import etree

import reportgen
from reportgen.cli import main
from reportgen.engine.template import Template

from support import SHARED, build_docx

CASE01 = SHARED / "cases" / "01-newline-in-prose-stretches-line"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NOTE = "一是全部项目按时编制绩效目标。\n二是年中开展绩效运行监控。\n三是年末组织自评。"


def body(data: bytes):
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return etree.fromstring(package.read("word/document.xml"))


def texts(paragraphs) -> list[str]:
    return ["".join(t.text or "" for t in p.iter(W + "t")) for p in paragraphs]


def render(template: Template, context: dict) -> bytes:
    """Both render paths, which must agree byte for byte."""
    whole = template.whole_package.render_bytes(context)
    assert template.parts_only is None or template.parts_only.render_bytes(context) == whole
    return whole


def test_case_01_each_point_is_a_paragraph_of_the_body_style(tmp_path):
    out = tmp_path / "out.docx"
    assert main([str(CASE01 / "data.json"), "-o", str(out)]) == 0
    root = body(out.read_bytes())
    points = [p for p in root.iter(W + "p") if texts([p])[0][:2] in ("一是", "二是", "三是")]
    assert len(points) == 3
    styles = {p.find(f"{W}pPr/{W}pStyle").get(W + "val") for p in points}
    assert styles == {"公文正文"}  # justified, first-line indent: the template paragraph's
    assert not [br for p in points for br in p.iter(W + "br")]


def test_lines_keep_paragraph_and_run_formatting_in_both_paths(tmp_path):
    doc = Document()
    paragraph = doc.add_paragraph(style="List Bullet")
    paragraph.paragraph_format.first_line_indent = 200000
    paragraph.add_run("甲：")
    paragraph.add_run("{{ note }}").bold = True
    paragraph.add_run("（完）")
    doc.save(tmp_path / "t.docx")
    root = body(render(Template(tmp_path / "t.docx"), {"note": NOTE}))
    paragraphs = list(root.iter(W + "p"))
    assert texts(paragraphs) == ["甲：一是全部项目按时编制绩效目标。", "二是年中开展绩效运行监控。", "三是年末组织自评。（完）"]
    for p in paragraphs:
        assert p.find(f"{W}pPr/{W}pStyle").get(W + "val") == "ListBullet"
        assert p.find(f"{W}pPr/{W}ind") is not None
        assert any(r.find(f"{W}rPr/{W}b") is not None for r in p.iter(W + "r"))


@pytest.mark.parametrize("note, expected", [
    ("　　一是甲。\n　　二是乙。\n  三是丙。", ["一是甲。", "二是乙。", "三是丙。"]),
    ("\u00a0一是甲。\r\n\t二是乙。", ["一是甲。", "\t二是乙。"]),  # a tab is not a blank
    ("一是甲。\x0b二是乙。", ["一是甲。", "二是乙。"]),  # Word's Shift+Enter
    ("一是甲。\r二是乙。\n", ["一是甲。", "二是乙。", ""]),
])
def test_typed_blanks_at_a_paragraph_start_are_left_to_the_template(tmp_path, note, expected):
    path = build_docx(tmp_path / "t.docx", body=["{{ note }}"])
    read = [p.text for p in Document(io.BytesIO(render(Template(path), {"note": note}))).paragraphs]
    assert read == expected


@pytest.mark.parametrize("tag", ["{{ note|e }}", "{{ note|join('') }}", '{{ "甲\\n乙" }}', "{{ [note]|join('\\n') }}"])
def test_the_rule_holds_for_escaped_joined_and_literal_values(tmp_path, tag):
    path = build_docx(tmp_path / "t.docx", body=[tag])
    read = [p.text for p in Document(io.BytesIO(render(Template(path), {"note": "甲\n乙"}))).paragraphs]
    assert read == ["甲", "乙"]


def test_blanks_inside_a_paragraph_are_kept(tmp_path):
    path = build_docx(tmp_path / "t.docx", body=["报送单位：{{ note }}", "{{ note }}"])
    read = [p.text for p in Document(io.BytesIO(render(Template(path), {"note": "  某局"}))).paragraphs]
    assert read == ["报送单位：  某局", "某局"]


def test_a_section_break_moves_to_the_last_line(tmp_path):
    xml = (f'<w:p xmlns:w="{W[1:-1]}"><w:pPr><w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:pPr>'
           f'<w:r><w:t>{{{{ note }}}}</w:t></w:r></w:p>')  # the first section ends with the tag's paragraph
    path = build_docx(tmp_path / "t.docx", body=["下一节"], xml=xml)
    root = body(render(Template(path), {"note": NOTE}))
    paragraphs = list(root.iter(W + "p"))
    carrying = [n for n, p in enumerate(paragraphs) if p.find(f"{W}pPr/{W}sectPr") is not None]
    assert carrying == [2] and texts(paragraphs)[2] == "三是年末组织自评。"


def test_lines_in_a_hyperlink_and_a_table_cell_stay_valid(tmp_path):
    hyperlink = (f'<w:p xmlns:w="{W[1:-1]}" xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" '
                 f'w14:paraId="12345678"><w:hyperlink w:anchor="x"><w:r><w:t>{{{{ note }}}}</w:t></w:r>'
                 f'</w:hyperlink></w:p>')
    path = build_docx(tmp_path / "t.docx", xml=hyperlink, cells=[["{{ note }}", "x"]])
    data = render(Template(path), {"note": "甲\n乙"})
    root = body(data)
    links = list(root.iter(W + "hyperlink"))
    assert [texts([link])[0] for link in links] == ["甲", "乙"]
    ids = [p.get("{http://schemas.microsoft.com/office/word/2010/wordml}paraId") for p in root.iter(W + "p")]
    assert ids.count("12345678") == 1
    cell = root.find(f".//{W}tc")
    assert texts(cell.iter(W + "p")) == ["甲", "乙"]
    Document(io.BytesIO(data))  # python-docx reads it


@pytest.mark.parametrize("open_, close", [
    ('<w:ins w:id="9" w:author="a">', "</w:ins>"),
    ('<w:sdt><w:sdtPr><w:id w:val="9"/></w:sdtPr><w:sdtContent>', "</w:sdtContent></w:sdt>")])
def test_split_revisions_and_content_controls_get_their_own_ids(tmp_path, open_, close):
    xml = f'<w:p xmlns:w="{W[1:-1]}">{open_}<w:r><w:t>{{{{ note }}}}</w:t></w:r>{close}</w:p>'
    root = body(render(Template(build_docx(tmp_path / "t.docx", xml=xml)), {"note": "甲\n乙"}))
    ids = [e.get(W + "val") if e.tag == W + "id" else e.get(W + "id") for e in root.iter(W + "ins", W + "id")]
    assert len(ids) == 2 and len(set(ids)) == 2
    assert ["".join(t.text or "" for t in p.iter(W + "t")) for p in root.iter(W + "p")] == ["甲", "乙"]


def test_values_without_line_breaks_are_untouched(tmp_path):
    """No mark, no change: the part is not even parsed again (samples stay byte-identical)."""
    from reportgen.docx.lines import split_paragraphs
    xml = "<w:body xmlns:w='x'><w:p><w:r><w:t>甲 乙</w:t></w:r></w:p></w:body>"
    assert split_paragraphs(xml) is xml


def test_vertical_tab_in_data_is_a_line_break_not_refused(tmp_path):
    data = json.loads((CASE01 / "data.json").read_text(encoding="utf-8"))
    data["performance_management"] = "一是甲。\x0b二是乙。"
    path = tmp_path / "d.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    report = reportgen.load(path)
    assert report.performance_management == "一是甲。\n二是乙。"


def test_check_says_what_it_normalised(capsys):
    assert main(["check", str(CASE01 / "data.json")]) == 0
    out = capsys.readouterr().out
    assert "$.performance_management: 这段文字有3行，报告中每行成为单独的一段" in out


def test_check_names_typed_indents(tmp_path):
    from reportgen.checking.lines import line_findings
    found = list(line_findings([("$.note", "　　一是甲。\n二是乙。\n  三是丙。"), ("$.ok", "一行")]))
    assert len(found) == 1 and found[0].path == "$.note"
    assert "第1、3行开头的空格在段首不印出" in found[0].message
