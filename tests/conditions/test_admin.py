import re

import pytest
from django.utils import timezone
from reversion.models import Version

from conditions.models import Condition, PublishStatus, Treatment
from tests.conditions.conftest import make_condition, make_treatment

HAMSTRING = "/conditions/hamstring-insertion-pain/"


def change_url(obj) -> str:
    return f"/admin/conditions/{obj._meta.model_name}/{obj.pk}/change/"


def condition_form_data(condition: Condition, *, section_bodies=None, **changes) -> dict:
    """What the admin change form posts for `condition` as it is now, with `changes` applied."""
    sections = list(condition.sections.all())
    data = {
        "title": condition.title,
        "slug": condition.slug,
        "summary": condition.summary,
        "body_area": condition.body_area_id,
        "status": condition.status,
        "anatomy": condition.anatomy,
        "symptoms": condition.symptoms,
        "causes": condition.causes,
        "risk_factors": condition.risk_factors,
        "treatments": [t.pk for t in condition.treatments.all()],
        "related": [c.pk for c in condition.related.all()],
        "reviewed_by_name": condition.reviewed_by_name,
        "reviewed_by_profession": condition.reviewed_by_profession,
        "last_reviewed": condition.last_reviewed.isoformat(),
        "next_review_due": condition.next_review_due.isoformat(),
        "sections-TOTAL_FORMS": len(sections),
        "sections-INITIAL_FORMS": len(sections),
        "sections-MIN_NUM_FORMS": 0,
        "sections-MAX_NUM_FORMS": 1000,
    }
    for i, section in enumerate(sections):
        data |= {
            f"sections-{i}-id": section.pk,
            f"sections-{i}-condition": condition.pk,
            f"sections-{i}-position": section.position,
            f"sections-{i}-heading": section.heading,
            f"sections-{i}-body": (section_bodies or {}).get(section.heading, section.body),
        }
    return data | changes


def treatment_form_data(treatment: Treatment, **changes) -> dict:
    return {
        "title": treatment.title,
        "slug": treatment.slug,
        "summary": treatment.summary,
        "what_to_expect": treatment.what_to_expect,
        "status": treatment.status,
        "position": treatment.position,
        "sections-TOTAL_FORMS": 0,
        "sections-INITIAL_FORMS": 0,
        "sections-MIN_NUM_FORMS": 0,
        "sections-MAX_NUM_FORMS": 1000,
    } | changes


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def hamstring(clinic_content):
    return Condition.objects.get(slug="hamstring-insertion-pain")


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


def test_history_lists_each_change_and_a_revert_restores_the_old_text(client, admin_client, admin_user, hamstring):
    original = hamstring.sections.get(heading="What is it?").body
    admin_client.post(change_url(hamstring), condition_form_data(hamstring))
    admin_client.post(
        change_url(hamstring),
        condition_form_data(hamstring, section_bodies={"What is it?": "Rewritten by staff."}),
    )
    assert "Rewritten by staff." in client.get(HAMSTRING).text

    history = admin_client.get(f"/admin/conditions/condition/{hamstring.pk}/history/")
    versions = list(Version.objects.get_for_object(hamstring).order_by("pk"))
    assert len(versions) == 3  # as loaded from the content files, then the two edits
    assert admin_user.get_username() in history.text
    assert f"/admin/conditions/condition/{hamstring.pk}/history/{versions[0].pk}/" in history.text

    # The revision page shows the old version's form; saving it restores that version.
    revision_url = f"/admin/conditions/condition/{hamstring.pk}/history/{versions[0].pk}/"
    revision_page = admin_client.get(revision_url).text
    assert "Many people put up with this kind of pain" in revision_page
    assert "Rewritten by staff." not in revision_page
    hamstring.refresh_from_db()
    response = admin_client.post(revision_url, condition_form_data(hamstring, section_bodies={"What is it?": original}))

    assert response.status_code == 302
    assert hamstring.sections.get(heading="What is it?").body == original.strip()
    page = client.get(HAMSTRING).text
    assert "Rewritten by staff." not in page
    assert "Hamstring insertion pain is pain at the back of the knee." in page


def test_reverting_a_revision_brings_back_deleted_sections(admin_client, hamstring):
    admin_client.post(change_url(hamstring), condition_form_data(hamstring))
    first_version = Version.objects.get_for_object(hamstring).order_by("-pk").first()
    data = condition_form_data(hamstring)
    anatomy_index = next(i for i in range(6) if data[f"sections-{i}-heading"] == "Anatomy")
    data[f"sections-{anatomy_index}-DELETE"] = "on"
    admin_client.post(change_url(hamstring), data)
    assert not hamstring.sections.filter(heading="Anatomy").exists()

    first_version.revision.revert(delete=True)

    assert hamstring.sections.filter(heading="Anatomy").exists()


def test_body_areas_are_managed_in_the_admin(admin_client, clinic_content):
    response = admin_client.get("/admin/conditions/bodyarea/")

    assert response.status_code == 200
    assert "Knee" in response.text


def test_new_condition_form_suggests_review_dates(admin_client, db):
    response = admin_client.get("/admin/conditions/condition/add/")

    assert response.context["adminform"].form.initial["last_reviewed"] == timezone.localdate()


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


def test_saving_like_a_browser_changes_only_what_was_edited(admin_client, hamstring):
    """Browsers send text boxes with CRLF line breaks; untouched text must stay as it was and
    the history must name only the field that was really edited."""
    from django.contrib.admin.models import LogEntry

    symptoms_before = hamstring.symptoms
    section_before = hamstring.sections.get(heading="Anatomy").body
    data = {
        key: value.replace("\n", "\r\n") if isinstance(value, str) else value
        for key, value in condition_form_data(hamstring, summary="A new summary.").items()
    }

    response = admin_client.post(change_url(hamstring), data)

    assert response.status_code == 302
    hamstring.refresh_from_db()
    assert hamstring.symptoms == symptoms_before
    assert hamstring.sections.get(heading="Anatomy").body == section_before
    change = LogEntry.objects.filter(object_id=str(hamstring.pk)).latest("action_time").get_change_message()
    assert "Summary" in change
    assert "Symptoms" not in change and "Section" not in change
