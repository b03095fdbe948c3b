"""The health questionnaire before the first visit: the clinic's questions, answered page by page
through the booking's private link, kept with the question as asked, open until the appointment
and read-only after; staff read the answers in the admin; they never reach an email, a log line
or an address; the patient's data export carries them."""

import json
import logging
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from bookings import links, services
from bookings.models import Answer, Booking, HealthQuestion, QuestionKind, Questionnaire, Service
from bookings.selectors import main_location
from tests.bookings.conftest import NOW, TEN_AM_SYDNEY_DEC_3
from tests.bookings.pages import (
    booked,
    fixed_clock,  # noqa: F401 (a fixture: the clock stands at NOW)
    text,
)

pytestmark = pytest.mark.django_db

SECRET_ANSWER = "Sharp pain behind my left knee on hills"
MEDICINE = "Warfarin 5 mg daily"


@pytest.fixture
def questions(clinic):
    """One question of each kind on three pages, asked for the clinic's assessment."""
    made = {}
    for name, fields in {
        "reason": {"text": "What brings you in?", "kind": QuestionKind.LONG_TEXT, "required": True, "step": "visit"},
        "where": {
            "text": "Where do you feel it?",
            "kind": QuestionKind.MANY,
            "choices": "Behind the left knee\nBehind the right knee\nLeft calf",
            "step": "visit",
        },
        "how_long": {
            "text": "How long have you had it?",
            "kind": QuestionKind.CHOICE,
            "choices": "Less than 2 weeks\nMore than 2 weeks",
            "step": "visit",
        },
        "pain": {"text": "How bad is it?", "kind": QuestionKind.SCALE, "scale_low": "no pain", "step": "visit"},
        "medicines": {"text": "Which medicines do you take?", "kind": QuestionKind.TEXT, "step": "health"},
        "pregnant": {
            "text": "Are you pregnant, or could you be?",
            "kind": QuestionKind.YES_NO,
            "required": True,
            "step": "needling",
        },
    }.items():
        question = HealthQuestion.objects.create(**fields)
        question.services.add(clinic["service"])
        made[name] = question
    return made


def _url(booking, name="questionnaire", **kwargs):
    token = links.manage_token(booking.reference, booking.link_version)
    return reverse(f"bookings:{name}", kwargs={"reference": booking.reference, "token": token, **kwargs})


def _step(booking, step):
    return _url(booking, "questionnaire_step", step=step)


def _field(question):
    return f"question_{question.pk}"


def _visit_answers(questions, **extra):
    return {
        _field(questions["reason"]): SECRET_ANSWER,
        _field(questions["where"]): ["Behind the left knee", "Left calf"],
        _field(questions["how_long"]): "More than 2 weeks",
        _field(questions["pain"]): "7",
    } | extra


def test_a_patient_answers_page_by_page_and_a_receptionist_reads_the_answers(
    client, admin_client, clinic, patient, questions
):
    booking = booked(clinic, patient)
    manage = text(client.get(links.manage_path(booking)))
    assert "Answer the health questions" in manage

    overview = client.get(_url(booking))
    assert overview.status_code == 200
    assert "1. Why you are coming (not answered yet)" in text(overview)
    assert "3. Before dry needling" in text(overview)

    # The first page asks for consent before anything is kept.
    refused = client.post(_step(booking, "visit"), _visit_answers(questions))
    assert refused.status_code == 400
    assert "Please agree to us keeping your answers" in text(refused)
    assert not Questionnaire.objects.exists() and not Answer.objects.exists()

    saved = client.post(_step(booking, "visit"), _visit_answers(questions, consent="on"))
    assert saved.status_code == 302
    assert saved["Location"] == _step(booking, "health")
    questionnaire = Questionnaire.objects.get(booking=booking)
    assert questionnaire.privacy_notice_version == settings.PRIVACY_NOTICE_VERSION
    assert questionnaire.consented_at == NOW
    assert questionnaire.completed_at is None
    assert Answer.objects.get(question=questions["where"]).value == "Behind the left knee\nLeft calf"

    # Saved step by step: the patient can come back later and carry on where they left off.
    assert "You have saved 1 of 3 pages" in text(client.get(links.manage_path(booking)))
    assert "Continue the health questions" in text(client.get(links.manage_path(booking)))
    again = client.get(_step(booking, "visit"))
    assert SECRET_ANSWER in again.content.decode()
    assert "consent" not in again.content.decode().split("<form", 1)[1]  # asked once only

    assert client.post(_step(booking, "health"), {_field(questions["medicines"]): MEDICINE}).status_code == 302
    done = client.post(_step(booking, "needling"), {_field(questions["pregnant"]): "No"}, follow=True)
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
        _step(booking, "visit"), _visit_answers(questions, consent="on") | {_field(questions["reason"]): " "}
    )

    assert response.status_code == 400
    assert "There is a problem" in text(response)
    assert "This field is required" in text(response) or "required" in text(response)
    assert not Questionnaire.objects.exists() and not Answer.objects.exists()


