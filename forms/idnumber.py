"""Resident ID numbers (GB 11643-1999): check digit, birth date and sex.

Plain Python so that forms, models, importers and the GUI share one validator and one
normalisation: every place that reads a typed or imported ID number (the editors, the Excel
ledger, the search box, ``export --child``) goes through ``normalise_id_number``.
"""

import unicodedata
from dataclasses import dataclass
from datetime import date
from operator import mul

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_WEIGHT_SUM = sum(_WEIGHTS)
_CHECK_CHARS = "10X98765432"


class IdNumberError(ValueError):
    """An ID number that is not valid; ``str(error)`` is a Chinese message for the user."""


@dataclass(frozen=True)
class IdNumber:
    number: str
    birth_date: date
    sex: str  # "男" or "女"

    @property
    def area_code(self) -> str:
        return self.number[:6]


def check_digit(first17: str) -> str:
    # Σ weight × digit over the ASCII codes (digit = code − 48), in C: it runs over whole archives.
    total = sum(map(mul, first17.encode("ascii"), _WEIGHTS)) - 48 * _WEIGHT_SUM
    return _CHECK_CHARS[total % 11]


def normalise_id_number(text: str) -> str:
    """Spaces out, upper case, and full-width digits (a Chinese input method) made ASCII."""
    return unicodedata.normalize("NFKC", text or "").strip().replace(" ", "").upper()


def parse_id_number(text: str, today: date | None = None) -> IdNumber:
    """Validate an 18-digit ID number and derive birth date and sex from it."""
    number = normalise_id_number(text)
    if len(number) != 18:
        raise IdNumberError(f"身份证号应为18位，现为{len(number)}位，请核对后重新输入。")
    if not (number.isascii() and number[:17].isdigit() and (number[17].isdigit() or number[17] == "X")):
        raise IdNumberError("身份证号前17位应为数字，最后一位为数字或X，请核对后重新输入。")
    try:
        birth = birth_date_of(number)
    except ValueError:
        raise IdNumberError(
            f"身份证号中的出生日期{number[6:10]}-{number[10:12]}-{number[12:14]}不存在，请核对。"
        ) from None
    if birth > (today or date.today()):
        raise IdNumberError("身份证号中的出生日期晚于今天，请核对。")
    if birth.year < 1900:
        raise IdNumberError("身份证号中的出生年份早于1900年，请核对。")
    if check_digit(number[:17]) != number[17]:
        raise IdNumberError("身份证号校验位不正确（最后一位应与前17位计算结果一致），请核对是否输错。")
    return IdNumber(number, birth, sex_of(number))


def birth_date_of(number: str) -> date:
    """The birth date written in an 18-digit number (ValueError if that day does not exist);
    for a number already checked by ``parse_id_number`` it is the fast way to read it again."""
    return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def sex_of(number: str) -> str:
    """男 for an odd 17th digit, 女 for an even one."""
    return "男" if int(number[16]) % 2 == 1 else "女"


def is_valid_id_number(text: str, today: date | None = None) -> bool:
    try:
        parse_id_number(text, today)
    except IdNumberError:
        return False
    return True


def make_id_number(area_code: str, birth: date, sequence: int, male: bool) -> str:
    """Build a check-digit-valid number (for fictional demo data and tests)."""
    seq = sequence % 1000
    if (seq % 2 == 1) != male:
        seq = (seq + 1) % 1000
    first17 = f"{area_code}{birth:%Y%m%d}{seq:03d}"
    return first17 + check_digit(first17)


def mask_id_number(number: str) -> str:
    """First 6 and last 4 digits shown (lists for other departments, DOMAIN §12)."""
    if not number or len(number) < 10:
        return number or ""
    return number[:6] + "*" * (len(number) - 10) + number[-4:]
