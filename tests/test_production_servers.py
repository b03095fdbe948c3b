"""Two production servers (gunicorn, DEBUG off, JSON logs and access logs on) behind one
database and one Redis, as a load balancer would have them: an edit made on one is served by
the other within a second, two patients racing for one time on the two leave one booking, and
nothing either server logs holds a private link's token, a form's key or a patient's details."""

import re
import threading
import time
import uuid

import pytest
import redis
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django_otp.plugins.otp_totp.models import TOTPDevice

from bookings.models import Booking
from conditions.models import Condition
from soletherapy import generations
from tests.bookings.pages import DETAILS
from tests.http_session import Answer, Visitor
from tests.servers import production_servers
from tests.test_staff_sign_in import code_for

pytestmark = pytest.mark.django_db(transaction=True)

CACHE_URL = "redis://127.0.0.1:6379/9"
PASSWORD = "a-long-staff-password-2026"
CONDITION = "/conditions/hamstring-insertion-pain/"
TIMES = "/book/biomechanical-assessment/times/"


@pytest.fixture(scope="module")
def servers(django_db_setup, django_db_blocker):
    with production_servers(2, cache_url=CACHE_URL) as running:
        yield running


@pytest.fixture(autouse=True)
def content(servers, demo_schedule):
    """The clinic's content in the (emptied) database, and no page cached from a test before."""
    redis.Redis.from_url(CACHE_URL).flushdb()
    # This process changed the database without telling the servers' shared cache (it has its
    # own): like any other change, theirs see it once they next ask the shared cache, within
    # generations.LOCAL_SECONDS; until then they may still serve the previous test's clinic.
    time.sleep(generations.LOCAL_SECONDS + 0.1)


def _a_time(visitor: Visitor) -> str:
    """The latest time the times page offers (days away: it can still be changed online)."""
    times = visitor.get(TIMES)
    assert times.status == 200, times.text[:500]
    offered = re.findall(r'href="(/book/biomechanical-assessment/details/\?[^"]+)"', times.text)
    return offered[-1].replace("&amp;", "&")


def _to_review(visitor: Visitor, details_path: str, **answers) -> str:
    """The patient's answers sent for the time; returns the review step's address."""
    form = visitor.form(visitor.get(details_path), containing="given_name")
    sent = visitor.post(details_path, form | DETAILS | answers)
    assert sent.status == 302, sent.text[:2000]
    return sent.headers["Location"]


def _confirm(visitor: Visitor, review_path: str) -> Answer:
    form = visitor.form(visitor.get(review_path), containing="csrfmiddlewaretoken")
    return visitor.post(review_path, form)


def _staff_signed_in(port: int) -> Visitor:
    user = User.objects.create(
        username="reception",
        password=make_password(PASSWORD, hasher="pbkdf2_sha256"),
        is_staff=True,
        is_superuser=True,
    )
    device = TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
    staff = Visitor(port)
    form = staff.form(staff.get("/admin/login/"), containing="username")
    signed_in = staff.post(
        "/admin/login/", form | {"username": "reception", "password": PASSWORD, "code": code_for(device)}
    )
    assert signed_in.status == 302 and signed_in.headers["Location"] == "/admin/", signed_in.text[:2000]
    return staff


def test_a_content_edit_on_one_server_is_served_by_the_other_within_a_second(servers):
    (first, _), (second, _) = servers
    patient = Visitor(second)
    condition = Condition.objects.get(slug="hamstring-insertion-pain")
    assert condition.summary in patient.get(CONDITION).text.replace("&#x27;", "'")
    patient.get(CONDITION)  # now cached on the second server
    staff = _staff_signed_in(first)
    change = f"/admin/conditions/condition/{condition.pk}/change/"
    form = staff.form(staff.get(change), containing="summary")
    new_summary = "Pain at the back of the knee where the hamstring tendons attach: what helps."

    saved = staff.post(change, form | {"summary": new_summary})

    edited = time.monotonic()
    assert saved.status == 302, saved.text[:3000]
    while new_summary not in patient.get(CONDITION).text:
        assert time.monotonic() - edited < 1.0, "the other server still serves the page as it was"
        time.sleep(0.05)


