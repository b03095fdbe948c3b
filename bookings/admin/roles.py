"""What each kind of staff sees of the bookings (bookings.staff_groups names the groups): reception
and practice managers see and run every booking; a podiatrist sees their own, and may only mark
them completed or did not attend."""


def runs_every_booking(user) -> bool:
    """Reception, practice managers and superusers: those who may make bookings."""
    return user.has_perm("bookings.add_booking")


class OwnBookingsMixin:
    """For the booking admin: a podiatrist's list and pages hold only their own bookings, read-only
    but for the completed / did not attend actions."""

    def get_queryset(self, request):
        bookings = super().get_queryset(request)
        if runs_every_booking(request.user):
            return bookings
        return bookings.filter(practitioner__user=request.user)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if not allowed or obj is None or runs_every_booking(request.user):
            return allowed
        return obj.practitioner.user_id == request.user.pk

    def has_run_permission(self, request):
        """For the actions only reception and managers take (confirm, cancel, new links...)."""
        return runs_every_booking(request.user)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not runs_every_booking(request.user):
            return self.get_fields(request, obj)
        return super().get_readonly_fields(request, obj)
