"""One page of the health questionnaire as a form: a field for each of the clinic's questions,
of the kind the clinic chose, filled in with what the patient answered before."""

from django import forms

from bookings.models import QuestionKind
from bookings.models.questionnaire import SCALE_RANGE

YES_NO = [("Yes", "Yes"), ("No", "No")]
LONG_TEXT_LIMIT = 2000
SHORT_TEXT_LIMIT = 300


def _messages(question, limit: int) -> dict[str, str]:
    return {
        "required": f"Please answer “{question.text}”",
        "invalid_choice": f"For “{question.text}”, please choose from the answers shown.",
        "invalid_list": f"For “{question.text}”, please choose from the answers shown.",
        "max_length": f"Please keep your answer to “{question.text}” under {limit:,} characters.",
    }


def _field(question) -> forms.Field:
    kind = question.kind
    limit = LONG_TEXT_LIMIT if kind == QuestionKind.LONG_TEXT else SHORT_TEXT_LIMIT
    common = {
        "label": question.text,
        "required": question.required,
        "help_text": question.help_text,
        "error_messages": _messages(question, limit),
    }
    if kind == QuestionKind.LONG_TEXT:
        return forms.CharField(max_length=limit, widget=forms.Textarea(attrs={"rows": 4}), strip=True, **common)
    if kind == QuestionKind.CHOICE:
        return forms.ChoiceField(choices=[(c, c) for c in question.choice_list()], widget=forms.RadioSelect, **common)
    if kind == QuestionKind.MANY:
        return forms.MultipleChoiceField(
            choices=[(c, c) for c in question.choice_list()], widget=forms.CheckboxSelectMultiple, **common
        )
    if kind == QuestionKind.SCALE:
        choices = [(str(n), str(n)) for n in SCALE_RANGE]
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
    if kind == QuestionKind.YES_NO:
        return forms.ChoiceField(choices=YES_NO, widget=forms.RadioSelect, **common)
    return forms.CharField(max_length=limit, strip=True, **common)


def _initial(answer) -> str | list[str]:
    return answer.value_list() if answer.kind == QuestionKind.MANY else answer.value


class QuestionnaireStepForm(forms.Form):
    """`step` holds the page's questions and earlier answers; `ask_consent` adds the agreement
    the first page needs before anything is kept."""

    consent = forms.BooleanField(
        label="I agree to SOLE THERAPY keeping my answers with my booking, as the privacy notice explains.",
        required=True,
        error_messages={"required": "Please agree to us keeping your answers, so we can save them."},
    )

    def __init__(self, *args, step, ask_consent: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.step = step
        if not ask_consent:
            del self.fields["consent"]
        answered = {answer.question_id: answer for answer in step.answers}
        self.questions = {}
        for question in step.questions:
            name = f"question_{question.pk}"
            field = _field(question)
            if question.pk in answered:
                field.initial = _initial(answered[question.pk])
            self.fields[name] = field
            self.questions[name] = question
        # The consent comes last, after the questions it covers.
        if ask_consent:
            self.fields["consent"] = self.fields.pop("consent")

    def question_fields(self):
        return [(self.questions[name], self[name]) for name in self.questions]

    def values(self) -> dict[int, str]:
        """Each question's answer as stored: "choose any" one choice per line."""
        found = {}
        for name, question in self.questions.items():
            value = self.cleaned_data.get(name)
            found[question.pk] = "\n".join(value) if isinstance(value, list) else (value or "")
        return found
