"""A Word template as its clerk sees it: each paragraph's text, its place, and its tags.

:func:`read_template` reads every part docxtpl renders (body with its tables, headers,
footers, footnotes, endnotes, document properties) into :class:`Paragraph` records
that say where they are in words a clerk can follow ("正文表格1第2行第3列").
:func:`lex` finds the ``{{ }}``, ``{% %}`` and ``{# #}`` tags in a paragraph's text,
and the slips that keep a tag from being read at all. :func:`locate` finds the
paragraph a rendering error came from.
"""
from __future__ import annotations

import difflib
import io
import re
import zipfile
from typing import Any, NamedTuple, Optional

from attrs import field, frozen
from lxml import etree

from reportgen.errors import TemplateError

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml."
_PART_TYPES = {_WML + "document.main+xml": "正文", _WML + "header+xml": "页眉",
               _WML + "footer+xml": "页脚", _WML + "footnotes+xml": "脚注",
               _WML + "endnotes+xml": "尾注"}
_CORE = "application/vnd.openxmlformats-package.core-properties+xml"
#: core property element (local name) → its name in Word's 文档属性; those docxtpl renders.
_PROPERTIES = {"title": "标题", "subject": "主题", "creator": "作者", "description": "备注",
               "identifier": "标识", "language": "语言"}
# Not read as the clerk's text: deleted revisions, field codes, formatting, nested
# paragraphs (they are paragraphs of their own) and the fallback copy of a text box.
_SKIP = {W + "del", W + "moveFrom", W + "instrText", W + "delText", W + "p", W + "pPr",
         W + "rPr", _MC_FALLBACK}
_HIDDEN_TEXT = (W + "delText", W + "instrText")

#: straightened by docxtpl (the first four) or never typed on purpose in a tag.
CURLY_QUOTES = {"“": '"', "”": '"', "„": '"', "‟": '"', "〝": '"', "〞": '"', "＂": '"',
                "‘": "'", "’": "'", "‚": "'", "‛": "'", "＇": "'"}
_STRAIGHTEN = str.maketrans(CURLY_QUOTES)


@frozen
class Paragraph:
    """One paragraph (or one document property) of a template, with its place."""

    part: str  # as Word names it: 正文, 页眉, 偶数页页脚, 脚注, 文档属性（标题）
    partname: str  # zip entry, e.g. word/document.xml
    index: int  # 1-based, among all the part's paragraphs (table cells too): document order
    table: Optional[int]  # 1-based table of the part, None outside tables
    row: Optional[int]
    column: Optional[int]
    text: str  # what the clerk sees; a tab is "\t", a line break "\n"
    pieces: tuple = field(default=(), eq=False, repr=False)  # (start, end, element)
    hidden: str = field(default="", repr=False)  # deleted text and field codes
    # 1-based as the clerk counts: among the part's paragraphs outside tables, or in its cell.
    number: int = field(default=0, eq=False)

    def place(self) -> str:
        """Where the paragraph is, e.g. 正文第12段, 正文表格1第2行第3列."""
        if self.table is not None:
            return f"{self.part}表格{self.table}第{self.row}行第{self.column}列"
        if self.partname.startswith("docProps/"):
            return self.part
        return f"{self.part}第{self.number or self.index}段"

    def excerpt(self, start: int = 0, end: Optional[int] = None, width: int = 20) -> str:
        """The text around ``start:end`` (the whole paragraph, if short), in 「」."""
        end = len(self.text) if end is None else end
        before = max(0, start - width)
        after = min(len(self.text), end + width)
        text = ("…" if before else "") + self.text[before:after] + ("…" if after < len(self.text) else "")
        return "「" + text.replace("\n", "↵").replace("\t", "→") + "」"


class Tag(NamedTuple):
    """A tag as written in a paragraph."""

    paragraph: Paragraph
    start: int
    end: int
    delim: str  # "{{", "{%" or "{#"
    level: str  # docxtpl's "p", "tr", "tc", "r" prefix, or ""
    inner: str  # between the delimiters, without prefix and "-", quotes straightened

    @property
    def raw(self) -> str:
        return self.paragraph.text[self.start:self.end]

    @property
    def keyword(self) -> str:
        match = re.match(r"\w+", self.inner) if self.delim == "{%" else None
        return match.group() if match else ""

    def where(self) -> str:
        return self.paragraph.place() + self.paragraph.excerpt(self.start, self.end)


class Slip(NamedTuple):
    """A stretch of text that should be a tag but cannot be read as one."""

    paragraph: Paragraph
    start: int
    end: int
    message: str


class Part(NamedTuple):
    """One rendered part: its label, zip entry, XML text and paragraphs."""

    label: str
    name: str
    xml: str
    paragraphs: list[Paragraph]


# ---- reading ----------------------------------------------------------------------------


def _walk(element):
    """(text, element) of what a reader sees in ``element``, in reading order."""
    for child in element:
        tag = child.tag
        if tag in _SKIP:
            continue
        if tag == W + "t":
            yield child.text or "", child
        elif tag in (W + "tab", W + "ptab"):
            yield "\t", child
        elif tag in (W + "br", W + "cr"):
            yield "\n", child
        else:
            yield from _walk(child)


