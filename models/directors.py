"""儿童主任 ledger (信息台账) and training records (培训档案); the township's screening rounds
(摸底排查) and family-education guidance sessions (家庭教育指导) (DOMAIN.md §9).

Every write goes through the writer (roles, audit trail). Bad input raises ``ValueError`` with
a Chinese message before anything is written.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from forms.checks import normalise_phone, phone_problem
from forms.names import name_problem
from models.schema import (
    Child,
    ChildDirector,
    DirectorVillage,
    GuidanceSession,
    ScreeningRound,
    Training,
    Village,
)

MAX_TRAINING_HOURS = Decimal(200)
SCREENING_ROUNDS_PER_YEAR = 2
GUIDANCE_SESSIONS_PER_YEAR = 1


@dataclass(frozen=True)
class DirectorRow:
    id: int
    name: str
    phone: str
    villages: tuple[str, ...]
    started_on: date | None
    ended_on: date | None
    children: int  # open files assigned to this 儿童主任
    trainings_this_year: int
    hours_this_year: Decimal

    @property
    def active(self) -> bool:
        return self.ended_on is None or self.ended_on > date.today()

    @property
    def trained_this_year(self) -> bool:
        return self.trainings_this_year > 0


@dataclass(frozen=True)
class TrainingCheck:
    year: int
    active: int
    untrained: tuple[str, ...]  # names of 儿童主任 serving now and not trained this year

    @property
    def all_trained(self) -> bool:
        return not self.untrained

    def message(self) -> str:
        if self.active == 0:
            return "尚未登记儿童主任。"
        if self.all_trained:
            return f"{self.year}年全部{self.active}名儿童主任均已参加培训。"
        return (f"{self.year}年尚有{len(self.untrained)}名儿童主任未参加培训："
                f"{'、'.join(self.untrained)}。")


# -- checks -----------------------------------------------------------------------------------

def _name(text, what: str) -> str:
    value = (text or "").strip()
    if not value:
        raise ValueError(f"请填写{what}。")
    if len(value) > 50:
        raise ValueError(f"{what}过长（最多50个字）。")
    problem = name_problem(value)
    if problem:
        raise ValueError(f"{what}中{problem}")
    return value


def _phone(text) -> str:
    """The one phone rule of the editors and the ledger (``forms.checks``)."""
    if not (text or "").strip():
        return ""
    problem = phone_problem(text)
    if problem:
        raise ValueError(f"联系电话{problem}。")
    return normalise_phone(text)


def _hours(value) -> Decimal:
    try:
        hours = Decimal(str(value)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        raise ValueError("培训学时应为数字。") from None
    if hours <= 0 or hours > MAX_TRAINING_HOURS:
        raise ValueError(f"培训学时应大于0且不超过{MAX_TRAINING_HOURS}。")
    return hours


def _day(value, what: str, required: bool = True) -> date | None:
    if value is None:
        if required:
            raise ValueError(f"请填写{what}。")
        return None
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"{what}不是有效日期（应为“2026-03-01”这样的格式）。") from None
    if not isinstance(value, date):
        raise ValueError(f"{what}不是有效日期。")
    if value > date.today() + timedelta(days=366):
        raise ValueError(f"{what}不能晚于一年以后。")
    return value


def _villages(village_ids) -> list[int]:
    ids = sorted(set(village_ids or ()))
    known = {v for (v,) in Village.select(Village.id).where(Village.id.in_(ids)).tuples()}
    if set(ids) - known:
        raise ValueError("所选村（社区）不在档案库中。")
    return ids


# -- the ledger -------------------------------------------------------------------------------

def directors(year: int | None = None) -> list[DirectorRow]:
    """All 儿童主任, serving ones first, with their villages and this year's training."""
    year = year or date.today().year
    served: dict[int, list[str]] = {}
    for director, name in (DirectorVillage.select(DirectorVillage.director, Village.name)
                           .join(Village).tuples()):
        served.setdefault(director, []).append(name)
    children: dict[int, int] = {}
    for (director,) in (Child.select(Child.director)
                        .where(Child.director.is_null(False) & Child.closed_on.is_null()).tuples()):
        children[director] = children.get(director, 0) + 1
    trained: dict[int, tuple[int, Decimal]] = {}
    for director, hours in (Training.select(Training.director, Training.hours)
                            .where(Training.on.between(date(year, 1, 1), date(year, 12, 31)))
                            .tuples()):
        count, total = trained.get(director, (0, Decimal(0)))
        trained[director] = (count + 1, total + Decimal(str(hours or 0)))
    rows = [DirectorRow(d.id, d.name, d.phone, tuple(sorted(served.get(d.id, []))), d.started_on,
                        d.ended_on, children.get(d.id, 0), *trained.get(d.id, (0, Decimal(0))))
            for d in ChildDirector.select().order_by(ChildDirector.id)]
    return sorted(rows, key=lambda r: (not r.active, r.id))


