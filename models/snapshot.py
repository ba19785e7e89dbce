"""Archive rows → ``models.facts.ChildFacts`` (the rules' input), many children at a time.

Loads each table once for the children asked about and groups rows by child, so that the
state of 20,000 children needs a dozen queries, not 20,000. The contacts, the bulk of an
archive's rows, are read as each child's summary (``models.summaries``) unless the full
history is asked for.
"""

from collections import defaultdict, namedtuple
from collections.abc import Iterable
from datetime import date
from sys import intern

from peewee import JOIN, SQL, DateField, fn

from forms import vocab
from models import facts as f
from models.bulk import collector_paused
from models.contact_summary import ContactSummary
from models.pinyin import name_pinyin
from models.schema import (
    Carer,
    CareRecord,
    CarerFollowUp,
    Child,
    Contact,
    EntrustmentAgreement,
    FamilyMember,
    GuardianshipAssessment,
    MandatoryReport,
    Problem,
    Referral,
    RiskFinding,
    Village,
    WorkTripRegistration,
)

_CHUNK = 900  # stay under SQLite's bound-parameter limit


_BOOL = {0: False, 1: True}  # True == 1 and False == 0 as keys too


def _date(value):
    return value if isinstance(value, date) else date.fromisoformat(value[:10])


def _converter(field):
    """Raw database value → Python value, without peewee's per-value machinery (this module
    reads hundreds of thousands of rows for the whole-archive views). The archive's driver
    already returns dates (``models.storage``); another database may return text."""
    if isinstance(field, DateField):
        returns_dates = getattr(Child._meta.database.obj, "returns_dates", False)
        return None if returns_dates else _date
    return None  # booleans stay 0/1 here; _child_facts makes the few it needs bool


def among(field, ids: list[int]):
    """``field IN (ids)`` with the ids written into the SQL text. They are integers read from
    the archive itself; peewee's parameter per value cost more than the query (the dashboard
    for another day built 280,000 of them, half its time)."""
    return field.in_(SQL("(" + ",".join(str(int(i)) for i in ids) + ")"))


def _raw_rows(query, fields):
    """Rows of ``query`` with dates converted (sequences)."""
    converters = [(i, c) for i, c in enumerate(map(_converter, fields)) if c]
    cursor = Child._meta.database.execute(query)
    return _converted(cursor, converters) if converters else cursor


def _converted(cursor, converters):
    for raw in cursor:
        raw = list(raw)
        for i, convert in converters:
            value = raw[i]
            if value is not None:
                raw[i] = convert(value)
        yield raw


def _rows(model, chunk):
    """A child's records in the order they were entered (by id): without the order, the
    server returns them as they lie on disk, and a child's problems were listed in another
    order than in the file they were moved in from."""
    fields = COLUMNS[model]
    query = model.select(*fields)
    if chunk is not None:
        query = query.where(among(model.child, chunk))
    return _raw_rows(query.order_by(model.id), fields)


# The child's columns the facts hold, read by name without a peewee model instance.
_CHILD_FIELDS = tuple(getattr(Child, name) for name in (
    "id", "id_number", "name", "birth_date", "sex", "registration", "entered_on", "ethnicity",
    "address", "school", "grade", "schooling", "health", "disability_category",
    "disability_grade", "single_parent", "hardship_categories", "manual_colour",
    "manual_colour_reason", "manual_colour_on", "closed_on", "closed_reason",
    "support_ended_on", "pinyin", "manual_colour_by", "manual_colour_confirmed",
    "core_urban_excluded", "contact_days", "visit_days")) + (Village.name,)
_ChildRow = namedtuple("_ChildRow", [field.name for field in _CHILD_FIELDS[:-1]] + ["village_name"])


def _chunks(ids: list[int] | None) -> list[list[int] | None]:
    return [None] if ids is None else [ids[i:i + _CHUNK] for i in range(0, len(ids), _CHUNK)]


def _grouped(model, ids: list[int] | None):
    """child_id -> list of rows (sequences whose first item is child_id)."""
    groups = defaultdict(list)
    for chunk in _chunks(ids):
        for row in _rows(model, chunk):
            groups[row[0]].append(row)
    return groups


