"""Scores (rules.md §3): each indicator, the categories, the total and the grade."""
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import reportgen
from reportgen.compute.categories import category_key, group_by_level1
from reportgen.sentences import indicators as ind
from reportgen.compute import grades, scoring
from reportgen.context.self_evaluation import NAMES
from reportgen.loading import read_measure
from reportgen.model import Actual, Category, Indicator, Target
from reportgen.model.report import Weights

from support import SAMPLES, dump_json, sample_data

D = Decimal
OUT, NUM = Category("产出指标", "1"), Category("数量指标", "11")


def measure(target: str, actual: str, **kw) -> Indicator:
    """An indicator read the way loading reads strings."""
    t, a = read_measure(target), read_measure(actual)
    return Indicator(OUT, NUM, "指标", target=Target(target, *t), actual=Actual(actual, a[1], a[2], a[0]), **kw)


def words(band=None, score=None) -> Indicator:
    return Indicator(OUT, NUM, "定性", target=Target("比较满意"), actual=Actual("满意"),
                     band=band, score=None if score is None else D(score))


def score(indicator: Indicator, weight="10") -> Decimal:
    return scoring.indicator_score(indicator, D(weight))


# ---- positive, reverse, exact ---------------------------------------------------------

def test_positive_is_weight_times_actual_over_target():
    i = measure("≥250家", "236家")
    assert scoring.is_met(i) is False
    assert scoring.completion(i) == D("94.40")
    assert score(i) == D("9.44")


def test_positive_is_capped_at_the_weight():
    i = measure("≥15场", "18场")
    assert scoring.is_met(i) and scoring.completion(i) == D("120.00")
    assert score(i) == D(10)


def test_bare_value_reads_as_at_least():
    assert scoring.comparator(Target("50条", None, D(50), "条")) == ">="
    assert scoring.is_met(measure("50条", "67条")) is True
    assert scoring.is_met(measure("50条", "49条")) is False


def test_strict_target_needs_more_unless_the_actual_is_a_bound_too():
    assert scoring.is_met(measure("多于100家", "100家")) is False
    assert scoring.is_met(measure("多于100家", "大于100家")) is True  # seed 002's wording
    assert scoring.is_met(measure("≥1家", "超过1家")) is True
    assert score(measure("多于100家", "100家")) == D(10)  # the formula has no strictness


def test_reverse_is_weight_times_target_over_actual():
    i = measure("≤12万元", "15万元")
    assert scoring.is_reverse(i) and scoring.is_met(i) is False
    assert score(i) == D(8)  # 10 × 12 / 15
    assert score(measure("≤12万元", "10.8万元")) == D(10)  # capped
    assert score(measure("≤5%", "0%")) == D(10)  # nothing spent over: full marks, no ratio
    assert scoring.completion(measure("≤5%", "0%")) is None


def test_reverse_flag_turns_a_bare_value_round():
    i = measure("100万元", "125万元", reverse=True)
    assert scoring.wanted(i) == "<=" and scoring.is_met(i) is False
    assert score(i) == D(8)


def test_exact_target_scores_the_smaller_over_the_larger():
    assert score(measure("=20个", "25个")) == D(8)
    assert score(measure("=20个", "16个")) == D(8)
    assert scoring.is_met(measure("=20个", "20个")) is True


def test_zero_target_scores_all_or_nothing():
    flat = Indicator(OUT, NUM, "进出口增长率", target=Target("与上年持平", ">=", D(0), "%"),
                     actual=Actual("5%", D(5), "%"))
    assert scoring.is_met(flat) and score(flat) == D(10)
    fell = Indicator(OUT, NUM, "进出口增长率", target=Target("与上年持平", ">=", D(0), "%"),
                     actual=Actual("-3%", D(-3), "%"))
    assert scoring.is_met(fell) is False and score(fell) == 0


def test_nothing_done_scores_zero():
    assert score(measure("100%", "0%")) == 0
    assert scoring.completion(measure("100%", "0%")) == D("0.00")


def test_unscorable_when_units_differ_or_actual_is_words():
    assert scoring.is_met(measure("≥90%", "5个")) is None and score(measure("≥90%", "5个")) is None
    assert score(measure("≥90%", "基本完成")) is None
    assert scoring.indicator_score(measure("≥90%", "95"), None) is None  # no weight, no score


