"""docxtpl's extensions of the tag language (issue 10, kind 4): each one is either
supported with a defined meaning (documented in docs/template-guide.md §docxtpl) or
refused in Chinese, at its place, by both rendering and ``template-check``."""
from __future__ import annotations

import io
import re
import zipfile

import pytest
from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT

from reportgen.cli import main
from reportgen.engine.template import Template
from reportgen.errors import TemplateError
from reportgen.template_check import check_template

from support import SHARED, build_docx

CASES = SHARED / "cases"


def refusals(path) -> tuple[list[str], list[str]]:
    """(what rendering refuses, what template-check reports) for the template at ``path``."""
    with pytest.raises(TemplateError) as caught:
        Template(path)
    return [str(p) for p in caught.value.problems], [str(p) for p in check_template(path, "self-evaluation").problems]


@pytest.mark.parametrize("case", ["02-dash-tags-merge-paragraphs", "08-r-tag-drops-value"])
def test_cases_are_refused_with_the_real_cause(tmp_path, capsys, case):
    folder = CASES / case
    assert main(["template-check", str(folder / "template.docx"), "--kind", "self-evaluation"]) == 1
    checked = capsys.readouterr().out
    assert "拆成了几段" not in checked  # not blamed on a Word split
    out = tmp_path / "out.docx"
    assert main([str(folder / "data.json"), "--template", str(folder / "template.docx"), "-o", str(out)]) == 2
    refused = capsys.readouterr().err
    assert not out.exists()
    want = "并成一段" if case.startswith("02") else "不支持 “{{r … }}”"
    assert want in checked and want in refused and "正文第" in refused


@pytest.mark.parametrize("text, want", [
    ("{%- if department.units -%}", "并成一段"), ("{%- if department.units %}", "并成一段"),
    ("{% if department.units -%}", "并成一段"), ("{%p- if department.units %}", "并成一段"),
    ("{{- department.full_name }}", "删去标签前后的空格"), ("{{ department.full_name -}}", "删去标签前后的空格"),
    ("{%+ if department.units %}", "“+”"), ("{{ department.full_name +}}", "“+”"),
    ("{{r department.full_name }}", "{{r … }}"), ("{%r if department.units %}", "{{r … }}"),
    ("{{p department.full_name }}", "{{p … }}"), ("{{tr department.full_name }}", "{{tr … }}"),
    ("{{tc department.full_name }}", "{{tc … }}"),
])
def test_unsupported_extensions_are_refused_by_both(tmp_path, text, want):
    body = [text, "正文", "{%p endif %}" if text.startswith("{%p") else
            "{% endif %}" if text.startswith("{%") else "结尾"]
    rendered, checked = refusals(build_docx(tmp_path / "t.docx", body=body))
    assert any(want in m and "正文第1段" in m for m in rendered), rendered
    assert any(want in m for m in checked), checked
    assert not any("拆成了几段" in m for m in checked), checked


@pytest.mark.parametrize("body, written, meant", [
    (["{%P if department.units %}", "x", "{%p endif %}"], "{%P", "{%p"),
    (["{%p if department.units %}", "x", "{%P endif %}"], "{%P", "{%p"),
    (["{{P department.full_name }}"], "{{P", "{{p"),
    (["{% If department.units %}x{% endif %}"], "If", "if"),
    (["{% if department.units %}x{% Endif %}"], "Endif", "endif"),
    (["{% For u in department.units %}{{ u }}{% endfor %}"], "For", "for"),
])
def test_autocorrect_capitals_get_advice_that_fixes_them(tmp_path, body, written, meant):
    rendered, checked = refusals(build_docx(tmp_path / "t.docx", body=body))
    for found in (rendered, checked):
        advice = [m for m in found if "自动更正" in m]
        assert advice and f"“{written}” 应写作 “{meant}”" in advice[0] and "改回小写" in advice[0], found


