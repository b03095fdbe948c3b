"""Booking steps 1 to 3 as a patient uses them: the service, who with and when. The clock is fixed
at NOW (Tuesday 1 December 2026, 20:00 in Sydney), so the free times are known."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bookings import services
from bookings.models import Booking, BookingChannel, ClinicClosure, Service
from tests.bookings.conftest import TEN_AM_SYDNEY_DEC_3
from tests.bookings.pages import (
    details_url,
    fixed_clock,  # noqa: F401 (a fixture: the clock stands at NOW)
    reach_review,
    text,
)

pytestmark = pytest.mark.django_db


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
    assert "1 hour · Fee: $120" in page
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


@pytest.mark.parametrize("concern", ["<b>nope</b>", "hamstring\x00"])
def test_an_unknown_or_mangled_concern_is_quietly_ignored(client, clinic, conditions, concern):
    for step in (reverse("bookings:start"), reverse("bookings:times", kwargs={"service_slug": "assessment"})):
        response = client.get(step, {"concern": concern}, follow=True)

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


def test_a_full_month_leads_to_the_first_free_day_of_the_next(client, clinic):
    ClinicClosure.objects.create(location=clinic["location"], start_date=date(2026, 12, 1), end_date=date(2027, 1, 4))

    response = client.get(reverse("bookings:times", kwargs={"service_slug": "assessment"}))

    page, html = text(response), response.content.decode()
    assert response.status_code == 200
    assert "January 2027" in page
    assert "Times from Tuesday 5 January to Monday 11 January" in page
    assert 'aria-label="Tuesday 5 January, times available"' in html
    assert 'aria-label="Monday 4 January, times available"' not in html
    assert "Earlier times" in page  # the month before is still there to look at


def test_a_month_with_a_free_day_reads_the_bookings_of_that_month_and_the_week_only(client, clinic):
    url = reverse("bookings:times", kwargs={"service_slug": "assessment"})
    client.get(url)  # the worker's first request reads the clinic, the service, the team and the rules
    with CaptureQueriesContext(connection) as queries:
        client.get(url + "?practitioner=any")
    (bookings,) = [q["sql"] for q in queries.captured_queries if 'FROM "bookings_booking"' in q["sql"]]
    # From the first bookable day to the week after the month's end, not two months of the diary.
    assert "2026-12-01" in bookings or "2026-11-30" in bookings
    assert "2027-01-0" in bookings and "2027-02" not in bookings


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("month=banana", "could not read that month"),
        ("month=99999999999-1", "could not read that month"),
        ("month=2026-13", "could not read that month"),
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
    client.get(url)  # a worker's first request also reads the clinic, the service, the team and the rules
    with django_assert_num_queries(6):  # a month this worker has not read the rota of: 5, and the bookings
        client.get(url + "&month=2027-01")
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

    with django_assert_num_queries(1):  # the bookings, all the rest kept by the worker
        response = client.get(url)
    assert response.status_code == 200


def test_the_review_step_names_the_length_end_time_and_fee(client, clinic):
    Service.objects.filter(pk=clinic["service"].pk).update(price="135", price_from=True)

    review = text(client.get(reach_review(client, clinic)))

    assert "Length 1 hour, until 11:00 am" in review
    assert "Fee From $135" in review


def test_on_a_phone_the_chosen_time_is_summed_up_above_the_details_form(client, clinic):
    html = client.get(details_url(clinic)).content.decode()

    summary = html.index('class="appointment-summary d-lg-none"')
    assert summary < html.index('<form method="post"')
    assert "Thursday 3 December 2026, 10:00 am (Sydney time), with Alex Foot" in text(client.get(details_url(clinic)))


def test_what_a_worker_keeps_of_the_services_and_team_follows_the_admin_at_once(client, clinic):
    """The services, the team and who offers what are kept by each worker; a change made in the
    admin (saved like any other) is on the next page, even in a worker that has shown them."""
    service, sam = clinic["service"], clinic["practitioners"][1]
    details = details_url(clinic, practitioner=sam.pk)
    assert client.get(details).status_code == 200

    sam.services.remove(service)
    assert client.get(details).status_code == 400  # Sam no longer offers it: not a time to book
    sam.services.add(service)
    sam.name = "Sam Arch"
    sam.save()
    assert "with Sam Arch" in text(client.get(details))

    service.active = False
    service.save()
    assert client.get(details).status_code == 404
