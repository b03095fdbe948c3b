"""The details form's questions as every new visitor first sees them (nothing typed yet, no
errors), rendered once by each worker for each service and concern and kept under the content
generation: rendering each field through its crispy template is most of that page's cost.

Never used for a form holding anything a patient typed (sent back with errors, or opened again
from the review): those are rendered afresh. The kept part holds no form token or key; those
are in the page around it.
"""

from django.template.loader import render_to_string

from bookings import drafts
from bookings.formfields import FormKeyField
from bookings.patient_forms import DetailsForm
from soletherapy.page_cache import content_generation
from soletherapy.worker_pages import WorkerFragments

kept = WorkerFragments(size=64)
KEEP_SECONDS = 3600


def fresh_questions(form, *, service, concern, clinic) -> str:
    """The questions part of `bookings/details.html` for this untouched `form`."""
    if form.is_bound or set(form.initial) - {"concern", "idempotency_key", "started"}:
        raise ValueError("only a form nobody has filled in is kept")
    key = repr((service.pk, getattr(concern, "slug", None), form.initial.get("concern") or ""))

    def render():
        return render_to_string("bookings/details.html#questions", {"form": form, "clinic": clinic})

    return kept.get_or_render(content_generation.current(), key, render, seconds=KEEP_SECONDS)


def details_initial(request, concern) -> tuple[dict, bool]:
    """A fresh form (True), or the patient's answers again when they come back from the review."""
    key = FormKeyField().clean(request.GET.get("key"))
    if draft := drafts.draft_get(request.session, key):
        return DetailsForm.initial_from(drafts.answers(draft)) | {"idempotency_key": key}, False
    return {"concern": concern.slug if concern else "", "idempotency_key": key}, True
