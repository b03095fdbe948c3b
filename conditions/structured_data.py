"""schema.org JSON-LD for search engines, built as plain dicts and written into the page safely.

The clinic is passed in by the caller (a `bookings.Location` or the stand-in used before one
exists), so this app never imports `bookings`.
"""

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

# Same escapes as django.utils.html.json_script: no "</script>" or "<!--" can end the element.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}

# Monday first, as Python and the clinic's opening hours number the days; also schema.org's names.
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def ld_json_script(data: dict) -> SafeString:
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text.translate(_SCRIPT_ESCAPES)))


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def medical_clinic(clinic) -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalClinic",
        "name": clinic.name,
        "url": absolute_url(reverse("home")),
        "medicalSpecialty": "Podiatric",
    }
    if not clinic:
        return data
    data |= {
        "telephone": clinic.phone.as_e164,
        "email": clinic.email,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": clinic.street_address,
            "addressLocality": clinic.suburb,
            "addressRegion": clinic.state,
            "postalCode": clinic.postcode,
            "addressCountry": "AU",
        },
    }
    if hours := clinic.opening_hours_list:
        data["openingHoursSpecification"] = [
            {
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": DAY_NAMES[row.weekday],
                "opens": row.opens.strftime("%H:%M"),
                "closes": row.closes.strftime("%H:%M"),
            }
            for row in hours
        ]
    return data


def breadcrumb_list(crumbs: list[tuple[str, str]]) -> dict:
    """`crumbs` after Home, as (name, path) pairs."""
    items = [("Home", reverse("home")), *crumbs]
    return {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": absolute_url(path)}
            for position, (name, path) in enumerate(items, start=1)
        ],
    }


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
