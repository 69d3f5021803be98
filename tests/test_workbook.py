"""Workbooks as data files: init, export, read back exactly, name bad cells."""
from __future__ import annotations

import io
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

import reportgen
from reportgen import kinds
from reportgen.cli import main
from reportgen.loading.dumping import dumps
from reportgen.workbook import layout, write
from reportgen.workbook.cells import number_of
from support import SAMPLES

SAMPLE_FILES = sorted(SAMPLES.glob("*.json"), key=lambda p: p.name)


def _export(sample: Path, tmp_path: Path) -> Path:
    out = tmp_path / (sample.stem + ".xlsx")
    assert main(["export", str(sample), "-o", str(out)]) == 0
    return out


@pytest.mark.parametrize("sample", SAMPLE_FILES, ids=lambda p: p.stem)
def test_export_to_xlsx_renders_byte_identical(sample, tmp_path):
    book = _export(sample, tmp_path)
    from_json, from_book = reportgen.load(sample), reportgen.load(book)
    assert from_book == from_json
    assert reportgen.render_bytes(from_book) == reportgen.render_bytes(from_json)


@pytest.mark.parametrize("sample", SAMPLE_FILES, ids=lambda p: p.stem)
def test_xlsx_to_json_to_xlsx_is_stable(sample, tmp_path):
    book = _export(sample, tmp_path)
    back = tmp_path / "back.json"
    again = tmp_path / "again.xlsx"
    assert main(["export", str(book), "-o", str(back)]) == 0
    assert main(["export", str(back), "-o", str(again)]) == 0
    assert again.read_bytes() == book.read_bytes()
    assert reportgen.load(back) == reportgen.load(sample)


def test_indicators_are_one_row_each_with_their_project_named(tmp_path):
    book = openpyxl.load_workbook(_export(SAMPLES / "liwan-2024-project-goals.json", tmp_path))
    sheet = book["绩效指标"]
    headers = [c.value for c in sheet[1]]
    assert headers[:3] == ["单位名称", "项目名称", "一级指标·名称"]
    model = reportgen.load(SAMPLES / "liwan-2024-project-goals.json")
    count = sum(len(p.indicators) for u in model.units for p in u.projects)
    assert sheet.max_row - 1 == count
    assert sheet["B2"].value == model.units[0].projects[0].name
    assert sheet["H2"].value == model.units[0].projects[0].indicators[0].target.text


def _bad_cell(tmp_path: Path, sheet: str, header: str, value) -> tuple[Path, str]:
    path = _export(SAMPLES / "liwan-2024-project-goals.json", tmp_path)
    book = openpyxl.load_workbook(path)
    ws = book[sheet]
    col = next(c.column_letter for c in ws[1] if c.value == header)
    ws[f"{col}3"] = value
    book.save(path)
    return path, f"{sheet}!{col}3（{header}）"


