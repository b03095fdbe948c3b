"""schema.org JSON-LD for the condition and treatment pages."""

from django.urls import reverse
from django.utils import timezone

from soletherapy.structured_data import absolute_url, breadcrumb_list


def _review(page) -> dict:
    """When the page last changed, and who reviewed it only when a named clinician did."""
    found = {"dateModified": timezone.localdate(page.updated_at).isoformat()}
    if page.is_reviewed:
        found["lastReviewed"] = page.last_reviewed.isoformat()
        found["reviewedBy"] = {
            "@type": "Person",
            "name": page.reviewed_by_name,
            "jobTitle": page.reviewed_by_profession,
        }
    return found


def condition_page(condition) -> dict:
    """Expects `condition.treatments` to hold only the treatments shown on the page."""
    url = absolute_url(condition.get_absolute_url())
    about = {
        "@type": "MedicalCondition",
        "name": condition.title,
        "description": condition.summary,
        "url": url,
    }
    if condition.anatomy:
        about["associatedAnatomy"] = {"@type": "AnatomicalStructure", "name": condition.anatomy}
    about["cause"] = [{"@type": "MedicalCause", "name": cause} for cause in condition.cause_list()]
    about["signOrSymptom"] = [{"@type": "MedicalSignOrSymptom", "name": s} for s in condition.symptom_list()]
    about["riskFactor"] = [{"@type": "MedicalRiskFactor", "name": risk} for risk in condition.risk_factor_list()]
    about["possibleTreatment"] = [
        {"@type": "MedicalTherapy", "name": treatment.title, "url": absolute_url(treatment.get_absolute_url())}
        for treatment in condition.treatments.all()
    ]
    return {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": condition.title,
        "description": condition.summary,
        "url": url,
        "about": about,
        **_review(condition),
        "breadcrumb": breadcrumb_list(
            [("Conditions", reverse("conditions:condition_list")), (condition.title, condition.get_absolute_url())]
        ),
    }


def treatment_page(treatment) -> dict:
    url = absolute_url(treatment.get_absolute_url())
    return {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": treatment.title,
        "description": treatment.summary,
        "url": url,
        "about": {"@type": "MedicalTherapy", "name": treatment.title, "description": treatment.summary, "url": url},
        **_review(treatment),
        "breadcrumb": breadcrumb_list(
            [("Treatments", reverse("conditions:treatment_list")), (treatment.title, treatment.get_absolute_url())]
        ),
    }
