"""The team as patients meet it in Chromium: the team page and a practitioner's page with their
photo, accessible and fitting a 375 px phone, and choosing who to see when two offer the service."""

import re

import pytest
from playwright.sync_api import expect

from bookings.models import Practitioner, Service
from bookings.photos import practitioner_photo_replace
from tests.bookings.test_team import jpeg
from tests.conftest import assert_no_axe_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def two_podiatrists(live_site):
    demo = Practitioner.objects.get(is_demo=True)
    real = Practitioner.objects.create(
        name="Sam Heel",
        qualifications="Bachelor of Podiatry",
        summary="Helps runners back to running.",
        languages="English",
        ahpra_number="POD0001234567",
        photo_alt="Sam Heel smiling in the clinic",
    )
    real.services.set(Service.objects.all())
    real.locations.set(demo.locations.all())
    for hours in demo.working_hours.all():
        hours.pk, hours.practitioner = None, real
        hours.save()
    practitioner_photo_replace(practitioner=real, data=jpeg())
    return real


def test_a_new_patient_on_a_phone_finds_the_team_and_a_practitioner_s_page(two_podiatrists, page):
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto("/")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Our team").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Our team")
    photo = page.get_by_role("img", name="Sam Heel smiling in the clinic")
    expect(photo).to_be_visible()
    expect(photo).to_have_js_property("complete", True)  # loaded (waits, as the image may still be coming)
    assert photo.evaluate("(img) => img.naturalWidth > 0")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Sam Heel").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sam Heel")
    expect(page.get_by_role("link", name="check it on the public register")).to_be_visible()
    assert_no_axe_violations(page)


def test_with_two_podiatrists_the_patient_chooses_who_they_see(two_podiatrists, page):
    page.goto("/book/")
    page.get_by_role("link", name=re.compile("^Choose this appointment for Comprehensive")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Who would you like to see?")
    expect(page.get_by_role("img", name="Sam Heel smiling in the clinic")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("radio", name=re.compile("^Sam Heel")).check()
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a time")
    assert "practitioner=" in page.url