def test_text_where_a_number_belongs_names_sheet_cell_and_header(tmp_path, capsys):
    path, place = _bad_cell(tmp_path, "项目", "财政拨款", "约九成")
    out = tmp_path / "out.docx"
    assert main([str(path), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"{place}：应为数字，实际为“约九成”" in err
    assert "Traceback" not in err and not out.exists()


def test_every_bad_cell_is_listed_at_once(tmp_path):
    path = _export(SAMPLES / "liwan-2024-project-goals.json", tmp_path)
    book = openpyxl.load_workbook(path)
    book["项目"]["D2"] = "12045.86万元"
    book["绩效指标"]["U2"] = -3  # 分值 must not be negative: found by structuring, named by cell
    book["基本信息"]["B4"] = "二〇二四"
    book.save(path)
    with pytest.raises(reportgen.DataError) as caught:
        reportgen.load(path)
    shown = [str(p) for p in caught.value.problems]
    assert "项目!D2（财政拨款）：应为数字，实际为“12045.86万元”（单位已是万元，只填数字）" in shown
    assert any(s.startswith("绩效指标!U2（分值）：分值不能为负数") for s in shown), shown
    assert any(s.startswith("基本信息!B4（预算年度）") for s in shown), shown


def test_a_missing_required_cell_is_named(tmp_path):
    path, place = _bad_cell(tmp_path, "绩效指标", "三级指标名称", None)
    with pytest.raises(reportgen.DataError) as caught:
        reportgen.load(path)
    assert [str(p) for p in caught.value.problems] == [f"{place}：缺少必填字段"]


def test_a_number_typed_as_text_with_separators_is_read(tmp_path):
    path, _ = _bad_cell(tmp_path, "项目", "财政拨款", "12,045.86")
    model = reportgen.load(path)
    assert model.units[0].projects[1].fiscal_appropriation == Decimal("12045.86")


def test_an_indicator_whose_project_is_not_listed_is_refused(tmp_path):
    path, place = _bad_cell(tmp_path, "绩效指标", "项目名称", "不存在的项目")
    with pytest.raises(reportgen.DataError, match="找不到"):
        reportgen.load(path)


@pytest.mark.parametrize("value, fmt, exact", [
    (12045.86, "#,##0.00", "12045.86"), (116, "#,##0.00", "116.00"), (0.1 + 0.2, "General", "0.3"),
    (36628.61, "0.00", "36628.61"), (1.5, "#,##0.00", "1.50"), (0.123456, "0.00", "0.123456")])
def test_numeric_cells_read_as_the_decimal_they_show(value, fmt, exact):
    assert str(number_of(value, fmt)) == exact


@pytest.mark.parametrize("kind", kinds.names())
def test_init_writes_a_workbook_to_fill_in(kind, tmp_path):
    path = tmp_path / f"{kind}.xlsx"
    assert main(["init", kind, "-o", str(path)]) == 0
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[:2] == ["说明", "基本信息"]
    every = layout(kinds.get(kind).model)
    assert book.sheetnames[2:] == [s.name for s in every.sheets]
    for sheet in every.sheets:
        ws = book[sheet.name]
        assert [c.value for c in ws[1]] == sheet.headers
        assert all(c.comment is not None and c.comment.text for c in ws[1])
        assert ws.freeze_panes == "A2"
    assert main(["init", kind, "-o", str(path)]) == 2  # never replaced without --force


def test_fill_in_workbook_has_drop_downs_and_money_formats(tmp_path):
    data = write(layout(kinds.get("project-goals").model), "project-goals", "项目支出绩效目标表")
    book = openpyxl.load_workbook(io.BytesIO(data))
    lists = [v.formula1 for v in book["绩效指标"].data_validations.dataValidation]
    assert '"≥,>,≤,<,="' in lists and any("产出指标" in f for f in lists)
    assert book["项目"].column_dimensions["C"].number_format == "#,##0.00"


def test_writing_twice_gives_the_same_bytes():
    model = reportgen.load(SAMPLES / "liwan-2023.json")
    data = reportgen.to_dict(model)
    data.pop("kind")
    lay = layout(type(model))
    assert write(lay, "self-evaluation", "t", data) == write(lay, "self-evaluation", "t", data)


def test_spreadsheets_of_other_formats_are_refused_with_advice(tmp_path):
    path = tmp_path / "报告.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(reportgen.DataError, match="另存为 .xlsx"):
        reportgen.load(path)


def test_a_file_named_xlsx_that_is_no_workbook_is_refused(tmp_path):
    path = tmp_path / "报告.xlsx"
    path.write_text("{}", encoding="utf-8")
    with pytest.raises(reportgen.DataError, match="不是有效的 .xlsx 工作簿"):
        reportgen.load(path)


def test_batch_reads_a_folder_mixing_json_and_xlsx(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(SAMPLES / "haizhu-2023.json", src / "a.json")
    _export(SAMPLES / "liwan-2024-project-goals.json", tmp_path).rename(src / "b.xlsx")
    out = tmp_path / "out"
    assert main(["batch", str(src), "-o", str(out), "--jobs", "1"]) == 0
    assert sorted(p.name for p in out.glob("*.docx")) == ["a.docx", "b.docx"]


def _calc() -> bool:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        return False
    program = Path(soffice).resolve().parent
    return any(program.glob("libsclo.so")) or any(program.glob("libsc*lo.so"))


@pytest.mark.skipif(not _calc(), reason="LibreOffice Calc is not installed (apt-get install libreoffice-calc-nogui)")
def test_libreoffice_calc_opens_every_exported_workbook(tmp_path):
    books = [_export(s, tmp_path) for s in SAMPLE_FILES]
    empty = tmp_path / "empty.xlsx"
    assert main(["init", "self-evaluation", "-o", str(empty)]) == 0
    result = subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                             "--convert-to", "ods", "--outdir", str(tmp_path / "ods"), *map(str, books + [empty])],
                            capture_output=True, text=True, timeout=300)
    converted = sorted(p.stem for p in (tmp_path / "ods").glob("*.ods"))
    assert converted == sorted(p.stem for p in books + [empty]), result.stdout + result.stderr


def _everything() -> dict:
    """liwan-2023 with every kind of field the layout has: maps, lists in a cell, a
    target that its text does not say, an actual given as a bound, yes/no, choices."""
    data = reportgen.to_dict(reportgen.load(SAMPLES / "liwan-2023.json"))
    data["department"]["staffing"] = {"authorized": 12, "others": {"临聘人员": 3, "借调": 1}}
    data["settings"] = {"precision": {"execution_rate": 1, "score": 0}, "digit_grouping": False,
                        "weights": {"execution": Decimal("20"), "categories": {"产出指标": Decimal("40.5")}},
                        "allowed_years": [2021, 2022], "low_execution_threshold": 85}
    data["prose"] = {"budget_preparation": "=不是公式", "other": "第二段"}
    data["special_funds"] = [{"budget": Decimal("10.500"), "executed": 0, "problems": ["甲", "乙"]}]
    data["indicators"] = [
        {"level1": {"name": "效益指标", "code": "2"}, "level2": {"name": "经济效益"}, "name": "增长率",
         "target": {"text": "与上年持平", "comparator": ">=", "value": Decimal("0"), "unit": "%"},
         "actual": {"text": "超过1家", "value": Decimal("1"), "unit": "家", "comparator": ">"},
         "reverse": False, "band": "部分达成", "score": Decimal("3.5"), "weight": Decimal("10"),
         "tags": ["重点", "新增"]},
        {"level1": {"name": "产出指标"}, "level2": {"name": "数量指标", "code": "011"}, "name": "家数",
         "target": "≥90%", "period_target": {"text": "≥90%", "comparator": ">=", "value": Decimal("90.0"),
                                             "unit": "%"}, "actual": "95%"}]
    data["work"]["tasks"][0]["in_conclusion"] = "goal"
    return data


def test_every_kind_of_field_survives_the_workbook(tmp_path):
    model = reportgen.from_dict(_everything())
    data = reportgen.to_dict(model)
    data.pop("kind")
    path = tmp_path / "all.xlsx"
    path.write_bytes(write(layout(type(model)), "self-evaluation", "t", data))
    back = reportgen.load(path)
    assert back == model
    # digits too (Decimals compare by value): 10.500 stays 10.500
    assert dumps(reportgen.to_dict(back)) == dumps(reportgen.to_dict(model))
    book = openpyxl.load_workbook(path)
    assert book["其他文字段落"]["B2"].data_type == "s"  # text beginning with "=" is no formula
    assert book["绩效指标"]["D3"].value == "011"  # a code keeps its leading zero


def test_a_filled_in_workbook_loads(tmp_path):
    path = tmp_path / "new.xlsx"
    assert main(["init", "project-goals", "-o", str(path)]) == 0
    book = openpyxl.load_workbook(path)
    single = book["基本信息"]
    rows = {single.cell(r, 1).value: r for r in range(2, single.max_row + 1)}
    single.cell(rows["部门名称"], 2, "广州市荔湾区商务和投资促进局")
    single.cell(rows["预算年度"], 2, 2024)
    book["资金使用单位"].append(["本局"])
    book["项目"].append(["本局", "产业扶持资金", None, 116, None, None, "助力企业"])
    book["绩效指标"].append(["本局", "产业扶持资金", "产出指标", 1, "数量指标", 11, "组织企业参加商贸活动", "大于20家"])
    book["绩效指标"].append(["本局", "产业扶持资金", "满意度指标", "3", "服务对象满意度指标", "31", "满意度", "≥90%",
                         None, None, None, None, None, None, None, "92%"])
    book.save(path)
    model = reportgen.load(path)
    project = model.units[0].projects[0]
    assert (model.year, project.fiscal_appropriation, project.total) == (2024, Decimal("116.00"), None)
    first, second = project.indicators
    assert first.level2.code == "11" and first.target.comparator == ">" and first.target.value == 20
    assert second.actual.value == Decimal("92") and second.target.unit == "%"
    assert reportgen.render_bytes(model)[:2] == b"PK"


def test_a_column_or_row_left_out_is_named_once(tmp_path):
    path = _export(SAMPLES / "liwan-2024-project-goals.json", tmp_path)
    book = openpyxl.load_workbook(path)
    book["绩效指标"].delete_cols(7)  # 三级指标名称, required in every row
    book["基本信息"].delete_rows(4)  # 预算年度
    book["项目"]["Z1"] = "备注"
    book.save(path)
    with pytest.raises(reportgen.DataError) as caught:
        reportgen.load(path)
    assert [str(p) for p in caught.value.problems] == [
        "项目!Z1：未知的列“备注”", "基本信息（预算年度）：缺少必填字段", "工作表“绩效指标”的“三级指标名称”列：缺少必填字段"]


def test_a_percent_cell_is_read_as_it_shows(tmp_path):
    # Excel keeps "96.5%" as 0.965 formatted as a percent; pasted from a budget system's export.
    from openpyxl import load_workbook
    from reportgen.cli import main
    book = tmp_path / "clean.xlsx"
    assert main(["export", str(SAMPLES / "clean-2023.json"), "-o", str(book)]) == 0
    wb = load_workbook(book)
    ws = wb["项目支出·绩效指标"]
    headers = [c.value for c in ws[1]]
    actual = ws.cell(2, headers.index("实际完成值") + 1)
    actual.value, actual.number_format = 0.965, "0.0%"
    wb.save(book)
    model = reportgen.load(book)
    assert model.projects[0].indicators[0].actual.text == "96.5%"


def test_a_percent_cell_where_a_plain_number_belongs_is_refused_by_name(tmp_path, capsys):
    from openpyxl import load_workbook
    from reportgen.cli import main
    book = tmp_path / "clean.xlsx"
    assert main(["export", str(SAMPLES / "clean-2023.json"), "-o", str(book)]) == 0
    wb = load_workbook(book)
    ws = wb["基本信息"]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "部门整体收支·全年预算数")
    ws.cell(row, 2).value, ws.cell(row, 2).number_format = 0.5, "0%"
    wb.save(book)
    capsys.readouterr()
    assert main([str(book), "-o", str(tmp_path / "o.docx")]) == 2
    err = capsys.readouterr().err
    assert f"基本信息!B{row}（部门整体收支·全年预算数）：单元格是百分比格式（显示为50%）" in err


