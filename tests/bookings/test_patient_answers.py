"""Patients type their details as they write them: dates of birth in the usual forms (read back in
words before they confirm), an overseas phone number with its country code, and an email whose
domain looks like a slip gets a "did you mean" they may ignore."""

from datetime import date

import pytest

from bookings.formfields import read_birth_date
from tests.bookings.pages import fixed_clock, post_details, text  # noqa: F401 (fixed_clock: a fixture)

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 1)


@pytest.mark.parametrize(
    "typed",
    ["14/7/1988", "14/07/1988", "14-7-1988", "14.7.1988", "14/7/88", "14 July 1988", "14 jul 1988", "14th July, 1988",
     "1988-07-14", " 14 July 1988 "],
)  # fmt: skip
def test_a_date_of_birth_is_read_as_people_write_it(typed):
    assert read_birth_date(typed, today=TODAY) == date(1988, 7, 14)


@pytest.mark.parametrize(("typed", "read"), [("3/2/05", date(2005, 2, 3)), ("3/2/27", date(1927, 2, 3))])
def test_a_two_digit_year_is_the_latest_one_not_in_the_future(typed, read):
    assert read_birth_date(typed, today=TODAY) == read


@pytest.mark.parametrize("typed", ["31/2/1988", "14 Julember 1988", "1988", "14/13/1988", "yesterday"])
def test_what_is_not_a_date_is_not_read(typed):
    assert read_birth_date(typed, today=TODAY) is None


def test_the_review_reads_the_date_of_birth_back_in_words(client, clinic):
    sent = post_details(client, clinic, date_of_birth="14/7/88")

    assert sent.status_code == 302
    assert "Date of birth 14 July 1988" in text(client.get(sent["Location"]))


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("14/7/1890", "it must be after 1900"),
        ("1/1/1901", "that would make you over 120"),
        ("1/1/2030", "must be in the past"),
        ("14 of July", "Enter your date of birth as day, month and year"),
    ],
)
def test_impossible_dates_of_birth_are_refused_kindly(client, clinic, typed, said):
    refused = post_details(client, clinic, date_of_birth=typed)

    assert refused.status_code == 400
    assert said in text(refused)


def test_an_overseas_phone_number_with_its_country_code_is_taken(client, clinic):
    sent = post_details(client, clinic, phone="+44 20 7946 0958")

    assert sent.status_code == 302
    assert "+44 20 7946 0958" in text(client.get(sent["Location"]))


def test_an_email_domain_that_looks_like_a_slip_asks_once_and_can_be_kept(client, clinic):
    asked = post_details(client, clinic, email="jordan@gmial.com")

    assert asked.status_code == 400
    assert "Did you mean jordan@gmail.com?" in text(asked)
    assert 'name="email_checked" value="jordan@gmial.com"' in asked.content.decode()
    kept = post_details(client, clinic, email="jordan@gmial.com", email_checked="jordan@gmial.com")
    assert kept.status_code == 302
