"""Condition and treatment pages in the admin."""

import re

from conditions.models import PublishStatus
from tests.conditions.admin_forms import (
    HAMSTRING,
    change_url,
    condition_form_data,
    messages_of,
    treatment_form_data,
)
from tests.conditions.conftest import make_condition, make_treatment


def test_staff_see_every_condition_with_its_review_state(admin_client, clinic_content, overdue_condition):
    response = admin_client.get("/admin/conditions/condition/")

    assert response.status_code == 200
    assert "Hamstring insertion pain" in response.text
    assert "Calf (gastrocnemius) insertion pain" in response.text
    assert "Overdue" in response.text
    assert f'href="/admin/conditions/condition/{overdue_condition.pk}/preview/"' in response.text


def test_staff_can_search_conditions(admin_client, clinic_content):
    response = admin_client.get("/admin/conditions/condition/", {"q": "hamstring"})

    assert "Hamstring insertion pain" in response.text
    assert "Calf (gastrocnemius) insertion pain" not in response.text


def test_staff_can_filter_to_pages_whose_review_is_overdue(admin_client, clinic_content, overdue_condition):
    response = admin_client.get("/admin/conditions/condition/", {"review": "overdue"})

    assert list(response.context["cl"].result_list) == [overdue_condition]


def test_staff_edit_a_condition_and_the_cached_public_page_shows_it_at_once(client, admin_client, hamstring):
    first = client.get(HAMSTRING)
    assert client.get(HAMSTRING).text == first.text  # now served from the page cache
    assert "Our podiatrists check your running style." not in first.text

    response = admin_client.post(
        change_url(hamstring),
        condition_form_data(hamstring, section_bodies={"What is it?": "Our podiatrists check your running style."}),
    )

    assert response.status_code == 302
    assert "Our podiatrists check your running style." in client.get(HAMSTRING).text


def test_publishing_a_cure_claim_in_a_section_is_refused_and_nothing_is_saved(admin_client, hamstring):
    before = hamstring.sections.get(heading="What is it?").body

    response = admin_client.post(
        change_url(hamstring),
        condition_form_data(hamstring, section_bodies={"What is it?": "Orthotics cure this pain for good."}),
    )

    assert response.status_code == 200
    assert "cannot be published" in response.text
    assert "“cure” in the text of section “What is it?”" in response.text
    assert hamstring.sections.get(heading="What is it?").body == before


def test_publishing_a_testimonial_is_refused_naming_the_phrase_and_where_it_is(admin_client, hamstring):
    response = admin_client.post(
        change_url(hamstring),
        condition_form_data(
            hamstring,
            summary="Patients say we are the best.",
            section_bodies={"Anatomy": '"The team changed my life!" said one runner.'},
        ),
    )

    assert response.status_code == 200
    assert "The summary contains “Patients say”" in response.text
    assert "in the text of section “Anatomy”" in response.text
    assert "changed my life" in response.text
    hamstring.refresh_from_db()
    assert hamstring.summary.startswith("Pain at the back of the knee")


def test_a_draft_with_forbidden_wording_saves_with_a_warning(admin_client, hamstring):
    response = admin_client.post(
        change_url(hamstring),
        condition_form_data(
            hamstring,
            status=PublishStatus.DRAFT,
            section_bodies={"What is it?": "A guaranteed cure."},
        ),
        follow=True,
    )

    assert response.status_code == 200
    warnings = [m for m in messages_of(response) if "Saved as a draft" in m]
    assert len(warnings) == 1
    assert "“guaranteed”" in warnings[0]
    assert "“cure”" in warnings[0]
    assert "section “What is it?”" in warnings[0]
    assert hamstring.sections.get(heading="What is it?").body == "A guaranteed cure."


