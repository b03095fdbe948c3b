"""In production every request is one JSON log line an operator can search: its id, method,
route name, status and duration, never the address (it can hold a private link) or a query
string; on a laptop the lines are plain text."""

import io
import json
import logging
import logging.config
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bookings import links
from soletherapy.logging_config import logging_config
from tests.bookings.pages import first_free_booking

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def json_log(settings):
    """The production logging, written to a buffer; the lines it holds, parsed."""
    logging.config.dictConfig(logging_config(json_lines=True, level="INFO", requests=True, debug=False))
    stream = io.StringIO()
    logging.getLogger().handlers[0].setStream(stream)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logging.config.dictConfig(settings.LOGGING)


def test_a_request_is_one_line_with_its_route_status_and_time_and_no_address(client, demo_schedule, json_log):
    booking = first_free_booking()
    path = links.manage_path(booking)

    response = client.get(f"{path}?utm_source=newsletter&email=jordan@example.com")

    (line,) = [line for line in json_log() if line["logger"] == "soletherapy.requests"]
    assert line["method"] == "GET"
    assert line["route"] == "bookings:manage"
    assert line["status"] == response.status_code == 200
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["request_id"] == response["X-Request-ID"]
    assert line["level"] == "INFO" and line["time"]
    written = json.dumps(json_log())
    assert booking.reference not in written and "newsletter" not in written and "jordan" not in written


def test_each_request_has_its_own_id_and_a_proxy_s_id_is_kept(client, clinic_content, json_log):
    first = client.get("/")
    second = client.get("/")
    forwarded = client.get("/", headers={"X-Request-ID": "edge-7f3a9c21d4"})
    junk = client.get("/", headers={"X-Request-ID": "<script>alert(1)</script>"})

    assert first["X-Request-ID"] != second["X-Request-ID"]
    assert forwarded["X-Request-ID"] == "edge-7f3a9c21d4"
    assert "script" not in junk["X-Request-ID"]
    ids = [line["request_id"] for line in json_log() if line["logger"] == "soletherapy.requests"]
    assert ids == [r["X-Request-ID"] for r in (first, second, forwarded, junk)]


def test_pages_answered_before_routing_still_name_their_route(client, clinic_content, json_log):
    client.get("/conditions/hamstring-insertion-pain/")  # rendered and cached
    client.get("/conditions/hamstring-insertion-pain/")  # from the page cache
    client.get("/no-such-page/")

    routes = [(line["route"], line["status"]) for line in json_log() if line["logger"] == "soletherapy.requests"]
    assert routes == [("conditions:condition_detail", 200), ("conditions:condition_detail", 200), ("-", 404)]


def test_a_page_from_the_cache_names_the_view_that_rendered_it_without_routing_again(
    client, clinic_content, json_log, monkeypatch
):
    from soletherapy import request_log

    client.get("/book/")  # rendered and cached
    monkeypatch.setattr(request_log, "resolve", lambda path: pytest.fail("a cached page was routed again"))
    client.get("/book/")

    routes = [line["route"] for line in json_log() if line["logger"] == "soletherapy.requests"]
    assert routes == ["bookings:start", "bookings:start"]


def test_what_the_site_logs_while_answering_carries_the_request_s_id(client, clinic_content, json_log):
    """The bot trap's line (a form sent with the hidden field filled in) and the request's own."""
    client.post(
        "/book/biomechanical-assessment/waitlist/",
        {"website": "http://spam.example", "email": "bot@example.com"},
    )

    lines = json_log()
    request_ids = {line["request_id"] for line in lines}
    assert len(request_ids) == 1 and "-" not in request_ids
    assert len(lines) >= 2, lines
    assert "bot@example.com" not in json.dumps(lines) and "spam.example" not in json.dumps(lines)


def _log_lines(env) -> str:
    program = "import django, logging; django.setup(); logging.getLogger('soletherapy').warning('Mail server refused')"
    done = subprocess.run(
        [sys.executable, "-c", program],
        cwd=ROOT,
        env=os.environ | {"DJANGO_SETTINGS_MODULE": "soletherapy.settings"} | env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stderr.strip()


def test_production_logs_json_and_a_laptop_logs_plain_text():
    production = _log_lines(
        {"DEBUG": "false", "SECRET_KEY": "production-like-" + "k" * 48, "ALLOWED_HOSTS": "www.soletherapy.example"}
    )
    laptop = _log_lines({"DEBUG": "true"})

    assert json.loads(production) | {"time": None} == {
        "time": None,
        "level": "WARNING",
        "logger": "soletherapy",
        "message": "Mail server refused",
        "request_id": "-",
    }
    assert laptop.endswith("WARNING soletherapy [-] Mail server refused")