def test_autocorrect_in_a_table_row_tag(tmp_path):
    cells = [["{%Tr for u in department.units %}", ""], ["{{ u }}", ""], ["{%tr endfor %}", ""]]
    rendered, checked = refusals(build_docx(tmp_path / "t.docx", cells=cells))
    assert any("“{%Tr” 应写作 “{%tr”" in m for m in rendered)
    assert any("“{%Tr” 应写作 “{%tr”" in m for m in checked)


def _hyperlinked(path, address: str):
    doc = Document()
    paragraph = doc.add_paragraph("见：")
    rid = doc.part.relate_to(address, RT.HYPERLINK, is_external=True)
    link = paragraph._p.makeelement("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}hyperlink")
    link.set("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id", rid)
    run = paragraph.add_run("网站")._r
    link.append(run)
    paragraph._p.append(link)
    doc.save(path)
    return path


@pytest.mark.parametrize("address", ["https://example.gov.cn/{{ department.code }}",
                                     "https://example.gov.cn/%7B%7B%20department.code%20%7D%7D",
                                     "https://example.gov.cn/{% if x %}a{% endif %}"])
def test_a_tag_in_a_hyperlink_address_is_refused_by_both(tmp_path, address):
    rendered, checked = refusals(_hyperlinked(tmp_path / "t.docx", address))
    for found in (rendered, checked):
        assert any("地址中的标签不会被替换" in m and "正文超链接或链接的地址（第1个）" in m for m in found), found


def test_an_ordinary_hyperlink_passes(tmp_path):
    path = _hyperlinked(tmp_path / "t.docx", "https://example.gov.cn/a%20b")
    assert check_template(path, "self-evaluation").problems == []
    Template(path)


