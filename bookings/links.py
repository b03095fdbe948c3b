"""The link in a patient's email that lets them view, reschedule or cancel without phoning.

The URL holds the booking reference and an HMAC of it: no name, email or phone. Knowing a
reference alone is not enough to change a booking.
"""

from django.conf import settings
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

_SALT = "bookings.manage-link"


def manage_token(reference: str) -> str:
    return salted_hmac(_SALT, reference, algorithm="sha256").hexdigest()[:32]


def manage_token_valid(reference: str, token: str) -> bool:
    return constant_time_compare(manage_token(reference), token)


def manage_path(booking) -> str:
    return reverse("bookings:manage", kwargs={"reference": booking.reference, "token": manage_token(booking.reference)})


def manage_url(booking) -> str:
    return settings.SITE_URL + manage_path(booking)
