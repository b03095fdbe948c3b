"""Runs one bench module as a script against a throwaway SQLite database: migrated in a temporary
directory, the module run there (`python -m bench.<name>`), and the JSON it prints after its
result prefix read back. The availability and calendar benches each time work in such a
database; the calendar bench then also serves it with gunicorn (`fresh_database`)."""

import contextlib
import json
import subprocess
import sys
import tempfile


@contextlib.contextmanager
def fresh_database(name: str, *, env: dict[str, str], base_dir):
    """A migrated, empty SQLite database for this bench; yields `env` pointing at it. Deleted after."""
    with tempfile.TemporaryDirectory(prefix=f"bench-{name}-") as tmp:
        job_env = env | {
            "DJANGO_SETTINGS_MODULE": "soletherapy.settings",
            "DATABASE_URL": f"sqlite:///{tmp}/{name}.sqlite3",
        }
        command = [sys.executable, "manage.py", "migrate", "--noinput", "--skip-checks", "-v0"]
        subprocess.run(command, cwd=base_dir, env=job_env, capture_output=True, text=True, check=True)
        yield job_env


def run_script(module: str, *, env: dict[str, str], base_dir, prefix: str):
    """The result the script printed (a dict), or a sentence saying why there is none."""
    name = module.rsplit(".", 1)[-1]
    done = subprocess.run([sys.executable, "-m", module], cwd=base_dir, env=env, capture_output=True, text=True)
    if done.returncode:
        return f"{name} bench failed:\n{done.stderr.strip()[-2000:]}"
    lines = [line for line in done.stdout.splitlines() if line.startswith(prefix)]
    if not lines:
        return f"{name} bench printed no result:\n{done.stdout[-2000:]}"
    return json.loads(lines[-1].removeprefix(prefix))


def run_bench_script(module: str, *, env: dict[str, str], base_dir, prefix: str, extra_env: dict[str, str]):
    """`run_script` in a fresh database of its own."""
    name = module.rsplit(".", 1)[-1]
    try:
        with fresh_database(name, env=env, base_dir=base_dir) as job_env:
            return run_script(module, env=job_env | extra_env, base_dir=base_dir, prefix=prefix)
    except subprocess.CalledProcessError as error:
        return f"{name} bench failed (migrate):\n{(error.stderr or '').strip()[-2000:]}"