def add_director(writer, name: str, phone: str = "", started_on: date | None = None,
                 village_ids=(), id_number: str = "", notes: str = "") -> ChildDirector:
    fields = {"name": _name(name, "儿童主任姓名"), "phone": _phone(phone),
              "started_on": _day(started_on, "任职日期", required=False),
              "id_number": (id_number or "").strip(), "notes": (notes or "").strip()}
    villages = _villages(village_ids)
    director = writer.create(ChildDirector, **fields)
    for village in villages:
        writer.create(DirectorVillage, director=director, village=village)
    return director


def update_director(writer, director: ChildDirector, *, name: str | None = None,
                    phone: str | None = None, started_on: date | None = None,
                    village_ids=None, notes: str | None = None) -> None:
    changes = {}
    if name is not None:
        changes["name"] = _name(name, "儿童主任姓名")
    if phone is not None:
        changes["phone"] = _phone(phone)
    if started_on is not None:
        changes["started_on"] = _day(started_on, "任职日期")
    if notes is not None:
        changes["notes"] = notes.strip()
    wanted = None if village_ids is None else set(_villages(village_ids))
    if changes:
        writer.update(director, **changes)
    if wanted is not None:
        current = {dv.village_id: dv for dv in DirectorVillage.select()
                   .where(DirectorVillage.director == director.id)}
        for village_id, link in current.items():
            if village_id not in wanted:
                writer.delete(link, "调整儿童主任服务的村（社区）")
        for village_id in sorted(wanted - set(current)):
            writer.create(DirectorVillage, director=director, village=village_id)


def end_service(writer, director: ChildDirector, ended_on: date) -> None:
    """The 儿童主任 leaves the post; the record and trainings stay in the ledger."""
    ended_on = _day(ended_on, "离任日期")
    if director.started_on and ended_on < director.started_on:
        raise ValueError("离任日期不能早于任职日期。")
    writer.update(director, ended_on=ended_on)


# -- training ---------------------------------------------------------------------------------

def add_training(writer, director: ChildDirector | int, on: date, topic: str, hours,
                 organiser: str = "") -> Training:
    director_id = director if isinstance(director, int) else director.id
    if not ChildDirector.select().where(ChildDirector.id == director_id).exists():
        raise ValueError("找不到这名儿童主任。")
    return writer.create(Training, director=director_id, on=_day(on, "培训日期"),
                         topic=_name(topic, "培训内容"), hours=_hours(hours),
                         organiser=(organiser or "").strip())


def trainings(director_id: int | None = None, year: int | None = None) -> list[Training]:
    query = Training.select(Training, ChildDirector).join(ChildDirector)
    if director_id is not None:
        query = query.where(Training.director == director_id)
    if year is not None:
        query = query.where(Training.on.between(date(year, 1, 1), date(year, 12, 31)))
    return list(query.order_by(Training.on.desc(), Training.id.desc()))


def training_check(year: int | None = None) -> TrainingCheck:
    """Every 儿童主任 serving now is to be trained every year (DOMAIN §9)."""
    year = year or date.today().year
    rows = [r for r in directors(year) if r.active]
    return TrainingCheck(year, len(rows), tuple(r.name for r in rows if not r.trained_this_year))


# -- screening rounds and guidance sessions ---------------------------------------------------

