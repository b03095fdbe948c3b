"""Making a booking, the one write with rules behind the public booking pages, the admin and
commands; changing one is in `change.py`.

No two active bookings may overlap for one practitioner. The database enforces that (see
`overlap_guard`); these functions check first so that the usual answer is a clear message, and
turn the database's refusal under a race into the same SlotUnavailable.
"""

from datetime import datetime

from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone

from bookings import availability, notifications, schedule_checks
from bookings.audit_reasons import patient_online
from bookings.errors import AlreadyBooked, BookingError, OutsideNormalHours, SlotUnavailable
from bookings.form_keys import FormKey
from bookings.models import (
    Booking,
    BookingChannel,
    BookingStatus,
    ConfirmationMode,
    Location,
    Patient,
    Practitioner,
    Service,
    new_reference,
)
from bookings.selectors import practitioner_by_id
from bookings.services.patients import patient_find_or_create
from bookings.services.waitlist import waitlist_booked
from soletherapy.write_turn import write_turn

ALREADY_BOOKED_MESSAGE = (
    "This booking has already been made. We emailed its confirmation, with a link to see, move or cancel it, "
    "to the address it was booked with: please check your email."
)
TAKEN_MESSAGE = "Sorry, that time has just been taken. Please choose another time."
# Refusals answered before giving up: a few practitioners taken meanwhile, a reference drawn again.
_ATTEMPTS = 6
DEADLOCK = "40P01"  # what PostgreSQL says when it breaks a deadlock


def booking_create(
    *,
    service: Service,
    location: Location,
    start: datetime,
    patient: Patient,
    practitioner: Practitioner | None = None,
    form_key: FormKey | None = None,
    now: datetime | None = None,
    **details,
) -> Booking:
    """Book `start` for the patient. Online bookings must be on a free time the patient could
    see (hours, notice, window); staff bookings (phone, in person) must be inside the normal
    schedule unless `outside_hours_ok`, and never over another booking. `practitioner=None`
    takes the first practitioner free then. `submitted` holds what the patient typed about
    themselves (phone, date of birth, visited before), kept on the booking. `details`: concern,
    concern_text, notes, channel, privacy_notice_version, submitted, status, outside_hours_ok.

    The same `form_key` again returns the booking it already made.
    """
    now = now or timezone.now()
    check_sensible_start(start, now)
    return _attempts(
        lambda refused: _book(
            patient=patient,
            service=service,
            location=location,
            start=start,
            practitioner=practitioner,
            form_key=form_key,
            now=now,
            refused=refused,
            **details,
        ),
        form_key,
    )


def booking_create_with_patient(
    *, patient_details: dict, form_key: FormKey | None = None, now: datetime | None = None, **booking
) -> Booking:
    """The public booking form's write: find or create the patient and book, all or nothing, so
    a time taken meanwhile leaves no stray patient record behind. What the patient typed about
    themselves is kept on the booking; an existing patient record is never changed by it."""
    now = now or timezone.now()
    check_sensible_start(booking["start"], now)

    def attempt(refused):
        patient = patient_find_or_create(**patient_details)
        return _book(patient=patient, form_key=form_key, submitted=patient_details, now=now, refused=refused, **booking)

    return _attempts(attempt, form_key)


def _attempts(make, form_key: FormKey | None) -> Booking:
    """Run `make` in one transaction (a savepoint inside another) and answer the database's
    refusals, which roll the whole attempt back: the same form sent twice (the idempotency key is
    unique) returns the first booking; a reference already taken is drawn again; an overlap means
    another patient took that practitioner a moment ago, so the next attempt leaves them out
    ("first available" may still find someone). PostgreSQL breaking a deadlock between two
    overlapping inserts is tried again too: the next attempt then gets the guard's own answer."""
    refused: set[int] = set()
    redraw = None
    for attempt in range(1, _ATTEMPTS + 1):
        try:
            with write_turn(), transaction.atomic():
                return make(_Refused(refused, redraw))
        except SlotUnavailable:
            # The time can look taken to a second submission only because the first took it.
            if existing := _made_with(form_key):
                return existing
            raise
        except IntegrityError as error:
            if existing := _made_with(form_key):
                return existing
            booking = getattr(error, "booking", None)
            if booking is None:
                raise
            if Booking.objects.filter(reference=booking.reference).exists():
                if attempt == _ATTEMPTS:
                    raise  # past belief: a run of taken references
                redraw = booking.reference
            else:
                refused.add(booking.practitioner_id)  # after the last attempt: "just taken"
        except OperationalError as error:
            if attempt == _ATTEMPTS or getattr(error.__cause__, "sqlstate", None) != DEADLOCK:
                raise
    raise SlotUnavailable(TAKEN_MESSAGE)


class _Refused:
    """What earlier attempts learnt: practitioners the database refused, a reference taken."""

    def __init__(self, practitioner_ids: set[int], taken_reference: str | None):
        self.practitioner_ids = practitioner_ids
        self.taken_reference = taken_reference


