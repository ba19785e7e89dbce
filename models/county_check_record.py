"""The county's spot-check of a township, carried back to a township on its own file (issue 17,
item 3: "a township's own archive shows the checks made of it").

The county's check lives on the county database (``models.server.county_spotcheck``). For a
township that works on its own encrypted file, the county's packet folder holds the check as a
small JSON file (``record_text``); the township receives it (``tongdang spotcheck receive`` or
the 抽查 page), which records it as a ``SpotCheck`` of its own archive with the county's draw
(``county_draw``), through the writer, so it is audited. The next 上报包 carries it back; the
county database then keeps one row of the check, not two (``models.server.package_import``).
"""

import json
from datetime import date

from forms.spotcheck_share import SpotCheckError
from models.schema import SpotCheck, Township

FORMAT = "tongdang-county-spotcheck"
VERSION = 1
FILE_NAME = "县级抽查记录（乡镇导入用）.json"
_COPIED = ("inspector", "share", "per_village", "seed", "sample", "findings", "notes",
           "county_draw")


def record_text(record: SpotCheck, township: str, county: str) -> str:
    """The county's check of ``township`` as the file the township receives."""
    data = {"format": FORMAT, "version": VERSION, "county": county, "township": township,
            "on": record.on.isoformat(), **{name: getattr(record, name) for name in _COPIED}}
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True)


def receive(writer, text: str) -> SpotCheck:
    """Record the county's check in ``text`` in this archive; ``SpotCheckError`` (Chinese) when
    it is not such a record, is another township's, or was received before."""
    data = _parse(text)
    township = Township.get()
    if (data["county"], data["township"]) != (township.county, township.name):
        raise SpotCheckError(f"这是{data['county']}{data['township']}的县级抽查记录，"
                             f"不是本档案库（{township.county}{township.name}）的，未导入。")
    if SpotCheck.select().where(SpotCheck.county_draw == data["county_draw"]).exists():
        raise SpotCheckError("这次县级抽查的记录已经导入过，未重复导入。")
    # No audit-chain head: the county's head belongs to the county database's chain, and
    # ``verify`` checks every recorded head against this archive's own.
    return writer.create(SpotCheck, on=data["on"], chain_head="",
                         **{name: data[name] for name in _COPIED})


def _parse(text: str) -> dict:
    refused = SpotCheckError("这不是童档导出的县级抽查记录文件（应为县级抽查材料文件夹中的"
                             f"“{FILE_NAME}”），未导入。")
    try:
        data = json.loads(text)
        if data.get("format") != FORMAT:
            raise refused
        if data.get("version") != VERSION:
            raise SpotCheckError("这个县级抽查记录文件由更新版本的童档导出，请先升级童档。")
        data["on"] = date.fromisoformat(data["on"])
        for name in ("county", "township", "inspector", "seed", "sample", "findings", "notes",
                     "county_draw"):
            if not isinstance(data[name], str):
                raise refused
        data["share"], data["per_village"] = float(data["share"]), bool(data["per_village"])
    except (ValueError, KeyError, TypeError, AttributeError):
        raise refused from None
    if not data["county_draw"]:
        raise refused
    return data
