"""The health questionnaire in the admin: the clinic's questions, edited without a developer, and
a booking's answers shown to staff (read-only: what the patient said stays as they said it)."""

from django.contrib import admin
from django.template.loader import render_to_string

from bookings.models import HealthQuestion, Questionnaire, QuestionStep
from conditions.admin_forms import TEXT_BOXES


@admin.register(HealthQuestion)
class HealthQuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "step", "position", "kind", "required", "active", "asked_for"]
    list_editable = ["position", "required", "active"]
    list_filter = ["step", "kind", "required", "active", "services"]
    search_fields = ["text", "help_text"]
    filter_horizontal = ["services"]
    formfield_overrides = TEXT_BOXES
    fieldsets = [
        (None, {"fields": ["text", "help_text", "kind", "required", "step", "position", "services", "active"]}),
        ("Choices", {"fields": ["choices"], "description": "For “Choose one” and “Choose any” questions."}),
        ("Scale", {"fields": ["scale_low", "scale_high"], "description": "For “Scale from 0 to 10” questions."}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("services")

    @admin.display(description="Asked for")
    def asked_for(self, obj):
        return ", ".join(service.name for service in obj.services.all()) or "No appointment (not asked)"


def answers_html(questionnaire: Questionnaire | None) -> str:
    """A booking's answers, page by page, as the patient gave them (for the booking and patient
    pages in the admin)."""
    if questionnaire is None:
        return "Not started."
    answers = list(questionnaire.answers.all())
    pages = [(step.label, [a for a in answers if a.step == step]) for step in QuestionStep]
    return render_to_string(
        "admin/bookings/questionnaire_answers.html",
        {"questionnaire": questionnaire, "pages": [(title, found) for title, found in pages if found]},
    )
