"""Whatever a patient (or someone tampering with the page) sends, they get a clear message and
nothing is saved; and what they type is kept as text."""

import re
import uuid
from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.backends.base import SessionBase
from phonenumber_field.phonenumber import PhoneNumber

from bookings import drafts, wording
from bookings.formfields import StartField, read_choice
from bookings.models import Booking, Patient, Service
from tests.bookings.conftest import NOW, TEN_AM_SYDNEY_DEC_3
from tests.bookings.pages import details_url, post_details, reach_review, text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fixed_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def nothing_saved(db):
    yield
    assert Booking.objects.count() == 0
    assert Patient.objects.count() == 0


def error_summary(response) -> list[tuple[str, str]]:
    """(field id, message) for each link in the 'There is a problem' box."""
    html = response.content.decode()
    summary = re.search(r'<div class="alert alert-danger" role="alert" id="error-summary".*?</div>', html, re.S)
    assert summary, "no error summary"
    assert "There is a problem" in summary[0]
    return re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary[0])


@pytest.mark.parametrize(
    ("answers", "field", "message"),
    [
        ({"phone": "banana"}, "id_phone", "Enter a phone number, like 0412 345 678"),
        ({"phone": "12345"}, "id_phone", "Enter a phone number, like 0412 345 678"),
        ({"phone": "+1 212"}, "id_phone", "Enter a phone number, like 0412 345 678"),
        ({"phone": ""}, "id_phone", "Enter your phone number"),
        ({"email": "jordan@"}, "id_email", "Enter an email address like name@example.com"),
        ({"consent": ""}, "id_consent", "Tick the box to agree to how we handle your details"),
        ({"date_of_birth": "2027-01-01"}, "id_date_of_birth", "Your date of birth must be in the past"),
        ({"date_of_birth": "1899-12-31"}, "id_date_of_birth", "it must be after 1900"),
        ({"date_of_birth": "31/02/1990"}, "id_date_of_birth", "Enter your date of birth as day, month and year"),
        ({"is_returning": ""}, "id_is_returning_0", "Tell us if you have visited SOLE THERAPY before"),
        ({"given_name": ""}, "id_given_name", "Enter your given name"),
        ({"given_name": "<script>alert(1)</script>"}, "id_given_name", "Use letters only"),
        ({"family_name": "Sole<img src=x onerror=alert(1)>"}, "id_family_name", "Use letters only"),
        ({"notes": "x" * 5000}, "id_notes", "Keep this to 2000 characters or fewer (you have 5000)."),
        ({"concern_text": "y" * 501}, "id_concern_text", "Keep this to 500 characters or fewer (you have 501)."),
        ({"given_name": "A" * 101}, "id_given_name", "Keep this to 100 characters or fewer"),
        ({"concern": "not-a-condition"}, "id_concern", "Select a valid choice"),
    ],
)
def test_a_wrong_answer_is_explained_at_the_top_and_by_the_field(
    client, clinic, nothing_saved, answers, field, message
):
    response = post_details(client, clinic, **answers)

    assert response.status_code == 400
    summary = error_summary(response)
    assert [link for link, error in summary if message in error] == [field]
    html = response.content.decode()
    assert f'id="{field}"' in html
    assert response.context["form"].errors
    assert "<title>Error: " in html
    assert "<script>alert" not in html and "<img src=x" not in html


def test_field_errors_are_linked_to_their_fields(client, clinic, nothing_saved):
    response = post_details(client, clinic, email="nope", phone="123")

    html = response.content.decode()
    assert re.search(r'<input type="email"[^>]*aria-describedby="id_email_helptext id_email_error"', html)
    assert re.search(r'<input type="tel"[^>]*aria-invalid="true"', html)
    assert 'id="id_email_error"' in html and 'id="id_phone_error"' in html
    assert re.search(r'<label\s+for="id_email"', html)


