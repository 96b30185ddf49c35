from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST

from cairn.accounts import forms, services
from cairn.accounts.models import ApiToken
from cairn.core.errors import DomainError
from cairn.core.http import redirect_or_partial


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("daily:today")
    if not services.signup_open():
        return render(request, "accounts/signup_closed.html", status=403)
    form = forms.SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
                display_name=form.cleaned_data["display_name"],
                time_zone=form.cleaned_data["time_zone"],
            )
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, f"Welcome to Cairn, {user.name}.")
            return redirect("daily:today", permanent=False)
    return render(request, "accounts/signup.html", {"form": form})


class LoginView(auth_views.LoginView):
    form_class = forms.LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "signup_open": services.signup_open()}


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:settings")

    def form_valid(self, form):
        messages.success(self.request, "Your password has been changed.")
        return super().form_valid(form)


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    html_email_template_name = "accounts/email/password_reset.html"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-sent")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "email_configured": settings.EMAIL_CONFIGURED}

    def form_valid(self, form):
        # Links in the mail point at the configured site, never at a Host header we were sent.
        from urllib.parse import urlsplit

        site = urlsplit(settings.SITE_URL)
        self.extra_email_context = {"site_name": "Cairn"}
        form.save(
            domain_override=site.netloc,
            use_https=site.scheme == "https",
            token_generator=self.token_generator,
            from_email=self.from_email,
            email_template_name=self.email_template_name,
            subject_template_name=self.subject_template_name,
            request=self.request,
            html_email_template_name=self.html_email_template_name,
            extra_email_context=self.extra_email_context,
        )
        return redirect(self.get_success_url())


@login_required
def settings_view(request: HttpRequest) -> HttpResponse:
    form = forms.SettingsForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Settings saved.")
        return redirect("accounts:settings", permanent=False)
    tokens = ApiToken.objects.for_user(request.user)
    return render(
        request,
        "accounts/settings.html",
        {
            "form": form,
            "tokens": tokens,
            "token_form": forms.TokenForm(),
            "delete_form": forms.DeleteAccountForm(),
        },
    )


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    form = forms.TokenForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the token a name (at most 100 characters).")
        return redirect("accounts:settings", permanent=False)
    token, secret = services.api_token_create(
        user=request.user, name=form.cleaned_data["name"], read_only=form.cleaned_data["read_only"]
    )
    # The secret is shown on this one response and never stored in the clear.
    return render(request, "accounts/token_created.html", {"token": token, "secret": secret})


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.api_token_revoke(user=request.user, token_id=pk)
    except DomainError:
        from django.http import Http404

        raise Http404("No such token.") from None
    messages.success(request, "Token revoked: anything using it is now refused.")
    return redirect_or_partial(
        request,
        "accounts:settings",
        template="accounts/settings.html#token-list",
        context={"tokens": ApiToken.objects.for_user(request.user)},
    )


@login_required
def export(request: HttpRequest) -> HttpResponse:
    """The complete archive now lives with the other exports; old links keep working."""
    return redirect("exchange:export-archive", permanent=False)


@login_required
@require_POST
def delete(request: HttpRequest) -> HttpResponse:
    form = forms.DeleteAccountForm(request.POST)
    if form.is_valid():
        user = request.user
        try:
            services.account_delete(user=user, password=form.cleaned_data["password"])
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            logout(request)
            messages.success(request, "Your account and everything in it have been deleted.")
            return redirect("accounts:login", permanent=False)
    return render(
        request,
        "accounts/settings.html",
        {
            "form": forms.SettingsForm(instance=request.user),
            "tokens": ApiToken.objects.for_user(request.user),
            "token_form": forms.TokenForm(),
            "delete_form": form,
        },
        status=400,
    )
