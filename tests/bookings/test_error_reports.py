"""A server error emails the operators what failed and where, and nothing the request carried:
not the booking form's key, the patient's answers, an email address quoted in the error or the
session's cookie."""

import pytest
from django.core import mail
from django.test import Client

from bookings import services
from tests.bookings.pages import DETAILS, PRIVATE_VALUES, fixed_clock, reach_review  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def test_a_server_error_email_says_what_failed_and_where_but_nothing_the_patient_sent(clinic, settings, monkeypatch):
    settings.ADMINS = ["ops@soletherapy.example"]
    client = Client(raise_request_exception=False)
    review = reach_review(client, clinic)

    def broken(**details):
        raise RuntimeError(f"duplicate key: Key (email)=({details['patient_details']['email']}) already exists")

    monkeypatch.setattr(services, "booking_create_with_patient", broken)
    failed = client.post(review)

    assert failed.status_code == 500
    (report,) = mail.outbox
    assert report.to == ["ops@soletherapy.example"]
    assert "Internal Server Error: /book/review/[key]/" in report.subject
    assert "RuntimeError" in report.body and "duplicate key: Key (email)=([email]) already exists" in report.body
    assert "route bookings:review" in report.body and "bookings/views.py" in report.body
    assert "Request id: " in report.body
    sent = report.subject + report.body
    key = review.rstrip("/").rsplit("/", 1)[1]
    secrets = [key, DETAILS["email"], *(cookie.value for cookie in client.cookies.values())]
    assert client.cookies["sessionid"].value
    assert [value for value in [*secrets, *PRIVATE_VALUES] if value in sent] == []
