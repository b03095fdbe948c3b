"""Finding a patient as staff type what they are told: a phone number in any written form
("0412 345 678", "0412345678", "+61 412 345 678" and "(02) 5550 1234" all find the record
stored as E.164) or a date of birth as people say it ("14 July 1988", "14/7/88")."""

import phonenumbers
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from bookings.formfields import read_birth_date


def phone_number_query(text: str, *fields: str) -> Q | None:
    """A filter matching `fields` against the number `text` names, or None when it names none."""
    if sum(character.isdigit() for character in text) < 6:
        return None
    try:
        number = phonenumbers.parse(text, settings.PHONENUMBER_DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    query = Q()
    for field in fields:
        query |= Q(**{field: e164})
    return query


def birth_date_query(text: str, *fields: str) -> Q | None:
    born = read_birth_date(text, today=timezone.localdate())
    if born is None:
        return None
    query = Q()
    for field in fields:
        query |= Q(**{field: born})
    return query


class PatientSearchMixin:
    """For a ModelAdmin: the search box also finds `phone_search_fields` by phone number and
    `birth_date_search_fields` by date of birth."""

    phone_search_fields: tuple[str, ...] = ()
    birth_date_search_fields: tuple[str, ...] = ()

    def get_search_results(self, request, queryset, search_term):
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        for extra in (
            phone_number_query(term, *self.phone_search_fields),
            birth_date_query(term, *self.birth_date_search_fields),
        ):
            if extra is not None and extra.children:
                found |= queryset.filter(extra)
        return found, may_have_duplicates