# ---- workbooks as clerks shape them: merged owner cells, a title above the headers ------------


def _merge_runs(ws, header: str, top: int = 1) -> None:
    """Merge each run of equal values down ``header``'s column, as clerks (and budget-system
    exports) show one 单位名称 over its rows."""
    col = next(c.column for c in ws[top] if c.value == header)
    row = top + 1
    while row <= ws.max_row:
        last = row
        while last < ws.max_row and ws.cell(last + 1, col).value == ws.cell(row, col).value:
            last += 1
        if last > row:
            ws.merge_cells(start_row=row, start_column=col, end_row=last, end_column=col)
        row = last + 1


def test_cells_merged_down_read_as_the_same_for_each_row(tmp_path):
    sample = SAMPLES / "liwan-2024-project-goals.json"
    path = _export(sample, tmp_path)
    book = openpyxl.load_workbook(path)
    for header in ("单位名称", "项目名称", "一级指标·名称"):
        _merge_runs(book["绩效指标"], header)
    _merge_runs(book["项目"], "单位名称")
    book["绩效指标"].merge_cells(f"A{book['绩效指标'].max_row}:A{book['绩效指标'].max_row + 3}")  # past the last row
    book.save(path)
    assert openpyxl.load_workbook(path)["绩效指标"]["A3"].value is None  # as Excel keeps it
    assert reportgen.load(path) == reportgen.load(sample)


