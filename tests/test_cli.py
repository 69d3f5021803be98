"""The command line: default output, errors in Chinese with status 2, nothing half-written."""
import subprocess
import sys
from decimal import Decimal

import pytest

from reportgen.cli import main

from support import ROOT, SAMPLES, SHARED, docx_text, write_json


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "reportgen", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd)


def test_default_output_is_stem_in_working_directory(tmp_path):
    result = run(SAMPLES / "haizhu-2023.json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "36,628.61" in docx_text(tmp_path / "haizhu-2023.docx")


def test_template_option_takes_a_shipped_name(tmp_path):
    out = tmp_path / "x.docx"
    assert main([str(SAMPLES / "tianhe-2023.json"), "-o", str(out), "--template", "guangzhou"]) == 0
    assert "支出进度98.5%" in docx_text(out)


def test_template_needing_absent_data_leaves_the_clause_out(tmp_path):
    # haizhu gives no 基本支出/项目支出 split; the liwan template prints that clause only when it exists.
    out = tmp_path / "x.docx"
    assert main([str(SAMPLES / "haizhu-2023.json"), "-o", str(out), "--template", "liwan"]) == 0
    text = docx_text(out)
    assert "完成预算的100%" in text and "基本支出" not in text


def test_template_option_takes_a_path(tmp_path):
    out = tmp_path / "x.docx"
    template = ROOT / "templates" / "self-evaluation" / "tianhe.docx"
    assert main(["render", str(SAMPLES / "tianhe-2023.json"), "-o", str(out), "--template",
                 str(template)]) == 0


def test_bad_data_exits_2_without_traceback_or_output(liwan, tmp_path):
    liwan["budget"]["annual_budget"] = Decimal("-1")
    data = write_json(tmp_path / "bad.json", liwan)
    result = run(data, "-o", tmp_path / "bad.docx")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "$.budget.annual_budget: 金额不能为负数：-1" in result.stderr
    assert not (tmp_path / "bad.docx").exists()
    assert list(tmp_path.iterdir()) == [data]  # no temporary file left behind


def test_failed_render_keeps_existing_file(liwan, tmp_path):
    out = tmp_path / "keep.docx"
    out.write_bytes(b"previous report")
    liwan["template"] = "no-such-template"
    result = run(write_json(tmp_path / "x.json", liwan), "-o", out)
    assert result.returncode == 2 and "no-such-template" in result.stderr
    assert out.read_bytes() == b"previous report"


def test_missing_and_malformed_files(tmp_path):
    assert run(tmp_path / "nope.json").returncode == 2
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    result = run(bad)
    assert result.returncode == 2 and "不是有效的JSON" in result.stderr


def test_same_input_gives_identical_bytes(tmp_path):
    a, b = tmp_path / "a.docx", tmp_path / "b.docx"
    for out in (a, b):
        assert main([str(SAMPLES / "liwan-2023.json"), "-o", str(out)]) == 0
    assert a.read_bytes() == b.read_bytes()


def test_template_path_in_data_is_relative_to_the_data_file(liwan, tmp_path):
    import shutil
    folder = tmp_path / "district"
    folder.mkdir()
    shutil.copy(ROOT / "templates" / "self-evaluation" / "liwan.docx", folder / "ours.docx")
    liwan["template"] = "ours.docx"
    data = write_json(folder / "liwan.json", liwan)
    assert main([str(data), "-o", str(tmp_path / "out.docx")]) == 0
    assert "完成预算的97.85%" in docx_text(tmp_path / "out.docx")


def test_help_lists_every_command(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for name in ("render", "check", "template-check", "batch"):
        assert f"  {name}" in out


@pytest.mark.parametrize("output", ["data", "x.pdf", "template"])
def test_output_never_replaces_an_input(liwan, tmp_path, output, capsys):
    import shutil
    template = shutil.copy(ROOT / "templates" / "self-evaluation" / "liwan.docx", tmp_path / "t.docx")
    data = write_json(tmp_path / "data.json", liwan)
    out = {"data": data, "x.pdf": tmp_path / "x.pdf", "template": template}[output]
    before = {p: p.read_bytes() for p in (data, template)}
    assert main([str(data), "-o", str(out), "--template", str(template)]) == 2
    assert "错误：输出文件" in capsys.readouterr().err
    assert {p: p.read_bytes() for p in before} == before
    assert not (tmp_path / "x.pdf").exists()


def test_unwritable_output_is_a_message_not_a_traceback(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where a folder should be", encoding="utf-8")
    result = run(SAMPLES / "liwan-2023.json", "-o", blocker / "x.docx")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"无法写入 {blocker / 'x.docx'}" in result.stderr


def test_output_piped_to_a_closed_reader_stops_quietly():
    result = subprocess.run(f"{sys.executable} -m reportgen check {SAMPLES}/*.json | head -c1",
                            shell=True, capture_output=True, text=True)
    assert "Traceback" not in result.stderr


def test_output_that_is_a_folder_is_a_message(tmp_path, capsys):
    folder = tmp_path / "out.docx"
    folder.mkdir()
    assert main([str(SAMPLES / "liwan-2023.json"), "-o", str(folder)]) == 2
    assert f"无法写入 {folder}：这是一个文件夹" in capsys.readouterr().err
    assert list(folder.iterdir()) == [] and list(tmp_path.iterdir()) == [folder]


def test_corrupt_template_is_explained(tmp_path, capsys):
    bad = tmp_path / "bad.docx"
    bad.write_text("not a zip", encoding="utf-8")
    assert main([str(SAMPLES / "liwan-2023.json"), "-o", str(tmp_path / "x.docx"),
                 "--template", str(bad)]) == 2
    assert "另存为“Word文档（*.docx）”" in capsys.readouterr().err


def test_argument_mistakes_are_explained_in_chinese(capsys):
    with pytest.raises(SystemExit) as info:
        main(["batch"])
    assert info.value.code == 2
    assert "错误：缺少参数" in capsys.readouterr().err


def test_version(capsys):
    from reportgen import __version__
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"reportgen {__version__}"


def test_a_gbk_data_file_renders_with_a_notice_in_chinese(liwan, tmp_path, capsys):
    # What Windows Notepad saves as "ANSI" on a Chinese system.
    path = tmp_path / "记事本.json"
    path.write_bytes(write_json(tmp_path / "u.json", liwan).read_text(encoding="utf-8").encode("gb18030"))
    assert main([str(path), "-o", str(tmp_path / "out.docx")]) == 0
    err = capsys.readouterr().err
    assert err.startswith("注意：数据文件 记事本.json 不是UTF-8编码，已按GBK（GB18030）编码读取")
    assert "Warning" not in err
    assert liwan["department"]["name"] in docx_text(tmp_path / "out.docx")


@pytest.mark.parametrize("name, what", [("我区模板.doc", "旧版 Word 文档（.doc）"), ("我区模板.wps", "WPS 文字文档（.wps）"),
                                        ("我区模板.odt", "OpenDocument 文档（.odt）")])
def test_a_template_that_is_no_word_package_is_named_for_what_it_is(tmp_path, capsys, name, what):
    (tmp_path / name).write_bytes(b"\xd0\xcf\x11\xe0 not a zip")
    assert main([str(SAMPLES / "clean-2023.json"), "--template", str(tmp_path / name),
                 "-o", str(tmp_path / "out.docx")]) == 2
    err = capsys.readouterr().err
    assert f"模板 {name} 是{what}，不能直接使用：请在 Word 或 WPS 中打开，另存为“Word 文档（*.docx）”后再用" in err
    assert not (tmp_path / "out.docx").exists()


def test_an_existing_file_named_without_a_folder_is_a_file_not_a_shipped_name(tmp_path, monkeypatch, capsys):
    # "--template 我区模板.docm" in the folder that holds it was taken for a shipped template's name.
    monkeypatch.chdir(tmp_path)
    (tmp_path / "我区模板.doc").write_bytes(b"old")
    assert main([str(SAMPLES / "clean-2023.json"), "--template", "我区模板.doc", "-o", "out.docx"]) == 2
    assert "旧版 Word 文档" in capsys.readouterr().err
    assert main([str(SAMPLES / "clean-2023.json"), "--template", "liwna", "-o", "out.docx"]) == 2
    assert "没有名为 “liwna” 的部门整体支出绩效自评报告模板（可用：guangzhou、liwan、tianhe），是否应为 “liwan”？" \
        in capsys.readouterr().err


def test_rendering_says_what_of_the_template_does_not_reach_the_report(tmp_path, capsys):
    # A linked image (a tracking pixel in every report) is removed; the clerk is told so.
    case = SHARED / "cases" / "rt-10-external-targets-survive"
    if not case.is_dir():
        pytest.skip("../shared/cases is not beside this checkout")
    assert main([str(case / "data.json"), "--template", str(case / "linked-image.docx"),
                 "-o", str(tmp_path / "out.docx")]) == 0
    err = capsys.readouterr().err
    assert err.startswith("注意：模板 linked-image.docx 中有") and "不会原样进入报告（已删除或调整）" in err
    assert "reportgen template-check" in err and "Warning" not in err
