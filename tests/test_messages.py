"""Messages that name the real cause (issue 10, kind 6): a Word template or macro
document read as the package it is, an old format named with the advice that fixes
it, file-system failures in Chinese, a long file name that the file system accepts."""
import errno
import os
import zipfile

import pytest

from reportgen.cli import main
from reportgen.docx.files import write_atomically
from reportgen.errors import ReportgenError, TemplateError
from reportgen.template_check import check_template

from support import SAMPLES, SHARED, docx_text

CASE05 = SHARED / "cases" / "05-dotx-docm-doc-template-misread"
RT12 = SHARED / "cases" / "rt-12-write-errors-in-english"
DOCUMENT_TYPE = "wordprocessingml.document.main+xml"


def _no_english(text: str) -> None:
    assert "（）" not in text and "Error" not in text and "zip file" not in text
    assert not any(word in text for word in ("No space", "Read-only", "File exists", "too long"))


@pytest.mark.parametrize("name", ["我区模板.dotx", "我区模板.docm"])
def test_word_template_and_macro_document_render_as_docx(tmp_path, capsys, name):
    out = tmp_path / "out.docx"
    assert main([str(CASE05 / "data.json"), "--template", str(CASE05 / name), "-o", str(out)]) == 0, \
        capsys.readouterr().err
    with zipfile.ZipFile(out) as package:
        types = package.read("[Content_Types].xml").decode()
        assert DOCUMENT_TYPE in types and "template.main" not in types and "macroEnabled" not in types
        assert not [n for n in package.namelist() if "vba" in n.lower()]
    assert docx_text(out)


@pytest.mark.parametrize("name", ["我区模板.dotx", "我区模板.docm"])
def test_template_check_reads_word_template_and_macro_document(capsys, name):
    assert main(["template-check", str(CASE05 / name)]) == 0
    assert "未发现问题" in capsys.readouterr().out


def test_the_name_of_a_template_in_the_data_file_finds_the_dotx(tmp_path, capsys):
    data = (CASE05 / "data.json").read_text(encoding="utf-8")
    (tmp_path / "我区模板.dotx").write_bytes((CASE05 / "我区模板.dotx").read_bytes())
    target = tmp_path / "data.json"
    target.write_text(data.replace("{", '{"template": "我区模板.dotx",', 1), encoding="utf-8")
    assert main([str(target), "-o", str(tmp_path / "out.docx")]) == 0, capsys.readouterr().err


def test_macros_are_left_out_of_the_report(tmp_path):
    """A .docm with a VBA project: the report is a .docx without it (Word refuses a
    .docx that holds macros)."""
    from reportgen.docx.formats import as_document
    src = zipfile.ZipFile(CASE05 / "我区模板.docm")
    vba = "application/vnd.ms-office.vbaProject"
    rel = ('<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/relationships/'
           'vbaProject" Target="vbaProject.bin"/></Relationships>')
    path = tmp_path / "m.docm"
    with zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "[Content_Types].xml":
                body = body.replace(b"</Types>", f'<Default Extension="bin" ContentType="{vba}"/></Types>'
                                    .encode())
            if item.filename == "word/_rels/document.xml.rels":
                body = body.replace(b"</Relationships>", rel.encode())
            dst.writestr(item, body)
        dst.writestr("word/vbaProject.bin", b"\x00macro")
    with zipfile.ZipFile(__import__("io").BytesIO(as_document(path.read_bytes()))) as out:
        assert "word/vbaProject.bin" not in out.namelist()
        assert b"vbaProject" not in out.read("word/_rels/document.xml.rels")
        assert vba.encode() not in out.read("[Content_Types].xml")


