"""Rendering guards: an empty optional text prints nothing, a template whose tags do not
fit together is refused once, before any document, and the shipped templates render
valid data that lacks a figure; every message is Chinese and names the failing tag.

Broken templates are shipped ones with one change in ``word/document.xml``, made as a
clerk would make it in Word.
"""
from __future__ import annotations

import ast
import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document

import reportgen
from reportgen.engine import Template
from reportgen.language import structure
from reportgen.errors import TemplateError

from support import ROOT, build_docx, paragraphs, sample_data, write_json

TEMPLATES = ROOT / "templates" / "self-evaluation"
GUANGZHOU = TEMPLATES / "guangzhou.docx"


def edited(template: Path, out: Path, old: str, new: str) -> Path:
    """A copy of ``template`` with ``old`` replaced by ``new`` (once) in its body XML."""
    with zipfile.ZipFile(template) as src:
        entries = [(item, src.read(item.filename)) for item in src.infolist()]
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item, body in entries:
            if item.filename == "word/document.xml":
                text = body.decode("utf-8")
                assert old in text, old
                body = text.replace(old, new, 1).encode("utf-8")
            dst.writestr(item, body)
    return out


def rendered(tmp_path: Path, data: dict, template: str | Path | None = None) -> list[str]:
    """The body paragraphs of ``data`` rendered (through the fast path, as ``render`` does)."""
    report = reportgen.load(write_json(tmp_path / "data.json", data))
    out = reportgen.render(report, tmp_path / "out.docx", template=template)
    return paragraphs(out)


def refusal(call) -> str:
    with pytest.raises(TemplateError) as caught:
        call()
    return str(caught.value)


# ---- 1. an empty optional text prints nothing ----------------------------------------------


def test_a_missing_optional_text_prints_nothing(tmp_path):
    data = sample_data("clean-2023.json")
    del data["work"]["tasks"][0]["plan"]
    body = rendered(tmp_path, data)
    assert "一是招商推介。" in body
    assert not any("None" in p for p in body)


def test_none_prints_nothing_in_the_body_and_in_properties(tmp_path):
    path = build_docx(tmp_path / "t.docx", body=["前{{ x }}后"], header="眉{{ x }}", title="题{{ x }}")
    data = Template(path).render_bytes({"x": None})
    doc = Document(io.BytesIO(data))
    assert [p.text for p in doc.paragraphs] == ["前后"]
    assert doc.sections[0].header.paragraphs[0].text == "眉"
    assert doc.core_properties.title == "题"


# ---- 2. a template whose tags do not fit together is refused -------------------------------


@pytest.mark.parametrize("old, new, where, message", [
    ("<w:t>{%p endif %}</w:t>", "<w:t>{% endif %}</w:t>", "正文第3段「{% endif %}」",
     "与正文第1段「{%p if attachment %}」的 “{%p if attachment %}” 不配套"),
    ("{{ department.full_name }}</w:t>", "{{ department.full_name </w:t>", "正文第4段「{{ year }}年度",
     "标签没有结束：“{{” 之后缺少 “}}”"),
    ("<w:t>{%p endfor %}</w:t>", "<w:t></w:t>", "正文第10段「{%p for f in department.functions %}」",
     "“{%p for f in department.functions %}” 没有结束：缺少 “{%p endfor %}”"),
])
def test_a_broken_shipped_template_is_refused_before_any_document(tmp_path, old, new, where, message):
    template = edited(GUANGZHOU, tmp_path / "broken.docx", old, new)
    text = refusal(lambda: Template(template))
    assert text.startswith("模板 broken.docx 无法生成文档：")
    assert where in text and message in text
    assert len(text.splitlines()) == 2  # the one real problem, nothing else
    report = reportgen.load(ROOT / "samples" / "clean-2023.json")
    refusal(lambda: reportgen.render(report, tmp_path / "out.docx", template=template))
    assert not (tmp_path / "out.docx").exists()


@pytest.mark.parametrize("kwargs, message", [
    ({"body": ["{{ year", "}}年"]}, "标签没有结束"),
    ({"cells": [["{%tr for p in projects %}"], ["{{ p.name }}"]]}, "没有结束：缺少 “{%tr endfor %}”"),
    ({"cells": [["{%tr for p in projects %}"], ["{{ p.name }}"], ["{% endfor %}"]]}, "不配套"),
    ({"body": ["{%p if grade %}正文会被删除", "{%p endif %}"]}, "“{%p … %}” 标签应独占一段"),
    ({"body": ["{% fi grade %}优{% endif %}"]}, "未知的标签 “fi”，是否应为 “if”？"),
])
def test_structural_mistakes_are_refused_in_chinese(tmp_path, kwargs, message):
    text = refusal(lambda: Template(build_docx(tmp_path / "t.docx", **kwargs)))
    assert message in text


