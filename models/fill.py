"""A child's records → filled paper forms (一人一档, DOMAIN §7).

``fill_forms`` turns one child's ``ChildRecords`` (``models.child_records``) into one
``FilledForm`` per document of a form (one per visit, agreement, assessment, work-trip
registration; one for the basic sheet and each running list); ``fill_form`` gives the one form
a command or the editor prints (the latest, a prefilled one, or a blank). ID numbers print in
full: this is the child's own file. Signatures are left for handwriting, only their dates are
printed.
"""

from __future__ import annotations

import json
from datetime import date

from forms import vocab
from forms.assessment import SCORING_TABLES, ScoringTable, assessment_spec
from forms.colours import risk_level
from forms.contact_log import CONTACT_LOG, NOTE_TOPICS, notes_text
from forms.registry import FORMS_BY_KEY, form_by_name
from forms.spec import FilledForm, FormSpec, is_empty
from models.child_records import ChildNotFound, ChildRecords, load_child
from models.profiles import Profile, get_profile
from models.record_kinds import (
    AGREEMENT,
    CARE,
    CARER,
    CHILD_FORM_COLUMNS,
    CONTACT,
    GUARDIANSHIP,
    PROBLEM,
    PSYCH,
    REFERRAL,
    REPORT,
    WORK_LOG_KIND,
    WORK_TRIP_KIND,
)
from models.records import printed_values
from models.rules.dates import add_months, age_on
from models.schema import (
    Carer,
    Child,
    Contact,
    EntrustmentAgreement,
    FamilyMember,
    Township,
    WorkTripRegistration,
)

ASSESSMENT_MONTHS = 12
GRANDPARENTS = (("grandfather", "祖父"), ("grandmother", "祖母"),
                ("maternal_grandfather", "外祖父"), ("maternal_grandmother", "外祖母"))


class UnknownForm(LookupError):
    def __str__(self) -> str:
        return self.args[0]


def _form(r: ChildRecords, spec: FormSpec, values: dict, rows: dict | None = None) -> FilledForm:
    clean = {k: v for k, v in values.items() if not is_empty(v)}
    return FilledForm(spec, clean, rows or {}, demo=r.demo)


def _school(child: Child) -> str:
    return f"{child.school}{child.grade}"


def _colour_word(colour: str) -> str:
    return risk_level(colour)  # the wording of forms.colours, as the form's choices


def _parents_away(r: ChildRecords) -> tuple[bool, bool]:
    """(both parents away for work, one away and the other without guardianship capacity)."""
    statuses = [m.status for m in (r.member("父亲"), r.member("母亲")) if m is not None]
    away = statuses.count("外出务工")
    incapable = sum(s in vocab.NO_GUARDIANSHIP_CAPACITY for s in statuses)
    return away == 2, away == 1 and incapable == 1


def basic_info(r: ChildRecords) -> list[FilledForm]:
    c, spec = r.child, FORMS_BY_KEY["basic_info"]
    choices = spec.field("categories").choices
    both_away, one_away = _parents_away(r)
    values = {
        **printed_values(CHILD_FORM_COLUMNS, c, spec, skip=("village", "categories")),
        "township": r.township.name, "village": r.village, "school": _school(c),
        "categories": [w for w in r.state.categories if w in choices],
        "risk_level": _colour_word(r.state.colour),
        "both_parents_away": both_away, "one_away_other_incapable": one_away,
        "filled_on": c.entered_on,
    }
    by_relation = {m.relation: (m.name, m.birth_date) for m in r.family}
    by_relation.update({k.relation: (k.name, k.birth_date) for k in r.carers
                        if k.relation not in by_relation})
    for key, relation in GRANDPARENTS:
        name, birth = by_relation.get(relation, ("", None))
        values[f"{key}_name"], values[f"{key}_birth_date"] = name, birth
    for key, relation in (("father", "父亲"), ("mother", "母亲")):
        m = r.member(relation)
        if m is not None:
            values.update({f"{key}_name": m.name, f"{key}_birth_date": m.birth_date,
                           f"{key}_id_number": m.id_number, f"{key}_status": m.status,
                           f"{key}_workplace": m.workplace, f"{key}_phone": m.phone,
                           f"{key}_away_since": m.away_since, f"{key}_distance": m.distance})
    carer = r.current_carer()
    if carer is not None:
        values.update(printed_values(CARER, carer, spec))
    return [_form(r, spec, values)]