@pytest.mark.parametrize("command", ["render", "template-check"])
def test_old_doc_is_named_with_save_as_advice(tmp_path, capsys, command):
    doc = CASE05 / "我区模板.doc"
    args = ["template-check", str(doc)] if command == "template-check" else \
        [str(CASE05 / "data.json"), "--template", str(doc), "-o", str(tmp_path / "out.docx")]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "旧版 Word 文档（.doc）" in err and "另存为“Word 文档（*.docx）”" in err
    _no_english(err)
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("content, what", [
    (b"{\\rtf1\\ansi hello}", "RTF 文档"), (b"%PDF-1.7\n", "PDF 文件"), (b"hello", "不是有效的Word文档")])
def test_other_files_given_a_word_ending_are_named(tmp_path, content, what):
    path = tmp_path / "模板.docx"
    path.write_bytes(content)
    with pytest.raises(TemplateError) as caught:
        check_template(path)
    assert what in str(caught.value) and "另存为" in str(caught.value)
    _no_english(str(caught.value))


def test_opendocument_renamed_docx_is_named(tmp_path):
    path = tmp_path / "模板.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", "<x/>")
    with pytest.raises(TemplateError, match="OpenDocument"):
        check_template(path)


# ---- writing: every failure in Chinese, nothing half-written --------------------------------


def test_parent_that_is_a_file_is_named(tmp_path, capsys):
    (tmp_path / "afile").write_text("x")
    assert main([str(RT12 / "data.json"), "-o", str(tmp_path / "afile" / "out.docx")]) == 2
    err = capsys.readouterr().err
    assert "afile 是文件，不是文件夹" in err
    _no_english(err)


def test_a_name_too_long_for_the_file_system(tmp_path, capsys):
    name = "报" * 84 + ".docx"  # 257 bytes
    assert main([str(RT12 / "data.json"), "-o", str(tmp_path / name)]) == 2
    err = capsys.readouterr().err
    assert "文件名太长" in err
    _no_english(err)
    assert not list(tmp_path.iterdir())


def test_a_245_byte_name_the_file_system_accepts_works(tmp_path):
    name = "报" * 80 + ".docx"
    assert len(name.encode()) == 245
    assert main([str(RT12 / "data.json"), "-o", str(tmp_path / name)]) == 0
    assert [p.name for p in tmp_path.iterdir()] == [name]


@pytest.mark.parametrize("code, reason", [(errno.ENOSPC, "磁盘空间不足"), (errno.EROFS, "磁盘只读"),
                                          (errno.EDQUOT, "磁盘配额已用完")])
def test_replace_failures_keep_the_old_file(tmp_path, monkeypatch, code, reason):
    target = tmp_path / "good.docx"
    target.write_bytes(b"old")

    def refuse(*_args):
        raise OSError(code, os.strerror(code))
    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(ReportgenError) as caught:
        write_atomically(target, b"new")
    assert str(caught.value) == f"无法写入 {target}：{reason}"
    assert target.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["good.docx"]


def test_disk_full_while_writing_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "good.docx"
    target.write_bytes(b"old")
    real = os.fdopen

    class Full:
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def write(self, _data):
            raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(os, "fdopen", lambda fd, mode: Full(real(fd, mode)))
    with pytest.raises(ReportgenError, match="磁盘空间不足"):
        write_atomically(target, b"new")
    assert target.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["good.docx"]


def test_a_template_that_cannot_be_read_is_explained_in_chinese(tmp_path, monkeypatch, capsys):
    from pathlib import Path
    template = tmp_path / "t.docx"
    template.write_bytes(b"")
    real = Path.read_bytes

    def unreadable(self):
        if self == template:
            raise OSError(errno.EIO, "Input/output error")
        return real(self)
    monkeypatch.setattr(Path, "read_bytes", unreadable)
    assert main(["template-check", str(template)]) == 2
    assert main([str(SAMPLES / "liwan-2023.json"), "--template", str(template),
                 "-o", str(tmp_path / "o.docx")]) == 2
    err = capsys.readouterr().err
    assert err.count("磁盘读写出错") == 2 and "Input/output" not in err
