"""`tongdang export dossier|form` and `tongdang spotcheck`, run as real commands; files read back."""

import json
import os
import subprocess
import sys

import docx
import pytest

from tests.conftest import RECOVERY


def run(args, archive):
    env = dict(os.environ)
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"  # never the real store
    env["TONGDANG_RECOVERY_CODE"] = RECOVERY
    env["TONGDANG_ARCHIVE"] = str(archive)
    return subprocess.run([sys.executable, "-m", "desktop.cli", *args], check=False, capture_output=True,
                          text=True, encoding="utf-8", env=env, timeout=300)


def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


@pytest.fixture
def demo(tmp_path):
    """A demo archive of 30 children; returns (path, a left-behind child's ID number, name)."""
    from models import demo as demo_data
    from models.archive import Archive
    from models.derived import refresh_all
    from models.schema import Child, EntrustmentAgreement, Township

    archive, _ = Archive.create(tmp_path / "a.tongdang", "丹朱镇", "长子县", "changzhi",
                                recovery_code=RECOVERY)
    try:
        archive.writer().update(Township.get(), is_demo=True)
        demo_data.generate(30, seed=1, writer=archive.writer())
        refresh_all()
        child = (Child.select().join(EntrustmentAgreement, on=(EntrustmentAgreement.child == Child.id))
                 .order_by(Child.id).first())
        found = (archive.path, child.id_number, child.name)
    finally:
        archive.close()
    return found


def test_dossier_pdf_has_cover_catalogue_parts_and_demo_mark(demo, tmp_path):
    path, number, name = demo
    out = tmp_path / "档案.pdf"
    result = run(["export", "dossier", "--child", number, "--format", "pdf", "--out", str(out)], path)
    assert result.returncode == 0, result.stderr
    assert "演示数据" in result.stdout
    text = pdf_text(out)
    for words in (name, number, "卷内目录", "儿童基本信息表", "入户走访记录表", "工作日志",
                  "农村留守儿童委托照护协议书", "卷内备考表", "丹朱镇人民政府（民政办）", "演示数据"):
        assert words in text, words


def test_dossier_docx_reads_back(demo, tmp_path):
    path, number, name = demo
    out = tmp_path / "档案.docx"
    result = run(["export", "dossier", "--child", number, "--format", "docx", "--out", str(out)], path)
    assert result.returncode == 0, result.stderr
    document = docx.Document(out)
    text = "\n".join(p.text for p in document.paragraphs)
    text += "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert name in text and "卷内目录" in text and "入户走访记录表" in text and number in text


def test_dossier_of_an_id_number_typed_with_full_width_digits(demo, tmp_path):
    """A Chinese input method types １４０４…: the command finds the child all the same."""
    path, number, name = demo
    full_width = " " + number.translate(str.maketrans("0123456789X", "０１２３４５６７８９ｘ")) + "　"
    out = tmp_path / "档案.pdf"
    result = run(["export", "dossier", "--child", full_width, "--out", str(out)], path)
    assert result.returncode == 0, result.stderr
    assert name in pdf_text(out) and number in pdf_text(out)


def test_form_of_a_child_and_a_blank_form(demo, tmp_path):
    path, number, name = demo
    agreement = tmp_path / "协议"
    result = run(["export", "form", "委托照护协议书", "--child", number, "--out", str(agreement)], path)
    assert result.returncode == 0, result.stderr
    text = pdf_text(tmp_path / "协议.pdf")  # the suffix of the format is added
    assert "农村留守儿童委托照护协议书" in text and name in text and number in text

    blank = tmp_path / "空白.docx"
    result = run(["export", "form", "入户走访记录表", "--blank", "--format", "docx", "--out",
                  str(blank)], path)
    assert result.returncode == 0, result.stderr
    document = docx.Document(blank)
    assert any("入户走访记录表" in p.text for p in document.paragraphs)
    cells = " ".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert name not in cells


def test_unknown_child_or_form_is_a_chinese_error_and_writes_nothing(demo, tmp_path):
    path, number, _ = demo
    out = tmp_path / "x.pdf"
    result = run(["export", "dossier", "--child", "110105194912310021", "--out", str(out)], path)
    assert result.returncode != 0
    assert "没有身份证号为“110105194912310021”的儿童" in result.stderr
    assert "Traceback" not in result.stderr and not out.exists()
    result = run(["export", "form", "成绩单", "--child", number, "--out", str(out)], path)
    assert result.returncode != 0 and "没有名为“成绩单”的表格" in result.stderr
    assert "委托照护协议书" in result.stderr and not out.exists()
    result = run(["export", "form", "工作日志", "--out", str(out)], path)
    assert result.returncode != 0 and "--blank" in result.stderr
    result = run(["export"], path)
    assert result.returncode != 0 and "dossier" in result.stderr


def test_spotcheck_writes_the_packet_and_records_the_check(demo, tmp_path):
    path, _, _ = demo
    first, second = tmp_path / "抽查1", tmp_path / "抽查2"
    result = run(["spotcheck", "--sample", "10%", "--seed", "77", "--out", str(first)], path)
    assert result.returncode == 0, result.stderr
    assert "随机种子：77" in result.stdout and "演示数据" in result.stdout
    # The same seed again, rendered in two worker processes: the same files.
    result = run(["spotcheck", "--sample", "10%", "--seed", "77", "--jobs", "2", "--out",
                  str(second)], path)
    assert result.returncode == 0, result.stderr
    files = sorted(p.name for p in (first / "儿童档案").iterdir())
    assert len(files) == 3  # 10% of 30
    assert files == sorted(p.name for p in (second / "儿童档案").iterdir())
    for suffix in (".pdf", ".docx", ".xlsx"):
        assert (first / f"抽查记录表{suffix}").exists()
    record = pdf_text(first / "抽查记录表.pdf")
    assert "抽查记录表" in record and "77" in record and "演示数据" in record
    name = files[0].split("-", 2)[2].removesuffix(".pdf")
    assert name in record and name in pdf_text(first / "儿童档案" / files[0])

    from models.archive import Archive
    from models.schema import SpotCheck

    archive, _ = Archive.open(path, recovery_code=RECOVERY)
    try:
        rows = list(SpotCheck.select().order_by(SpotCheck.id))
        assert [r.seed for r in rows] == ["77", "77"]
        assert json.loads(rows[0].sample) == json.loads(rows[1].sample)
        assert len(json.loads(rows[0].sample)) == 3
    finally:
        archive.close()


def test_spotcheck_refuses_bad_share_and_a_full_folder(demo, tmp_path):
    path, _, _ = demo
    result = run(["spotcheck", "--sample", "很多", "--out", str(tmp_path / "p")], path)
    assert result.returncode != 0 and "抽查比例" in result.stderr
    full = tmp_path / "full"
    full.mkdir()
    (full / "a.txt").write_text("x")
    result = run(["spotcheck", "--out", str(full)], path)
    assert result.returncode != 0 and "已存在且不是空文件夹" in result.stderr
    assert "Traceback" not in result.stderr
