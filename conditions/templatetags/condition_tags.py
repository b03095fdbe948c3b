from django import template

from conditions import structured_data
from soletherapy.structured_data import ld_json_script

register = template.Library()


@register.simple_tag
def condition_json_ld(condition):
    return ld_json_script(structured_data.condition_page(condition))


@register.simple_tag
def treatment_json_ld(treatment):
    return ld_json_script(structured_data.treatment_page(treatment))
