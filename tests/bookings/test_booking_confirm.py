"""Booking steps 4 and 5 as a patient uses them: details, review and confirm, once and only once."""

import re
import threading
import uuid
from datetime import timedelta

import pytest
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bookings import links, services
from bookings.formfields import StartField
from bookings.models import Booking, BookingChannel, BookingStatus, Patient
from bookings.wording import start_value
from soletherapy.log_filters import redact
from tests.bookings.conftest import NOW, TEN_AM_SYDNEY_DEC_3
from tests.bookings.pages import (
    DETAILS,
    PRIVATE_VALUES,
    details_url,
    filled_in,
    fixed_clock,  # noqa: F401 (a fixture: the clock stands at NOW)
    link_of,
    post_details,
    reach_review,
    text,
)

pytestmark = pytest.mark.django_db


# Steps 4 and 5: details, review, confirm.


def test_a_patient_books_and_lands_on_their_booking_page(client, clinic):
    response = client.get(details_url(clinic))
    assert response.status_code == 200
    assert "Step 4 of 5" in text(response)
    assert "Thursday 3 December 2026" in text(response) and "10:00 am (Sydney time)" in text(response)

    review = reach_review(client, clinic)
    page = text(client.get(review))
    assert "Jordan O&#x27;Sole" in page and "jordan.sole@example.com" in page and "0412 345 678" in page
    assert "27 March 1985" in page and "Pain behind my left knee" in page
    assert Booking.objects.count() == 0

    confirmed = client.post(review)

    booking = Booking.objects.get()
    assert confirmed.status_code == 302
    assert confirmed["Location"] == links.manage_path(booking)
    assert booking.start == TEN_AM_SYDNEY_DEC_3
    assert booking.practitioner == clinic["practitioners"][0]
    assert booking.patient.phone.as_e164 == "+61412345678"
    assert booking.privacy_notice_version and booking.privacy_accepted_at == NOW
    assert booking.channel == BookingChannel.ONLINE
    manage = client.get(confirmed["Location"])
    assert f"Your appointment is booked. Your reference is {booking.reference}." in text(manage)


def test_first_available_books_whoever_is_free(client, clinic):
    review = reach_review(client, clinic, practitioner="any")
    assert "First available podiatrist" in text(client.get(review))

    client.post(review)

    assert Booking.objects.get().practitioner in clinic["practitioners"]


def test_confirming_twice_or_after_going_back_makes_one_booking(client, clinic):
    key = uuid.uuid4()
    review = reach_review(client, clinic, key=key)

    first = client.post(review)
    second = client.post(review)
    again = post_details(client, clinic, key=key, given_name="Changed")

    booking = Booking.objects.get()
    assert first["Location"] == second["Location"] == again["Location"] == links.manage_path(booking)
    assert Patient.objects.count() == 1
    assert "You have already made this booking" in text(client.get(second["Location"]))


def test_change_details_brings_back_the_answers(client, clinic):
    review = reach_review(client, clinic, notes="Ring the bell twice")
    change = re.search(r'href="([^"]+)">Change details', client.get(review).content.decode())[1].replace("&amp;", "&")

    form = client.get(change)

    html = form.content.decode()
    assert 'value="jordan.sole@example.com"' in html and "Ring the bell twice" in html
    assert review.rstrip("/").rsplit("/", 1)[-1] in html  # same key: still one booking


def test_a_time_taken_before_confirming_offers_the_nearest_times_and_keeps_the_details(client, clinic, patient):
    review = reach_review(client, clinic)
    services.booking_create(
        service=clinic["service"],
        location=clinic["location"],
        patient=patient,
        practitioner=clinic["practitioners"][0],
        start=TEN_AM_SYDNEY_DEC_3,
        channel=BookingChannel.PHONE,
    )
    patients = Patient.objects.count()

    response = client.post(review)

    page = text(response)
    assert response.status_code == 409
    assert "just been taken" in page
    assert "Jordan" in page and "jordan.sole@example.com" in page
    choices = re.findall(r'name="time_choice" value="([^"]+)"', response.content.decode())
    assert choices and f"{start_value(TEN_AM_SYDNEY_DEC_3)}|{clinic['practitioners'][1].pk}" in choices
    assert Booking.objects.count() == 1 and Patient.objects.count() == patients

    later = next(choice for choice in choices if not choice.startswith(start_value(TEN_AM_SYDNEY_DEC_3)))
    moved = client.post(
        reverse("bookings:review_change_time", kwargs={"key": review.split("/")[-2]}), {"time_choice": later}
    )
    assert moved["Location"] == review
    assert "Confirm booking" in text(client.get(review))
    client.post(review)
    assert Booking.objects.filter(
        patient__email="jordan.sole@example.com", start=StartField().clean(later.split("|")[0])
    )


def test_a_missing_or_expired_draft_gets_a_friendly_page(client, clinic):
    url = reverse("bookings:review", kwargs={"key": uuid.uuid4()})

    for response in (client.get(url), client.post(url)):
        assert response.status_code == 410
        assert "Start your booking again" in text(response)
    assert Booking.objects.count() == 0


def test_no_patient_detail_ever_appears_in_a_redirect(client, clinic):
    locations = []
    first = post_details(client, clinic)
    locations.append(first["Location"])
    second = client.post(first["Location"])
    locations.append(second["Location"])
    booking = Booking.objects.get()
    locations.append(client.post(reverse("bookings:cancel", kwargs=link_of(booking)))["Location"])

    for location in locations:
        # Random hex tokens and keys could contain "1985" by chance; they hold no patient detail.
        words = redact(location).lower()
        assert "[token]" in words or "[key]" in words, location
        assert not any(value.lower() in words for value in PRIVATE_VALUES), location


