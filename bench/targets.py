"""The side-by-side throughput table: each page loaded in turn, `REPETITIONS` rounds (so a slow
moment of the machine touches every page alike), each figure the median of its rounds with the
minimum and maximum beside it, and each page's median as a share of the static file's median
from the same rounds. Also the gunicorn workers' memory before and after, and the CSV kept
beside the report for `make bench-compare`."""

import csv
import os
import statistics
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from bench import load
from bench.report import PLACEHOLDER, Measurement, error_text
from bench.server import get

REPETITIONS = int(os.environ.get("BENCH_REPETITIONS", "3"))
HEADERS = ["target", "path", "req/s median (min-max)", "p50 ms", "p99 ms", "vs static", "goal", "result"]
CSV_FIELDS = ["target", "path", "req_s_median", "req_s_min", "req_s_max", "p50_ms", "p99_ms", "ratio", "goal", "result"]


@dataclass
class Target:
    name: str
    path: str | None
    goal: float | None  # None: the baseline
    p99_times_p50: float | None = None  # a tail goal: p99 at most this many times the p50
    answers: tuple[int, ...] = (200,)
    runs: list[Measurement] = field(default_factory=list)

    def median(self, attribute: str) -> float:
        return statistics.median(getattr(run, attribute) for run in self.runs)


def measure(port: int, targets: list[Target], *, wrk: str | None, seconds: int, warmup: int, progress) -> None:
    """Fill each available target's `runs`, round by round."""
    available = [t for t in targets if t.path and get(port, t.path)[0] in t.answers]
    for round_number in range(1, REPETITIONS + 1):
        for target in available:
            progress(f"round {round_number}/{REPETITIONS}: {target.name} ({target.path}) ...")
            try:
                url = f"http://127.0.0.1:{port}{target.path}"
                target.runs.append(load.measure(url, wrk=wrk, seconds=seconds, warmup=warmup))
            except (subprocess.CalledProcessError, ValueError) as error:
                progress(f"  load generator failed: {error}")


def rows(targets: list[Target]) -> list[dict]:
    baseline = targets[0].median("per_second") if targets[0].runs else 0.0
    table = []
    for target in targets:
        goal = "baseline" if target.goal is None else f">= {target.goal:.2f}x"
        if target.p99_times_p50:
            goal += f", p99 <= {target.p99_times_p50:g}x p50"
        if not target.runs:
            table.append({"target": target.name, "path": target.path or PLACEHOLDER, "goal": goal,
                          "result": "not available (no answer, or the load generator failed)"})  # fmt: skip
            continue
        per_second = [run.per_second for run in target.runs]
        median, p50, p99 = target.median("per_second"), target.median("p50_ms"), target.median("p99_ms")
        ratio = median / baseline if baseline else 0.0
        if target.goal is None:
            result = "baseline"
        else:
            met = ratio >= target.goal and (not target.p99_times_p50 or p99 <= target.p99_times_p50 * p50)
            result = "PASS" if met else "FAIL"
        errors = " ".join(filter(None, (error_text(run) for run in target.runs)))
        table.append({
            "target": target.name, "path": target.path, "req_s_median": median, "req_s_min": min(per_second),
            "req_s_max": max(per_second), "p50_ms": p50, "p99_ms": p99, "ratio": ratio, "goal": goal,
            "result": f"{result} {errors}".strip(),
        })  # fmt: skip
    return table


def printable(table: list[dict]) -> list[list[str]]:
    printed = []
    for row in table:
        if "req_s_median" not in row:
            printed.append([row["target"], row["path"], *[PLACEHOLDER] * 4, row["goal"], row["result"]])
            continue
        printed.append([
            row["target"], row["path"],
            f"{row['req_s_median']:,.0f} ({row['req_s_min']:,.0f}-{row['req_s_max']:,.0f})",
            f"{row['p50_ms']:.1f}", f"{row['p99_ms']:.1f}", f"{row['ratio']:.2f}x", row["goal"], row["result"],
        ])  # fmt: skip
    return printed


def write_csv(table: list[dict], path: Path) -> None:
    """The run's figures, beside the report; the run before is kept as `*-previous.csv`."""
    if path.exists():
        path.replace(path.with_name(path.stem.replace("-last", "-previous") + path.suffix))
    with path.open("w", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=CSV_FIELDS)
        writer.writeheader()
        for row in table:
            writer.writerow({name: _csv_value(row.get(name, "")) for name in CSV_FIELDS})


def _csv_value(value):
    return f"{value:.2f}" if isinstance(value, float) else value


def worker_memory(master_pid: int | None) -> dict[int, float]:
    """Resident memory (MB) of each gunicorn worker, the children of the master process."""
    if master_pid is None:
        return {}
    try:
        children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    except OSError:
        return {}
    memory = {}
    for child in children:
        try:
            status = Path(f"/proc/{child}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                memory[int(child)] = int(line.split()[1]) / 1024
    return memory


def memory_text(before: dict[int, float], after: dict[int, float], minutes: float) -> str:
    if not before or not after:
        return "Worker memory: not read (no /proc)"
    same = sorted(set(before) & set(after))
    lines = [f"Worker memory (resident), before and after {minutes:.1f} minutes of load:"]
    lines += [f"  worker {pid}: {before[pid]:.0f} MB -> {after[pid]:.0f} MB" for pid in same]
    restarted = len(set(after) - set(before))
    lines.append(f"  {len(same)} of {len(before)} workers served the whole run; {restarted} restarted")
    return "\n".join(lines)
