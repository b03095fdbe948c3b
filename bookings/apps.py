from django.apps import AppConfig


class BookingsConfig(AppConfig):
    name = "bookings"
    verbose_name = "Bookings and schedules"

    def ready(self):
        from django.db.models.signals import post_migrate

        from bookings import (
            checks,  # noqa: F401 (registers the overlap guard's system check)
            models,
        )
        from bookings.calendar_cache import calendar_generation
        from bookings.free_times_cache import schedule_generation
        from bookings.rota import rota_generation
        from soletherapy.page_cache import content_generation

        # The clinic's details, hours, closures, services and policies are on cached public pages.
        content_generation.watch(
            models.Location,
            models.OpeningHours,
            models.Service,
            models.BookingRules,
            models.ClinicClosure,
            models.PublicHolidayOpening,
            models.Practitioner,
            models.Practitioner.services.through,
            models.Practitioner.locations.through,
            models.PractitionerPhoto,
            models.WorkingHours,
        )
        # The rota (what only staff change) is what each worker keeps of the schedule
        # (`bookings.rota`); with the bookings and the rules, the schedule decides the cached
        # week of free times.
        rota = (
            models.ClinicClosure,
            models.Location,
            models.Practitioner,
            models.Practitioner.services.through,
            models.Practitioner.locations.through,
            models.PublicHolidayOpening,
            models.Service,
            models.TimeOff,
            models.WorkingHours,
        )
        rota_generation.watch(*rota)
        schedule_generation.watch(models.Booking, models.BookingRules, *rota)
        # ... and, with the patients' names, the reception calendar's grid.
        calendar_generation.watch(models.Patient, when_created=False)  # on no calendar until booked
        calendar_generation.watch(
            models.Booking,
            models.ClinicClosure,
            models.Location,
            models.OpeningHours,
            models.Practitioner,
            models.Practitioner.locations.through,
            models.PublicHolidayOpening,
            models.Service,
            models.TimeOff,
            models.WorkingHours,
        )
        # A new model's permissions reach the staff groups at the next migrate.
        post_migrate.connect(_sync_staff_groups, sender=self)


def _sync_staff_groups(sender, apps=None, **kwargs):
    from django.apps import apps as installed

    from bookings import staff_groups

    staff_groups.sync(apps or installed)  # `flush` sends the signal without the migration state
