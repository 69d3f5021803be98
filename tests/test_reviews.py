"""Faults a fresh reviewer found after the issues' own tests passed, each made a test."""
from __future__ import annotations

import io
import zipfile

import pytest

import reportgen
from reportgen.engine import Template
from reportgen.errors import DataError, TemplateError

from support import build_docx, paragraphs, sample_data, dump_json


@pytest.mark.parametrize("expression", ["range(3)", "dict(a=1).items()", '"x".encode("utf-8")', "1e308*10",
                                        "(1e308*10)-(1e308*10)", '"inf"|float'])
def test_python_s_own_text_never_reaches_a_report(tmp_path, expression):
    template = Template(build_docx(tmp_path / "t.docx", body=["前{{ " + expression + " }}后"]))
    with pytest.raises(TemplateError) as refused:  # refused, at its place, never printed
        template.render_bytes({"year": 2023})
    assert "正文第1段" in str(refused.value)


@pytest.mark.parametrize("expression, shown", [('"inf"|float', "inf"), ('("inf"|float) + 1', "inf"),
                                               ('"nan"|float|round', "nan"), ('["-inf"|float]|first', "inf")])
def test_a_constant_inf_or_nan_gets_the_message_any_inf_or_nan_gets(tmp_path, expression, shown):
    """Jinja computes such a constant when it compiles the template and writes it into
    code that cannot run; it is refused all the same, in the words of the renderer."""
    from reportgen.template_check import check_template
    from_data = Template(build_docx(tmp_path / "d.docx", body=["{{ year }}"]))
    with pytest.raises(TemplateError) as refused:
        from_data.render_bytes({"year": float(shown)})
    message = refused.value.problems[0].message
    assert "无穷大或非数字" in message
    path = build_docx(tmp_path / "t.docx", body=["前{{ " + expression + " }}后"])
    with pytest.raises(TemplateError) as refused:
        Template(path).render_bytes({})
    assert [p.message for p in refused.value.problems] == [message]
    assert [p.message for p in check_template(path, "self-evaluation").problems] == [message]


@pytest.mark.parametrize("expression", ['"nan"|money', '"NaN"|money(0)', '("nan"|float)|percent', '"inf"|number',
                                        'x|money'])
def test_a_nan_or_inf_given_to_a_number_filter_is_refused_not_printed(tmp_path, expression):
    # money printed "NaN.00": a figure that is no number never reaches a report
    template = Template(build_docx(tmp_path / "t.docx", body=["前{{ " + expression + " }}后"]))
    with pytest.raises(TemplateError) as refused:
        template.render_bytes({"x": float("nan")})
    assert "正文第1段" in str(refused.value) and "无穷大或非数字" in str(refused.value)


def test_a_module_or_nan_in_a_program_s_context_is_refused(tmp_path):
    import os
    template = Template(build_docx(tmp_path / "t.docx", body=["{{ year }}年度"]))
    for value in (os, float("nan")):
        with pytest.raises(TemplateError):
            template.render_bytes({"year": value})
    with pytest.raises(TypeError, match="reportgen.context"):
        template.render_bytes(None)


def test_tojson_indent_is_refused_before_it_is_built(tmp_path):
    template = Template(build_docx(tmp_path / "t.docx", body=["{{ [1,2,3]|tojson(indent=100000000) }}"]))
    with pytest.raises(TemplateError, match="tojson"):
        template.render_bytes({})


def test_a_package_of_too_many_entries_is_refused_before_its_directory_is_read(tmp_path):
    source = build_docx(tmp_path / "t.docx", body=["{{ year }}"])
    out = io.BytesIO(source.read_bytes())
    with zipfile.ZipFile(out, "a") as package:
        for k in range(10_001):
            package.writestr(f"x/{k}", b"")
    with pytest.raises(TemplateError, match="部件，超出上限"):
        Template(out.getvalue(), name="many.docx")


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85"])
def test_unicode_line_separators_are_line_breaks_like_any_other(tmp_path, separator):
    data = sample_data("clean-2023.json")
    data["performance_goal"] = f"第一行{separator}第二行"
    path = tmp_path / "d.json"
    path.write_text(dump_json(data), encoding="utf-8")
    out = reportgen.render(reportgen.load(path), tmp_path / "o.docx")
    shown = paragraphs(out)
    assert "第一行" in shown and "第二行" in shown  # two paragraphs, each line whole
    found = [f.message for f in reportgen.check(reportgen.load(path)) if f.path == "$.performance_goal"]
    assert any("2行" in m for m in found)


@pytest.mark.parametrize("invisible", ["\u200b", "\ufeff", "\u200b\u200d"])
def test_a_name_of_invisible_characters_is_refused(invisible):
    data = sample_data("clean-2023.json")
    data["department"]["name"] = invisible
    with pytest.raises(DataError, match=r"\$\.department\.name: 名称不能为空"):
        reportgen.loads(dump_json(data))


def _tianchang(edit) -> list[str]:
    data = sample_data("tianchang-2022-project-self-evaluation.json")
    edit(data["project"])
    return [f.describe() for f in reportgen.check(reportgen.loads(dump_json(data)))]


def test_an_indicator_not_applicable_keeps_its_points_in_the_typed_total():
    # rules.md §3: its points stay on the form; the applicable ones are converted to 100.
    def not_applicable(project):
        project["indicators"][0]["applicable"] = False
    assert not [f for f in _tianchang(not_applicable) if "分值之和" in f]


def test_funding_that_cannot_be_printed_as_typed_is_found():
    def twice(project):
        project["funding"].append({"source": "本年财政拨款", "executed": 1})
    def no_budget(project):
        project["funding"] = [{"source": "本年财政拨款", "budget": 0, "executed": 5}]
    def over(project):
        project["funding"][0]["executed"] = 1000
    assert any("资金来源“本年财政拨款”写了两次" in f for f in _tianchang(twice))
    assert any(f.startswith("错误") and "预算为0，却支出5万元" in f for f in _tianchang(no_budget))
    assert any(f.startswith("警告") and "超过预算880万元" in f for f in _tianchang(over))
