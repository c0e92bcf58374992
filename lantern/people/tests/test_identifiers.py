import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from lantern.people.identifiers import name_index, nhs_number_normalise, postcode_normalise


def _with_check_digit(nine: str) -> str | None:
    total = sum(int(d) * w for d, w in zip(nine, range(10, 1, -1), strict=True))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return None if check == 10 else nine + str(check)


class TestNhsNumber:
    def test_valid_number_is_returned_as_ten_digits(self):
        assert nhs_number_normalise("9434765919") == "9434765919"

    @pytest.mark.parametrize("written", ["943 476 5919", "943-476-5919", " 9434765919 "])
    def test_spaces_and_dashes_are_removed(self, written):
        assert nhs_number_normalise(written) == "9434765919"

    def test_wrong_check_digit_is_refused_with_a_clear_message(self):
        with pytest.raises(ValidationError) as error:
            nhs_number_normalise("9434765918")
        assert error.value.code == "nhs_number_check_digit"
        assert "check digit" in error.value.messages[0]
        assert "9434765918" in error.value.messages[0]

    def test_check_digit_of_ten_means_no_valid_number(self):
        # 123456789: weighted sum 210, 210 % 11 = 1, 11 - 1 = 10: no check digit can make it valid.
        for last in "0123456789":
            with pytest.raises(ValidationError):
                nhs_number_normalise("123456789" + last)

    def test_remainder_zero_gives_check_digit_zero(self):
        def weighted(nine: str) -> int:
            return sum(int(d) * w for d, w in zip(nine, range(10, 1, -1), strict=True))

        nine = next(n for n in (f"99900{i:04d}" for i in range(10_000)) if weighted(n) % 11 == 0)
        assert nhs_number_normalise(nine + "0") == nine + "0"

    @pytest.mark.parametrize("written", ["", "94347659", "94347659190", "94347659A9", "nhs"])
    def test_not_ten_digits_is_refused(self, written):
        with pytest.raises(ValidationError) as error:
            nhs_number_normalise(written)
        assert error.value.code == "nhs_number_format"

    @given(st.text(alphabet="0123456789", min_size=9, max_size=9))
    def test_every_number_with_its_check_digit_is_valid_and_any_other_last_digit_is_not(self, nine):
        number = _with_check_digit(nine)
        if number is None:
            return
        assert nhs_number_normalise(number) == number
        for other in "0123456789":
            if other != number[-1]:
                with pytest.raises(ValidationError):
                    nhs_number_normalise(nine + other)


class TestPostcode:
    @pytest.mark.parametrize(
        ("written", "normal"),
        [
            ("hp19 8ff", "HP19 8FF"),
            ("HP198FF", "HP19 8FF"),
            (" sw1a  1aa ", "SW1A 1AA"),
            ("m11ae", "M1 1AE"),
            ("EC1A1BB", "EC1A 1BB"),
            ("GIR 0AA", "GIR 0AA"),
        ],
    )
    def test_normalised(self, written, normal):
        assert postcode_normalise(written) == normal

    @pytest.mark.parametrize("written", ["", "HP19", "12345", "HP19 8F", "HP19 8FFF", "HP19 8CI", "Q1 1AA"])
    def test_not_a_postcode_is_refused_naming_the_value(self, written):
        with pytest.raises(ValidationError) as error:
            postcode_normalise(written)
        assert error.value.code == "postcode_format"


class TestNameIndex:
    def test_case_accents_and_punctuation_are_folded(self):
        assert name_index("Zoë O'Brien-Smith") == "zoe obrien smith"
