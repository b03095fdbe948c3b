"""gunicorn settings; each can be overridden from the environment."""

import multiprocessing
import os

import gunicorn.http.wsgi

# Answer without naming the server software (and so its version) in the Server header.
gunicorn.http.wsgi.SERVER = "SOLE THERAPY"

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
worker_class = "sync" if threads == 1 else "gthread"
timeout = 30
keepalive = 5
max_requests = 2000
max_requests_jitter = 200
# Off unless asked for (GUNICORN_ACCESS_LOG=- for stdout). Addresses never hold patient details,
# and the logger takes the private links' tokens and the query strings out.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
logger_class = "soletherapy.gunicorn_logger.RedactingLogger"
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
