from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone

from cairn.accounts import services
from cairn.accounts.models import User, time_zone_names
from cairn.core.http import client_ip


class TimeZoneField(forms.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=[(name, name) for name in time_zone_names()], **kwargs)


class SignupForm(forms.Form):
    email = forms.EmailField(widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    display_name = forms.CharField(
        label="Your name", max_length=120, required=False, help_text="How Cairn greets you."
    )
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 10 characters, not a common password.",
    )
    time_zone = TimeZoneField(initial="UTC", help_text="Your days start at midnight here.")

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("An account with this address already exists.")
        return email

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password"):
            candidate = User(
                email=cleaned.get("email", ""), display_name=cleaned.get("display_name", "")
            )
            try:
                password_validation.validate_password(cleaned["password"], candidate)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


class LoginForm(AuthenticationForm):
    """Django's login form, refusing to check passwords while an address is locked out."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "That email and password do not match an account.",
        "throttled": "Too many failed attempts. Try again in %(minutes)s minute(s).",
    }

    def clean(self):
        email = (self.cleaned_data.get("username") or "").strip().lower()
        ip = client_ip(self.request) if self.request else None
        now = timezone.now()
        wait = services.login_wait_seconds(email=email, ip=ip, now=now)
        if wait:
            raise forms.ValidationError(
                self.error_messages["throttled"],
                code="throttled",
                params={"minutes": -(-wait // 60)},
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            services.login_failure_record(email=email, ip=ip, now=now)
            raise
        services.login_failures_clear(email=email)
        return cleaned


class SettingsForm(forms.ModelForm):
    time_zone = TimeZoneField()

    class Meta:
        model = User
        fields = ["display_name", "email", "time_zone", "daily_action_count", "mode"]
        labels = {"display_name": "Your name", "daily_action_count": "Actions a day"}
        widgets = {"mode": forms.RadioSelect}

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        taken = User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError("Another account uses this address.")
        return email


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="What will use it, e.g. “backup script”.")
    read_only = forms.BooleanField(
        required=False, label="Read-only", help_text="It can read but never change anything."
    )


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Your password, to confirm it is you.",
    )
    confirm = forms.CharField(label="Type DELETE to confirm", help_text="This cannot be undone.")

    def clean_confirm(self) -> str:
        if self.cleaned_data["confirm"].strip() != "DELETE":
            raise forms.ValidationError("Type DELETE in capitals to confirm.")
        return "DELETE"
