"""gunicorn recycles a worker only when its memory has grown past the limit (checked every 50
requests, after the request it is serving), never after a fixed number of requests: under load
that restarted each worker every second or two and emptied its page cache."""

import http.client
import runpy
from pathlib import Path

import pytest

from tests.servers import production_servers

pytestmark = pytest.mark.django_db(transaction=True)

CACHE_URL = "redis://127.0.0.1:6379/9"
CONFIG = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"


def _serve(port: int, count: int) -> list[int]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    statuses = []
    for _ in range(count):
        connection.request("GET", "/robots.txt")
        response = connection.getresponse()
        response.read()
        statuses.append(response.status)
        if response.will_close:
            connection.close()
    connection.close()
    return statuses


def test_the_configuration_recycles_by_memory_not_by_count():
    config = runpy.run_path(str(CONFIG))
    assert config["max_requests"] == 0
    assert config["MAX_WORKER_MB"] == 300
    assert 20 < config["resident_mb"]() < 2000  # this test process: the reading is real


@pytest.mark.parametrize(("limit_mb", "recycled"), [("1", True), ("300", False)])
def test_a_worker_is_restarted_only_when_its_memory_passes_the_limit(limit_mb, recycled):
    settings = {"GUNICORN_WORKERS": "1", "GUNICORN_MAX_WORKER_MB": limit_mb}
    with production_servers(1, cache_url=CACHE_URL, **settings) as [(port, log)]:
        statuses = _serve(port, 120)
        statuses += _serve(port, 5)  # and the restarted worker answers
        text = log.read_text()

    assert set(statuses) == {200}, "nobody is cut off by a restart"
    assert ("uses" in text and "restarting it" in text) is recycled
