import logging
import re

from pythonjsonlogger.json import JsonFormatter

# The secret parts of addresses: a patient's private booking link (/booking/<reference>/<token>/),
# the key of a booking form in progress (/book/review/<key>/), and the waitlist's links
# (/waitlist/<entry>/<token>/leave/, /waitlist/offer/<offer>/<token>/).
_SECRETS = [
    (re.compile(r"(/booking/[^/\s]+/)[^/\s?]+"), r"\1[token]"),
    (re.compile(r"(/book/review/)[^/\s?]+"), r"\1[key]"),
    (re.compile(r"(/waitlist/(?:offer/)?[^/\s]+/)[^/\s?]+"), r"\1[token]"),
    # An email address in an error's message (a database error can quote the row it refused).
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "[email]"),
]


def redact(value):
    if not isinstance(value, str):
        return value
    for pattern, replacement in _SECRETS:
        value = pattern.sub(replacement, value)
    return value


class RedactBookingTokens(logging.Filter):
    """Django logs 4xx responses with their path; a patient's manage-link token or booking-form
    key must not end up in the logs, where anyone reading them could use it."""

    def filter(self, record):
        record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(arg) for arg in record.args)
        return True


class RedactingFormatter(logging.Formatter):
    """Plain lines; a traceback's exception message is redacted too (the filter sees only the
    message and its arguments)."""

    def formatException(self, ei):
        return redact(super().formatException(ei))


class RedactingJsonFormatter(JsonFormatter):
    def formatException(self, ei):
        return redact(super().formatException(ei))
