"""The booking pages as a patient uses them: choose, give details, review, confirm, and later
reschedule or cancel from the emailed link. The clock is fixed at NOW (Tuesday 1 December 2026,
20:00 in Sydney), so the free times are known."""

import re
import threading
import uuid
from datetime import datetime, timedelta
from urllib.parse import urlencode

import pytest
import time_machine
from django.db import connections
from django.test import Client
from django.urls import reverse

from bookings import links, services
from bookings.formfields import StartField
from bookings.models import Booking, BookingChannel, BookingStatus, Patient, Service
from bookings.wording import start_value
from conditions.content import content_load
from soletherapy.log_filters import redact
from tests.bookings.conftest import NOW, TEN_AM_SYDNEY_DEC_3

pytestmark = pytest.mark.django_db

DETAILS = {
    "given_name": "Jordan",
    "family_name": "O'Sole",
    "email": "jordan.sole@example.com",
    "phone": "0412 345 678",
    "date_of_birth": "1985-03-27",
    "is_returning": "no",
    "concern": "",
    "concern_text": "Pain behind my left knee when I run",
    "notes": "",
    "consent": "on",
}
PRIVATE_VALUES = ("Jordan", "Sole", "jordan.sole", "412345678", "1985", "knee")


@pytest.fixture(autouse=True)
def fixed_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def conditions(db):
    content_load()


def details_url(clinic, *, start=TEN_AM_SYDNEY_DEC_3, practitioner=None, service="assessment", **params):
    practitioner = practitioner if practitioner is not None else clinic["practitioners"][0].pk
    start = start_value(start) if isinstance(start, datetime) else start
    query = urlencode({"start": start, "practitioner": practitioner, **params})
    return reverse("bookings:details", kwargs={"service_slug": service}) + "?" + query


def post_details(client, clinic, *, start=TEN_AM_SYDNEY_DEC_3, practitioner=None, key=None, **answers):
    practitioner = practitioner if practitioner is not None else clinic["practitioners"][0].pk
    data = DETAILS | answers
    data |= {
        "start": start_value(start) if isinstance(start, datetime) else start,
        "practitioner": practitioner,
        "idempotency_key": str(key or uuid.uuid4()),
    }
    return client.post(details_url(clinic, start=start, practitioner=practitioner), data)


def reach_review(client, clinic, **kwargs) -> str:
    response = post_details(client, clinic, **kwargs)
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