def test_pages_and_redirects_from_the_cache_say_their_length_and_do_not_come_in_chunks(servers):
    (first, _), _ = servers
    visitor = Visitor(first)
    # With one practitioner offering it, the choice of practitioner is a redirect to the times.
    for path, status in (("/book/biomechanical-assessment/", 302), ("/", 200), ("/robots.txt", 200)):
        visitor.get(path)  # rendered and cached
        again = visitor.request("GET", path, headers={"Accept-Encoding": "br, gzip"})

        assert again.status == status, path
        assert "Transfer-Encoding" not in again.headers, path
        assert again.headers["Content-Length"] is not None, path


def test_two_patients_racing_for_one_time_on_two_servers_leave_one_booking(servers):
    (first, _), (second, _) = servers
    patients = [Visitor(first), Visitor(second)]
    slot = _a_time(patients[0])
    assert _a_time(patients[1]) == slot
    reviews = [_to_review(patient, slot, email=f"racer{n}@example.com") for n, patient in enumerate(patients)]
    answers = [None, None]
    ready = threading.Barrier(2)

    def confirm(n):
        form = patients[n].form(patients[n].get(reviews[n]), containing="csrfmiddlewaretoken")
        ready.wait()
        answers[n] = patients[n].post(reviews[n], form)

    racers = [threading.Thread(target=confirm, args=(n,)) for n in range(2)]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join(timeout=30)

    assert sorted(answer.status for answer in answers) == [302, 409]
    lost = next(answer for answer in answers if answer.status == 409)
    assert "Sorry, that time has just been taken" in lost.text
    assert Booking.objects.count() == 1


def test_nothing_either_server_logs_holds_a_token_a_form_key_or_a_patient_s_details(servers):
    (first, first_log), (second, second_log) = servers
    patient = Visitor(first)
    review = _to_review(patient, _a_time(patient), concern_text="Sharp pain behind my right knee on stairs")
    key = review.rstrip("/").rsplit("/", 1)[1]
    booked = _confirm(patient, review)
    assert booked.status == 302, booked.text[:2000]
    manage = booked.headers["Location"]
    reference, token = manage.strip("/").split("/")[1:3]
    on_other_server = Visitor(second, cookies=patient.cookies)
    for visitor, path in [
        (patient, manage),
        (patient, f"{manage}calendar.ics"),
        (on_other_server, f"{manage}reschedule/"),
        (on_other_server, f"{manage}cancel/?email={DETAILS['email']}"),
        (patient, f"/booking/{reference}/{token[:-2]}xx/"),  # a mistyped link: 404
        (patient, f"/book/review/{uuid.uuid4()}/"),  # a form long gone
    ]:
        assert visitor.get(path).status in (200, 404, 410), path
    cancel = f"{manage}cancel/"
    cancelled = on_other_server.post(
        cancel, on_other_server.form(on_other_server.get(cancel), containing="csrfmiddlewaretoken")
    )
    assert cancelled.status == 302, cancelled.text[:2000]

    # What was logged is there to be read: the request lines and the access log's (gunicorn
    # writes its access line after the answer is sent, so it may come a moment later).
    access_line = re.compile(r'"POST /booking/[A-Z0-9]+/\[token\]/cancel/ HTTP/1.1" 302')
    deadline = time.monotonic() + 10
    while not access_line.search(logged := first_log.read_text() + second_log.read_text()):
        assert time.monotonic() < deadline, "the access log never showed the cancellation"
        time.sleep(0.05)
    assert '"route": "bookings:review"' in logged and '"route": "bookings:cancel"' in logged
    secrets = [
        token,
        key,
        DETAILS["given_name"],
        DETAILS["family_name"],
        DETAILS["email"],
        "412345678",
        "412 345 678",
        "1985",
    ]
    secrets += ["Sharp pain", "racer", patient.cookies["sessionid"]]
    # Request ids (32 random hex digits), timings and the access log's response sizes are the logs'
    # own numbers: a patient's year of birth must not be "found" in them by chance.
    scanned = re.sub(r"\b[0-9a-f]{32}\b", "<id>", logged)
    scanned = re.sub(r'"duration_ms": [0-9.]+', '"duration_ms": <ms>', scanned)
    scanned = re.sub(r'(" [1-5][0-9]{2}) [0-9]+ ', r"\1 <bytes> ", scanned)
    assert [secret for secret in secrets if secret.lower() in scanned.lower()] == []
