"""The forms about the patient: their details for a booking, and joining the waitlist. Only
what the clinic needs, with messages that say how to put a mistake right."""

import re
import time
from datetime import date

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils import timezone
from phonenumber_field.formfields import PhoneNumberField

from bookings.formfields import BirthDateField, FormKeyField
from bookings.forms import concern_field

PHONE_ERROR = "Enter a phone number, like 0412 345 678 (from overseas, start with + and the country code)"
TOO_LONG = "Keep this to %(limit_value)d characters or fewer (you have %(show_value)d)."
# Letters in any language, with the spaces, hyphens, apostrophes and full stops names can have.
NAME_PATTERN = re.compile(r"^[^\W\d_](?:[^\W\d_]|[ '’.\-])*$")
EARLIEST_BIRTH_DATE = date(1900, 1, 1)
# A form older than a day is stale (a person takes longer than BOT_TRAP_MIN_SECONDS to fill one).
TRAP_MAX_AGE = 24 * 60 * 60
_TRAP_SALT = "bookings.bot-trap"
QUIETLY_REFUSED = "Sorry, we could not take that. Please check your details and send the form again."


def _name_field(label, autocomplete):
    return forms.CharField(
        label=label,
        max_length=100,
        error_messages={"required": f"Enter your {label.lower()}", "max_length": TOO_LONG},
        widget=forms.TextInput(attrs={"autocomplete": autocomplete, "spellcheck": "false"}),
    )


def _checked_name(value: str) -> str:
    value = value.strip()
    if not NAME_PATTERN.match(value):
        raise ValidationError("Use letters only, and spaces, hyphens or apostrophes if your name has them")
    return value


# Common slips in the domain of an email address, and what was probably meant.
LIKELY_TYPOS = {
    "gmial.com": "gmail.com", "gamil.com": "gmail.com", "gmal.com": "gmail.com", "gmail.con": "gmail.com",
    "gmail.co": "gmail.com", "gnail.com": "gmail.com", "hotmial.com": "hotmail.com", "hotmal.com": "hotmail.com",
    "hotmail.con": "hotmail.com", "yahooo.com": "yahoo.com", "yaho.com": "yahoo.com", "outlok.com": "outlook.com",
    "outlook.con": "outlook.com", "iclod.com": "icloud.com", "icloud.con": "icloud.com", "bigpond.con": "bigpond.com",
    "bigpon.com": "bigpond.com", "optusnet.con.au": "optusnet.com.au",
}  # fmt: skip


def _email_field(help_text):
    return forms.EmailField(
        label="Email",
        max_length=254,
        help_text=help_text,
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address like name@example.com",
            "max_length": TOO_LONG,
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )


def _large_inputs(form):
    """Large inputs: easy to hit on a phone (at least 44 px high)."""
    for field in form.fields.values():
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


