"""How the site logs: plain lines on a laptop, one JSON object a line in production (for a log
collector to index), with the secret parts of addresses taken out and the request's id on every
line either way."""


def logging_config(*, json_lines: bool, level: str, requests: bool, debug: bool) -> dict:
    formatter = (
        {
            "()": "soletherapy.log_filters.RedactingJsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            "datefmt": "%Y-%m-%dT%H:%M:%S%z",
        }
        if json_lines
        else {
            "()": "soletherapy.log_filters.RedactingFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
        }
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "redact_booking_tokens": {"()": "soletherapy.log_filters.RedactBookingTokens"},
            "request_id": {"()": "soletherapy.request_log.RequestIdFilter"},
            "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        },
        "formatters": {"site": formatter, "mail": {"format": "%(message)s\nRequest id: %(request_id)s"}},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "site",
                "filters": ["redact_booking_tokens", "request_id"],
            },
            # Server errors emailed to ADMINS (when set): what failed and where, never what the
            # request carried (soletherapy/error_reports.py).
            "mail_admins": {
                "class": "django.utils.log.AdminEmailHandler",
                "level": "ERROR",
                "formatter": "mail",
                "filters": ["require_debug_false", "redact_booking_tokens", "request_id"],
                "include_html": False,
                "reporter_class": "soletherapy.error_reports.PrivateExceptionReporter",
            },
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # In place of Django's default handlers (its own console handler and error emails).
            "django": {"handlers": ["mail_admins"], "level": "INFO"},
            # The request line (soletherapy.request_log) says what runserver's would, without
            # the address; runserver's own lines stay on a laptop.
            "django.server": {"level": "INFO" if debug else "WARNING"},
            "soletherapy.requests": {"level": "INFO" if requests else "WARNING"},
            # Each 4xx is already a request line; Django's own names the raw address. Server
            # errors (with their traceback) are still logged.
            "django.request": {"level": "ERROR" if requests else "WARNING"},
        },
    }
