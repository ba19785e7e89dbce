"""When a child leaves its categories (DOMAIN.md §2.4)."""

from datetime import date

from forms import vocab
from models.facts import ChildFacts
from models.profiles import Profile
from models.rules.hardship import SUPPORTED_CATEGORIES, hardship_ends_on, transition_ends_on
from models.rules.left_behind import left_behind_ends_on


def category_ends_on(child: ChildFacts, category: str, profile: Profile) -> date:
    """The first day ``category`` no longer applies because of age or the end of the 过渡期."""
    if category == vocab.LEFT_BEHIND:
        return left_behind_ends_on(child)
    ends = hardship_ends_on(child, profile)
    transition = transition_ends_on(child)
    if category in SUPPORTED_CATEGORIES and transition is not None:
        return min(ends, transition)
    return ends


def ages_out_on(child: ChildFacts, categories, profile: Profile) -> date | None:
    """The latest end date over the child's current categories; None outside every category."""
    return max((category_ends_on(child, c, profile) for c in categories), default=None)
