from datetime import date

import pytest

from forms.idnumber import IdNumberError, make_id_number, mask_id_number, parse_id_number

VALID = "11010519491231002X"  # the standard's own example


def test_valid_number_gives_birth_date_and_sex():
    parsed = parse_id_number(VALID)
    assert parsed.birth_date == date(1949, 12, 31)
    assert parsed.sex == "女"
    assert parsed.area_code == "110105"


def test_lower_case_x_and_spaces_are_accepted():
    assert parse_id_number(" 11010519491231002x ").number == VALID


def test_full_width_digits_from_a_chinese_input_method_become_ascii():
    assert parse_id_number("１１０１０５１９４９１２３１００２ｘ").number == VALID


@pytest.mark.parametrize("male", [True, False])
def test_made_numbers_validate_and_carry_sex(male):
    number = make_id_number("140428", date(2016, 2, 29), 37, male)
    parsed = parse_id_number(number)
    assert parsed.birth_date == date(2016, 2, 29)
    assert parsed.sex == ("男" if male else "女")


@pytest.mark.parametrize("text, words", [
    ("110105194912310021", "校验位"),  # wrong check digit
    ("11010519491231002", "18位"),  # too short
    ("1101051949123100211", "18位"),  # too long
    ("", "18位"),
    ("1101051949123A002X", "数字"),
    ("11010519491231٠٠2X", "数字"),  # Arabic-Indic digits are digits to Python, not to the standard
    ("110105201902300017", "不存在"),  # 30 February
    ("110105194913310025", "不存在"),  # month 13
])
def test_invalid_numbers_have_a_chinese_reason(text, words):
    with pytest.raises(IdNumberError) as error:
        parse_id_number(text)
    assert words in str(error.value)


def test_future_birth_date_is_refused():
    number = make_id_number("110105", date(2030, 1, 1), 1, True)
    with pytest.raises(IdNumberError, match="晚于今天"):
        parse_id_number(number, today=date(2026, 11, 25))


def test_mask_shows_first_six_and_last_four():
    assert mask_id_number(VALID) == "110105********002X"
