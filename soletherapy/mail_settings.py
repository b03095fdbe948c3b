"""EMAIL_URL (django-environ's parsed form) as Django 6.1's MAILERS setting."""


def mailers(email: dict, *, timeout: int) -> dict:
    options = {}
    if email["EMAIL_BACKEND"].endswith("smtp.EmailBackend"):
        options = {
            "host": email["EMAIL_HOST"],
            "port": email["EMAIL_PORT"],
            "username": email["EMAIL_HOST_USER"],
            "password": email["EMAIL_HOST_PASSWORD"],
            "use_tls": bool(email.get("EMAIL_USE_TLS")),
            "use_ssl": bool(email.get("EMAIL_USE_SSL")),
            "timeout": timeout,
        }
    elif email["EMAIL_BACKEND"].endswith("filebased.EmailBackend"):
        options = {"file_path": email["EMAIL_FILE_PATH"]}
    return {"default": {"BACKEND": email["EMAIL_BACKEND"], "OPTIONS": options}}
