"""What booking and clinic pages write the same way everywhere: a service's fee, a map link."""

from django import template

from bookings import wording

register = template.Library()


@register.filter
def fee(service) -> str:
    return wording.fee_label(service)


@register.filter
def map_link(location) -> str:
    return wording.map_link(location) if location else ""
