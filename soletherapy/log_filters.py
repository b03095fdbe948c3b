import logging
import re

# A patient's private booking link: /booking/<reference>/<token>/...
_MANAGE_TOKEN = re.compile(r"(/booking/[A-Z0-9]+/)[0-9a-f]{16,}")


def redact(value):
    return _MANAGE_TOKEN.sub(r"\1[token]", value) if isinstance(value, str) else value


class RedactBookingTokens(logging.Filter):
    """Django logs 4xx responses with their path; a patient's manage-link token must not end up
    in the logs, where anyone reading them could use it to change the booking."""

    def filter(self, record):
        record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(arg) for arg in record.args)
        return True
