"""Staff write Markdown; the site stores it rendered and sanitised, so nothing a staff member
types can run script in a patient's browser."""

import markdown as md
import nh3
from django.db import models

ALLOWED_TAGS = {"p", "ul", "ol", "li", "strong", "em", "a", "h3", "h4", "blockquote", "br", "abbr"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}}


def render_markdown(text: str) -> str:
    html = md.markdown(text or "", extensions=["sane_lists"], output_format="html")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer",
    )


class RendersMarkdown(models.Model):
    """Keeps each Markdown field's rendered HTML in its own field (`markdown_fields` maps one to
    the other), rendered once on save rather than on every page view."""

    markdown_fields: dict[str, str] = {}

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        for source, rendered in self.markdown_fields.items():
            setattr(self, rendered, render_markdown(getattr(self, source)))
        super().save(*args, **kwargs)