def _nearest(element, tag: str):
    return next(element.iterancestors(tag), None)


def _cell(p) -> tuple[Any, Any, Any]:
    """The innermost (table, row, cell) holding paragraph ``p``, or Nones."""
    cell = _nearest(p, W + "tc")
    if cell is None:
        return None, None, None
    row = _nearest(cell, W + "tr")
    return _nearest(row, W + "tbl"), row, cell


def _index(parent, child, tag: str, level: str) -> int:
    """1-based position of ``child`` among the ``tag`` elements whose nearest
    ``level`` ancestor is ``parent`` (rows may sit inside content controls)."""
    own = [e for e in parent.iter(tag) if _nearest(e, level) is parent]
    return own.index(child) + 1


def _paragraphs(root, label: str, name: str) -> list[Paragraph]:
    tables = list(root.iter(W + "tbl"))  # kept alive: lxml proxies are identical only then
    out = []
    # A text box's fallback copy repeats its paragraphs; the clerk sees and edits one.
    shown = [p for p in root.iter(W + "p") if _nearest(p, _MC_FALLBACK) is None]
    counts: dict = {}  # the cell (None: outside tables) → paragraphs counted in it so far
    for index, p in enumerate(shown, start=1):
        pieces, text = [], ""
        for piece, element in _walk(p):
            pieces.append((len(text), len(text) + len(piece), element))
            text += piece
        hidden = "".join(e.text or "" for e in p.iter(*_HIDDEN_TEXT))
        table, row, cell = _cell(p)
        place = (None, None, None)
        if table is not None:
            place = (tables.index(table) + 1, _index(table, row, W + "tr", W + "tbl"),
                     _index(row, cell, W + "tc", W + "tr"))
        counts[cell] = number = counts.get(cell, 0) + 1
        out.append(Paragraph(label, name, index, *place, text, tuple(pieces), hidden, number))
    return out


def _header_labels(package: zipfile.ZipFile, document: str) -> dict[str, str]:
    """Header/footer entry → 页眉, 首页页脚, 第2节偶数页页眉 …, from the sections."""
    folder, _, base = document.rpartition("/")
    rels = etree.fromstring(package.read(f"{folder}/_rels/{base}.rels"))
    targets = {r.get("Id"): r.get("Target").lstrip("/") if r.get("Target", "").startswith("/")
               else f"{folder}/{r.get('Target')}" for r in rels}
    body = etree.fromstring(package.read(document))
    sections = list(body.iter(W + "sectPr"))
    labels: dict[str, str] = {}
    for number, section in enumerate(sections, start=1):
        prefix = f"第{number}节" if len(sections) > 1 else ""
        for ref in section:
            kind = {W + "headerReference": "页眉", W + "footerReference": "页脚"}.get(ref.tag)
            if kind:
                which = {"first": "首页", "even": "偶数页"}.get(ref.get(W + "type"), "")
                labels.setdefault(targets.get(ref.get(_R + "id"), ""), prefix + which + kind)
    return labels


def _properties(root, name: str) -> list[Paragraph]:
    out = []
    for element in root:
        label = _PROPERTIES.get(etree.QName(element).localname)
        if label and element.text:
            out.append(Paragraph(f"文档属性（{label}）", name, len(out) + 1, None, None, None,
                                 element.text))
    return out


def _content_types(package: zipfile.ZipFile) -> dict[str, str]:
    types = etree.fromstring(package.read("[Content_Types].xml"))
    return {o.get("PartName").lstrip("/"): o.get("ContentType") for o in types.iter(_CT + "Override")}


def _read_parts(package: zipfile.ZipFile) -> list[Part]:
    types = _content_types(package)
    document = next(n for n, t in types.items() if t == _WML + "document.main+xml")
    labels = _header_labels(package, document)
    rank = {t: n for n, t in enumerate([*_PART_TYPES, _CORE])}
    parts = []
    for name, ctype in sorted(types.items(), key=lambda item: (rank.get(item[1], 99), item[0])):
        if ctype in _PART_TYPES and name in package.namelist():
            xml = package.read(name).decode("utf-8")
            label = labels.get(name) or _PART_TYPES[ctype]
            parts.append(Part(label, name, xml, _paragraphs(etree.fromstring(xml.encode()), label, name)))
        elif ctype == _CORE and name in package.namelist():
            parts.append(Part("文档属性", name, "", _properties(etree.fromstring(package.read(name)), name)))
    return parts


