"""Lighthouse (mobile) scores for the production-like server, run in Debian's Chromium.

Lighthouse is pinned in tools/lighthouse/package.json and installed from the npm registry on
first use; it never downloads a browser. Skipped with a clear line when Node.js or Chromium
is missing.
"""

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from bench.server import BASE_DIR

TOOL_DIR = BASE_DIR / "tools" / "lighthouse"
CLI = TOOL_DIR / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
)
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def unavailable_reason() -> str | None:
    if not shutil.which("node") or not shutil.which("npm"):
        return "Node.js and npm are not installed"
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} is not installed (apt-get install chromium)"
    return None


def ensure_installed() -> None:
    if not CLI.exists():
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--loglevel=error"], cwd=TOOL_DIR, check=True)


def scores(url: str) -> tuple[dict[str, int], list[str]]:
    """Category scores out of 100 for one URL, and the titles of audits that lost points."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        subprocess.run(
            [
                "node",
                str(CLI),
                url,
                "--quiet",
                "--output=json",
                f"--output-path={report}",
                f"--only-categories={','.join(CATEGORIES)}",
                f"--chrome-flags={CHROME_FLAGS}",
            ],
            env=os.environ | {"CHROME_PATH": CHROMIUM},
            check=True,
            timeout=180,
        )
        data = json.loads(report.read_text())
    result = {name: round(data["categories"][name]["score"] * 100) for name in CATEGORIES}
    failing = []
    for name in CATEGORIES:
        for ref in data["categories"][name]["auditRefs"]:
            audit = data["audits"][ref["id"]]
            if ref.get("weight") and audit.get("score") is not None and audit["score"] < 1:
                failing.append(f"{name}: {audit['title']}")
    return result, failing


def scores_tried_twice(url: str) -> tuple[dict[str, int], list[str], int]:
    """`scores`, and the number of runs it took: Lighthouse sometimes loses the trace of a page
    load ("NO_NAVSTART: please run Lighthouse again"), so a failed run is tried once more."""
    try:
        return (*scores(url), 1)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError, ValueError):
        return (*scores(url), 2)
