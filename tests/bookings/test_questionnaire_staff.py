"""The health questionnaire from the clinic's side: staff define the questions in the admin, the
answers never reach an email, a log line or an address, and the patient's data export carries
them with the consent given."""

import json
import logging
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse

from bookings import links, services
from bookings.models import Booking, HealthQuestion, QuestionKind, Service
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
    step_url,
    visit_answers,
)

pytestmark = pytest.mark.django_db


def test_answers_never_reach_an_email_a_log_line_or_an_address(
    client, clinic, patient, questions, caplog, mailoutbox, delivered
):
    with delivered():
        booking = services.booking_create(
            service=clinic["service"],
            location=clinic["location"],
            patient=patient,
            practitioner=clinic["practitioners"][0],
            start=TEN_AM_SYDNEY_DEC_3,
            now=NOW,
        )
    confirmation = next(message for message in mailoutbox if message.to == [patient.email])
    assert links.questionnaire_url(booking) in confirmation.body
    assert links.questionnaire_url(booking) in confirmation.alternatives[0][0]

    caplog.set_level(logging.DEBUG)
    responses = [
        client.post(step_url(booking, "visit"), visit_answers(questions, consent="on")),
        client.post(step_url(booking, "health"), {field_name(questions["medicines"]): MEDICINE}),
        client.post(step_url(booking, "needling"), {field_name(questions["pregnant"]): "Yes"}),
    ]
    with delivered():
        services.booking_reschedule(
            booking=Booking.objects.get(), start=TEN_AM_SYDNEY_DEC_3 + timedelta(hours=2), by_patient=True, now=NOW
        )

    logged = "\n".join(record.getMessage() for record in caplog.records)
    for secret in (SECRET_ANSWER, MEDICINE, "Left calf"):
        assert secret not in logged
        assert all(secret not in response.get("Location", "") for response in responses)
        for message in mailoutbox:
            assert secret not in message.body and secret not in message.alternatives[0][0]
    moved = [message for message in mailoutbox if message.to == [patient.email]][-1]
    assert "health questions" not in moved.body  # finished: no reminder to fill it in


def test_the_patient_s_data_export_carries_the_answers_and_the_consent(
    client, admin_client, clinic, patient, questions
):
    booking = booked(clinic, patient)
    client.post(step_url(booking, "visit"), visit_answers(questions, consent="on"))

    response = admin_client.get(reverse("admin:bookings_patient_export", args=[patient.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="patient-{patient.pk}.json"'
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["patient"]["email"] == patient.email
    exported = data["bookings"][0]
    assert exported["reference"] == booking.reference
    questionnaire = exported["health_questionnaire"]
    assert questionnaire["privacy_notice_version"] == settings.PRIVACY_NOTICE_VERSION
    answers = {answer["question"]: answer["answer"] for answer in questionnaire["answers"]}
    assert answers["What brings you in?"] == SECRET_ANSWER
    assert answers["Where do you feel it?"] == ["Behind the left knee", "Left calf"]
    assert answers["How bad is it?"] == "7"


def test_staff_define_the_questions_in_the_admin(admin_client, clinic):
    url = reverse("admin:bookings_healthquestion_add")
    data = {
        "text": "Which foot hurts?",
        "help_text": "",
        "kind": QuestionKind.CHOICE,
        "choices": "Left only",
        "required": "on",
        "step": "visit",
        "position": 1,
        "services": [clinic["service"].pk],
        "active": "on",
        "scale_low": "",
        "scale_high": "",
    }

    refused = admin_client.post(url, data)
    assert refused.status_code == 200
    assert "Give at least two choices" in text(refused)
    assert not HealthQuestion.objects.exists()

    assert admin_client.post(url, data | {"choices": "Left\nRight\nBoth"}).status_code == 302
    question = HealthQuestion.objects.get()
    assert question.choice_list() == ["Left", "Right", "Both"]
    assert list(HealthQuestion.objects.for_service(clinic["service"])) == [question]
    assert "Which foot hurts?" in text(admin_client.get(reverse("admin:bookings_healthquestion_changelist")))


def test_the_clinic_s_first_questions_are_loaded_for_the_assessment_and_dry_needling(client, demo_schedule):
    assessment = Service.objects.get(slug="biomechanical-assessment")
    needling = Service.objects.get(slug="dry-needling-session")
    asked = {question.text for question in HealthQuestion.objects.for_service(assessment)}
    assert {"What brings you in?", "Where do you feel it?", "Do you take a blood thinner (for example warfarin, "
            "apixaban or a daily aspirin)?"} <= asked  # fmt: skip
    needling_steps = {question.step for question in HealthQuestion.objects.for_service(needling)}
    assert needling_steps == {"health", "needling"}
    assert not HealthQuestion.objects.for_service(Service.objects.get(slug="orthotic-fitting")).exists()


def test_the_patient_s_data_reads_as_a_page_too(client, admin_client, clinic, patient, questions):
    booking = booked(clinic, patient)
    client.post(step_url(booking, "visit"), visit_answers(questions, consent="on"))

    page = admin_client.get(reverse("admin:bookings_patient_export", args=[patient.pk]), {"format": "page"})

    assert page.status_code == 200
    shown = text(page)
    assert booking.reference in shown and "Jordan" in shown
    assert "What brings you in?" in shown and SECRET_ANSWER in shown
    assert "Behind the left knee, Left calf" in shown