@given(st.decimals(min_value=0, max_value=10**6, places=2), st.decimals(min_value=0, max_value=10**6, places=2),
       st.sampled_from(["≥", "≤", "=", ""]))
def test_score_stays_between_zero_and_the_weight(target, actual, symbol):
    i = measure(f"{symbol}{target}个", f"{actual}个")
    s = score(i, "7")
    assert s is None or D(0) <= s <= D(7)


# ---- qualitative bands ----------------------------------------------------------------

def test_band_ranges_are_shares_of_the_weight():
    assert scoring.band_range("达成", D(10)) == (D(8), D(10))
    assert scoring.band_range("部分达成", D(10)) == (D(6), D(8))
    assert scoring.band_range("未达成", D(5)) == (D(0), D(3))


def test_qualitative_score_is_the_evaluators():
    assert score(words("部分达成", "7")) == D(7)
    assert scoring.is_met(words("部分达成", "7")) is False
    assert scoring.is_met(words("达成", "9")) is True


def test_band_without_score_scores_full_when_met_else_the_floor():
    assert score(words("达成")) == D(10)
    assert score(words("部分达成")) == D(6)
    assert score(words("未达成")) == D(0)


def test_no_band_no_score():
    assert scoring.is_met(words()) is None and score(words()) is None


# ---- budget execution, weights, totals -----------------------------------------------

def test_execution_score_is_capped_and_needs_a_budget():
    assert scoring.execution_score(D(10), D(95), D(100)) == D("9.5")
    assert scoring.execution_score(D(10), D(130), D(100)) == D(10)
    assert scoring.execution_score(D(10), D(5), D(0)) == 0


def test_category_weight_shared_among_indicators_without_their_own():
    items = [measure("≥1个", "1个", weight=D(20)), measure("≥1个", "1个"), measure("≥1个", "1个")]
    category = scoring.evaluate_category("产出指标", items, Weights())
    assert [e.weight for e in category.evaluations] == [D(20), D(15), D(15)]
    assert category.score == D(50)


def test_category_named_without_its_suffix_finds_its_weight():
    assert scoring.category_weight(Weights(), "满意度") == D(10)
    assert scoring.category_weight(Weights(), "满意度指标") == D(10)
    assert scoring.category_weight(Weights(), "成本指标") is None


def load(data):
    return reportgen.loads(dump_json(data))


@pytest.fixture
def clean():
    return sample_data("clean-2023.json")


def test_clean_sample_total_and_grade(clean):
    card = scoring.evaluate(load(clean))
    assert card.total == D("98.48") and card.grade == "优"
    assert [(c.name, c.weight, round(c.score, 2)) for c in card.categories] == [
        ("产出指标", D(50), D("49.44")), ("效益指标", D(30), D("30.00")), ("满意度指标", D(10), D("9.50"))]


def test_custom_weights(clean):
    clean["settings"] = {"weights": {"execution": 20, "categories": {"产出指标": 40, "效益指标": 30, "满意度": 10}}}
    for indicator in clean["indicators"][:5]:
        indicator["weight"] = 8
    card = scoring.evaluate(load(clean))
    assert card.execution_score == D(20) * D("4770.30") / D(5000)  # 19.0812
    assert card.categories[0].score == D("39.552")  # 8 × 4 + 8 × 236 / 250
    assert card.categories[2].weight == D(10)  # "满意度" finds the indicators' "满意度指标"
    assert len(card.categories) == 3  # no empty category added for the renamed key
    assert card.total == D("98.13")  # 19.0812 + 39.552 + 30 + 9.5


def test_tianhe_scores_below_its_stated_grade():
    card = scoring.evaluate(reportgen.load(SAMPLES / "tianhe-2023.json"))
    assert card.total == D("85.31") and card.grade == "良"
    names = [c.name for c in card.categories]
    assert names == ["产出指标", "效益指标", "满意度指标"]  # 满意度 has points but no indicator
    assert card.categories[2].score == 0


@pytest.mark.parametrize("total, expected", [
    ("100", "优"), ("90", "优"), ("89.99", "良"), ("80", "良"), ("79.99", "中"),
    ("60", "中"), ("59.99", "差"), ("0", "差")])
def test_grade_boundaries(total, expected):
    assert grades.grade(D(total)) == expected


