"""What a new patient asks after "what is wrong with my knee": what it costs and what they can
claim, how to find the clinic and when it is closed, and what happens at the first visit; every
figure from a field staff edit, "Ask us" until they do."""

import json
import re
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from bookings.models import BookingRules, ClinicClosure, Hicaps, Location, PublicHolidayOpening, Service
from conditions.models import InformationPage
from tests.bookings.pages import text

pytestmark = pytest.mark.django_db


@pytest.fixture
def december(clinic_content):
    """1 December 2026 in Sydney: Christmas Day and Boxing Day are within the next three months."""
    with time_machine.travel(timezone.make_aware(timezone.datetime(2026, 12, 1, 9)), tick=False):
        yield


def _edit(obj, **changes):
    for name, value in changes.items():
        setattr(obj, name, value)
    obj.save()


def test_fees_say_ask_us_until_staff_set_them_then_show_each_fee(client, clinic_content):
    before = text(client.get("/fees/"))
    assert "Comprehensive biomechanical assessment 1 hour Ask us" in before
    assert "Ask us whether you can claim from your health fund on the spot." in before
    assert "Ask us which ways you can pay." in before

    # Saved as the admin saves them, so the cached page is dropped.
    _edit(
        Service.objects.get(slug="biomechanical-assessment"),
        price=Decimal("135.00"),
        included="the assessment and a written plan.",
    )
    _edit(Service.objects.exclude(slug="biomechanical-assessment").first(), price=Decimal("85.50"), price_from=True)
    _edit(Location.objects.get(), hicaps=Hicaps.YES, payment_methods="EFTPOS, Visa and Mastercard")

    after = text(client.get("/fees/"))
    assert "Comprehensive biomechanical assessment Includes the assessment and a written plan. 1 hour $135" in after
    assert "From $85.50" in after
    assert "We have HICAPS, so you can claim from your health fund on the spot and pay only the gap." in after
    assert "You can pay by EFTPOS, Visa and Mastercard." in after


def test_the_fees_page_explains_rebates_and_the_clinic_s_own_policies(client, clinic_content):
    BookingRules.objects.update(
        cancellation_notice_hours=48, late_arrival_policy="If you arrive late, we may need to shorten your visit."
    )

    page = text(client.get("/fees/"))

    for heading in ("Private health insurance", "Medicare", "Veterans"):
        assert heading in page
    assert "chronic condition management plan" in page
    assert "up to 48 hours before it starts" in page
    assert "If you arrive late, we may need to shorten your visit." in page
    assert "Do I need a referral?" in page


def test_every_step_that_names_a_service_names_its_fee_and_length(client, clinic_content):
    Service.objects.filter(slug="biomechanical-assessment").update(price=Decimal("135"))

    start = text(client.get("/book/"))
    treatment = text(client.get("/treatments/dry-needling-and-acupuncture/"))

    assert "1 hour · Fee: $135" in start
    assert "Fees, rebates and what you can claim" in start
    assert "Appointments and fees" in treatment and "Ask us" in treatment


def test_the_contact_page_gives_the_way_there_and_the_days_it_is_closed(client, december):
    location = Location.objects.get()
    Location.objects.update(
        directions="Enter from the lane behind the pharmacy.",
        parking="Two-hour street parking on Sole Street.",
        public_transport="A five-minute walk from Central Station.",
    )
    ClinicClosure.objects.create(
        location=location, start_date=date(2027, 1, 4), end_date=date(2027, 1, 8), reason="Staff training"
    )
    ClinicClosure.objects.create(location=location, start_date=date(2027, 6, 1), end_date=date(2027, 6, 2))
    PublicHolidayOpening.objects.create(location=location, date=date(2026, 12, 28))  # open on this one

    response = client.get("/contact/")

    page = text(response).replace(" :", ":")
    assert "Enter from the lane behind the pharmacy." in page and "Two-hour street parking" in page
    assert "A five-minute walk from Central Station." in page
    assert "tell us when you book" in page  # nothing said about access yet: the fallback
    assert "Friday 25 December 2026: Christmas Day, public holiday" in page
    assert "Monday 4 January to Friday 8 January 2027: Staff training" in page
    assert "28 December" not in page  # staff open on that holiday
    assert "June" not in page  # more than three months away
    html = response.content.decode()
    assert 'href="https://www.google.com/maps/search/?api=1&amp;query=SOLE+THERAPY%2C+Street+address' in html
    assert "<iframe" not in html
    (clinic,) = [json.loads(block) for block in re.findall(r'application/ld\+json">(.*?)</script>', html)]
    assert clinic["@type"] == "MedicalClinic" and clinic["address"]["postalCode"] == "2000"


def test_a_new_closure_shows_on_the_cached_contact_page_at_once(client, december):
    client.get("/contact/")  # cached
    ClinicClosure.objects.create(
        location=Location.objects.get(), start_date=date(2027, 2, 1), end_date=date(2027, 2, 1), reason="Closed"
    )

    assert "Monday 1 February 2027: Closed" in text(client.get("/contact/")).replace(" :", ":")


def test_the_first_visit_page_says_what_happens_with_its_questions_as_structured_data(client, clinic_content):
    response = client.get("/new-patients/")

    page = text(response)
    assert "What happens in the assessment" in page and "What to wear and bring" in page
    assert "How long does the first visit take?" in page
    (faq,) = [json.loads(b) for b in re.findall(r'application/ld\+json">(.*?)</script>', response.content.decode())]
    assert faq["@type"] == "FAQPage"
    assert [q["name"] for q in faq["mainEntity"]] == [
        "How long does the first visit take?",
        "Can I bring someone with me?",
        "What if I need to change my appointment?",
    ]


def test_a_new_patient_finds_team_fees_and_the_way_there_from_the_home_page(client, clinic_content):
    html = client.get("/").content.decode()

    for path in ("/fees/", "/contact/", "/new-patients/"):
        assert f'href="{path}"' in html
    assert client.get("/sitemap.xml").content.decode().count("/fees/") == 1


def test_staff_edit_the_fees_page_words_and_the_wording_check_guards_them(admin_client, client, clinic_content):
    page = InformationPage.objects.get(slug="fees")
    client.get("/fees/")  # cached
    sections = list(page.sections.all())
    questions = list(page.questions.all())
    data = {"title": page.title, "summary": "What it costs, and what you can claim.", "slug": page.slug}
    for prefix, rows, fields in (
        ("sections", sections, ("heading", "body")),
        ("questions", questions, ("question", "answer")),
    ):
        data |= {
            f"{prefix}-TOTAL_FORMS": len(rows),
            f"{prefix}-INITIAL_FORMS": len(rows),
            f"{prefix}-MIN_NUM_FORMS": 0,
            f"{prefix}-MAX_NUM_FORMS": 1000,
        }
        for n, row in enumerate(rows):
            data |= {f"{prefix}-{n}-id": row.pk, f"{prefix}-{n}-page": page.pk, f"{prefix}-{n}-position": row.position}
            data |= {f"{prefix}-{n}-{field}": getattr(row, field) for field in fields}
    change = f"/admin/conditions/informationpage/{page.pk}/change/"

    refused = admin_client.post(change, data | {"questions-0-answer": "Our treatment is a guaranteed cure."})
    saved = admin_client.post(change, data)

    assert refused.status_code == 200 and "health advertising law" in refused.content.decode()
    assert saved.status_code == 302, re.findall(r"errorlist[^>]*>(.*?)</ul>", saved.content.decode(), re.S)
    assert "What it costs, and what you can claim." in text(client.get("/fees/"))
    assert admin_client.get("/admin/conditions/informationpage/add/").status_code == 403