def add_screening_round(writer, started_on: date, finished_on: date | None = None,
                        scope: str = "全乡镇", children_screened: int = 0,
                        notes: str = "") -> ScreeningRound:
    started_on = _day(started_on, "排查开始日期")
    finished_on = _day(finished_on, "排查结束日期", required=False)
    if finished_on and finished_on < started_on:
        raise ValueError("排查结束日期不能早于开始日期。")
    if int(children_screened) < 0:
        raise ValueError("排查儿童人数不能为负数。")
    return writer.create(ScreeningRound, started_on=started_on, finished_on=finished_on,
                         scope=(scope or "全乡镇").strip(), children_screened=int(children_screened),
                         notes=(notes or "").strip())


def add_guidance_session(writer, on: date, topic: str, audience: str = "",
                         attendees: int = 0, notes: str = "") -> GuidanceSession:
    if int(attendees) < 0:
        raise ValueError("参加人数不能为负数。")
    return writer.create(GuidanceSession, on=_day(on, "指导日期"), topic=_name(topic, "指导主题"),
                         audience=(audience or "").strip(), attendees=int(attendees),
                         notes=(notes or "").strip())


def screening_rounds(year: int) -> list[ScreeningRound]:
    return list(ScreeningRound.select()
                .where(ScreeningRound.started_on.between(date(year, 1, 1), date(year, 12, 31)))
                .order_by(ScreeningRound.started_on))


def guidance_sessions(year: int) -> list[GuidanceSession]:
    return list(GuidanceSession.select()
                .where(GuidanceSession.on.between(date(year, 1, 1), date(year, 12, 31)))
                .order_by(GuidanceSession.on))


class Directors:
    """``archive.directors``: the 儿童主任 ledger and the township's yearly work, read here;
    written by the functions above through ``archive.writer()``."""

    def __init__(self, archive):
        self.archive = archive

    def rows(self, year: int | None = None) -> list[DirectorRow]:
        return directors(year)

    def serving(self) -> list[tuple[int, str]]:
        """(id, name) of the 儿童主任 still in service, by name."""
        query = (ChildDirector.select(ChildDirector.id, ChildDirector.name)
                 .where(ChildDirector.ended_on.is_null()).order_by(ChildDirector.name))
        return list(query.tuples())

    def get(self, director_id: int) -> ChildDirector | None:
        return ChildDirector.get_or_none(ChildDirector.id == director_id)

    def village_ids(self, director_id: int) -> set[int]:
        """The villages (社区) a 儿童主任 serves."""
        query = DirectorVillage.select(DirectorVillage.village).where(
            DirectorVillage.director == director_id)
        return {village for (village,) in query.tuples()}

    def trainings(self, director_id: int | None = None, year: int | None = None) -> list[Training]:
        return trainings(director_id, year)

    def training_check(self, year: int | None = None) -> TrainingCheck:
        return training_check(year)

    def screening_rounds(self, year: int) -> list[ScreeningRound]:
        return screening_rounds(year)

    def guidance_sessions(self, year: int) -> list[GuidanceSession]:
        return guidance_sessions(year)

    # -- written as the archive's logged-in user (the functions above) ------------------
    def add(self, name: str, phone: str = "", started_on: date | None = None,
            village_ids=()) -> ChildDirector:
        return add_director(self.archive.writer(), name, phone, started_on, village_ids)

    def update(self, director: ChildDirector, **changes) -> None:
        update_director(self.archive.writer(), director, **changes)

    def end_service(self, director: ChildDirector, ended_on: date) -> None:
        end_service(self.archive.writer(), director, ended_on)

    def add_training(self, director: ChildDirector | int, on: date, topic: str, hours,
                     organiser: str = "") -> Training:
        return add_training(self.archive.writer(), director, on, topic, hours, organiser)

    def add_screening_round(self, started_on: date, finished_on: date | None = None,
                            scope: str = "全乡镇", children_screened: int = 0,
                            notes: str = "") -> ScreeningRound:
        return add_screening_round(self.archive.writer(), started_on, finished_on, scope,
                                   children_screened, notes)

    def add_guidance_session(self, on: date, topic: str, audience: str = "",
                             attendees: int = 0, notes: str = "") -> GuidanceSession:
        return add_guidance_session(self.archive.writer(), on, topic, audience, attendees, notes)
