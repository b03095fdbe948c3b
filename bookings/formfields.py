"""Form fields that read the values the booking pages put in addresses and forms: a start time,
a month, a time-and-practitioner choice and a form key. Anything unreadable or absurd is a
validation error with a clear message, never an exception further in (a tampered year 9999 or
month 99999999999 must not overflow the date arithmetic)."""

import re
import uuid
from datetime import UTC, date, datetime

from django import forms
from django.core.exceptions import ValidationError

from bookings.wording import start_value

TIME_INVALID = "We could not find that appointment time. Please choose a time again."
FIRST_YEAR, LAST_YEAR = 2000, 2999


def _read_start(value) -> datetime | None:
    try:
        start = datetime.fromisoformat(str(value).strip())
    except (ValueError, OverflowError):
        return None
    if start.tzinfo is None or not FIRST_YEAR <= start.year <= LAST_YEAR:
        return None
    return start.astimezone(UTC)


class StartField(forms.CharField):
    """An aware start time (as `wording.start_value` writes it), returned in UTC."""

    widget = forms.HiddenInput
    default_error_messages = {"invalid": TIME_INVALID}

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        start = _read_start(value)
        if start is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return start

    def prepare_value(self, value):
        return start_value(value) if isinstance(value, datetime) else value


class MonthField(forms.CharField):
    """A month written as 2026-12, returned as its first day."""

    default_error_messages = {"invalid": "We could not read that month, so here are the first free times."}

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            year, month = (int(part) for part in value.split("-"))
            if not FIRST_YEAR <= year <= LAST_YEAR:
                raise ValueError(value)
            return date(year, month, 1)
        except (ValueError, OverflowError):
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class TimeChoiceField(forms.CharField):
    """One value naming a time and who with, "2026-12-02T23:00:00Z|7" (see `wording.TimeOption`),
    returned as (start, practitioner id)."""

    default_error_messages = {"invalid": TIME_INVALID}

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        start, _, practitioner_id = value.partition("|")
        start = _read_start(start)
        if start is None or not practitioner_id.isdigit():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return start, int(practitioner_id)


class FormKeyField(forms.UUIDField):
    """The booking form's key (its public half): a fresh one when none or an unreadable one comes."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def clean(self, value):
        try:
            key = super().clean(value)
        except ValidationError:
            key = None
        return key or uuid.uuid4()


def read_key(value) -> uuid.UUID | None:
    """A form key from an address or form, or None when there is none or it is unreadable."""
    try:
        return forms.UUIDField(required=False).clean(value)
    except ValidationError:
        return None


def read_choice(value) -> tuple[datetime, int] | None:
    try:
        return TimeChoiceField(required=False).clean(value)
    except ValidationError:
        return None


_MONTHS = {
    name: number
    for number, names in enumerate(
        [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
         ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
         ("dec", "december")],
        start=1,
    )
    for name in names
}  # fmt: skip
_NUMERIC = re.compile(r"(\d{1,2})[\s./-](\d{1,2})[\s./-](\d{2}|\d{4})")
_WORDS = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def read_birth_date(text: str, *, today: date) -> date | None:
    """A date of birth as people write it: 14/7/1988, 14/7/88, 14-07-1988, 14 July 1988, 14 Jul
    1988, 1988-07-14. Day first, as in Australia. A two-digit year is the latest one not in the
    future (88 is 1988, 05 is 2005). None when it cannot be read or is not a real date."""
    text = text.strip().lower()
    if match := _ISO.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
    elif match := _NUMERIC.fullmatch(text):
        day, month, year = (int(part) for part in match.groups())
        if len(match[3]) == 2:
            year += 2000 if 2000 + year <= today.year else 1900
    elif (match := _WORDS.fullmatch(text)) and match[2] in _MONTHS:
        day, month, year = int(match[1]), _MONTHS[match[2]], int(match[3])
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


class BirthDateField(forms.DateField):
    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, date):
            return value
        from django.utils import timezone

        read = read_birth_date(str(value)[:40], today=timezone.localdate())
        if read is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return read
