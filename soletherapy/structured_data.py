"""schema.org JSON-LD for search engines, built as plain dicts and written into the page safely:
what every page and app shares (the clinic, breadcrumbs). Imports no app: the clinic is passed
in by the caller (a bookings Location, or the stand-in used before one exists).
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


def faq_page(questions: list[tuple[str, str]]) -> dict:
    """A FAQPage from (question, answer as HTML) pairs."""
    return {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "mainEntity": [
            {"@type": "Question", "name": name, "acceptedAnswer": {"@type": "Answer", "text": answer}}
            for name, answer in questions
        ],
    }


def physician(*, name: str, path: str, description: str, languages: str = "") -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": "Physician",
        "name": name,
        "url": absolute_url(path),
        "description": description,
        "medicalSpecialty": "Podiatric",
    }
    if languages:
        data["knowsLanguage"] = [
            language.strip() for language in languages.replace(" and ", ",").split(",") if language.strip()
        ]
    return data
