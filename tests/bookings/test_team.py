"""Who patients will see: a page for the team and for each practitioner, with a photo staff
upload (cropped, resized into WebP and JPEG, stripped of the camera's details), qualifications,
interests, languages, working days and AHPRA registration; demo practitioners stay off the team
page in production; the booking skips choosing when only one practitioner offers the service."""

import io
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from bookings import photos
from bookings.models import Practitioner, PractitionerPhoto
from bookings.photos import PhotoRefused, photo_variants, practitioner_photo_replace
from tests.bookings.factories import make_hours
from tests.bookings.pages import fixed_clock, text  # noqa: F401 (fixed_clock: a fixture)
from tests.http_session import forms_of

pytestmark = pytest.mark.django_db


def jpeg(width=1000, height=800, *, gps=True) -> bytes:
    image = Image.new("RGB", (width, height), (200, 120, 90))
    exif = Image.Exif()
    if gps:
        exif[0x8825] = {1: "S", 2: (33.0, 52.0, 0.0)}  # GPSInfo: where the photo was taken
        exif[0x010F] = "Phone maker"
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_a_photo_becomes_portrait_webp_and_jpeg_in_three_widths_without_the_camera_s_details():
    variants = photo_variants(jpeg())

    assert [(v.width, v.height, v.format) for v in variants] == [
        (160, 200, "webp"), (160, 200, "jpeg"), (320, 400, "webp"),
        (320, 400, "jpeg"), (640, 800, "webp"), (640, 800, "jpeg"),
    ]  # fmt: skip
    for variant in variants:
        with Image.open(io.BytesIO(variant.data)) as made:
            assert made.format == variant.format.upper() and made.size == (variant.width, variant.height)
            assert not made.getexif()


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (b"%PDF-1.4 not a photo", "not a photo this site can read"),
        (jpeg(100, 120), "at least 160 pixels wide"),
    ],
)
def test_what_is_not_a_usable_photo_is_refused_with_why(data, said):
    with pytest.raises(PhotoRefused, match=said):
        photo_variants(data)


def test_a_decompression_bomb_is_refused(monkeypatch):
    monkeypatch.setattr(photos.Image, "MAX_IMAGE_PIXELS", 1000)
    with pytest.raises(PhotoRefused):
        photo_variants(jpeg(400, 400, gps=False))


@pytest.fixture
def team(clinic):
    alex, sam = clinic["practitioners"]
    for practitioner, weekdays in ((alex, [0, 2, 4]), (sam, [1])):
        practitioner.working_hours.all().delete()
        make_hours(practitioner, clinic["location"], "09:00-17:00", weekdays=weekdays)
    Practitioner.objects.filter(pk=alex.pk).update(
        qualifications="Bachelor of Podiatry",
        summary="Helps runners back to running.",
        interests="Running injuries",
        languages="English, Greek",
        ahpra_number="POD0001234567",
        photo_alt="Alex Foot smiling in the clinic",
    )
    alex.refresh_from_db()
    practitioner_photo_replace(practitioner=alex, data=jpeg())
    demo = Practitioner.objects.create(name="Demo Podiatrist", is_demo=True)
    demo.locations.add(clinic["location"])
    return alex, sam, demo


def test_the_team_page_introduces_each_practitioner_with_their_photo_and_days(client, team):
    alex, sam, _demo = team

    response = client.get("/team/")

    page = text(response)
    assert "Alex Foot" in page and "Podiatrist, Bachelor of Podiatry" in page
    assert "Helps runners back to running." in page
    assert "Works on Monday, Wednesday and Friday" in page and "Works on Tuesday" in page
    assert "Demo Podiatrist" not in page  # demo data never reaches the public team page
    html = response.content.decode()
    picture = re.search(r"<picture>.*?</picture>", html, flags=re.S)[0]
    assert re.search(
        r'<source type="image/webp" srcset="/team/photos/\w+\.webp 160w, /team/photos/\w+\.webp 320w, ', picture
    )
    assert 'width="320" height="400" alt="Alex Foot smiling in the clinic"' in picture
    assert 'loading="eager"' in picture


