"""Time off or a closure over booked patients, caught before it is saved: the form comes back
listing each booking it hits, and staff choose to keep them (then move each from the list that
follows the save, where the picker already leaves the new time off out, or contact the patients)
or to cancel them all, each patient emailed. Nothing is saved until they choose."""

from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from bookings.wording import staff_time

CHOICE = "clash_choice"
KEEP, CANCEL = "keep", "cancel"


def _listed(bookings) -> str:
    return format_html_join(
        "",
        '<li><a href="{}">{}</a>: {}, {} with {}</li>',
        (
            (
                reverse("admin:bookings_booking_change", args=[b.pk]),
                b.reference,
                staff_time(b.start, b.location.zone),
                b.patient,
                b.practitioner,
            )
            for b in bookings
        ),
    )


class ClashCheckFormSet(BaseInlineFormSet):
    """For the time off and closure rows: `find_clashes(periods)` names the active bookings the
    new or changed rows hit. `clashes` and `choice` are read when the rows are saved."""

    find_clashes = None
    what = "this"

    def clean(self):
        super().clean()
        self.clashes, self.choice = [], self.data.get(CHOICE)
        if any(self.errors):
            return
        periods = [
            form.instance
            for form in self.forms
            if form.has_changed() and form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        self.clashes = type(self).find_clashes(periods) if periods else []
        if self.clashes and self.choice not in (KEEP, CANCEL):
            raise ValidationError(
                format_html(
                    "{} booked patient(s) fall inside {}. Nothing is saved yet: choose what happens to them, "
                    "then save again.<ul>{}</ul>"
                    '<label><input type="radio" name="{}" value="{}"> Keep them booked: I will contact these '
                    "patients, or move a booking from its page</label><br>"
                    '<label><input type="radio" name="{}" value="{}"> Cancel them all and email each patient'
                    "</label>",
                    len(self.clashes),
                    self.what,
                    _listed(self.clashes),
                    CHOICE,
                    KEEP,
                    CHOICE,
                    CANCEL,
                )
            )
