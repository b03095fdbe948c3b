import logging

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from conditions import structured_data
from conditions.diagrams import DiagramRefused, clean_svg
from conditions.registration import AHPRA_REGISTER
from soletherapy.structured_data import ld_json_script

register = template.Library()
logger = logging.getLogger(__name__)


@register.inclusion_tag("conditions/review_note.html")
def review_note(page):
    """When the page last changed; who reviewed it only when a named, registered clinician did."""
    return {"page": page, "register": AHPRA_REGISTER}


@register.simple_tag
def condition_json_ld(condition):
    return ld_json_script(structured_data.condition_page(condition))


@register.simple_tag
def treatment_json_ld(treatment):
    return ld_json_script(structured_data.treatment_page(treatment))


@register.simple_tag
def condition_diagram(condition, section=None):
    """The condition's diagram as a figure, in the section it belongs to (the one about
    anatomy, else the first): a picture with its text alternative as its name, and a caption."""
    sections = list(condition.sections.all())
    if not condition.diagram or (section is not condition.diagram_section(sections) and sections):
        return ""
    try:
        # Cleaned when it was stored; cleaned again here, so nothing else can ever reach a page.
        svg = clean_svg(condition.diagram)
    except DiagramRefused:
        logger.error("The diagram of condition %s could not be shown: it is no longer a clean drawing.", condition.pk)
        return ""
    title_id = f"diagram-{condition.slug}-title"
    svg = svg.replace("<svg ", f'<svg role="img" aria-labelledby="{title_id}" ', 1)
    start_tag_end = svg.index(">") + 1
    title = format_html('<title id="{}">{}</title>', title_id, condition.diagram_alt)
    return format_html(
        '<figure class="anatomy-figure">{}<figcaption>{}</figcaption></figure>',
        mark_safe(svg[:start_tag_end] + title + svg[start_tag_end:]),  # noqa: S308 (rebuilt from an allow-list)
        condition.diagram_caption,
    )
