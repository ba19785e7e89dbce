"""The school-term list for 教育 filled from the archive (``forms.school_list``; 长治 二(三)12).

Which children: open files that are 孤儿 or 事实无人抚养 on the list's date (``on``: the
categories as the rules find them that day, the six-month transition after leaving basic living
support included) and of school age on the first day of the term (``forms.school_list.
SCHOOL_AGE``, local practice). Ages are given on that first day, as education counts them.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from forms import school_list as sl
from forms.idnumber import mask_id_number
from forms.school_term import SchoolTerm
from forms.spec import FilledForm
from models.rules.dates import age_on


@dataclass(frozen=True)
class SchoolListHeader:
    unit: str = ""
    filler: str = ""
    phone: str = ""


def categories_of(state) -> list[str]:
    return [c for c in sl.CATEGORIES if c in state.categories]


def of_school_age(child, starts_on: date) -> bool:
    if child.birth_date is None:
        return False
    low, high = sl.SCHOOL_AGE
    return low <= age_on(child.birth_date, starts_on) < high


def chosen(pairs, term: SchoolTerm) -> list:
    """(facts, state) of the children on the list, by village and name."""
    from models.reports import _sorted

    return _sorted([(c, s) for c, s in pairs if not s.closed and categories_of(s)
                    and of_school_age(c, term.starts_on)])


def school_list_rows(pairs: Sequence, term: SchoolTerm, mask_ids: bool = False) -> list[dict]:
    from models.reports import _carers, _child_id, carer_text

    children = chosen(pairs, term)
    carers = _carers([i for i in (_child_id(c) for c, _s in children) if i is not None])
    rows = []
    for no, (child, state) in enumerate(children, start=1):
        who, phone = carer_text(child, carers.get(_child_id(child)))
        rows.append({
            "no": no, "village": child.village, "name": child.name, "sex": child.sex,
            "birth_date": child.birth_date,
            "id_number": mask_id_number(child.id_number) if mask_ids else child.id_number,
            "age": age_on(child.birth_date, term.starts_on),
            "category": "、".join(sl.CATEGORY_LABELS[c] for c in categories_of(state)),
            "schooling": child.schooling, "school": child.school, "grade": child.grade,
            "carer": who, "phone": phone, "note": "",
        })
    return rows


def school_list_form(on: date, term: SchoolTerm, pairs: Sequence, info,
                     header: SchoolListHeader | None = None, mask_ids: bool = False) -> FilledForm:
    header = header or SchoolListHeader()
    values = {"recipient": sl.recipient_name(info.county), "term": term.label,
              "unit": header.unit.strip() or info.township, "filler": header.filler,
              "on": on, "phone": header.phone}
    spec = _titled(info.county, term, info.profile)
    return FilledForm(spec, values, {sl.TABLE_KEY: school_list_rows(pairs, term, mask_ids)},
                      demo=info.is_demo)


def _titled(county: str, term: SchoolTerm, profile: str):
    from dataclasses import replace

    return replace(sl.SCHOOL_LIST, title=sl.school_list_title(county, term.label),
                   copies_note=sl.school_list_note(profile))
