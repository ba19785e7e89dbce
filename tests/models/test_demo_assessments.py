"""Demo assessments print indicator scores that add up to their level."""

import pytest

from forms.assessment import DEFAULT_TABLE, score_assessment
from models.demo import _demo_answers


@pytest.mark.parametrize("level", ["低风险", "中风险", "中高风险"])
@pytest.mark.parametrize("seed", range(55, 96, 8))
def test_answers_add_up_to_the_level(seed, level):
    answers, score, printed = _demo_answers(seed, level)
    assert printed == level
    assert score_assessment(answers, DEFAULT_TABLE) == (score, level)
