"""Adopt a department's own last report: it becomes its template and its data.

``adopt(path)`` gives an :class:`Adoption` (template bytes, data, summary); ``write``
puts the template and the data beside each other and checks them by rendering again.
The steps, one module each: :mod:`.source` opens the .docx (untrusted input),
:mod:`.cleaning` drops comments and revision records, :mod:`.outline` reads title and
headings (full-width digits read as ASCII, :mod:`.numerals`), :mod:`.sections` maps sections to the model's
fields, :mod:`.identity` reads department and year from the title, :mod:`.printed` finds the
figures, :mod:`.binding` binds them to the data (:mod:`.tables` those of table cells, by value),
:mod:`.content` splits section prose into the model's items, :mod:`.grading` reads the
stated grade, :mod:`.indicator_table` a table of 绩效指标 (into ``indicators``, looped in the
template), :mod:`.total` the stated total score (printed as the indicators compute it),
:mod:`.compose` decides paragraph by paragraph what stays template and what moves to data, :mod:`.template` writes the template,
:mod:`.summary` says what was done. Nothing here keeps state between calls.
"""
from __future__ import annotations

import difflib
import io
import os
import re
import tempfile
import unicodedata
import zipfile
from pathlib import Path
from typing import Any, NamedTuple
from xml.etree import ElementTree

from reportgen.loading.dumping import dumps
from reportgen.adopt import summary as summarise, total
from reportgen.adopt.binding import bind
from reportgen.adopt.cleaning import clean, notes as cleaning_notes
from reportgen.adopt.compose import compose
from reportgen.adopt.grading import indicator_note, read_grade
from reportgen.adopt.indicator_table import Found, find as find_indicator_tables
from reportgen.adopt.identity import identify, tag_names_and_years
from reportgen.adopt.numerals import full_width_numbers, half_width
from reportgen.adopt.outline import read_outline
from reportgen.adopt.sections import place
from reportgen.adopt.source import AdoptError, open_report
from reportgen.adopt.tables import bind_cells, cells
from reportgen.adopt.template import element_text, has_field, paragraph_elements, pieces, write_template

__all__ = ["AdoptError", "Adoption", "adopt", "document_text", "similarity", "write"]

_PRECISION = {"budget.execution_rate": "execution_rate", "scope.share": "share", "budget.yoy_change": "yoy_change"}
_ORDER = ("kind", "template", "year", "attachment", "department", "budget", "scope", "work", "performance_goal",
          "performance_management", "grade", "conclusion", "analysis", "indicators", "projects", "special_funds", "results", "problems",
          "measures", "prose", "figures", "settings")


class Adoption(NamedTuple):
    """What adopting one report gives: the template (.docx bytes), the data (plain
    dict, Decimals for figures) and the summary (plain dict, see :mod:`.summary`)."""

    template: bytes
    data: dict[str, Any]
    summary: dict[str, Any]


def _settings(bindings, grouping: bool) -> dict:
    settings: dict[str, Any] = {} if grouping else {"digit_grouping": False}
    for b in bindings.bound:
        name = _PRECISION.get(b.path) or ("project_execution_rate" if b.path.startswith("projects[") else
                                          "special_fund_execution_rate" if b.path.startswith("special_funds[") else None)
        if b.kind == "derived" and name and b.printed.places != 2:
            settings.setdefault("precision", {}).setdefault(name, b.printed.places)
    return settings


def _full_width_note(elements: list) -> list[str]:
    count = sum(full_width_numbers(element_text(e)) for e in elements)
    return [f"报告中有{count}处数字用全角书写（如“２０２３”），已按数值读入；模板和数据中改为半角，"
            "生成的报告按半角印出"] if count else []


def _keep_fields(ops: dict, others: dict, elements: list, who) -> None:
    """A paragraph outside the body holding a field (a page number) is tagged text
    element by text element, so that the field keeps its place between them."""
    for i, op in ops.items():
        if op[0] == "text" and i in others and has_field(elements[i]):
            ops[i] = ("pieces", [tag_names_and_years(t, 0, len(t), who) for t in map(half_width, pieces(elements[i]))])


