"""Template tags every page may use: breadcrumbs, the clinic's week of opening hours and its
structured data."""

from django import template

from soletherapy import structured_data

register = template.Library()


@register.simple_tag
def crumbs(*labels_and_urls):
    """Breadcrumbs after Home for includes/breadcrumbs.html: `{% crumbs "Conditions" url "Title" "" as c %}`."""
    pairs = list(labels_and_urls)
    return list(zip(pairs[::2], pairs[1::2], strict=True))


@register.simple_tag
def opening_week(hours):
    """Every day of the week, Monday first, with that day's opening hours (none when closed)."""
    by_day = {day: [] for day in range(7)}
    for row in hours or ():
        by_day[row.weekday].append(row)
    return [(structured_data.DAY_NAMES[day], rows) for day, rows in by_day.items()]


@register.simple_tag(takes_context=True)
def clinic_json_ld(context):
    return structured_data.ld_json_script(structured_data.medical_clinic(context["clinic"]))
