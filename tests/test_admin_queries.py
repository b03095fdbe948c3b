"""Every admin page costs the same number of queries however many rows it shows: a busy clinic's
patient with years of bookings, a practitioner with many hours, a page with many sections."""

from datetime import date, time, timedelta

import pytest
import time_machine
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bookings.models import (
    Answer,
    Booking,
    BookingChannel,
    BookingRules,
    ClinicClosure,
    EmailKind,
    OpeningHours,
    OutboxEmail,
    PublicHolidayOpening,
    Questionnaire,
    TimeOff,
    WorkingHours,
)
from bookings.selectors import forget_main_location
from conditions.models import BodyArea, ConditionSection, TreatmentSection
from tests.bookings.conftest import NOW, TEN_AM_SYDNEY_DEC_3
from tests.bookings.factories import make_booking, make_location, make_patient, make_practitioner, make_service
from tests.conditions.conftest import make_condition, make_treatment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fixed_clock():
    with time_machine.travel(NOW, tick=False):
        yield


class Clinic:
    """One of each thing the admin shows, to which `grow` adds rows of every kind."""

    def __init__(self):
        self.location = make_location()
        self.service = make_service()
        self.practitioner = make_practitioner(services=[self.service], locations=[self.location])
        self.patient = make_patient()
        self.condition = make_condition(sections=[("What is it?", "Words.")])
        self.treatment = make_treatment(sections=[("What happens", "Words.")])
        self.condition.treatments.add(self.treatment)
        BookingRules.objects.create()
        self.rows = 0

    def grow(self, count: int) -> None:
        for _ in range(count):
            n = self.rows = self.rows + 1
            day = date(2027, 1, 1) + timedelta(days=n)
            practitioner = make_practitioner(services=[self.service], locations=[self.location])
            booking = make_booking(
                practitioner=self.practitioner,
                location=self.location,
                service=self.service,
                start=TEN_AM_SYDNEY_DEC_3 + timedelta(days=n),
                patient=self.patient,
            )
            Booking.objects.filter(pk=booking.pk).update(channel=BookingChannel.PHONE, concern=self.condition)
            for kind in (EmailKind.BOOKED, EmailKind.CLINIC_NEW):
                OutboxEmail.objects.create(booking=booking, kind=kind, message_id=f"<{kind}-{n}@test>", sent_at=NOW)
            make_booking(
                practitioner=practitioner,
                location=self.location,
                service=make_service(),
                start=TEN_AM_SYDNEY_DEC_3 + timedelta(days=n),
            )
            WorkingHours.objects.create(
                practitioner=self.practitioner, location=self.location, weekday=n % 7, start=time(8), end=time(9)
            )
            TimeOff.objects.create(
                practitioner=self.practitioner,
                start=TEN_AM_SYDNEY_DEC_3 + timedelta(days=100 + n),
                end=TEN_AM_SYDNEY_DEC_3 + timedelta(days=100 + n, hours=1),
            )
            OpeningHours.objects.create(location=self.location, weekday=n % 7, opens=time(8), closes=time(9))
            ClinicClosure.objects.create(location=self.location, start_date=day, end_date=day)
            PublicHolidayOpening.objects.create(location=self.location, date=day)
            ConditionSection.objects.create(condition=self.condition, position=n + 1, heading=f"Part {n}", body="Text.")
            TreatmentSection.objects.create(treatment=self.treatment, position=n + 1, heading=f"Step {n}", body="Text.")
            make_condition(area=BodyArea.objects.create(name=f"Area {n}", slug=f"area-{n}"))
            make_treatment()
            make_location()

    def pages(self) -> list[str]:
        """Every admin page staff open: each model's list and add pages, and the change and
        history pages of the rows that grow."""
        booking = Booking.objects.filter(patient=self.patient).first()
        rows = [
            booking,
            booking.emails.first(),
            self.patient,
            self.practitioner,
            self.location,
            self.service,
            BookingRules.objects.get(),
            self.condition,
            self.treatment,
        ]
        pages = [reverse("admin:index")]
        for model in admin.site._registry:
            opts = model._meta
            if opts.app_label not in ("bookings", "conditions"):
                continue
            pages.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
            pages.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
        for row in rows:
            opts = row._meta
            pages.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[row.pk]))
            pages.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[row.pk]))
        return pages


def _queries(client, pages) -> dict[str, int]:
    counts = {}
    for page in pages:
        forget_main_location()  # each page reads the clinic as if for the first time
        with CaptureQueriesContext(connection) as captured:
            response = client.get(page)
        assert response.status_code in (200, 403), (page, response.status_code)
        counts[page] = len(captured)
    return counts


def test_every_admin_page_costs_the_same_queries_for_one_row_or_ten(admin_client):
    clinic = Clinic()
    clinic.grow(1)
    pages = clinic.pages()
    _queries(admin_client, pages)  # first visits warm the content types and permissions caches
    with_one = _queries(admin_client, pages)

    clinic.grow(9)
    with_ten = _queries(admin_client, pages)

    grew = {page: (with_one[page], with_ten[page]) for page in pages if with_ten[page] != with_one[page]}
    assert grew == {}, f"queries (1 row, 10 rows) that grow with the rows shown: {grew}"
    assert len(pages) > 25


def test_a_patient_page_with_ten_bookings_takes_a_fixed_small_number_of_queries(
    admin_client, django_assert_max_num_queries
):
    clinic = Clinic()
    clinic.grow(10)
    for booking in Booking.objects.filter(patient=clinic.patient):
        questionnaire = Questionnaire.objects.create(
            booking=booking, privacy_notice_version="1", consented_at=booking.start
        )
        Answer.objects.create(
            questionnaire=questionnaire, question_text="Where?", kind="text", step="visit", value="Knee"
        )
    url = reverse("admin:bookings_patient_change", args=[clinic.patient.pk])
    admin_client.get(url)

    with django_assert_max_num_queries(14):  # 9, questionnaires, answers, typed details, view log, sign-in step
        response = admin_client.get(url)

    assert response.status_code == 200
    assert response.content.decode().count("Where?") == 10
    assert response.content.decode().count(f"Booking {Booking.objects.filter(patient=clinic.patient)[0].reference}")


@pytest.mark.parametrize("when, direction", [("all", "ASC"), ("past", "DESC")])
def test_the_booking_list_reads_the_index_on_the_start_in_order_not_a_sort_of_every_booking(
    admin_client, when, direction
):
    """The lists that read the clinic's whole history. (The upcoming ones sort only what is to come.)"""
    with CaptureQueriesContext(connection) as queries:
        assert admin_client.get(reverse("admin:bookings_booking_changelist"), {"when": when}).status_code == 200

    (listed,) = [q["sql"] for q in queries if q["sql"].startswith('SELECT "bookings_booking"."id"')]
    order = listed.split("ORDER BY")[1]
    assert f'"bookings_booking"."start" {direction}, "bookings_booking"."id" {direction}' in order
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN QUERY PLAN {listed}")
            plan = " ".join(str(row) for row in cursor.fetchall())
        assert "TEMP B-TREE FOR ORDER BY" not in plan, plan
