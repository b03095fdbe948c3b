"""The booking draft: the patient's answers and chosen time, held in their session between the
details and review steps, and nowhere else (never in an address or a log line).

A draft is stored JSON-ready under its form key; once the booking is made only the booking's id
and the key's secret half stay, so a second press of Confirm (or the back button) in this
session leads to that booking, not to an error or a second booking.
"""

import time
import uuid
from datetime import date, datetime

from django.conf import settings
from phonenumber_field.phonenumber import to_python as to_phone_number

from bookings.form_keys import FormKey
from bookings.wording import start_value

_DRAFTS = "booking_drafts"
# A patient may have a few tabs open; more drafts than this are dropped, oldest first.
_MAX_DRAFTS = 5
PATIENT_FIELDS = ("given_name", "family_name", "email", "phone", "date_of_birth", "is_returning")


def _store(session, key: uuid.UUID, draft: dict) -> None:
    drafts = {k: v for k, v in _kept(session).items() if k != str(key)}
    drafts[str(key)] = draft | {"saved": time.time()}
    session[_DRAFTS] = dict(list(drafts.items())[-_MAX_DRAFTS:])
    # Patient details are kept only a short while: the session (and the draft with it) ends
    # DRAFT_SECONDS after the last step, and `purge_expired_data` removes ended sessions.
    if not session.get("_auth_user_id"):
        session.set_expiry(settings.DRAFT_SECONDS)


def _kept(session) -> dict:
    """The session's drafts that are not yet too old to keep."""
    oldest = time.time() - settings.DRAFT_SECONDS
    return {k: v for k, v in session.get(_DRAFTS, {}).items() if v.get("saved", 0) >= oldest}


def draft_get(session, key: uuid.UUID) -> dict | None:
    """The draft being filled in under this key (None when there is none, it is too old, or it
    became a booking)."""
    draft = _kept(session).get(str(key))
    return draft if draft and "given_name" in draft else None


def draft_save(session, key: uuid.UUID, *, answers: dict, service, start: datetime, practitioner) -> None:
    """Keep the details form's cleaned answers and the chosen time. Saving again under the same
    key (the patient came back to fix a typo) keeps the key's secret half."""
    previous = _kept(session).get(str(key)) or {}
    _store(
        session,
        key,
        {
            "given_name": answers["given_name"],
            "family_name": answers["family_name"],
            "email": answers["email"],
            "phone": answers["phone"].as_e164,
            "date_of_birth": answers["date_of_birth"].isoformat() if answers["date_of_birth"] else None,
            "is_returning": answers["is_returning"],
            "concern": answers["concern"].slug if answers["concern"] else "",
            "concern_text": answers["concern_text"],
            "notes": answers["notes"],
            "consent": answers["consent"],
            "service_id": service.pk,
            "start": start_value(start),
            "practitioner_id": practitioner.pk if practitioner else None,
            "secret": previous.get("secret") or FormKey.new_secret(),
        },
    )


def draft_move(session, key: uuid.UUID, *, start: datetime, practitioner_id: int) -> None:
    """The patient picked another time on the review page."""
    if draft := draft_get(session, key):
        _store(session, key, draft | {"start": start_value(start), "practitioner_id": practitioner_id})


def draft_finish(session, key: uuid.UUID, booking) -> None:
    """Forget the patient's details once their booking is made; remember which booking it was."""
    secret = (_kept(session).get(str(key)) or {}).get("secret", "")
    _store(session, key, {"booking_id": booking.pk, "secret": secret})


def finished_booking_id(session, key: uuid.UUID | None) -> int | None:
    """The booking this session made with this key, if it made one."""
    if key is None:
        return None
    return (_kept(session).get(str(key)) or {}).get("booking_id")


def form_key(key: uuid.UUID, draft: dict) -> FormKey:
    return FormKey(key=key, secret=draft["secret"])


def answers(draft: dict) -> dict:
    """The draft's answers as the details form cleaned them (phone numbers and dates typed)."""
    return {
        "given_name": draft["given_name"],
        "family_name": draft["family_name"],
        "email": draft["email"],
        "phone": to_phone_number(draft["phone"]),
        "date_of_birth": date.fromisoformat(draft["date_of_birth"]) if draft["date_of_birth"] else None,
        "is_returning": draft["is_returning"],
        "concern": draft["concern"],
        "concern_text": draft["concern_text"],
        "notes": draft["notes"],
        "consent": draft.get("consent", False),
    }


def patient_details(draft: dict) -> dict:
    """The draft's answers about the patient, as `booking_create_with_patient` takes them."""
    typed = answers(draft)
    return {name: typed[name] for name in PATIENT_FIELDS}


def draft_start(draft: dict) -> datetime:
    return datetime.fromisoformat(draft["start"])
