"""Every edit of a page is kept: the history lists it, a revert restores it, and saving a form
unchanged records nothing new."""

from reversion.models import Version

from tests.conditions.admin_forms import (
    HAMSTRING,
    change_url,
    condition_form_data,
)


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
