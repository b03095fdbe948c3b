import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import RequestFactory

from bookings.models import Location, OpeningHours
from soletherapy.views import server_error

BASE_DIR = Path(__file__).resolve().parent.parent

PUBLIC_PAGES = [
    "/",
    "/conditions/",
    "/conditions/hamstring-insertion-pain/",
    "/conditions/calf-insertion-pain/",
    "/treatments/",
    "/treatments/custom-orthotics/",
    "/treatments/dry-needling-and-acupuncture/",
    "/treatments/footwear-advice/",
    "/treatments/home-stretching-programs/",
    "/treatments/joint-strengthening/",
    "/privacy/",
    "/accessibility/",
]
# Government pages the clinic's copy sends patients to: plain links a patient chooses to follow,
# never something a page loads.
OUTBOUND_LINKS_ALLOWED = {"www.oaic.gov.au", "www.accesshub.gov.au"}


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags_of(html: str) -> list[tuple[str, dict]]:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


def main_of(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


def test_home_shows_the_clinics_contact_details_and_hours_from_the_database(client, demo_schedule):
    Location.objects.update(phone="+61298765432", email="front-desk@soletherapy.example", suburb="Newtown")

    main = main_of(client.get("/").text)

    assert '<a href="tel:+61298765432">(02) 9876 5432</a>' in main
    assert '<a href="mailto:front-desk@soletherapy.example">front-desk@soletherapy.example</a>' in main
    assert "Street address to be confirmed, Newtown NSW 2000" in main
    assert re.search(r'<th scope="row">Monday</th>\s*<td><time datetime="08:30">8:30 am</time> to', main)
    assert re.search(r'<th scope="row">Sunday</th>\s*<td>Closed</td>', main)
    assert '<a class="btn btn-primary btn-lg" href="/book/">Book an assessment</a>' in main


def test_home_lists_published_conditions_and_treatments(client, clinic_content):
    main = main_of(client.get("/").text)

    assert '<a href="/conditions/hamstring-insertion-pain/">Hamstring insertion pain</a>' in main
    assert '<a href="/treatments/footwear-advice/">Footwear options and fitting advice</a>' in main
    assert re.findall(r"<h1[^>]*>(.*?)</h1>", main) == ["Love your body from the sole up"]


def test_home_asks_patients_to_phone_when_no_opening_hours_are_set(client, clinic_content):
    main = main_of(client.get("/").text)

    assert "Phone us on" in main
    assert "for opening hours." in main


def test_home_still_works_before_the_clinic_is_set_up(client, db):
    response = client.get("/")

    assert response.status_code == 200
    assert "Phone us for opening hours." in response.text


def test_home_json_ld_describes_the_medical_clinic(client, demo_schedule):
    html = client.get("/").text
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    location = Location.objects.get()

    assert data["@type"] == "MedicalClinic"
    assert data["name"] == location.name
    assert data["telephone"] == "+61255501234"
    assert data["email"] == location.email
    assert data["medicalSpecialty"] == "Podiatric"
    assert data["address"] == {
        "@type": "PostalAddress",
        "streetAddress": location.street_address,
        "addressLocality": location.suburb,
        "addressRegion": "NSW",
        "postalCode": location.postcode,
        "addressCountry": "AU",
    }
    hours = data["openingHoursSpecification"]
    assert len(hours) == OpeningHours.objects.count()
    assert hours[0] == {
        "@type": "OpeningHoursSpecification",
        "dayOfWeek": "Monday",
        "opens": "08:30",
        "closes": "17:30",
    }
    assert {h["dayOfWeek"] for h in hours} == {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}


def test_privacy_and_accessibility_pages_show_the_copy(client, clinic_content):
    privacy = client.get("/privacy/")
    accessibility = client.get("/accessibility/")

    assert privacy.status_code == accessibility.status_code == 200
    assert "<h1>Privacy notice</h1>" in privacy.text
    assert "Privacy in brief" in privacy.text
    assert "mailto:hello@soletherapy.example" in privacy.text
    assert "<h1>Accessibility</h1>" in accessibility.text
    assert "National Relay Service" in accessibility.text


def test_robots_txt_names_the_sitemap_and_not_the_admin_which_is_never_indexed(client, db):
    response = client.get("/robots.txt")

    assert response["Content-Type"].startswith("text/plain")
    assert "Disallow: /book/" in response.text.splitlines()  # the steps of a booking ...
    assert "Allow: /book/$" in response.text.splitlines()  # ... but not the choice of service
    assert settings.ADMIN_URL not in response.text  # robots.txt would show anyone where it is
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in response.text.splitlines()
    assert client.get(f"/{settings.ADMIN_URL}login/")["X-Robots-Tag"] == "noindex, nofollow"


def test_sitemap_lists_every_condition_and_treatment_page(client, clinic_content):
    locations = re.findall(r"<loc>(.*?)</loc>", client.get("/sitemap.xml").text)
    paths = {urlsplit(url).path for url in locations}

    assert set(PUBLIC_PAGES) <= paths


def test_health_check_reports_ok(client, db):
    response = client.get("/health/")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_unknown_address_shows_a_helpful_not_found_page(client, clinic_content):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "Sorry, we cannot find that page" in response.text
    for link in ('href="/"', 'href="/conditions/"', 'href="/book/"'):
        assert link in main_of(response.text)
    assert '<meta name="robots" content="noindex">' in response.text


def test_server_error_page_needs_no_database_and_links_home():
    # No `db` fixture: pytest-django fails the test if the error page touches the database.
    response = server_error(RequestFactory().get("/broken/"))

    html = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, something went wrong" in html
    assert [attrs["href"] for tag, attrs in tags_of(html) if "href" in attrs] == ["/"]
    assert "<script" not in html


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_pages_have_a_canonical_link_and_open_graph_title(client, clinic_content, path):
    tags = tags_of(client.get(path).text)

    canonical = [a["href"] for t, a in tags if t == "link" and a.get("rel") == "canonical"]
    og_title = [a["content"] for t, a in tags if t == "meta" and a.get("property") == "og:title"]
    assert canonical == [f"{settings.SITE_URL}{path}"]
    assert len(og_title) == 1
    assert og_title[0]


@pytest.mark.parametrize("path", [*PUBLIC_PAGES, "/no-such-page/"])
def test_no_page_loads_anything_from_another_host(client, demo_schedule, path):
    site_host = urlsplit(settings.SITE_URL).netloc
    loaded_from_outside = []
    outbound_links = []
    for tag, attrs in tags_of(client.get(path).text):
        for name in ("src", "href", "action", "srcset", "poster", "data"):
            url = (attrs.get(name) or "").strip()
            if not url.startswith(("http://", "https://", "//")):
                continue
            host = urlsplit(url).netloc
            if tag == "a" and name == "href":
                outbound_links.append(host)
            elif not (tag == "link" and attrs.get("rel") == "canonical" and host == site_host):
                loaded_from_outside.append(f"<{tag} {name}={url}>")

    assert loaded_from_outside == []
    assert set(outbound_links) <= OUTBOUND_LINKS_ALLOWED


def _start_django(**env_changes) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "ALLOWED_HOSTS", "DEBUG")}
    env |= {"DJANGO_SETTINGS_MODULE": "soletherapy.settings", "DEBUG": "false"} | env_changes
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _start_django(ALLOWED_HOSTS="soletherapy.example")

    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = _start_django(SECRET_KEY="x" * 60)

    assert result.returncode != 0
    assert "Set ALLOWED_HOSTS" in result.stderr


def test_production_starts_with_a_secret_key_and_allowed_hosts():
    result = _start_django(SECRET_KEY="x" * 60, ALLOWED_HOSTS="soletherapy.example")

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "started"


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/conditions/",
        "/conditions/hamstring-insertion-pain/",
        "/treatments/",
        "/privacy/",
        "/book/",
        "/robots.txt",
    ],
)
def test_head_requests_from_monitors_and_link_checkers_are_answered(client, clinic_content, path):
    assert client.head(path).status_code == 200
