"""One rule for each figure of a score, wherever it is printed: the 自评表 (project and
department), the report's sentences and ``reportgen check`` say the same thing."""
from __future__ import annotations

import re

import pytest

import reportgen
from reportgen import api

from support import dump_json, sample_data

CLEAN = "clean-2023.json"


def loads(data: dict):
    return reportgen.loads(dump_json(data))


def _numbers(text: str) -> list[str]:
    return re.findall(r"得分(\d+(?:\.\d+)?)分", text)


# ---- the data's score precision, everywhere ------------------------------------------------


def test_the_score_precision_of_the_data_rules_the_report_sentences_and_the_tables():
    data = sample_data(CLEAN)
    data["settings"] = {"precision": {"score": 1}}
    model = loads(data)
    report = reportgen.context(model)
    (_, table), = api.contexts(model, "department-table")
    groups = [g["score"] for g in table["indicators"]["groups"]]
    assert _numbers(report["sentences"]["score"]) == [table["budget"]["score"], *groups]
    assert table["budget"]["score"] == "9.5"  # 9.5408…: one place, as the table prints it
    assert f"得分为{table['total']}分" in report["sentences"]["conclusion"]


def test_check_speaks_of_scores_with_the_data_s_precision():
    data = sample_data(CLEAN)
    data["settings"] = {"precision": {"score": 0}}
    data["grade"] = "差"
    found = [p.message for p in reportgen.check(loads(data)) if p.path == "$.grade"]
    assert found and "计算得分98分" in found[0] and "预算执行率得分10分" in found[0]


# ---- a 一级指标 missing altogether ------------------------------------------------------------


def _missing_satisfaction(data: dict) -> dict:
    """clean-2023 without its 满意度指标 and with one 产出指标 (10 points) not applicable."""
    data["indicators"] = [i for i in data["indicators"] if i["level1"]["name"] != "满意度指标"]
    data["indicators"][4]["applicable"] = False  # 单场推介活动平均成本
    return data


def test_a_missing_category_counts_0_in_the_tables_the_sentences_and_check_alike():
    from decimal import Decimal
    from reportgen.compute import scoring
    from reportgen.formatting import number
    from reportgen.rounding import round_half_up
    model = loads(_missing_satisfaction(sample_data(CLEAN)))
    card = scoring.evaluate(model)
    # 预算执行率 + 产出 39.44 + 效益 30, over the 90 points that apply: 满意度's 10 stay in
    expected = round_half_up((card.execution_score + Decimal("69.44")) * 100 / 90, 2)
    assert card.total == expected and card.applicable_points == 90
    report = reportgen.context(model)
    (_, table), = api.contexts(model, "department-table")
    assert table["total"] == number(expected) == number(report["score"]["total"])
    assert f"得分为{table['total']}分" in report["sentences"]["conclusion"]
    assert "满意度指标得分0分（分值10分）" in report["sentences"]["score"]
    assert "满意度指标未列出指标，计0分" in table["weights_note"] and "合计90分" in table["weights_note"]
    (message,) = [p.message for p in reportgen.check(model) if p.path == "$.indicators" and "满意度" in p.message]
    assert "计为0分" in message and "applicable" in message


def test_a_project_s_missing_category_counts_0_whether_or_not_another_indicator_is_not_applicable():
    data = sample_data(CLEAN)
    project = data["projects"][0]  # its 生态环境影响 does not apply
    project["indicators"] = [i for i in project["indicators"] if i["level1"]["name"] != "满意度指标"]
    table = api.contexts(loads(data), "project-tables")[0][1]
    assert table["total"] == "89.84"  # 9.84 + 50 + 30 + 0, not rescaled to 99.82
    assert table["grade"] == "良"


# ---- no indicator, no score ----------------------------------------------------------------


def test_a_project_without_indicators_claims_no_total_and_check_says_why(tmp_path):
    from support import docx_text
    data = sample_data(CLEAN)
    data["projects"][1]["indicators"] = []
    model = loads(data)
    table = api.contexts(model, "project-tables")[1][1]
    assert (table["total"], table["full"], table["grade"], table["grade_word"]) == ("", "", "", "")
    assert table["funds"]["total"]["score"] == "9.68"  # the execution score is still a figure of its own
    assert "不计总分和等级" in table["weights_note"]
    text = docx_text(reportgen.render(model, tmp_path / "t", document="project-tables")[1])
    assert "总分" in text and "总分100" not in text and "9.68注" not in text
    (message,) = [p for p in reportgen.check(model) if p.path == "$.projects[1].indicators"]
    assert message.severity == "warning" and "没有填写绩效指标" in message.message and "总分" in message.message