COLUMNS = {
    FamilyMember: (FamilyMember.child, FamilyMember.relation, FamilyMember.name, FamilyMember.status,
                   FamilyMember.distance, FamilyMember.away_since, FamilyMember.phone,
                   FamilyMember.id_number),
    Carer: (Carer.child, Carer.id, Carer.name, Carer.id_number, Carer.relation, Carer.phone,
            Carer.exclusions, Carer.birth_date, Carer.current),
    EntrustmentAgreement: (EntrustmentAgreement.child, EntrustmentAgreement.status,
                           EntrustmentAgreement.signed_on, EntrustmentAgreement.starts_on,
                           EntrustmentAgreement.ends_on, EntrustmentAgreement.carer,
                           EntrustmentAgreement.carer_declared, EntrustmentAgreement.school_told_on,
                           EntrustmentAgreement.village_told_on),
    GuardianshipAssessment: (GuardianshipAssessment.child, GuardianshipAssessment.on,
                             GuardianshipAssessment.level, GuardianshipAssessment.result),
    RiskFinding: (RiskFinding.child, RiskFinding.criterion, RiskFinding.found_on,
                  RiskFinding.resolved_on),
    Problem: (Problem.child, Problem.found_on, Problem.description, Problem.solution,
              Problem.solved_on),
    Referral: (Referral.child, Referral.on, Referral.department, Referral.outcome,
               Referral.outcome_on),
    MandatoryReport: (MandatoryReport.child, MandatoryReport.on),
    CareRecord: (CareRecord.child, CareRecord.on),
    WorkTripRegistration: (WorkTripRegistration.child, WorkTripRegistration.registered_on,
                           WorkTripRegistration.member, WorkTripRegistration.village_notified,
                           WorkTripRegistration.school_notified, WorkTripRegistration.parent),
    CarerFollowUp: (CarerFollowUp.child, CarerFollowUp.contact, CarerFollowUp.found_on,
                    CarerFollowUp.action, CarerFollowUp.parents_told_on,
                    CarerFollowUp.village_told_on, CarerFollowUp.closed_on),
}


def load_facts(child_ids: Iterable[int] | None = None, include_closed: bool = True,
               history: bool = False) -> list[f.ChildFacts]:
    """Facts for the given children (all children when None), in id order.

    The contacts come as each child's stored summary (``ChildFacts.contact_summary``); with
    ``history`` as every contact (``ChildFacts.contacts``). The rules answer the same either way.
    """
    ids = sorted(set(child_ids)) if child_ids is not None else None
    query = (Child.select(*_CHILD_FIELDS)
             .join(Village, on=(Child.village == Village.id), join_type=JOIN.LEFT_OUTER)
             .order_by(Child.id))
    if not include_closed:
        query = query.where(Child.closed_on.is_null())
    children = []
    with collector_paused():
        groups = {model: _grouped(model, ids) for model in COLUMNS}
        household_of, members = _households(ids)
        if household_of and ids is not None:  # siblings outside the set asked about
            extra = sorted({m for h in set(household_of.values()) for m in members[h]} - set(ids))
            for model in SHARED:
                for child_id, rows in _grouped(model, extra).items():
                    groups[model].setdefault(child_id, rows)
        contacts = _contacts(ids) if history else None
        carer_failures = _carer_failures(ids)
        relations = _relations(groups[WorkTripRegistration], ids is None)
        for chunk in _chunks(ids):
            q = query if chunk is None else query.where(among(Child.id, chunk))
            for values in _raw_rows(q, _CHILD_FIELDS):
                child = _new_tuple(_ChildRow, values)
                rows = {m: g.get(child.id, ()) for m, g in groups.items()}
                household = household_of.get(child.id)
                if household:  # 一户一档: the household's agreement, carers and 备案 are shared
                    for model in SHARED:
                        rows[model] = [r for m in members[household] for r in groups[model].get(m, ())]
                history_or_summary = contacts.get(child.id, ()) if history else \
                    ContactSummary.from_stored(child.contact_days, child.visit_days)
                children.append(_child_facts(child, rows, history_or_summary,
                                             carer_failures.get(child.id, ()), relations))
    return children


class Identity(namedtuple("Identity", "id_number name birth_date village pinyin")):
    """What the duplicate check needs of a child (``models.rules.duplicates``)."""


