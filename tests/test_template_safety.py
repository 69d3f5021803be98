"""Rendering is safe: data comes out exactly, mistakes are located, hostile templates fail.

Templates are built with python-docx in each test; a footnote is added to the package
by hand, since python-docx cannot write one.
"""
from __future__ import annotations

import copy
import io
import re
import time
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import reportgen
from reportgen.cli import main
from reportgen.errors import DataError, TemplateError
from reportgen.engine import Template
from reportgen.language.environment import make_environment
from reportgen.language.undefined import RefusedName, UndefinedName

from support import build_docx

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "liwan-2023.json"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = "{%s}" % W_NS


def sample() -> dict:
    return reportgen.loading.parse_json(SAMPLE.read_text(encoding="utf-8"))


def report_with(name: str, note: str = "备注"):
    """The sample with a department name and a prose field, loaded as data files are."""
    data = sample()
    kind = data.pop("kind")
    data["department"]["name"] = name
    data["prose"] = {"note": note}
    return reportgen.loading.structure(data, reportgen.kinds.get(kind).model)


def context_with(name: str = "商务局", note: str = "备注") -> dict:
    return reportgen.context(report_with(name, note))


def add_footnote(path: Path, text: str) -> Path:
    """Give the document at ``path`` a footnote holding ``text``."""
    with zipfile.ZipFile(path) as src:
        entries = [(item, src.read(item.filename)) for item in src.infolist()]
    notes = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes xmlns:w="{W_NS}">'
             '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
             f'<w:footnote w:id="1"><w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'
             '</w:footnote></w:footnotes>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item, body in entries:
            if item.filename == "[Content_Types].xml":
                body = body.replace(b"</Types>", b'<Override PartName="/word/footnotes.xml" ContentType='
                                    b'"application/vnd.openxmlformats-officedocument.wordprocessingml.'
                                    b'footnotes+xml"/></Types>')
            elif item.filename == "word/_rels/document.xml.rels":
                body = body.replace(b"</Relationships>", b'<Relationship Id="rIdNotes" Type="http://'
                                    b'schemas.openxmlformats.org/officeDocument/2006/relationships/'
                                    b'footnotes" Target="footnotes.xml"/></Relationships>')
            dst.writestr(item, body)
        dst.writestr("word/footnotes.xml", notes)
    return path


def texts(data: bytes, prefix: str) -> list[str]:
    """Each paragraph's text in the parts whose names start with ``prefix``: a line
    break as "\\n", a tab as "\\t"."""
    out = []
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for name in sorted(n for n in package.namelist() if n.startswith(prefix)):
            for p in ET.fromstring(package.read(name)).iter(W + "p"):
                pieces = []
                for run in p.iter(W + "r"):
                    for el in run:
                        pieces.append({W + "t": el.text or "", W + "br": "\n", W + "tab": "\t"}.get(el.tag, ""))
                out.append("".join(pieces))
    return out


# ---- data comes out exactly --------------------------------------------------------------

TRICKY = "A&B <局> \"甲\" '乙' ，。；：“引号”（括号）{{ year }} {% if %} x{_{y}}\n第二行\t制表"


def test_data_comes_out_exactly_in_every_part(tmp_path):
    path = build_docx(tmp_path / "t.docx", body=["名称：{{ department.name }}"],
                 cells=[["{{ prose.note }}", "{{ department.name }}"]],
                 header="眉{{ department.name }}", footer="脚{{ prose.note }}",
                 title="{{ department.name }}报告")
    add_footnote(path, "注{{ department.name }}")
    data = Template(path).render_bytes(context_with(TRICKY, TRICKY + "\r\n末行"))
    # CR LF in data is one line break, like LF: the next line is a paragraph of its own
    first, *more = TRICKY.split("\n")  # each line of a value is a paragraph
    assert texts(data, "word/document.xml") == ["名称：" + first, *more, first, *more, "末行", first, *more]
    assert texts(data, "word/header") == ["眉" + first, *more]
    assert texts(data, "word/footer") == ["脚" + first, *more, "末行"]
    assert texts(data, "word/footnotes.xml")[-1 - len(more):] == ["注" + first, *more]
    assert Document(io.BytesIO(data)).core_properties.title == TRICKY + "报告"