def text(response) -> str:
    """The page as words, without markup, so assertions read like what a patient sees."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# Step 1: the services.


def test_the_assessment_comes_first_explained_with_its_length_and_price(client, clinic):
    assessment = clinic["service"]
    assessment.description = "We look at how you **walk and run**."
    assessment.price = "120"
    assessment.save()
    Service.objects.create(name="Needling follow-up", slug="needling", duration_minutes=30, position=5)
    Service.objects.create(name="Home visit", slug="home-visit", bookable_online=False, position=6)

    response = client.get(reverse("bookings:start"))

    page = text(response)
    assert response.status_code == 200
    assert page.index("Comprehensive biomechanical assessment") < page.index("Needling follow-up")
    assert "<strong>walk and run</strong>" in response.content.decode()
    assert "1 hour · $120.00" in page
    assert "30 minutes" in page and "Needling follow-up (30 minutes · $" not in page
    assert "Phone to book" in page and "Home visit" in page and "(02) 5550 1234" in page
    assert 'href="/book/assessment/"' in response.content.decode()
    assert 'href="/book/home-visit/"' not in response.content.decode()


@pytest.mark.parametrize("slug", ["no-such-service", "home-visit", "retired"])
def test_a_service_that_cannot_be_booked_online_is_not_found(client, clinic, slug):
    Service.objects.create(name="Home visit", slug="home-visit", bookable_online=False)
    Service.objects.create(name="Retired", slug="retired", active=False)

    for name in ("practitioner", "times", "details"):
        response = client.get(reverse(f"bookings:{name}", kwargs={"service_slug": slug}))
        assert response.status_code == 404
        assert "cannot find that page" in text(response)


# Step 2: who with.


def test_first_available_is_chosen_unless_the_patient_picks_someone(client, clinic):
    response = client.get(reverse("bookings:practitioner", kwargs={"service_slug": "assessment"}))

    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'value="any" checked', html)
    assert "Alex Foot" in html and "Sam Heel" in html
    assert "Step 2 of 5" in text(response)


# The concern travels with the patient.


def test_a_concern_from_a_condition_page_is_shown_on_every_step_and_preselected(client, clinic, conditions):
    concern = "?concern=hamstring-insertion-pain"
    pages = [
        reverse("bookings:start") + concern,
        reverse("bookings:practitioner", kwargs={"service_slug": "assessment"}) + concern,
        reverse("bookings:times", kwargs={"service_slug": "assessment"}) + concern,
        details_url(clinic, concern="hamstring-insertion-pain"),
    ]
    for url in pages:
        response = client.get(url)
        assert "Booking about: Hamstring insertion pain" in text(response), url
    assert 'value="hamstring-insertion-pain" selected' in response.content.decode()

    times = client.get(pages[2]).content.decode()
    assert "concern=hamstring-insertion-pain" in re.search(r'href="(/book/assessment/details/[^"]+)"', times)[1]

    review = reach_review(client, clinic, concern="hamstring-insertion-pain")
    assert "Booking about: Hamstring insertion pain" in text(client.get(review))
    client.post(review)
    assert Booking.objects.get().concern.slug == "hamstring-insertion-pain"


def test_an_unknown_concern_is_quietly_ignored(client, clinic, conditions):
    response = client.get(reverse("bookings:start") + "?concern=<b>nope</b>")

    assert response.status_code == 200
    assert "Booking about" not in text(response)


# Step 3: the times.


def test_the_month_links_days_with_times_and_the_week_lists_times_in_sydney_time(client, clinic):
    url = reverse("bookings:times", kwargs={"service_slug": "assessment"})
    response = client.get(url + f"?practitioner={clinic['practitioners'][0].pk}")

    html, page = response.content.decode(), text(response)
    assert response.status_code == 200
    assert "<caption" in html and "December 2026" in page
    assert 'aria-label="Thursday 3 December, times available"' in html
    # Today (from 8 pm) has no times left, so it is plain text, and the week starts tomorrow.
    assert 'aria-label="Tuesday 1 December, times available"' not in html
    assert "Times from Wednesday 2 December to Tuesday 8 December" in page
    assert "Sydney time" in page
    assert "8:00 am with Alex Foot" in page and "4:45 pm with Alex Foot" in page
    assert "Sam Heel" not in page.split("Times from")[1]
    first_time = re.search(r'href="(/book/assessment/details/\?[^"]+)"', html)[1].replace("&amp;", "&")
    assert "start=2026-12-01T21%3A00%3A00Z" in first_time


def test_first_available_lists_each_time_once(client, clinic):
    response = client.get(reverse("bookings:times", kwargs={"service_slug": "assessment"}) + "?day=2026-12-03")

    thursday = text(response).split("Thursday 3 December")[-1].split("Friday 4 December")[0]
    assert thursday.count("10:00 am with") == 1
    assert "Times from Thursday 3 December" in text(response)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("month=banana", "could not read that month"),
        ("day=2027-06-01", "cannot be booked online"),
        ("day=2026-11-30", "cannot be booked online"),
        ("day=31-12-2026", "could not read that day"),
        ("month=2030-01", "That month cannot be booked online"),
        ("practitioner=999", "does not offer this appointment online"),
    ],
)
def test_bad_times_addresses_explain_and_show_the_first_free_times(client, clinic, query, message):
    response = client.get(reverse("bookings:times", kwargs={"service_slug": "assessment"}) + "?" + query)

    assert response.status_code == 200
    assert message in text(response)
    assert "Times from Wednesday 2 December" in text(response)


def test_a_practitioner_who_does_not_offer_the_service_is_not_offered(client, clinic):
    other = Service.objects.create(name="Other", slug="other")
    outsider = clinic["practitioners"][1]
    outsider.services.set([other])

    response = client.get(
        reverse("bookings:times", kwargs={"service_slug": "assessment"}) + f"?practitioner={outsider.pk}"
    )

    assert "does not offer this appointment online" in text(response)
    assert "Sam Heel" not in text(response).split("Times from")[1]


def test_the_times_page_costs_the_same_queries_however_many_bookings(
    client, clinic, patient, django_assert_num_queries
):
    url = reverse("bookings:times", kwargs={"service_slug": "assessment"}) + "?practitioner=any"
    with django_assert_num_queries(11):
        client.get(url)
    practitioner = clinic["practitioners"][0]
    for day in range(1, 30):
        services.booking_create(
            service=clinic["service"],
            location=clinic["location"],
            patient=patient,
            practitioner=practitioner,
            start=TEN_AM_SYDNEY_DEC_3 + timedelta(days=day),
            channel=BookingChannel.PHONE,
            outside_hours_ok=True,  # Christmas and Boxing Day are among them
        )

    with django_assert_num_queries(11):
        response = client.get(url)
    assert response.status_code == 200


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
    locations.append(client.post(reverse("bookings:cancel", kwargs=_link(booking)))["Location"])

    for location in locations:
        # Random hex tokens and keys could contain "1985" by chance; they hold no patient detail.
        words = redact(location).lower()
        assert "[token]" in words or "[key]" in words, location
        assert not any(value.lower() in words for value in PRIVATE_VALUES), location


# The patient's booking page.


def _link(booking):
    return {"reference": booking.reference, "token": links.manage_token(booking.reference)}


def _booked(clinic, patient, start=TEN_AM_SYDNEY_DEC_3):
    return services.booking_create(
        service=clinic["service"],
        location=clinic["location"],
        patient=patient,
        practitioner=clinic["practitioners"][0],
        start=start,
        notes="Private note",
    )


def test_the_booking_page_needs_the_right_link_and_is_never_cached(client, clinic, patient):
    patient.date_of_birth = "1970-01-02"
    patient.save()
    booking = _booked(clinic, patient)

    response = client.get(links.manage_path(booking))

    page = text(response)
    assert response.status_code == 200
    assert booking.reference in page and "Confirmed" in page
    assert "Thursday 3 December 2026" in page and "10:00 am (Sydney time)" in page and "Alex Foot" in page
    assert "1 Test Street" in page and "(02) 5550 1234" in page
    assert "Private note" not in page and "1970" not in page
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex"
    wrong = {"reference": booking.reference, "token": "0" * 32}
    assert client.get(reverse("bookings:manage", kwargs=wrong)).status_code == 404
    assert client.get(reverse("bookings:cancel", kwargs=wrong)).status_code == 404
    assert client.post(reverse("bookings:cancel", kwargs=wrong)).status_code == 404
    assert client.get(reverse("bookings:manage", kwargs=_link(booking) | {"reference": "ZZZZZZZZ"})).status_code == 404
    assert Booking.objects.get().status == BookingStatus.CONFIRMED


def test_a_patient_cancels_from_their_link(client, clinic, patient):
    booking = _booked(clinic, patient)
    page = client.get(reverse("bookings:cancel", kwargs=_link(booking)))
    assert "Yes, cancel my booking" in text(page)

    response = client.post(reverse("bookings:cancel", kwargs=_link(booking)))

    assert response["Location"] == links.manage_path(booking)
    assert Booking.objects.get().status == BookingStatus.CANCELLED
    after = text(client.get(response["Location"]))
    assert f"Your booking {booking.reference} is cancelled." in after
    assert "Reschedule" not in after


def test_within_24_hours_the_patient_is_asked_to_phone(client, clinic, patient):
    booking = _booked(clinic, patient)

    with time_machine.travel(TEN_AM_SYDNEY_DEC_3 - timedelta(hours=23), tick=False):
        manage = client.get(links.manage_path(booking))
        cancel = client.post(reverse("bookings:cancel", kwargs=_link(booking)))
        move = client.post(
            reverse("bookings:reschedule_confirm", kwargs=_link(booking)),
            {
                "start": start_value(TEN_AM_SYDNEY_DEC_3 + timedelta(days=1)),
                "practitioner": booking.practitioner_id,
            },
        )

    assert "please phone us on (02) 5550 1234" in text(manage)
    assert "Cancel booking" not in text(manage)
    assert cancel.status_code == 409 and "Please phone the clinic" in text(cancel)
    assert move.status_code == 409 and "cannot be changed online" in text(move)
    assert Booking.objects.get().status == BookingStatus.CONFIRMED
    assert Booking.objects.get().start == TEN_AM_SYDNEY_DEC_3


def test_a_patient_moves_their_booking_to_another_time(client, clinic, patient):
    booking = _booked(clinic, patient)
    picker = client.get(reverse("bookings:reschedule", kwargs=_link(booking)) + "?day=2026-12-04")
    assert picker.status_code == 200
    html = picker.content.decode()
    assert "Times from Friday 4 December" in text(picker)
    new_time = re.search(r'href="([^"]+/reschedule/confirm/\?[^"]+)"', html)[1].replace("&amp;", "&")

    confirm = client.get(new_time)
    assert "Move my booking" in text(confirm)
    moved = client.post(
        new_time.split("?")[0], {"start": "2026-12-03T21:00:00Z", "practitioner": booking.practitioner_id}
    )

    booking.refresh_from_db()
    assert moved["Location"] == links.manage_path(booking)
    assert booking.start == datetime.fromisoformat("2026-12-03T21:00:00+00:00")
    assert "is now on Friday 4 December 2026 at 8:00 am" in text(client.get(moved["Location"]))


def test_moving_to_a_taken_time_offers_others(client, clinic, patient):
    booking = _booked(clinic, patient)
    other = _booked(clinic, patient, start=TEN_AM_SYDNEY_DEC_3 + timedelta(days=1))

    response = client.post(
        reverse("bookings:reschedule_confirm", kwargs=_link(booking)),
        {"start": start_value(other.start), "practitioner": other.practitioner_id},
    )

    assert response.status_code == 409
    assert "not available" in text(response) and "Free times near it" in text(response)
    booking.refresh_from_db()
    assert booking.start == TEN_AM_SYDNEY_DEC_3


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


def test_a_patient_can_move_their_booking_by_half_an_hour_over_its_own_time(client, clinic, patient):
    booking = _booked(clinic, patient)  # 10:00-11:00 on Thursday 3 December
    half_past = start_value(TEN_AM_SYDNEY_DEC_3 + timedelta(minutes=30))

    picker = client.get(
        reverse("bookings:reschedule", kwargs=_link(booking))
        + f"?day=2026-12-03&practitioner={booking.practitioner_id}"
    )

    assert f"start={half_past.replace(':', '%3A')}" in picker.content.decode()
    moved = client.post(
        reverse("bookings:reschedule_confirm", kwargs=_link(booking)),
        {"start": half_past, "practitioner": booking.practitioner_id},
    )
    assert moved.status_code == 302
    booking.refresh_from_db()
    assert booking.start == TEN_AM_SYDNEY_DEC_3 + timedelta(minutes=30)


@pytest.mark.parametrize("start", ["9999-12-31T23:00:00Z", "0001-01-01T00:00:00Z", "2999-12-31T23:59:00+14:00"])
def test_a_tampered_far_away_start_gets_a_clear_answer_not_an_error(client, clinic, start):
    url = reverse("bookings:details", kwargs={"service_slug": "assessment"})
    practitioner = clinic["practitioners"][0].pk

    shown = client.get(url, {"start": start, "practitioner": practitioner})
    sent = client.post(
        url, {**DETAILS, "start": start, "practitioner": practitioner, "idempotency_key": str(uuid.uuid4())}
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


def test_a_cancelled_booking_page_no_longer_talks_about_changing_it(client, clinic, patient):
    booking = _booked(clinic, patient)
    client.post(reverse("bookings:cancel", kwargs=_link(booking)))

    page = text(client.get(links.manage_path(booking)))

    assert "anyone with it can change this booking" not in page
    assert "Make a new booking" in page


def test_moving_a_booking_inside_the_change_window_warns_before_confirming(client, clinic, patient):
    booking = _booked(clinic, patient, start=TEN_AM_SYDNEY_DEC_3 + timedelta(days=2))
    confirm_url = reverse("bookings:reschedule_confirm", kwargs=_link(booking))
    practitioner = booking.practitioner_id

    soon = text(
        client.get(confirm_url, {"start": start_value(NOW + timedelta(hours=14)), "practitioner": practitioner})
    )
    later = text(client.get(confirm_url, {"start": start_value(TEN_AM_SYDNEY_DEC_3), "practitioner": practitioner}))

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


def test_times_offered_instead_of_a_taken_one_may_overlap_the_booking_being_moved(client, clinic, patient):
    clinic["practitioners"][1].delete()  # one practitioner, so every alternative is with them
    booking = _booked(clinic, patient)  # 10:00-11:00 (+10 min clean-up) on Thursday 3 December
    taken = _booked(clinic, patient, start=TEN_AM_SYDNEY_DEC_3 + timedelta(hours=2))  # 12:00, same practitioner

    response = client.post(
        reverse("bookings:reschedule_confirm", kwargs=_link(booking)),
        {"start": start_value(taken.start), "practitioner": booking.practitioner_id},
    )

    assert response.status_code == 409
    assert "10:45 am" in text(response)  # overlaps the booking's own time, which is moving anyway
