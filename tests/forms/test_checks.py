"""One rule per field for every way data comes in: phones, dates not in the future, end after
start, a workplace only for a parent who works away."""

from datetime import date, timedelta

from forms import ledger
from forms.basic_info import BASIC_INFO
from forms.checks import normalise_phone, phone_problem
from forms.entrustment import ENTRUSTMENT
from forms.spec import check_value, validate
from forms.visit_record import VISIT_RECORD

TODAY = date(2026, 5, 20)


def test_phone_rule_accepts_country_code_and_spaces_and_normalises():
    for typed in ("+86 13812345678", "+86 138 1234 5678", "138 1234 5678", "8613812345678",
                  "0086-13812345678", "＋８６　１３８１２３４５６７８", "138-1234-5678"):
        assert phone_problem(typed) is None, typed
        assert normalise_phone(typed) == "13812345678", typed
    assert normalise_phone("0355 1234567") == "03551234567"
    assert normalise_phone("0355-1234567") == "0355-1234567"
    assert normalise_phone("13812345678、0355-1234567") == "13812345678、0355-1234567"
    assert normalise_phone("+86 355 1234567") == "0355-1234567".replace("-", "")
    for wrong in ("12", "1381234567", "abc", "+1 415 555 0100", "23812345678"):
        assert phone_problem(wrong), wrong


def test_editor_and_ledger_share_the_phone_rule():
    column = ledger.CHILDREN.column("父亲联系电话")
    assert ledger.parse_cell(column, "+86 13812345678", TODAY) == "13812345678"
    field = BASIC_INFO.field("father_phone")
    assert check_value(field, "+86 13812345678") is None
    assert "手机号" in check_value(field, "12345")
    try:
        ledger.parse_cell(column, "12345", TODAY)
    except ledger.CellError as error:
        assert "手机号" in str(error)
    else:
        raise AssertionError("a short number was accepted")


def test_dates_of_things_done_are_not_in_the_future():
    visit = VISIT_RECORD.field("visited_on")
    message = check_value(visit, TODAY + timedelta(days=24), today=TODAY)
    assert message and "不能晚于今天" in message
    assert check_value(visit, TODAY, today=TODAY) is None
    assert "早于1900年" in check_value(visit, "1899-12-31", today=TODAY)
    # A planned date may be in the future.
    assert check_value(ENTRUSTMENT.field("ends_on"), TODAY + timedelta(days=300), today=TODAY) is None


def test_an_end_may_not_come_before_its_start():
    errors = validate(ENTRUSTMENT, {"starts_on": "2026-05-01", "ends_on": "2026-04-01"}, TODAY)
    assert errors["ends_on"] == "委托照护截止日期：不能早于委托照护起始日期（2026-05-01）"
    errors = validate(ENTRUSTMENT, {"starts_on": "2026-05-01", "ends_on": "2026-05-01"}, TODAY)
    assert "ends_on" not in errors


def test_a_workplace_only_for_a_parent_who_works_away():
    at_home = {"father_status": "在家", "father_workplace": "浙江省宁波市"}
    errors = validate(BASIC_INFO, at_home, TODAY)
    assert "只有状况为“外出务工”时才填写" in errors["father_workplace"]
    assert "father_workplace" not in validate(BASIC_INFO, {"father_status": "在家"}, TODAY)
    away = {"father_status": "外出务工", "father_workplace": "浙江省宁波市"}
    assert "father_workplace" not in validate(BASIC_INFO, away, TODAY)