def test_a_typed_answer_is_kept_when_the_form_comes_back(client, clinic, nothing_saved):
    response = post_details(client, clinic, consent="", notes="My <b>left</b> heel")

    html = response.content.decode()
    assert 'value="jordan.sole@example.com"' in html
    assert "My &lt;b&gt;left&lt;/b&gt; heel" in html


@pytest.mark.parametrize(
    ("start", "practitioner"),
    [
        pytest.param(NOW - timedelta(days=1), None, id="in the past"),
        pytest.param(NOW + timedelta(hours=1), None, id="inside the 2-hour notice"),
        pytest.param(TEN_AM_SYDNEY_DEC_3 + timedelta(days=91), None, id="beyond 90 days"),
        pytest.param(TEN_AM_SYDNEY_DEC_3 + timedelta(minutes=7), None, id="off the 15-minute grid"),
        pytest.param(TEN_AM_SYDNEY_DEC_3 - timedelta(hours=7), None, id="3 am, outside working hours"),
        pytest.param(TEN_AM_SYDNEY_DEC_3 + timedelta(hours=7, minutes=30), None, id="ends after closing"),
    ],
)
def test_a_time_that_is_not_offered_is_refused_with_other_times(client, clinic, nothing_saved, start, practitioner):
    shown = client.get(details_url(clinic, start=start))
    sent = post_details(client, clinic, start=start)

    assert shown.status_code == 200
    assert "That time is not available" in text(shown)
    assert "Free times near it" in text(shown)
    assert 'name="given_name"' not in shown.content.decode()
    assert sent.status_code == 409
    assert [link for link, _ in error_summary(sent)] == ["time-choice-0"]
    assert "Choose another time" in text(sent)
    assert 'value="jordan.sole@example.com"' in sent.content.decode()


def test_choosing_an_offered_time_after_a_refusal_keeps_the_answers(client, clinic, nothing_saved):
    taken = TEN_AM_SYDNEY_DEC_3 + timedelta(minutes=7)
    refused = post_details(client, clinic, start=taken)
    choice = re.search(r'name="time_choice"[^>]*value="([^"]+)"', refused.content.decode())[1]

    response = post_details(client, clinic, start=taken, time_choice=choice)

    assert response.status_code == 302
    review = text(client.get(response["Location"]))
    assert "jordan.sole@example.com" in review
    assert read_choice(choice)[0] == drafts.draft_start(client.session["booking_drafts"].popitem()[1])


@pytest.mark.parametrize(
    ("start", "practitioner"),
    [
        pytest.param("banana", None, id="unreadable start"),
        pytest.param("2026-12-03T10:00:00", None, id="start without a time zone"),
        pytest.param(TEN_AM_SYDNEY_DEC_3, 999, id="unknown practitioner"),
        pytest.param(TEN_AM_SYDNEY_DEC_3, "", id="no practitioner"),
    ],
)
def test_a_tampered_time_or_practitioner_gets_a_clear_400(client, clinic, nothing_saved, start, practitioner):
    shown = client.get(details_url(clinic, start=start, practitioner=practitioner))
    sent = post_details(client, clinic, start=start, practitioner=practitioner)

    for response in (shown, sent):
        assert response.status_code == 400
        assert "We could not find that appointment time" in text(response)
        assert "See all free times" in text(response)


def test_a_practitioner_who_does_not_offer_the_service_cannot_be_booked_for_it(client, clinic, nothing_saved):
    other = Service.objects.create(name="Other", slug="other")
    outsider = clinic["practitioners"][1]
    outsider.services.set([other])

    response = post_details(client, clinic, practitioner=outsider.pk)

    assert response.status_code == 400


def test_a_tampered_service_is_not_found(client, clinic, nothing_saved):
    url = details_url(clinic, service="not-a-service")

    assert client.get(url).status_code == 404
    assert client.post(url, {"start": "x"}).status_code == 404


