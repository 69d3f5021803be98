"""What any template may reach and cost (issue 10, kinds 1 and 2, sandbox half).

In-process tests of rules that are cheap to break safely: strict undefined everywhere
(case rt-06), one rule on reachable names shared by rendering and template-check, no
program object printed, the time limit, the static checks, nesting too deep, package
parts too large. The memory-hungry hostile templates run in capped processes in
``test_limits_hostile.py``.
"""
from __future__ import annotations

import io
import re
import struct
import time
import zipfile
from pathlib import Path

import pytest

import reportgen
from reportgen.cli import main
from reportgen.docx import package as docx_package
from reportgen.engine import Template
from reportgen.errors import TemplateError
from reportgen.template_check import check_template

from support import build_docx

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "liwan-2023.json"
CASES = Path(__file__).parents[2] / "shared" / "cases"
RT06 = CASES / "rt-06-undefined-printed-as-text"


@pytest.fixture(scope="module")
def context():
    return reportgen.context(reportgen.load(SAMPLE))


def render_one(tmp_path: Path, text: str, context, time_limit=None) -> bytes:
    """``text`` as the one paragraph of a template, rendered with the sample."""
    limit = {} if time_limit is None else {"time_limit": time_limit}
    return Template(build_docx(tmp_path / "t.docx", body=[text]), **limit).render_bytes(context)


def refusal(tmp_path: Path, text: str, context) -> str:
    with pytest.raises(TemplateError) as failed:
        render_one(tmp_path, text, context)
    assert failed.value.problems, failed.value
    return failed.value.problems[0].message


def checked(tmp_path: Path, text: str) -> list[str]:
    return [p.message for p in check_template(build_docx(tmp_path / "c.docx", body=[text]),
                                              "self-evaluation").problems]


# ---- strict means strict everywhere (rt-06) --------------------------------------------------

#: an unknown name where StrictUndefined used to print itself through repr.
UNDEFINED_IN_DISGUISE = [
    "{{ department.nmae|pprint }}", "{{ [department.nmae] }}", "{{ (department.nmae, 1) }}",
    '{{ projects|map(attribute="nmae")|list }}', '{{ projects|map(attribute="nmae")|batch(2)|list }}',
    "{{ [department.nmae]|batch(1)|list }}", "{{ [[department.nmae]] }}", "{{ [department.nmae]|string }}",
    '{{ "%s"|format([department.nmae]) }}', '{{ "{}".format([department.nmae]) }}',
    "{{ [department.nmae]|join }}", "{{ [department.nmae]|tojson }}", "{{ [department.nmae]|first }}",
    "{{ [department.nmae]|sort }}", "{{ [department.nmae]|unique|list }}", "{{ [nmae]|reverse|list }}",
    '{{ [department.nmae]|map("string")|list }}', "{{ department.nmae|list }}", "{{ nmae ~ '' }}",
    "{% set x = [department.nmae] %}{{ x }}", "{{ [department.nmae]|slice(1)|list }}",
    '{{ projects|selectattr("nmae")|list }}', '{{ projects|groupby("nmae")|list }}',
    '{{ projects|sort(attribute="nmae") }}', '{{ projects|sum(attribute="nmae") }}',
]


@pytest.mark.parametrize("text", UNDEFINED_IN_DISGUISE)
def test_an_unknown_name_never_prints_as_undefined(tmp_path, context, text):
    try:
        out = render_one(tmp_path, text, context)
    except TemplateError as exc:
        assert "nmae" in str(exc) or "Undefined" not in str(exc)
        return
    with zipfile.ZipFile(io.BytesIO(out)) as package:
        assert b"Undefined" not in package.read("word/document.xml")


@pytest.mark.parametrize("template,data", [("pprint.docx", "data.json"), ("list.docx", "data.json"),
                                           ("map.docx", "data-projects.json")])
