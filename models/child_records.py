"""One child's records for print, read in one go (一人一档, DOMAIN §7).

``find_child`` finds a child by ID number (``ChildNotFound`` otherwise); ``load_child`` reads
everything the child's paper file prints, and the child's rule state on a date, into one
``ChildRecords``. ``models.fill`` fills the forms from it, ``models.dossier`` the whole file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from forms.idnumber import normalise_id_number
from models.profiles import Profile
from models.rules import ChildState
from models.schema import (
    Carer,
    CareRecord,
    Child,
    ChildDirector,
    Contact,
    EntrustmentAgreement,
    FamilyMember,
    GuardianshipAssessment,
    MandatoryReport,
    Problem,
    PsychAssessment,
    Referral,
    Township,
    Village,
    WorkLogEntry,
    WorkTripRegistration,
)
from models.state import state_of


class ChildNotFound(LookupError):
    """No child with this ID number; ``str()`` is the Chinese message."""

    def __str__(self) -> str:
        return self.args[0]


@dataclass
class ChildRecords:
    """Everything the paper file of one child prints, read in one go."""

    child: Child
    township: Township
    profile: Profile
    state: ChildState
    village: str
    director: str
    family: list[FamilyMember]
    carers: list[Carer]
    agreements: list[EntrustmentAgreement]
    assessments: list[GuardianshipAssessment]
    contacts: list[Contact]
    work_log: list[WorkLogEntry]
    care_records: list[CareRecord]
    problems: list[Problem]
    referrals: list[Referral]
    reports: list[MandatoryReport]
    psych: list[PsychAssessment]
    work_trips: list[WorkTripRegistration]

    @property
    def demo(self) -> bool:
        return bool(self.township.is_demo)

    def member(self, relation: str) -> FamilyMember | None:
        return next((m for m in self.family if m.relation == relation), None)

    def current_carer(self) -> Carer | None:
        current = [c for c in self.carers if c.current]
        return (current or self.carers or [None])[-1]


def find_child(id_number: str) -> Child:
    number = normalise_id_number(id_number)
    child = Child.get_or_none(Child.id_number == number) if number else None
    if child is None:
        raise ChildNotFound(f"档案库中没有身份证号为“{number or id_number}”的儿童，请核对身份证号。")
    return child


def load_child(child: Child | str, on: date | None = None) -> ChildRecords:
    """All records of one child (by ``Child`` row or ID number) and its rule state on ``on``."""
    on = on or date.today()
    if not isinstance(child, Child):
        child = find_child(child)
    township = Township.get()
    from models.local_practice import archive_profile

    profile = archive_profile()
    village = Village.get_by_id(child.village_id).name if child.village_id else ""
    director = ChildDirector.get_by_id(child.director_id).name if child.director_id else ""

    def rows(model, *order):
        return list(model.select().where(model.child == child.id).order_by(*order, model.id))

    return ChildRecords(
        child=child, township=township, profile=profile,
        state=state_of(child.id, on, profile), village=village, director=director,
        family=rows(FamilyMember), carers=rows(Carer),
        agreements=rows(EntrustmentAgreement, EntrustmentAgreement.starts_on),
        assessments=rows(GuardianshipAssessment, GuardianshipAssessment.on),
        contacts=rows(Contact, Contact.on), work_log=rows(WorkLogEntry, WorkLogEntry.on),
        care_records=rows(CareRecord, CareRecord.on), problems=rows(Problem, Problem.found_on),
        referrals=rows(Referral, Referral.on), reports=rows(MandatoryReport, MandatoryReport.on),
        psych=rows(PsychAssessment, PsychAssessment.on),
        work_trips=rows(WorkTripRegistration, WorkTripRegistration.registered_on),
    )