def _entrustor_relation(member: FamilyMember | None) -> str:
    if member is None:
        return ""
    return member.relation if member.relation in vocab.PARENT_RELATIONS else "其他监护人"


def _principal(r: ChildRecords, a: EntrustmentAgreement | None) -> FamilyMember | None:
    if a is not None and a.principal_id:
        found = next((m for m in r.family if m.id == a.principal_id), None)
        if found is not None:
            return found
    away = [m for m in r.family if m.relation in vocab.PARENT_RELATIONS and m.status == "外出务工"]
    return (away or [None])[0]


def _second_parent(r: ChildRecords, principal: FamilyMember | None) -> FamilyMember | None:
    """The other parent, when both parents are away and so entrust together."""
    if principal is None or principal.relation not in vocab.PARENT_RELATIONS:
        return None
    other = r.member("母亲" if principal.relation == "父亲" else "父亲")
    return other if other is not None and other.status == "外出务工" and other.name else None


def _agreement_carer(r: ChildRecords, a: EntrustmentAgreement | None) -> Carer | None:
    if a is not None and a.carer_id:
        found = next((k for k in r.carers if k.id == a.carer_id), None)
        if found is not None:
            return found
    return r.current_carer()


def _entrustment(r: ChildRecords, a: EntrustmentAgreement | None) -> FilledForm:
    c, p, k = r.child, _principal(r, a), _agreement_carer(r, a)
    spec = FORMS_BY_KEY["entrustment"]
    values = {"child_name": c.name, "child_sex": c.sex, "child_birth_date": c.birth_date,
              "child_id_number": c.id_number, "child_school": _school(c)}
    if p is not None:
        values.update({"entrustor_name": p.name, "entrustor_relation": _entrustor_relation(p),
                       "entrustor_id_number": p.id_number, "entrustor_phone": p.phone,
                       "entrustor_address": c.registered_address,
                       "entrustor_workplace": p.workplace, "entrustor_left_on": p.away_since})
    other = _second_parent(r, p)
    if other is not None:
        values.update({"entrustor2_name": other.name, "entrustor2_relation": other.relation,
                       "entrustor2_id_number": other.id_number, "entrustor2_phone": other.phone})
    if k is not None:
        signed = (a.signed_on if a is not None else None) or date.today()
        values.update(printed_values(CARER, k, spec))
        values["carer_age"] = age_on(k.birth_date, signed) if k.birth_date else None
    if a is not None:
        values.update(printed_values(AGREEMENT, a, spec))
        values["child_director"] = ""
    return _form(r, spec, values)


def entrustment(r: ChildRecords) -> list[FilledForm]:
    return [_entrustment(r, a) for a in r.agreements]


def scoring_table(profile: Profile) -> ScoringTable:
    return SCORING_TABLES.get(profile.assessment_scoring, SCORING_TABLES["default"])


def _printed_answers(table: ScoringTable, answers: dict) -> dict:
    """Stored answers (wording, printed choice or index) → the printed choice of the form."""
    out = {}
    for indicator in table.indicators:
        answer = answers.get(indicator.key)
        if is_empty(answer) and not isinstance(answer, int):
            continue
        try:
            points = indicator.points_of(answer)
        except ValueError:
            out[indicator.key] = str(answer)  # printed as typed, never dropped
            continue
        if isinstance(answer, int) and not isinstance(answer, bool):
            wording = indicator.options[answer][0]
        else:
            wording = next(w for w, p in indicator.options
                           if str(answer).strip() in (w, indicator.choice(w, p)))
        out[indicator.key] = indicator.choice(wording, points)
    return out