# ---- the extensions reportgen supports ----------------------------------------------------

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _body(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return package.read("word/document.xml").decode()


def test_cell_tags_render_as_documented(tmp_path):
    """{% colspan n %}, {% cellbg colour %}, {%tr for %} with {% vm %}, and {#p … #}
    comment paragraphs."""
    cells = [["{% colspan cols %}合并", "x"],
             ["{% cellbg colour %}着色", "y"],
             ["{%tr for r in rows %}", ""],
             ["{% vm %}{{ group }}", "{{ r }}"],
             ["{%tr endfor %}", ""]]
    path = build_docx(tmp_path / "t.docx", body=["{#p 给填表人的说明 #}", "正文"], cells=cells)
    xml = _body(Template(path).render_bytes(
        {"cols": 2, "colour": "FFCC00", "heads": ["甲", "乙"], "rows": ["一", "二"], "group": "组"}))
    assert '<w:gridSpan w:val="2"/>' in xml and 'w:fill="FFCC00"' in xml
    assert 'w:vMerge w:val="restart"' in xml and 'w:vMerge w:val="continue"' in xml
    assert "给填表人的说明" not in xml and xml.count(">组<") == 1


def test_column_loop_with_horizontal_merge(tmp_path):
    path = build_docx(tmp_path / "t.docx", cells=[["{%tc for c in heads %}", "{% hm %}{{ c }}", "{%tc endfor %}"],
                                                  ["a", "b", "c"]])
    xml = _body(Template(path).render_bytes({"heads": ["甲", "乙", "丙"]}))
    first_row = re.search(r"<w:tr>.*?</w:tr>", xml).group()
    assert '<w:gridSpan w:val="3"/>' in first_row and first_row.count("<w:tc>") == 1 and "甲" in first_row


def test_paragraph_level_tags_keep_or_drop_whole_paragraphs(tmp_path):
    path = build_docx(tmp_path / "t.docx", body=["前", "{%p if flag %}", "中", "{%p endif %}", "后"])
    texts = lambda flag: re.findall(r"<w:t[^>]*>([^<]*)</w:t>", _body(Template(path).render_bytes({"flag": flag})))
    assert texts(True) == ["前", "中", "后"] and texts(False) == ["前", "后"]


# ---- case 12: default prints its text where the data has nothing -------------------------


def test_case_12_default_applies_to_empty_values(tmp_path):
    folder = CASES / "12-default-filter-never-applies"
    out = tmp_path / "out.docx"
    assert main([str(folder / "data.json"), "--template", str(folder / "template.docx"), "-o", str(out)]) == 0
    text = re.sub(r"<[^>]+>", "", zipfile.ZipFile(out).read("word/document.xml").decode())
    assert "附件：无" in text and "年末结转和结余：未填报" in text and "绩效目标：（未填写）" in text


@pytest.mark.parametrize("value, shown", [
    (None, "无"), ("", "无"), ("　 ", "无"), ([], "无"), ({}, "无"),
    (0, "0"), (False, "False"), ("甲", "甲"), (["a"], "['a']"),
])
def test_default_replaces_empty_not_zero(tmp_path, value, shown):
    path = build_docx(tmp_path / "t.docx", body=['【{{ x|default("无") }}】【{{ x|d("无") }}】'])
    xml = _body(Template(path).render_bytes({"x": value}))
    assert f"【{shown}】【{shown}】" in re.sub(r"<[^>]+>", "", xml).replace("&#39;", "'")


def test_default_with_boolean_is_jinjas_and_undefined_is_replaced(tmp_path):
    path = build_docx(tmp_path / "t.docx", body=['【{{ x|default("无", true) }}】【{{ y|default("缺") }}】'])
    assert "【无】【缺】" in re.sub(r"<[^>]+>", "", _body(Template(path).render_bytes({"x": 0})))


# ---- {% vm %} and {% hm %} outside the loop whose copies they merge ----------------------

_ROW_LOOP = [["{%tr for f in department.functions %}", ""], ["{{ f }}", "x"], ["{%tr endfor %}", ""]]


@pytest.mark.parametrize("where, merge, place, why", [
    ("body", "vm", "正文第1段", "这里不在表格中"),
    ("cell", "vm", "正文表格1第1行第1列", "这里不在 “{%tr for %}” 循环之内"),
    ("cell", "hm", "正文表格1第1行第1列", "这里不在 “{%tc for %}” 循环之内"),
    ("row-loop", "hm", "正文表格1第2行第1列", "最内层的是正文表格1第1行第1列的 “{%tr for f in department.functions %}”"),
])
def test_merge_tags_outside_their_loop_are_refused_by_both(tmp_path, where, merge, place, why):
    tag = f"{{% {merge} %}}{{{{ year }}}}"
    kwargs = {"body": dict(body=[tag]), "cell": dict(cells=[[tag, "x"]]),
              "row-loop": dict(cells=[row if i != 1 else [tag, "{{ f }}"] for i, row in enumerate(_ROW_LOOP)])}[where]
    rendering, checking = refusals(build_docx(tmp_path / "t.docx", **kwargs))
    assert rendering == checking and len(rendering) == 1, (rendering, checking)
    level = "tr" if merge == "vm" else "tc"
    assert rendering[0].startswith(f"{place}「{tag}」：“{{% {merge} %}}”")
    assert f"只能写在 “{{%{level} for … %}}” 重复的表格" in rendering[0] and why in rendering[0]
    assert "loop" not in rendering[0]


def test_merge_tags_inside_their_loop_pass_both(tmp_path):
    cells = [["{%tr for f in department.functions %}", ""], ["{%tr if loop.first %}", ""],
             ["{% vm %}{{ year }}", "{{ f }}"], ["{%tr endif %}", ""], ["{%tr endfor %}", ""],
             ["{%tc for c in department.units %}", "{% hm %}{{ c }}", "{%tc endfor %}"]]
    cells = [row + [""] * (3 - len(row)) for row in cells]
    path = build_docx(tmp_path / "t.docx", cells=cells)
    Template(path)
    assert check_template(path, "self-evaluation").problems == []