def test_on_a_laptop_the_demo_practitioner_shows_on_the_team_page(client, team, settings):
    settings.DEBUG = True

    assert "Demo Podiatrist" in text(client.get("/team/"))


def test_a_practitioner_s_page_has_their_registration_and_structured_data(client, team):
    alex, _sam, _demo = team

    response = client.get(f"/team/{alex.slug}/")

    page = text(response)
    assert "Running injuries" in page and "English, Greek" in page
    assert "POD0001234567" in page and "https://www.ahpra.gov.au/Registration/Registers-of-Practitioners.aspx" in (
        response.content.decode()
    )
    blocks = [json.loads(b) for b in re.findall(r'application/ld\+json">(.*?)</script>', response.content.decode())]
    (physician,) = [block for block in blocks if block.get("@type") == "Physician"]
    assert physician["name"] == "Alex Foot" and physician["knowsLanguage"] == ["English", "Greek"]
    assert client.get("/team/demo-podiatrist/").status_code == 404


def test_a_photo_is_served_from_its_own_address_for_a_year(client, team):
    photo = PractitionerPhoto.objects.filter(format="webp").first()

    response = client.get(photo.get_absolute_url())

    assert response.status_code == 200 and response["Content-Type"] == "image/webp"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.content == bytes(photo.data)
    assert client.get(photo.get_absolute_url().replace(".webp", ".jpeg")).status_code == 404


def _practitioner_form(admin_client, practitioner) -> dict:
    page = admin_client.get(f"/admin/bookings/practitioner/{practitioner.pk}/change/").content.decode()
    (form,) = [form for form in forms_of(page) if "name" in form["fields"]]
    return form["fields"]


def test_staff_upload_a_photo_and_must_describe_it(admin_client, client, team):
    _alex, sam, _demo = team
    client.get("/team/")  # cached without Sam's photo
    fields = _practitioner_form(admin_client, sam)
    change = f"/admin/bookings/practitioner/{sam.pk}/change/"

    undescribed = admin_client.post(change, fields | {"photo_upload": SimpleUploadedFile("sam.jpg", jpeg())})
    not_a_photo = admin_client.post(
        change, fields | {"photo_alt": "Sam", "photo_upload": SimpleUploadedFile("sam.jpg", b"not an image")}
    )
    saved = admin_client.post(
        change,
        fields | {"photo_alt": "Sam Heel at the front desk", "photo_upload": SimpleUploadedFile("s.jpg", jpeg())},
    )

    assert "Describe the photo for people who cannot see it." in undescribed.content.decode()
    assert "Upload a valid image" in not_a_photo.content.decode()
    assert saved.status_code == 302, saved.content.decode()[:3000]
    assert sam.photos.count() == 6
    assert 'alt="Sam Heel at the front desk"' in client.get("/team/").content.decode()


def test_with_one_practitioner_offering_the_service_the_choice_is_skipped(client, clinic):
    clinic["practitioners"][1].services.clear()

    response = client.get("/book/assessment/")

    assert response.status_code == 302
    assert response["Location"] == f"/book/assessment/times/?practitioner={clinic['practitioners'][0].pk}"


def test_with_several_the_choice_shows_each_one_s_photo_and_summary(client, team):
    page = client.get("/book/assessment/").content.decode()

    assert 'alt="Alex Foot smiling in the clinic"' in page and "Podiatrist: Helps runners back to running." in page
    assert 'href="/team/"' in page


def test_photos_are_left_out_of_the_page_cache(client, team, django_assert_num_queries):
    photo = PractitionerPhoto.objects.filter(format="jpeg").first()
    client.get(photo.get_absolute_url())

    with django_assert_num_queries(1):  # read from the database again, not kept in workers' memory
        assert client.get(photo.get_absolute_url()).status_code == 200