def _guardian(r: ChildRecords) -> tuple[str, str]:
    carer = r.current_carer()
    if carer is not None:
        return carer.name, carer.relation
    home = [m for m in r.family if m.status == "在家"]
    return (home[0].name, home[0].relation) if home else ("", "")


def assessment(r: ChildRecords) -> list[FilledForm]:
    table = scoring_table(r.profile)
    spec = assessment_spec(table)
    guardian, relation = _guardian(r)
    forms = []
    for number, a in enumerate(r.assessments):
        try:
            answers = json.loads(a.answers or "{}")
        except ValueError:
            answers = {}
        values = {
            "child_name": r.child.name, "child_id_number": r.child.id_number,
            "village": r.village, "guardian_name": guardian, "guardian_relation": relation,
            "assessment_kind": "首次评估" if number == 0 else "定期复评",
            **printed_values(GUARDIANSHIP, a, spec),
            "next_assessment_on": _next_assessment(a.on),
            "guardian_opinion": "已知晓评估结果" if a.guardian_acknowledged else "",
            **_printed_answers(table, answers if isinstance(answers, dict) else {}),
        }
        forms.append(_form(r, spec, values))
    return forms


def _next_assessment(on):
    """The renewal cycle is local practice (设置); 0 means none is planned."""
    from models.local_practice import archive_profile

    months = archive_profile().local_value("assessment_months")
    return add_months(on, months) if months else None


def visit_record(r: ChildRecords) -> list[FilledForm]:
    """One 入户走访记录表 per home visit (other contacts: ``contact_log``)."""
    spec = FORMS_BY_KEY["visit_record"]
    return [_form(r, spec, {"child_name": r.child.name, "village": r.village,
                            **printed_values(CONTACT, c, spec)})
            for c in home_visits(r)]


def home_visits(r: ChildRecords) -> list[Contact]:
    return [c for c in r.contacts if c.kind == vocab.HOME_VISIT]


def contact_notes(c: Contact) -> str:
    return notes_text({key: getattr(c, key) for key, _ in NOTE_TOPICS})


def contact_log(r: ChildRecords, contacts: list[Contact] | None = None) -> list[FilledForm]:
    """Contacts (by default those that are not home visits) as one list."""
    if contacts is None:
        contacts = [c for c in r.contacts if c.kind != vocab.HOME_VISIT]
    header = {"child_name": r.child.name, "village": r.village, "child_director": r.director}
    return [_form(r, CONTACT_LOG, header, {"rows": [
        {"on": c.on, "kind": c.kind, "visitor": c.visitor, "met": c.met, "notes": contact_notes(c),
         "parents_contacted_past_week": c.parents_contacted_past_week} for c in contacts]})]


def _work_trip(r: ChildRecords, t: WorkTripRegistration | None) -> FilledForm:
    c, spec = r.child, FORMS_BY_KEY["work_trip"]
    member = None
    if t is not None and t.member_id:
        member = next((m for m in r.family if m.id == t.member_id), None)
    member = member or _principal(r, None)
    values = {"child_name": c.name, "child_sex": c.sex, "child_id_number": c.id_number,
              "child_school": _school(c),
              "agreement_signed": any(a.status == "已签订" for a in r.agreements)}
    if member is not None:
        other = r.member("母亲" if member.relation == "父亲" else "父亲")
        values.update({"worker_name": member.name, "worker_relation": member.relation,
                       "worker_id_number": member.id_number, "worker_phone": member.phone,
                       "workplace": member.workplace, "left_on": member.away_since,
                       "distance": member.distance,
                       "other_parent": f"{other.name}（{other.status}）" if other and other.name else ""})
    carer_name = t.carer_name if t is not None and t.carer_name else ""
    carer = next((k for k in r.carers if k.name == carer_name), None) if carer_name else r.current_carer()
    if carer is not None:
        values.update({"carer_name": carer.name, "carer_relation": carer.relation,
                       "carer_phone": carer.phone, "carer_address": carer.address})
    if t is not None:
        # What the registration states replaces what the family records say; a blank does not.
        values.update({k: v for k, v in printed_values(WORK_TRIP_KIND, t, spec).items()
                       if not is_empty(v)})
        values.update({"told_village": t.village_notified, "told_school": t.school_notified,
                       "told_village_on": t.registered_on if t.village_notified else None,
                       "told_school_on": t.registered_on if t.school_notified else None,
                       "worker_signed_on": t.registered_on})
    return _form(r, spec, values)


