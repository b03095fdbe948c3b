"""The health questionnaire before the first visit, as a patient fills it in: page by page through
the booking's private link, consent first, kept with the question as asked, open until the
appointment and read-only after."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from bookings import links, services
from bookings.models import Answer, Questionnaire
from tests.bookings.conftest import NOW, TEN_AM_SYDNEY_DEC_3
from tests.bookings.pages import (
    booked,
    fixed_clock,  # noqa: F401 (a fixture: the clock stands at NOW)
    text,
)
from tests.bookings.questionnaire_pages import (
    MEDICINE,
    SECRET_ANSWER,
    field_name,
    questionnaire_url,
    step_url,
    visit_answers,
)

pytestmark = pytest.mark.django_db


def test_a_patient_answers_page_by_page_and_a_receptionist_reads_the_answers(
    client, admin_client, clinic, patient, questions
):
    booking = booked(clinic, patient)
    manage = text(client.get(links.manage_path(booking)))
    assert "Answer the health questions" in manage

    overview = client.get(questionnaire_url(booking))
    assert overview.status_code == 200
    assert "1. Why you are coming (not answered yet)" in text(overview)
    assert "3. Before dry needling" in text(overview)

    # The first page asks for consent before anything is kept.
    refused = client.post(step_url(booking, "visit"), visit_answers(questions))
    assert refused.status_code == 400
    assert "Please agree to us keeping your answers" in text(refused)
    assert not Questionnaire.objects.exists() and not Answer.objects.exists()

    saved = client.post(step_url(booking, "visit"), visit_answers(questions, consent="on"))
    assert saved.status_code == 302
    assert saved["Location"] == step_url(booking, "health")
    questionnaire = Questionnaire.objects.get(booking=booking)
    assert questionnaire.privacy_notice_version == settings.PRIVACY_NOTICE_VERSION
    assert questionnaire.consented_at == NOW
    assert questionnaire.completed_at is None
    assert Answer.objects.get(question=questions["where"]).value == "Behind the left knee\nLeft calf"

    # Saved step by step: the patient can come back later and carry on where they left off.
    assert "You have saved 1 of 3 pages" in text(client.get(links.manage_path(booking)))
    assert "Continue the health questions" in text(client.get(links.manage_path(booking)))
    again = client.get(step_url(booking, "visit"))
    assert SECRET_ANSWER in again.content.decode()
    assert "consent" not in again.content.decode().split("<form", 1)[1]  # asked once only

    assert client.post(step_url(booking, "health"), {field_name(questions["medicines"]): MEDICINE}).status_code == 302
    done = client.post(step_url(booking, "needling"), {field_name(questions["pregnant"]): "No"}, follow=True)
    assert "Thank you: your answers are saved" in text(done)
    assert "All done" in text(done)
    assert Questionnaire.objects.get().completed_at == NOW

    staff_page = text(admin_client.get(reverse("admin:bookings_booking_change", args=[booking.pk])))
    assert "Health questionnaire" in staff_page
    for shown in ("What brings you in?", SECRET_ANSWER, "Behind the left knee", "Left calf", MEDICINE):
        assert shown in staff_page
    assert f"Agreed to privacy notice {settings.PRIVACY_NOTICE_VERSION}" in staff_page
    patient_page = text(admin_client.get(reverse("admin:bookings_patient_change", args=[patient.pk])))
    assert SECRET_ANSWER in patient_page and booking.reference in patient_page


def test_a_required_question_left_blank_is_named_and_nothing_is_kept(client, clinic, patient, questions):
    booking = booked(clinic, patient)

    response = client.post(
        step_url(booking, "visit"), visit_answers(questions, consent="on") | {field_name(questions["reason"]): " "}
    )

    assert response.status_code == 400
    assert "There is a problem" in text(response)
    assert "Please answer “What brings you in?”" in text(response)
    # The error summary's link takes the patient to the question.
    assert f'href="#id_question_{questions["reason"].pk}"' in response.content.decode()
    assert not Questionnaire.objects.exists() and not Answer.objects.exists()


@pytest.mark.parametrize(
    ("tampered", "message"),
    [
        ({"where": ["Behind the left knee", "<script>"]}, "For “Where do you feel it?”, please choose from"),
        ({"pain": "11"}, "For “How bad is it?”, please choose from the answers shown."),
        ({"how_long": "Forever"}, "For “How long have you had it?”, please choose"),
        ({"reason": "x" * 5000}, "Please keep your answer to “What brings you in?” under 2,000 characters."),
    ],
)
def test_an_answer_no_form_could_send_gets_a_clear_message(client, clinic, patient, questions, tampered, message):
    booking = booked(clinic, patient)
    data = visit_answers(questions, consent="on") | {
        field_name(questions[name]): value for name, value in tampered.items()
    }

    response = client.post(step_url(booking, "visit"), data)

    assert response.status_code == 400
    assert "There is a problem" in text(response)
    assert message in text(response)
    if "where" in tampered:  # a list of boxes: the summary links to the first
        assert f'href="#id_question_{questions["where"].pk}_0"' in response.content.decode()
    assert not Answer.objects.exists()


def test_answers_keep_the_question_as_it_was_asked(client, admin_client, clinic, patient, questions):
    booking = booked(clinic, patient)
    client.post(step_url(booking, "visit"), visit_answers(questions, consent="on"))

    questions["reason"].text = "Tell us why you are coming"
    questions["reason"].save()
    questions["how_long"].delete()

    staff_page = text(admin_client.get(reverse("admin:bookings_booking_change", args=[booking.pk])))
    assert "What brings you in?" in staff_page and SECRET_ANSWER in staff_page
    assert "How long have you had it?" in staff_page and "More than 2 weeks" in staff_page


def test_answers_can_be_changed_until_the_appointment_then_are_read_only(client, clinic, patient, questions):
    booking = booked(clinic, patient)
    client.post(step_url(booking, "visit"), visit_answers(questions, consent="on"))
    changed = visit_answers(questions) | {field_name(questions["reason"]): "Better now, mostly on stairs"}
    assert client.post(step_url(booking, "visit"), changed).status_code == 302
    assert Answer.objects.get(question=questions["reason"]).value == "Better now, mostly on stairs"

    with time_machine.travel(TEN_AM_SYDNEY_DEC_3 + timedelta(minutes=1), tick=False):
        page = client.get(step_url(booking, "visit"))
        refused = client.post(step_url(booking, "visit"), visit_answers(questions))

    assert page.status_code == 200
    assert "can no longer be changed online" in text(page)
    assert "Better now, mostly on stairs" in text(page)  # read-only: shown, not in a form
    assert "<form" not in page.content.decode().split("<main", 1)[1]
    assert refused.status_code == 409
    assert Answer.objects.get(question=questions["reason"]).value == "Better now, mostly on stairs"


def test_a_cancelled_booking_has_nothing_to_fill_in(client, clinic, patient, questions):
    booking = booked(clinic, patient)
    services.booking_cancel(booking=booking, by_patient=True, now=NOW)

    response = client.post(step_url(booking, "visit"), visit_answers(questions, consent="on"))

    assert response.status_code == 409
    assert "This booking is cancelled" in text(response)
    assert not Questionnaire.objects.exists()
    assert "Health questions" not in text(client.get(links.manage_path(booking)))


def test_the_questionnaire_needs_the_booking_s_own_link(client, clinic, patient, questions):
    booking = booked(clinic, patient)
    wrong = {"reference": booking.reference, "token": "0" * 32}

    assert client.get(reverse("bookings:questionnaire", kwargs=wrong)).status_code == 404
    response = client.post(reverse("bookings:questionnaire_step", kwargs=wrong | {"step": "visit"}), {"consent": "on"})
    assert response.status_code == 404
    assert client.get(step_url(booking, "no-such-page")).status_code == 404
    assert not Questionnaire.objects.exists()


def test_an_appointment_without_questions_offers_no_questionnaire(client, clinic, patient):
    booking = booked(clinic, patient)

    assert "Health questions" not in text(client.get(links.manage_path(booking)))
    assert client.get(questionnaire_url(booking)).status_code == 404
