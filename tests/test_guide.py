"""docs/template-guide.md is what tools/build_guide.py generates from the code now."""
from __future__ import annotations

import importlib.util
from pathlib import Path

from reportgen import kinds
from reportgen.context.vocabulary import DICT, paths
from reportgen.model import Department
from reportgen.model.fields import metadata_of
from reportgen.formatting import FILTERS

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "template-guide.md"


def _script():
    spec = importlib.util.spec_from_file_location("build_guide", ROOT / "tools" / "build_guide.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_guide_is_up_to_date():
    generated = _script().generate()
    assert GUIDE.read_text(encoding="utf-8") == generated, \
        "docs/template-guide.md 已过期：请运行 python tools/build_guide.py 并提交结果"


def _row(path: str, meaning: str) -> str:
    return f"| `{path}` | {meaning.replace('|', chr(92) + '|')} |"


def test_guide_lists_every_variable_and_filter():
    guide = GUIDE.read_text(encoding="utf-8")
    for kind in kinds.all_kinds():
        assert f"### 文种 `{kind.name}`（{kind.title}）" in guide
        for name, child in kind.vocabulary.fields.items():
            assert _row(name, child.meaning) in guide
    for name in FILTERS:
        assert f"| `{name}` |" in guide


def test_guide_lists_every_nested_name_with_its_meaning_and_an_example():
    guide = GUIDE.read_text(encoding="utf-8")
    for kind in kinds.all_kinds():
        section = guide.split(f"### 文种 `{kind.name}`")[1].split("###")[0]
        for path, name in paths(kind.vocabulary):
            if name.meaning or name.kind != DICT:  # a list's dict items are listed by their keys
                assert _row(path, name.meaning) in section, path
    assert "| `department.name` | 部门名称，如 商务和投资促进局 | 商务局 |" in guide  # clean-2023, the fullest
    assert "| `budget.expenditure_sources[…].amount` | 金额（万元） | 4650.30 |" in guide
    assert "| `units[…].projects[…].indicators[…].level1.label` | 编码-名称，如“1-产出指标”（无编码时为名称） " \
           "| 1-产出指标 |" in guide
    assert "| `prose.<名称>` | 其他文字段落中按名称取用的一项 |" in guide
    assert "| `budget.income` | 按资金来源的收入（未填写为空 none） |" in guide


def test_a_name_mirroring_a_model_field_takes_the_field_s_meaning():
    """Change the meaning in the model and the guide's row must follow: no second copy."""
    guide = GUIDE.read_text(encoding="utf-8")
    region = metadata_of(Department)["region"]
    assert f"| `department.region` | {region.meaning}，如 {region.example} |" in guide
    staffing = metadata_of(Department)["staffing"]
    assert f"| `department.staffing` | {staffing.meaning}（未填写为空 none） |" in guide


def test_guide_check_example_is_real_output():
    guide = GUIDE.read_text(encoding="utf-8")
    assert "未知的变量 “departmnt”，是否应为 “department”？" in guide
    assert "“{% if attachment %}” 没有结束：缺少 “{% endif %}”" in guide
    assert "未知的名称 “budget.execution_rat”，是否应为 “budget.execution_rate”？" in guide
    assert "未知的名称 “t.titel”，是否应为 “t.title”？" in guide
