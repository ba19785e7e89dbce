"""抽查 page: a fixed seed gives the same sample; findings shown; a cancelled packet leaves nothing."""

from functools import partial

import pytest

from desktop.context import AppContext
from desktop.pages import spotcheck as page_module
from desktop.worker import Task, run_in_background
from exports.atomic import ExportCancelled
from models.schema import SpotCheck


@pytest.fixture
def page(qtbot, demo_archive):
    widget = page_module.Page(AppContext(archive=demo_archive))
    qtbot.addWidget(widget)
    widget.refresh()
    return widget


def draw(page, share=20, seed="20261125", per_village=False):
    page.steps.setCurrentIndex(page_module.STEP_SETTINGS)
    page.share.setValue(share)
    page.per_village.setChecked(per_village)
    page.seed.setText(seed)
    page.draw()
    return page.run


def test_a_fixed_seed_gives_the_same_sample_twice(page):
    assert "在档儿童50名，将抽取5份档案" in page.estimate.text()
    first = draw(page).sample
    assert page.steps.currentIndex() == page_module.STEP_RESULTS
    second = draw(page).sample
    other = draw(page, seed="1").sample
    assert first == second and len(first) == 10
    assert other != first
    records = list(SpotCheck.select().order_by(SpotCheck.id))
    assert [r.seed for r in records] == ["20261125", "20261125", "1"]
    assert "随机种子：<b>1</b>" in page.result_label.text()
    page.tabs.setCurrentIndex(1)
    assert page.history_table.rowCount() == 3
    page.history_table.selectRow(2)  # the oldest: the first draw
    assert page.history_detail.rowCount() == 10


def test_the_sampled_files_are_listed_with_their_findings(page):
    run = draw(page, share=30, per_village=True)
    table = page.sample_table
    assert table.rowCount() == len(run.children)
    for row, child in enumerate(run.children):
        assert table.item(row, 2).text() == child.name
        assert table.item(row, 5).text() == ("\n".join(child.messages) or "—")
        assert table.item(row, 4).text() == ("需整改" if child.problems else "合格")
    assert page.summary_table.rowCount() > 0


def cancelling_runner(fn, *args, on_done=None, on_error=None, on_cancelled=None, **_kw):
    """Runs the export at once and asks it to stop after its first file."""
    task = Task(fn, args, {})
    started = []

    def progress(done, total):
        started.append(done)

    try:
        fn(*args, progress=progress, is_cancelled=lambda: len(started) > 1)
    except ExportCancelled:
        on_cancelled()
    else:
        on_done(None)
    task.done = True
    return task


def test_a_cancelled_packet_export_leaves_no_files(page, tmp_path):
    draw(page)
    out = tmp_path / "out"
    out.mkdir()
    page.context.run_in_background = cancelling_runner
    page.export_packet(str(out))
    assert list(out.iterdir()) == []
    assert page.packet_status.text() == "已取消，未生成任何文件。"
    assert page.packet_button.isEnabled()


def test_the_packet_is_written_in_the_background(page, qtbot, tmp_path):
    run = draw(page, share=10)
    page.context.run_in_background = partial(run_in_background, show_dialog=False)
    out = tmp_path / "out"
    out.mkdir()
    task = page.export_packet(str(out))
    qtbot.waitUntil(lambda: task.done, timeout=60000)
    assert task.error is None, task.error_text
    folder = out / page_module.packet_folder_name(run)
    assert page.packet_path == folder
    assert len(list((folder / "儿童档案").glob("*.pdf"))) == len(run.children) == 5
    assert (folder / "抽查记录表.pdf").exists()
    assert [p.name for p in out.iterdir()] == [folder.name]  # no temporary folder left


def test_a_township_receives_the_countys_check_on_the_history_tab(page, tmp_path, monkeypatch):
    """导入县级抽查记录…: the county's check (from its packet's file) joins the 历次抽查 list;
    receiving it again is refused with the reason shown."""
    import json
    from datetime import date
    from types import SimpleNamespace

    from models import county_check_record
    from models.schema import Township

    said = []
    monkeypatch.setattr(page_module.QMessageBox, "information", lambda *a: said.append(a[2]))
    monkeypatch.setattr(page_module.QMessageBox, "warning", lambda *a: said.append(a[2]))
    township = Township.get()
    number = page.context.archive.spotchecks.population()[0][0]
    county_row = SimpleNamespace(
        on=date(2026, 11, 20), inspector="县民政局 张三", share=0.1, per_village=True,
        seed="9/" + township.name, sample=json.dumps([number]), findings="{}",
        notes="县级抽查（全县种子 9，每个乡镇10%）", county_draw='{"id": "x", "seed": "9"}')
    path = tmp_path / county_check_record.FILE_NAME
    path.write_text(county_check_record.record_text(county_row, township.name, township.county),
                    encoding="utf-8")
    assert not page.receive_row.isHidden()  # a file archive and a role that may check
    assert page.receive_county_check(str(path))
    assert "抽查 1 份" in said[-1]
    table = page.history_table
    assert table.rowCount() == 1 and table.item(0, 1).text() == "县民政局 张三"
    assert not page.receive_county_check(str(path))
    assert "已经导入过" in said[-1] and table.rowCount() == 1