def test_grade_is_judged_on_the_printed_total(clean):
    # 9.995 + 80 = 89.995 prints as 90.00: the printed score and the grade must agree.
    clean["indicators"] = [dict(clean["indicators"][0], target="≥90个", actual="80个", weight=90)]
    clean["settings"] = {"weights": {"execution": 10, "categories": {"产出指标": 90}}}
    clean["budget"]["expenditure"] = {"general_public_budget": D("4997.5")}  # 99.95% of 5000
    card = scoring.evaluate(load(clean))
    assert card.execution_score + card.categories[0].score == D("89.995")
    assert card.total == D("90.00") and card.grade == "优"


# ---- narrative and context ----------------------------------------------------------

def test_seed_002_sentences_come_out_as_printed():
    report = reportgen.load(SAMPLES / "tianhe-2023.json")
    assert ind.sentence(report.indicators[4]) == \
        "产出指标中的数量指标：进出口增长率，全年预计与上年持平，实际增长5%"
    assert ind.sentence(report.indicators[5], met=False) == \
        "产出指标中的数量指标：商贸业项目申报验收工作完成情况，预计全年完成100%，实际完成为0"
    assert ind.count_summary(group_by_level1(report.indicators)) == "11个产出指标和8个效益指标"


def test_conclusion_sentence_from_the_score():
    card = scoring.evaluate(reportgen.load(SAMPLES / "tianhe-2023.json"))
    assert ind.conclusion(card) == (
        "经自评，部门整体支出绩效自评得分为85.31分，自评等级为良好。"
        "19个绩效指标中18个已完成，“商贸业项目申报验收工作完成情况”未完成。")
    assert ind.score_breakdown(card).startswith("预算执行率得分9.85分（分值10分），产出指标得分45.45分（分值50分）")
    assert ind.conclusion(scoring.evaluate(reportgen.load(SAMPLES / "haizhu-2023.json"))) == ""


def test_context_exposes_score_grade_and_met(clean):
    ctx = reportgen.context(load(clean))
    assert ctx["score"]["total"] == D("98.48") and ctx["score"]["supported"] is True
    assert ctx["grade"] == "优" and ctx["indicators"]["unmet"] == ["走访服务重点企业数量"]
    second = ctx["indicators"]["groups"][0]["indicators"][1]
    assert (second["met"], second["completion"], second["score"]) == (False, D("94.40"), D("9.44"))
    assert set(ctx) == set(NAMES.fields)


def test_context_without_indicators_has_no_score():
    ctx = reportgen.context(reportgen.load(SAMPLES / "haizhu-2023.json"))
    assert ctx["score"] is None and ctx["grade"] == "良" and ctx["sentences"]["conclusion"] == ""


def test_read_measure_reads_bounds_after_the_number():
    assert read_measure("100%以上") == (">=", D(100), "%")
    assert read_measure("5%以内") == ("<=", D(5), "%")
    assert read_measure("1500册左右") == (None, D(1500), "册")
    assert read_measure("１，０００人") == (None, D(1000), "人")


def test_indicator_unit_fills_a_value_written_without_one():
    plain = Indicator(OUT, NUM, "x", target=Target("100", None, D(100), ""), actual=Actual("90%", D(90), "%"))
    assert scoring.units_agree(plain)  # no unit anywhere but one: they agree
    assert not scoring.units_agree(attrs.evolve(plain, unit="个"))
    assert scoring.units_agree(attrs.evolve(plain, unit="%"))


def test_target_given_as_an_object_loads_and_its_mistakes_have_paths(clean):
    clean["indicators"][0]["target"] = {"text": "与上年持平", "comparator": ">=", "value": 0, "unit": "场"}
    assert load(clean).indicators[0].target.value == 0
    clean["indicators"][0]["target"] = {"text": "x", "valu": 1}
    with pytest.raises(reportgen.DataError) as info:
        load(clean)
    assert [str(p) for p in info.value.problems] == ['$.indicators[0].target.valu: 未知的键 “valu”，是否应为 “value”？']


# ---- a category spelled two ways (满意度 / 满意度指标) ---------------------------------

