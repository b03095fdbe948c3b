from django.conf import settings
from django.utils.functional import SimpleLazyObject

from bookings.selectors import main_location


def clinic(request):
    """The main clinic's details, looked up only by pages that show them."""
    return {
        "clinic": SimpleLazyObject(main_location),
        "site_url": settings.SITE_URL,
        "privacy_notice_version": settings.PRIVACY_NOTICE_VERSION,
    }
