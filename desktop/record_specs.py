"""The kinds of record in a child's file, for the editors: defined in ``models.record_kinds``."""

from models.record_kinds import (  # noqa: F401 -- the names the editors import from here
    AGREEMENT,
    ALL_KINDS,
    CARE,
    CARER,
    CARER_FOLLOW_UP,
    CHILD_DERIVED,
    CHILD_SPEC,
    CONTACT,
    FAMILY,
    GUARDIANSHIP,
    KIND_BY_MODEL,
    PROBLEM,
    PSYCH,
    RECORD_TABS,
    REFERRAL,
    REPORT,
    RISK,
    WORK_LOG_KIND,
    WORK_TRIP_KIND,
    RecordKind,
)