def _tell(report: dict, ops: dict, notes: list[str]) -> None:
    """The summary's notes and its count of the name and year tags the template prints."""
    written = "".join(op[1] if op[0] == "text" else "".join(op[1]) for op in ops.values() if op[0] in ("text", "pieces"))
    report["notes"] = report["notes"] + notes
    shown = {tag: tag for tag in ("{{ year }}", "{{ year - 1 }}", "{{ department.full_name }}",
                                  "{{ department.region }}", "{{ department.name }}")}
    shown.update({"{{ year }}（中文数字）": "{{ year|cn_year", "{{ year - 1 }}（中文数字）": "{{ (year - 1)|cn_year"})
    report["names_and_years"] = {name: written.count(tag) for name, tag in shown.items() if tag in written}
    if "|cn_year" in written:
        report["notes"].append("报告用中文数字写年度（如“二〇二三年”）：模板中这些年度用 cn_year 印成中文数字，"
                               "明年仍写作“二〇二四年”的样子；数据中的 year 是数字")


def _indicator_tables(document) -> tuple[list[Found], list[str]]:
    """The one table of 绩效指标 read whole (or none), and what the summary says of each
    such table. Two read whole are both left as text: which one is the department's own
    is not for adopt to guess, and one loop cannot print both."""
    found = find_indicator_tables(document)
    notes, read = [], [f for f in found if f.indicators]
    for f in found:
        if not f.indicators:
            notes.append(f"正文表格{f.number}是绩效指标表，但有读不了的行或栏目（" + "；".join(f.notes)
                         + "）：整个表格作为文字保留在模板中，没有读入数据的 indicators，"
                         "reportgen check 因此不能按得分核对自评等级")
    if len(read) > 1:
        notes.append("报告中有" + "、".join(f"正文表格{f.number}" for f in read) + "几个绩效指标表，分不出哪个是部门整体的："
                     "都作为文字保留在模板中，没有读入数据的 indicators；请把部门整体的绩效指标填入数据")
        return [], notes
    return read, notes + [n for f in read for n in f.notes]


def _looped(place: str, read: list[Found]) -> bool:
    """Whether the table cell at ``place`` (“表1第2行第3列”) is in a row the template loops."""
    m = re.match(r"表(\d+)第(\d+)行第(\d+)列", place)
    return bool(m) and any(int(m.group(1)) == f.number and (int(m.group(2)) - 1 in f.rows or
                                                           (int(m.group(2)), int(m.group(3))) in f.footer) for f in read)


def _sum_ops(ops: dict, table_cells: list, read: list[Found]) -> None:
    """The cells of a 总分 row below the indicators that print their sums get those tags."""
    for c in table_cells:
        m = re.match(r"表(\d+)第(\d+)行第(\d+)列", c.place)
        for f in read:
            if int(m.group(1)) == f.number and (int(m.group(2)), int(m.group(3))) in f.footer:
                ops[c.index] = ("text", f.footer[int(m.group(2)), int(m.group(3))])


def _data(plan, who, grade, read: list[Found], settings: dict) -> dict[str, Any]:
    """The adopted data, keys in the order a clerk reads them."""
    data = dict(plan.data, kind="self-evaluation", year=who.year, **({"grade": grade} if grade else {}))
    data["department"] = dict(region=who.region, name=who.name, **data.get("department", {}))
    data["budget"].setdefault("expenditure", {})
    if read:
        data["indicators"] = read[0].indicators
    if settings:
        data["settings"] = settings
    return {key: data[key] for key in _ORDER if key in data}


def _all_settings(bindings, grouping: bool, read: list[Found]) -> dict:
    """The settings the figures printed need, and those of the table of indicators read."""
    settings = _settings(bindings, grouping)
    for key, value in (read[0].settings if read else {}).items():
        settings.setdefault(key, {}).update(value)
    return settings


