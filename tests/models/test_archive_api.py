"""The archive API: each facet reached from the archive answers from the archive's tables."""

from datetime import date

import pytest

from forms.spotcheck_packet import SpotCheckPacket
from models.backup import FOLDER_UNAVAILABLE, folder_problem
from models.schema import AuditEntry, Child, ChildDirector, DirectorVillage, Township, Village
from models.users import create_user


@pytest.mark.both_backends
def test_a_facet_is_made_once_per_archive(new_archive):
    assert new_archive.children is new_archive.children
    assert new_archive.spotchecks.archive is new_archive


@pytest.mark.both_backends
def test_children_finds_a_child_by_id_number_and_names_its_village(demo_archive):
    child = Child.select().order_by(Child.id).first()
    children = demo_archive.children
    assert children.id_of(child.id_number) == child.id
    assert children.id_of("000000000000000000") is None
    assert children.names_and_villages([child.id_number, "nobody"]) == {
        child.id_number: (child.name, Village.get_by_id(child.village_id).name)}
    names = [name for _id, name in children.villages()]
    assert names == sorted(names) == children.village_names()


@pytest.mark.both_backends
def test_children_of_a_director_are_the_children_in_their_charge(demo_archive):
    director = ChildDirector.select().order_by(ChildDirector.id).first()
    expected = {c.id for c in Child.select().where(Child.director == director.id)}
    assert expected and set(demo_archive.children.of_director(director.id)) == expected


@pytest.mark.both_backends
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


@pytest.mark.both_backends
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


@pytest.mark.both_backends
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


# --- the facet methods desktop/ calls instead of the models' functions (facadeA) ----------

def test_users_log_in_change_and_manage_accounts_through_the_archive(new_archive):
    import pytest

    from models.users import BadUserInput, LoginFailed

    users = new_archive.users
    assert not users.has_users()
    admin = users.create_first_admin("zhang", "password-1234")
    assert admin.role == "管理员" and users.has_users() and users.has_active_admin()
    with pytest.raises(BadUserInput):
        users.create_first_admin("wang", "password-1234")  # only the first
    assert users.login("zhang", "password-1234").username == "zhang"
    assert (new_archive.username, new_archive.role) == ("zhang", "管理员")
    clerk = users.create("li", "password-1234", "录入员", "李四")
    assert (clerk.display_name, clerk.role) == ("李四", "录入员")
    users.set_role(clerk, "查阅")
    users.set_active(clerk, False)
    assert (users.find("li").role, users.find("li").active) == ("查阅", False)
    users.set_active(users.find("li"), True)
    users.reset_password(users.find("li"), "password-5678")
    assert users.authenticate("li", "password-5678").username == "li"
    with pytest.raises(LoginFailed):
        users.authenticate("li", "password-1234")
    users.unlock(users.find("li"))
    assert users.find("li").failed_attempts == 0
    users.change_password("zhang", "password-1234", "password-9999")
    assert users.authenticate("zhang", "password-9999").username == "zhang"


@pytest.mark.both_backends
def test_directors_are_written_as_the_logged_in_user(new_archive):
    directors = new_archive.directors
    village = new_archive.writer().create(Village, name="东坡村")
    one = directors.add("李秀英", "13912345678", date(2021, 3, 1), [village.id])
    directors.update(one, phone="13987654321")
    directors.add_training(one, date(2026, 4, 2), "未成年人保护法解读", "7.5")
    directors.add_screening_round(date(2026, 3, 1), date(2026, 3, 20), children_screened=12)
    directors.add_guidance_session(date(2026, 5, 1), "家庭教育", attendees=30)
    directors.end_service(one, date(2026, 6, 30))
    assert directors.get(one.id).phone == "13987654321"
    assert directors.get(one.id).ended_on == date(2026, 6, 30)
    assert directors.village_ids(one.id) == {village.id}
    assert [t.topic for t in directors.trainings(one.id)] == ["未成年人保护法解读"]
    assert len(directors.screening_rounds(2026)) == len(directors.guidance_sessions(2026)) == 1
    assert AuditEntry.select().where(AuditEntry.table == "child_director").count() == 3


