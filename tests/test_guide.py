"""docs/template-guide.md is what tools/build_guide.py generates from the code now."""
from __future__ import annotations

import importlib.util
from pathlib import Path

from reportgen.context import NAMES, VOCABULARIES
from reportgen.context.vocabulary import DICT, paths
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
    for kind, vocabulary in VOCABULARIES.items():
        assert f"### 文种 `{kind}`" in guide
        for name, meaning in vocabulary.items():
            assert _row(name, meaning) in guide
    for name in FILTERS:
        assert f"| `{name}` |" in guide


def test_guide_lists_every_nested_name_with_its_meaning_and_an_example():
    guide = GUIDE.read_text(encoding="utf-8")
    for kind, tree in NAMES.items():
        section = guide.split(f"### 文种 `{kind}`")[1].split("###")[0]
        for path, name in paths(tree):
            if name.meaning or name.kind != DICT:  # a list's dict items are listed by their keys
                assert _row(path, name.meaning) in section, path
    assert "| `department.name` | 部门名称，如 商务和投资促进局 | 商务和金融工作局 |" in guide
    assert "| `budget.expenditure_sources[…].amount` | 金额（万元） | 28404.48 |" in guide
    assert "| `units[…].projects[…].indicators[…].level1.label` | 编码-名称，如“1-产出指标”（无编码时为名称） " \
           "| 1-产出指标 |" in guide
    assert "| `prose.<名称>` | 段落 |" in guide


def test_guide_check_example_is_real_output():
    guide = GUIDE.read_text(encoding="utf-8")
    assert "未知的变量 “departmnt”，是否应为 “department”？" in guide
    assert "“{% if attachment %}” 没有结束：缺少 “{% endif %}”" in guide
    assert "未知的名称 “budget.execution_rat”，是否应为 “budget.execution_rate”？" in guide
    assert "未知的名称 “t.titel”，是否应为 “t.title”？" in guide
