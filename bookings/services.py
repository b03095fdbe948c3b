"""Every write with rules goes through here: the public booking pages, the admin and commands.

No two active bookings may overlap for one practitioner. The database enforces that (an
exclusion constraint on PostgreSQL, triggers under IMMEDIATE transactions on SQLite); these
functions re-check first so that the usual answer is a clear message, and turn the database's
refusal under a race into the same SlotUnavailable.
"""

import uuid
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from bookings import availability, notifications, patients
from bookings.errors import BookingError, ChangeNotAllowed, SlotUnavailable
from bookings.models import (
    Booking,
    BookingChannel,
    BookingRules,
    BookingStatus,
    ConfirmationMode,
    Location,
    Patient,
    Practitioner,
    Service,
    new_reference,
)

KEY_USED_MESSAGE = "This booking form has already been used. Please start your booking again."
TAKEN_MESSAGE = "Sorry, that time has just been taken. Please choose another time."
_REFERENCE_ATTEMPTS = 5


def booking_create(
    *,
    service: Service,
    location: Location,
    start: datetime,
    patient: Patient,
    practitioner: Practitioner | None = None,
    concern=None,
    concern_text: str = "",
    notes: str = "",
    channel: str = BookingChannel.ONLINE,
    privacy_notice_version: str = "",
    idempotency_key: uuid.UUID | None = None,
    status: str | None = None,
    now: datetime | None = None,
) -> Booking:
    """Book `start` for the patient. Online bookings must be on a free time the patient could
    see (hours, notice, window); staff bookings (phone, in person) may be made at any time but
    never over another booking. `practitioner=None` takes the first practitioner free then.

    Submitting the same idempotency key again returns the booking it already made.
    """
    now = now or timezone.now()
    if existing := _made_with(idempotency_key, patient.identity()):
        return existing
    _check_sensible_start(start, now)
    online = channel == BookingChannel.ONLINE
    if online and (not service.active or not service.bookable_online):
        raise BookingError("This service cannot be booked online. Please phone the clinic.")
    if online and service.new_patient_only and patient.is_returning:
        raise BookingError(f"{service.name} is for new patients. Please choose a follow-up appointment.")

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
        idempotency_key=idempotency_key,
    )
    with transaction.atomic():
        candidates = _candidate_practitioners(
            service=service, location=location, start=start, practitioner=practitioner, online=online, now=now
        )
        for candidate in candidates:
            booking.practitioner = candidate
            try:
                with transaction.atomic():
                    _save_new(booking)
                break
            except IntegrityError:
                # Another patient took this practitioner a moment ago (or this very form was
                # sent twice): with "first available", the next free practitioner may still
                # have the time.
                if existing := _made_with(idempotency_key, patient.identity()):
                    return existing
        else:
            raise SlotUnavailable(TAKEN_MESSAGE)
    notifications.send_after_commit(booking, "booked")
    return booking


def booking_create_with_patient(
    *, patient_details: dict, idempotency_key: uuid.UUID | None = None, **booking
) -> Booking:
    """The public booking form's write: find or create the patient and book, all or nothing, so
    a time taken meanwhile leaves no stray patient record behind."""
    identity = {name: patient_details.get(name, "") for name in ("given_name", "family_name", "email")}
    if existing := _made_with(idempotency_key, identity):
        return existing
    try:
        with transaction.atomic():
            patient = patients.patient_find_or_create(**patient_details)
            made = booking_create(patient=patient, idempotency_key=idempotency_key, **booking)
            if made.patient_id != patient.pk:
                # A second submission with this key raced the first and lost: keep only the
                # first one's patient record.
                transaction.set_rollback(True)
            return made
    except SlotUnavailable:
        # The time can look taken to a second submission only because the first took it.
        if existing := _made_with(idempotency_key, identity):
            return existing
        raise


def _check_sensible_start(start: datetime, now: datetime) -> None:
    if abs(start - now) > availability.FAR_AWAY:
        raise BookingError("That date is too far from today to book. Please check the year.")


def _made_with(idempotency_key: uuid.UUID | None, identity: dict) -> Booking | None:
    """The booking an earlier submission of the same form made for this person, if any.

    A key that made someone else's booking is refused: the key travels in the review page's
    address, and knowing it must never lead anyone to another patient's booking.
    """
    if idempotency_key is None:
        return None
    existing = Booking.objects.filter(idempotency_key=idempotency_key).first()
    if existing is None:
        return None
    if not Patient.objects.same_person(**identity).filter(pk=existing.patient_id).exists():
        raise BookingError(KEY_USED_MESSAGE)
    return existing


def _initial_status(service: Service, channel: str) -> str:
    if channel != BookingChannel.ONLINE or service.confirmation == ConfirmationMode.INSTANT:
        return BookingStatus.CONFIRMED
    return BookingStatus.REQUESTED