def load_identities(include_closed: bool = True) -> tuple[list[int], list[Identity]]:
    """(child ids, identities) of every child in id order, from the children's rows alone."""
    fields = (Child.id, Child.id_number, Child.name, Child.birth_date, Village.name, Child.pinyin)
    query = (Child.select(*fields)
             .join(Village, on=(Child.village == Village.id), join_type=JOIN.LEFT_OUTER)
             .order_by(Child.id))
    if not include_closed:
        query = query.where(Child.closed_on.is_null())
    ids, identities = [], []
    for child_id, number, name, birth, village, pinyin in _raw_rows(query, fields):
        ids.append(child_id)
        identities.append(Identity(number, name, birth, village or "", pinyin or name_pinyin(name)[0]))
    return ids, identities


def _relations(trips: dict, everyone: bool) -> dict[int, str]:
    """Family member id -> relation, for the members that work-trip registrations name."""
    if not trips:
        return {}
    query = FamilyMember.select(FamilyMember.id, FamilyMember.relation)
    if everyone:
        return dict(query.tuples())
    members = sorted({r[2] for rows in trips.values() for r in rows if r[2] is not None})
    return {i: relation for chunk in _chunks(members)
            for i, relation in query.where(among(FamilyMember.id, chunk)).tuples()}


def _contacts(ids: list[int] | None) -> dict[int, tuple[f.ContactFacts, ...]]:
    """child_id -> the child's contacts by date. The bulk of an archive's rows: read in
    date order from the covering index, counted per child, and cut into one tuple per child."""
    fields = (Contact.on, Contact.kind, Contact.parents_contacted_past_week)
    out = {}
    for chunk in _chunks(ids):
        counts = Contact.select(Contact.child, fn.COUNT(Contact.id)).group_by(Contact.child)
        query = Contact.select(*fields).order_by(Contact.child, Contact.on, Contact.id)
        if chunk is not None:
            counts = counts.where(among(Contact.child, chunk))
            query = query.where(among(Contact.child, chunk))
        contacts = [_new_tuple(f.ContactFacts, (on, intern(kind), _BOOL.get(flag)))
                    for on, kind, flag in _raw_rows(query, fields)]
        start = 0
        for child_id, count in sorted(Child._meta.database.execute(counts)):
            out[child_id] = tuple(contacts[start:start + count])
            start += count
    return out


# Records a household shares (一户一档, 香格里拉 二(二)6): entered once for all its children.
SHARED = (EntrustmentAgreement, Carer, WorkTripRegistration)


def _households(ids: list[int] | None) -> tuple[dict[int, str], dict[str, list[int]]]:
    """(child id -> household key, household key -> member ids) for households of 2 or more
    that hold a child asked about. A household key is the clerk's own text ("1", "张家"): on
    the county database, where a county login reads several townships at once, it is a
    household of one township only."""
    from models.server import is_server

    if is_server(Child._meta.database):
        return _township_households(ids)
    query = Child.select(Child.id, Child.household).where(Child.household != "")
    if ids is not None:
        keys = set()
        for chunk in _chunks(ids):
            keys |= {h for (h,) in Child.select(Child.household)
                     .where(among(Child.id, chunk) & (Child.household != "")).tuples()}
        if not keys:
            return {}, {}
        query = query.where(Child.household.in_(sorted(keys)))
    members: dict[str, list[int]] = defaultdict(list)
    for child_id, household in query.tuples():
        members[household].append(child_id)
    members = {h: sorted(m) for h, m in members.items() if len(m) > 1}
    household_of = {c: h for h, m in members.items() for c in m}
    return household_of, members


def _township_households(ids: list[int] | None) -> tuple[dict[int, str], dict[str, list[int]]]:
    """``_households`` on the county database: keys are the township's and the clerk's."""
    rows = Child._meta.database.execute_sql(
        "SELECT id, township_id || '/' || household FROM child WHERE household <> ''").fetchall()
    wanted = None if ids is None else set(ids)
    members: dict[str, list[int]] = defaultdict(list)
    for child_id, household in rows:
        members[household].append(child_id)
    members = {h: sorted(m) for h, m in members.items()
               if len(m) > 1 and (wanted is None or wanted.intersection(m))}
    household_of = {c: h for h, m in members.items() for c in m}
    return household_of, members


