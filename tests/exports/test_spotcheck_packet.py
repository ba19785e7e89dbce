"""The spot-check packet folder: files read back, safe names, nothing left when cancelled."""

import subprocess
from datetime import date

import docx
import openpyxl
import pytest

from exports.atomic import ExportCancelled, ExportError
from exports.spotcheck import (
    DOSSIER_FOLDER,
    RECORD_NAME,
    PacketChild,
    SpotCheckPacket,
    dossier_file_name,
    safe_name,
    write_packet,
)
from forms.basic_info import BASIC_INFO
from forms.dossier import Dossier, DossierPart
from forms.running_lists import WORK_LOG
from forms.spec import FilledForm
from forms.visit_record import VISIT_RECORD

ON = date(2026, 5, 20)


def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def dossier(name: str, id_number: str, demo: bool = False) -> Dossier:
    sheet = FilledForm(BASIC_INFO, {"name": name, "id_number": id_number, "village": "东坡村"},
                       demo=demo)
    visit = FilledForm(VISIT_RECORD, {"child_name": name, "visited_on": date(2026, 4, 1),
                                      "kind": "入户走访", "visitor": "儿童主任甲"}, demo=demo)
    log = FilledForm(WORK_LOG, {"child_name": name},
                     {"rows": [{"on": date(2025, 1, 2), "content": "完成建档"}]}, demo=demo)
    return Dossier(f"丹朱-2025-{abs(hash(name)) % 1000:06d}", name, "东坡村", "丹朱镇",
                   date(2025, 1, 2), "丹朱镇人民政府（民政办）", demo=demo, parts=[
                       DossierPart("儿童基本信息表", date=date(2025, 1, 2), forms=[sheet]),
                       DossierPart("走访记录（入户走访）", date=date(2026, 4, 1), forms=[visit]),
                       DossierPart("工作日志", date=date(2025, 1, 2), forms=[log])])


CHILDREN = [
    ("郑小兰", "140428201503140048", ["留守儿童未签订书面委托照护协议。", "联系已逾期（最迟应于2026-04-30联系）。"]),
    ("王小虎", "140428201606010016", []),
    ("../../逃逸", "140428201701010011", ["儿童基本信息缺少现住址。"]),
]


def packet(demo: bool = False, lazy: bool = False) -> SpotCheckPacket:
    children = []
    for name, number, findings in CHILDREN:
        made = dossier(name, number, demo)
        children.append(PacketChild(number, name, "东坡村", "绿色 低风险", findings,
                                    (lambda d=made: d) if lazy else made))
    return SpotCheckPacket("丹朱镇", "长子县", ON, "2026", 0.1, False, 30, children,
                           summary=[("委托照护协议缺失或无效", 1), ("联系逾期", 1),
                                    ("儿童基本信息不完整", 1)],
                           inspector="县民政局李某", record_no="抽查-20260520-001", demo=demo)


