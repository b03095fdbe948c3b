"""Changing a booking: patients move or cancel theirs from the private link; staff change any
field in the admin, each kind of change through the one function that knows its rules."""

import logging
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from bookings import availability, notifications, overlap_guard, waitlist_offers
from bookings.audit_reasons import patient_online
from bookings.errors import BookingError, ChangeNotAllowed, SlotUnavailable
from bookings.models import Booking, BookingRules, BookingStatus, Location, Practitioner, Service
from bookings.services.create import TAKEN_MESSAGE, check_sensible_start, check_staff_time

logger = logging.getLogger(__name__)

# Fields that decide when and with whom: changed together, by `booking_reschedule`.
SCHEDULE_FIELDS = frozenset({"start", "practitioner", "service", "location"})
# Worked out from the schedule fields, never set on their own.
DERIVED_FIELDS = frozenset({"end", "blocked_until"})


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
def booking_cancel(*, booking: Booking, by_patient: bool, reason: str = "", now: datetime | None = None) -> Booking:
    """Cancel the booking, tell the patient (and the clinic, when the patient cancelled) and offer
    the freed time to the waitlist. Staff give a `reason` for the clinic's records."""
    now = now or timezone.now()
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if by_patient:
        _check_patient_may_change(booking, now)
    elif not booking.is_active:
        raise ChangeNotAllowed("This booking is not active, so it cannot be cancelled.")
    booking.status = BookingStatus.CANCELLED
    booking.calendar_sequence += 1
    booking.cancellation_reason = "Cancelled online by the patient" if by_patient else reason.strip()[:300]
    if by_patient:
        booking._change_reason = patient_online("Cancelled", booking)
    booking.save(update_fields=["status", "cancellation_reason", "calendar_sequence", "updated_at"])
    notifications.booking_cancelled(booking, by_patient=by_patient)
    waitlist_offers.time_freed(
        practitioner_id=booking.practitioner_id,
        location_id=booking.location_id,
        start=booking.start,
        end=booking.blocked_until,
    )
    return booking


def booking_reschedule(
    *,
    booking: Booking,
    start: datetime,
    by_patient: bool,
    practitioner: Practitioner | None = None,
    service: Service | None = None,
    location: Location | None = None,
    now: datetime | None = None,
    outside_hours_ok: bool = False,
) -> Booking:
    """Move a booking to a new time (and possibly practitioner, or for staff another service or
    clinic) in one step: the old time is only released if the new one is secured. Patients may
    move only onto a time they could book online; staff onto any time free of other bookings,
    inside the normal schedule unless `outside_hours_ok`."""
    now = now or timezone.now()
    check_sensible_start(start, now)
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
            before = (booking.start, booking.practitioner, booking.service, booking.location, booking.blocked_until)
            service = service or booking.service
            booking.service = service
            booking.practitioner = practitioner or booking.practitioner
            booking.location = location or booking.location
            booking.start = start
            booking.end = start + service.duration
            booking.blocked_until = booking.end + service.buffer
            after = (booking.start, booking.practitioner, booking.service, booking.location, booking.blocked_until)
            if after == before:
                # Pressing Move again (say after going Back) must not save or email twice.
                return booking
            if by_patient:
                if not availability.is_slot_free(
                    service=service,
                    location=booking.location,
                    practitioner=booking.practitioner,
                    start=start,
                    now=now,
                    ignore_booking_id=booking.pk,
                ):
                    raise SlotUnavailable(TAKEN_MESSAGE)
            else:
                check_staff_time(booking, practitioner=booking.practitioner, outside_hours_ok=outside_hours_ok, now=now)
            booking.calendar_sequence += 1
            if by_patient:
                booking._change_reason = patient_online("Moved", booking)
            overlap_guard.save_guarded(
                booking, update_fields=[*SCHEDULE_FIELDS, *DERIVED_FIELDS, "calendar_sequence", "updated_at"]
            )
            notifications.booking_moved(
                booking, previous_start=before[0], previous_practitioner=before[1], by_patient=by_patient
            )
            waitlist_offers.time_freed(
                practitioner_id=before[1].pk, location_id=before[3].pk, start=before[0], end=before[4]
            )
    except IntegrityError as error:
        raise SlotUnavailable(TAKEN_MESSAGE) from error
    return booking