@pytest.mark.django_db(transaction=True)
def test_a_double_click_sending_two_confirms_at_once_makes_one_booking(clinic):
    """Without JavaScript nothing stops a double click: both presses reach the server together
    and the patient must see their booking, not "that time has just been taken"."""
    first = Client()
    review = reach_review(first, clinic)
    second = Client()
    second.cookies = first.cookies
    barrier = threading.Barrier(2)
    responses = []

    def confirm(client):
        barrier.wait()
        try:
            responses.append(client.post(review))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=confirm, args=(client,)) for client in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    booking = Booking.objects.get()
    assert Patient.objects.count() == 1
    assert [response.status_code for response in responses] == [302, 302]
    assert {response["Location"] for response in responses} == {links.manage_path(booking)}


@pytest.mark.parametrize("start", ["9999-12-31T23:00:00Z", "0001-01-01T00:00:00Z", "2999-12-31T23:59:00+14:00"])
def test_a_tampered_far_away_start_gets_a_clear_answer_not_an_error(client, clinic, start):
    url = reverse("bookings:details", kwargs={"service_slug": "assessment"})
    practitioner = clinic["practitioners"][0].pk

    shown = client.get(url, {"start": start, "practitioner": practitioner})
    sent = client.post(
        url, filled_in({**DETAILS, "start": start, "practitioner": practitioner, "idempotency_key": str(uuid.uuid4())})
    )

    assert shown.status_code in (200, 400) and sent.status_code in (200, 400, 409)
    assert "not available" in text(shown) or "could not find" in text(shown)
    assert Booking.objects.count() == 0 and Patient.objects.count() == 0


def test_a_service_the_clinic_confirms_is_sent_as_a_request(client, clinic):
    clinic["service"].confirmation = "request"
    clinic["service"].save()
    review = reach_review(client, clinic)

    page = text(client.get(review))
    client.post(review)

    assert "Check your booking request" in page and "Send booking request" in page
    assert "Confirm booking" not in page
    assert Booking.objects.get().status == BookingStatus.REQUESTED


def test_a_patient_booking_inside_the_change_window_is_told_before_confirming(client, clinic):
    tomorrow_morning = NOW + timedelta(hours=14)  # 10:00 tomorrow, Sydney time: under 24 hours away
    soon = text(client.get(reach_review(client, clinic, start=tomorrow_morning)))
    later = text(client.get(reach_review(Client(), clinic)))

    assert "less than 24 hours away" in soon and "cannot be changed or cancelled online" in soon
    assert "less than 24 hours away" not in later


@pytest.mark.parametrize(
    "stranger_details",
    [{}, {"given_name": "Casey", "email": "casey@example.com"}],
    ids=["with the patient's own name and email", "with other details"],
)
def test_someone_who_learns_another_patients_form_key_cannot_reach_their_booking(client, clinic, stranger_details):
    """The key is in the review page's address (history, proxy logs): replaying it from another
    browser, even with the patient's own name and email, must never lead to their booking."""
    review = reach_review(client, clinic)
    key = review.rstrip("/").split("/")[-1]
    client.post(review)
    booking = Booking.objects.get()

    stranger = Client()
    details = post_details(
        stranger, clinic, key=uuid.UUID(key), start=TEN_AM_SYDNEY_DEC_3 + timedelta(days=1), **stranger_details
    )
    assert details.status_code == 302
    response = stranger.post(details["Location"])

    assert response.status_code == 409
    assert "This booking has already been made" in text(response) and "check your email" in text(response)
    assert links.manage_token(booking.reference) not in response.get("Location", "") + response.content.decode()
    assert booking.reference not in response.content.decode()
    assert Booking.objects.count() == 1 and Patient.objects.count() == 1
    # The patient's own browser still gets back to their booking with the same key.
    assert client.post(review)["Location"] == links.manage_path(booking)


@pytest.mark.parametrize("practitioner", ["chosen", "any"])
@pytest.mark.django_db(transaction=True)  # no test transaction around it: its BEGIN would be a savepoint
def test_a_confirm_takes_a_fixed_number_of_queries(client, clinic, practitioner):
    """A typical confirm in a worker that has served bookings before: a new patient booking five
    days ahead (so a reminder is planned). The statements production runs: the session, the
    patient and its history, the bookings near the time, the booking and its history, its emails
    in one insert, their two tasks (now, and the reminder's), the waitlist, the session again.
    (BEGIN and COMMIT are not counted: PostgreSQL's driver sends them without a statement.)"""
    chosen = {"chosen": clinic["practitioners"][0].pk, "any": "any"}[practitioner]
    earlier = Client()
    assert (
        earlier.post(reach_review(earlier, clinic, practitioner=chosen, email="earlier@example.com")).status_code == 302
    )
    review = reach_review(client, clinic, start=TEN_AM_SYDNEY_DEC_3 + timedelta(days=3), practitioner=chosen)
    with CaptureQueriesContext(connections["default"]) as queries:
        confirmed = client.post(review)

    statements = [query["sql"] for query in queries.captured_queries]
    statements = [sql for sql in statements if sql.split()[0] not in ("BEGIN", "COMMIT")]
    assert confirmed.status_code == 302 and Booking.objects.count() == 2
    assert len(statements) == 12, "\n".join(sql[:100] for sql in statements)
    assert not any(sql.startswith("SAVEPOINT") for sql in statements)  # one attempt, one transaction
    booking = Booking.objects.latest("pk")
    assert sorted(booking.emails.values_list("kind", flat=True)) == ["booked", "clinic_new", "reminder"]
