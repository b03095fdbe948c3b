"""The forms that choose an appointment time: the query strings of the booking steps, and
the time a step is about."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from bookings import availability
from bookings.formfields import TIME_INVALID, MonthField, StartField, read_choice
from bookings.wording import start_value
from conditions.models import Condition

TIME_TAKEN = "Sorry, that time is not available: it has just been taken or is no longer offered online."


def concern_field(**options):
    return forms.ModelChoiceField(
        queryset=Condition.objects.published().order_by("title"), to_field_name="slug", required=False, **options
    )


class ConcernQueryForm(forms.Form):
    """`?concern=` on a booking step: the condition page the patient came from. Anything else
    (an unknown or mangled slug) is quietly ignored."""

    concern = concern_field()

    def chosen(self) -> Condition | None:
        self.is_valid()
        return self.cleaned_data.get("concern")


class TimesQueryForm(forms.Form):
    """The times page's query string: who with, which month and which day. An unreadable value
    is replaced by a sensible default, with a message saying so."""

    practitioner = forms.CharField(required=False)
    month = MonthField(required=False)
    day = forms.DateField(
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": "We could not read that day, so here are the first free times."},
    )

    def __init__(self, *args, practitioners, default_practitioner=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.practitioners = {str(p.pk): p for p in practitioners}
        self.default_practitioner = default_practitioner

    def clean_practitioner(self):
        if "practitioner" not in self.data:
            return self.default_practitioner
        value = self.cleaned_data["practitioner"]
        if value in ("", "any"):
            return None
        if value not in self.practitioners:
            raise ValidationError(
                "That practitioner does not offer this appointment online. Showing everyone who does."
            )
        return self.practitioners[value]

    def picker_choices(self) -> dict:
        """What `picker.build_picker` takes from the query: practitioner, month, day, messages."""
        self.is_valid()
        return {
            "practitioner": self.cleaned_data.get("practitioner"),
            "month": self.cleaned_data.get("month"),
            "day": self.cleaned_data.get("day"),
            "messages": [error for errors in self.errors.values() for error in errors],
        }


class SlotForm(forms.Form):
    """The appointment time a step is about, as the times page offered it: a start and who with
    ("any" for first available). A time picked from offered alternatives (`time_choice`)
    replaces the one that was refused. With `check_free`, valid only while that time is free;
    without, the service that books it is the one to say."""

    start = StartField()
    practitioner = forms.CharField(widget=forms.HiddenInput)

    def __init__(
        self,
        data,
        *,
        service,
        location,
        practitioners,
        now,
        allow_any=True,
        ignore_booking_id=None,
        check_free=True,
        **kwargs,
    ):
        if choice := read_choice(data.get("time_choice")):
            data = data.copy()
            data["start"], data["practitioner"] = start_value(choice[0]), str(choice[1])
        super().__init__(data, **kwargs)
        self.service = service
        self.location = location
        self.practitioners = {str(p.pk): p for p in practitioners}
        self.now = now
        self.allow_any = allow_any
        self.ignore_booking_id = ignore_booking_id
        self.check_free = check_free

    def clean_practitioner(self):
        value = self.cleaned_data["practitioner"]
        if value == "any" and self.allow_any:
            return None
        if value not in self.practitioners:
            raise ValidationError(TIME_INVALID, code="invalid")
        return self.practitioners[value]

    def clean(self):
        cleaned = super().clean()
        if (
            self.check_free
            and not self.errors
            and not availability.is_slot_free(
                service=self.service,
                location=self.location,
                practitioner=cleaned["practitioner"],
                start=cleaned["start"],
                now=self.now,
                ignore_booking_id=self.ignore_booking_id,
            )
        ):
            raise ValidationError(TIME_TAKEN, code="unavailable")
        return cleaned

    @property
    def unavailable(self) -> bool:
        """The time was readable but is not free: offer the nearest free times."""
        return self.has_error(NON_FIELD_ERRORS, "unavailable")
