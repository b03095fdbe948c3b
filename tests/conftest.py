import contextlib
import os
import shutil
from contextlib import contextmanager
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
IN_CI = os.environ.get("CI", "").lower() == "true"


@pytest.fixture
def clinic_content(db):
    """The clinic's real content, exactly as `make run` loads it."""
    call_command("load_clinic_content", verbosity=0)


@pytest.fixture
def demo_schedule(clinic_content):
    call_command("load_demo_schedule", verbosity=0)


def signed_in(client, user):
    """The client signed in as `user` with both steps: password and an authenticator's code."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="Test authenticator", confirmed=True
    )
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def admin_client(client, admin_user):
    """pytest-django's admin client, signed in with both steps as staff must."""
    return signed_in(client, admin_user)


@pytest.fixture
def delivered():
    """`with delivered(): ...` sends what the block queued, as the task worker would."""
    from tests.worker import worker_afterwards

    return worker_afterwards


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    from bookings import fresh_forms, rota
    from bookings.calendar_cache import calendar_generation, grids, pages
    from bookings.free_times_cache import schedule_generation
    from bookings.models import BookingRules
    from bookings.selectors import forget_kept
    from soletherapy.page_cache import content_generation, forget_outage, local_pages

    def forget():
        forget_outage()
        with contextlib.suppress(Exception):  # a test may have stopped the cache on purpose
            cache.clear()
        local_pages.clear()
        grids.clear()
        forget_kept()
        BookingRules.forget_kept()
        pages.clear()
        rota.kept.clear()
        fresh_forms.kept.clear()
        rota.rota_generation.forget_local()
        content_generation.forget_local()
        schedule_generation.forget_local()
        calendar_generation.forget_local()

    forget()
    yield
    forget()


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        if IN_CI:
            pytest.fail(f"{CHROMIUM} is missing: CI must run the browser tests (apt-get install chromium).")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@contextmanager
def guarded_tab(browser, live_server, **options):
    """A browser tab with its own cookies that may only talk to the test server: any request to
    another host is blocked and fails the test, so no page can load anything from outside."""
    context = browser.new_context(base_url=live_server.url, locale="en-AU", timezone_id="Australia/Sydney", **options)
    outside_requests = []
    own_host = urlsplit(live_server.url).netloc

    def guard(route):
        parts = urlsplit(route.request.url)
        if parts.scheme in ("data", "blob") or parts.netloc == own_host:
            route.continue_()
        else:
            outside_requests.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()
    assert outside_requests == [], f"The page tried to load from another host: {outside_requests}"


@pytest.fixture
def page(browser, live_server):
    with guarded_tab(browser, live_server) as tab:
        yield tab


@pytest.fixture
def no_js_page(browser, live_server):
    """The same, with JavaScript switched off: every page must still work."""
    with guarded_tab(browser, live_server, java_script_enabled=False) as tab:
        yield tab


@pytest.fixture(autouse=True)
def _people_fill_in_forms_slowly(request, settings):
    """Chromium driven by a test fills in a form in milliseconds; a person never does. The bot
    trap's timing is tested on its own (tests/bookings/test_abuse_limits.py)."""
    if request.node.get_closest_marker("browser"):
        settings.BOT_TRAP_MIN_SECONDS = 0


@pytest.fixture
def live_site(transactional_db):
    """The clinic's real content and the demo schedule, in a database the live server's thread
    can see."""
    call_command("load_clinic_content", verbosity=0)
    call_command("load_demo_schedule", verbosity=0)


def assert_no_axe_violations(tab):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(tab)
    violations = results.response["violations"]
    summary = [f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:5]}" for v in violations]
    assert violations == [], f"axe-core found accessibility violations on {tab.url}:\n" + "\n".join(summary)
