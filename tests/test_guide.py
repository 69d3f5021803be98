"""docs/template-guide.md is what tools/build_guide.py generates from the code now."""
from __future__ import annotations

import importlib.util
from pathlib import Path

from reportgen.context import VOCABULARIES
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


def test_guide_lists_every_variable_and_filter():
    guide = GUIDE.read_text(encoding="utf-8")
    for kind, vocabulary in VOCABULARIES.items():
        assert f"### 文种 `{kind}`" in guide
        for name, meaning in vocabulary.items():
            assert f"| `{name}` | {meaning.replace('|', chr(92) + '|')} |" in guide
    for name in FILTERS:
        assert f"| `{name}` |" in guide


def test_guide_check_example_is_real_output():
    guide = GUIDE.read_text(encoding="utf-8")
    assert "未知的变量 “departmnt”，是否应为 “department”？" in guide
    assert "“{% if attachment %}” 没有结束：缺少 “{% endif %}”" in guide
