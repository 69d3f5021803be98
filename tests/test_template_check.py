"""``reportgen template-check``: every problem of a template at once, each with its place.

Templates are built with python-docx; what Word does to text (revisions, hyperlinks,
split runs) is written into the body XML by hand.
"""
from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
from docx import Document

from reportgen import kinds
from reportgen.cli import main
from reportgen.context.vocabulary import DATA_KEY, EACH_ITEM, paths
from reportgen.template_check import check_template

from support import build_docx

NAMES = {v.name: v.names for v in kinds.vocabularies()}

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = sorted((ROOT / "templates").glob("*/*.docx"))
SHIPPED_GUANGZHOU = ROOT / "templates" / "self-evaluation" / "guangzhou.docx"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def messages(path: Path, kind: str | None = "self-evaluation") -> list[str]:
    return [str(p) for p in check_template(path, kind).problems]  # place「text」：message，hint


def one(path: Path, **kwargs) -> str:
    found = messages(path, **kwargs)
    assert len(found) == 1, found
    return found[0]


# ---- shipped templates and the command ----------------------------------------------------


@pytest.mark.parametrize("template", SHIPPED, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_shipped_template_passes(template, capsys):
    assert main(["template-check", str(template)]) == 0
    assert "未发现问题" in capsys.readouterr().out


def test_kinds_of_shipped_templates_come_from_their_folder():
    for template in SHIPPED:
        assert check_template(template).kind == template.parent.name


def test_mistyped_name_curly_quote_and_unclosed_if_in_one_run(tmp_path, capsys):
    path = build_docx(tmp_path / "bad.docx", body=[
        "{{ departmnt.full_name }}{{ year }}年部门整体支出绩效自评报告",
        "自评等级：{% if grade == “优” %}优秀{% else %}{{ grade_word }}{% endif %}",
        "{% if attachment %}附件：{{ attachment }}",
    ])
    assert main(["template-check", str(path)]) == 1
    out = capsys.readouterr().out
    assert "发现 3 处问题" in out
    assert ("正文第1段「{{ departmnt.full_name }}{{ year }}年部门整体支出绩效自…」\n"
            "     未知的变量 “departmnt”，是否应为 “department”？") in out
    assert ("正文第2段「自评等级：{% if grade == “优” %}优秀{% else %}{{ grade…」\n"
            "     标签中有弯引号或全角引号 “ ”") in out
    assert ("正文第3段「{% if attachment %}附件：{{ attachment }}」\n"
            "     “{% if attachment %}” 没有结束：缺少 “{% endif %}”") in out


def test_json_output_gives_each_problem_its_fields(tmp_path, capsys):
    path = build_docx(tmp_path / "bad.docx", cells=[["名称", "金额"], ["{{ year }}", "{{ year|mony }}"]])
    assert main(["template-check", str(path), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["kind"] == "self-evaluation"
    [problem] = data["problems"]
    assert problem["part"] == "正文" and (problem["table"], problem["row"], problem["column"]) == (1, 2, 2)
    assert problem["place"] == "正文表格1第2行第2列"
    assert problem["tag"] == "{{ year|mony }}"
    assert problem["message"] == "未知的过滤器 “mony”" and problem["hint"] == "是否应为 “money”？"


def test_unreadable_or_missing_file_exits_2(tmp_path, capsys):
    (tmp_path / "x.docx").write_text("not a zip")
    assert main(["template-check", str(tmp_path / "x.docx")]) == 2
    assert main(["template-check", str(tmp_path / "none.docx")]) == 2
    err = capsys.readouterr().err
    assert "不是有效的Word文档" in err and "找不到模板文件" in err


def test_kind_is_guessed_from_the_folder_or_by_trying_each(tmp_path):
    folder = tmp_path / "project-goals"
    folder.mkdir()
    goals = build_docx(folder / "t.docx", body=["{{ department }}，单位：{{ money_unit }}"])
    assert check_template(goals).kind == "project-goals"
    elsewhere = tmp_path / "t.docx"
    shutil.copy(goals, elsewhere)
    report = check_template(elsewhere)
    assert (report.kind, report.guessed, report.problems) == ("project-goals", True, [])
    assert "未知的变量 “money_unit”" in one(elsewhere, kind="self-evaluation")


def test_nested_typos_do_not_mislead_the_guessed_kind(tmp_path):
    # three problems as a self-evaluation, one ("budget" unknown) as a project-goals table
    path = build_docx(tmp_path / "t.docx", body=["{{ budget.executd + budget.annual_budgt + budget.carryovr }}"])
    report = check_template(path)
    assert (report.kind, report.guessed, len(report.problems)) == ("self-evaluation", True, 3)


def test_a_guessed_kind_reads_and_parses_each_tag_once(tmp_path, monkeypatch):
    from reportgen.language import tags
    from reportgen.template_check import rules
    counts = {"patched": 0, "parsed": 0}
    patching, reading = rules.patch_xml, tags.read

    def patched(xml):
        counts["patched"] += 1
        return patching(xml)

    def read(*args, **kwargs):
        counts["parsed"] += 1
        return reading(*args, **kwargs)
    monkeypatch.setattr(rules, "patch_xml", patched)
    monkeypatch.setattr(rules, "read", read)
    path = build_docx(tmp_path / "t.docx", body=["{{ department }}", '{{ "a"|center(3) }}', "{% if x %}甲{% endif %}"])
    check_template(path, "self-evaluation")
    once = dict(counts)
    check_template(path)  # against every kind's vocabulary
    assert {k: v - once[k] for k, v in counts.items()} == once and once["parsed"] >= 4


# ---- names --------------------------------------------------------------------------------


def test_names_bound_by_for_and_set_are_known_only_where_bound(tmp_path):
    path = build_docx(tmp_path / "t.docx", body=[
        "{% set unit = \"万元\" %}{% for p in projects %}{{ loop.index }}{{ p.name }}{{ unit }}{% endfor %}",
        "{{ p.name }}{{ loop.index }}{{ unit }}",
    ])
    assert messages(path) == ["正文第2段「{{ p.name }}{{ loop.index }}{{ u…」：未知的变量 “p”",
                              "正文第2段「{{ p.name }}{{ loop.index }}{{ unit }}」：未知的变量 “loop”"]


def test_unknown_filter_and_test_get_the_nearest_name(tmp_path):
    path = build_docx(tmp_path / "t.docx", body=["{{ budget.executed|precent(1) }}",
                                            "{% if scope is nonee %}无{% endif %}"])
    found = messages(path)
    assert "未知的过滤器 “precent”，是否应为 “percent”？" in found[0]
    assert "未知的判断 “is nonee”，是否应为 “none”？" in found[1]


def test_jinja_builtin_filters_are_known(tmp_path):
    path = build_docx(tmp_path / "t.docx", body=['{{ department.units|join("、") }}{{ projects|length }}'])
    assert messages(path) == []


def test_internal_attributes_and_other_files_are_refused(tmp_path):
    path = build_docx(tmp_path / "t.docx", body=["{{ cycler.__init__.__globals__ }}",
                                            "{% include '/etc/passwd' %}", "{{ year|safe }}"])
    found = messages(path)
    assert any("不能使用 “__init__”" in m for m in found)  # the renderer's own message
    assert any("出于安全考虑，模板不能使用 “{% include %}”" in m for m in found)
    assert any("出于安全考虑，不能使用过滤器 “safe”" in m for m in found)


# ---- nested names -------------------------------------------------------------------------


def test_nested_typos_in_the_body_get_the_nearest_name(tmp_path):
    path = build_docx(tmp_path / "t.docx", body=["{{ department.nmae }}年度报告",
                                            "支出进度{{ budget.execution_rat|percent }}。",
                                            '{{ budget["executd"]|money }}万元'])
    assert messages(path) == [
        "正文第1段「{{ department.nmae }}年度报告」：未知的名称 “department.nmae”，是否应为 “department.name”？",
        "正文第2段「支出进度{{ budget.execution_rat|percent }}。」：未知的名称 “budget.execution_rat”，"
        "是否应为 “budget.execution_rate”？",
        '正文第3段「{{ budget["executd"]|money }}万元」：未知的名称 “budget["executd"]”，'
        '是否应为 “budget["executed"]”？',
    ]


def test_nested_typos_in_table_cells_of_a_row_loop(tmp_path):
    cells = [["{%tr for u in units %}", ""], ["{{ u.subtotl|amount }}", "{{ u.amounts.totl|amount }}"],
             ["{%tr endfor %}", ""]]
    path = build_docx(tmp_path / "t.docx", cells=cells)
    assert messages(path, kind="project-goals") == [
        "正文表格1第2行第1列「{{ u.subtotl|amount }}」：未知的名称 “u.subtotl”：“u”（units 中的一项）之下只有 "
        "name（单位名称）、projects（项目）、amounts（该单位小计的金额）",
        "正文表格1第2行第2列「{{ u.amounts.totl|amount }}」：未知的名称 “u.amounts.totl”，是否应为 “u.amounts.total”？",
    ]


def test_nested_typos_on_loop_variables_at_every_depth(tmp_path):
    path = build_docx(tmp_path / "t.docx", body=[
        "{%p for t in work.tasks %}", "{{ loop.idx }}.{{ t.titel }}", "{%p endfor %}",
        "{%p for g in indicators.groups %}",
        "{% for i in g.indicators if i.mett %}{{ i.level1.nmae }}{{ loop.previtem.sentnce }}{% endfor %}",
        "{%p endfor %}",
        "{% for k, v in prose.items() %}{{ v.text }}{% endfor %}{% set b = budget %}{{ b.executd }}",
    ])
    assert [m.split("：", 1)[1] for m in messages(path)] == [
        "未知的名称 “loop.idx”，是否应为 “loop.index”？",
        "未知的名称 “t.titel”，是否应为 “t.title”？",
        "未知的名称 “i.mett”，是否应为 “i.met”？",
        "未知的名称 “i.level1.nmae”，是否应为 “i.level1.name”？",
        "未知的名称 “loop.previtem.sentnce”，是否应为 “loop.previtem.sentence”？",
        "未知的名称 “v.text”：“v”（prose 中一项的值）是单个值，其下没有其他名称",
        "未知的名称 “b.executd”，是否应为 “b.executed”？",
    ]


def test_names_under_a_list_or_a_single_value(tmp_path):
    path = build_docx(tmp_path / "t.docx", body=[
        "{{ projects.nam }}", "{{ year.value }}", "{%p for f in department.functions %}", "{{ f.name }}",
        "{%p endfor %}", '{{ projects|map(attribute="nme")|join }}{{ (projects|first).sentnce }}'])
    assert [m.split("：", 1)[1] for m in messages(path)] == [
        "未知的名称 “projects.nam”：“projects” 是列表，要用 “{% for x in projects %}” 逐项取用，"
        "这一项的名称写作 “x.name”",
        "未知的名称 “year.value”：“year” 是单个值，其下没有其他名称",
        "未知的名称 “f.name”：“f”（department.functions 中的一项）是单个值，其下没有其他名称",
        "未知的名称 “projects[…].nme”，是否应为 “projects[…].name”？",
        "未知的名称 “(projects|first).sentnce”，是否应为 “(projects|first).sentence”？",
    ]


def test_correct_nested_names_are_not_flagged(tmp_path):
    path = build_docx(tmp_path / "t.docx", body=[
        "{{ department.full_name }}{{ budget.expenditure.general_public_budget|money }}{{ prose.anything }}",
        "{%p for t in work.tasks if t.outcome %}", "{{ loop.index }}{{ t.title|trim }}{{ t.title.strip() }}",
        "{%p endfor %}",
        "{% for k, v in prose.items() %}{{ k }}{{ v|length }}{% endfor %}{{ prose.values()|list|length }}",
        "{% for g in indicators.groups %}{% for i in g.indicators %}{{ i.target.text }}{{ i.level1.code }}"
        "{{ loop.previtem.name if not loop.first }}{{ loop.cycle('a', 'b') }}{% endfor %}{% endfor %}",
        '{{ budget["executed"] }}{{ budget.get("executed") }}{{ projects[0].name }}',
        "{{ (projects|last).sentence }}",
        '{{ projects|selectattr("low_execution")|map(attribute="name")|join("、") }}{{ projects.count(1) }}',
        "{% set ns = namespace(n=0) %}{% set ns.n = ns.n + 1 %}{{ ns.n }}{% set s = budget.income_sources %}"
        "{% for x in s %}{{ x.amount }}{% endfor %}",
        "{% with d = department %}{{ d.staffing.others.临聘 }}{% endwith %}",
        "{{ department.staffing.authorized if department.staffing }}{{ score.execution.weight }}",
    ])
    assert messages(path) == []


@pytest.mark.parametrize("kind", sorted(NAMES))
def test_every_declared_name_passes(tmp_path, kind):
    written = [path.replace(EACH_ITEM, "[0]").replace(DATA_KEY, "某名称") for path, _ in paths(NAMES[kind])]
    assert messages(build_docx(tmp_path / "t.docx", body=[f"{{{{ {w} }}}}" for w in written]), kind) == []


# ---- tags ---------------------------------------------------------------------------------


@pytest.mark.parametrize("text, message", [
    ("{% fi grade %}优{% endif %}", "未知的标签 “fi”，是否应为 “if”？"),
    ("{% if grade %}优{% endfi %}", "未知的标签 “endfi”，是否应为 “endif”？"),
    ("{% if grade %}优{% esle %}良{% endif %}", "未知的标签 “esle”，是否应为 “else”？"),
    ("{% if grade %}优{% else if year %}良{% endif %}", "“{% else %}” 后面不能有其他内容"),
    ("{% endif %}", "多余的 “{% endif %}”：前面没有对应的 “{% if … %}”"),
    ("{% else %}", "“{% else %}” 前面没有对应的 “{% if … %}”或“{% for … %}”"),
    ("{{ year }", "标签没有结束：“{{” 之后缺少 “}}”"),
    ("{{ year }} %}", "多余的 “%}”：前面没有对应的 “{%”"),
    ("｛｛ year ｝｝", "标签符号 “｛｛” 中有全角符号，应写作半角的 “{{”"),
    ("{ { year }}", "标签符号 “{ {” 中有空格，应写作半角的 “{{”"),
    ("{{ year（） }}", "标签中有全角符号 （ ）"),
    ("{{ }}", "空的标签"),
])
def test_misspelled_unbalanced_and_mistyped_tags(tmp_path, text, message):
    assert message in messages(build_docx(tmp_path / "t.docx", body=[text]))[0]


JINJA_BRACES = ['{{ {"a": 1}|length }}', '{{ {"a": {"b": 1}}|length }}', '{{ "}}" }}', "{{ '%}' }}",
                "{% set d = {'k': {'v': 2}} %}{{ d.k.v }}", '{% if {"a": 1} %}有{% endif %}']


def test_braces_and_closers_inside_a_tag_are_read_as_jinja_reads_them(tmp_path):
    """A dict in a tag is not a mistyped "{ {", a closer in a string or brackets does not end it."""
    from reportgen.engine.template import Template
    from support import paragraphs
    path = build_docx(tmp_path / "t.docx", body=JINJA_BRACES)
    assert messages(path) == []
    out = tmp_path / "out.docx"
    out.write_bytes(Template(path).render_bytes({}))
    assert paragraphs(out) == ["1", "1", "}}", "%}", "2", "有"]


def test_a_dict_tag_split_into_plain_runs(tmp_path):
    """docxtpl joins the runs up to the tag's first "}}": split before it, the tag is read;
    split after it, docxtpl leaves Word's markup inside and the tag is unreadable."""
    before = paragraph(RUN.format('{{ {"a":'), RUN.format(' {"b": 1}}|length }}'))
    assert messages(build_docx(tmp_path / "a.docx", xml=before)) == []
    after = paragraph(RUN.format('{{ {"a": {"b": 1}}'), RUN.format("|length }}"))
    assert "程序读不出" in one(build_docx(tmp_path / "b.docx", xml=after))


def test_a_tag_across_two_paragraphs(tmp_path):
    found = messages(build_docx(tmp_path / "t.docx", body=["标题{{ department.", "full_name }}"]))
    assert "标签没有结束：“{{” 之后缺少 “}}”（标签必须写在同一段内）" in found[0]
    assert found[1].startswith("正文第2段「full_name }}」：多余的 “}}”")


def test_paragraph_tags_must_stand_alone_and_pair(tmp_path):
    path = build_docx(tmp_path / "t.docx", body=["{%p if attachment %}附件", "{{ attachment }}", "{% endif %}"])
    found = messages(path)
    assert "同一段中的其他文字「附件」会被删除" in found[0]
    assert "不配套：开始标签以 “{%p” 开头，这里也应写作 “{%p … %}”" in found[1]


ROW = ["{{ p.name }}", "{{ p.budget|money }}"]


@pytest.mark.parametrize("cells, message", [
    ([[["{%tr for p in projects %}", ""], ROW]], "没有结束：缺少 “{%tr endfor %}”"),
    ([[["{%tr for p in projects %}", ""], ROW, ["{% endfor %}", ""]]], "这里也应写作 “{%tr … %}”"),
    ([[["{%tr for p in projects %}", ""], ROW], [["{%tr endfor %}", ""]]], "不在同一个表格"),
    ([[["{%tr for p in projects %}", "合计"], ROW, ["{%tr endfor %}", ""]]],
     "同一行中的其他内容「合计」会被删除"),
])
def test_table_row_tags_pair_up_in_one_table(tmp_path, cells, message):
    found = messages(build_docx(tmp_path / "t.docx", cells=cells))
    assert any(message in m for m in found), found
    assert found[0].startswith("正文表格")


def test_table_row_tags_outside_a_table(tmp_path):
    found = messages(build_docx(tmp_path / "t.docx", body=["{%tr for p in projects %}", "{%tr endfor %}"]))
    assert found[0] == "正文第1段「{%tr for p in projects %}」：“{%tr … %}” 标签必须写在表格中"


def test_a_good_table_passes(tmp_path):
    cells = [["项目", "金额"], ["{%tr for p in projects %}", ""], ROW, ["{%tr endfor %}", ""]]
    assert messages(build_docx(tmp_path / "t.docx", cells=cells)) == []


# ---- what Word does to text --------------------------------------------------------------

RUN = '<w:r><w:t xml:space="preserve">{}</w:t></w:r>'


def paragraph(*inner: str) -> str:
    return f'<w:p xmlns:w="{W_NS}">' + "".join(inner) + "</w:p>"


def test_a_tag_split_into_plain_runs_is_fine(tmp_path):
    xml = paragraph('<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">{{ depart</w:t></w:r>',
                    '<w:proofErr w:type="spellStart"/>', RUN.format("ment.full_name }}"))
    assert messages(build_docx(tmp_path / "t.docx", xml=xml)) == []


INS = '<w:ins w:id="1" w:author="a" w:date="2024-01-01T00:00:00Z">{}</w:ins>'


@pytest.mark.parametrize("first, second", [
    ("{}", INS), (INS, "{}"), ("{}", '<w:hyperlink w:anchor="x">{}</w:hyperlink>'),
])
def test_a_tag_split_across_a_revision_or_hyperlink_edge_is_reported(tmp_path, first, second):
    """docxtpl reads such a tag, but joining it unbalances the XML: what follows is lost."""
    xml = paragraph(first.format(RUN.format("{{ depart")), second.format(RUN.format("ment.full_name }}")))
    found = one(build_docx(tmp_path / "t.docx", xml=xml))
    assert found.startswith("正文第1段「{{ department.full_name }}」：Word 把这个标签拆成了几段，分在修订")
    assert "丢失内容" in found and "程序读不出" not in found


@pytest.mark.parametrize("inner", [
    INS.format(RUN.format("{{ depart")) + INS.format(RUN.format("ment.full_name }}")),
    INS.format(RUN.format("{{ depart") + RUN.format("ment.full_name }}")),
    RUN.format("{") + INS.format("") + RUN.format("{ department.full_name }}"),
])
def test_a_tag_split_within_or_between_whole_revisions_is_fine(tmp_path, inner):
    assert messages(build_docx(tmp_path / "t.docx", xml=paragraph(inner))) == []


def test_a_tag_broken_by_deleted_text_is_reported(tmp_path):
    deleted = '<w:del w:id="2" w:author="a"><w:r><w:delText>x</w:delText></w:r></w:del>'
    xml = paragraph(RUN.format("{"), deleted, RUN.format("{ year }}"))
    assert "Word 把这个标签拆成了几段" in one(build_docx(tmp_path / "t.docx", xml=xml))


def test_a_tag_in_deleted_text_is_reported(tmp_path):
    deleted = '<w:del w:id="2" w:author="a"><w:r><w:delText>{{ old }}</w:delText></w:r></w:del>'
    found = one(build_docx(tmp_path / "t.docx", xml=paragraph(RUN.format("正文"), deleted)))
    assert "修订中删除的文字或域代码里有标签" in found


# ---- other parts --------------------------------------------------------------------------


def test_headers_footers_and_properties_are_checked_with_their_place(tmp_path):
    path = build_docx(tmp_path / "t.docx", header="{{ yaer }}年", footer="{{ loop.index }}",
                 title="{{ department.nmae }}{{ departmnt }}")
    assert messages(path) == [
        "页眉第1段「{{ yaer }}年」：未知的变量 “yaer”，是否应为 “year”？",
        "页脚第1段「{{ loop.index }}」：未知的变量 “loop”",
        "文档属性（标题）「{{ department.nmae }}{{ departmnt }}」：未知的名称 “department.nmae”，"
        "是否应为 “department.name”？",
        "文档属性（标题）「…{ department.nmae }}{{ departmnt }}」：未知的变量 “departmnt”，是否应为 “department”？",
    ]


# ---- one mistake, one report ----------------------------------------------------------------


def test_an_unclosed_tag_is_reported_once_not_as_split_tags_after_it(tmp_path):
    """docxtpl would read an unclosed "{{" on to the next "}}", paragraphs later; the tags
    between are not split, and are not reported as such."""
    with zipfile.ZipFile(SHIPPED_GUANGZHOU) as src:
        entries = [(item, src.read(item.filename)) for item in src.infolist()]
    broken = tmp_path / "broken.docx"
    with zipfile.ZipFile(broken, "w", zipfile.ZIP_DEFLATED) as dst:
        for item, body in entries:
            if item.filename == "word/document.xml":
                body = body.replace(b"{{ department.full_name }}</w:t>", b"{{ department.full_name </w:t>", 1)
            dst.writestr(item, body)
    assert one(broken) == ("正文第4段「{{ year }}年度{{ department.full_nam…」：标签没有结束：“{{” 之后缺少 “}}”"
                           "（标签必须写在同一段内）")


def test_an_unclosed_tag_before_a_tag_in_plain_runs(tmp_path):
    xml = (paragraph(RUN.format("标题{{ year")) + paragraph(RUN.format("正文")) +
           paragraph(RUN.format("{{ depart"), RUN.format("ment.full_name }}")))
    assert one(build_docx(tmp_path / "t.docx", xml=xml)).startswith("正文第1段「标题{{ year」：标签没有结束")


@pytest.mark.parametrize("text, message", [
    ("{{ year + }}", "标签写法有误：标签结尾之前缺少内容"),
    ("{{ year year }}", "标签写法有误：此处应为 “}}”，写的却是 “year”"),
])
def test_syntax_errors_are_in_chinese(tmp_path, text, message):
    found = messages(build_docx(tmp_path / "t.docx", body=[text]))
    assert found == [f"正文第1段「{text}」：{message}"]


def test_white_space_control_is_refused_with_its_cause(tmp_path):
    """docxtpl reads "{%-" and "-%}" as "join this paragraph to its neighbour" (issue 10, kind 4)."""
    found = messages(build_docx(tmp_path / "t.docx", body=["{%- if grade -%}优{%- endif +%}"]))
    assert len(found) == 3 and all("并成一段" in m for m in found[:2]) and "“+”" in found[2]


# ---- places and row tags in a copy of the shipped template ---------------------------------


def guangzhou_with_table(path: Path, after: int, rows: int = 1, cols: int = 1, text: str = "") -> Document:
    """The shipped guangzhou template with a table after body paragraph ``after``."""
    doc = Document(SHIPPED_GUANGZHOU)
    table = doc.add_table(rows=rows, cols=cols)
    table.cell(0, 0).text = text
    doc.paragraphs[after - 1]._p.addnext(table._tbl)
    doc.save(path)
    return doc


@pytest.mark.parametrize("after", [10, 61, 70])
def test_a_row_holding_both_row_tags_gives_no_false_split_tag(tmp_path, after):
    """docxtpl keeps one of two {%tr %} tags in a row; the other is not looked for among
    the shipped {%p for p in projects %} and its like."""
    path = tmp_path / "t.docx"
    guangzhou_with_table(path, after, text="{%tr for p in projects %}{{ p.name }}{%tr endfor %}")
    found = messages(path)
    assert len(found) == 2, found
    assert all(m.startswith("正文表格1第1行第1列") and "同一行中的其他内容" in m for m in found)


def test_body_paragraphs_are_numbered_without_table_cells(tmp_path):
    path = tmp_path / "t.docx"
    doc = guangzhou_with_table(path, 61, rows=3, cols=3)
    cells = doc.tables[0]
    cells.cell(1, 2).paragraphs[0].text = "{{ yaer }}"
    body = doc.paragraphs
    assert body[62].text == "{{ p.sentence }}"
    for run in body[62].runs:
        run.text = run.text.replace("p.sentence", "p.sentense")
    doc.save(path)
    found = check_template(path, "self-evaluation").problems
    assert [p.where.label for p in found] == ["正文表格1第2行第3列", "正文第63段"]
    assert found[1].where.paragraph == 63 and found[1].where.excerpt == "「{{ p.sentense }}」"
