"""Reminders outside the app: the digest settings, notification addresses, the calendar feed.

The settings card lives on the account settings page; its forms post here. With htmx a post
gets the card back; a plain post is redirected to the settings page (303), or, when the form
has a mistake, gets a page of its own with the card and the error.
"""

from __future__ import annotations

import hashlib
from datetime import time
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from cairn.core.errors import DomainError
from cairn.daily import calendar, notify

SECTION = "daily/settings_section.html"


class DigestForm(forms.Form):
    digest_enabled = forms.BooleanField(
        label="Email me the day's actions each day",
        required=False,
        help_text="A day with nothing to do sends nothing.",
    )
    digest_time = forms.TimeField(
        label="Send it at",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": "Enter a time of day, e.g. 07:30."},
    )


class NotifyUrlsForm(forms.Form):
    notify_urls = forms.CharField(
        label="Notification addresses",
        required=False,
        max_length=notify.MAX_URLS * (notify.MAX_URL_LENGTH + 1),
        widget=forms.Textarea(
            attrs={"rows": 3, "spellcheck": "false", "placeholder": "ntfys://ntfy.sh/my-topic"}
        ),
    )


def section_context(
    user,
    *,
    digest_form: DigestForm | None = None,
    urls_form: NotifyUrlsForm | None = None,
    outcomes: list[notify.Outcome] | None = None,
) -> dict[str, Any]:
    """What the Reminders card shows, for the settings page and for the views here."""
    digest_form = digest_form or DigestForm(
        initial={"digest_enabled": user.digest_enabled, "digest_time": user.digest_time}
    )
    digest_form.fields["digest_time"].help_text = f"In your time zone, {user.time_zone}."
    return {
        "digest_form": digest_form,
        "urls_form": urls_form or NotifyUrlsForm(initial={"notify_urls": user.notify_urls}),
        "has_urls": bool(user.notify_urls.strip()),
        "has_calendar": bool(user.calendar_token_digest),
        "email_configured": settings.EMAIL_CONFIGURED,
        "outcomes": outcomes,
    }


def _done(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    """After a change: htmx gets the card back; a plain post goes back to the settings."""
    if request.htmx:
        return render(request, SECTION, {"reminders": context})
    response = redirect(reverse("accounts:settings") + "#reminders")
    response.status_code = 303
    return response


def _mistake(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    """A form with an error: the card with it, on its own page when there is no htmx."""
    if request.htmx:
        return render(request, SECTION, {"reminders": context})
    return render(request, "daily/reminders.html", {"reminders": context}, status=400)


@login_required
@require_POST
def digest_settings(request: HttpRequest) -> HttpResponse:
    """Turn the daily digest on or off, and choose its time."""
    form = DigestForm(request.POST)
    if not form.is_valid():
        return _mistake(request, section_context(request.user, digest_form=form))
    enabled = form.cleaned_data["digest_enabled"]
    at: time = form.cleaned_data["digest_time"]
    notify.digest_settings_update(user=request.user, enabled=enabled, at=at)
    if enabled:
        messages.success(request, f"Your digest will arrive each day at {at:%H:%M}.")
    else:
        messages.success(request, "The daily digest is off.")
    return _done(request, section_context(request.user))


@login_required
@require_POST
def notify_urls(request: HttpRequest) -> HttpResponse:
    """Keep the notification addresses, once every line has been checked."""
    form = NotifyUrlsForm(request.POST)
    if form.is_valid():
        try:
            urls = notify.notify_urls_update(
                user=request.user, text=form.cleaned_data["notify_urls"]
            )
        except DomainError as error:
            form.add_error("notify_urls", error.message.removeprefix("notify_urls: "))
        else:
            count = len(urls)
            if count:
                noun = "address" if count == 1 else "addresses"
                messages.success(request, f"Saved {count} notification {noun}.")
            else:
                messages.success(request, "No notifications: the digest goes by email only.")
            return _done(request, section_context(request.user))
    return _mistake(request, section_context(request.user, urls_form=form))


@login_required
@require_POST
def notify_test(request: HttpRequest) -> HttpResponse:
    """Send a test notification to each saved address and say how each went."""
    try:
        outcomes = notify.notify_test(user=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return _done(request, section_context(request.user))
    if request.htmx:
        return render(
            request, SECTION, {"reminders": section_context(request.user, outcomes=outcomes)}
        )
    for outcome in outcomes:
        if outcome.ok:
            messages.success(request, f"Line {outcome.line} ({outcome.shown}): sent.")
        else:
            messages.error(request, f"Line {outcome.line} ({outcome.shown}): {outcome.error}")
    return _done(request, {})


@login_required
@require_POST
def calendar_create(request: HttpRequest) -> HttpResponse:
    """Make (or remake) the secret feed address, and show it this once."""
    replaced = bool(request.user.calendar_token_digest)
    token = calendar.calendar_token_create(user=request.user)
    return render(
        request,
        "daily/calendar_created.html",
        {"feed_url": calendar.feed_url(token), "replaced": replaced},
    )


@login_required
@require_POST
def calendar_revoke(request: HttpRequest) -> HttpResponse:
    """Turn the feed off: its address stops working."""
    calendar.calendar_token_revoke(user=request.user)
    messages.success(request, "The calendar feed is off: its address no longer works.")
    return _done(request, section_context(request.user))


@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The calendar of whoever holds this secret address; no login, a 404 for anyone else."""
    user = calendar.user_for_token(token)
    if user is None:
        raise Http404("No such calendar.")
    body = calendar.calendar_bytes(user)
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="cairn.ics"'
    response["ETag"] = etag
    # Calendar programs poll: an hour is fresh enough for a day's reminders. Private, so
    # that no shared cache keeps a copy of someone's calendar under a guessable key.
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response