@pytest.mark.parametrize(
    "tampered",
    [{"where": ["Behind the left knee", "<script>"]}, {"pain": "11"}, {"how_long": "Forever"}, {"reason": "x" * 5000}],
)
def test_an_answer_no_form_could_send_gets_a_clear_message(client, clinic, patient, questions, tampered):
    booking = booked(clinic, patient)
    data = _visit_answers(questions, consent="on") | {
        _field(questions[name]): value for name, value in tampered.items()
    }

    response = client.post(_step(booking, "visit"), data)

    assert response.status_code == 400
    assert "There is a problem" in text(response)
    assert not Answer.objects.exists()


def test_answers_keep_the_question_as_it_was_asked(client, admin_client, clinic, patient, questions):
    booking = booked(clinic, patient)
    client.post(_step(booking, "visit"), _visit_answers(questions, consent="on"))

    questions["reason"].text = "Tell us why you are coming"
    questions["reason"].save()
    questions["how_long"].delete()

    staff_page = text(admin_client.get(reverse("admin:bookings_booking_change", args=[booking.pk])))
    assert "What brings you in?" in staff_page and SECRET_ANSWER in staff_page
    assert "How long have you had it?" in staff_page and "More than 2 weeks" in staff_page


def test_answers_can_be_changed_until_the_appointment_then_are_read_only(client, clinic, patient, questions):
    booking = booked(clinic, patient)
    client.post(_step(booking, "visit"), _visit_answers(questions, consent="on"))
    changed = _visit_answers(questions) | {_field(questions["reason"]): "Better now, mostly on stairs"}
    assert client.post(_step(booking, "visit"), changed).status_code == 302
    assert Answer.objects.get(question=questions["reason"]).value == "Better now, mostly on stairs"

    with time_machine.travel(TEN_AM_SYDNEY_DEC_3 + timedelta(minutes=1), tick=False):
        page = client.get(_step(booking, "visit"))
        refused = client.post(_step(booking, "visit"), _visit_answers(questions))

    assert page.status_code == 200
    assert "can no longer be changed online" in text(page)
    assert "Better now, mostly on stairs" in text(page)  # read-only: shown, not in a form
    assert "<form" not in page.content.decode().split("<main", 1)[1]
    assert refused.status_code == 409
    assert Answer.objects.get(question=questions["reason"]).value == "Better now, mostly on stairs"


def test_a_cancelled_booking_has_nothing_to_fill_in(client, clinic, patient, questions):
    booking = booked(clinic, patient)
    services.booking_cancel(booking=booking, by_patient=True, now=NOW)

    response = client.post(_step(booking, "visit"), _visit_answers(questions, consent="on"))

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
    assert client.get(_step(booking, "no-such-page")).status_code == 404
    assert not Questionnaire.objects.exists()


def test_an_appointment_without_questions_offers_no_questionnaire(client, clinic, patient):
    booking = booked(clinic, patient)

    assert "Health questions" not in text(client.get(links.manage_path(booking)))
    assert client.get(_url(booking)).status_code == 404


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
        client.post(_step(booking, "visit"), _visit_answers(questions, consent="on")),
        client.post(_step(booking, "health"), {_field(questions["medicines"]): MEDICINE}),
        client.post(_step(booking, "needling"), {_field(questions["pregnant"]): "Yes"}),
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
    client.post(_step(booking, "visit"), _visit_answers(questions, consent="on"))

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
    assert main_location() is not None
