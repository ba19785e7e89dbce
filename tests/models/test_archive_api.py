"""The archive API: each facet reached from the archive answers from the archive's tables."""

from datetime import date

from forms.spotcheck_packet import SpotCheckPacket
from models.backup import FOLDER_UNAVAILABLE, folder_problem
from models.schema import AuditEntry, Child, ChildDirector, DirectorVillage, Township, Village
from models.users import create_user


def test_a_facet_is_made_once_per_archive(new_archive):
    assert new_archive.children is new_archive.children
    assert new_archive.spotchecks.archive is new_archive


def test_children_finds_a_child_by_id_number_and_names_its_village(demo_archive):
    child = Child.select().order_by(Child.id).first()
    children = demo_archive.children
    assert children.id_of(child.id_number) == child.id
    assert children.id_of("000000000000000000") is None
    assert children.names_and_villages([child.id_number, "nobody"]) == {
        child.id_number: (child.name, Village.get_by_id(child.village_id).name)}
    names = [name for _id, name in children.villages()]
    assert names == sorted(names) == children.village_names()


def test_children_of_a_director_are_the_children_in_their_charge(demo_archive):
    director = ChildDirector.select().order_by(ChildDirector.id).first()
    expected = {c.id for c in Child.select().where(Child.director == director.id)}
    assert expected and set(demo_archive.children.of_director(director.id)) == expected


def test_directors_in_service_and_their_villages(demo_archive):
    w = demo_archive.writer()
    gone = ChildDirector.select().order_by(ChildDirector.id).first()
    w.update(gone, ended_on=date(2026, 1, 1))
    serving = demo_archive.directors.serving()
    assert gone.id not in {i for i, _ in serving}
    assert [name for _, name in serving] == sorted(name for _, name in serving)
    some = ChildDirector.select().where(ChildDirector.ended_on.is_null()).first()
    assert demo_archive.directors.village_ids(some.id) == {
        dv.village_id for dv in DirectorVillage.select().where(DirectorVillage.director == some)}
    assert demo_archive.directors.get(some.id).name == some.name


def test_a_spotcheck_is_recorded_listed_and_packed(demo_archive):
    spotchecks = demo_archive.spotchecks
    run = spotchecks.run(0.1, seed="7", on=date(2026, 5, 20), inspector="李检查")
    [past] = spotchecks.history()
    assert (past.on, past.inspector, past.seed, past.sample) == (
        date(2026, 5, 20), "李检查", "7", run.sample)
    assert past.with_problems == run.with_problems
    assert spotchecks.get(past.id) == past and spotchecks.get(past.id + 1) is None
    packet = spotchecks.packet(run)
    assert isinstance(packet, SpotCheckPacket)
    assert packet.township == "丹朱镇" and packet.record_no == f"抽查-20260520-{past.id:03d}"
    assert [c.id_number for c in packet.children] == run.sample


def test_users_are_listed_in_the_order_they_were_added(new_archive):
    create_user(new_archive.writer(), "zhang", "password-1234", "管理员")
    create_user(new_archive.writer(), "li", "password-1234", "录入员")
    assert [u.username for u in new_archive.users.all()] == ["zhang", "li"]
    new_archive.login_as("li", "录入员")
    assert new_archive.users.logged_in().username == "li"


def test_renaming_the_township_is_audited(new_archive):
    before = new_archive.audit.entry_count()
    new_archive.settings.rename_township("新镇", "新县")
    township = Township.get()
    assert (township.name, township.county) == ("新镇", "新县")
    assert new_archive.audit.entry_count() == before + 1 == AuditEntry.select().count()


def test_a_missing_chosen_backup_folder_is_a_usb_drive_not_plugged_in(tmp_path):
    assert folder_problem(tmp_path) is None
    assert folder_problem(tmp_path / "新文件夹", chosen=False) is None
    assert folder_problem(tmp_path / "U盘") == FOLDER_UNAVAILABLE.format(folder=tmp_path / "U盘")
