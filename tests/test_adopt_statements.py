"""reportgen adopt: what a report states of its own evaluation, and its furniture's tables.

The grade in the ways districts write it (绩效自评结果为“良好”, 评定为优秀, 属于优秀等级 …) and
none read from prose that only uses the words (优化, 良好的营商环境, 优秀企业); the total
score stated beside it (自评得分为95分), printed from the indicators when they are read;
names and years in a table inside a header. Each report is seed 001 (海珠) rebuilt as a
.docx by ../shared/tools/seed2docx.py, changed the way a clerk's file differs.
"""
from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import docx
import pytest

import reportgen
from reportgen import adopt
from reportgen.adopt.grading import read_grade
from reportgen.cli import main
from support import SHARED


@pytest.fixture(scope="module")
def haizhu(tmp_path_factory) -> Path:
    """Seed 001 as a clerk's .docx (its grade: “…实现财政资金提质增效，自评良好。”)."""
    out = tmp_path_factory.mktemp("seed") / "haizhu.docx"
    seed = next((SHARED / "seeds").glob("001_*.txt"))
    subprocess.run([sys.executable, str(SHARED / "tools" / "seed2docx.py"), str(seed), str(out)], check=True)
    return out


def _adopt(source: Path, tmp_path: Path) -> tuple[dict, dict]:
    summary = adopt.write(adopt.adopt(source), source, tmp_path / "out")
    return summary, json.loads(Path(summary["data"]).read_text(encoding="utf-8"), parse_float=Decimal)


def _restate(source: Path, path: Path, sentence: str) -> Path:
    """Seed 001 with its grade sentence (“…自评良好。”) written as ``sentence``."""
    document = docx.Document(source)
    stated = next(p for p in document.paragraphs if "自评良好" in p.text)
    stated.runs[0].text = stated.text.replace("自评良好。", sentence)
    for run in stated.runs[1:]:
        run.text = ""
    document.save(path)
    return path


# ---- the grade, in the ways districts state it ---------------------------------------------

@pytest.mark.parametrize("text, grade, word", [
    ("综上，本部门2023年度绩效自评结果为“良好”。", "良", "良好"),
    ("经自评，自评等级为：优秀。", "优", "优秀"),
    ("经自评，自评等级为优秀等次。", "优", "优秀"),
    ("经综合评定为优秀。", "优", "优秀"),
    ("本部门整体支出绩效属于优秀等级。", "优", "优秀"),
    ("评价结果为“优”。", "优", "优"),
    ("绩效评价结果：良好", "良", "良好"),
    ("自评结果为中等。", "中", "中等"),
    ("绩效自评等级为“良”等次。", "良", "良"),
])
def test_a_grade_is_read_the_ways_districts_state_it(text, grade, word):
    read = read_grade([(4, text)])
    assert read.grade == grade and not read.notes
    (index, start, end, tag), = read.spans
    assert (index, text[start:end]) == (4, word)
    assert tag == ("{{ grade }}" if len(word) == 1 else "{{ grade|grade_word }}")


@pytest.mark.parametrize("text", [
    "全面优化营商环境，提升服务质量。",
    "营造良好的营商环境。",
    "引进优秀企业15家，评定为优秀企业的有3家。",
    "多家企业属于优秀企业，等级为优秀企业。",
    "评价结果为中等收入群体带来实惠。",
    "各项工作进展良好，成效优秀。",
    "信用等级差异较大。",
])
def test_prose_that_only_uses_the_words_states_no_grade(text):
    read = read_grade([(4, text)])
    assert read.grade is None and read.spans == []
    assert "没有读到自评等级" in read.notes[0]


def test_a_grade_stated_in_quotes_is_read_into_the_data_and_printed_from_it(haizhu, tmp_path):
    source = _restate(haizhu, tmp_path / "quoted.docx", "绩效自评结果为“良好”。")
    summary, data = _adopt(source, tmp_path)
    assert data["grade"] == "良"
    template = "".join(p.text for p in docx.Document(summary["template"]).paragraphs)
    assert "绩效自评结果为“{{ grade|grade_word }}”。" in template
    assert summary["verification"]["similarity"] == 1.0
    assert not [n for n in summary["notes"] if "自评等级" in n]


def test_a_report_whose_grade_is_not_read_says_so(haizhu, tmp_path, capsys):
    source = _restate(haizhu, tmp_path / "ungraded.docx", "绩效表现突出。")
    assert main(["adopt", str(source), "-o", str(tmp_path / "out")]) == 0
    printed = capsys.readouterr().out
    assert "报告中没有读到自评等级" in printed and "grade" in printed and "Traceback" not in printed
    data = json.loads((tmp_path / "out" / "ungraded.json").read_text(encoding="utf-8"))
    assert "grade" not in data
