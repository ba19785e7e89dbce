"""The county's local-practice settings (本地做法) and the profile they complete.

Every rule either cites the archive's own plan (``models.profiles``) or is one of these settings,
with a default the county can change in 设置. Only a 管理员 changes them.
"""

from datetime import date

from models.profiles import (
    LOCAL,
    Profile,
    Source,
    get_profile,
    local_practice_rows,
    profile_settings,
)
from models.roles import ADMIN, SYSTEM, PermissionDenied
from models.schema import Child, LocalSetting, Township


def local_values() -> dict[str, int]:
    return {s.key: s.value for s in LocalSetting.select() if s.key in LOCAL}


class TownshipsDiffer(ValueError):
    """A county login reading every township at once, whose townships follow different plans
    or local practice: one set of rules cannot answer for all (Chinese message)."""


def archive_profile() -> Profile:
    """The archive's plan with the county's local-practice values."""
    from models.server import is_server

    if is_server(Township._meta.database):
        _same_rules_everywhere()
    return get_profile(Township.get().profile).with_local(local_values())


def _same_rules_everywhere() -> None:
    """On the county database a county login without a chosen township sees every township's
    plan and settings; the whole-county views are right only when they agree."""
    db = Township._meta.database
    townships = db.execute_sql("SELECT count(*) FROM township").fetchone()[0]
    if townships <= 1:  # a township's login, or a county login that chose one: its own rules
        return
    profiles = {p for (p,) in db.execute_sql("SELECT DISTINCT profile FROM township").fetchall()}
    values: dict[str, set[int]] = {}
    for key, value, count in db.execute_sql(
            "SELECT key, value, count(*) FROM local_setting GROUP BY key, value").fetchall():
        values.setdefault(key, set()).add(value)
        if count != townships:
            values[key].add(None)  # some townships keep the plan's default
    differing = sorted(k for k, v in values.items() if len(v) > 1 and k in LOCAL)
    if len(profiles) > 1 or differing:
        what = "地区方案" if len(profiles) > 1 else "本地做法（" + "、".join(differing) + "）"
        raise TownshipsDiffer(
            f"各乡镇的{what}不同，不能按同一套规则计算全县：请用 --town 逐个乡镇查看，"
            "或按乡镇导出县级表格（export stats|screening|lists --by-township）。")


def set_local_setting(writer, key: str, value: int) -> None:
    if writer.role not in (ADMIN, SYSTEM):
        raise PermissionDenied("只有管理员可以修改本地做法设置。")
    if key not in LOCAL:
        raise ValueError(f"未知的本地做法设置：{key}")
    value = int(value)
    if value < 0 or (key == "spotcheck_share" and value > 100):
        raise ValueError(f"“{LOCAL[key].label}”的取值不合理：{value}")
    row = LocalSetting.get_or_none(LocalSetting.key == key)
    if row is None:
        writer.create(LocalSetting, key=key, value=value)
    else:
        writer.update(row, value=value)


# -- manual colour (普宁 三4) ---------------------------------------------------------------

_MANUAL_FIELDS = ("manual_colour", "manual_colour_reason", "manual_colour_on")


def prepare_manual_colour(writer, instance: Child | None, fields: dict) -> None:
    """Called by the writer before a child is created or updated. A manual colour is set only by
    a 管理员 (or the system), needs a reason, and records who set it and when."""
    if not any(k in fields for k in _MANUAL_FIELDS):
        return
    current = {k: getattr(instance, k) if instance is not None else None for k in _MANUAL_FIELDS}
    new = {k: fields.get(k, current[k]) for k in _MANUAL_FIELDS}
    colour = new["manual_colour"] or None
    changed = (colour != (current["manual_colour"] or None)
               or (colour and (new["manual_colour_reason"] or "") != (current["manual_colour_reason"] or ""))
               or (colour and new["manual_colour_on"] != current["manual_colour_on"]))
    if not changed:
        return
    if writer.role not in (ADMIN, SYSTEM):
        raise PermissionDenied("只有管理员可以人工确认或取消儿童的风险等级。")
    if colour is None:
        fields.update(manual_colour=None, manual_colour_by="", manual_colour_confirmed=True)
        return
    reason = (new["manual_colour_reason"] or "").strip()
    if not reason:
        raise ValueError("人工确认风险等级必须填写理由。")
    fields.update(manual_colour=colour, manual_colour_reason=reason,
                  manual_colour_on=new["manual_colour_on"] or date.today(),
                  manual_colour_by=writer.username, manual_colour_confirmed=True)


class LocalPractice:
    """``archive.settings``: the township's name, its plan (profile) and the county's
    local-practice values; only a 管理员 changes them (the writer refuses anyone else)."""

    def __init__(self, archive):
        self.archive = archive

    def profile(self) -> Profile:
        return archive_profile()

    def profile_named(self, code: str) -> Profile:
        """One of the plans (``PROFILES``); ``ValueError`` for an unknown code."""
        return get_profile(code)

    def profile_rows(self, profile: Profile) -> list[tuple[str, str, Source]]:
        """(label, value, source) of a plan's settings, shown read-only in 设置."""
        return profile_settings(profile)

    def local_rows(self) -> list[tuple[str, str, str, int, str]]:
        """(key, label, unit, value, note) of every local-practice setting of this archive."""
        return local_practice_rows(self.profile())

    def set_local(self, key: str, value: int) -> None:
        set_local_setting(self.archive.writer(), key, value)

    def rename_township(self, name: str, county: str) -> None:
        self.archive.writer().update(self.archive.township, name=name, county=county)

    def set_profile(self, code: str) -> None:
        """The archive's plan; the children's cached states are then out of date
        (``models.derived.refresh_all``)."""
        self.archive.writer().update(self.archive.township, profile=code)
