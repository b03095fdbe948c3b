"""The pre-visit health questionnaire: which questions a booking asks, page by page, and saving
a page of answers (kept with the question's wording as asked). Open until the appointment
starts; read-only after it, and for a cancelled booking."""

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import transaction

from bookings.errors import BookingError
from bookings.models import Answer, Booking, BookingStatus, HealthQuestion, Questionnaire, QuestionStep
from bookings.models.questionnaire import STEP_ORDER

CLOSED_MESSAGE = (
    "Your appointment has started, so these answers can no longer be changed online. "
    "Anything to add? Tell your practitioner at the visit."
)
CANCELLED_MESSAGE = "This booking is cancelled, so there is nothing to fill in."
CONSENT_MESSAGE = "Please agree to us keeping your answers, so we can save them."


class QuestionnaireClosed(BookingError):
    """The answers can no longer be changed (the appointment has started, or was cancelled)."""


@dataclass
class Step:
    step: QuestionStep
    questions: list[HealthQuestion]
    number: int = 0
    done: bool = False
    answers: list[Answer] = field(default_factory=list)
    url: str = ""  # the page's address, for the views to fill in

    @property
    def slug(self) -> str:
        return self.step.value

    @property
    def title(self) -> str:
        return self.step.label


def questionnaire_steps(booking: Booking, questionnaire: Questionnaire | None = None) -> list[Step]:
    """The booking's questionnaire pages, in order, each with its questions (one query) and, when
    there are answers, which pages are done and what was answered."""
    questions = list(HealthQuestion.objects.for_service(booking.service_id))
    done = set(questionnaire.steps_done) if questionnaire else set()
    answers = list(questionnaire.answers.all()) if questionnaire else []
    steps = []
    for step in STEP_ORDER:
        asked = [question for question in questions if question.step == step]
        if asked:
            steps.append(
                Step(
                    step=step,
                    questions=asked,
                    number=len(steps) + 1,
                    done=step.value in done,
                    answers=[answer for answer in answers if answer.step == step],
                )
            )
    return steps


def questionnaire_is_open(booking: Booking, *, now: datetime) -> bool:
    return booking.is_active and now < booking.start


def questionnaire_closed_message(booking: Booking) -> str:
    return CANCELLED_MESSAGE if booking.status == BookingStatus.CANCELLED else CLOSED_MESSAGE


@transaction.atomic
def questionnaire_save_step(
    *, booking: Booking, step: Step, values: dict[int, str], consented: bool, now: datetime
) -> Questionnaire:
    """Keep one page's answers: `values` maps each of the page's question ids to its answer ("" for
    none). The first page saved needs the patient's consent, recorded with the notice version."""
    # Locked, so the appointment cannot start being edited by staff (or cancelled) half-way.
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if not questionnaire_is_open(booking, now=now):
        raise QuestionnaireClosed(questionnaire_closed_message(booking))
    questionnaire = Questionnaire.objects.select_for_update().filter(booking=booking).first()
    if questionnaire is None:
        if not consented:
            raise BookingError(CONSENT_MESSAGE, field="consent")
        questionnaire = Questionnaire.objects.create(
            booking=booking, privacy_notice_version=settings.PRIVACY_NOTICE_VERSION, consented_at=now
        )
    for question in step.questions:
        value = values.get(question.pk, "").strip()
        if not value:
            Answer.objects.filter(questionnaire=questionnaire, question=question).delete()
            continue
        Answer.objects.update_or_create(
            questionnaire=questionnaire,
            question=question,
            defaults={
                "question_text": question.text,
                "kind": question.kind,
                "step": question.step,
                "step_position": question.step_position,
                "position": question.position,
                "value": value,
            },
        )
    if step.slug not in questionnaire.steps_done:
        questionnaire.steps_done = [*questionnaire.steps_done, step.slug]
    every_step = {s.slug for s in questionnaire_steps(booking)}
    if every_step <= set(questionnaire.steps_done) and questionnaire.completed_at is None:
        questionnaire.completed_at = now
    questionnaire.save()
    return questionnaire
