"""NHS numbers and UK postcodes: validated and normalised before anything is stored."""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError

_NHS_WEIGHTS = range(10, 1, -1)
# The outward code's letters follow Royal Mail's rules (no Q, V or X first; no I, J or Z second).
_POSTCODE = re.compile(
    r"^(GIR0AA|([A-PR-UWYZ][0-9][0-9A-HJKPSTUW]?|[A-PR-UWYZ][A-HK-Y][0-9][0-9ABEHMNPRVWXY]?)[0-9][ABD-HJLNP-UW-Z]{2})$"
)


def nhs_number_normalise(value: str) -> str:
    """Return the ten digits of a valid NHS number, or raise ValidationError saying what is wrong.

    The tenth digit is a modulus 11 check digit: weights 10 down to 2 on the first nine digits;
    11 minus the remainder is the check digit (11 means 0; 10 means the number is not valid).
    """
    digits = re.sub(r"[\s-]", "", value or "")
    if not re.fullmatch(r"[0-9]{10}", digits):
        raise ValidationError(
            "An NHS number must be 10 digits, like 943 476 5919 (%(value)s is not)",
            code="nhs_number_format",
            params={"value": value},
        )
    total = sum(int(d) * w for d, w in zip(digits[:9], _NHS_WEIGHTS, strict=True))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    if check == 10 or check != int(digits[9]):
        raise ValidationError(
            "%(value)s is not a valid NHS number: its check digit does not match",
            code="nhs_number_check_digit",
            params={"value": value},
        )
    return digits


def postcode_normalise(value: str) -> str:
    """Return a UK postcode in its standard form (upper case, one space before the inward code)."""
    compact = re.sub(r"\s", "", value or "").upper()
    if not _POSTCODE.fullmatch(compact):
        raise ValidationError(
            "%(value)s is not a UK postcode: enter a postcode like HP19 8FF",
            code="postcode_format",
            params={"value": value},
        )
    return f"{compact[:-3]} {compact[-3:]}"


def validate_nhs_number(value: str) -> None:
    if nhs_number_normalise(value) != value:
        raise ValidationError("Store NHS numbers as 10 digits with no spaces", code="nhs_number_form")


def validate_postcode(value: str) -> None:
    if postcode_normalise(value) != value:
        raise ValidationError("Store postcodes in their normal form, like HP19 8FF", code="postcode_form")


def name_index(value: str) -> str:
    """The form of a name that search compares: case-folded, accents and punctuation kept out."""
    decomposed = unicodedata.normalize("NFKD", value or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9 ]", "", plain.casefold().replace("-", " ")).strip()
