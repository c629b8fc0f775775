import pytest
from django.core.exceptions import ValidationError

from membership.validators import validate_corporate_number, validate_registration_number
from tests.membership.factories import CORPORATE_NUMBERS


@pytest.mark.parametrize("number", CORPORATE_NUMBERS)
def test_real_published_corporate_numbers_pass(number):
    validate_corporate_number(number)
    validate_registration_number("T" + number)


@pytest.mark.parametrize("number", ["7000012050003", "700001205000", "70000120500021", "ABCDEFGHIJKLM", ""])
def test_wrong_check_digit_or_length_is_refused(number):
    with pytest.raises(ValidationError):
        validate_corporate_number(number)


@pytest.mark.parametrize("number", ["7000012050002", "T7000012050003", "X7000012050002", "T12345"])
def test_registration_number_needs_t_and_a_valid_number(number):
    with pytest.raises(ValidationError):
        validate_registration_number(number)
