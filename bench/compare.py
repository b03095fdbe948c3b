"""`make bench-compare`: the last two runs' throughput tables side by side (var/bench-previous.csv
and var/bench-last.csv, or two files named on the command line): each page's median requests a
second and its share of the static file, then and now."""

import csv
import sys
from pathlib import Path

from bench.report import PLACEHOLDER, format_table
from bench.server import VAR_DIR

HEADERS = ["target", "req/s before", "req/s now", "change", "vs static before", "vs static now", "result now"]


def read(path: Path) -> dict[str, dict]:
    with path.open(newline="") as file:
        return {row["target"]: row for row in csv.DictReader(file)}


def compare(before: dict[str, dict], now: dict[str, dict]) -> list[list[str]]:
    table = []
    for name in [*now, *(name for name in before if name not in now)]:
        old, new = before.get(name, {}), now.get(name, {})
        old_rate, new_rate = _number(old.get("req_s_median")), _number(new.get("req_s_median"))
        change = f"{(new_rate - old_rate) / old_rate:+.0%}" if old_rate and new_rate else PLACEHOLDER
        table.append([
            name, _shown(old_rate), _shown(new_rate), change,
            _ratio(old.get("ratio")), _ratio(new.get("ratio")), new.get("result") or PLACEHOLDER,
        ])  # fmt: skip
    return table


def _number(value) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _shown(value: float | None) -> str:
    return f"{value:,.0f}" if value else PLACEHOLDER


def _ratio(value) -> str:
    number = _number(value)
    return f"{number:.2f}x" if number else PLACEHOLDER


def main(argv: list[str]) -> int:
    before_path, now_path = (Path(arg) for arg in argv) if len(argv) == 2 else (
        VAR_DIR / "bench-previous.csv", VAR_DIR / "bench-last.csv"
    )  # fmt: skip
    missing = [str(path) for path in (before_path, now_path) if not path.exists()]
    if missing:
        print(f"Nothing to compare yet: {', '.join(missing)} missing (each `make bench` writes one).")
        return 1
    print(f"{before_path.name} -> {now_path.name}")
    print(format_table(HEADERS, compare(read(before_path), read(now_path))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