def adopt(path: str | Path) -> Adoption:
    """Adopt the 部门整体支出绩效自评报告 at ``path`` (.docx).

    Raises :class:`AdoptError` (Chinese) for a file that is not a readable .docx, or a
    document that is not such a report (no title naming a 自评报告, no 一、 heading, no
    year or department in the title, no 全年预算数).
    """
    path = Path(path)
    document, _ = open_report(path)
    cleaned = clean(document)
    blocks = read_outline(document, path.name)
    who = identify("".join(b.text for b in blocks if b.role == "title"))
    placed = place(blocks)
    paragraphs = [(p.block.index, p.block.text) for p in placed]
    bindings = bind(paragraphs)
    grouping = bindings.grouping
    if "budget.annual_budget" not in bindings.values:
        raise AdoptError(f"{path.name} 中找不到“全年预算数”（或“年度预算数”）及其金额（万元）：部门整体支出绩效自评报告"
                         "应写明全年预算数和执行数")
    read, table_notes = _indicator_tables(document)
    table_cells = [c for c in cells(document, len(document.paragraphs)) if not _looped(c.place, read)]
    in_tables, left = bind_cells(table_cells, bindings, grouping)
    bindings = bindings._replace(bound=bindings.bound + in_tables, plain=bindings.plain + left)
    settings = _all_settings(bindings, grouping, read)
    bindings, total_notes = total.bind(total.stated(paragraphs), bindings, read[0].indicators if read else None,
                                       settings, who.year)
    elements = paragraph_elements(document)
    others = {i: half_width(element_text(e)) for i, e in enumerate(elements) if i >= len(document.paragraphs)}
    stated = read_grade(paragraphs)
    plan = compose(blocks, placed, bindings, who, {**others, **{c.index: c.text for c in table_cells}}, stated.spans)
    _keep_fields(plan.ops, others, elements, who)
    _sum_ops(plan.ops, cells(document, len(document.paragraphs)), read)
    data = _data(plan, who, stated.grade, read, settings)
    report = summarise.build(path.name, who, blocks, placed, plan.places, bindings,
                             {c.index: (c.place, c.text) for c in table_cells})
    _tell(report, plan.ops, stated.notes + total_notes + table_notes + indicator_note(paragraphs)
          + cleaning_notes(cleaned) + _full_width_note(elements))
    return Adoption(write_template(document, plan.ops, [(f.table, f.rows, f.item) for f in read]), data, report)


def document_text(docx: bytes) -> str:
    """The body text of .docx bytes (``word/document.xml``: no header or footer, so no
    page number), NFKC-normalised, without white space: what ``seedsim`` compares."""
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        root = ElementTree.fromstring(package.read("word/document.xml"))
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", element_text(root)))


def similarity(a: str, b: str) -> float:
    """difflib's ratio of two texts (1.0: identical)."""
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def write(adoption: Adoption, source: str | Path, out_dir: str | Path) -> dict[str, Any]:
    """Write ``<stem>-模板.docx`` and ``<stem>.json`` into ``out_dir`` and return the
    summary with ``template``, ``data`` and ``verification`` filled in.

    Before either file takes its place, the data is rendered through the template and
    the text compared with the source (``similarity``, 1.0 when nothing was lost) and
    ``template-check`` is run on the template (``template_problems``); a failure leaves
    no file behind (ReportgenError from rendering, OSError from the file system).
    """
    import reportgen
    from reportgen.template_check import check_template

    source, out_dir = Path(source), Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    names = {"template": f"{source.stem}-模板.docx", "data": f"{source.stem}.json"}
    data = dict(adoption.data, template=names["template"])
    data = {key: data[key] for key in _ORDER if key in data}
    with tempfile.TemporaryDirectory(dir=out_dir, prefix=".adopt-") as work:
        staged = {key: Path(work) / name for key, name in names.items()}
        staged["template"].write_bytes(adoption.template)
        staged["data"].write_text(dumps(data), encoding="utf-8")
        rendered = reportgen.render_bytes(reportgen.load(staged["data"]))
        score = similarity(document_text(source.read_bytes()), document_text(rendered))
        problems = check_template(staged["template"], "self-evaluation").problems
        for key, name in names.items():
            os.replace(staged[key], out_dir / name)
    return dict(adoption.summary, template=str(out_dir / names["template"]), data=str(out_dir / names["data"]),
                verification={"similarity": round(score, 4), "template_problems": len(problems),
                              "problems": [str(p) for p in problems]})
