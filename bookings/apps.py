from django.apps import AppConfig


class BookingsConfig(AppConfig):
    name = "bookings"
    verbose_name = "Bookings and schedules"

    def ready(self):
        from bookings import checks  # noqa: F401 (registers the overlap guard's system check)
        from bookings.free_times_cache import schedule_generation
        from bookings.models import (
            Booking,
            BookingRules,
            ClinicClosure,
            Location,
            OpeningHours,
            Practitioner,
            PublicHolidayOpening,
            Service,
            TimeOff,
            WorkingHours,
        )
        from soletherapy.page_cache import content_generation

        # The clinic's details, hours and services are on cached public pages.
        content_generation.watch(Location, OpeningHours, Service)
        # The schedule decides the cached week of free times.
        schedule_generation.watch(
            Booking,
            BookingRules,
            ClinicClosure,
            Location,
            Practitioner,
            Practitioner.services.through,
            Practitioner.locations.through,
            PublicHolidayOpening,
            Service,
            TimeOff,
            WorkingHours,
        )