def test_publishing_a_treatment_with_a_guarantee_is_refused(admin_client, db):
    treatment = make_treatment(title="Heel cups", slug="heel-cups", what_to_expect="Gentle support.")

    response = admin_client.post(
        change_url(treatment), treatment_form_data(treatment, what_to_expect="Results guaranteed, 100% painless.")
    )

    assert response.status_code == 200
    assert "“guaranteed”, “100%”, “painless”" in response.text
    treatment.refresh_from_db()
    assert treatment.what_to_expect == "Gentle support."


def test_staff_are_warned_when_a_review_is_overdue(admin_client, overdue_condition):
    response = admin_client.get(change_url(overdue_condition))

    assert any("clinical review was due on" in m for m in messages_of(response))


def test_staff_can_preview_a_draft_before_it_is_published(client, admin_client, db):
    draft = make_condition(title="Heel pain", slug="heel-pain", status=PublishStatus.DRAFT)
    preview_url = f"/admin/conditions/condition/{draft.pk}/preview/"

    assert client.get("/conditions/heel-pain/").status_code == 404
    change_page = admin_client.get(change_url(draft))
    assert f'href="{preview_url}"' in change_page.text
    response = admin_client.get(preview_url)

    assert response.status_code == 200
    assert "Preview — not published." in response.text
    assert re.search(r"<h1[^>]*>Heel pain</h1>", response.text)


def test_treatment_preview_shows_the_public_template(admin_client, db):
    draft = make_treatment(title="Heel cups", slug="heel-cups", status=PublishStatus.DRAFT)

    response = admin_client.get(f"/admin/conditions/treatment/{draft.pk}/preview/")

    assert "Preview — not published." in response.text
    assert re.search(r"<h1[^>]*>Heel cups</h1>", response.text)


def test_preview_is_for_staff_only(client, db):
    draft = make_condition(title="Heel pain", slug="heel-pain", status=PublishStatus.DRAFT)

    response = client.get(f"/admin/conditions/condition/{draft.pk}/preview/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_view_on_site_is_offered_only_for_published_pages(admin_client, hamstring):
    draft = make_condition(title="Heel pain", slug="heel-pain", status=PublishStatus.DRAFT)

    assert "View on site" in admin_client.get(change_url(hamstring)).text
    assert "View on site" not in admin_client.get(change_url(draft)).text


def test_body_areas_are_managed_in_the_admin(admin_client, clinic_content):
    response = admin_client.get("/admin/conditions/bodyarea/")

    assert response.status_code == 200
    assert "Knee" in response.text


def test_a_condition_cannot_be_linked_as_related_to_itself(admin_client, hamstring):
    response = admin_client.get(change_url(hamstring))

    choices = response.context["adminform"].form.fields["related"].queryset
    assert hamstring not in choices
    assert choices.filter(slug="calf-insertion-pain").exists()


def test_two_sections_cannot_share_a_heading_because_links_to_them_would_clash(admin_client, hamstring):
    data = condition_form_data(hamstring)
    anatomy_index = next(i for i in range(6) if data[f"sections-{i}-heading"] == "Anatomy")
    data[f"sections-{anatomy_index}-heading"] = "What is it"

    response = admin_client.post(change_url(hamstring), data)

    assert response.status_code == 200
    assert "Another section is also called “What is it?”" in response.text
    assert hamstring.sections.filter(heading="Anatomy").exists()


def test_sentences_are_typed_in_text_boxes_that_show_them_whole(admin_client, hamstring):
    from bookings.models import Service

    condition_page = admin_client.get(f"/admin/conditions/condition/{hamstring.pk}/change/").content.decode()
    service = Service.objects.create(name="Assessment", slug="assessment")
    service_page = admin_client.get(f"/admin/bookings/service/{service.pk}/change/").content.decode()

    for name in ("summary", "anatomy", "diagram_alt", "diagram_caption"):
        assert f'<textarea name="{name}"' in condition_page, name
    assert '<textarea name="included"' in service_page and '<textarea name="what_to_bring"' in service_page