def test_packet_holds_every_dossier_and_the_record_in_three_formats(tmp_path):
    target = tmp_path / "抽查材料"
    calls = []
    write_packet(packet(lazy=True), target, progress=lambda d, t: calls.append((d, t)))
    files = sorted(p.name for p in (target / DOSSIER_FOLDER).iterdir())
    assert files == ["001-东坡村-郑小兰.pdf", "002-东坡村-王小虎.pdf", "003-东坡村-_.._逃逸.pdf"]
    text = pdf_text(target / DOSSIER_FOLDER / files[0])
    assert "郑小兰" in text and "卷内目录" in text and "入户走访记录表" in text
    assert "140428201503140048" in text
    assert calls[-1] == (4, 4) and calls[0] == (0, 4)

    record = pdf_text(target / f"{RECORD_NAME}.pdf")
    for _name, number, _findings in CHILDREN:
        assert number in record.replace("\n", "").replace(" ", "")
    # drawing order (-raw): a wrapped cell reads as one run whatever the columns beside it
    flat = subprocess.run(["pdftotext", "-raw", str(target / f"{RECORD_NAME}.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    flat = flat.replace("\n", "").replace(" ", "")
    assert "1.留守儿童未签订书面" in flat and "儿童基本信息缺少现住址。" in flat
    assert "需整改" in flat and "合格" in flat and "未发现问题" in flat
    assert "2026" in flat and "县民政局李某" in flat and "10%" in flat
    assert "演示数据" not in record

    book = openpyxl.load_workbook(target / f"{RECORD_NAME}.xlsx")
    cells = [str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row
             if c.value is not None]
    assert "郑小兰" in cells and "140428201606010016" in cells and "联系逾期" in cells
    assert ("1. 留守儿童未签订书面委托照护协议。\n2. 联系已逾期（最迟应于2026-04-30联系）。"
            in cells)
    word = docx.Document(target / f"{RECORD_NAME}.docx")
    table_text = " ".join(c.text for t in word.tables for row in t.rows for c in row.cells)
    assert "王小虎" in table_text and "未发现问题" in table_text
    assert [p.name for p in tmp_path.iterdir()] == ["抽查材料"]  # no temporary folder left


def test_demo_packet_says_so_on_every_file(tmp_path):
    write_packet(packet(demo=True), tmp_path / "p")
    assert "演示数据" in pdf_text(tmp_path / "p" / f"{RECORD_NAME}.pdf")
    assert "演示数据" in pdf_text(tmp_path / "p" / DOSSIER_FOLDER / "002-东坡村-王小虎.pdf")


def test_cancelled_midway_leaves_no_files(tmp_path):
    (tmp_path / "其他文件.txt").write_text("keep")
    before = sorted(p.name for p in tmp_path.iterdir())
    done = []
    with pytest.raises(ExportCancelled):
        write_packet(packet(), tmp_path / "抽查材料", progress=lambda d, t: done.append(d),
                     is_cancelled=lambda: len(done) >= 2)
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert max(done) >= 1  # it really was midway


def test_failure_midway_leaves_no_files(tmp_path):
    broken = packet()

    def boom():
        raise RuntimeError("disk full")

    broken.children[1].dossier = boom
    with pytest.raises(RuntimeError):
        write_packet(broken, tmp_path / "p")
    assert list(tmp_path.iterdir()) == []


def test_target_must_be_new_or_empty(tmp_path):
    full = tmp_path / "full"
    full.mkdir()
    (full / "a.pdf").write_text("x")
    with pytest.raises(ExportError, match="已存在且不是空文件夹"):
        write_packet(packet(), full)
    assert [p.name for p in full.iterdir()] == ["a.pdf"]
    empty = tmp_path / "empty"
    empty.mkdir()
    write_packet(packet(), empty)
    assert (empty / f"{RECORD_NAME}.pdf").exists()
    with pytest.raises(ExportError, match="保存位置不存在"):
        write_packet(packet(), tmp_path / "no" / "such" / "folder")


@pytest.mark.parametrize("raw, safe", [
    ("../../etc/passwd", "_.._etc_passwd"),
    ("a:b*c?d", "a_b_c_d"),
    ("  .hidden  ", "hidden"),
    ("CON", "未命名"),
    ("com1.txt", "未命名"),
    ("", "未命名"),
    ("..", "未命名"),
    ("张\x00三", "张_三"),
])
def test_safe_name_never_leaves_the_folder(raw, safe):
    assert safe_name(raw) == safe
    assert "/" not in safe_name(raw) and "\\" not in safe_name(raw)


def test_dossier_file_names_are_numbered_and_bounded():
    child = PacketChild("1", "很" * 100, "村/组", "", [], None)
    name = dossier_file_name(12, child)
    assert name.startswith("012-村_组-") and name.endswith(".pdf") and len(name) < 80


def test_parallel_rendering_gives_the_same_files(tmp_path):
    write_packet(packet(), tmp_path / "p", workers=2)
    files = sorted(p.name for p in (tmp_path / "p" / DOSSIER_FOLDER).iterdir())
    assert len(files) == 3
    assert "王小虎" in pdf_text(tmp_path / "p" / DOSSIER_FOLDER / files[1])


def test_cancelling_parallel_rendering_leaves_no_files(tmp_path):
    done = []
    with pytest.raises(ExportCancelled):
        write_packet(packet(), tmp_path / "p", progress=lambda d, t: done.append(d),
                     is_cancelled=lambda: len(done) >= 2, workers=2)
    assert list(tmp_path.iterdir()) == []
