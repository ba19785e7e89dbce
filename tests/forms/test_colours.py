"""The colour's words: each format written once, the same wherever it is printed."""

from forms import vocab
from forms.basic_info import BASIC_INFO
from forms.colours import colour_name, colour_with_level, level_with_colour, risk_level


def test_every_format():
    assert colour_name("red") == "红色"
    assert colour_name("yellow", manual=True) == "黄色（人工）"
    assert risk_level("blue") == "蓝色 中低风险"
    assert risk_level("green", between="<br>") == "绿色<br>低风险"
    assert level_with_colour("red") == "高风险（红色）"
    assert level_with_colour("red", "等级") == "高风险等级（红色）"
    assert colour_with_level("yellow") == "黄色（中高风险）"


def test_no_colour_is_no_words():
    for write in (colour_name, risk_level, level_with_colour, colour_with_level):
        assert write("") == write(None) == write("purple") == ""
    assert colour_name(None, manual=True) == ""


def test_the_forms_choices_are_the_risk_levels_the_dossier_prints():
    field = next(f for s in BASIC_INFO.sections for f in s.fields if f.key == "risk_level")
    assert field.choices == tuple(risk_level(c) for c in vocab.COLOURS)