def with_second_spelling(clean):
    """clean's 满意度指标 plus one indicator filed under "满意度", weights adding up to 10."""
    clean["indicators"][8]["weight"], clean["indicators"][9]["weight"] = 3, 5
    clean["indicators"].append(dict(clean["indicators"][8], level1={"code": "3", "name": "满意度"},
                                    name="群众满意度", actual="95%", weight=2))
    return clean


def test_category_spelled_two_ways_is_scored_once(clean):
    card = scoring.evaluate(load(with_second_spelling(clean)))
    assert [(c.name, c.weight, len(c.evaluations)) for c in card.categories] == [
        ("产出指标", D(50), 5), ("效益指标", D(30), 3), ("满意度指标", D(10), 3)]
    assert card.categories[2].score == D("9.5")  # 3 + 4.5 + 2
    assert card.total == D("98.48") and card.total <= 100


def test_narrative_groups_by_the_same_key_and_keeps_the_first_spelling(clean):
    report = load(with_second_spelling(clean))
    groups = group_by_level1(report.indicators)
    assert [(g.name, len(g.indicators)) for g in groups] == [("产出指标", 5), ("效益指标", 3), ("满意度指标", 3)]
    assert ind.count_summary(groups) == "5个产出指标、3个效益指标和3个满意度指标"
    ctx = reportgen.context(report)
    assert [g["name"] for g in ctx["indicators"]["groups"]] == ["产出指标", "效益指标", "满意度指标"]
    assert "满意度指标得分9.5分（分值10分）。" in ind.score_breakdown(scoring.evaluate(report))


def test_category_key_ignores_the_suffix_and_blanks():
    assert category_key("满意度指标") == category_key("满意度 ") == "满意度"
    assert scoring.category_weight(Weights(), " 满意度 指标") == D(10)


# ---- targets of 0 or below: met is full marks -----------------------------------------

@pytest.mark.parametrize("target, actual, met, points", [
    ("≥-5%", "-3%", True, "10"),    # a fall of 3% where up to 5% was allowed: met, full marks
    ("≥-5%", "-5%", True, "10"),
    ("≥-5%", "-8%", False, "0"),
    ("≤-5%", "-8%", True, "10"),    # a fall of at least 5% wanted (reverse): met
    ("≤-5%", "-3%", False, "0"),    # used to score 10: -5 / -3 capped
    ("=-5%", "-3%", False, "0"),    # used to score 10
    ("=-5%", "-5%", True, "10"),
    ("≥0%", "0%", True, "10"),
])
def test_targets_of_zero_or_below_score_all_or_nothing(target, actual, met, points):
    i = measure(target, actual)
    assert scoring.is_met(i) is met and score(i) == D(points)
    assert scoring.completion(i) is None  # no ratio between numbers of that sign


def test_an_actual_below_zero_completes_nothing_of_a_positive_target():
    grew = measure("≥10%", "-3%")
    assert scoring.is_met(grew) is False and score(grew) == 0 and scoring.completion(grew) == D("0.00")
    cost = measure("≤5%", "-2%")  # reverse: costs fell, target met
    assert scoring.is_met(cost) is True and score(cost) == D(10) and scoring.completion(cost) is None


@given(st.decimals(min_value=-10**4, max_value=10**4, places=2), st.decimals(min_value=-10**4, max_value=10**4, places=2),
       st.sampled_from(["≥", "≤", "=", ""]))
def test_met_is_full_marks_and_scores_stay_within_the_weight(target, actual, symbol):
    i = measure(f"{symbol}{target}个", f"{actual}个")
    s = score(i, "7")
    assert D(0) <= s <= D(7)
    if scoring.is_met(i):
        assert s == D(7)
    c = scoring.completion(i)
    assert c is None or c >= 0


# ---- low execution on the rate as printed ---------------------------------------------

@pytest.mark.parametrize("executed, places, low", [
    ("89.996", 2, False), ("89.994", 2, True), ("89.5", 0, False), ("89.49", 0, True), ("90", 2, False)])
def test_low_execution_is_judged_on_the_printed_rate(clean, executed, places, low):
    from reportgen.compute import budget as b
    from reportgen.sentences import narrative

    clean["projects"][0].update(budget=D(100), executed=D(executed))
    clean["settings"] = {"precision": {"project_execution_rate": places}}
    report = load(clean)
    assert b.is_low_execution(report.settings, report.projects[0]) is low
    assert ("招商推介活动经费" in narrative.low_execution(report)) is low