def test_case_rt06_is_refused_with_the_name_and_nothing_written(tmp_path, capsys, template, data):
    if not RT06.is_dir():
        pytest.skip("../shared/cases is not beside the clone")
    out = tmp_path / "out.docx"
    assert main([str(RT06 / data), "--template", str(RT06 / template), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "“nmae”" in err and "正文第2段" in err and "Traceback" not in err
    assert not out.exists()


# ---- one rule on what a template may reach -----------------------------------------------------

#: (tag, the name it must not reach): every way Jinja looks an attribute up.
REACHES = [
    ('{{ projects|map(attribute="__class__")|list }}', "__class__"),
    ('{{ projects|map(attribute="name.__class__")|list }}', "__class__"),
    ('{{ projects|groupby("__class__")|list }}', "__class__"),
    ('{{ projects|sort(attribute="__class__") }}', "__class__"),
    ('{{ projects|selectattr("__class__")|list }}', "__class__"),
    ('{{ projects|rejectattr("_private")|list }}', "_private"),
    ('{{ projects|unique(attribute="__class__")|list }}', "__class__"),
    ('{{ projects|min(attribute="__init__") }}', "__init__"),
    ('{{ projects|sum(attribute="__len__") }}', "__len__"),
    ('{{ projects|join(",", attribute="__class__") }}', "__class__"),
    ('{{ department|attr("__class__") }}', "__class__"),
    ('{{ "{0.__class__}".format(department) }}', "__class__"),
    ('{{ "{0[x].__class__}".format(department) }}', "__class__"),
    ('{{ "{d.__init__}".format_map({"d": department}) }}', "__init__"),
    ('{{ department.__class__ }}', "__class__"),
    ('{{ department["__class__"] }}', "__class__"),
    ("{{ cycler.__init__.__globals__ }}", "__init__"),
    ("{{ department.name.mro }}", "mro"),
]


@pytest.mark.parametrize("text,name", REACHES)
def test_rendering_and_template_check_refuse_the_same_names_with_the_same_words(tmp_path, context, text, name):
    message = refusal(tmp_path, text, context)
    assert f"不能使用 “{name}”" in message
    assert message in checked(tmp_path, text)


def test_ordinary_attributes_through_map_and_sort_still_work(tmp_path, context):
    out = render_one(tmp_path, '{{ projects|map(attribute="name")|join("、") }}'
                               '{{ (projects|sort(attribute="name")|first).name }}', context)
    with zipfile.ZipFile(io.BytesIO(out)) as package:
        assert context["projects"][0]["name"] in package.read("word/document.xml").decode()


@pytest.mark.parametrize("text", ['{{ projects|map(attribute="name") }}', "{{ department.name.upper }}",
                                  "{{ cycler }}", "{{ namespace(a=1) }}", "{{ [department.name.upper] }}",
                                  "{{ self }}", "{% for p in projects %}{{ loop }}{% endfor %}", "{{ range }}",
                                  "{{ department.values }}", '{{ department.name|attr("upper") }}'])
def test_a_program_object_is_refused_not_printed(tmp_path, context, text):
    message = refusal(tmp_path, text, context)
    assert "程序内部的对象" in message


# ---- limits, statically and when rendering -------------------------------------------------------

STATIC = [
    '{{ "a"|center(10**9) }}', '{{ department.name|center(10**9) }}', '{{ "%0999999999d"|format(1) }}',
    '{{ "%0999999999d" % 1 }}', '{{ "{:>999999999}".format("a") }}', '{{ department.name|indent(10**9) }}',
    '{{ ("x"*100000)|replace("x", "y"*100000) }}', '{{ range(100000)|join(",")|wordwrap(1) }}',
    "{{ 'x' * 10**10 }}", "{{ 9**(9**9) }}", "{% for i in range(10**9) %}{% endfor %}",
    '{{ department.name.ljust(10**9) }}', '{{ range(100000)|join("x" * 100000) }}',
]


@pytest.mark.parametrize("text", STATIC)
def test_template_check_reports_what_rendering_would_refuse_whatever_the_data(tmp_path, context, text):
    message = refusal(tmp_path, text, context)
    assert "上限" in message or "过大" in message
    # the same words; a size may differ where the data's value counts
    assert re.sub(r"[\d,]+", "N", message) in [re.sub(r"[\d,]+", "N", m) for m in checked(tmp_path, text)]


def test_nested_loops_over_ranges_are_reported_statically(tmp_path):
    path = build_docx(tmp_path / "t.docx", body=["{% for i in range(100000) %}", "{% for j in range(100) %}",
                                                 "{{ i }}", "{% endfor %}", "{% endfor %}"])
    found = [p.message for p in check_template(path, "self-evaluation").problems]
    assert any("嵌套的循环共约 10,000,000 次" in m for m in found)


def test_ordinary_templates_get_no_limit_warning():
    from reportgen.kinds import shipped
    for path in shipped("self-evaluation"):
        assert not [p for p in check_template(path).problems if "上限" in p.message]


def test_a_render_stops_at_its_time_limit(tmp_path, context):
    slow = "{% for i in range(100000) %}{{ range(100000)|sort|first }}{% endfor %}"
    start = time.monotonic()
    with pytest.raises(TemplateError, match="时间上限（1 秒）"):
        render_one(tmp_path, slow, context, time_limit=1)
    assert time.monotonic() - start < 2.5  # reading the template too, on a machine perhaps busy
    from reportgen.language.limits import DEFAULT_TIME_LIMIT
    assert DEFAULT_TIME_LIMIT == 30


def test_the_api_passes_the_time_limit_through(tmp_path):
    slow = build_docx(tmp_path / "slow.docx", body=["{% for i in range(100000) %}{{ range(100000)|sort|first }}"
                                                    "{% endfor %}"])
    out = tmp_path / "out.docx"
    start = time.monotonic()
    with pytest.raises(TemplateError, match="时间上限"):
        reportgen.render(reportgen.load(SAMPLE), out, template=slow, time_limit=0.5)
    assert time.monotonic() - start < 1.5 and not out.exists()


def test_the_command_line_passes_the_time_limit_through(tmp_path, capsys):
    """``reportgen FILE --time-limit S`` and ``reportgen batch … --time-limit S``, as the API's ``time_limit``."""
    from reportgen.cli import main
    slow = build_docx(tmp_path / "slow.docx", body=["{% for i in range(100000) %}{{ range(100000)|sort|first }}"
                                                    "{% endfor %}"])
    data = tmp_path / "in" / "data.json"
    data.parent.mkdir()
    import json
    plain = json.loads(SAMPLE.read_text(encoding="utf-8"))
    data.write_text(json.dumps({**plain, "template": str(slow)}, ensure_ascii=False), encoding="utf-8")
    start = time.monotonic()
    assert main([str(data), "-o", str(tmp_path / "out.docx"), "--time-limit", "0.5"]) == 2
    assert "时间上限（0.5 秒）" in capsys.readouterr().err and not (tmp_path / "out.docx").exists()
    assert main(["batch", str(data.parent), "-o", str(tmp_path / "out"), "-j", "1", "--time-limit", "0.5"]) == 1
    assert "时间上限（0.5 秒）" in capsys.readouterr().err
    assert time.monotonic() - start < 20


@pytest.mark.parametrize("command", [["{data}"], ["batch", "{data}", "-o", "{out}"]])
@pytest.mark.parametrize("value", ["0", "-1", "abc", "inf", "nan"])
def test_a_time_limit_must_be_a_positive_number(tmp_path, capsys, command, value):
    from reportgen.cli import main
    args = [a.format(data=SAMPLE, out=tmp_path / "out") for a in command]
    with pytest.raises(SystemExit) as exited:
        main(args + [f"--time-limit={value}"])
    err = capsys.readouterr().err
    assert exited.value.code == 2 and f"参数 --time-limit: 应为正数（秒），如 60 或 0.5：{value}" in err
    assert "Traceback" not in err and not (tmp_path / "out").exists()


def test_a_batch_time_limit_longer_than_its_timeout_is_refused(tmp_path, capsys):
    from reportgen.cli import main
    assert main(["batch", str(SAMPLE), "-o", str(tmp_path / "out"), "--timeout", "10", "--time-limit", "20"]) == 2
    assert "--time-limit（20 秒）应小于 --timeout（10 秒）" in capsys.readouterr().err
    from reportgen import batch
    assert batch.supervision_limit(None) == batch.TIME_LIMIT and batch.supervision_limit(300) > 300


def test_loop_turns_and_output_are_capped(tmp_path, context):
    assert "循环总共超过" in refusal(tmp_path, "{% for i in range(100000) %}{% for j in range(100000) %}"
                                               "{% endfor %}{% endfor %}", context)
    assert "文档过大" in refusal(tmp_path, '{% set a = "x" * 900000 %}{% for i in range(100) %}{{ a }}'
                                          '{% endfor %}', context)


@pytest.mark.parametrize("text", ["{{ " + "(" * 10000 + "1" + ")" * 10000 + " }}",
                                  "{{ department.name" + "|trim" * 10000 + " }}",
                                  "{{ " + "[" * 3000 + "]" * 3000 + " }}",
                                  "{{ " + "(" * 250 + "1" + ")" * 250 + " }}"])
def test_nesting_too_deep_is_refused_in_chinese(tmp_path, context, capsys, text):
    path = build_docx(tmp_path / "t.docx", body=[text])
    out = tmp_path / "out.docx"
    assert main([str(SAMPLE), "--template", str(path), "-o", str(out)]) == 2
    assert "嵌套过深" in capsys.readouterr().err and not out.exists()
    assert any("嵌套过深" in m for m in checked(tmp_path, text))


# ---- package parts ---------------------------------------------------------------------------------


def _with_part(source: Path, target: Path, name: str, size: int, declared=None) -> Path:
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item.filename, src.read(item.filename))
        dst.writestr(name, b" " * size)
    if declared is not None:  # the headers lie about the inflated size
        data = bytearray(target.read_bytes())
        for signature, offset in ((b"PK\x01\x02", 24), (b"PK\x03\x04", 22)):
            at = data.rfind(signature)
            struct.pack_into("<I", data, at + offset, declared)
        target.write_bytes(bytes(data))
    return target


@pytest.mark.parametrize("name,size,declared", [
    ("word/media/unused.bin", getattr(docx_package, "MAX_PART", 48 * 2**20) + 1, None),
    ("customXml/big.xml", getattr(docx_package, "MAX_XML_PART", 16 * 2**20) + 1, None),
    ("word/media/lie.bin", 5 * 2**20, 1000),
])
def test_a_part_too_large_is_refused_by_render_and_check_before_inflating(tmp_path, capsys, name, size, declared):
    plain = build_docx(tmp_path / "plain.docx", body=["{{ department.name }}"])
    bomb = _with_part(plain, tmp_path / "bomb.docx", name, size, declared)
    out = tmp_path / "out.docx"
    assert main([str(SAMPLE), "--template", str(bomb), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert name in err and "已拒绝读取" in err and not out.exists()
    with pytest.raises(TemplateError, match="已拒绝读取"):
        check_template(bomb)


def test_the_package_total_is_capped(tmp_path, monkeypatch):
    monkeypatch.setattr(docx_package, "MAX_PACKAGE", 2**20, raising=False)
    plain = build_docx(tmp_path / "plain.docx", body=["x"])
    with pytest.raises(TemplateError, match="（全部）"):
        Template(_with_part(plain, tmp_path / "big.docx", "word/media/a.bin", 2**20))


def test_a_package_is_inflated_once_to_check_its_sizes(tmp_path, monkeypatch):
    from reportgen.template_check.carried import carried_problems
    checks = []
    checking = docx_package.check_sizes
    monkeypatch.setattr(docx_package, "check_sizes", lambda *a: checks.append(a) or checking(*a))
    path = build_docx(tmp_path / "t.docx", body=["{{ department.name }}"])
    template = Template(path)
    carried_problems(template.data, template.parts)  # as a first render warns of them
    assert len(checks) == 1
    check_template(path, "self-evaluation")
    assert len(checks) == 2


def test_a_template_of_many_slow_constants_is_checked_in_bounded_time(tmp_path):
    from reportgen.template_check.limits import CHECK_TIME
    slow = '{{ range(100000)|map("string")|sort|join|length }}'
    path = build_docx(tmp_path / "t.docx", body=[slow] * 200)
    start = time.monotonic()
    check_template(path, "self-evaluation")
    assert time.monotonic() - start < CHECK_TIME + 3
