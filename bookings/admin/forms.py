"""The bookings admin's forms: each stops a mistake staff could otherwise make silently. The
booking form checks no schedule itself: it shows the reason the booking services give."""

from django import forms
from django.urls import reverse
from django.utils.html import format_html

from bookings.errors import BookingError, OutsideNormalHours
from bookings.models import Booking, BookingChannel, BookingStatus, Patient, Practitioner, Service
from bookings.photos import PhotoRefused, photo_variants
from conditions.compliance import describe_claims, find_forbidden_claims

OUTSIDE_HOURS_HELP = "Tick to book anyway: in the past, outside working hours, or on a day the clinic is closed."


class BookingAdminForm(forms.ModelForm):
    # Set (on a subclass made for one request) when a booking service refused this very form's
    # save: the form comes back as typed, with the service's reason by the field it is about.
    refusal: BookingError | None = None

    outside_hours_ok = forms.BooleanField(
        label="Book outside normal hours", required=False, help_text=OUTSIDE_HOURS_HELP
    )

    class Meta:
        model = Booking
        fields = [
            "patient",
            "service",
            "practitioner",
            "location",
            "start",
            "status",
            "channel",
            "concern",
            "concern_text",
            "notes",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.fields["channel"].initial = BookingChannel.PHONE
            self.fields["status"].choices = [
                (BookingStatus.CONFIRMED, BookingStatus.CONFIRMED.label),
                (BookingStatus.REQUESTED, BookingStatus.REQUESTED.label),
            ]

    def clean(self):
        data = super().clean()
        if self.refusal is not None:
            field = self.refusal.field if self.refusal.field in self.fields else None
            message = str(self.refusal)
            if isinstance(self.refusal, OutsideNormalHours):
                message += " Check the date and time, or tick “Book outside normal hours” to book it anyway."
            self.add_error(field, message)
        return data


class PatientAdminForm(forms.ModelForm):
    """Refuses a second record for someone already recorded (same names and email)."""

    def clean(self):
        data = super().clean()
        given, family, email = (data.get(name, "").strip() for name in ("given_name", "family_name", "email"))
        identity_changed = not self.instance.pk or {"given_name", "family_name", "email"} & set(self.changed_data)
        # Without an email two people with the same name cannot be told apart, so they may both exist.
        if not (given and family and email and identity_changed):
            return data
        existing = (
            Patient.objects.same_person(given_name=given, family_name=family, email=email)
            .exclude(pk=self.instance.pk)
            .order_by("created_at")
            .first()
        )
        if existing:
            url = reverse("admin:bookings_patient_change", args=[existing.pk])
            raise forms.ValidationError(
                format_html(
                    'This patient is already recorded: <a href="{}">{}</a> with the same email. '
                    "Book for that record (or update it) rather than adding another.",
                    url,
                    existing,
                )
            )
        return data


class ServiceAdminForm(forms.ModelForm):
    """Service names and descriptions are shown on the website, so the health advertising
    wording check applies to them as to condition pages."""

    checked_fields = ("name", "description", "what_to_bring", "included")

    class Meta:
        # The admin gives the model and fields; these sentences get text boxes that show them whole.
        widgets = {"what_to_bring": forms.Textarea(attrs={"rows": 2}), "included": forms.Textarea(attrs={"rows": 2})}

    def clean(self):
        data = super().clean()
        active = data.get("active", self.instance.active)
        if not active:
            return data
        for name in self.checked_fields:
            # The list page edits only some fields; the others are checked as stored.
            value = data[name] if name in data else getattr(self.instance, name)
            phrases = find_forbidden_claims(value or "")
            if not phrases:
                continue
            where = str(Service._meta.get_field(name).verbose_name)
            message = (
                f"The {where} contains {describe_claims(phrases)}, which health advertising law does not allow. "
                "Reword it, or untick Active."
            )
            self.add_error(name if name in self.fields else None, message)
        return data


class PractitionerAdminForm(forms.ModelForm):
    photo_upload = forms.ImageField(
        label="New photo",
        required=False,
        help_text="A JPEG, PNG or WebP photo, at least 320 pixels wide; it is cropped to a portrait and resized.",
    )

    class Meta:
        model = Practitioner
        fields = [
            "name", "slug", "profession", "active", "is_demo", "user", "qualifications", "summary", "bio", "interests",
            "languages", "ahpra_number", "photo_alt", "services", "locations",
        ]  # fmt: skip
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "interests": forms.Textarea(attrs={"rows": 2}),
            "photo_alt": forms.Textarea(attrs={"rows": 2}),
        }

    def clean_photo_upload(self):
        upload = self.cleaned_data.get("photo_upload")
        if not upload:
            return None
        upload.seek(0)
        data = upload.read()
        try:
            photo_variants(data)  # the same checks the save makes, so a refusal comes back as a message
        except PhotoRefused as refusal:
            raise forms.ValidationError(str(refusal)) from refusal
        return data

    def clean(self):
        cleaned_data = super().clean()
        has_photo = cleaned_data.get("photo_upload") or (self.instance.pk and self.instance.photos.exists())
        if has_photo and not (cleaned_data.get("photo_alt") or "").strip():
            self.add_error("photo_alt", "Describe the photo for people who cannot see it.")
        return cleaned_data
