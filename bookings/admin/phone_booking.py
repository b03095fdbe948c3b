"""Staff booking on the same free times patients see online. A phone or walk-in booking: choose
the appointment, then a day and a time with a practitioner or the first available; the time
opens the booking form filled in, where staff find or add the patient (searching by name, email,
phone in any form or date of birth) and save. Moving a booking: the same picker from the
booking's page, then a confirmation. The booking services refuse an overlap."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from bookings import services
from bookings.errors import BookingError
from bookings.forms import SlotForm
from bookings.models import Practitioner, Service
from bookings.selectors import main_location
from bookings.views import picker_context
from bookings.wording import booking_appointment


class PhoneBookingMixin:
    def get_urls(self):
        own = [
            path("phone/", self.admin_site.admin_view(self.phone_booking), name="bookings_booking_phone"),
            path("<int:booking_id>/move/", self.admin_site.admin_view(self.move_booking), name="bookings_booking_move"),
        ]
        return [*own, *super().get_urls()]

    def phone_booking(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        location = main_location()
        if not location:
            raise PermissionDenied("Set up the clinic first.")
        services = list(Service.objects.bookable_online())
        context = {
            **self.admin_site.each_context(request),
            "title": "New phone booking",
            "opts": self.model._meta,
            "services": services,
            "clinic": location,
        }
        slug = request.GET.get("service")
        if slug:
            service = get_object_or_404(Service.objects.bookable_online(), slug=slug)
            practitioners = list(Practitioner.objects.offering(service, location))
            context |= {"service": service, "practitioners": practitioners}
            context |= picker_context(
                request,
                service=service,
                location=location,
                practitioners=practitioners,
                slot_url=reverse("admin:bookings_booking_add"),
                carry={"service": service.pk, "location": location.pk},
            )
            # The picker's own links keep the service chosen here.
            context["page_state"] = context["page_state"] | {"service": service.slug}
        return TemplateResponse(request, "admin/bookings/phone_booking.html", context)

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
        )
        return TemplateResponse(request, "admin/bookings/move_booking.html", context)