def read_template(data: bytes, source: str = "模板") -> list[Part]:
    """Every part of a .docx that docxtpl renders, in the order Word shows them."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            return _read_parts(package)
    except (zipfile.BadZipFile, KeyError, StopIteration, etree.XMLSyntaxError, UnicodeDecodeError,
            ValueError) as exc:
        raise TemplateError(f"{source}不是有效的Word文档（.docx）（{exc}）") from None


# ---- tags -------------------------------------------------------------------------------

_OPEN = re.compile(r"\{[{%#]")
_CLOSE = {"{{": "}}", "{%": "%}", "{#": "#}"}
_STRAY = re.compile(r"%\}|\}\}|#\}")
_LEVEL = re.compile(r"(tr|tc|p|r) ")
_SPACED_LEVEL = re.compile(r"\s+(tr|tc|p|r)\s+(?=(?:if|elif|else|endif|for|endfor)\b)")
# A delimiter typed with a full-width half (｛％) or with a space inside it ({ %).
_MISTYPED = re.compile(r"[{｛][｛％＃]|｛[{%#]|[％＃｝]｝|[%#}]｝|％}|＃}|\{ +[{%]|[%}] +\}")
_HALF = str.maketrans("｛｝％＃", "{}%#", " ")


def _tag(paragraph: Paragraph, start: int, end: int) -> Tag:
    delim = paragraph.text[start:start + 2]
    body = paragraph.text[start + 2:end - 2]
    level = ""
    # "{% p if %}" is a mistyped "{%p if %}"; read it as meant and let the checks say so.
    match = _LEVEL.match(body) or (delim == "{%" and _SPACED_LEVEL.match(body))
    if match and delim != "{#":
        level, body = match.group(1), body[match.end():]
    # "{%-", "-%}", "{{+" … control white space; a "+" or "-" apart from them is the tag's own.
    inner = re.sub(r"^[-+]|[-+]$", "", body).strip().translate(_STRAIGHTEN)
    return Tag(paragraph, start, end, delim, level, inner)


def _stray(paragraph: Paragraph, start: int, end: int, mistyped: list[int]) -> list[Slip]:
    out = []
    for match in _STRAY.finditer(paragraph.text, start, end):
        if any(start <= m < match.start() for m in mistyped):
            continue  # the closer of a mistyped opener, already reported
        opener = {"%}": "{%", "}}": "{{", "#}": "{#"}[match.group()]
        out.append(Slip(paragraph, match.start(), match.end(),
                        f"多余的 “{match.group()}”：前面没有对应的 “{opener}”（标签不能跨段落）"))
    return out


def lex(paragraph: Paragraph) -> tuple[list[Tag], list[Slip]]:
    """The tags in ``paragraph`` and the slips that are neither text nor a readable tag."""
    text, tags, slips, pos = paragraph.text, [], [], 0
    mistyped = [m.start() for m in _MISTYPED.finditer(text)]
    for match in _MISTYPED.finditer(text):
        fixed = match.group().translate(_HALF)
        what = "全角符号" if fixed != match.group().replace(" ", "") else "空格"
        slips.append(Slip(paragraph, match.start(), match.end(),
                          f"标签符号 “{match.group()}” 中有{what}，应写作半角的 “{fixed}”"))
    while True:
        match = _OPEN.search(text, pos)
        slips += _stray(paragraph, pos, match.start() if match else len(text), mistyped)
        if not match:
            break
        closer = _CLOSE[match.group()]
        end = text.find(closer, match.end())
        following = _OPEN.search(text, match.end())
        if end < 0 or (following and following.start() < end and match.group() != "{#"):
            slips.append(Slip(paragraph, match.start(), match.end(),
                              f"标签没有结束：“{match.group()}” 之后缺少 “{closer}”（标签必须写在同一段内）"))
            pos = match.end()
            continue
        tags.append(_tag(paragraph, match.start(), end + 2))
        pos = end + 2
    return tags, slips


# ---- locating a rendering error ---------------------------------------------------------


def _tight(text: str) -> str:
    """``text`` without the spaces around symbols: ``a | money`` → ``a|money``."""
    return re.sub(r"\s*([^\w\s])\s*", r"\1", " ".join(text.split()))


def mentions(inner: str, name: str) -> bool:
    """True when a tag's ``inner`` text holds ``name``, a name (``nmae``) or an
    expression (``budget.execution_rate|percent``), spaces around symbols aside.

    >>> mentions("budget.execution_rate | percent(1)", "budget.execution_rate|percent")
    True
    >>> mentions("p.nmae|money", "nmae"), mentions("p.name|money", "nam")
    (True, False)
    """
    return re.search(rf"(?<!\w){re.escape(_tight(name))}(?!\w)", _tight(inner)) is not None


def locate(data: bytes, partname: str, name: Optional[str], line: str) -> Optional[str]:
    """Where, in words, the template ``data`` has the tag a rendering error came from:
    a tag in part ``partname`` that names ``name`` (a name, or a filter expression as
    written), in the paragraph most like ``line`` (the text of the Jinja source line
    that failed)."""
    try:
        parts = read_template(data)
    except TemplateError:
        return None
    best, score = None, 0.0
    for part in parts:
        if part.name != partname:
            continue
        for paragraph in part.paragraphs:
            for tag in lex(paragraph)[0]:
                if name is not None and not mentions(tag.inner, name):
                    continue
                ratio = difflib.SequenceMatcher(None, paragraph.text, line).ratio() + 1e-6
                if ratio > score:
                    best, score = tag, ratio
    return best.where() if best else None
