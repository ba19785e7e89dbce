"""tongdang summaries: check the contact summaries against the contacts, rebuild them."""

from datetime import date

from desktop.cli import main
from forms.idnumber import make_id_number
from models.archive import Archive
from models.schema import Child, Contact


def test_check_finds_a_stale_summary_and_rebuilding_repairs_it(new_archive, capsys):
    w = new_archive.writer()
    child = w.create(Child, id_number=make_id_number("140428", date(2015, 4, 2), 11, True),
                     name="刘小军", entered_on=date(2026, 1, 1))
    w.create(Contact, child=child, on=date(2026, 3, 1), kind="入户走访")
    path = new_archive.path
    assert main(["--archive", str(path), "summaries", "--check"]) == 0
    assert "一致" in capsys.readouterr().out
    Contact.insert(child=child, on=date(2026, 4, 1), kind="电话").execute()  # around the program
    new_archive.close()

    assert main(["--archive", str(path), "summaries", "--check"]) == 1
    assert "有 1 名儿童的联系摘要与走访记录不一致" in capsys.readouterr().out
    assert main(["--archive", str(path), "summaries"]) == 0
    assert "已重新计算 1 名儿童的联系摘要" in capsys.readouterr().out
    assert main(["--archive", str(path), "summaries", "--check"]) == 0
    archive, _ = Archive.open(path)
    try:
        assert archive.states.stale_summaries() == []
        assert archive.states.of_child(child.id, date(2026, 4, 2)).next_contact_due == date(2026, 5, 1)
    finally:
        archive.close()
