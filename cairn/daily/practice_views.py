"""The practice pages: streaks and heatmap, the weekly review and the yearly take-stock.

Every change is a POST: with htmx the saved review comes back in place of the form, a plain
form gets a 303 to the review's page.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cairn.core.errors import DomainError
from cairn.core.models import get_owned_or_404
from cairn.daily import practice, reviews, services
from cairn.daily.forms_practice import WeeklyReviewForm, YearlyReviewForm
from cairn.daily.models import WeeklyReview, YearlyReview
from cairn.daily.streaks import week_start

REVIEWS_PER_PAGE = 20


def _today(request: HttpRequest) -> date:
    return services.local_day(request.user, timezone.now())


def _see_other(url: str) -> HttpResponse:
    response = redirect(url)
    response.status_code = 303
    return response


def _due_week(user, today: date) -> date:
    last_week = week_start(today) - timedelta(weeks=1)
    written = WeeklyReview.objects.for_user(user).filter(week_of=last_week).exists()
    return reviews.due_week(today, last_written=written)


def _due(user, today: date) -> dict:
    """The week a review is due for, and its review when already written."""
    week = _due_week(user, today)
    return {
        "due_week": week,
        "due_review": WeeklyReview.objects.for_user(user).filter(week_of=week).first(),
    }


@login_required
@require_GET
def practice_page(request: HttpRequest) -> HttpResponse:
    """Streaks, the last year's calendar, the last weeks' numbers, and the way to the reviews."""
    today = _today(request)
    recent = list(WeeklyReview.objects.for_user(request.user)[:3])
    return render(
        request,
        "daily/practice.html",
        {
            "active": "today",
            "overview": practice.practice_overview(request.user, today),
            "recent_reviews": recent,
            **_due(request.user, today),
            "this_year": today.year,
        },
    )


@login_required
@require_GET
def review_list(request: HttpRequest) -> HttpResponse:
    """Every weekly review, newest first, and the years to take stock of."""
    today = _today(request)
    page = Paginator(WeeklyReview.objects.for_user(request.user), REVIEWS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "daily/review_list.html",
        {
            "active": "today",
            "page": page,
            "years": practice.review_years(request.user, today),
            **_due(request.user, today),
        },
    )


def _form_page(
    request, form, *, review=None, week: date, status: int = 200, notice: str = ""
) -> HttpResponse:
    template = "daily/review_form.html#review-form" if request.htmx else "daily/review_form.html"
    return render(
        request,
        template,
        {
            "active": "today",
            "form": form,
            "review": review,
            "week": week,
            "numbers": practice.week_numbers(request.user, week),
            "notice": notice,
        },
        status=status,
    )


def _saved(request, review: WeeklyReview) -> HttpResponse:
    if request.htmx:
        return render(
            request,
            "daily/review_detail.html#review",
            {"review": review, "answers": _answers(review), "saved": True},
        )
    messages.success(request, "Review saved.")
    return _see_other(reverse("daily:review-detail", kwargs={"pk": review.pk}))


def _week_from(raw: str, today: date) -> date:
    try:
        return reviews.check_week(date.fromisoformat(raw), today=today)
    except ValueError:
        raise DomainError(
            f"week: {raw!r} is not a date; use YYYY-MM-DD.", field="week_of"
        ) from None


@login_required
@require_http_methods(["GET", "POST"])
def review_new(request: HttpRequest) -> HttpResponse:
    """The guided form for a week not yet reviewed (by default the week that is due)."""
    today = _today(request)
    if request.method == "POST":
        form = WeeklyReviewForm(request.POST)
        week = _due_week(request.user, today)
        if form.is_valid():
            week = week_start(form.cleaned_data["week_of"])
            try:
                review = reviews.weekly_review_save(
                    user=request.user, week_of=week, today=today, **form.answers()
                )
            except DomainError as error:
                form.add_error("week_of" if error.field == "week_of" else None, error.message)
                week = _due_week(request.user, today)  # the refused week has no numbers to show
            else:
                return _saved(request, review)
        return _form_page(request, form, week=week, status=200 if request.htmx else 400)

    raw = request.GET.get("week", "").strip()
    error = ""
    week = _due_week(request.user, today)
    if raw:
        try:
            week = _week_from(raw, today)
        except DomainError as refusal:
            error = refusal.message
    existing = WeeklyReview.objects.for_user(request.user).filter(week_of=week).first()
    if existing and not error:
        return redirect("daily:review-edit", pk=existing.pk)
    form = WeeklyReviewForm(initial={"week_of": week})
    return _form_page(request, form, week=week, notice=error)


@login_required
@require_GET
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_owned_or_404(WeeklyReview, request.user, pk=pk)
    return render(
        request,
        "daily/review_detail.html",
        {
            "active": "today",
            "review": review,
            "answers": _answers(review),
            "numbers": practice.week_numbers(request.user, review.week_of),
        },
    )


def _answers(review: WeeklyReview) -> list[tuple[str, str]]:
    return [(prompt.question, getattr(review, prompt.field)) for prompt in reviews.WEEKLY_PROMPTS]


@login_required
@require_http_methods(["GET", "POST"])
def review_edit(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_owned_or_404(WeeklyReview, request.user, pk=pk)
    if request.method == "POST":
        form = WeeklyReviewForm(request.POST, with_week=False)
        if form.is_valid():
            try:
                saved = reviews.weekly_review_save(
                    user=request.user, week_of=review.week_of, today=_today(request),
                    **form.answers(),
                )  # fmt: skip
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                return _saved(request, saved)
        return _form_page(
            request, form, review=review, week=review.week_of, status=200 if request.htmx else 400
        )
    initial = {prompt.field: getattr(review, prompt.field) for prompt in reviews.WEEKLY_PROMPTS}
    form = WeeklyReviewForm(initial=initial, with_week=False)
    return _form_page(request, form, review=review, week=review.week_of)


@login_required
@require_POST
def review_delete(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_owned_or_404(WeeklyReview, request.user, pk=pk)
    week = review.week_of
    review.delete()
    messages.success(request, f"The review of the week of {week:%-d %B %Y} is deleted.")
    url = reverse("daily:review-list")
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return _see_other(url)


@login_required
@require_http_methods(["GET", "POST"])
def year_review(request: HttpRequest, year: int) -> HttpResponse:
    """A year's numbers and charts, with a short reflection written beside them."""
    today = _today(request)
    try:
        reviews.check_year(year, today=today)
    except DomainError as error:
        raise Http404(error.message) from None
    review = YearlyReview.objects.for_user(request.user).filter(year=year).first()
    saved = False
    status = 200
    if request.method == "POST":
        form = YearlyReviewForm(request.POST)
        if form.is_valid():
            try:
                review = reviews.yearly_review_save(
                    user=request.user, year=year, today=today, **form.answers()
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                if not request.htmx:
                    messages.success(request, f"Your take-stock of {year} is saved.")
                    return _see_other(reverse("daily:year-review", kwargs={"year": year}))
                saved = True
        if not saved:
            status = 200 if request.htmx else 400
    else:
        initial = (
            {prompt.field: getattr(review, prompt.field) for prompt in reviews.YEARLY_PROMPTS}
            if review
            else {}
        )
        form = YearlyReviewForm(initial=initial)
    context = {"active": "today", "year": year, "form": form, "review": review, "saved": saved}
    if request.htmx and request.method == "POST":
        return render(request, "daily/review_year.html#reflection", context, status=status)
    context.update(
        overview=practice.year_overview(request.user, year, today),
        previous=year - 1 if year > reviews.FIRST_YEAR else None,
        following=year + 1 if year < today.year else None,
    )
    return render(request, "daily/review_year.html", context, status=status)