def test_markup_typed_in_is_stored_and_shown_as_text(client, clinic):
    review = reach_review(client, clinic, concern_text="<script>alert('knee')</script>", notes="<b>bold</b> & more")

    html = client.get(review).content.decode()
    assert "&lt;script&gt;alert(&#x27;knee&#x27;)&lt;/script&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; more" in html
    client.post(review)
    booking = Booking.objects.get()
    assert booking.concern_text == "<script>alert('knee')</script>"
    assert booking.notes == "<b>bold</b> & more"


def test_names_from_many_languages_are_welcome(client, clinic):
    review = reach_review(client, clinic, given_name="Zoë-Anne", family_name="Nguyễn O’Brien")

    client.post(review)

    assert str(Booking.objects.get().patient) == "Zoë-Anne Nguyễn O’Brien"


def test_a_new_patient_only_service_refuses_a_returning_patient_in_the_form(client, clinic, nothing_saved):
    clinic["service"].new_patient_only = True
    clinic["service"].save()

    response = post_details(client, clinic, is_returning="yes")

    assert response.status_code == 400
    assert "is for new patients" in text(response)


def test_a_review_key_that_is_not_a_uuid_is_not_found(client, clinic):
    assert client.get("/book/review/not-a-key/").status_code == 404


def test_the_session_keeps_only_a_few_drafts(clinic):
    session = SessionBase()
    keys = [uuid.uuid4() for _ in range(8)]
    answers = {
        "family_name": "Sole",
        "email": "jordan@example.com",
        "phone": PhoneNumber.from_string("0412 345 678", region="AU"),
        "date_of_birth": None,
        "is_returning": False,
        "concern": None,
        "concern_text": "",
        "notes": "",
        "consent": True,
    }
    for key in keys:
        drafts.draft_save(
            session,
            key,
            answers=answers | {"given_name": str(key)},
            service=clinic["service"],
            start=TEN_AM_SYDNEY_DEC_3,
            practitioner=None,
        )

    assert drafts.draft_get(session, keys[0]) is None
    assert drafts.draft_get(session, keys[-1])["given_name"] == str(keys[-1])
    assert drafts.patient_details(drafts.draft_get(session, keys[-1]))["phone"].as_e164 == "+61412345678"
    assert len(session["booking_drafts"]) == 5


def test_times_read_like_a_clinic_would_say_them(clinic):
    local = TEN_AM_SYDNEY_DEC_3.astimezone(clinic["location"].zone)

    assert wording.time_label(local) == "10:00 am"
    assert wording.time_label(local + timedelta(hours=2, minutes=30)) == "12:30 pm"
    assert wording.day_label(local.date()) == "Thursday 3 December"
    assert wording.zone_label(clinic["location"]) == "Sydney time"
    assert StartField().clean(wording.start_value(TEN_AM_SYDNEY_DEC_3)) == TEN_AM_SYDNEY_DEC_3
    assert StartField().clean("2026-12-03T10:00:00+11:00") == TEN_AM_SYDNEY_DEC_3


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("0412 345 678", "+61412345678"), ("(02) 9876 5432", "+61298765432"), ("+44 7911 123456", "+447911123456")],
    ids=["mobile", "landline", "from overseas"],
)
def test_mobiles_landlines_and_overseas_numbers_are_accepted_and_stored_in_e164(client, clinic, typed, stored):
    review = reach_review(client, clinic, phone=typed)
    client.post(review)

    assert Patient.objects.get().phone.as_e164 == stored


def test_coming_back_from_the_review_to_fix_a_typo_keeps_the_consent_ticked(client, clinic):
    review = reach_review(client, clinic)
    change_link = re.search(r'href="(/book/assessment/details/\?[^"]*key=[^"]+)"', client.get(review).content.decode())

    form = client.get(change_link[1].replace("&amp;", "&"))

    assert re.search(r'<input[^>]*name="consent"[^>]*checked', form.content.decode())
