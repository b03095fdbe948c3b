"""One reminder before each appointment: at the time the booking rules say, for the time the
booking has then, never for a cancelled or moved time, never twice, and without clinical details."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import IntegrityError, transaction

from bookings import services
from bookings.models import BookingChannel, BookingRules, BookingStatus, EmailKind, EmailState, OutboxEmail
from tests.bookings.conftest import NOW, TEN_AM_SYDNEY_DEC_3
from tests.worker import run_due_tasks

pytestmark = pytest.mark.django_db

FRIDAY_TEN_AM = TEN_AM_SYDNEY_DEC_3 + timedelta(days=2)  # Saturday 5 December, 10:00 in Sydney


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _book(clinic, patient, start=FRIDAY_TEN_AM, **extra):
    return services.booking_create(
        service=clinic["service"],
        location=clinic["location"],
        patient=patient,
        practitioner=clinic["practitioners"][0],
        start=start,
        concern_text="Sore left heel",
        notes="Private note",
        **extra,
    )


def _reminders(mailoutbox):
    return [m for m in mailoutbox if m.subject.startswith("Reminder")]


def test_a_reminder_goes_48_hours_before_once_and_names_no_condition(clinic, patient, mailoutbox, clock):
    booking = _book(clinic, patient)
    run_due_tasks()
    assert _reminders(mailoutbox) == []

    clock.move_to(FRIDAY_TEN_AM - timedelta(hours=48, seconds=1))
    run_due_tasks()
    assert _reminders(mailoutbox) == []
    clock.move_to(FRIDAY_TEN_AM - timedelta(hours=48))
    run_due_tasks()
    clock.shift(timedelta(hours=12))
    run_due_tasks()

    (reminder,) = _reminders(mailoutbox)
    assert reminder.subject == "Reminder: your SOLE THERAPY appointment on Saturday 5 December 2026"
    assert "10:00 am (Sydney time)" in reminder.body and booking.reference in reminder.body
    for private in ("Sore left heel", "Private note"):
        assert private not in reminder.body and private not in reminder.alternatives[0][0]


def test_a_booking_made_after_its_reminder_time_gets_none(clinic, patient, mailoutbox):
    booking = _book(clinic, patient, start=TEN_AM_SYDNEY_DEC_3)  # 38 hours away

    assert not booking.emails.filter(kind=EmailKind.REMINDER).exists()


def test_a_moved_booking_is_reminded_of_its_new_time_only(clinic, patient, mailoutbox, clock):
    booking = _book(clinic, patient)
    later = FRIDAY_TEN_AM + timedelta(days=1)
    services.booking_reschedule(booking=booking, start=later, by_patient=True)

    assert list(booking.emails.filter(kind=EmailKind.REMINDER).values_list("for_start", "state")) == [
        (later, EmailState.QUEUED),
        (FRIDAY_TEN_AM, EmailState.CANCELLED),
    ]
    clock.move_to(FRIDAY_TEN_AM - timedelta(hours=47))
    run_due_tasks()
    assert _reminders(mailoutbox) == []
    clock.move_to(later - timedelta(hours=47))
    run_due_tasks()
    (reminder,) = _reminders(mailoutbox)
    assert "Sunday 6 December 2026" in reminder.subject


def test_moving_back_to_a_time_already_reminded_of_sends_no_second_reminder(clinic, patient, mailoutbox, clock):
    booking = _book(clinic, patient)
    clock.move_to(FRIDAY_TEN_AM - timedelta(hours=47))
    run_due_tasks()
    services.booking_reschedule(booking=booking, start=FRIDAY_TEN_AM + timedelta(hours=2), by_patient=False)
    services.booking_reschedule(booking=booking, start=FRIDAY_TEN_AM, by_patient=False)
    run_due_tasks()

    assert len(_reminders(mailoutbox)) == 1


def test_a_cancelled_booking_is_not_reminded(clinic, patient, mailoutbox, clock):
    booking = _book(clinic, patient)
    services.booking_cancel(booking=booking, by_patient=True)

    clock.move_to(FRIDAY_TEN_AM - timedelta(hours=47))
    run_due_tasks()

    assert _reminders(mailoutbox) == []
    assert booking.emails.get(kind=EmailKind.REMINDER).state == EmailState.CANCELLED


def test_a_cancelled_reminder_whose_task_still_runs_sends_nothing(clinic, patient, mailoutbox, clock):
    """The task re-reads the booking and decides: a reminder for a time the booking no longer
    has is not sent, even if it was never stood down."""
    booking = _book(clinic, patient)
    type(booking).objects.filter(pk=booking.pk).update(status=BookingStatus.CANCELLED)

    clock.move_to(FRIDAY_TEN_AM - timedelta(hours=47))
    run_due_tasks()

    assert _reminders(mailoutbox) == []
    assert booking.emails.get(kind=EmailKind.REMINDER).last_error == "The appointment was moved or cancelled."


def test_a_request_is_reminded_only_once_confirmed(clinic, patient):
    booking = _book(clinic, patient, channel=BookingChannel.PHONE, status=BookingStatus.REQUESTED)
    assert not booking.emails.filter(kind=EmailKind.REMINDER).exists()

    services.booking_set_status(booking=booking, status=BookingStatus.CONFIRMED)

    assert booking.emails.get(kind=EmailKind.REMINDER).next_attempt_at == FRIDAY_TEN_AM - timedelta(hours=48)


def test_the_clinic_chooses_when_and_may_add_one_on_the_morning(clinic, patient, mailoutbox, clock):
    BookingRules.objects.update(reminder_hours=24, morning_reminder=True)
    booking = _book(clinic, patient)

    due = dict(
        booking.emails.filter(kind__in=(EmailKind.REMINDER, EmailKind.MORNING_REMINDER)).values_list(
            "kind", "next_attempt_at"
        )
    )
    seven_am_sydney = datetime(2026, 12, 4, 20, 0, tzinfo=UTC)
    assert due == {EmailKind.REMINDER: FRIDAY_TEN_AM - timedelta(hours=24), EmailKind.MORNING_REMINDER: seven_am_sydney}
    clock.move_to(seven_am_sydney)
    run_due_tasks()
    assert [m.subject for m in _reminders(mailoutbox)] == [
        "Reminder: your SOLE THERAPY appointment on Saturday 5 December 2026"
    ]
    assert any(m.subject == "Today: your SOLE THERAPY appointment at 10:00 am" for m in mailoutbox)


def test_the_database_refuses_a_second_reminder_for_one_appointment_time(clinic, patient):
    booking = _book(clinic, patient)
    first = booking.emails.get(kind=EmailKind.REMINDER)

    with pytest.raises(IntegrityError), transaction.atomic():
        OutboxEmail.objects.create(
            booking=booking, kind=EmailKind.REMINDER, for_start=FRIDAY_TEN_AM, message_id="<another@example>"
        )
    assert OutboxEmail.objects.filter(kind=EmailKind.REMINDER).get() == first


def test_no_reminder_is_planned_when_the_clinic_turns_them_off(clinic, patient):
    BookingRules.objects.update(reminder_hours=0)

    booking = _book(clinic, patient)

    assert not booking.emails.filter(kind=EmailKind.REMINDER).exists()


def test_a_new_bookings_emails_due_now_share_one_task_and_its_reminder_waits_in_its_own(clinic, patient):
    from django_tasks_db.models import DBTaskResult

    booking = _book(clinic, patient)

    emails = {email.kind: email.pk for email in booking.emails.all()}
    tasks = {
        (task.task_path.rsplit(".", 1)[-1], task.run_after if task.run_after.year < 9999 else None): task.args_kwargs[
            "args"
        ]
        for task in DBTaskResult.objects.all()  # the backend stores "no wait" as the year 9999
    }
    assert set(emails) == {EmailKind.BOOKED, EmailKind.CLINIC_NEW, EmailKind.REMINDER}
    assert tasks == {
        ("deliver_emails", None): [[emails[EmailKind.BOOKED], emails[EmailKind.CLINIC_NEW]]],
        ("deliver_email", FRIDAY_TEN_AM - timedelta(hours=48)): [emails[EmailKind.REMINDER]],
    }
