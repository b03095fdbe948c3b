"""The health questionnaire a patient fills in before their visit: the clinic's questions (edited
in the admin) and each booking's answers, which keep the question as it was asked."""

from django.core.exceptions import ValidationError
from django.db import models

from bookings.models.booking import Booking
from bookings.models.schedule import Service


class QuestionKind(models.TextChoices):
    TEXT = "text", "Short answer"
    LONG_TEXT = "long_text", "Longer answer"
    CHOICE = "choice", "Choose one"
    MANY = "many", "Choose any (for example where it hurts)"
    SCALE = "scale", "Scale from 0 to 10"
    YES_NO = "yes_no", "Yes or no"


class QuestionStep(models.TextChoices):
    """The questionnaire's pages, in order: each is saved when the patient moves on."""

    VISIT = "visit", "Why you are coming"
    ACTIVITY = "activity", "Activity and footwear"
    HEALTH = "health", "Your health"
    NEEDLING = "needling", "Before dry needling"


STEP_ORDER = list(QuestionStep)
SCALE_RANGE = range(0, 11)


class HealthQuestionQuerySet(models.QuerySet):
    def for_service(self, service):
        return self.filter(active=True, services=service).order_by("step_position", "position", "pk")


class HealthQuestion(models.Model):
    text = models.CharField("question", max_length=300)
    help_text = models.CharField(
        "hint", max_length=300, blank=True, help_text="Shown under the question, e.g. 'For example: running, netball'."
    )
    kind = models.CharField(max_length=10, choices=QuestionKind, default=QuestionKind.TEXT)
    choices = models.TextField(
        blank=True, help_text="For 'Choose one' and 'Choose any': one choice per line, in the order shown."
    )
    scale_low = models.CharField(max_length=60, blank=True, help_text="For a scale: what 0 means, e.g. 'No pain'.")
    scale_high = models.CharField(
        max_length=60, blank=True, help_text="For a scale: what 10 means, e.g. 'The worst pain imaginable'."
    )
    required = models.BooleanField(default=False)
    step = models.CharField("page", max_length=10, choices=QuestionStep, default=QuestionStep.VISIT)
    # The step's place in STEP_ORDER, kept beside it so questions sort by page in the database.
    step_position = models.PositiveSmallIntegerField(default=0, editable=False)
    position = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers are asked first on the page.")
    services = models.ManyToManyField(
        Service, related_name="health_questions", blank=True, help_text="The appointments that ask this question."
    )
    active = models.BooleanField(default=True, help_text="Untick to stop asking it (answers already given are kept).")

    objects = HealthQuestionQuerySet.as_manager()

    class Meta:
        ordering = ["step_position", "position", "pk"]

    def __str__(self):
        return self.text

    def save(self, *args, **kwargs):
        self.step_position = STEP_ORDER.index(self.step)
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.kind in (QuestionKind.CHOICE, QuestionKind.MANY) and len(self.choice_list()) < 2:
            raise ValidationError({"choices": "Give at least two choices, one per line."})

    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]


class QuestionnaireQuerySet(models.QuerySet):
    def with_answers(self):
        return self.prefetch_related(models.Prefetch("answers", Answer.objects.order_by("step_position", "position")))


class Questionnaire(models.Model):
    """One booking's answers. The patient agrees to the privacy notice before the first answer
    is kept; the version they agreed to is recorded with the time."""

    booking = models.OneToOneField(Booking, on_delete=models.CASCADE, related_name="questionnaire")
    privacy_notice_version = models.CharField(max_length=20)
    consented_at = models.DateTimeField()
    steps_done = models.JSONField(default=list, help_text="The pages the patient has saved.")
    completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = QuestionnaireQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self):
        return f"Health questionnaire for {self.booking}"


class Answer(models.Model):
    """An answer with its question as the patient saw it: editing or removing the question later
    changes neither."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(HealthQuestion, null=True, on_delete=models.SET_NULL, related_name="answers")
    question_text = models.CharField(max_length=300)
    kind = models.CharField(max_length=10, choices=QuestionKind)
    step = models.CharField(max_length=10, choices=QuestionStep)
    step_position = models.PositiveSmallIntegerField(default=0)
    position = models.PositiveSmallIntegerField(default=0)
    # One line per choice for "choose any"; the number for a scale; "Yes" or "No".
    value = models.TextField(max_length=4000, blank=True)

    class Meta:
        ordering = ["step_position", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "question"], name="one_answer_per_question"),
        ]

    def __str__(self):
        return self.question_text

    def value_list(self) -> list[str]:
        return [line for line in self.value.splitlines() if line]
