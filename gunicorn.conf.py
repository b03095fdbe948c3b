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
# Workers are not recycled after a number of requests: under load that restarted each one every
# second or two (each restart costs about 0.85 s of CPU and empties its page cache). A worker is
# recycled only when its memory has grown past GUNICORN_MAX_WORKER_MB (after the request it is
# serving, so nobody is cut off); 0 turns that off.
max_requests = 0
MAX_WORKER_MB = int(os.environ.get("GUNICORN_MAX_WORKER_MB", "300"))
MEMORY_CHECK_EVERY = 50  # requests


def resident_mb() -> float:
    """This process's resident memory (Linux; 0 where /proc is missing)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return 0.0


def post_request(worker, req, environ, resp):
    worker.served = getattr(worker, "served", 0) + 1
    if MAX_WORKER_MB and worker.served % MEMORY_CHECK_EVERY == 0 and (used := resident_mb()) > MAX_WORKER_MB:
        worker.log.info("Worker %s uses %.0f MB (limit %s MB): restarting it", worker.pid, used, MAX_WORKER_MB)
        worker.alive = False


# Off unless asked for (GUNICORN_ACCESS_LOG=- for stdout). Addresses never hold patient details,
# and the logger takes the private links' tokens and the query strings out.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
logger_class = "soletherapy.gunicorn_logger.RedactingLogger"
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
