"""The waitlist as patients use it: ask to hear of an earlier time, get offered a freed time in
the order they asked, book it through the usual steps, or find it gone; and leave at any time."""

import re
import threading
from datetime import date, timedelta
from urllib.parse import parse_qsl, urlsplit

import pytest
import time_machine
from django.db import connections
from django.test import Client
from django.urls import reverse

from bookings import services
from bookings.models import Booking, OfferState, WaitlistEntry, WaitlistOffer, WaitlistState
from bookings.services import waitlist
from bookings.waitlist_offers import offer_freed_time
from tests.bookings.conftest import NOW, TEN_AM_SYDNEY_DEC_3
from tests.bookings.pages import DETAILS, filled_in, text
from tests.worker import run_due_tasks

pytestmark = pytest.mark.django_db

THURSDAY = date(2026, 12, 3)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


def _join(client, clinic, *, name="Casey", email="casey@example.com", practitioner="any", **dates):
    url = reverse("bookings:waitlist_join", kwargs={"service_slug": "assessment"})
    data = {"practitioner": practitioner, "name": name, "email": email, "consent": "on"}
    return client.post(url, filled_in(data | {"earliest": "2026-12-03", "latest": "2026-12-04"} | dates))


def _booked_then_cancelled(clinic, patient, start=TEN_AM_SYDNEY_DEC_3, practitioner=None):
    booking = services.booking_create(
        service=clinic["service"],
        location=clinic["location"],
        patient=patient,
        practitioner=practitioner or clinic["practitioners"][0],
        start=start,
    )
    services.booking_cancel(booking=booking, by_patient=True)
    return booking


def _links(mailoutbox, to, marker):
    return [
        re.search(rf"(http\S+{marker}\S*)", m.body)[1] for m in mailoutbox if m.to == [to] and re.search(marker, m.body)
    ]


def _path(url):
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def _give_details(client, offer_url, email):
    """Follow an offer to the details step and fill it in as the patient would; the review's address."""
    step = client.get(_path(offer_url))
    assert step.status_code == 302 and "/book/assessment/details/" in step["Location"]
    chosen = dict(parse_qsl(urlsplit(step["Location"]).query))  # the hidden time fields of the form
    details = client.post(step["Location"], filled_in(DETAILS | chosen | {"email": email, "idempotency_key": ""}))
    assert details.status_code == 302, text(details)
    return details["Location"]


def test_a_patient_joins_from_the_times_page_and_can_leave(client, clinic, mailoutbox):
    times = client.get(reverse("bookings:times", kwargs={"service_slug": "assessment"}))
    assert "Tell me if an earlier time opens" in text(times)

    joined = _join(client, clinic)

    assert joined.status_code == 200 and "You are on the waitlist" in text(joined)
    entry = WaitlistEntry.objects.get()
    assert (entry.earliest, entry.latest, entry.practitioner, entry.state) == (
        THURSDAY,
        date(2026, 12, 4),
        None,
        WaitlistState.WAITING,
    )
    assert entry.privacy_notice_version and entry.privacy_accepted_at == NOW
    run_due_tasks()
    (leave,) = _links(mailoutbox, "casey@example.com", "/leave/")
    assert "Leave the waitlist?" in text(client.get(_path(leave)))
    assert "no longer on the waitlist" in text(client.post(_path(leave)))
    entry.refresh_from_db()
    assert entry.state == WaitlistState.LEFT


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"earliest": "2026-12-05", "latest": "2026-12-04"}, "The last day must not be before the first"),
        ({"earliest": "2027-06-01"}, "Choose a day from"),
        ({"email": "not-an-email"}, "Enter an email address like name@example.com"),
        ({"consent": ""}, "Tick the box to agree"),
        ({"practitioner": "999"}, "Select a valid choice"),
    ],
)
def test_a_waitlist_form_with_a_mistake_says_what_to_fix_and_saves_nothing(client, clinic, answers, message):
    response = _join(client, clinic, **answers)

    assert response.status_code == 400 and message in text(response)
    assert not WaitlistEntry.objects.exists()


def test_a_cancelled_time_is_offered_to_the_first_patients_it_suits_in_the_order_they_asked(
    client, clinic, patient, mailoutbox
):
    alex, sam = clinic["practitioners"]
    for name, extra in [
        ("First", {}),
        ("Wants Sam", {"practitioner": str(sam.pk)}),
        ("Second", {"practitioner": str(alex.pk)}),
        ("Too late", {"earliest": "2026-12-04"}),
        ("Third", {}),
        ("Fourth", {}),
    ]:
        _join(Client(), clinic, name=name, email=f"{name.replace(' ', '').lower()}@example.com", **extra)
    run_due_tasks()
    mailoutbox.clear()

    _booked_then_cancelled(clinic, patient)  # 10:00 with Alex on Thursday
    run_due_tasks()

    offered = {m.to[0] for m in mailoutbox if m.subject == "A time has opened at SOLE THERAPY"}
    assert offered == {"first@example.com", "second@example.com", "third@example.com"}
    assert {o.start for o in WaitlistOffer.objects.all()} == {TEN_AM_SYDNEY_DEC_3}
    offer_email = next(m for m in mailoutbox if m.to == ["first@example.com"])
    assert "Thursday 3 December 2026 at 10:00 am (Sydney time)" in offer_email.body and "Alex Foot" in offer_email.body


