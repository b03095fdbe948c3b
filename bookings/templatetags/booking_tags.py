"""What booking and clinic pages write the same way everywhere: a service's fee, a map link."""

from django import template
from django.utils.html import format_html

from bookings import wording
from soletherapy import structured_data

register = template.Library()


@register.filter
def fee(service) -> str:
    return wording.fee_label(service)


@register.filter
def map_link(location) -> str:
    return wording.map_link(location) if location else ""


@register.simple_tag
def practitioner_picture(practitioner, sizes: str, *, eager: bool = False, css_class: str = ""):
    """The practitioner's photo: WebP where the browser takes it, JPEG otherwise, each in every
    width made, so the browser picks the smallest that is sharp; width and height keep the space."""
    photos = list(practitioner.photos.all())
    jpegs = [photo for photo in photos if photo.format == "jpeg"]
    if not jpegs or not practitioner.photo_alt:
        return ""

    def srcset(chosen):
        return ", ".join(f"{photo.get_absolute_url()} {photo.width}w" for photo in chosen)

    fallback = jpegs[min(1, len(jpegs) - 1)]
    return format_html(
        '<picture><source type="image/webp" srcset="{}" sizes="{}">'
        '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}" class="{}" loading="{}" decoding="async">'
        "</picture>",
        srcset([photo for photo in photos if photo.format == "webp"]),
        sizes,
        fallback.get_absolute_url(),
        srcset(jpegs),
        sizes,
        fallback.width,
        fallback.height,
        practitioner.photo_alt,
        css_class,
        "eager" if eager else "lazy",
    )


@register.simple_tag
def practitioner_json_ld(practitioner):
    return structured_data.ld_json_script(
        structured_data.physician(
            name=practitioner.name,
            path=practitioner.get_absolute_url(),
            description=practitioner.summary or practitioner.profession,
            languages=practitioner.languages,
        )
    )


@register.filter
def what_to_bring(service) -> str:
    return wording.what_to_bring(service)
