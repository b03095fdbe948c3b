from django.apps import AppConfig


class BookingsConfig(AppConfig):
    name = "bookings"
    verbose_name = "Bookings and schedules"

    def ready(self):
        from bookings import signals  # noqa: F401