@pytest.mark.both_backends
def test_spotcheck_sizes_seeds_and_summaries(demo_archive):
    spotchecks = demo_archive.spotchecks
    assert spotchecks.sample_size(0, 0.1) == 0
    assert spotchecks.sample_size(5, 0.1) == 1  # at least one file
    assert spotchecks.sample_size(101, 0.1) == 11  # rounded up
    assert spotchecks.new_seed().isdigit()
    run = spotchecks.run(0.5, seed="7", on=date(2026, 5, 20))
    summary = spotchecks.summary(run.children)
    assert all(count > 0 for _, count in summary)
    assert sum(count for _, count in summary) >= run.with_problems


@pytest.mark.both_backends
def test_quick_counts_are_those_of_the_cached_day_only(demo_archive):
    counts = demo_archive.quick_counts(date.today())
    assert counts is not None
    assert counts.open_children == Child.select().where(Child.closed_on.is_null()).count()
    assert demo_archive.quick_counts(date(2001, 1, 1)) is None


def test_quick_counts_read_the_table_once_and_count_as_a_plain_grouping(demo_archive):
    # At start the window draws these counts before anything else: one pass over the table,
    # not the index on colour with a row fetched for each entry (twice the time on 20,000).
    from models.dashboard_counts import grouped, open_on
    from models.schema import database

    on = date.today()
    sql, params = grouped(on).sql()
    plan = " ".join(row[-1] for row in database.execute_sql("EXPLAIN QUERY PLAN " + sql, params))
    assert "child_colour" not in plan
    counts = demo_archive.quick_counts(on)
    by_colour, by_category = {}, {}
    for child in Child.select().where(open_on(on)):
        if child.colour:
            by_colour[child.colour] = by_colour.get(child.colour, 0) + 1
        for word in child.categories.split("、") if child.categories else ():
            by_category[word] = by_category.get(word, 0) + 1
    assert {c: n for c, n in counts.by_colour.items() if n} == by_colour
    assert counts.by_category == by_category


@pytest.mark.both_backends
def test_states_refresh_and_say_when_stale(demo_archive):
    assert not demo_archive.states.stale()
    assert demo_archive.states.stale(date(2001, 1, 1))
    assert demo_archive.states.refresh_all() == Child.select().count()
    demo_archive.states.keep_current()
    assert demo_archive.on_children_changed is not None


@pytest.mark.both_backends
def test_settings_show_plans_and_local_practice(new_archive):
    import pytest

    settings = new_archive.settings
    assert settings.profile_named("changzhi").code == settings.profile().code == "changzhi"
    with pytest.raises(ValueError):
        settings.profile_named("nowhere")
    assert all(len(row) == 3 for row in settings.profile_rows(settings.profile()))
    keys = [row[0] for row in settings.local_rows()]
    assert keys and len(keys) == len(set(keys))


@pytest.mark.both_backends
def test_the_audit_facet_checks_codes_against_the_trail(new_archive, backend):
    audit = new_archive.audit
    new_archive.settings.rename_township("新镇", "新县")
    head = audit.chain_head()
    assert audit.parse_head_code(head.code).code == head.code
    assert audit.parse_head_code("not a code") is None
    assert audit.check_head(head, "核对码").ok
    assert audit.replay().problems == []
    assert audit.spotcheck_heads() == []
    if backend.name == "sqlite":  # a township of the county database is no file
        assert audit.is_archive_file(new_archive.path)


def test_archive_openers_before_there_is_an_archive(tmp_path):
    import pytest

    from models import opening
    from models.users import BadUserInput

    assert opening.check_username(" zhang ") == "zhang"
    with pytest.raises(BadUserInput):
        opening.check_password("123")
    assert opening.database_error_message(ValueError("x")) is None
    assert "损坏" in opening.database_error_message(
        type("DatabaseError", (Exception,), {})("database disk image is malformed"))
