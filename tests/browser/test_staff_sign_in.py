"""Two-step sign-in in real Chromium: a new staff member sets up their authenticator with the
key on the page and a code their phone would show, keeps their recovery codes, and gets in."""

import re

import pytest
from django.contrib.auth.models import User
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.conftest import assert_no_axe_violations

pytestmark = pytest.mark.browser


def test_a_new_staff_member_sets_up_two_step_sign_in(live_site, page):
    User.objects.create_user("nicole", password="a-long-staff-password-2026", is_staff=True, is_superuser=True)
    page.goto("/admin/")
    page.get_by_label("Username").fill("nicole")
    page.get_by_label("Password").fill("a-long-staff-password-2026")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("img", name="QR code of the key above")).to_be_visible()
    key = page.locator("figcaption code").inner_text().replace(" ", "")
    device = TOTPDevice.objects.get(user__username="nicole")
    assert key == __import__("base64").b32encode(device.bin_key).decode().rstrip("=")
    assert_no_axe_violations(page)
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    page.get_by_label("Code from your authenticator app").fill(code)
    page.get_by_role("button", name="Confirm").click()

    expect(page.get_by_text(re.compile("Two-step sign-in is set up"))).to_be_visible()
    assert page.locator(".recovery-codes li").count() == 10
    page.get_by_role("link", name=re.compile("continue to the admin")).click()
    expect(page.get_by_role("heading", name="Appointments, schedules and content")).to_be_visible()
