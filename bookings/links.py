"""The link in a patient's email that lets them view, reschedule or cancel without phoning.

The URL holds the booking reference and an HMAC of it and of the link's version: no name,
email or phone. Knowing a reference alone is not enough to change a booking. Staff can send a
patient a new link, which raises the version: links made before then stop working, and say so.
Links made with a key in SECRET_KEY_FALLBACKS still work after the secret key is rotated.
"""

import enum

from django.conf import settings
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

_SALT = "bookings.manage-link"


class LinkCheck(enum.Enum):
    VALID = "valid"
    REPLACED = "replaced"  # a link this booking had, before staff sent a newer one
    UNKNOWN = "unknown"


def _token(reference: str, version: int, secret: str) -> str:
    # Version 0 is the reference alone, as links were made before versions existed.
    value = reference if not version else f"{reference}:{version}"
    return salted_hmac(_SALT, value, secret=secret, algorithm="sha256").hexdigest()[:32]


def manage_token(reference: str, version: int = 0) -> str:
    return _token(reference, version, settings.SECRET_KEY)


def check_token(reference: str, token: str, version: int) -> LinkCheck:
    """Whether `token` is this booking's current link, one it had before, or neither."""
    secrets = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    for made_with in range(version, -1, -1):
        if any(constant_time_compare(_token(reference, made_with, secret), token) for secret in secrets):
            return LinkCheck.VALID if made_with == version else LinkCheck.REPLACED
    return LinkCheck.UNKNOWN


def manage_path(booking) -> str:
    token = manage_token(booking.reference, booking.link_version)
    return reverse("bookings:manage", kwargs={"reference": booking.reference, "token": token})


def manage_url(booking) -> str:
    return settings.SITE_URL + manage_path(booking)


def questionnaire_path(booking) -> str:
    token = manage_token(booking.reference, booking.link_version)
    return reverse("bookings:questionnaire", kwargs={"reference": booking.reference, "token": token})


def questionnaire_url(booking) -> str:
    return settings.SITE_URL + questionnaire_path(booking)


def _waitlist_token(purpose: str, pk: int, secret: str) -> str:
    return salted_hmac(f"bookings.waitlist.{purpose}", str(pk), secret=secret, algorithm="sha256").hexdigest()[:32]


def waitlist_token_valid(purpose: str, pk: int, token: str) -> bool:
    """For the waitlist's links: "leave" (an entry) and "offer" (a freed time offered)."""
    secrets = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    return any(constant_time_compare(_waitlist_token(purpose, pk, secret), token) for secret in secrets)


def waitlist_leave_url(entry) -> str:
    token = _waitlist_token("leave", entry.pk, settings.SECRET_KEY)
    return settings.SITE_URL + reverse("bookings:waitlist_leave", kwargs={"entry_id": entry.pk, "token": token})


def waitlist_offer_url(offer) -> str:
    token = _waitlist_token("offer", offer.pk, settings.SECRET_KEY)
    return settings.SITE_URL + reverse("bookings:waitlist_offer", kwargs={"offer_id": offer.pk, "token": token})
