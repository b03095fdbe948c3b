import re
from datetime import date

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from phonenumber_field.formfields import PhoneNumberField

from bookings import availability
from bookings.formfields import TIME_INVALID, FormKeyField, MonthField, StartField, read_choice
from bookings.wording import start_value
from conditions.models import Condition

PHONE_ERROR = "Enter a phone number, like 0412 345 678 (from overseas, start with + and the country code)"
TOO_LONG = "Keep this to %(limit_value)d characters or fewer (you have %(show_value)d)."
TIME_TAKEN = "Sorry, that time is not available: it has just been taken or is no longer offered online."
# Letters in any language, with the spaces, hyphens, apostrophes and full stops names can have.
NAME_PATTERN = re.compile(r"^[^\W\d_](?:[^\W\d_]|[ '’.\-])*$")
EARLIEST_BIRTH_DATE = date(1900, 1, 1)


def _concern_field(**options):
    return forms.ModelChoiceField(
        queryset=Condition.objects.published().order_by("title"), to_field_name="slug", required=False, **options
    )


class ConcernQueryForm(forms.Form):
    """`?concern=` on a booking step: the condition page the patient came from. Anything else
    (an unknown or mangled slug) is quietly ignored."""

    concern = _concern_field()

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


def _name_field(label, autocomplete):
    return forms.CharField(
        label=label,
        max_length=100,
        error_messages={"required": f"Enter your {label.lower()}", "max_length": TOO_LONG},
        widget=forms.TextInput(attrs={"autocomplete": autocomplete, "spellcheck": "false"}),
    )


def _free_text(label, limit, example):
    return forms.CharField(
        label=label,
        required=False,
        max_length=limit,
        help_text=f"{example} Up to {limit} characters.",
        error_messages={"max_length": TOO_LONG},
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DetailsForm(forms.Form):
    """About the patient: only what the clinic needs to book and run the appointment."""

    given_name = _name_field("Given name", "given-name")
    family_name = _name_field("Family name", "family-name")
    email = forms.EmailField(
        label="Email",
        max_length=254,
        help_text="We send your booking confirmation here.",
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address like name@example.com",
            "max_length": TOO_LONG,
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    phone = PhoneNumberField(
        label="Mobile phone",
        region="AU",
        help_text="In case we need to contact you about your appointment. A landline is fine too.",
        error_messages={"required": "Enter your phone number", "invalid": PHONE_ERROR},
    )
    date_of_birth = forms.DateField(
        label="Date of birth (optional)",
        required=False,
        input_formats=["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %m %Y", "%Y-%m-%d"],
        help_text="Day, month and year, for example 27/03/1985.",
        error_messages={"invalid": "Enter your date of birth as day, month and year, like 27/03/1985"},
        # Text, not a date picker: typing a birth date is quicker, and it reads the same
        # (day first) whatever the browser's language.
        widget=forms.DateInput(attrs={"autocomplete": "bday"}, format="%d/%m/%Y"),
    )
    is_returning = forms.TypedChoiceField(
        label="Have you visited SOLE THERAPY before?",
        choices=[("no", "No, this is my first visit"), ("yes", "Yes, I have visited before")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Tell us if you have visited SOLE THERAPY before"},
    )
    concern = _concern_field(label="What would you like help with? (optional)", empty_label="Something else / not sure")
    concern_text = _free_text(
        "Tell us about your concern (optional)", 500, "For example, where it hurts and for how long."
    )
    notes = _free_text(
        "Anything else we should know? (optional)", 2000, "For example, access needs or the best time to call you."
    )
    consent = forms.BooleanField(
        label="I agree to SOLE THERAPY collecting and using these details, as the privacy notice above describes",
        error_messages={"required": "Tick the box to agree to how we handle your details, so we can book for you"},
    )
    idempotency_key = FormKeyField()

    def __init__(self, *args, service, **kwargs):
        super().__init__(*args, **kwargs)
        self.service = service
        self.fields["phone"].widget.attrs["autocomplete"] = "tel"
        for field in self.fields.values():
            # Large inputs: easy to hit on a phone (at least 44 px high).
            widget = field.widget
            if isinstance(widget, forms.Select) and not isinstance(widget, forms.RadioSelect):
                widget.attrs["class"] = "form-select-lg"
            elif isinstance(widget, forms.Textarea) or getattr(widget, "input_type", "") in (
                "text",
                "email",
                "tel",
                "date",
            ):
                widget.attrs["class"] = "form-control-lg"

    def clean_given_name(self):
        return self._clean_name("given_name")

    def clean_family_name(self):
        return self._clean_name("family_name")

    def _clean_name(self, name):
        value = self.cleaned_data[name].strip()
        if not NAME_PATTERN.match(value):
            raise ValidationError("Use letters only, and spaces, hyphens or apostrophes if your name has them")
        return value

    def clean_date_of_birth(self):
        value = self.cleaned_data["date_of_birth"]
        if value is not None and value >= timezone.localdate():
            raise ValidationError("Your date of birth must be in the past")
        if value is not None and value < EARLIEST_BIRTH_DATE:
            raise ValidationError("Check your date of birth: it must be after 1900")
        return value

    def clean(self):
        cleaned = super().clean()
        if self.service.new_patient_only and cleaned.get("is_returning"):
            self.add_error(
                "is_returning", f"{self.service.name} is for new patients. Please choose a follow-up appointment."
            )
        return cleaned

    @staticmethod
    def initial_from(answers: dict) -> dict:
        """The form filled in again with a draft's answers (`drafts.answers`), to fix a typo.
        Coming back to do that does not undo the patient's agreement."""
        return answers | {"is_returning": "yes" if answers["is_returning"] else "no"}
