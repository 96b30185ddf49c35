from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone


@login_required
def today(request: HttpRequest) -> HttpResponse:
    """The first page of the day: a few explained actions (empty until sources exist)."""
    now = timezone.localtime()
    return render(
        request,
        "daily/today.html",
        {"active": "today", "now": now, "items": [], "limit": request.user.daily_action_count},
    )
