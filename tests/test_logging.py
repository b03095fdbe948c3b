import logging

from bookings import links
from soletherapy.log_filters import RedactBookingTokens


def test_a_logged_manage_link_keeps_the_reference_but_not_the_token():
    token = links.manage_token("ACD34679")
    record = logging.LogRecord(
        "django.request",
        logging.WARNING,
        __file__,
        1,
        "%s: %s",
        ("Conflict", f"/booking/ACD34679/{token}/cancel/"),
        None,
    )

    RedactBookingTokens().filter(record)

    message = record.getMessage()
    assert token not in message
    assert message == "Conflict: /booking/ACD34679/[token]/cancel/"


def test_the_configured_log_handler_writes_no_token():
    """What Django's request logger emits for a refused change goes through the configured
    handler, which must strip the token before writing."""
    import io

    token = links.manage_token("ACD34679")
    handlers = [h for h in logging.getLogger().handlers if any(isinstance(f, RedactBookingTokens) for f in h.filters)]
    assert handlers, "the console handler must carry the redacting filter"
    handler = handlers[0]
    stream = io.StringIO()
    original = handler.setStream(stream)
    try:
        logging.getLogger("django.request").warning("Conflict: %s", f"/booking/ACD34679/{token}/cancel/")
    finally:
        handler.setStream(original)

    assert "/booking/ACD34679/[token]/cancel/" in stream.getvalue()
    assert token not in stream.getvalue()


def test_a_logged_booking_form_address_keeps_no_key():
    record = logging.LogRecord(
        "django.request",
        logging.WARNING,
        __file__,
        1,
        "%s: %s",
        ("Gone", "/book/review/0f8fad5b-d9cb-469f-a165-70867728950e/"),
        None,
    )

    RedactBookingTokens().filter(record)

    assert record.getMessage() == "Gone: /book/review/[key]/"
