"""The policy rules: pure functions over ``models.facts.ChildFacts`` and a date.

No database here. ``child_state`` is the one entry point most callers need.
"""

from models.rules.age_out import ages_out_on, category_ends_on
from models.rules.colour import ColourResult, Criterion, colour
from models.rules.completeness import Problem, months_without_contact
from models.rules.duplicates import DuplicateIndex
from models.rules.hardship import hardship_categories
from models.rules.left_behind import Finding, left_behind
from models.rules.schedule import (
    is_overdue,
    is_urgent,
    next_contact_due,
    next_home_visit_due,
)
from models.rules.state import ChildState, child_state, child_states, in_archive_scope

__all__ = [
    "ChildState", "ColourResult", "Criterion", "DuplicateIndex", "Finding", "Problem",
    "ages_out_on", "category_ends_on", "child_state", "child_states", "colour", "hardship_categories",
    "in_archive_scope", "is_overdue", "is_urgent", "left_behind", "months_without_contact",
    "next_contact_due", "next_home_visit_due",
]