def test_the_first_patient_to_book_an_offered_time_gets_it_and_the_next_finds_it_gone(
    client, clinic, patient, mailoutbox
):
    for name in ("first", "second"):
        _join(
            Client(),
            clinic,
            name=name.title(),
            email=f"{name}@example.com",
            practitioner=str(clinic["practitioners"][0].pk),
        )
    _booked_then_cancelled(clinic, patient)
    run_due_tasks()
    first, second = Client(), Client()
    (first_offer,) = _links(mailoutbox, "first@example.com", "/waitlist/offer/")
    (second_offer,) = _links(mailoutbox, "second@example.com", "/waitlist/offer/")

    confirmed = first.post(_give_details(first, first_offer, "first@example.com"))
    assert confirmed.status_code == 302 and "/booking/" in confirmed["Location"]

    late = second.get(_path(second_offer))
    assert late.status_code == 410 and "Sorry, this time has gone" in text(late)
    assert "still on the waitlist" in text(late)
    assert Booking.objects.filter(start=TEN_AM_SYDNEY_DEC_3).exclude(status="cancelled").count() == 1
    assert WaitlistEntry.objects.get(email="first@example.com").state == WaitlistState.BOOKED
    assert WaitlistOffer.objects.get(entry__email="second@example.com").state == OfferState.GONE


@pytest.mark.django_db(transaction=True)
def test_two_patients_claiming_an_offered_time_at_once_leave_one_booking(clinic, patient, mailoutbox):
    practitioner = clinic["practitioners"][0]
    for name in ("first", "second"):
        _join(Client(), clinic, name=name.title(), email=f"{name}@example.com", practitioner=str(practitioner.pk))
    _booked_then_cancelled(clinic, patient)
    run_due_tasks()
    reviews = []
    clients = [Client(), Client()]
    for client, name in zip(clients, ("first", "second"), strict=True):
        (offer,) = _links(mailoutbox, f"{name}@example.com", "/waitlist/offer/")
        reviews.append(_give_details(client, offer, f"{name}@example.com"))
    barrier, responses = threading.Barrier(2), []

    def confirm(client, review):
        barrier.wait()
        try:
            responses.append(client.post(review).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=confirm, args=pair) for pair in zip(clients, reviews, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(responses) == [302, 409]
    assert Booking.objects.filter(start=TEN_AM_SYDNEY_DEC_3).exclude(status="cancelled").count() == 1


def test_time_off_taken_away_in_the_admin_is_offered_too(admin_client, clinic, mailoutbox):
    from bookings.models import TimeOff

    alex = clinic["practitioners"][0]
    away = TimeOff.objects.create(
        practitioner=alex, start=TEN_AM_SYDNEY_DEC_3, end=TEN_AM_SYDNEY_DEC_3 + timedelta(hours=2)
    )
    _join(Client(), clinic, practitioner=str(alex.pk))
    run_due_tasks()
    mailoutbox.clear()

    admin_client.post(
        f"/admin/bookings/practitioner/{alex.pk}/change/",
        {
            "name": alex.name,
            "slug": alex.slug,
            "profession": alex.profession,
            "bio": "",
            "services": [clinic["service"].pk],
            "locations": [clinic["location"].pk],
            "active": "on",
            "working_hours-TOTAL_FORMS": "0",
            "working_hours-INITIAL_FORMS": "0",
            "time_off-TOTAL_FORMS": "1",
            "time_off-INITIAL_FORMS": "1",
            "time_off-0-id": away.pk,
            "time_off-0-practitioner": alex.pk,
            "time_off-0-start_0": "2026-12-03",
            "time_off-0-start_1": "10:00",
            "time_off-0-end_0": "2026-12-03",
            "time_off-0-end_1": "12:00",
            "time_off-0-DELETE": "on",
        },
    )
    run_due_tasks()

    assert not TimeOff.objects.exists()
    assert [m.to for m in mailoutbox if m.subject == "A time has opened at SOLE THERAPY"] == [["casey@example.com"]]


def test_entries_end_when_their_last_day_has_passed(clinic):
    _join(Client(), clinic)

    assert waitlist.waitlist_end_passed(today=date(2026, 12, 4)) == 0
    assert waitlist.waitlist_end_passed(today=date(2026, 12, 5)) == 1
    assert WaitlistEntry.objects.get().state == WaitlistState.ENDED
    assert (
        offer_freed_time(
            practitioner_id=clinic["practitioners"][0].pk,
            location_id=clinic["location"].pk,
            start=TEN_AM_SYDNEY_DEC_3,
            end=TEN_AM_SYDNEY_DEC_3 + timedelta(hours=1),
        )
        == 0
    )


def test_staff_see_the_waitlist_and_can_take_someone_off(admin_client, clinic):
    _join(Client(), clinic)
    entry = WaitlistEntry.objects.get()

    listed = admin_client.get("/admin/bookings/waitlistentry/").content.decode()
    assert "casey@example.com" in listed and "Waiting" in listed
    admin_client.post("/admin/bookings/waitlistentry/", {"action": "take_off_waitlist", "_selected_action": [entry.pk]})
    entry.refresh_from_db()
    assert entry.state == WaitlistState.LEFT