def test_unknown_names_and_curly_quotes_do_not_block_a_template(tmp_path):
    path = build_docx(tmp_path / "t.docx", body=["{{ departmnt.name }}", "{% if grade == “优” %}优{% endif %}"])
    template = Template(path)  # what exists depends on the data: judged when rendering
    text = refusal(lambda: template.render_bytes({"grade": "优"}))
    assert "未定义的变量 “departmnt”" in text
    assert paragraphs_of(template.render_bytes({"grade": "优", "departmnt": {"name": "局"}})) == ["局", "优"]


def paragraphs_of(data: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(data)).paragraphs]


def test_structure_is_checked_once_per_template_not_per_document(monkeypatch):
    monkeypatch.setenv("REPORTGEN_NO_CACHE", "1")  # not remembered from an earlier run either
    calls = []
    check = structure.structural_problems
    monkeypatch.setattr(structure, "structural_problems", lambda *a: calls.append(1) or check(*a))
    template = Template(GUANGZHOU)
    context = reportgen.context(reportgen.load(ROOT / "samples" / "clean-2023.json"))
    for _ in range(3):
        template.render_bytes(context)
    assert calls == [1]


#: floor → the modules below the linter that it may not import, at any depth of a function.
_HIGHER = ("reportgen.template_check", "reportgen.context", "reportgen.compute", "reportgen.checking",
           "reportgen.loading", "reportgen.kinds", "reportgen.batch", "reportgen.cli", "reportgen.commands")


