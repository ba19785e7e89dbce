"""Family guardianship assessment: emergency screen first, then the score."""

import pytest

from forms import vocab
from forms.assessment import ASSESSMENT, DEFAULT_TABLE, SCORING_TABLES, score_assessment


def answers(index: int) -> dict:
    return {i.key: i.choices[index] for i in DEFAULT_TABLE.indicators}


def test_default_table_after_hubei_standard():
    assert SCORING_TABLES["default"] is DEFAULT_TABLE
    assert DEFAULT_TABLE.groups() == ["儿童成长", "监护能力", "监护保障"]
    assert [i.label for i in DEFAULT_TABLE.indicators] == [
        "身体健康", "心理健康", "儿童安全", "教育情况", "社会参与", "监护人健康状况", "收入水平",
        "情感交流", "居住环境", "邻里关系", "亲属关系"]
    assert DEFAULT_TABLE.max_score == 100


def test_best_and_worst():
    assert score_assessment(answers(0)) == (100, "低风险")
    assert score_assessment(answers(2)) == (0, "高风险")
    assert score_assessment(answers(1)) == (50, "中高风险")


def test_emergency_wins_whatever_the_score():
    given = answers(0) | {"emergency": ["脱离监护"]}
    assert score_assessment(given) == (100, "高风险")
    # an emergency case need not be scored completely
    assert score_assessment({"emergency": "遭受侵害"})[1] == "高风险"


@pytest.mark.parametrize(("score", "level"), [(80, "低风险"), (79, "中风险"), (60, "中风险"),
                                              (59, "中高风险"), (40, "中高风险"), (39, "高风险")])
def test_thresholds(score, level):
    assert DEFAULT_TABLE.level_for(score) == level
    assert level in vocab.ASSESSMENT_LEVELS


def test_answers_by_wording_or_index():
    given = {i.key: i.options[0][0] for i in DEFAULT_TABLE.indicators}
    assert score_assessment(given) == (100, "低风险")
    assert score_assessment({i.key: 0 for i in DEFAULT_TABLE.indicators})[0] == 100


def test_incomplete_or_unknown_answers_are_explained():
    partial = answers(0)
    del partial["income"]
    with pytest.raises(ValueError, match="评估指标未填写完整：收入水平"):
        score_assessment(partial)
    with pytest.raises(ValueError, match="身体健康：“很好”不是本指标的评分选项"):
        score_assessment(answers(0) | {"physical_health": "很好"})
    with pytest.raises(ValueError, match="不是紧急情形"):
        score_assessment(answers(0) | {"emergency": ["辍学"]})


def test_form_screens_first_and_prints_points():
    titles = [s.title for s in ASSESSMENT.sections]
    assert titles[1] == "一、紧急情形筛查"
    assert ASSESSMENT.field("emergency").choices == vocab.RED_CRITERIA
    assert ASSESSMENT.field("physical_health").choices[0] == "健康，生长发育正常（8分）"
    assert ASSESSMENT.field("level").choices == vocab.ASSESSMENT_LEVELS
    labels = {f.label for f in ASSESSMENT.fields()}
    assert {"审核人（儿童督导员）", "监护人（签名）"} <= labels
