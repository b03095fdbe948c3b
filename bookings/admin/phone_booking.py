"""A phone or walk-in booking started from the same free times patients see online: choose the
appointment, then a day and a time with a practitioner or the first available; the time opens
the booking form filled in, where staff find or add the patient (searching by name, email,
phone in any form or date of birth) and save. The booking services refuse an overlap; a time
outside the free ones needs the form's "Book outside normal hours" tick."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse

from bookings.models import Practitioner, Service
from bookings.selectors import main_location
from bookings.views import picker_context


class PhoneBookingMixin:
    def get_urls(self):
        own = [path("phone/", self.admin_site.admin_view(self.phone_booking), name="bookings_booking_phone")]
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