def test_a_table_whose_indicators_all_do_not_apply_claims_no_total_either():
    data = sample_data("tianchang-2022-project-self-evaluation.json")
    for indicator in data["project"]["indicators"]:
        indicator["applicable"] = False
    model = loads(data)
    table = reportgen.context(model)
    assert (table["total"], table["full"], table["grade"], table["converted"]) == ("", "", "", False)
    (message,) = [p.message for p in reportgen.check(model) if p.path == "$.project.indicators"]
    assert "都标为不适用" in message


def test_a_report_whose_indicators_all_do_not_apply_has_no_score_sentence():
    data = sample_data(CLEAN)
    for indicator in data["indicators"]:
        indicator["applicable"] = False
    report = reportgen.context(loads(data))
    assert report["score"] is None and report["sentences"]["conclusion"] == ""
    assert report["sentences"]["score"] == ""


def test_the_department_table_without_indicators_claims_no_total_but_keeps_the_department_s_grade():
    data = sample_data(CLEAN)
    data["indicators"] = []
    (_, table), = api.contexts(loads(data), "department-table")
    assert (table["total"], table["full"], table["grade"]) == ("", "", "优")  # 优 is the data's own grade
    del data["grade"]
    (_, table), = api.contexts(loads(data), "department-table")
    assert (table["total"], table["full"], table["grade"]) == ("", "", "")


# ---- a unit on one side only -----------------------------------------------------------------


def test_a_percent_target_against_a_bare_fraction_is_an_error_saying_what_to_write():
    data = sample_data(CLEAN)
    data["indicators"][8]["actual"] = "0.932"  # 企业服务满意度 ≥90%
    (problem,) = [p for p in reportgen.check(loads(data)) if p.path == "$.indicators[8].actual"]
    assert problem.severity == "error"
    assert "“≥90%”带单位“%”" in problem.message and "“0.932”没有单位" in problem.message
    assert "请写作“93.2%”" in problem.message


@pytest.mark.parametrize("target, actual", [("≥90%", "0.85"), ("≥0.9", "85%")])
def test_a_fraction_against_a_percent_is_refused_by_rendering_not_scored_wrong(target, actual, tmp_path):
    # scored as 0.85% (0.09 of its points) or as full marks, the table would look right
    data = sample_data(CLEAN)
    data["indicators"][8].update(target=target, actual=actual)  # 企业服务满意度
    with pytest.raises(reportgen.DataError) as refused:
        reportgen.render(loads(data), tmp_path / "r.docx")
    assert [p.path for p in refused.value.problems] == ["$.indicators[8].actual" if actual == "0.85"
                                                       else "$.indicators[8].target"]
    assert not (tmp_path / "r.docx").exists()


def test_a_unit_on_one_side_only_is_a_warning_naming_the_unit_to_write():
    data = sample_data(CLEAN)
    data["indicators"][0]["actual"] = "18"  # 举办招商推介活动场次 ≥15场
    data["projects"][0]["indicators"][0]["target"] = "≥15"  # against 18场
    found = {p.path: p for p in reportgen.check(loads(data))}
    report, project = found["$.indicators[0].actual"], found["$.projects[0].indicators[0].target"]
    assert report.severity == project.severity == "warning"
    assert "如“18场”" in report.message and "如“15场”" in project.message
    data["indicators"][0]["unit"] = "场"  # the indicator's own unit says what a bare value is in
    assert "$.indicators[0].actual" not in {p.path for p in reportgen.check(loads(data))}


# ---- figures that cannot be are not printed ------------------------------------------------