def test_a_title_row_above_the_headers_is_passed_over(tmp_path):
    sample = SAMPLES / "liwan-2024-project-goals.json"
    path = _export(sample, tmp_path)
    book = openpyxl.load_workbook(path)
    for name in ("绩效指标", "基本信息"):
        ws = book[name]
        ws.insert_rows(1, 2)
        ws["A1"] = f"2024年项目支出绩效目标表（{name}）"
        ws.merge_cells("A1:F1")
    _merge_runs(book["绩效指标"], "项目名称", top=3)
    book.save(path)
    assert reportgen.load(path) == reportgen.load(sample)


def test_an_amount_merged_down_is_named_once(tmp_path):
    path = _export(SAMPLES / "liwan-2024-project-goals.json", tmp_path)
    book = openpyxl.load_workbook(path)
    ws = book["绩效指标"]
    letter = next(c.column_letter for c in ws[1] if c.value == "分值")
    ws.merge_cells(f"{letter}2:{letter}5")
    book.save(path)
    with pytest.raises(reportgen.DataError) as caught:
        reportgen.load(path)
    assert [str(p) for p in caught.value.problems] == [
        f"绩效指标!{letter}2:{letter}5（分值）：数值单元格不能跨行合并：请取消合并，每行填写各自的数值"]


