"""Whatever arrives in a query string, a form or an address, the site answers with a page (a 4xx
that says what is wrong, or the page itself), never a server error, and a refused form stores
nothing. Hypothesis generates the values: odd characters, NUL bytes, enormous numbers, far
years, times the clocks skip, other character sets."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bookings import links, services
from bookings.models import Answer, Booking, HealthQuestion, Location, Patient, Practitioner, Service, WaitlistEntry

pytestmark = pytest.mark.django_db

SPECIAL = [
    "",
    "\x00",
    "a\x00b",
    "99999999999-1",
    "2026-13",
    "-1",
    "0",
    "9" * 400,
    "9999-12-31T23:59:59Z",
    "0001-01-01T00:00:00Z",
    "2026-10-04T02:30:00+10:00",  # Sydney's clocks skip 02:00-03:00 that morning
    "2027-04-04T02:30:00",  # the repeated hour, with no offset
    "2026-12-02T23:00:00Z|1",
    "2026-12-02T23:00:00Z|99999999999999999999",
    "any",
    "None",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "\u202e\ufeff",
    "😀" * 20,
    "x" * 5000,
]
VALUES = st.one_of(st.sampled_from(SPECIAL), st.text(max_size=40), st.integers().map(str))
CHARSETS = st.sampled_from(["utf-8", "latin-1", "utf-16", "ascii", "nonsense", "x" * 300])
EXAMPLES = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
OK_STATUSES = {200, 301, 302, 400, 404, 405, 409, 410, 429}


def _encode(fields: dict[str, str], charset: str) -> bytes:
    pairs = []
    for name, value in fields.items():
        try:
            raw = value.encode(charset)
        except (LookupError, UnicodeEncodeError):
            raw = value.encode("utf-8", "surrogatepass")
        pairs.append(name.encode() + b"=" + re.sub(rb"[^A-Za-z0-9_.~-]", lambda m: b"%%%02X" % m[0][0], raw))
    return b"&".join(pairs)


def _post_raw(path: str, fields: dict[str, str], charset: str):
    """A form as a browser (or a bot) might send it: in any character set, bytes as they are."""
    content_type = f"application/x-www-form-urlencoded; charset={charset}"
    return Client().generic("POST", path, data=_encode(fields, charset), content_type=content_type)


def _stored() -> tuple[int, int, int]:
    return Booking.objects.count(), Patient.objects.count(), WaitlistEntry.objects.count()


def _check(response):
    assert response.status_code in OK_STATUSES, (response.status_code, response.content[:500])
    if 400 <= response.status_code < 500:
        text = re.sub(r"<[^>]+>", " ", response.content.decode("utf-8", "replace"))
        assert len(text.split()) >= 5, "a refusal should say what is wrong"


@pytest.fixture
def site(demo_schedule):
    """The clinic's content and demo schedule, one booking a few days out, and its private link."""
    service = Service.objects.get(slug="biomechanical-assessment")
    start = next(
        slot.start
        for slot in services.create.availability.free_slots(
            service=service,
            location=Location.objects.get(),
            start_date=timezone.localdate() + timedelta(days=3),
            end_date=timezone.localdate() + timedelta(days=10),
        )
    )
    booking = services.booking_create_with_patient(
        patient_details={"given_name": "Jo", "family_name": "Sole", "email": "jo@example.com", "phone": "+61491570006"},
        service=service,
        location=Location.objects.get(),
        start=start,
        practitioner=Practitioner.objects.get(),
    )
    return {"booking": booking, "manage": links.manage_path(booking)}


QUERY_PAGES = {
    "/book/": ["concern"],
    "/book/biomechanical-assessment/": ["concern"],
    "/book/biomechanical-assessment/times/": ["practitioner", "month", "day", "concern"],
    "/book/biomechanical-assessment/details/": ["start", "practitioner", "key", "concern"],
    "/book/biomechanical-assessment/waitlist/": ["practitioner"],
    "/conditions/hamstring-insertion-pain/": ["concern"],
    "/sitemap.xml": ["p"],
}


@EXAMPLES
@given(page=st.sampled_from(sorted(QUERY_PAGES)), values=st.lists(VALUES, min_size=4, max_size=4))
def test_any_query_string_gets_a_page_not_an_error(site, page, values):
    query = dict(zip(QUERY_PAGES[page], values, strict=False))
    _check(Client().get(page, query))


