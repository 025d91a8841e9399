import datetime as dt

import pytest

from pingan.core import idcard


def test_it_accepts_a_number_with_the_right_check_digit():
    assert idcard.validate("11010519491231002X") == "11010519491231002X"


def test_it_accepts_a_lowercase_x_and_normalises_it():
    assert idcard.validate(" 11010519491231002x ") == "11010519491231002X"


@pytest.mark.parametrize("raw, reason", [
    ("110105194912310021", "校验位"),
    ("11010519491231002", "18位"),
    ("1101051949123100AX", "前17位"),
    ("110105194902300024", "出生日期"),
])
def test_it_rejects_bad_numbers_with_a_chinese_reason(raw, reason):
    with pytest.raises(idcard.InvalidIdNumber, match=reason):
        idcard.validate(raw)


def test_made_numbers_are_valid_and_carry_birth_date_and_gender():
    number = idcard.make("150824", dt.date(1988, 2, 29), 17)
    assert idcard.validate(number) == number
    assert idcard.birth_date(number) == dt.date(1988, 2, 29)
    assert idcard.gender(number) == "M"
