"""Resident ID numbers (居民身份证号码) per GB 11643-1999: 17 digits and an ISO 7064 MOD 11-2 check."""

from __future__ import annotations

import datetime as dt

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


class InvalidIdNumber(ValueError):
    """Raised with a Chinese message saying what is wrong with the number."""


def check_digit(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK[total % 11]


# Full-width digits and X (typed with a Chinese input method) are read as their ASCII forms.
_FULL_WIDTH = str.maketrans("０１２３４５６７８９Ｘｘ\u3000", "0123456789Xx ")


def normalise(raw: str) -> str:
    return (raw or "").translate(_FULL_WIDTH).strip().upper().replace(" ", "")


def validate(raw: str) -> str:
    """Return the normalised number or raise InvalidIdNumber with the reason in Chinese."""
    number = normalise(raw)
    if len(number) != 18:
        raise InvalidIdNumber(f"身份证号码应为18位，实际为{len(number)}位")
    # ASCII digits only: str.isdigit() also says yes to ², ¹ and Arabic-Indic digits.
    if not (number[:17].isascii() and number[:17].isdigit()) or number[17] not in "0123456789X":
        raise InvalidIdNumber("身份证号码前17位应为数字，末位为数字或X")
    try:
        dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as exc:
        raise InvalidIdNumber("身份证号码中的出生日期无效") from exc
    if check_digit(number[:17]) != number[17]:
        raise InvalidIdNumber("身份证号码校验位错误")
    return number


def birth_date(number: str) -> dt.date:
    return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def gender(number: str) -> str:
    """'M' or 'F' from the 17th digit (odd = male)."""
    return "M" if int(number[16]) % 2 else "F"


def make(region6: str, born: dt.date, sequence: int) -> str:
    """Build a valid number (for demo data and tests): region, birth date, 3-digit sequence."""
    first17 = f"{region6}{born:%Y%m%d}{sequence % 1000:03d}"
    return first17 + check_digit(first17)
