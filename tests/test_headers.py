"""Every kind of page carries the headers a site holding health information should: a strict
CSP, HSTS, no features it does not use, no framing or embedding by other sites, and no server
banner; production settings pass `check --deploy` clean and refuse the placeholder clinic."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from bookings import links
from bookings.models import Location
from tests.bookings.pages import first_free_booking

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[1]
HSTS = "max-age=31536000; includeSubDomains"


@pytest.fixture
def production_headers(settings):
    """The security settings production has (with DEBUG off, settings.py sets them)."""
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True


def _page_kinds(booking_path):
    return {
        "home": "/",
        "condition": "/conditions/hamstring-insertion-pain/",
        "treatment": "/treatments/custom-orthotics/",
        "booking step": "/book/biomechanical-assessment/times/",
        "own booking": booking_path,
        "waitlist": "/book/biomechanical-assessment/waitlist/",
        "admin sign-in": "/admin/login/",
        "not found": "/no-such-page/",
        "robots": "/robots.txt",
        "health": "/health/",
        "static file": "/static/css/site.css",
        # Sent on to the page's clean address (one cached copy, not one per query string).
        "junk parameters": "/?utm_source=newsletter",
    }


def test_every_kind_of_page_carries_the_security_headers(client, demo_schedule, production_headers):
    booking = first_free_booking()
    # Twice: a public page the second time comes from the page cache, which sends it before any
    # other middleware runs, with the headers they gave it when it was rendered.
    for kind, path in list(_page_kinds(links.manage_path(booking)).items()) * 2:
        response = client.get(path, secure=True)
        assert response.status_code in (200, 404, 301), (kind, response.status_code)
        headers = response.headers
        assert headers["Strict-Transport-Security"] == HSTS, kind
        assert "camera=()" in headers["Permissions-Policy"] and "geolocation=()" in headers["Permissions-Policy"], kind
        assert "microphone=()" in headers["Permissions-Policy"] and "payment=()" in headers["Permissions-Policy"], kind
        assert headers["Cross-Origin-Resource-Policy"] == "same-origin", kind
        assert headers["X-Content-Type-Options"] == "nosniff", kind
        assert headers["Referrer-Policy"] == "same-origin", kind
        if kind != "static file":
            assert headers["Cross-Origin-Opener-Policy"] == "same-origin", kind
            assert headers["X-Frame-Options"] == "DENY", kind
            assert "default-src 'self'" in headers["Content-Security-Policy"], kind
            assert "frame-ancestors 'none'" in headers["Content-Security-Policy"], kind


def _production(**extra) -> subprocess.CompletedProcess:
    env = (
        os.environ
        | {
            "DEBUG": "false",
            "SECRET_KEY": "production-like-" + "k" * 48,
            "ALLOWED_HOSTS": "www.soletherapy.example",
            "EMAIL_URL": "smtp://127.0.0.1:25",
            "DATABASE_URL": "sqlite:///:memory:",
        }
        | extra
    )
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


def test_production_settings_pass_the_deploy_check_with_nothing_to_report():
    checked = _production()

    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "no issues" in checked.stdout


def test_production_refuses_the_placeholder_clinic_details(clinic_content, settings):
    settings.DEBUG = False
    settings.ALLOW_PLACEHOLDER_CLINIC = False

    call_command("createsuperuser", username="manager", email="", interactive=False, verbosity=0)
    with pytest.raises(SystemCheckError, match=r"bookings\.E002"):
        call_command("check", deploy=True, fail_level="ERROR", verbosity=0)

    Location.objects.update(street_address="12 Real Street", phone="+61298765432", email="hello@soletherapy.com.au")
    found = checks.run_checks(include_deployment_checks=True, databases=["default"])
    assert "bookings.E002" not in {message.id for message in found}


def test_gunicorn_names_no_server_software():
    import runpy

    import gunicorn.http.wsgi

    before = gunicorn.http.wsgi.SERVER
    try:
        runpy.run_path(str(ROOT / "gunicorn.conf.py"))
        assert gunicorn.http.wsgi.SERVER == "SOLE THERAPY"
    finally:
        gunicorn.http.wsgi.SERVER = before
