import pytest
from django.core.management import call_command

from bookings.models import Location, Practitioner, Service, WorkingHours
from conditions.models import Condition, ConditionSection, Treatment

pytestmark = pytest.mark.django_db


def test_loading_the_clinic_content_twice_duplicates_nothing_and_keeps_staff_edits():
    call_command("load_clinic_content", verbosity=0)
    condition = Condition.objects.get(slug="hamstring-insertion-pain")
    condition.summary = "Edited by the clinic."
    condition.save()
    counts = (
        Condition.objects.count(),
        ConditionSection.objects.count(),
        Treatment.objects.count(),
        Service.objects.count(),
    )

    call_command("load_clinic_content", verbosity=0)

    assert (
        Condition.objects.count(),
        ConditionSection.objects.count(),
        Treatment.objects.count(),
        Service.objects.count(),
    ) == counts
    assert Condition.objects.get(slug="hamstring-insertion-pain").summary == "Edited by the clinic."
    assert counts[0] == 2 and counts[2] == 5
    assert Service.objects.get(slug="biomechanical-assessment").duration_minutes == 60
    assert Service.objects.filter(price__isnull=False).count() == 0  # never an invented price
    assert Location.objects.count() == 1


def test_the_demo_schedule_is_marked_and_removable():
    call_command("load_clinic_content", verbosity=0)
    call_command("load_demo_schedule", verbosity=0)
    call_command("load_demo_schedule", verbosity=0)
    assert Practitioner.objects.filter(is_demo=True).count() == 1
    assert WorkingHours.objects.count() > 0

    call_command("remove_demo_data", verbosity=0)

    assert Practitioner.objects.count() == 0
    assert WorkingHours.objects.count() == 0
    assert Location.objects.count() == 1  # the clinic's own record is not demo data


def test_loaded_pages_have_a_first_revision_staff_can_go_back_to():
    from reversion.models import Version

    call_command("load_clinic_content", verbosity=0)

    condition = Condition.objects.get(slug="calf-insertion-pain")
    versions = Version.objects.get_for_object(condition)
    assert versions.count() == 1
    assert versions[0].revision.comment == "Loaded from the clinic's content files."
