import re
import uuid
from datetime import date

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from phonenumber_field.formfields import PhoneNumberField

from bookings import flow
from conditions.models import Condition

PHONE_ERROR = "Enter a phone number, like 0412 345 678 (from overseas, start with + and the country code)"
TOO_LONG = "Keep this to %(limit_value)d characters or fewer (you have %(show_value)d)."
TIME_INVALID = "We could not find that appointment time. Please choose a time again."
TIME_TAKEN = "Sorry, that time is not available: it has just been taken or is no longer offered online."
# Letters in any language, with the spaces, hyphens, apostrophes and full stops names can have.
NAME_PATTERN = re.compile(r"^[^\W\d_](?:[^\W\d_]|[ '’.\-])*$")
EARLIEST_BIRTH_DATE = date(1900, 1, 1)


class TimesQueryForm(forms.Form):
    """The times page's query string: who with, which month and which day."""

    practitioner = forms.CharField(required=False)
    month = forms.CharField(required=False)
    day = forms.DateField(
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": "We could not read that day, so here are the first free times."},
    )

    def __init__(self, *args, practitioners, **kwargs):
        super().__init__(*args, **kwargs)
        self.practitioners = {str(p.pk): p for p in practitioners}

    def clean_practitioner(self):
        value = self.cleaned_data["practitioner"]
        if value in ("", "any"):
            return None
        if value not in self.practitioners:
            raise ValidationError(
                "That practitioner does not offer this appointment online. Showing everyone who does."
            )
        return self.practitioners[value]

    def clean_month(self):
        value = self.cleaned_data["month"]
        if not value:
            return None
        month = flow.parse_month(value)
        if month is None:
            raise ValidationError("We could not read that month, so here are the first free times.")
        return month


class SlotForm(forms.Form):
    """The appointment time a step is about, as the times page offered it: a start and who with
    ("any" for first available). Valid only while that time is free."""

    start = forms.CharField(widget=forms.HiddenInput)
    practitioner = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, service, location, practitioners, now, allow_any=True, ignore_booking_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.service = service
        self.location = location
        self.practitioners = {str(p.pk): p for p in practitioners}
        self.now = now
        self.allow_any = allow_any
        self.ignore_booking_id = ignore_booking_id

    def clean_start(self):
        start = flow.parse_start(self.cleaned_data["start"])
        if start is None:
            raise ValidationError(TIME_INVALID, code="invalid")
        return start

    def clean_practitioner(self):
        value = self.cleaned_data["practitioner"]
        if value == "any" and self.allow_any:
            return None
        if value not in self.practitioners:
            raise ValidationError(TIME_INVALID, code="invalid")
        return self.practitioners[value]

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not flow.slot_is_free(
            service=self.service,
            location=self.location,
            practitioner=cleaned["practitioner"],
            start=cleaned["start"],
            now=self.now,
            ignore_booking_id=self.ignore_booking_id,
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
    concern = forms.ModelChoiceField(
        label="What would you like help with? (optional)",
        queryset=Condition.objects.published().order_by("title"),
        to_field_name="slug",
        required=False,
        empty_label="Something else / not sure",
    )
    concern_text = forms.CharField(
        label="Tell us about your concern (optional)",
        required=False,
        max_length=500,
        help_text="For example, where it hurts and for how long. Up to 500 characters.",
        error_messages={"max_length": TOO_LONG},
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    notes = forms.CharField(
        label="Anything else we should know? (optional)",
        required=False,
        max_length=2000,
        help_text="For example, access needs or the best time to call you. Up to 2000 characters.",
        error_messages={"max_length": TOO_LONG},
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    consent = forms.BooleanField(
        label="I agree to SOLE THERAPY collecting and using these details, as the privacy notice above describes",
        error_messages={"required": "Tick the box to agree to how we handle your details, so we can book for you"},
    )
    idempotency_key = forms.CharField(required=False, widget=forms.HiddenInput)

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

    def clean_idempotency_key(self):
        return flow.parse_key(self.cleaned_data["idempotency_key"]) or uuid.uuid4()

    def clean(self):
        cleaned = super().clean()
        if self.service.new_patient_only and cleaned.get("is_returning"):
            self.add_error(
                "is_returning", f"{self.service.name} is for new patients. Please choose a follow-up appointment."
            )
        return cleaned

    def draft(self) -> dict:
        """The patient's answers, JSON-ready for the session."""
        data = self.cleaned_data
        return {
            "given_name": data["given_name"],
            "family_name": data["family_name"],
            "email": data["email"],
            "phone": data["phone"].as_e164,
            "date_of_birth": data["date_of_birth"].isoformat() if data["date_of_birth"] else None,
            "is_returning": data["is_returning"],
            "concern": data["concern"].slug if data["concern"] else "",
            "concern_text": data["concern_text"],
            "notes": data["notes"],
            "consent": data["consent"],
        }

    @staticmethod
    def initial_from_draft(draft: dict) -> dict:
        return {
            "given_name": draft["given_name"],
            "family_name": draft["family_name"],
            "email": draft["email"],
            "phone": draft["phone"],
            "date_of_birth": date.fromisoformat(draft["date_of_birth"]) if draft["date_of_birth"] else None,
            "is_returning": "yes" if draft["is_returning"] else "no",
            "concern": draft["concern"],
            "concern_text": draft["concern_text"],
            "notes": draft["notes"],
            # Coming back from the review to fix a typo should not undo their agreement.
            "consent": draft.get("consent", False),
        }