def _free_text(label, limit, example):
    return forms.CharField(
        label=label,
        required=False,
        max_length=limit,
        help_text=f"{example} Up to {limit} characters.",
        error_messages={"max_length": TOO_LONG},
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class BotTrapForm(forms.Form):
    """A field people never see and a time stamp: a form filled in the hidden field, or sent
    faster than a person could, is refused quietly (`caught` says why, for a log line)."""

    # Named like a field a bot fills in; hidden from people and from screen readers.
    website = forms.CharField(
        label="Leave this box empty",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    started = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.caught = ""
        if not self.is_bound:
            self.initial["started"] = form_started_token()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            self.caught = "the hidden field was filled in"
        elif (elapsed := _seconds_since(cleaned.get("started", ""))) is None:
            self.caught = "no readable start time"
        elif elapsed < settings.BOT_TRAP_MIN_SECONDS:
            self.caught = "sent faster than a person could"
        if self.caught:
            raise ValidationError(QUIETLY_REFUSED, code="refused")
        return cleaned


def form_started_token(at: float | None = None) -> str:
    return signing.dumps(int(time.time() if at is None else at), salt=_TRAP_SALT)


def _seconds_since(token: str) -> float | None:
    try:
        return time.time() - signing.loads(token, salt=_TRAP_SALT, max_age=TRAP_MAX_AGE)
    except (signing.BadSignature, TypeError, ValueError):
        return None


class DetailsForm(BotTrapForm):
    """About the patient: only what the clinic needs to book and run the appointment."""

    given_name = _name_field("Given name", "given-name")
    family_name = _name_field("Family name", "family-name")
    email = _email_field("We send your booking confirmation here.")
    # The address a "did you mean" prompt was shown for: sent again unchanged, it is kept.
    email_checked = forms.CharField(required=False, widget=forms.HiddenInput, max_length=254)
    phone = PhoneNumberField(
        label="Mobile phone",
        region="AU",
        help_text="In case we need to contact you about your appointment. A landline is fine too; "
        "for an overseas number, start with + and the country code.",
        error_messages={"required": "Enter your phone number", "invalid": PHONE_ERROR},
    )
    date_of_birth = BirthDateField(
        label="Date of birth (optional)",
        required=False,
        help_text="Day, month and year, for example 27/03/1985 or 27 March 1985.",
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
    concern = concern_field(label="What would you like help with? (optional)", empty_label="Something else / not sure")
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
        _large_inputs(self)

    def clean_given_name(self):
        return _checked_name(self.cleaned_data["given_name"])

    def clean_family_name(self):
        return _checked_name(self.cleaned_data["family_name"])

    def clean_email(self):
        email = self.cleaned_data["email"]
        local, _, domain = email.rpartition("@")
        meant = LIKELY_TYPOS.get(domain.lower())
        if meant and self.data.get("email_checked") != email:
            self.data = self.data.copy()
            self.data["email_checked"] = email  # so the form sent again keeps it
            raise ValidationError(
                f"Did you mean {local}@{meant}? Check your email address, or send the form again to keep it as it is."
            )
        return email

    def clean_date_of_birth(self):
        value = self.cleaned_data["date_of_birth"]
        if value is not None and value >= timezone.localdate():
            raise ValidationError("Your date of birth must be in the past")
        if value is not None and value < EARLIEST_BIRTH_DATE:
            raise ValidationError("Check your date of birth: it must be after 1900")
        if value is not None and (timezone.localdate() - value).days > 120 * 365.25:
            raise ValidationError("Check the year of your date of birth: that would make you over 120")
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


class WaitlistForm(BotTrapForm):
    """Asking to hear of an earlier time: who with, which days, and where to write."""

    practitioner = forms.ChoiceField(label="Who with", widget=forms.RadioSelect)
    earliest = forms.DateField(
        label="From",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "Enter the first day you could come", "invalid": "Enter a date like 07/12/2026"},
    )
    latest = forms.DateField(
        label="Until",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "Enter the last day you could come", "invalid": "Enter a date like 18/12/2026"},
    )
    name = _name_field("Your name", "name")
    email = _email_field("We email you here if a time opens, and nothing else.")
    consent = forms.BooleanField(
        label="I agree to SOLE THERAPY keeping my name and email to tell me of a time, as the privacy notice describes",
        error_messages={"required": "Tick the box to agree, so we can tell you when a time opens"},
    )

    def __init__(self, *args, practitioners, first_day, last_day, **kwargs):
        super().__init__(*args, **kwargs)
        self.practitioners = {str(p.pk): p for p in practitioners}
        self.fields["practitioner"].choices = [("any", "Anyone"), *((str(p.pk), p.name) for p in practitioners)]
        self.first_day, self.last_day = first_day, last_day
        for name in ("earliest", "latest"):
            self.fields[name].input_formats = ["%Y-%m-%d", "%d/%m/%Y"]
            self.fields[name].widget.attrs |= {"min": first_day.isoformat(), "max": last_day.isoformat()}
        _large_inputs(self)

    def clean_name(self):
        return _checked_name(self.cleaned_data["name"])

    def clean_practitioner(self):
        return self.practitioners.get(self.cleaned_data["practitioner"])

    def clean(self):
        cleaned = super().clean()
        earliest, latest = cleaned.get("earliest"), cleaned.get("latest")
        if earliest and not self.first_day <= earliest <= self.last_day:
            self.add_error("earliest", f"Choose a day from {self.first_day:%d/%m/%Y} to {self.last_day:%d/%m/%Y}")
        if latest and not self.first_day <= latest <= self.last_day:
            self.add_error("latest", f"Choose a day from {self.first_day:%d/%m/%Y} to {self.last_day:%d/%m/%Y}")
        if earliest and latest and latest < earliest:
            self.add_error("latest", "The last day must not be before the first")
        return cleaned