def _book(
    *,
    patient: Patient,
    service: Service,
    location: Location,
    start: datetime,
    form_key: FormKey | None,
    now: datetime,
    refused: _Refused,
    practitioner: Practitioner | None = None,
    concern=None,
    concern_text: str = "",
    notes: str = "",
    channel: str = BookingChannel.ONLINE,
    privacy_notice_version: str = "",
    submitted: dict | None = None,
    status: str | None = None,
    outside_hours_ok: bool = False,
) -> Booking:
    online = channel == BookingChannel.ONLINE
    if online and (not service.active or not service.bookable_online):
        raise BookingError("This service cannot be booked online. Please phone the clinic.", field="service")
    if online and service.new_patient_only and patient.is_returning:
        raise BookingError(f"{service.name} is for new patients. Please choose a follow-up appointment.")
    submitted = submitted or {}
    booking = Booking(
        patient=patient,
        service=service,
        location=location,
        start=start,
        end=start + service.duration,
        blocked_until=start + service.duration + service.buffer,
        status=status or _initial_status(service, channel),
        concern=concern,
        concern_text=concern_text,
        notes=notes,
        channel=channel,
        privacy_notice_version=privacy_notice_version,
        privacy_accepted_at=now if privacy_notice_version else None,
        submitted_phone=submitted.get("phone") or "",
        submitted_date_of_birth=submitted.get("date_of_birth"),
        submitted_is_returning=submitted.get("is_returning"),
        idempotency_key=form_key.key if form_key else None,
        idempotency_secret_hash=form_key.secret_hash if form_key else "",
    )
    if refused.taken_reference == booking.reference:
        booking.reference = new_reference()
    if practitioner is not None and practitioner.pk in refused.practitioner_ids:
        raise SlotUnavailable(TAKEN_MESSAGE)
    if online:
        candidates = _free_online(
            service=service,
            location=location,
            start=start,
            practitioner=practitioner,
            now=now,
            refused_ids=refused.practitioner_ids,
        )
        booking._change_reason = patient_online("Booked", booking)
    else:
        candidates = [practitioner] if practitioner else []
        check_staff_time(booking, practitioner=practitioner, outside_hours_ok=outside_hours_ok, now=now)
    booking.practitioner = candidates[0]
    try:
        booking.save(force_insert=True)
    except IntegrityError as error:
        error.booking = booking  # for `_attempts`: whose time, which reference
        raise
    notifications.booking_made(booking)
    waitlist_booked(service=service, email=patient.email)
    return booking


def check_sensible_start(start: datetime, now: datetime) -> None:
    if abs(start - now) > availability.FAR_AWAY:
        raise BookingError("That date is too far from today to book. Please check the year.", field="start")


def check_staff_time(booking: Booking, *, practitioner, outside_hours_ok: bool, now: datetime) -> None:
    """What staff must not book by accident: over another booking (never), or in the past or
    outside the normal schedule (only when they say it is meant)."""
    if practitioner is None:
        raise BookingError("Choose a practitioner for a booking made by staff.", field="practitioner")
    if not booking.is_active:
        return
    clash = (
        Booking.objects.overlapping(
            practitioner_id=practitioner.pk, start=booking.start, blocked_until=booking.blocked_until
        )
        .exclude(pk=booking.pk)
        .select_related("location")
        .first()
    )
    if clash:
        local = timezone.localtime(clash.start, clash.location.zone)
        raise SlotUnavailable(
            f"{practitioner} already has booking {clash.reference} at {local:%H:%M on %d %b %Y} "
            "(including its clean-up time). Choose another time or practitioner."
        )
    if outside_hours_ok:
        return
    if booking.start < now:
        raise OutsideNormalHours("This start time is in the past.")
    if problem := schedule_checks.outside_normal_hours(
        service=booking.service, location=booking.location, practitioner=practitioner, start=booking.start
    ):
        raise OutsideNormalHours(problem)


def _made_with(form_key: FormKey | None) -> Booking | None:
    """The booking an earlier submission of the same form made, if this submission comes from
    the session that made it. From anywhere else the key is refused without naming the booking:
    the key travels in the review page's address, and knowing it must never lead anyone to
    another patient's booking."""
    if form_key is None:
        return None
    existing = Booking.objects.filter(idempotency_key=form_key.key).first()
    if existing is None:
        return None
    if not form_key.made(existing):
        raise AlreadyBooked(ALREADY_BOOKED_MESSAGE)
    return existing


def _initial_status(service: Service, channel: str) -> str:
    if channel != BookingChannel.ONLINE or service.confirmation == ConfirmationMode.INSTANT:
        return BookingStatus.CONFIRMED
    return BookingStatus.REQUESTED


def _free_online(*, service, location, start, practitioner, now, refused_ids=()) -> list[Practitioner]:
    """Who may take an online booking, in the order to try them: only a time the patient could
    have been offered counts, and not with a practitioner the database just refused."""
    free_ids = availability.free_practitioner_ids(
        service=service, location=location, start=start, practitioner=practitioner, now=now
    )
    free_ids = [pk for pk in free_ids if pk not in refused_ids]
    if not free_ids:
        raise SlotUnavailable(TAKEN_MESSAGE)
    if practitioner is not None:
        return [practitioner]
    return [practitioner_by_id(pk) or Practitioner.objects.get(pk=pk) for pk in free_ids]
