"""One rule for each figure of a score, wherever it is printed: the 自评表 (project and
department), the report's sentences and ``reportgen check`` say the same thing."""
from __future__ import annotations

import re

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
