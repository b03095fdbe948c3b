"""Staff booking on the same free times patients see online. A phone or walk-in booking: choose
the appointment, then a day and a time with a practitioner or the first available; then the
patient, found (by name, email, phone in any form or date of birth) or added on a page that
needs no JavaScript; then the booking form, filled in, to save. Moving a booking: the same
picker from the booking's page, then a confirmation. The booking services refuse an overlap."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.http import urlencode

from bookings import services
from bookings.admin.forms import PatientAdminForm
from bookings.admin.patients import warn_about_likely_duplicates
from bookings.errors import BookingError
from bookings.formfields import BirthDateField
from bookings.forms import SlotForm
from bookings.models import Location, Patient, Practitioner, Service
from bookings.patient_forms import EARLIEST_BIRTH_DATE
from bookings.selectors import main_location
from bookings.views import picker_context
from bookings.wording import appointment, booking_appointment

# What a chosen time carries from the picker or the calendar, through the patient step, to the
# booking form: ids and a time, never anything about the patient.
CARRIED = ("service", "location", "practitioner", "start")
MOST_FOUND = 20


class NewPatientForm(PatientAdminForm):
    date_of_birth = BirthDateField(
        label="Date of birth",
        required=False,
        help_text="As the caller says it: 27/03/1985 or 27 March 1985.",
        error_messages={"invalid": "Enter the date of birth as day, month and year, like 27/03/1985."},
        widget=forms.DateInput(format="%d/%m/%Y"),
    )

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        if born is not None and not (EARLIEST_BIRTH_DATE <= born < timezone.localdate()):
            raise forms.ValidationError("Check the date of birth: it must be in the past and after 1900.")
        return born

    class Meta:
        model = Patient
        fields = ["given_name", "family_name", "phone", "email", "date_of_birth", "is_returning"]


def _pk(value) -> int | None:
    return int(value) if isinstance(value, str) and value.isdigit() and len(value) < 10 else None


def chosen_appointment(carry: dict) -> dict | None:
    """The appointment a carried time names, in words, or None when it names none."""
    service = Service.objects.filter(pk=_pk(carry.get("service"))).first()
    try:
        start = parse_datetime(carry.get("start", ""))
    except ValueError:
        start = None
    if service is None or start is None or timezone.is_naive(start):
        return None
    location = Location.objects.filter(pk=_pk(carry.get("location"))).first() or main_location()
    practitioner = Practitioner.objects.filter(pk=_pk(carry.get("practitioner"))).first()
    return appointment(service=service, location=location, start=start, practitioner=practitioner)


class PhoneBookingMixin:
    def get_urls(self):
        own = [
            path("phone/", self.admin_site.admin_view(self.phone_booking), name="bookings_booking_phone"),
            path(
                "phone/patient/",
                self.admin_site.admin_view(self.phone_booking_patient),
                name="bookings_booking_phone_patient",
            ),
            path("<int:booking_id>/move/", self.admin_site.admin_view(self.move_booking), name="bookings_booking_move"),
        ]
        return [*own, *super().get_urls()]

    def phone_booking(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        location = main_location()
        if not location:
            raise PermissionDenied("Set up the clinic first.")
        services = list(Service.objects.filter(active=True))
        context = {
            **self.admin_site.each_context(request),
            "title": "New phone booking",
            "opts": self.model._meta,
            "services": services,
            "clinic": location,
        }
        slug = request.GET.get("service")
        if slug:
            service = get_object_or_404(Service.objects.filter(active=True), slug=slug)
            practitioners = list(Practitioner.objects.offering(service, location))
            context |= {"service": service, "practitioners": practitioners}
            context |= picker_context(
                request,
                service=service,
                location=location,
                practitioners=practitioners,
                slot_url=reverse("admin:bookings_booking_phone_patient"),
                carry={"service": service.pk, "location": location.pk},
                for_staff=True,
            )
            # The picker's own links keep the service chosen here.
            context["page_state"] = context["page_state"] | {"service": service.slug}
        return TemplateResponse(request, "admin/bookings/phone_booking.html", context)

    def phone_booking_patient(self, request):
        """Who the chosen time is for: a search (by POST, so no name or number is put in an
        address) listing the matching records, each with "Book for", and a form to add someone
        new. Either leads to the booking form with the time and the patient filled in."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        patients = self.admin_site.get_model_admin(Patient)
        if not patients.has_view_permission(request):
            raise PermissionDenied
        carry = {name: request.GET[name] for name in CARRIED if request.GET.get(name)}
        booking_form = reverse("admin:bookings_booking_add")
        can_add = patients.has_add_permission(request)
        new_patient = NewPatientForm(prefix="new")
        query, found = "", None
        if request.method == "POST" and "add_patient" in request.POST:
            if not can_add:
                raise PermissionDenied
            new_patient = NewPatientForm(request.POST, prefix="new")
            if new_patient.is_valid():
                patient = new_patient.save()
                warn_about_likely_duplicates(request, patient)
                messages.success(request, f"{patient} added. Check the booking and save it.")
                return HttpResponseRedirect(f"{booking_form}?{urlencode(carry | {'patient': patient.pk})}")
        elif request.method == "POST":
            # (A NUL cannot be stored or searched for in PostgreSQL: it means nothing in a name.)
            query = request.POST.get("q", "").replace("\x00", "").strip()[:100]
            if query:
                matches, _ = patients.get_search_results(request, Patient.objects.all(), query)
                found = [
                    (patient, f"{booking_form}?{urlencode(carry | {'patient': patient.pk})}")
                    for patient in matches.order_by("family_name", "given_name", "pk").distinct()[:MOST_FOUND]
                ]
        context = {
            **self.admin_site.each_context(request),
            "title": "Who is the booking for?",
            "opts": self.model._meta,
            "appointment": chosen_appointment(carry),
            "query": query,
            "found": found,
            "most_found": MOST_FOUND,
            "new_patient": new_patient if can_add else None,
            "choose_time": f"{reverse('admin:bookings_booking_phone')}",
        }
        return TemplateResponse(request, "admin/bookings/phone_booking_patient.html", context)

    def move_booking(self, request, booking_id):
        """The free times for this booking's appointment (its own time left free), then, with a
        time chosen, "Move it?" and the move."""
        booking = get_object_or_404(self.get_queryset(request), pk=booking_id)
        if not self.has_run_permission(request):
            raise PermissionDenied
        page = reverse("admin:bookings_booking_change", args=[booking.pk])
        practitioners = list(Practitioner.objects.offering(booking.service, booking.location))
        context = {
            **self.admin_site.each_context(request),
            "title": f"Move booking {booking.reference}",
            "opts": self.model._meta,
            "booking": booking,
            "appointment": booking_appointment(booking),
            "clinic": booking.location,
            "booking_url": page,
        }
        data = request.POST if request.method == "POST" else request.GET
        if "start" in data:
            slot = SlotForm(
                data, service=booking.service, location=booking.location, practitioners=practitioners,
                now=timezone.now(), allow_any=False, ignore_booking_id=booking.pk, check_free=False,
            )  # fmt: skip
            if slot.is_valid():
                start, practitioner = slot.cleaned_data["start"], slot.cleaned_data["practitioner"]
                if request.method == "POST":
                    try:
                        services.booking_reschedule(
                            booking=booking, start=start, practitioner=practitioner, by_patient=False
                        )
                    except BookingError as refusal:
                        messages.error(request, f"Not moved: {refusal}")
                        return HttpResponseRedirect(request.path)
                    messages.success(request, f"Booking {booking.reference} moved; the patient is emailed.")
                    return HttpResponseRedirect(page)
                context |= {
                    "slot": slot,
                    "new_appointment": booking_appointment(booking, start=start, practitioner=practitioner),
                }
                return TemplateResponse(request, "admin/bookings/move_booking.html", context)
            messages.warning(request, "That time could not be read: choose one of the free times.")
        context |= picker_context(
            request,
            service=booking.service,
            location=booking.location,
            practitioners=practitioners,
            slot_url=request.path,
            carry={},
            default_practitioner=booking.practitioner,
            moving_booking_id=booking.pk,
            for_staff=True,
        )
        return TemplateResponse(request, "admin/bookings/move_booking.html", context)
