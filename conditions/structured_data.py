"""schema.org JSON-LD for the condition and treatment pages."""

from django.urls import reverse

from soletherapy.structured_data import absolute_url, breadcrumb_list


def _reviewer(name: str, profession: str) -> dict:
    # No profession means a team reviewed the page, not one person.
    if not profession:
        return {"@type": "Organization", "name": name}
    return {"@type": "Person", "name": name, "jobTitle": profession}


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
        "lastReviewed": condition.last_reviewed.isoformat(),
        "reviewedBy": _reviewer(condition.reviewed_by_name, condition.reviewed_by_profession),
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
        "breadcrumb": breadcrumb_list(
            [("Treatments", reverse("conditions:treatment_list")), (treatment.title, treatment.get_absolute_url())]
        ),
    }
