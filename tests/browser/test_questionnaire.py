"""The health questionnaire in real Chromium, as the issue's new patient meets it on a 375 px
phone: book an assessment (no practitioner step: the demo clinic has one), answer the health
questions from the booking page page by page, come back to change one, and a receptionist reads
the answers in the admin. Every page is checked with axe."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from playwright.sync_api import expect

from bookings.models import Booking
from tests.browser.test_booking_flow import choose_first_time, fill_details, heading, reference_on
from tests.conftest import assert_no_axe_violations, guarded_tab, signed_in

pytestmark = pytest.mark.browser

REASON = "Pain behind my left knee when I run uphill"


def _save(tab):
    tab.get_by_role("button", name="Save and continue").click()


def test_a_new_patient_answers_the_health_questions_and_reception_reads_them(live_site, page, browser, live_server):
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto("/book/")
    choose_first_time(page)
    fill_details(page)
    page.get_by_role("button", name="Continue to review").click()
    page.get_by_role("button", name="Confirm booking").click()
    reference = reference_on(page)

    page.get_by_role("link", name="Answer the health questions").click()
    expect(heading(page)).to_have_text("Health questions before your visit")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Answer Why you are coming").click()

    # Page 1: nothing is kept until the patient agrees; the error summary says so and takes focus.
    expect(heading(page)).to_have_text("Why you are coming")
    page.get_by_label("What brings you in?").fill(REASON)
    _save(page)
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("Please agree to us keeping your answers")
    assert_no_axe_violations(page)
    where = page.get_by_role("group", name="Where do you feel it?")
    where.get_by_label("Behind the left knee").check()
    where.get_by_label("Left calf").check()
    page.get_by_role("group", name="How long have you had it?").get_by_label("More than 3 months").check()
    scale = page.get_by_role("group", name=re.compile("how bad is it at its worst"))
    rows = {round(box["y"]) for box in (label.bounding_box() for label in scale.locator("label").all())}
    assert len(rows) <= 3, "the 0 to 10 scale is a grid on a phone, not 11 rows"
    scale.get_by_label("7", exact=True).check()
    page.get_by_label("What makes it worse?").fill("Hills and stairs")
    page.get_by_label("I agree to SOLE THERAPY keeping my answers").check()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert_no_axe_violations(page)
    _save(page)

    expect(heading(page)).to_have_text("Activity and footwear")
    expect(page.get_by_text("Saved “Why you are coming”")).to_be_visible()
    page.get_by_label("What activity or sport do you do, and how often?").fill("Running 20 km a week")
    assert_no_axe_violations(page)
    _save(page)

    expect(heading(page)).to_have_text("Your health")
    page.get_by_role("group", name="Do you have any of these?").get_by_label("None of these").check()
    page.get_by_label("Which medicines do you take?").fill("None")
    _save(page)

    expect(heading(page)).to_have_text("Before dry needling")
    _save(page)  # the safety questions must be answered
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    for question in ("Are you pregnant", "Do you take a blood thinner", "Are you anxious about needles"):
        page.get_by_role("group", name=re.compile(f"^{question}")).get_by_label("No", exact=True).check()
    assert_no_axe_violations(page)
    _save(page)

    expect(page.get_by_text("Thank you: your answers are saved")).to_be_visible()
    expect(page.get_by_text("All done")).to_be_visible()
    expect(page.get_by_text(REASON)).to_be_visible()
    assert_no_axe_violations(page)

    # Coming back later to change an answer: what was saved is filled in.
    page.get_by_role("link", name="Change Why you are coming").click()
    expect(page.get_by_label("What brings you in?")).to_have_value(REASON)
    expect(page.get_by_role("group", name="Where do you feel it?").get_by_label("Left calf")).to_be_checked()
    page.get_by_label("What makes it worse?").fill("Hills, stairs and long drives")
    _save(page)
    expect(heading(page)).to_have_text("Health questions before your visit")

    # The receptionist opens the booking in the admin and reads the answers.
    receptionist = get_user_model().objects.create_user(
        "reception", password="x" * 20, is_staff=True, is_superuser=True
    )
    staff = signed_in(Client(), receptionist)
    booking = Booking.objects.get(reference=reference)
    with guarded_tab(browser, live_server) as admin_tab:
        admin_tab.context.add_cookies(
            [{"name": "sessionid", "value": staff.cookies["sessionid"].value, "url": live_server.url}]
        )
        admin_tab.goto(f"/admin/bookings/booking/{booking.pk}/change/")
        answers = admin_tab.get_by_role("main")
        expect(answers).to_contain_text("Health questionnaire")
        expect(answers).to_contain_text("What brings you in?")
        expect(answers).to_contain_text(REASON)
        expect(answers).to_contain_text("Hills, stairs and long drives")
        expect(answers).to_contain_text("Left calf")
        expect(answers).to_contain_text("Completed")