@transaction.atomic
def booking_set_status(*, booking: Booking, status: str, now: datetime | None = None) -> Booking:
    """Staff moves a booking through its life: confirm a request, mark completed or no-show."""
    now = now or timezone.now()
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if status not in BookingStatus.values:
        raise BookingError("Unknown status.", field="status")
    if booking.status == BookingStatus.CANCELLED and status != BookingStatus.CANCELLED:
        raise ChangeNotAllowed("A cancelled booking cannot be reopened: make a new booking instead.")
    if status in (BookingStatus.COMPLETED, BookingStatus.NO_SHOW) and booking.start > now:
        raise ChangeNotAllowed(
            "This booking has not started yet, so it cannot be marked completed or did not attend. "
            "Do that once its start time has passed."
        )
    confirming = booking.status == BookingStatus.REQUESTED and status == BookingStatus.CONFIRMED
    booking.status = status
    booking.calendar_sequence += int(confirming)
    try:
        overlap_guard.save_guarded(booking, update_fields=["status", "calendar_sequence", "updated_at"])
    except IntegrityError as error:
        raise SlotUnavailable("That time now overlaps another booking.") from error
    if confirming:
        notifications.request_confirmed(booking)
    else:
        notifications.plan_reminders(booking, now=now)
    return booking


@transaction.atomic
def booking_send_new_link(*, booking: Booking, by) -> Booking:
    """Staff send the patient a new private link (say the old one was forwarded by mistake):
    every link sent before stops working, and says so."""
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    booking.link_version += 1
    booking.save(update_fields=["link_version", "updated_at"])
    notifications.new_link_sent(booking)
    logger.info("Booking %s: new private link sent by staff user %s", booking.reference, getattr(by, "pk", by))
    return booking


def _plain_fields() -> frozenset[str]:
    """Booking fields with no rules of their own (notes, patient, channel...): set as given."""
    editable = {field.name for field in Booking._meta.concrete_fields if field.editable and not field.primary_key}
    return frozenset(editable - SCHEDULE_FIELDS - DERIVED_FIELDS - {"status"})


def booking_update(
    *, booking: Booking, changes: dict, by, outside_hours_ok: bool = False, now: datetime | None = None
) -> Booking:
    """Staff's edit of a booking: apply exactly `changes` ({field name: new value}), all or
    nothing. A move goes through `booking_reschedule` and a status change through
    `booking_cancel` or `booking_set_status`, so their rules and emails apply; every other field
    is saved as given. A field this function does not know is a mistake in the caller, not
    something to drop quietly."""
    unknown = set(changes) - SCHEDULE_FIELDS - _plain_fields() - {"status"}
    if unknown:
        raise ValueError(f"booking_update cannot change {sorted(unknown)}")
    with transaction.atomic():
        if plain := {name: value for name, value in changes.items() if name in _plain_fields()}:
            booking = Booking.objects.select_for_update().get(pk=booking.pk)
            for name, value in plain.items():
                setattr(booking, name, value)
            booking.save(update_fields=[*plain, "updated_at"])
        if moved := {name: changes[name] for name in SCHEDULE_FIELDS & changes.keys()}:
            booking = booking_reschedule(
                booking=booking,
                start=moved.get("start", booking.start),
                practitioner=moved.get("practitioner"),
                service=moved.get("service"),
                location=moved.get("location"),
                by_patient=False,
                outside_hours_ok=outside_hours_ok,
                now=now,
            )
        if "status" in changes:
            if changes["status"] == BookingStatus.CANCELLED:
                booking = booking_cancel(booking=booking, by_patient=False, now=now)
            else:
                booking = booking_set_status(booking=booking, status=changes["status"], now=now)
    logger.info("Booking %s: %s changed by staff user %s", booking.reference, sorted(changes), getattr(by, "pk", by))
    return booking
