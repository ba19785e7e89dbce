"""County-wide settings and the log of lists sent (issue 17, item 5), on the county database.

Two server-only tables, outside the archive's schema (no township rows, no schema version):
made by ``server init`` for a new county and by ``server upgrade`` for an existing one
(``create_tables``, idempotent). Who may do what, in PostgreSQL's privileges:

| table | 县级管理员 | 县级查阅 | township logins |
|---|---|---|---|
| ``tongdang_county_setting`` | read, change | read | nothing |
| ``tongdang_sent_list`` | read, add | read, add | nothing |

The log is append-only for every login (a wrong entry is corrected by another with a note), and
who recorded an entry and when are filled by the database (``session_user``, ``now()``): the
logins may insert only the other columns.

Every setting is declared once in ``SETTINGS``: its label, default, kind and where its value
comes from — a plan's clause, or 本地做法 (local practice: the plans give no date or number),
which the county may change and which is shown as such.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from forms import school_list

TABLES = """
CREATE TABLE IF NOT EXISTS tongdang_county_setting (
    key text PRIMARY KEY,
    value text NOT NULL,
    changed_by text NOT NULL DEFAULT session_user,
    changed_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS tongdang_sent_list (
    id serial PRIMARY KEY,
    kind text NOT NULL,
    recipient text NOT NULL,
    sent_on date NOT NULL,
    townships text NOT NULL DEFAULT '全县',
    term text NOT NULL DEFAULT '',
    children integer,
    file_name text NOT NULL DEFAULT '',
    how text NOT NULL DEFAULT '手工记录',
    note text NOT NULL DEFAULT '',
    recorded_by text NOT NULL DEFAULT session_user,
    recorded_at timestamptz NOT NULL DEFAULT now()
);
REVOKE ALL ON tongdang_county_setting, tongdang_sent_list FROM PUBLIC;
GRANT SELECT ON tongdang_county_setting, tongdang_sent_list
    TO tongdang_county_admin, tongdang_county_reader;
GRANT INSERT (key, value), UPDATE (value, changed_by, changed_at), DELETE
    ON tongdang_county_setting TO tongdang_county_admin;
GRANT INSERT (kind, recipient, sent_on, townships, term, children, file_name, how, note)
    ON tongdang_sent_list TO tongdang_county_admin, tongdang_county_reader;
GRANT USAGE ON SEQUENCE tongdang_sent_list_id_seq TO tongdang_county_admin, tongdang_county_reader;
"""

KINDS = {"lists": "红色、黄色、蓝色风险等级儿童名单", "school": "适龄孤儿、事实无人抚养儿童名单",
         "stats": "附件1 摸排情况数据表", "screening": "附件2 排查表"}
RECIPIENTS = {"lists": ("团委", "妇联", "残联"), "school": ("教育局",),
              "stats": ("上级民政部门",), "screening": ("上级民政部门",)}
LOCAL = "本地做法"


class SettingsError(ValueError):
    """A setting or log entry refused; ``str()`` is Chinese."""


class NoCountyTables(SettingsError):
    """The server has not got the county's own tables yet (``server upgrade`` makes them)."""


@dataclass(frozen=True)
class Setting:
    key: str
    label: str
    default: str
    kind: str  # months / days / month_day
    # The clause of each plan (profile code -> words) that gives this rule; under any other
    # plan the rule is 本地做法 and ``local_note`` says what it follows. Another city's plan is
    # never cited as this county's policy (as in ``models.profiles``).
    policy: Mapping[str, str]
    local_note: str

    def source(self, profile: str | None) -> str:
        """Where this county's value comes from: its plan's clause, or 本地做法 and why."""
        return self.policy.get(profile or "") or f"{LOCAL}：{self.local_note}"

    def local(self, profile: str | None) -> bool:
        return self.source(profile).startswith(LOCAL)

    def show(self, value) -> str:
        """A typed value in words: 2月15日, 6个月, 30天."""
        return show_value(self, value)


_LISTS = "普宁市实施方案四(三)：名单至少每半年通报团委、妇联、残联"
_SPOTCHECK = {
    "changzhi": "长治市实施方案二(三)10：每年至少开展一次抽查",
    "puning": "普宁市实施方案五(三)8：每年开展一次抽查工作，保存抽查记录",
    "yueqing": "乐清市实施方案二(三)8：每年至少抽查一次",
    "shaoyang": "邵阳市实施方案二(三)8：每年至少开展一次抽查工作",
    "shangrila": "香格里拉市实施方案二(二)5：每年至少开展一次抽查工作",
}
_SCHOOL = f"{school_list.CLAUSE}：{school_list.CLAUSE_WORDS}"

SETTINGS = (
    Setting("lists_every_months", "风险等级名单通报间隔（月，0为不提醒）", "6", "months",
            {"puning": _LISTS}, f"本方案未规定通报间隔，参照{_LISTS}"),
    Setting("spotcheck_every_months", "乡镇档案抽查间隔（月）", "12", "months", _SPOTCHECK,
            "本方案未规定抽查间隔，参照各地方案“每年至少抽查一次”"),
    Setting("spring_list_by", "春季学期教育名单报送日期", "02-15", "month_day", {},
            "长治市实施方案二(三)12 只说“寒假开学前”，未给日期"),
    Setting("autumn_list_by", "秋季学期教育名单报送日期", "08-15", "month_day", {},
            "长治市实施方案二(三)12 只说“暑假开学前”，未给日期"),
    Setting("spring_term_starts", "春季学期开学日", "03-01", "month_day", {}, "方案未规定"),
    Setting("autumn_term_starts", "秋季学期开学日", "09-01", "month_day", {}, "方案未规定"),
    Setting("annex_by", "附件1、附件2每年报送日期", "07-22", "month_day", {},
            "参照普宁市实施方案六(二)“于7月22日前将摸排数据报市民政局”（2024年）"),
    Setting("warn_days", "提前提醒天数", "30", "days", {}, "方案未规定"),
)
BY_KEY = {s.key: s for s in SETTINGS}


def school_list_basis(profile: str | None) -> str:
    """Why there is a school-term list for 教育 at all: 长治's clause, else local practice."""
    return _SCHOOL if profile == "changzhi" else f"{LOCAL}：本方案未规定，参照{_SCHOOL}"


# Deadlines a plan gives as dates: profile -> ((day, what the clause says), …).
POLICY_DEADLINES = {
    "puning": (
        (date(2024, 7, 22), "普宁市实施方案六(二)：各乡镇场（街道）填报附件1、附件2，于7月22日前将摸排数据报市民政局（2024年）"),
        (date(2026, 10, 16), "普宁市实施方案六(四)：各乡镇场（街道）填报附件1、附件2，于2026年10月16日前将摸排数据报市民政局"),
    ),
}

_MONTH_DAY = re.compile(r"^\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})\s*日?\s*$")


def parse_value(setting: Setting, text: str):
    """The typed value of ``text`` for ``setting``; SettingsError (Chinese) when it is not one."""
    text = (text or "").strip()
    if setting.kind in ("months", "days"):
        unit = "月" if setting.kind == "months" else "天"
        if not text.isdigit() or not 0 <= int(text) <= (120 if unit == "月" else 366):
            raise SettingsError(f"“{setting.label}”应为0到{120 if unit == '月' else 366}之间的整数"
                                f"（{unit}），而不是“{text}”")
        return int(text)
    found = _MONTH_DAY.match(text)
    if found:
        month, day = int(found.group(1)), int(found.group(2))
        try:
            date(2024, month, day)  # a leap year: 2月29日 is a day
            return month, day
        except ValueError:
            pass
    raise SettingsError(f"“{setting.label}”应写作“月-日”，如 02-15，而不是“{text}”")


def show_value(setting: Setting, value) -> str:
    if setting.kind == "month_day":
        return f"{value[0]}月{value[1]}日"
    return f"{value}{'个月' if setting.kind == 'months' else '天'}"


@dataclass(frozen=True)
class SentEntry:
    id: int
    kind: str
    recipient: str
    sent_on: date
    townships: str
    term: str  # the school list's term ("2027春"); "" for the others
    children: int | None
    file_name: str
    how: str
    note: str
    recorded_by: str
    recorded_at: datetime

    @property
    def what(self) -> str:
        return KINDS.get(self.kind, self.kind)


def create_tables(db) -> None:
    """The county's own tables, made if missing (database owner: ``server init|upgrade``)."""
    with db.atomic():
        db.execute_sql(TABLES)


def _missing(exc: Exception) -> bool:
    return "tongdang_county_setting" in str(exc) or "tongdang_sent_list" in str(exc)


def _run(db, sql: str, params=()):
    import peewee as pw
    import psycopg

    try:
        return db.execute_sql(sql, params)
    except (pw.DatabaseError, psycopg.Error) as exc:  # peewee wraps psycopg's error
        cause = getattr(exc, "orig", exc)
        if isinstance(cause, psycopg.errors.UndefinedTable):
            raise NoCountyTables("县级数据库还没有县级设置和报送记录的数据表：请数据库所有者运行 "
                                 "tongdang server --server postgresql://所有者@… upgrade。") from None
        if isinstance(cause, psycopg.errors.InsufficientPrivilege):
            raise SettingsError("当前登录没有这项权限：县级设置只能由县级管理员修改，"
                                "报送记录只能由县级用户添加；乡镇用户不能查看。") from None
        raise


class CountySettings:
    """``archive.county_settings`` of a county login: the settings and the log of lists sent."""

    def __init__(self, archive):
        self.archive = archive
        self.db = archive.db

    def profile(self) -> str | None:
        """The plan (``models.profiles`` code) every township of the county works under, or
        None when they differ (then no plan's clause is the county's: local practice)."""
        with self.db.atomic():
            self.db.execute_sql("SELECT set_config('tongdang.township', '', true)")
            rows = self.db.execute_sql("SELECT DISTINCT profile FROM township").fetchall()
        return rows[0][0] if len(rows) == 1 else None

    # -- settings -------------------------------------------------------------------------
    def stored(self) -> dict[str, str]:
        rows = _run(self.db, "SELECT key, value FROM tongdang_county_setting").fetchall()
        return dict(rows)

    def values(self) -> dict:
        """key -> typed value: the county's where it set one, else the default."""
        stored = self.stored()
        out = {}
        for setting in SETTINGS:
            text = stored.get(setting.key, setting.default)
            try:
                out[setting.key] = parse_value(setting, text)
            except SettingsError:  # a value typed before a rule changed: the default stands
                out[setting.key] = parse_value(setting, setting.default)
        return out

    def value(self, key: str):
        return self.values()[key]

    def set(self, key: str, text: str) -> None:
        setting = BY_KEY.get(key)
        if setting is None:
            raise SettingsError(f"没有名为“{key}”的县级设置（可选：{'、'.join(BY_KEY)}）")
        parse_value(setting, text)
        with self.db.atomic():
            _run(self.db, "INSERT INTO tongdang_county_setting (key, value) VALUES (%s, %s) "
                          "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, "
                          "changed_by = session_user, changed_at = now()", (key, text.strip()))

    # -- the log ----------------------------------------------------------------------------
    def record_sent(self, kind: str, recipient: str, sent_on: date, townships: str = "全县",
                    children: int | None = None, file_name: str = "", how: str = "手工记录",
                    note: str = "", term: str = "") -> None:
        """Note that list ``kind`` went to ``recipient`` on ``sent_on`` (a school list: for
        ``term``, e.g. "2027春")."""
        if kind not in KINDS:
            raise SettingsError(f"报送的名单应为{'、'.join(KINDS)}之一，而不是“{kind}”")
        if recipient not in RECIPIENTS[kind]:
            raise SettingsError(f"{KINDS[kind]}的报送单位应为{'、'.join(RECIPIENTS[kind])}"
                                f"之一，而不是“{recipient}”")
        if kind == "school":
            from forms.school_term import parse_term

            try:
                term = parse_term(term).code
            except ValueError as exc:
                raise SettingsError(f"教育部门名单须写明学期：{exc}") from None
        if sent_on > date.today():
            raise SettingsError(f"报送日期 {sent_on:%Y-%m-%d} 晚于今天，只能记录已经报送的名单。")
        with self.db.atomic():
            _run(self.db, "INSERT INTO tongdang_sent_list (kind, recipient, sent_on, townships, "
                          "term, children, file_name, how, note) "
                          "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                 (kind, recipient, sent_on, townships, term, children, file_name, how,
                  note.strip()))

    def sent(self, kind: str | None = None) -> list[SentEntry]:
        """The log, newest first (``kind``: only that list)."""
        where, params = ("WHERE kind = %s", (kind,)) if kind else ("", ())
        rows = _run(self.db, "SELECT id, kind, recipient, sent_on, townships, term, children, "
                             "file_name, "
                             f"how, note, recorded_by, recorded_at FROM tongdang_sent_list {where} "
                             "ORDER BY sent_on DESC, id DESC", params).fetchall()
        return [SentEntry(*row) for row in rows]

    def reminders(self, on: date):
        """What is due or overdue on ``on`` (``models.server.reminders``)."""
        from models.server.reminders import reminders

        return reminders(self, on)