def work_trip(r: ChildRecords) -> list[FilledForm]:
    return [_work_trip(r, t) for t in r.work_trips]


def _running_list(r: ChildRecords, key: str, rows: list[dict]) -> list[FilledForm]:
    header = {"child_name": r.child.name, "village": r.village, "child_director": r.director}
    return [_form(r, FORMS_BY_KEY[key], header, {"rows": rows})]


def care_records(r: ChildRecords) -> list[FilledForm]:
    return _running_list(r, "care_records", [printed_values(CARE, x) for x in r.care_records])


def problems(r: ChildRecords) -> list[FilledForm]:
    return _running_list(r, "problems", [printed_values(PROBLEM, p) for p in r.problems])


def work_log(r: ChildRecords) -> list[FilledForm]:
    return _running_list(r, "work_log", [printed_values(WORK_LOG_KIND, w) for w in r.work_log])


def psych_assessments(r: ChildRecords) -> list[FilledForm]:
    return _running_list(r, "psych_assessments", [printed_values(PSYCH, p) for p in r.psych])


def reports_referrals(r: ChildRecords) -> list[FilledForm]:
    rows = [{"kind": "强制报告", **printed_values(REPORT, m)} for m in r.reports]
    rows += [{"kind": "转介", **printed_values(REFERRAL, x)} for x in r.referrals]
    return _running_list(r, "reports_referrals", sorted(rows, key=lambda row: row["on"]))


FILLERS = {
    "basic_info": basic_info, "entrustment": entrustment, "assessment": assessment,
    "visit_record": visit_record, "work_trip": work_trip, "care_records": care_records,
    "problems": problems, "work_log": work_log, "psych_assessments": psych_assessments,
    "reports_referrals": reports_referrals, "contact_log": contact_log,
}


def spec_for(name: str) -> FormSpec:
    """The form for a command-line name (Chinese name or key); UnknownForm otherwise."""
    try:
        return form_by_name(name)
    except KeyError as error:
        raise UnknownForm(error.args[0]) from None


def fill_forms(records: ChildRecords, form: str | FormSpec) -> list[FilledForm]:
    """One filled form per document of this kind the child has (possibly none)."""
    spec = form if isinstance(form, FormSpec) else spec_for(form)
    return FILLERS[spec.key](records)


def _prefilled(r: ChildRecords, key: str) -> FilledForm:
    """A form about this child when the archive holds no such document yet (e.g. to sign)."""
    if key == "entrustment":
        return _entrustment(r, None)
    if key == "work_trip":
        return _work_trip(r, None)
    if key == "assessment":
        guardian, relation = _guardian(r)
        return _form(r, assessment_spec(scoring_table(r.profile)), {
            "child_name": r.child.name, "child_id_number": r.child.id_number,
            "village": r.village, "guardian_name": guardian, "guardian_relation": relation})
    return _form(r, FORMS_BY_KEY[key], {"child_name": r.child.name, "village": r.village})


def fill_form(child: Child | str | None, form: str | FormSpec, blank: bool = False,
              on: date | None = None) -> FilledForm:
    """One form of one child: the latest document of that kind, or a form prefilled with the
    child's particulars when there is none. ``blank`` gives the empty paper form."""
    spec = form if isinstance(form, FormSpec) else spec_for(form)
    if blank:
        demo = bool(Township.get().is_demo)
        if spec.key == "assessment":
            spec = assessment_spec(scoring_table(get_profile(Township.get().profile)))
        return FilledForm.blank(spec, demo=demo)
    if child is None:
        raise ChildNotFound("请用 --child 指定儿童的身份证号（导出空白表时可加 --blank）。")
    records = load_child(child, on)
    filled = fill_forms(records, spec)
    return filled[-1] if filled else _prefilled(records, spec.key)