def test_an_unknown_name_merged_down_is_named_once(tmp_path):
    path = _export(SAMPLES / "liwan-2024-project-goals.json", tmp_path)
    book = openpyxl.load_workbook(path)
    ws = book["绩效指标"]
    _merge_runs(ws, "单位名称")
    _merge_runs(ws, "项目名称")
    first = next(m for m in ws.merged_cells.ranges if m.min_col == 2)
    ws.cell(first.min_row, 2).value = "不存在的项目"
    book.save(path)
    with pytest.raises(reportgen.DataError) as caught:
        reportgen.load(path)
    assert [str(p) for p in caught.value.problems] == [
        f"绩效指标!A{first.min_row}（单位名称）：在工作表“项目”中找不到“{ws['A2'].value}·不存在的项目”，所属名称应与该表中的写法完全一致"]


def test_a_map_sheet_names_the_cell_of_its_names_wherever_that_column_is(tmp_path):
    path = _export(SAMPLES / "tianhe-2023.json", tmp_path)
    book = openpyxl.load_workbook(path)
    ws = book["其他文字段落"]
    ws.insert_cols(1)  # 名称 moves to column B
    assert ws["B1"].value == "名称"
    ws["B3"] = ws["B2"].value
    ws["B4"] = None
    book.save(path)
    with pytest.raises(reportgen.DataError) as caught:
        reportgen.load(path)
    shown = [str(p) for p in caught.value.problems]
    assert f"其他文字段落!B3（名称）：名称“{ws['B2'].value}”写了两次" in shown
    assert "其他文字段落!B4（名称）：缺少名称" in shown


def test_a_row_whose_parent_is_unknown_names_the_cell_of_its_parent_wherever_that_column_is(tmp_path):
    path = _export(SAMPLES / "liwan-2024-project-goals.json", tmp_path)
    book = openpyxl.load_workbook(path)
    ws = book["绩效指标"]
    ws.insert_cols(1)  # 单位名称 moves to column B
    assert ws["B1"].value == "单位名称"
    ws["C2"] = "不存在的项目"
    book.save(path)
    with pytest.raises(reportgen.DataError) as caught:
        reportgen.load(path)
    assert [str(p) for p in caught.value.problems] == [
        f"绩效指标!B2（单位名称）：在工作表“项目”中找不到“{ws['B2'].value}·不存在的项目”，所属名称应与该表中的写法完全一致"]
