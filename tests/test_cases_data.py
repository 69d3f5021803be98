"""The data and batch cases of ../shared/cases, run as their READMEs say (their fault
kinds are tested more widely in test_loading.py and test_batch_supervision.py)."""
from __future__ import annotations

import shutil

import pytest

from reportgen.cli import main

from support import SHARED, docx_text

CASES = SHARED / "cases"
pytestmark = pytest.mark.skipif(not CASES.is_dir(), reason="../shared/cases is not beside this checkout")


def _case(prefix: str):
    return next(CASES.glob(prefix + "*"))


def test_rt01_a_tiny_amount_is_a_data_error_not_an_internal_one(tmp_path, capsys):
    case = _case("rt-01")
    assert main([str(case / "data.json"), "-o", str(tmp_path / "out.docx")]) == 2
    assert main(["check", str(case / "data.json")]) == 2
    err = capsys.readouterr().err
    assert "$.budget.annual_budget: 金额的小数位数过多" in err and "内部错误" not in err
    assert not (tmp_path / "out.docx").exists()


def test_rt02_negative_zero_is_printed_as_zero(tmp_path):
    case = _case("rt-02")
    assert main([str(case / "data.json"), "-o", str(tmp_path / "out.docx")]) == 0
    text = docx_text(tmp_path / "out.docx")
    assert "年末结转和结余0万元" in text and "-0" not in text


@pytest.mark.parametrize("name, year", [("year0.json", "0"), ("year-2023.json", "-2023"), ("year20233.json", "20233")])
def test_rt05_a_year_out_of_range_is_refused(tmp_path, capsys, name, year):
    case = _case("rt-05")
    assert main([str(case / name), "-o", str(tmp_path / "out.docx")]) == 2
    assert f"$.year: 年度应在2000到2100之间：{year}" in capsys.readouterr().err
    assert not (tmp_path / "out.docx").exists()


def test_rt16_an_upper_case_extension_is_rendered_and_a_dangling_link_named(tmp_path, capsys):
    case = _case("rt-16")
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(case / "data.json", inputs / "ok.json")
    shutil.copy(case / "data.json", inputs / "荔湾区.JSON")
    (inputs / "dangling.json").symlink_to(tmp_path / "nowhere.json")
    assert main(["batch", str(inputs), "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["ok.docx", "荔湾区.docx"]
    assert "共 3 份：生成 2 份（.docx），失败 1 份" in err and "dangling.json：找不到数据文件" in err