def _run(*args, cwd):
    import os
    import subprocess
    import sys
    from support import ROOT
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))  # this checkout's code, whatever the folder
    return subprocess.run([sys.executable, "-m", "reportgen", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, env=env)


def test_weights_over_100_are_refused_by_rendering_with_check_s_message_and_nothing_written(tmp_path):
    from support import write_json
    data = sample_data(CLEAN)
    data["settings"] = {"weights": {"execution": 10, "categories": {"产出指标": 50, "效益指标": 30, "满意度指标": 20}}}
    source = write_json(tmp_path / "over.json", data)
    message = "$.settings.weights: 预算执行率和各一级指标的分值合计110分，应为100分"
    for document, out in ((None, "r.docx"), ("department-table", "d.docx"), ("project-tables", "p")):
        extra = ["--document", document] if document else []
        result = _run(source, *extra, "-o", tmp_path / out, cwd=tmp_path)
        assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr
        assert "未生成文件" in result.stderr
        assert not (tmp_path / out).exists()
    checked = _run("check", source, cwd=tmp_path)
    assert checked.returncode == 1 and message in checked.stdout


def test_a_score_above_its_points_refuses_that_project_s_tables_only(tmp_path):
    import pytest
    from reportgen.errors import DataError
    data = sample_data(CLEAN)
    data["projects"][2]["indicators"][2]["score"] = 35  # 展会社会影响: 35 of 30 points
    model = loads(data)
    with pytest.raises(DataError) as refused:
        reportgen.render(model, tmp_path / "p", document="project-tables")
    assert [p.path for p in refused.value.problems] == ["$.projects[2].indicators[2].score"]
    assert "得分35分超过其分值30分" in str(refused.value)
    assert not (tmp_path / "p").exists()
    reportgen.render(model, tmp_path / "r.docx")  # the report prints no project score: written
    found = [p for p in reportgen.check(model) if p.path == "$.projects[2].indicators[2].score"]
    assert [p.severity for p in found] == ["error"]


def test_a_category_weighing_more_than_its_points_is_refused_naming_the_cell_of_a_workbook(tmp_path):
    from support import write_json
    data = sample_data(CLEAN)
    data["indicators"][0]["weight"] = 20  # 产出指标: 60 of 50
    source = write_json(tmp_path / "w.json", data)
    assert _run("export", source, "-o", tmp_path / "w.xlsx", cwd=tmp_path).returncode == 0
    result = _run(tmp_path / "w.xlsx", "--document", "department-table", "-o", tmp_path / "d.docx", cwd=tmp_path)
    assert result.returncode == 2 and "各指标分值之和60分与该一级指标的分值50分不符" in result.stderr
    assert "绩效指标!" in result.stderr and "$.indicators" not in result.stderr
    assert not (tmp_path / "d.docx").exists()


def test_weights_not_adding_up_are_named_at_the_cells_of_a_workbook_that_hold_them(tmp_path):
    from support import write_json
    data = sample_data("tianchang-2022-project-self-evaluation.json")
    data["settings"] = {"weights": {"execution": 30}}  # with the default 50 / 30 / 10: 120
    source = write_json(tmp_path / "w.json", data)
    assert _run("export", source, "-o", tmp_path / "w.xlsx", cwd=tmp_path).returncode == 0
    said = "基本信息!B18（文档设置·评分权重·预算执行率分值）：预算执行率和各一级指标的分值合计120分，应为100分" \
           "（工作表“一级指标分值”未填写，按默认值计）"
    rendered = _run(tmp_path / "w.xlsx", "-o", tmp_path / "w.docx", cwd=tmp_path)
    checked = _run("check", tmp_path / "w.xlsx", cwd=tmp_path)
    assert rendered.returncode == 2 and said in rendered.stderr and not (tmp_path / "w.docx").exists()
    assert checked.returncode == 1 and said in checked.stdout and "$.settings" not in checked.stdout
    data["settings"] = {"weights": {"categories": {"产出指标": 60, "效益指标": 30, "满意度指标": 20}}}
    write_json(source, data)
    assert _run("export", source, "-o", tmp_path / "c.xlsx", cwd=tmp_path).returncode == 0
    checked = _run("check", tmp_path / "c.xlsx", cwd=tmp_path)
    assert ("一级指标分值!B2（一级指标分值）：预算执行率和各一级指标的分值合计120分，应为100分（另见 一级指标分值!B3、B4；"
            "基本信息!B18（文档设置·评分权重·预算执行率分值）未填写，按默认值计）") in checked.stdout


# ---- the folder of project tables keeps to the data --------------------------------------------


def test_rendering_project_tables_again_removes_the_tables_of_projects_no_longer_in_the_data(tmp_path):
    import warnings
    from reportgen.errors import OutputNotice
    folder = tmp_path / "tables"
    data = sample_data(CLEAN)
    first = reportgen.render(loads(data), folder, document="project-tables")
    (folder / "说明.docx").write_bytes(b"the clerk's own")  # not reportgen's: never touched
    (folder / "09-手工表.docx").write_bytes(b"typed by hand")  # looks like a table: named, kept
    del data["projects"][0]  # the others move up: 01-企业扶持资金, 02-会展服务采购经费
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        second = reportgen.render(loads(data), folder, document="project-tables")
    assert [p.name for p in second] == ["01-企业扶持资金.docx", "02-会展服务采购经费.docx"]
    assert sorted(p.name for p in folder.glob("*.docx")) == sorted(
        [p.name for p in second] + ["说明.docx", "09-手工表.docx"])
    notices = [str(w.message) for w in caught if issubclass(w.category, OutputNotice)]
    assert any("已删除" in n and "03-会展服务采购经费.docx" in n for n in notices)
    assert any("09-手工表.docx" in n and "没有删除" in n for n in notices)
    assert first[0].name == "01-招商推介活动经费.docx"


def test_a_stale_table_the_clerk_edited_is_kept_and_named_on_the_command_line(tmp_path):
    from support import write_json
    folder = tmp_path / "tables"
    data = sample_data(CLEAN)
    source = write_json(tmp_path / "d.json", data)
    assert _run(source, "--document", "project-tables", "-o", folder, cwd=tmp_path).returncode == 0
    edited = folder / "03-会展服务采购经费.docx"
    edited.write_bytes(edited.read_bytes() + b"\0")  # changed after it was written
    data["projects"] = data["projects"][:2]
    write_json(source, data)
    result = _run(source, "--document", "project-tables", "-o", folder, cwd=tmp_path)
    assert result.returncode == 0 and edited.exists()
    assert "注意：" in result.stderr and "03-会展服务采购经费.docx" in result.stderr and "未删除" in result.stderr
    assert sorted(p.name for p in folder.glob("*.docx")) == [
        "01-招商推介活动经费.docx", "02-企业扶持资金.docx", "03-会展服务采购经费.docx"]



def _render_tables(data: dict, folder) -> tuple[list[str], list[str]]:
    """(the names written, the notices) of rendering ``data``'s project tables into ``folder``."""
    import warnings
    from reportgen.errors import OutputNotice
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        written = reportgen.render(loads(data), folder, document="project-tables")
    return [p.name for p in written], [str(w.message) for w in caught if issubclass(w.category, OutputNotice)]


def test_another_department_s_tables_in_the_same_folder_are_never_deleted(tmp_path):
    folder = tmp_path / "tables"
    ours, theirs = sample_data(CLEAN), sample_data(CLEAN)
    theirs["department"]["name"] = "另一个局"
    theirs["projects"] = theirs["projects"][:1]
    theirs["projects"][0]["name"] = "另局项目"
    first, _ = _render_tables(ours, folder)
    _, notices = _render_tables(theirs, folder)
    assert all((folder / name).exists() for name in first)  # written for other data: kept
    assert len(notices) == 1 and all(name in notices[0] for name in first)
    assert "广州市某区商务局2023年" in notices[0] and "没有删除" in notices[0]
    ours["projects"] = ours["projects"][:2]
    _, notices = _render_tables(ours, folder)  # its own stale table goes; the other's stays
    assert not (folder / first[2]).exists() and (folder / "01-另局项目.docx").exists()
    assert any("已删除" in n and first[2] in n for n in notices)
    assert any("01-另局项目.docx" in n and "另一个局2023年" in n for n in notices)
    theirs["year"] = 2024  # the same department, another year: other data too
    _render_tables(theirs, folder)
    assert (folder / "01-另局项目.docx").exists()


def test_a_table_renumbered_is_said_to_be_renumbered_not_gone(tmp_path):
    folder = tmp_path / "tables"
    data = sample_data(CLEAN)
    first, _ = _render_tables(data, folder)
    del data["projects"][1]  # 02-企业扶持资金 goes; 03-会展服务采购经费 becomes 02
    _, notices = _render_tables(data, folder)
    (deleted,) = [n for n in notices if "已删除" in n]
    assert "02-企业扶持资金.docx（本次数据中已没有对应项目）" in deleted
    assert "03-会展服务采购经费.docx（项目编号改变，本次为 02-会展服务采购经费.docx）" in deleted


def test_refused_data_starts_no_libreoffice_and_is_worked_out_once(tmp_path, monkeypatch, capsys):
    from reportgen import pdf
    from reportgen.checking import impossible
    from reportgen.cli import main
    from support import write_json
    data = sample_data("tianchang-2022-project-self-evaluation.json")
    data["project"]["indicators"][2]["score"] = 15  # qualitative, of 10 points
    source = write_json(tmp_path / "over.json", data)

    def started(*args, **kwargs):
        raise AssertionError("LibreOffice started for data that is refused")
    monkeypatch.setattr(pdf, "Converters", started)
    assert main([str(source), "-o", str(tmp_path / "o.docx"), "--pdf"]) == 2
    assert "得分15分超过其分值10分" in capsys.readouterr().err and not (tmp_path / "o.docx").exists()
    monkeypatch.undo()
    calls = []
    monkeypatch.setattr(impossible, "impossible", lambda *args: calls.append(args) or [])
    data["project"]["indicators"][2]["score"] = 9
    write_json(source, data)
    assert main([str(source), "-o", str(tmp_path / "o.docx")]) == 0
    assert len(calls) == 1  # refused (or not) once, before rendering


# ---- an indicator not applicable is judged on nothing ---------------------------------------


def test_an_indicator_not_applicable_is_not_checked_for_its_units_nor_refused():
    # Not scored, so a fraction against its percent target misprints nothing: rendering
    # does not refuse it, and check (which says every refusal too) does not either.
    from reportgen.checking.impossible import impossible
    data = sample_data(CLEAN)
    satisfaction = data["indicators"][8]  # 企业服务满意度, ≥90%
    satisfaction["actual"], satisfaction["applicable"] = "0.85", False
    model = loads(data)
    assert impossible(model) == []
    assert not [p for p in reportgen.check(model) if p.path.startswith("$.indicators[8]")]
    satisfaction["applicable"] = True
    assert [p.path for p in impossible(loads(data))] == ["$.indicators[8].actual"]


def test_the_conclusion_counts_only_the_indicators_that_apply():
    data = sample_data(CLEAN)
    data["indicators"][4]["applicable"] = False  # 单场推介活动平均成本
    conclusion = reportgen.context(loads(data))["sentences"]["conclusion"]
    assert conclusion.endswith("9个绩效指标中8个已完成，“走访服务重点企业数量”未完成。")  # of 10
    assert "无法判断" not in conclusion


def test_the_weights_total_is_said_with_the_data_s_score_precision_yet_never_as_100():
    from decimal import Decimal
    from reportgen.checking.impossible import weights_total_findings
    data = sample_data(CLEAN)
    data["settings"] = {"precision": {"score": 0},
                        "weights": {"execution": Decimal("10.6"), "categories": {"产出指标": 50, "效益指标": 30,
                                                                               "满意度指标": 20}}}
    (found,) = weights_total_findings(loads(data).settings)
    assert "合计111分" in found.message  # 110.6 at no places, as the tables print it
    data["settings"]["weights"]["execution"] = Decimal("0.4")
    data["settings"]["weights"]["categories"]["满意度指标"] = 20
    (found,) = weights_total_findings(loads(data).settings)
    assert "合计100.4分" in found.message


def test_render_bytes_refuses_before_building_a_context_and_batch_works_it_out_once(tmp_path, monkeypatch):
    from reportgen import batch
    from reportgen.checking import impossible
    from support import write_json
    data = sample_data("tianchang-2022-project-self-evaluation.json")
    data["project"]["indicators"][2]["score"] = 15  # qualitative, of 10 points
    model = reportgen.from_dict(data)

    def built(*args, **kwargs):
        raise AssertionError("a context built for data that is refused")
    monkeypatch.setattr(api, "contexts", built)
    with pytest.raises(reportgen.DataError, match="得分15分超过其分值10分"):
        reportgen.render_bytes(model)
    monkeypatch.undo()
    calls = []
    monkeypatch.setattr(impossible, "impossible", lambda *args: calls.append(args) or [])
    data["project"]["indicators"][2]["score"] = 9
    job = batch.Job(write_json(tmp_path / "ok.json", data), tmp_path / "ok.docx")
    assert batch.render_job(job).error is None and job.docx.is_file()
    assert len(calls) == 1
