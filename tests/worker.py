"""The task worker, run inside a test: every task due now runs in this thread (and, in a
test wrapped in a transaction, inside it), as `manage.py worker --batch` would run them."""

from contextlib import contextmanager

from django.db import transaction
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult


def run_due_tasks() -> int:
    """Run what is due, including what the tasks queue for now; return how many ran."""
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    ran = 0
    while True:
        with transaction.atomic():
            result = DBTaskResult.objects.ready().filter(backend_name="default").get_locked()
            if result is None:
                return ran
            result.claim(worker.worker_id)
        worker.run_task(result)
        ran += 1


@contextmanager
def worker_afterwards():
    """Whatever the block queues is sent when it ends, as the worker would send it."""
    yield
    run_due_tasks()
