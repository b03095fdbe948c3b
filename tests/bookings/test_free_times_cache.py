"""The week of free times is shared between visitors, but never offers a time that a booking
or a schedule change has taken away."""

from datetime import time, timedelta

import pytest
import time_machine
from django.urls import reverse

from bookings import services
from bookings.models import BookingChannel, TimeOff, WorkingHours
from tests.bookings.conftest import NOW, TEN_AM_SYDNEY_DEC_3

pytestmark = pytest.mark.django_db

# The link to book 10:00 am Sydney time on Thursday 3 December (23:00 UTC the day before).
OFFERED_10AM = "start=2026-12-02T23%3A00%3A00Z"
OFFERED_4_45PM = "start=2026-12-03T05%3A45%3A00Z"


@pytest.fixture(autouse=True)
def fixed_clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def url(clinic):
    path = reverse("bookings:times", kwargs={"service_slug": "assessment"})
    return f"{path}?practitioner={clinic['practitioners'][0].pk}&day=2026-12-03"


def offered(response) -> str:
    return response.content.decode()


def test_a_second_visitor_gets_the_week_without_touching_the_database(client, url, django_assert_num_queries):
    first = client.get(url)
    with django_assert_num_queries(0):
        second = client.get(url)

    assert second.status_code == 200
    assert second.content == first.content
    assert second["Cache-Control"].startswith("max-age=0") or "no-cache" in second["Cache-Control"]


def test_a_time_booked_a_moment_ago_is_not_offered_from_the_cache(client, clinic, patient, url):
    assert OFFERED_10AM in offered(client.get(url))

    services.booking_create(
        service=clinic["service"],
        location=clinic["location"],
        patient=patient,
        practitioner=clinic["practitioners"][0],
        start=TEN_AM_SYDNEY_DEC_3,
        channel=BookingChannel.PHONE,
    )

    assert OFFERED_10AM not in offered(client.get(url))


def test_schedule_changes_in_the_admin_show_at_once(client, clinic, url):
    practitioner = clinic["practitioners"][0]
    page = offered(client.get(url))
    assert OFFERED_10AM in page and OFFERED_4_45PM in page

    TimeOff.objects.create(
        practitioner=practitioner, start=TEN_AM_SYDNEY_DEC_3, end=TEN_AM_SYDNEY_DEC_3 + timedelta(hours=1)
    )
    assert OFFERED_10AM not in offered(client.get(url))

    WorkingHours.objects.filter(practitioner=practitioner).update(end=time(12))  # no signal from update()
    practitioner.save()  # ...but any save of the practitioner refreshes the schedule
    assert OFFERED_4_45PM not in offered(client.get(url))


def test_the_week_is_recomputed_each_minute_as_times_fall_inside_the_notice(
    client, url, fixed_clock, django_assert_max_num_queries
):
    client.get(url)
    fixed_clock.shift(timedelta(minutes=1))

    with django_assert_max_num_queries(30) as captured:
        client.get(url)

    assert len(captured) > 0