def _imports(module: Path) -> list[str]:
    """Every module ``module`` imports, at the top or inside a function."""
    found = []
    for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found += [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            found += [a.name for a in node.names]
    return found


def test_the_package_language_and_engine_floors_import_nothing_above_them():
    """docx → language → engine → (context, checking …) → template_check: each imports
    only floors below it, nowhere in its code; docxtpl only through the adapter."""
    source = ROOT / "src" / "reportgen"
    below = {"docx": ("reportgen.language", "reportgen.engine"), "language": ("reportgen.engine",), "engine": ()}
    for floor, higher in below.items():
        for module in (source / floor).glob("*.py"):
            for name in _imports(module):
                assert not name.startswith(_HIGHER + higher), f"{floor}/{module.name} imports {name}"
                if module.name != "docxtpl_adapter.py":
                    assert not name.startswith("docxtpl"), f"{floor}/{module.name} imports {name}"
    for module in source.rglob("*.py"):
        if module.name != "docxtpl_adapter.py":
            assert not any(n.startswith("docxtpl") for n in _imports(module)), module.name


def test_no_module_of_the_render_floors_is_over_400_lines():
    source = ROOT / "src" / "reportgen"
    for floor in ("docx", "language", "engine", "template_check"):
        for module in (source / floor).glob("*.py"):
            assert len(module.read_text(encoding="utf-8").splitlines()) <= 400, module.name


# ---- 3. shipped templates and figures the data does not have --------------------------------


def _zero_budget(data):
    data["budget"]["annual_budget"] = 0


def _basic_only(data):
    data["budget"].pop("project_expenditure", None)
    data["budget"]["basic_expenditure"] = Decimal("1820.55")


def _zero_project_expenditure(data):
    data["budget"]["project_expenditure"] = 0


def _no_basic_or_project(data):
    data["budget"].pop("basic_expenditure", None)
    data["budget"].pop("project_expenditure", None)


def _fund_without_budget(data):
    data["special_funds"][0]["budget"] = 0


@pytest.mark.parametrize("sample, template, edit, expected, absent", [
    ("clean-2023.json", "guangzhou", _zero_budget, "全年预算数0万元，执行数4,770.30万元。", "支出进度"),
    ("clean-2023.json", "guangzhou", _basic_only, "按支出性质看，基本支出1,820.55万元。", "项目支出None"),
    ("clean-2023.json", "guangzhou", _zero_project_expenditure, "共涉及资金", "占一般公共预算项目支出总额"),
    ("liwan-2023.json", "liwan", _zero_budget, "执行数11787.03万元。", "完成预算的"),
    ("liwan-2023.json", "liwan", _no_basic_or_project, "按资金来源分，", "按支出性质看"),
    ("tianhe-2023.json", "tianhe", _zero_budget, "年度决算数为", "预算执行率为"),
    ("tianhe-2023.json", "tianhe", _fund_without_budget, "专项资金预算金额0万元", "预算支出率为"),
])
def test_shipped_templates_leave_out_a_figure_the_data_lacks(tmp_path, sample, template, edit, expected, absent):
    data = sample_data(sample)
    edit(data)
    text = "\n".join(rendered(tmp_path, data, template))
    assert expected in text
    assert absent not in text and "None" not in text


def test_a_filter_given_none_names_its_expression(tmp_path):
    path = build_docx(tmp_path / "t.docx", body=[
        "全年预算数{{ budget.annual_budget|money }}万元，执行数{{ budget.executed|money }}万元，"
        "年末结转和结余{{ budget.carryover|money }}万元。"])
    context = reportgen.context(reportgen.load(ROOT / "samples" / "haizhu-2023.json"))  # no carryover
    text = refusal(lambda: Template(path).render_bytes(context))
    assert "正文第1段「…d|money }}万元，年末结转和结余{{ budget.carryover|money }}万元。」：" in text  # that tag
    assert "「budget.carryover|money」无法生成：budget.carryover 为空（none），数据中没有模板所需的这一项" in text
    assert "{% if budget.carryover is not none %}" in text


def test_a_filter_in_a_loop_names_the_loop_expression(tmp_path):
    cells = [["{%tr for p in projects %}", ""], ["{{ p.name }}", "{{ p.level|money }}"], ["{%tr endfor %}", ""]]
    context = reportgen.context(reportgen.load(ROOT / "samples" / "haizhu-2023.json"))
    text = refusal(lambda: Template(build_docx(tmp_path / "t.docx", cells=cells)).render_bytes(context))
    assert "正文表格1第2行第2列「{{ p.level|money }}」" in text
    assert "「p.level|money」无法生成：p.level 为空（none）" in text


def test_the_fast_path_gives_the_same_bytes_for_data_lacking_figures(tmp_path):
    data = sample_data("clean-2023.json")
    _zero_budget(data)
    _basic_only(data)
    context = reportgen.context(reportgen.load(write_json(tmp_path / "d.json", data)))
    template = Template(GUANGZHOU)
    assert template.parts_only is not None
    first, second = template.render_bytes(context), template.render_bytes(context)  # both the fast path
    assert first == second == template.whole_package.render_bytes(context)


# ---- 4. Chinese messages, no Python ---------------------------------------------------------


def test_a_hundred_and_one_tasks_are_numbered_in_chinese(tmp_path):
    data = sample_data("clean-2023.json")
    task = data["work"]["tasks"][0]
    data["work"]["tasks"] = [dict(task, title=f"任务{n}") for n in range(1, 102)]
    body = rendered(tmp_path, data)
    assert any(p.startswith("九十九是任务99。") for p in body)
    assert any(p.startswith("一百是任务100。") for p in body)
    assert any(p.startswith("一百零一是任务101。") for p in body)


@pytest.mark.parametrize("body, message", [
    (["{{ year / 0 }}"], "生成时出错：除数为零"),
    (["{{ year|cn_ordinal }}", "{{ (year - year)|cn_ordinal }}"], "中文序数只能用于正整数，不能是 0"),
    (["{{ department.name|cn_date }}"], "「department.name|cn_date」无法生成：过滤器 “cn_date” 不能用于这个值"),
    (["{{ year|mony }}"], "未知的过滤器 “mony”"),
])
def test_rendering_errors_speak_chinese(tmp_path, body, message):
    context = reportgen.context(reportgen.load(ROOT / "samples" / "liwan-2023.json"))
    text = refusal(lambda: Template(build_docx(tmp_path / "t.docx", body=body)).render_bytes(context))
    assert message in text
    assert not re.search(r"[A-Z][a-z]+Error|Traceback|takes|expected|unexpected", text), text


def test_a_tag_jinja_cannot_read_is_refused_in_chinese(tmp_path):
    text = refusal(lambda: Template(build_docx(tmp_path / "t.docx", body=["前言", "{{ year + }}"])))
    assert "正文第2段「{{ year + }}」：标签写法有误：标签结尾之前缺少内容" in text


# ---- 6. an empty list leaves no stray punctuation -----------------------------------------


def test_no_units_leave_no_lone_full_stop(tmp_path):
    data = sample_data("clean-2023.json")
    data["department"]["units"] = []
    body = rendered(tmp_path, data)
    assert "。" not in body
    heading = body.index("2.机构设置情况")
    assert body[heading + 1].startswith("人员情况：")


# ---- 7. no grade, a poor grade, missing district prose --------------------------------------


def _without_grade() -> dict:
    data = sample_data("clean-2023.json")
    data.pop("grade", None)
    data.pop("indicators", None)
    return data


def test_no_grade_leaves_the_grade_clause_out(tmp_path):
    guangzhou = "\n".join(rendered(tmp_path, _without_grade(), "guangzhou"))
    assert "实现财政资金提质增效。" in guangzhou
    assert "自评。" not in guangzhou and "较为理想" not in guangzhou
    tianhe = "\n".join(rendered(tmp_path, _without_grade(), "tianhe"))
    assert "与需求高度相关。" in tianhe and "项目实施效果较好" not in tianhe
    assert "等级。" not in tianhe and "绩效指标包括" not in tianhe


@pytest.mark.parametrize("grade, praised", [("优", True), ("良", True), ("中", False), ("差", False)])
def test_praise_only_for_a_good_grade(tmp_path, grade, praised):
    data = sample_data("clean-2023.json")
    data["grade"] = grade
    text = "\n".join(rendered(tmp_path, data, "guangzhou"))
    assert ("整体支出和项目绩效情况较为理想，实现财政资金提质增效" in text) is praised
    assert "提质增效，自评" in text


@pytest.mark.parametrize("grade, praised", [("优", True), ("良", True), ("中", False), ("差", False)])
def test_tianhe_praises_only_a_good_grade(tmp_path, grade, praised):
    data = sample_data("clean-2023.json")
    data["grade"] = grade
    text = "\n".join(rendered(tmp_path, data, "tianhe"))
    assert ("绩效情况达到预期" in text) is praised and ("项目实施效果较好" in text) is praised
    assert f"与需求高度相关{'；' if praised else '，'}" in text and f"绩效自评等级{grade}。" in text


def test_tianhe_renders_data_without_its_prose_numbering_what_is_there(tmp_path):
    data = sample_data("liwan-2023.json")
    body = rendered(tmp_path, data, "tianhe")
    heading = body.index("（三）管理效率分析")
    assert body[heading + 1] == "三、存在的主要问题"
    data["prose"] = {"disclosure": "按规定公开预决算。", "procurement": "依法采购。"}
    data["performance_management"] = "建立绩效管理制度。"
    body = rendered(tmp_path, data, "tianhe")
    heading = body.index("（三）管理效率分析")
    assert body[heading + 1:heading + 4] == ["1.信息公开：按规定公开预决算。", "2.绩效管理：我局建立绩效管理制度。",
                                             "3.采购管理：依法采购。"]


# ---- 8. a tag split across a revision's edge; places; the wrong kind of template -------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
RUN = '<w:r><w:t xml:space="preserve">{}</w:t></w:r>'
INS = '<w:ins w:id="1" w:author="a" w:date="2024-01-01T00:00:00Z">{}</w:ins>'


def _paragraph(*inner: str) -> str:
    return f'<w:p xmlns:w="{W_NS}">' + "".join(inner) + "</w:p>"


def test_a_tag_across_a_revisions_edge_is_refused_as_template_check_says(tmp_path):
    """docxtpl reads the tag but leaves the XML unbalanced: what follows it was lost."""
    from reportgen.template_check import check_template
    xml = _paragraph(RUN.format("{{ depart"), INS.format(RUN.format("ment.full_name }}")))
    path = build_docx(tmp_path / "t.docx", body=["其后的段落 {{ year }}"], xml=xml)
    [problem] = check_template(path, "self-evaluation").problems
    text = refusal(lambda: Template(path))
    assert str(problem) in text  # the place, the text around it, the message: as template-check says
    assert "丢失内容" in problem.message


def test_a_tag_across_two_revisions_renders_whole(tmp_path):
    from reportgen.template_check import check_template
    xml = _paragraph(INS.format(RUN.format("{{ depart")), INS.format(RUN.format("ment.full_name }}")))
    path = build_docx(tmp_path / "t.docx", body=["其后的段落 {{ year }}"], xml=xml)
    assert check_template(path, "self-evaluation").problems == []
    context = reportgen.context(reportgen.load(ROOT / "samples" / "liwan-2023.json"))
    (tmp_path / "out.docx").write_bytes(Template(path).render_bytes(context))
    assert paragraphs(tmp_path / "out.docx")[:2] == ["广州市荔湾区商务和投资促进局", "其后的段落 2023"]


def test_a_rendering_error_counts_body_paragraphs_not_table_cells(tmp_path):
    doc = Document(GUANGZHOU)
    body = doc.paragraphs
    body[60]._p.addnext(doc.add_table(rows=3, cols=3)._tbl)
    assert body[62].text == "{{ p.sentence }}"
    for run in body[62].runs:
        run.text = run.text.replace("p.sentence", "p.sentense")
    doc.save(tmp_path / "t.docx")
    context = reportgen.context(reportgen.load(ROOT / "samples" / "liwan-2023.json"))
    text = refusal(lambda: Template(tmp_path / "t.docx").render_bytes(context))
    assert "正文第63段「{{ p.sentense }}」" in text


def test_a_template_of_another_kind_is_named_as_such():
    report = reportgen.load(ROOT / "samples" / "liwan-2023.json")
    text = refusal(lambda: reportgen.render_bytes(report, template=ROOT / "templates" / "project-goals" / "default.docx"))
    assert text == "模板 default.docx 是“项目支出绩效目标表”的模板，不能用于“部门整体支出绩效自评报告”"
    goals = reportgen.load(ROOT / "samples" / "liwan-2024-project-goals.json")
    text = refusal(lambda: reportgen.render_bytes(goals, template=GUANGZHOU))
    assert text == "模板 guangzhou.docx 是“部门整体支出绩效自评报告”的模板，不能用于“项目支出绩效目标表”"


def test_a_misspelt_name_in_a_template_of_the_right_kind_is_not_called_another_kind(tmp_path):
    path = edited(GUANGZHOU, tmp_path / "t.docx", "{{ year }}", "{{ money_unit }}")
    context = reportgen.context(reportgen.load(ROOT / "samples" / "liwan-2023.json"))
    text = refusal(lambda: Template(path).render_bytes(context))
    assert "未定义的变量 “money_unit”" in text and "的模板，不能用于" not in text


def test_tianhe_does_not_double_the_subject_of_performance_management(tmp_path):
    import reportgen
    from support import SAMPLES, docx_text
    report = reportgen.load(SAMPLES / "clean-2023.json")
    assert report.performance_management.startswith("我局")
    text = docx_text(reportgen.render(report, tmp_path / "x.docx", template="tianhe"))
    assert "我局我局" not in text


def test_the_structure_check_parses_all_tags_at_once_with_the_same_result(tmp_path, monkeypatch):
    """Tags are parsed in one go when they all parse; one by one (to say which fails)
    otherwise: both ways find the same problems."""
    from reportgen.docx.paragraphs import read_parts
    from reportgen.language import structure
    from reportgen.language.environment import ReportEnvironment

    broken = [build_docx(tmp_path / f"b{n}.docx", body=body) for n, body in enumerate([
        ["{{ year + }}", "{% if x %}", "{% endif %}"], ["{% fi grade %}优{% endif %}"],
        ["{%p if grade %}", "{{ a.b|money(false) }}", "{% endif %}"], ["{% else if x %}", "{{ }}"],
        ['{{ " }}', '{{ " }}'], ['{% if "a %}{% endif %}', '{% if b" %}{% endif %}'], ["{{ (a }}", "{{ b) }}"],
        ["{{ { { }}", "{{ x } } }}"]])]
    shipped = sorted((ROOT / "templates").glob("*/*.docx"))
    for path in shipped + broken:
        parts = read_parts(path.read_bytes())
        at_once = structure.structural_problems(parts, ReportEnvironment())
        with monkeypatch.context() as patched:
            patched.setattr(structure, "_each_parses", lambda tags, env: False)
            one_by_one = structure.structural_problems(parts, ReportEnvironment())
        assert at_once == one_by_one, path.name
        assert (path in broken) == bool(at_once), path.name


def test_docxtpl_is_imported_only_when_a_template_is_read(tmp_path):
    """docxtpl and python-docx cost a tenth of a second to import: ``check`` and
    ``--help`` never need them, and a render imports them when it reads a template it
    has not rendered before (tests/test_parts.py: not at all for one rendered before)."""
    import os
    import subprocess
    import sys

    code = ("import sys, reportgen, reportgen.cli, reportgen.engine\n"
            "before = 'docxtpl' in sys.modules or 'docx' in sys.modules\n"
            "reportgen.engine.Template(sys.argv[1])\n"
            "print(before, 'docxtpl' in sys.modules)")
    env = {**os.environ, "REPORTGEN_CACHE_DIR": str(tmp_path)}  # nothing kept: a first reading
    done = subprocess.run([sys.executable, "-c", code, str(GUANGZHOU)], capture_output=True, text=True, check=True,
                          env=env)
    assert done.stdout.split() == ["False", "True"]