def test_line_breaks_in_prose_are_paragraphs(tmp_path):
    path = build_docx(tmp_path / "t.docx", body=["{{ prose.note }}"])
    data = Template(path).render_bytes(context_with(note="一\n二\n三"))
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert "<w:br/>" not in xml
    assert [p.text for p in Document(io.BytesIO(data)).paragraphs] == ["一", "二", "三"]


XML_TEXT = st.text(st.characters(exclude_categories=("Cs",),
                                 exclude_characters=[chr(c) for c in range(32) if c not in (9, 10, 13)]
                                 + ["\ufffe", "\uffff"]), min_size=1, max_size=40)


@pytest.fixture(scope="module")
def tiny_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("tpl") / "t.docx"
    return Template(build_docx(path, body=["【{{ department.name }}】", "【{{ prose.note }}】"]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=XML_TEXT.filter(str.strip), note=XML_TEXT)  # a name that is only blanks is refused
def test_any_text_comes_out_exactly(tiny_template, name, note):
    data = tiny_template.render_bytes(context_with(name, note))
    as_read = [p.text for p in Document(io.BytesIO(data)).paragraphs]
    # each line of a value its own paragraph, its typed indent left to the template
    lines = lambda s: re.split("\r\n|[\r\n\x0b\x85\u2028\u2029]", s)  # noqa: E731 - every line break
    paragraphs = lambda s: [first, *(rest.lstrip(" \u3000\u00a0") for rest in more)] \
        if (split := lines(s)) and ((first := split[0]) or True) and ((more := split[1:]) or True) else []
    expected = [*paragraphs(f"【{name}】"), *paragraphs(f"【{note}】")]
    assert as_read == expected


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x08", "\x0c", "\x1f", "\ufffe", "\uffff"])
def test_loading_refuses_what_xml_cannot_hold(char):
    with pytest.raises(DataError) as caught:
        report_with(f"商务{char}局")
    assert f"U+{ord(char):04X}" in str(caught.value)
    assert "$.department.name" in str(caught.value)


def test_loading_refuses_a_lone_surrogate():
    text = SAMPLE.read_text(encoding="utf-8").replace('"商务和投资促进局"', '"商务\\ud800局"', 1)
    with pytest.raises(DataError, match="U\\+D800"):
        reportgen.loads(text)


def test_loading_keeps_tab_newline_and_carriage_return():
    report = report_with("商\t务\n局\r")
    assert report.department.name == "商\t务\n局\r"


def test_rendering_refuses_control_characters_it_is_given(tmp_path):
    path = build_docx(tmp_path / "t.docx", body=["{{ department.name }}"])
    with pytest.raises(TemplateError, match="U\\+0001"):
        Template(path).render_bytes({"department": {"name": "a\x01"}})


# ---- mistakes are named and located ------------------------------------------------------


@pytest.mark.parametrize("where, kwargs", [
    ("正文第2段「{{ departmnt.name }}局」", {"body": ["前言", "{{ departmnt.name }}局"]}),
    ("正文表格1第2行第3列「{{ departmnt }}」", {"cells": [["", "", ""], ["", "", "{{ departmnt }}"]]}),
    ("页眉第1段「{{ departmnt }}」", {"header": "{{ departmnt }}"}),
    ("页脚第1段「第{{ departmnt }}页」", {"footer": "第{{ departmnt }}页"}),
    ("文档属性（标题）「{{ departmnt }}」", {"title": "{{ departmnt }}"}),
])
def test_an_undefined_variable_is_named_with_its_place(tmp_path, where, kwargs):
    path = build_docx(tmp_path / "t.docx", **kwargs)
    with pytest.raises(TemplateError) as caught:
        Template(path).render_bytes(context_with())
    message = str(caught.value)
    assert "未定义的变量 “departmnt”，是否应为 “department”？" in message
    assert where in message


def test_an_undefined_variable_in_a_footnote_is_located(tmp_path):
    path = add_footnote(build_docx(tmp_path / "t.docx", body=["正文"]), "见{{ yaer }}年")
    with pytest.raises(TemplateError, match="脚注第2段「见{{ yaer }}年」.*“yaer”，是否应为 “year”"):
        Template(path).render_bytes(context_with())


def test_a_missing_item_in_a_repeated_row_is_located(tmp_path):
    cells = [["{%tr for p in projects %}", ""], ["{{ p.name }}", "{{ p.nmae|money }}"], ["{%tr endfor %}", ""]]
    with pytest.raises(TemplateError) as caught:
        Template(build_docx(tmp_path / "t.docx", cells=cells)).render_bytes(context_with())
    assert "正文表格1第2行第2列「{{ p.nmae|money }}」" in str(caught.value)
    assert "没有名为 “nmae” 的项" in str(caught.value)


def test_an_unknown_filter_is_named(tmp_path):
    path = build_docx(tmp_path / "t.docx", body=["{{ year|mony }}"])
    with pytest.raises(TemplateError, match="正文第1段「{{ year\\|mony }}」：未知的过滤器 “mony”"):
        Template(path).render_bytes(context_with())


# ---- hostile templates -------------------------------------------------------------------

PAYLOADS = [
    "{{ cycler.__init__.__globals__.os }}",
    "{{ cycler.__init__.__globals__.os.system('touch MARKER') }}",
    "{{ ''.__class__.__mro__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ ().__class__.__base__.__subclasses__() }}",
    "{{ self._TemplateReference__context }}",
    "{{ self.__init__.__globals__ }}",
    "{{ lipsum.__globals__ }}",
    "{{ joiner.__init__.__globals__['os'] }}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ dict.__base__.__subclasses__() }}",
    "{{ range.__self__ }}",
    "{{ department.__class__.__init__.__globals__ }}",
    "{{ config }}",
    "{{ request.application.__globals__ }}",
    "{% include '/etc/passwd' %}",
    "{% import 'os' as os %}",
    "{% from '/etc/passwd' import x %}",
    "{% extends '/etc/passwd' %}",
    "{% autoescape false %}{{ department.name }}{% endautoescape %}",
    "{{ department.name|safe }}",
    "{{ department.name|urlize }}",
    "{{ 'a' * 1000000000 }}",
    "{{ 9 ** 99999999 }}",
    "{{ department.update({'name': 'x'}) }}",
    "{{ projects.append(1) }}",
    "{% set x = department.pop('name') %}",
    "{{ department.name.format.__globals__ }}",
    "{{ '{0.__class__}'.format(department) }}",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_template_fails_clearly_without_output(tmp_path, payload, monkeypatch):
    monkeypatch.chdir(tmp_path)
    template = build_docx(tmp_path / "hostile.docx", body=["报告", payload])
    model = reportgen.load(SAMPLE)
    ctx = reportgen.context(model)
    before = copy.deepcopy(ctx)
    start = time.perf_counter()
    with pytest.raises(TemplateError) as caught:
        reportgen.render(model, tmp_path / "out.docx", template=template)
    assert time.perf_counter() - start < 10
    assert str(caught.value).startswith("模板 hostile.docx 无法生成文档：")
    assert "正文第2段" in str(caught.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hostile.docx"]  # no output, no MARKER
    with pytest.raises(TemplateError):
        Template(template).render_bytes(ctx)
    assert ctx == before  # the shared context is never changed


def test_hostile_template_through_the_command_line(tmp_path, capsys):
    template = build_docx(tmp_path / "hostile.docx", body=["{{ cycler.__init__.__globals__.os }}"])
    out = tmp_path / "out.docx"
    assert main([str(SAMPLE), "-o", str(out), "--template", str(template)]) == 2
    err = capsys.readouterr().err
    assert "模板试图做不允许的操作，已被阻止" in err and "Traceback" not in err
    assert not out.exists()


def test_environment_is_sandboxed_strict_and_escaping():
    env = make_environment()
    assert env.sandboxed and env.autoescape
    assert env.from_string("{{ x }}").render(x="<&>") == "&lt;&amp;&gt;"
    with pytest.raises(UndefinedName, match="未定义的变量 “y”") as caught:
        env.from_string("{{ y }}").render()
    assert (caught.value.name, caught.value.attribute) == ("y", False)  # the name as structure
    with pytest.raises(RefusedName, match="不能使用 “__class__”") as refused:
        env.from_string("{{ x.__class__ }}").render(x=[])
    assert refused.value.name == "__class__"
    assert "money" in env.filters and "safe" not in env.filters and "lipsum" not in env.globals


def test_each_part_is_compiled_once(tmp_path):
    template = Template(ROOT / "templates" / "self-evaluation" / "liwan.docx")
    ctx = reportgen.context(reportgen.load(SAMPLE))
    first = template.render_bytes(ctx)
    compiled = dict(template.env._compiled)
    assert template.render_bytes(ctx) == first
    assert template.env._compiled == compiled  # the same Template objects, none added
    assert re.search(rb"word/document.xml", first)