def _candidate_practitioners(*, service, location, start, practitioner, online, now) -> list[Practitioner]:
    """Who may take this booking, in the order to try them; refuses with a clear message when
    nobody can. Online, only a time the patient could have been offered counts."""
    if online:
        if practitioner is not None:
            if availability.is_slot_free(
                service=service, location=location, practitioner=practitioner, start=start, now=now
            ):
                return [practitioner]
            raise SlotUnavailable(TAKEN_MESSAGE)
        free_ids = availability.free_practitioner_ids(service=service, location=location, start=start, now=now)
        if not free_ids:
            raise SlotUnavailable(TAKEN_MESSAGE)
        by_id = Practitioner.objects.in_bulk(free_ids)
        return [by_id[pk] for pk in free_ids]
    if practitioner is None:
        raise BookingError("Choose a practitioner for a booking made by staff.")
    if Booking.objects.overlapping(
        practitioner_id=practitioner.pk, start=start, blocked_until=start + service.duration + service.buffer
    ).exists():
        raise SlotUnavailable(f"{practitioner} already has a booking that overlaps this time.")
    return [practitioner]


def _save_new(booking: Booking) -> None:
    """Insert, drawing a fresh reference in the rare case one is already taken."""
    for attempt in range(_REFERENCE_ATTEMPTS):
        if attempt:
            booking.reference = new_reference()
        if not Booking.objects.filter(reference=booking.reference).exists():
            break
    with transaction.atomic():
        booking.save(force_insert=True)


def _check_patient_may_change(booking: Booking, now: datetime) -> None:
    if not booking.is_active:
        raise ChangeNotAllowed("This booking has already been cancelled or has taken place.")
    rules = BookingRules.current()
    if rules.too_late_to_change_online(booking.start, now):
        raise ChangeNotAllowed(
            f"Bookings can be changed online up to {rules.cancellation_notice_hours} hours before the start. "
            "Please phone the clinic."
        )


@transaction.atomic
def booking_cancel(*, booking: Booking, by_patient: bool, now: datetime | None = None) -> Booking:
    now = now or timezone.now()
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if by_patient:
        _check_patient_may_change(booking, now)
    elif not booking.is_active:
        raise ChangeNotAllowed("This booking is not active, so it cannot be cancelled.")
    booking.status = BookingStatus.CANCELLED
    booking.save(update_fields=["status", "updated_at"])
    notifications.send_after_commit(booking, "cancelled", by_patient=by_patient)
    return booking


def booking_reschedule(
    *,
    booking: Booking,
    start: datetime,
    by_patient: bool,
    practitioner: Practitioner | None = None,
    service: Service | None = None,
    now: datetime | None = None,
) -> Booking:
    """Move a booking to a new time (and possibly practitioner, or for staff another service)
    in one step: the old time is only released if the new one is secured."""
    now = now or timezone.now()
    _check_sensible_start(start, now)
    try:
        with transaction.atomic():
            booking = (
                Booking.objects.select_for_update(of=("self",))
                .select_related("service", "location", "practitioner")
                .get(pk=booking.pk)
            )
            if by_patient:
                _check_patient_may_change(booking, now)
            elif not booking.is_active:
                raise ChangeNotAllowed("This booking is not active, so it cannot be moved.")
            service = service or booking.service
            practitioner = practitioner or booking.practitioner
            end = start + service.duration
            if (start, practitioner.pk, service.pk, end, end + service.buffer) == (
                booking.start,
                booking.practitioner_id,
                booking.service_id,
                booking.end,
                booking.blocked_until,
            ):
                # Pressing Move again (say after going Back) must not save or email twice.
                return booking
            old_start, old_practitioner = booking.start, booking.practitioner
            if by_patient and not availability.is_slot_free(
                service=service,
                location=booking.location,
                practitioner=practitioner,
                start=start,
                now=now,
                ignore_booking_id=booking.pk,
            ):
                raise SlotUnavailable(TAKEN_MESSAGE)
            booking.service = service
            booking.practitioner = practitioner
            booking.start = start
            booking.end = end
            booking.blocked_until = end + service.buffer
            with transaction.atomic():
                booking.save(update_fields=["service", "practitioner", "start", "end", "blocked_until", "updated_at"])
    except IntegrityError as error:
        raise SlotUnavailable(TAKEN_MESSAGE) from error
    notifications.send_after_commit(
        booking, "rescheduled", by_patient=by_patient, old_start=old_start, old_practitioner=old_practitioner
    )
    return booking


@transaction.atomic
def booking_set_status(*, booking: Booking, status: str, now: datetime | None = None) -> Booking:
    """Staff moves a booking through its life: confirm a request, mark completed or no-show."""
    now = now or timezone.now()
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if status not in BookingStatus.values:
        raise BookingError("Unknown status.")
    if booking.status == BookingStatus.CANCELLED and status != BookingStatus.CANCELLED:
        raise ChangeNotAllowed("A cancelled booking cannot be reopened: make a new booking instead.")
    if status in (BookingStatus.COMPLETED, BookingStatus.NO_SHOW) and booking.start > now:
        raise ChangeNotAllowed(
            "This booking has not started yet, so it cannot be marked completed or did not attend. "
            "Do that once its start time has passed."
        )
    confirming = booking.status == BookingStatus.REQUESTED and status == BookingStatus.CONFIRMED
    booking.status = status
    try:
        with transaction.atomic():
            booking.save(update_fields=["status", "updated_at"])
    except IntegrityError as error:
        raise SlotUnavailable("That time now overlaps another booking.") from error
    if confirming:
        notifications.send_after_commit(booking, "confirmed")
    return booking
