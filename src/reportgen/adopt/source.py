"""Open a department's own report (.docx) for adoption, refusing what is not one.

The file comes from a clerk's folder and is untrusted: it is checked to be a Word 2007+
package (a zip with ``word/document.xml``) of sane size before python-docx reads it. A
.doc, a .wps, an encrypted .docx (both are OLE compound files), an RTF or a PDF (named
as :mod:`reportgen.docx.formats` names them), an empty file, a zip that is not a Word
document, or one with too many parts or parts that really inflate past the renderer's
limits (:func:`reportgen.docx.package.refuse_oversized`) is refused with
:class:`AdoptError` in Chinese.
"""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
from docx.opc.constants import CONTENT_TYPE as CT
from docx.oxml.ns import qn
from docx.document import Document

from reportgen.docx.formats import SAVE_AS, _what as what_file
from reportgen.docx.package import refuse_oversized
from reportgen.errors import ReportgenError, TemplateError

#: the largest report file read (bytes): a published report is well under 10 MB.
MAX_FILE = 50 * 1024 * 1024


class AdoptError(ReportgenError, ValueError):
    """A report that cannot be adopted; the message is the clerk's, in Chinese."""


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise AdoptError(f"找不到报告文件：{path}") from None
    if path.is_dir():
        raise AdoptError(f"{path} 是文件夹，不是报告文件（.docx）")
    if size == 0:
        raise AdoptError(f"报告文件 {path.name} 是空文件")
    if size > MAX_FILE:
        raise AdoptError(f"报告文件 {path.name} 有 {size // 1024 // 1024} MB，超过 {MAX_FILE // 1024 // 1024} MB 的上限："
                         "请确认这是一份自评报告")
    return path.read_bytes()


def _not_a_package(data: bytes, name: str) -> AdoptError:
    """Why ``data``, which no zip reader opens, is no .docx: what its first bytes say it
    is (an old .doc or .wps is also what an encrypted .docx looks like), a broken zip,
    or nothing Word wrote."""
    what = what_file(data)
    if what.startswith("旧版"):
        return AdoptError(f"{name} 是{what}或加密的 .docx：请在 Word 或 WPS 中取消密码后"
                          "“另存为” Word 文档（.docx）再试")
    if what != "不是 Word 文档":
        return AdoptError(f"{name} 是{what}，不是 Word 文档（.docx）：{SAVE_AS}")
    if data.startswith(b"PK"):
        return AdoptError(f"{name} 已损坏，无法作为 Word 文档（.docx）打开")
    return AdoptError(f"{name} 不是 Word 文档（.docx）：请在 Word 或 WPS 中“另存为” .docx 再试")


def _check_package(data: bytes, name: str) -> None:
    try:
        refuse_oversized(data, f"报告 {name}")
    except TemplateError as exc:
        raise AdoptError(str(exc)) from None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = set(package.namelist())
    except zipfile.BadZipFile:
        raise _not_a_package(data, name) from None
    if "word/document.xml" not in names:
        raise AdoptError(f"{name} 是压缩包，但不是 Word 文档（.docx）：其中没有正文部分 word/document.xml")


def open_report(path: str | Path) -> tuple[Document, bytes]:
    """The python-docx document of the report at ``path`` and the file's bytes.

    Raises :class:`AdoptError` for a missing, empty, oversized, old-format, encrypted
    or damaged file, or one that is not a Word document.
    """
    path = Path(path)
    data = _read_bytes(path)
    _check_package(data, path.name)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds for a damaged package
        raise AdoptError(f"{path.name} 无法作为 Word 文档读取（{type(exc).__name__}）：请在 Word 中打开后另存为 .docx 再试") from None
    _refuse_revisions(document, path.name)
    return document, data


#: tracked changes: text inserted, deleted or moved while 修订 was on.
_REVISIONS = tuple(qn(f"w:{tag}") for tag in ("ins", "del", "moveFrom", "moveTo"))


_STORIES = frozenset({CT.WML_DOCUMENT_MAIN, CT.WML_HEADER, CT.WML_FOOTER, CT.WML_FOOTNOTES, CT.WML_ENDNOTES})


def _refuse_revisions(document: Document, name: str) -> None:
    """A report with tracked changes holds two texts; which one is the report is the
    clerk's call, made in Word (审阅 → 接受所有修订), not guessed here. The body, headers,
    footers and notes are looked at; comments are not the report (they are dropped)."""
    roots = [part.element for part in document.part.package.iter_parts() if part.content_type in _STORIES]
    if any(True for root in roots for _ in root.iter(*_REVISIONS)):
        raise AdoptError(f"{name} 中有未处理的修订（修订模式下的插入或删除）：请在 Word 或 WPS 中打开，"
                         f"选择“审阅 → 接受所有修订”（或拒绝）并保存后再用")
