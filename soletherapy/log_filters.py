import logging
import re

# A patient's private booking link (/booking/<reference>/<token>/...) and the key of a booking
# form in progress (/book/review/<key>/...).
_SECRETS = re.compile(r"(/booking/[A-Z0-9]+/)[0-9a-f]{16,}|(/book/review/)[0-9a-f-]{36}")


def _hide(match: re.Match) -> str:
    return (match.group(1) or match.group(2)) + ("[token]" if match.group(1) else "[key]")


def redact(value):
    return _SECRETS.sub(_hide, value) if isinstance(value, str) else value


class RedactBookingTokens(logging.Filter):
    """Django logs 4xx responses with their path; a patient's manage-link token or booking-form
    key must not end up in the logs, where anyone reading them could use it."""

    def filter(self, record):
        record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(arg) for arg in record.args)
        return True