@EXAMPLES
@given(values=st.lists(VALUES, min_size=5, max_size=5), which=st.sampled_from(["reschedule", "reschedule/confirm"]))
def test_any_query_on_the_patients_own_pages_gets_a_page(site, values, which):
    query = dict(zip(["practitioner", "month", "day", "start", "time_choice"], values, strict=True))
    _check(Client().get(f"{site['manage']}{which}/", query))


DETAIL_FIELDS = [
    "start",
    "practitioner",
    "given_name",
    "family_name",
    "email",
    "phone",
    "date_of_birth",
    "is_returning",
    "concern",
    "concern_text",
    "notes",
    "consent",
    "idempotency_key",
    "time_choice",
]
WAITLIST_FIELDS = ["practitioner", "earliest", "latest", "name", "email", "consent"]


@EXAMPLES
@given(values=st.lists(VALUES, min_size=len(DETAIL_FIELDS), max_size=len(DETAIL_FIELDS)), charset=CHARSETS)
def test_any_details_form_is_answered_and_a_refused_one_stores_nothing(site, values, charset):
    before = _stored()
    fields = dict(zip(DETAIL_FIELDS, values, strict=True))
    response = _post_raw("/book/biomechanical-assessment/details/", fields, charset)
    _check(response)
    assert _stored() == before  # the details step only keeps a draft in the session


@EXAMPLES
@given(values=st.lists(VALUES, min_size=len(WAITLIST_FIELDS), max_size=len(WAITLIST_FIELDS)), charset=CHARSETS)
def test_any_waitlist_form_is_answered_and_a_refused_one_stores_nothing(site, values, charset):
    before = _stored()
    fields = dict(zip(WAITLIST_FIELDS, values, strict=True))
    response = _post_raw("/book/biomechanical-assessment/waitlist/", fields, charset)
    _check(response)
    if response.status_code != 200:
        assert _stored() == before


@EXAMPLES
@given(values=st.lists(VALUES, min_size=3, max_size=3), which=st.sampled_from(["cancel", "reschedule/confirm"]))
def test_any_change_form_on_the_patients_own_pages_is_answered(site, values, which):
    fields = dict(zip(["start", "practitioner", "time_choice"], values, strict=True))
    response = Client().post(f"{site['manage']}{which}/", fields)
    _check(response)
    booking = Booking.objects.get(pk=site["booking"].pk)
    assert booking.start == site["booking"].start or response.status_code == 302


@EXAMPLES
@given(reference=VALUES, token=VALUES, key=VALUES)
@example(reference="\x00", token="\x00", key="")  # PostgreSQL refuses NUL in text: found once, kept
def test_any_address_gets_a_page(site, reference, token, key):
    client = Client()
    for path in (
        f"/booking/{reference}/{token}/",
        f"/booking/{reference}/{token}/calendar.ics",
        f"/booking/{reference}/{token}/health/",
        f"/booking/{reference}/{token}/health/{key}/",
        f"/book/review/{key}/",
        f"/waitlist/{reference}/{token}/leave/",
        f"/waitlist/offer/{reference}/{token}/",
        f"/book/{reference}/times/",
        f"/team/{reference}/",
        f"/team/photos/{token}.{key}",
    ):
        try:
            response = client.get(path)
        except ValueError:  # the test client refuses some raw characters a browser would encode
            continue
        _check(response)


@EXAMPLES
@given(
    values=st.lists(VALUES, min_size=8, max_size=8),
    step=st.sampled_from(["visit", "activity", "health", "needling", "nope"]),
    consent=st.sampled_from(["on", "", "\x00"]),
    charset=CHARSETS,
)
def test_any_health_questionnaire_page_is_answered(site, values, step, consent, charset):
    asked = list(HealthQuestion.objects.filter(step=step).values_list("pk", flat=True))
    fields = {f"question_{pk}": value for pk, value in zip(asked, values, strict=False)} | {"consent": consent}
    before = Answer.objects.count()
    response = _post_raw(f"{site['manage']}health/{step}/", fields, charset)
    _check(response)
    if response.status_code != 302:
        assert Answer.objects.count() == before  # a refused page keeps nothing
