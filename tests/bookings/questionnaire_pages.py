"""The health questionnaire's test helpers: the pages' addresses and a patient's answers to the
questions of the `questions` fixture (tests/bookings/conftest.py)."""

from django.urls import reverse

from bookings import links

SECRET_ANSWER = "Sharp pain behind my left knee on hills"
MEDICINE = "Warfarin 5 mg daily"


def questionnaire_url(booking, name="questionnaire", **kwargs):
    token = links.manage_token(booking.reference, booking.link_version)
    return reverse(f"bookings:{name}", kwargs={"reference": booking.reference, "token": token, **kwargs})


def step_url(booking, step):
    return questionnaire_url(booking, "questionnaire_step", step=step)


def field_name(question):
    return f"question_{question.pk}"


def visit_answers(questions, **extra):
    return {
        field_name(questions["reason"]): SECRET_ANSWER,
        field_name(questions["where"]): ["Behind the left knee", "Left calf"],
        field_name(questions["how_long"]): "More than 2 weeks",
        field_name(questions["pain"]): "7",
    } | extra
