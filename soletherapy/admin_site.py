"""The staff admin, behind two-step sign-in: a password and a code from an authenticator app
(TOTP, django-otp), or one of ten single-use recovery codes.

A staff member without an authenticator signs in with their password once, is sent to set one
up (the key as text and as a QR code), confirms it with a code, and is shown their recovery
codes once. Until then no admin page opens. Repeated failures lock an account, and an address,
for a while (django-axes counts them; a wrong code counts like a wrong password).
"""

import io

from django import forms
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.qr import write_qrcode_image

RECOVERY_CODES = 10


class StaffLoginForm(AdminAuthenticationForm):
    code = forms.CharField(
        label="Code from your authenticator app",
        required=False,
        help_text="Six digits, or one of your recovery codes. Leave it empty the first time you sign in.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}),
    )

    error_messages = AdminAuthenticationForm.error_messages | {
        "code": "That code is not right. Enter the code your authenticator app shows now, or a recovery code.",
    }

    def clean(self):
        cleaned = super().clean()
        user = self.get_user()
        if user is None or not user_has_device(user):
            return cleaned  # first sign-in: the next page sets up the authenticator
        device = match_token(user, cleaned.get("code", "").replace(" ", ""))
        if device is None:
            # A wrong code counts towards the lockout like a wrong password.
            user_login_failed.send(
                sender=__name__, credentials={"username": cleaned.get("username")}, request=self.request
            )
            raise forms.ValidationError(self.error_messages["code"], code="code")
        user.otp_device = device  # django-otp keeps it in the session on login
        return cleaned


class SetUpForm(forms.Form):
    code = forms.CharField(
        label="Code from your authenticator app",
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}),
    )


class StaffAdminSite(admin.AdminSite):
    site_header = "SOLE THERAPY clinic admin"
    site_title = "SOLE THERAPY admin"
    index_title = "Appointments, schedules and content"
    login_form = StaffLoginForm
    login_template = "admin/staff_login.html"

    def has_permission(self, request):
        return super().has_permission(request) and request.user.is_verified()

    def get_urls(self):
        return [path("two-step/", self.set_up_two_step, name="two_step_setup"), *super().get_urls()]

    @method_decorator(never_cache)
    def login(self, request, extra_context=None):
        user = request.user
        signed_in_staff = user.is_authenticated and user.is_active and user.is_staff
        if signed_in_staff and not user.is_verified() and not user_has_device(user):
            return redirect("admin:two_step_setup")
        return super().login(request, extra_context)

    @method_decorator(never_cache)
    def set_up_two_step(self, request):
        user = request.user
        if not (user.is_authenticated and user.is_active and user.is_staff):
            return redirect("admin:login")
        if user_has_device(user):
            return redirect("admin:index")
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first() or TOTPDevice.objects.create(
            user=user, name="Authenticator app", confirmed=False
        )
        form = SetUpForm(request.POST or None)
        context = {**self.each_context(request), "title": "Set up two-step sign-in", "form": form}
        if request.method == "POST" and form.is_valid():
            if device.verify_token(form.cleaned_data["code"].replace(" ", "")):
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                otp_login(request, device)
                codes = _new_recovery_codes(user)
                context |= {"title": "Your recovery codes", "codes": codes, "index_url": reverse("admin:index")}
                return render(request, "admin/two_step_codes.html", context)
            form.add_error("code", "That code is not right. Enter the six digits your app shows now.")
        context |= {"secret": _spaced(device), "qr_code": _qr_code(device.config_url)}
        return render(request, "admin/two_step_setup.html", context, status=400 if form.errors else 200)


def _new_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def _spaced(device) -> str:
    """The key, in groups of four, for typing into an app by hand."""
    from base64 import b32encode

    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def _qr_code(data: str) -> str:
    out = io.BytesIO()
    write_qrcode_image(data, out)
    svg = out.getvalue().decode()
    svg = svg[svg.index("<svg") :]  # drop the XML declaration: it goes inside the page
    return mark_safe(svg.replace("<svg", '<svg role="img" aria-label="QR code of the key above"', 1))  # noqa: S308
