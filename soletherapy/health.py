"""Health endpoints for the load balancer and the operator.

`/health/` (liveness): the app answers and its database does. `/health/ready/` (readiness,
django-health-check): the database, the cache, every migration applied and a task worker that
has done its rounds lately, each named with what is wrong; 503 when anything is.
"""

import contextlib
import dataclasses

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from health_check.base import HealthCheck
from health_check.checks import Cache, Database
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView

from bookings.tasks import SWEEP_EVERY, sweep

# The worker sweeps every minute; three missed sweeps mean no worker is running.
WORKER_SILENT_AFTER = 3 * SWEEP_EVERY


@contextlib.contextmanager
def _own_connection():
    """The checks run in threads of their own: close the thread's connection when done, so
    each probe does not leave one open."""
    connection = connections[DEFAULT_DB_ALIAS]
    try:
        yield connection
    finally:
        connection.close()


@dataclasses.dataclass
class Migrations(HealthCheck):
    """Every migration on disk is applied: a release whose migrations have not run is not ready."""

    def run(self):
        with _own_connection() as connection:
            executor = MigrationExecutor(connection)
            plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if plan:
            raise ServiceUnavailable(f"{len(plan)} migration(s) not applied: run manage.py migrate")


@dataclasses.dataclass
class TaskWorker(HealthCheck):
    """A task worker finished its minutely sweep lately: without one, no email is sent."""

    def run(self):
        from django_tasks_db.models import DBTaskResult

        with _own_connection():
            last = (
                DBTaskResult.objects.filter(task_path=sweep.module_path, status="SUCCESSFUL")
                .order_by("-finished_at")
                .values_list("finished_at", flat=True)
                .first()
            )
        if last is None or timezone.now() - last > WORKER_SILENT_AFTER:
            raise ServiceUnavailable("No task worker has swept in the last 3 minutes: emails are not being sent")


class ReadinessView(HealthCheckView):
    checks = (Database, Cache, Migrations, TaskWorker)

    async def get(self, request, *args, **kwargs):
        response = await super().get(request, *args, **kwargs)
        if response.status_code == 500:
            response.status_code = 503  # not ready: the load balancer should send no traffic here
        return response
