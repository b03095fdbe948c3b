"""The pre-visit health questionnaire, reached through the booking's private link: an overview of
its pages, and each page, saved when the patient moves on. The answers travel only in the body
of a POST, never in an address."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from bookings import links, services
from bookings.errors import BookingError
from bookings.manage_views import own_booking
from bookings.models import Questionnaire
from bookings.questionnaire_forms import QuestionnaireStepForm
from bookings.views import private
from bookings.wording import booking_appointment
from soletherapy.limits import rate_limited


def _questionnaire(booking) -> Questionnaire | None:
    return Questionnaire.objects.with_answers().filter(booking=booking).first()


def _link(booking, name: str, **kwargs) -> str:
    token = links.manage_token(booking.reference, booking.link_version)
    return reverse(f"bookings:{name}", kwargs={"reference": booking.reference, "token": token, **kwargs})


def _context(booking, questionnaire, steps) -> dict:
    now = timezone.now()
    for page in steps:
        page.url = _link(booking, "questionnaire_step", step=page.slug)
    return {
        "booking": booking,
        "appointment": booking_appointment(booking),
        "clinic": booking.location,
        "manage_url": links.manage_path(booking),
        "questionnaire": questionnaire,
        "steps": steps,
        "overview_url": _link(booking, "questionnaire"),
        "open": services.questionnaire_is_open(booking, now=now),
        "closed_message": services.questionnaire_closed_message(booking),
    }


@private
@require_safe
@own_booking
def overview(request, booking):
    questionnaire = _questionnaire(booking)
    steps = services.questionnaire_steps(booking, questionnaire)
    if not steps:
        raise Http404("This appointment has no health questionnaire.")
    context = _context(booking, questionnaire, steps)
    context["next_step"] = next((step for step in steps if not step.done), None)
    return render(request, "bookings/questionnaire.html", context)


@private
@require_http_methods(["GET", "POST"])
@rate_limited("questionnaire")
@own_booking
def step(request, booking, step):
    questionnaire = _questionnaire(booking)
    steps = services.questionnaire_steps(booking, questionnaire)
    page = next((candidate for candidate in steps if candidate.slug == step), None)
    if page is None:
        raise Http404("There is no such page in this questionnaire.")
    context = _context(booking, questionnaire, steps) | {"page": page}
    if not context["open"]:
        # Read-only now: what was answered, and why it cannot change.
        return render(request, "bookings/questionnaire.html", context, status=409 if request.method == "POST" else 200)
    form = QuestionnaireStepForm(
        request.POST if request.method == "POST" else None, step=page, ask_consent=questionnaire is None
    )
    context["form"] = form
    if request.method == "GET" or not form.is_valid():
        return render(request, "bookings/questionnaire_step.html", context, status=400 if form.is_bound else 200)
    try:
        saved = services.questionnaire_save_step(
            booking=booking,
            step=page,
            values=form.values(),
            consented=bool(form.cleaned_data.get("consent")),
            now=timezone.now(),
        )
    except BookingError as refusal:
        form.add_error(refusal.field if refusal.field in form.fields else None, str(refusal))
        return render(request, "bookings/questionnaire_step.html", context, status=409)
    following = next((later for later in steps[page.number :] if later.slug not in saved.steps_done), None)
    if following is not None:
        messages.success(request, f"Saved “{page.title}”. Next: {following.title}.")
        return redirect(following.url)
    messages.success(
        request, "Thank you: your answers are saved, and your practitioner will read them before your visit."
    )
    return redirect(context["overview_url"])
