"""The condition and treatment admin forms as a browser posts them."""

from conditions.models import Condition, Treatment

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
        "diagram_alt": condition.diagram_alt,
        "diagram_caption": condition.diagram_caption,
        "treatments": [t.pk for t in condition.treatments.all()],
        "related": [c.pk for c in condition.related.all()],
        "reviewed_by_name": condition.reviewed_by_name,
        "reviewed_by_profession": condition.reviewed_by_profession,
        "reviewer_ahpra_number": condition.reviewer_ahpra_number,
        "last_reviewed": condition.last_reviewed.isoformat() if condition.last_reviewed else "",
        "next_review_due": condition.next_review_due.isoformat() if condition.next_review_due else "",
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
