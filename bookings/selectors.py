from django.db.models import Prefetch

from bookings.models import Location, OpeningHours


class NoClinic:
    """Stands in for the clinic before any location has been set up, so pages still render."""

    name = "SOLE THERAPY"
    phone = ""
    email = ""
    address_one_line = ""
    opening_hours_list = ()
    pk = None

    def __bool__(self):
        return False


def main_location():
    location = (
        Location.objects.active()
        .prefetch_related(
            Prefetch(
                "opening_hours",
                queryset=OpeningHours.objects.order_by("weekday", "opens"),
                to_attr="opening_hours_list",
            )
        )
        .first()
    )
    return location if location is not None else NoClinic()
