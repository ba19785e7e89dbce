"""儿童主任 ledger, training records and township rounds: the helpers and the page."""

from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import QDate

from desktop.context import AppContext
from desktop.pages import directors as page_module
from models import directors as ledger
from models.roles import READER
from models.schema import (
    AuditEntry,
    ChildDirector,
    DirectorVillage,
    GuidanceSession,
    ScreeningRound,
    Training,
    Village,
)

YEAR = date.today().year


@pytest.fixture
def villages(new_archive):
    w = new_archive.writer()
    return [w.create(Village, name=n) for n in ("东坡村", "西岭村", "南山村")]


def test_ledger_with_villages_and_training(new_archive, villages):
    w = new_archive.writer()
    one = ledger.add_director(w, " 李秀英 ", "139 1234 5678", date(2021, 3, 1), [villages[0].id, villages[1].id])
    two = ledger.add_director(w, "王建国", started_on=date(2022, 1, 1), village_ids=[villages[2].id])
    ledger.add_training(w, one, date(YEAR, 4, 2), "未成年人保护法解读", "7.5")
    ledger.add_training(w, one.id, date(YEAR - 1, 4, 2), "儿童主任业务培训", 8)
    rows = {r.name: r for r in ledger.directors(YEAR)}
    assert rows["李秀英"].villages == ("东坡村", "西岭村")
    assert rows["李秀英"].phone == "13912345678"
    assert (rows["李秀英"].trainings_this_year, rows["李秀英"].hours_this_year) == (1, Decimal("7.5"))
    assert not rows["王建国"].trained_this_year
    check = ledger.training_check(YEAR)
    assert (check.active, check.untrained, check.all_trained) == (2, ("王建国",), False)
    assert "王建国" in check.message()
    ledger.update_director(w, two, village_ids=[villages[0].id])
    assert {dv.village.name for dv in DirectorVillage.select().where(DirectorVillage.director == two.id)} == {"东坡村"}
    trail = AuditEntry.select().where(AuditEntry.table == "director_village").order_by(AuditEntry.id)
    assert [e.action for e in trail] == ["create", "create", "create", "delete", "create"]
    ledger.end_service(w, two, date.today())
    assert ledger.training_check(YEAR).all_trained


@pytest.mark.parametrize("call, message", [
    (lambda w: ledger.add_director(w, "  "), "请填写儿童主任姓名"),
    (lambda w: ledger.add_director(w, "张三", phone="12ab"), "联系电话"),
    (lambda w: ledger.add_director(w, "张三", village_ids=[999]), "不在档案库中"),
    (lambda w: ledger.add_training(w, 999, date(2026, 1, 1), "培训", 4), "找不到这名儿童主任"),
    (lambda w: ledger.add_screening_round(w, date(2026, 3, 2), date(2026, 3, 1)), "不能早于开始日期"),
    (lambda w: ledger.add_guidance_session(w, date(2026, 3, 2), ""), "请填写指导主题"),
])
def test_bad_input_is_refused_in_chinese_and_nothing_is_written(new_archive, call, message):
    with pytest.raises(ValueError, match=message):
        call(new_archive.writer())
    assert ChildDirector.select().count() == ScreeningRound.select().count() == 0
    assert GuidanceSession.select().count() == 0


def test_training_hours_are_checked(new_archive):
    w = new_archive.writer()
    d = ledger.add_director(w, "李秀英")
    for hours in (0, -1, "四", 500):
        with pytest.raises(ValueError, match="培训学时"):
            ledger.add_training(w, d, date(2026, 1, 1), "培训", hours)
    assert Training.select().count() == 0


# -- the page ---------------------------------------------------------------------------------

@pytest.fixture
def page(qtbot, new_archive, villages):
    context = AppContext(archive=new_archive, on=date.today())
    widget = page_module.Page(context)
    qtbot.addWidget(widget)
    widget.refresh()
    return widget


def accept_with(fill):
    def run(dialog):
        fill(dialog)
        return True
    return run


def test_page_adds_a_director_and_a_training_and_the_check_follows(page):
    def director(d):
        d.name.setText("李秀英")
        d.phone.setText("13912345678")
        d.check_village("西岭村")
    page._run_dialog = accept_with(director)
    page.add_director()
    assert page.director_table.rowCount() == 1
    assert page.director_table.item(0, 1).text() == "西岭村"
    assert "尚有1名儿童主任未参加培训：李秀英" in page.check_label.text()

    page.director_table.selectRow(0)

    def training(d):
        d.on.setDate(QDate(YEAR, 1, 15))
        d.topic.setCurrentText("强制报告制度")
        d.hours.setValue(6)
    page._run_dialog = accept_with(training)
    page.add_training()
    assert page.training_table.rowCount() == 1
    assert page.training_table.item(0, 2).text() == "强制报告制度"
    assert "均已参加培训" in page.check_label.text()


def test_page_records_screening_rounds_with_progress(page):
    page._run_dialog = accept_with(lambda d: d.started.setDate(QDate(YEAR, 1, 2)) or
                                   d.finished.setDate(QDate(YEAR, 1, 20)))
    page.add_screening_round()
    assert page.screening_table.rowCount() == 1
    # Changed on purpose (issue 11): the number names its clause (长治 二（三）9).
    assert "已开展1次（每年至少2次，长治市方案（000） 二、（三）9. 定期进行摸排走访），还差1次" \
        in page.screening_label.text()
    page._run_dialog = accept_with(lambda d: None)
    page.add_guidance_session()
    assert "家庭教育指导</b>：已开展1次（每年至少1次，长治市方案（000） 二、（二）8. 加强家庭教育指导），已达到要求" \
        in page.guidance_label.text()


def test_errors_from_the_data_layer_are_shown_not_raised(page, monkeypatch):
    shown = []
    monkeypatch.setattr(page_module.QMessageBox, "warning", lambda _p, _t, text: shown.append(text))
    page._run_dialog = accept_with(lambda d: d.name.setText(""))
    page.add_director()
    page.context.archive.login_as("访客", READER)
    page._run_dialog = accept_with(lambda d: d.name.setText("王建国"))
    page.add_director()
    assert shown == ["请填写儿童主任姓名。", "当前用户为“查阅”角色，只能查看，不能修改档案。"]
    assert ChildDirector.select().count() == 0


@pytest.mark.parametrize("typed, stored", [
    ("+86 139 1234 5678", "13912345678"),
    ("0355-1234567", "0355-1234567"),  # a landline keeps its area code's dash, as in the editors
    ("１３９１２３４５６７８", "13912345678"),
])
def test_a_directors_phone_follows_the_editors_and_ledgers_rule(new_archive, typed, stored):
    from forms.checks import normalise_phone

    director = ledger.add_director(new_archive.writer(), "李秀英", phone=typed)
    assert ChildDirector.get_by_id(director.id).phone == stored == normalise_phone(typed)