def _carer_failures(ids: list[int] | None) -> dict[int, list[tuple[int, date]]]:
    """child_id -> (contact id, day) of visits that found the carer not doing the job."""
    out = defaultdict(list)
    for chunk in _chunks(ids):
        fields = (Contact.child, Contact.id, Contact.on)
        query = Contact.select(*fields).where(Contact.carer_fulfils == False)
        if chunk is not None:
            query = query.where(among(Contact.child, chunk))
        for child_id, contact_id, on in _raw_rows(query, fields):
            out[child_id].append((contact_id, on))
    return out


def _follow_ups(failures, rows) -> tuple[f.CarerFollowUpFacts, ...]:
    """One follow-up per failing visit (open until a record closes it) and any recorded alone."""
    records = {r[1]: r for r in rows if r[1] is not None}
    out = []
    for contact_id, on in failures:
        r = records.pop(contact_id, None)
        out.append(f.CarerFollowUpFacts(on) if r is None else f.CarerFollowUpFacts(*r[2:]))
    out += [f.CarerFollowUpFacts(*r[2:]) for r in rows if r[1] is None or r[1] in records]
    return tuple(out)


_new_tuple = tuple.__new__  # a named tuple from a plain one, skipping its Python-level __new__


def _child_facts(c, rows, contacts, carer_failures=(), relations=None) -> f.ChildFacts:
    """``contacts``: the child's contacts, or their ``ContactSummary``."""
    summary = contacts if isinstance(contacts, ContactSummary) else None
    carers = {r[1]: f.CarerFacts(name=r[2], id_number=r[3], relation=r[4], phone=r[5],
                                 exclusions=tuple(vocab.split_multi(r[6])), birth_date=r[7])
              for r in rows[Carer]}
    current = tuple(carers[r[1]] for r in rows[Carer] if r[8]) if carers else ()
    trips = tuple((r[5] or (relations or {}).get(r[2], "父母双方"), r[1], bool(r[3]), bool(r[4]))
                  for r in rows[WorkTripRegistration]) if rows[WorkTripRegistration] else ()
    return f.ChildFacts(
        id_number=c.id_number, name=c.name, birth_date=c.birth_date, sex=c.sex,
        registration=c.registration, village=c.village_name or "",
        entered_on=c.entered_on, ethnicity=c.ethnicity, address=c.address, school=c.school,
        grade=c.grade, schooling=c.schooling, health=c.health,
        disability_category=c.disability_category, disability_grade=c.disability_grade,
        single_parent=c.single_parent,
        hardship_categories=frozenset(vocab.split_multi(c.hardship_categories)),
        risk_findings=tuple([f.RiskFinding(r[1], r[2], r[3]) for r in rows[RiskFinding]]),
        manual_colour=c.manual_colour or None, manual_colour_reason=c.manual_colour_reason,
        manual_colour_on=c.manual_colour_on, manual_colour_by=c.manual_colour_by or "",
        manual_colour_confirmed=c.manual_colour_confirmed in (None, 1, True),
        core_urban_excluded=bool(c.core_urban_excluded),
        closed_on=c.closed_on, closed_reason=c.closed_reason,
        support_ended_on=c.support_ended_on,
        family=tuple([f.FamilyMemberFacts(*r[1:]) for r in rows[FamilyMember]]),  # columns in field order
        contacts=() if summary is not None else contacts,
        contact_summary=summary,
        agreements=tuple([f.AgreementFacts(r[1], r[2], r[3], r[4], carers.get(r[5]), bool(r[6]),
                                           r[7], r[8])
                          for r in rows[EntrustmentAgreement]]),
        assessments=tuple(sorted((f.AssessmentFacts(r[1], r[2], r[3] or "") for r in rows[GuardianshipAssessment]),
                                 key=lambda x: x.on)),
        problems=tuple([f.ProblemFacts(r[1], r[2], r[3], r[4]) for r in rows[Problem]]),
        referrals=tuple([f.ReferralFacts(r[1], r[2], r[3], r[4]) for r in rows[Referral]]),
        mandatory_reports_on=tuple([r[1] for r in rows[MandatoryReport]]),
        care_records_on=tuple([r[1] for r in rows[CareRecord]]),
        carers=current,
        carer_follow_ups=_follow_ups(carer_failures, rows[CarerFollowUp]),
        pinyin=c.pinyin or name_pinyin(c.name)[0],
        extra={"child_id": c.id, "work_trip_registrations": len(rows[WorkTripRegistration]),
               "work_trips": trips, "has_carer": bool(carers)},
    )
