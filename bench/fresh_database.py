"""Runs one bench module as a script against a throwaway SQLite database: migrated in a temporary
directory, the module run there (`python -m bench.<name>`), and the JSON it prints after its
result prefix read back. The availability and calendar benches each time work in such a
database."""

import json
import subprocess
import sys
import tempfile


def run_bench_script(module: str, *, env: dict[str, str], base_dir, prefix: str, extra_env: dict[str, str]):
    """The result the script printed (a dict), or a sentence saying why there is none."""
    name = module.rsplit(".", 1)[-1]
    with tempfile.TemporaryDirectory(prefix=f"bench-{name}-") as tmp:
        job_env = env | {
            "DJANGO_SETTINGS_MODULE": "soletherapy.settings",
            "DATABASE_URL": f"sqlite:///{tmp}/{name}.sqlite3",
            **extra_env,
        }
        for command in (["manage.py", "migrate", "--noinput", "--skip-checks", "-v0"], ["-m", module]):
            done = subprocess.run([sys.executable, *command], cwd=base_dir, env=job_env, capture_output=True, text=True)
            if done.returncode:
                return f"{name} bench failed ({' '.join(command)}):\n{done.stderr.strip()[-2000:]}"
    lines = [line for line in done.stdout.splitlines() if line.startswith(prefix)]
    if not lines:
        return f"{name} bench printed no result:\n{done.stdout[-2000:]}"
    return json.loads(lines[-1].removeprefix(prefix))
