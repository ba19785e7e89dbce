"""The order of a child's file."""

import form_samples

from forms.dossier import PART_ORDER, Dossier, DossierPart


def test_five_named_parts_first():
    assert PART_ORDER[:5] == ("儿童基本信息", "走访记录", "工作日志", "关爱帮扶记录", "发现问题和解决方案")


def test_parts_are_put_in_order():
    dossier = Dossier("D-1", "甲", parts=[
        DossierPart("备忘"), DossierPart("走访记录"), DossierPart("儿童基本信息"),
        DossierPart("强制报告与转介"), DossierPart("委托照护协议（2025年）"),
    ])
    assert [p.title for p in dossier.ordered_parts()] == [
        "儿童基本信息", "走访记录", "委托照护协议（2025年）", "强制报告与转介", "备忘"]


def test_sample_dossier():
    dossier = form_samples.dossier(visits=24)
    assert dossier.title == "和小禾一人一档"
    assert [p.title for p in dossier.ordered_parts()] == list(PART_ORDER)
    assert len(dossier.ordered_parts()[1].forms) == 24
