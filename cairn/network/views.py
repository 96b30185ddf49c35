"""The network's web pages: thin adapters over the services and selectors.

Every change is a POST. Without JavaScript it answers with a 303 to a page; with htmx it answers
with the part of the page that changed (and, out of band, the parts that depend on it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from cairn.core.errors import DomainError
from cairn.core.models import get_owned_or_404
from cairn.network import forms, selectors, services
from cairn.network.models import Interaction, LifeEvent, MergeRecord, Organisation, Person

PAGE_SIZE = 50
NOTICE_KEY = "network_notice"


def _today():
    # The middleware has activated the user's own time zone.
    return timezone.localdate()


def _see_other(url: str) -> HttpResponse:
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def _done(request: HttpRequest, url: str) -> HttpResponse:
    """After a whole-page form: htmx is told where to go, a plain POST is redirected."""
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return _see_other(url)


def _notice(request: HttpRequest, text: str, *, undo_url: str) -> None:
    """A one-time message with an Undo button, shown on the next network page."""
    request.session[NOTICE_KEY] = {"text": text, "undo_url": undo_url}


def _pop_notice(request: HttpRequest) -> dict | None:
    return request.session.pop(NOTICE_KEY, None)


def _wants_fragment(request: HttpRequest) -> bool:
    return bool(request.htmx) and not request.htmx.history_restore_request


# ---------------------------------------------------------------- people list


def _people_context(request: HttpRequest, params: QueryDict) -> dict[str, Any]:
    form = forms.PeopleFilterForm(params, user=request.user)
    today = _today()
    queryset = selectors.people_for(
        request.user, filters=form.filters(), sort=form.ordering(), today=today
    )
    page = Paginator(queryset, PAGE_SIZE).get_page(params.get("page"))
    query = QueryDict(mutable=True)  # the filters that are set, for page links and bulk actions
    for key, values in params.lists():
        if key != "page" and any(values):
            query.setlist(key, [value for value in values if value])
    filters = form.filters()
    return {
        "active": "network",
        "section": "people",
        "form": form,
        "page": page,
        "today": today,
        "list_query": query.urlencode(),
        "in_bin": filters.in_bin,
        "archived": filters.archived,
        "filtered": any(value for key, value in query.items() if key != "sort"),
        "filtered_beyond_show": any(
            value for key, value in query.items() if key not in ("sort", "show")
        ),
    }


@login_required
@require_GET
def people(request: HttpRequest) -> HttpResponse:
    context = _people_context(request, request.GET)
    if _wants_fragment(request):
        return render(request, "network/people.html#results", context)
    context["notice"] = _pop_notice(request)
    return render(request, "network/people.html", context)


@login_required
@require_POST
def people_bulk(request: HttpRequest) -> HttpResponse:
    form = forms.BulkForm(request.POST)
    shown = QueryDict(request.POST.get("query", ""))
    if form.is_valid():
        ids, action = form.cleaned_data["ids"], form.cleaned_data["action"]
        if action == "tag":
            circle = form.cleaned_data["circle"].strip()
            count = services.people_tag(user=request.user, person_ids=ids, circle=circle)
            messages.success(request, f"Added {_people(count)} to “{circle}”.")
        else:
            archived = action == "archive"
            count = services.people_archive(user=request.user, person_ids=ids, archived=archived)
            verb = "Archived" if archived else "Brought back"
            messages.success(request, f"{verb} {_people(count)}.")
    else:
        errors = [error for errors in form.errors.values() for error in errors]
        messages.error(request, " ".join(errors))
    if request.htmx:
        return render(request, "network/people.html#results", _people_context(request, shown))
    return _see_other(f"{reverse('network:people')}?{shown.urlencode()}")


def _people(count: int) -> str:
    return f"{count} {'person' if count == 1 else 'people'}"


@login_required
@require_GET
def people_suggest(request: HttpRequest) -> HttpResponse:
    """Datalist options for a person picker, as the user types."""
    text = request.GET.get(request.GET.get("field", "q"), "")
    found = selectors.people_named(request.user, text)
    names = [person.full_name.casefold() for person in found]
    options = [
        (
            person.full_name
            if names.count(person.full_name.casefold()) == 1
            else f"{person.full_name} (#{person.pk})",
            person.headline,
        )
        for person in found
    ]
    return render(request, "network/_suggestions.html", {"options": options})


@login_required
@require_GET
def organisations_suggest(request: HttpRequest) -> HttpResponse:
    text = request.GET.get(request.GET.get("field", "q"), "")
    found = selectors.organisations_named(request.user, text)
    options = [(o.name, o.domain or o.industry) for o in found]
    return render(request, "network/_suggestions.html", {"options": options})


# ---------------------------------------------------------------- a person


def _person(request: HttpRequest, pk: int) -> Person:
    return get_owned_or_404(Person.objects.select_related("introduced_by"), request.user, pk=pk)


def _person_context(request: HttpRequest, person: Person, **bound: Any) -> dict[str, Any]:
    """Everything the person page shows; `bound` replaces an empty form by one with errors."""
    user, today = request.user, _today()
    roles = selectors.person_roles(user, person)
    points = list(person.contact_points.all())
    return {
        "active": "network",
        "section": "people",
        "person": person,
        "today": today,
        "current_roles": [role for role in roles if role.is_current],
        "past_roles": [role for role in roles if not role.is_current],
        "emails": [p for p in points if p.kind == "email"],
        "phones": [p for p in points if p.kind == "phone"],
        "links": [p for p in points if p.kind == "link"],
        "circles": list(person.circles.all()),
        "career_fields": list(person.fields.all()),
        "timeline": selectors.person_timeline(user, person),
        "balance": selectors.favour_balance(user, person),
        "chain": selectors.introduction_chain(person),
        "introduced": list(selectors.people_introduced_by(user, person)[:50]),
        "overdue_days": person.overdue_days(today),
        "log_form": bound.get("log_form") or forms.InteractionForm(initial={"occurred_on": today}),
        "favour_form": bound.get("favour_form")
        or forms.FavourForm(initial={"occurred_on": today, "direction": "given"}),
        "event_form": bound.get("event_form") or forms.LifeEventForm(),
        "role_form": bound.get("role_form") or forms.RoleForm(),
    }


@login_required
@require_GET
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk)
    context = _person_context(request, person)
    context["notice"] = _pop_notice(request)
    return render(request, "network/person_detail.html", context)


def _person_changed(request: HttpRequest, person: Person, region: str) -> HttpResponse:
    """A change on the person page: htmx gets `region` afresh, with the timeline and the
    keep-in-touch dates out of band; a plain POST goes back to the page."""
    url = reverse("network:person-detail", args=[person.pk])
    if not request.htmx:
        return _see_other(url)
    person.refresh_from_db()
    context = {**_person_context(request, person), "region": region, "changed": True}
    if region == "log":
        # Ready for the next one without reaching for the mouse.
        context["log_form"].fields["summary"].widget.attrs["autofocus"] = True
    return render(request, "network/person_changed.html", context)


def _person_refused(request: HttpRequest, person: Person, region: str, **bound) -> HttpResponse:
    """A form on the person page with errors: the form again, its errors on its fields."""
    person.refresh_from_db()
    context = {**_person_context(request, person, **bound), "region": region}
    if request.htmx:
        # 200, so that htmx swaps the form with its errors in place.
        return render(request, "network/person_changed.html", context)
    return render(request, "network/person_detail.html", context, status=400)


@login_required
@require_POST
def interaction_log(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk)
    form = forms.InteractionForm(request.POST)
    if form.is_valid():
        try:
            services.interaction_log(user=request.user, people=[person], **form.cleaned_data)
        except DomainError as error:
            forms.show_domain_error(form, error)
        else:
            return _person_changed(request, person, "log")
    return _person_refused(request, person, "log", log_form=form)


@login_required
@require_POST
def favour_add(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk)
    form = forms.FavourForm(request.POST)
    if form.is_valid():
        try:
            services.favour_add(user=request.user, person=person, **form.cleaned_data)
        except DomainError as error:
            forms.show_domain_error(form, error)
        else:
            return _person_changed(request, person, "favour")
    return _person_refused(request, person, "favour", favour_form=form)


@login_required
@require_POST
def event_add(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk)
    form = forms.LifeEventForm(request.POST)
    if form.is_valid():
        try:
            services.life_event_add(user=request.user, person=person, **form.cleaned_data)
        except DomainError as error:
            forms.show_domain_error(form, error)
        else:
            return _person_changed(request, person, "event")
    return _person_refused(request, person, "event", event_form=form)


@login_required
@require_POST
def role_add(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk)
    form = forms.RoleForm(request.POST)
    if form.is_valid():
        values = dict(form.cleaned_data)
        try:
            # A new organisation is only kept if the role is.
            with transaction.atomic():
                organisation = services.organisation_get_or_create(
                    user=request.user, name=values.pop("organisation")
                )
                services.role_add(
                    user=request.user, person=person, organisation=organisation, **values
                )
        except DomainError as error:
            forms.show_domain_error(form, error)
        else:
            return _person_changed(request, person, "role")
    return _person_refused(request, person, "role", role_form=form)


@login_required
@require_POST
def event_congratulate(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_owned_or_404(LifeEvent.objects.select_related("person"), request.user, pk=pk)
    services.life_event_congratulate(user=request.user, event=event)
    return _person_changed(request, event.person, "timeline")


@login_required
@require_POST
def follow_up_done(request: HttpRequest, pk: int) -> HttpResponse:
    interaction = get_owned_or_404(Interaction, request.user, pk=pk)
    services.follow_up_done(user=request.user, interaction=interaction)
    # Back to the page it was done from, when that is one of the people in it.
    people = interaction.people.all()
    person = people.filter(pk=request.POST.get("person") or 0).first() or people.first()
    if person is None:
        return _see_other(reverse("network:people"))
    return _person_changed(request, person, "timeline")


@login_required
@require_http_methods(["GET", "POST"])
def person_new(request: HttpRequest) -> HttpResponse:
    form = forms.PersonForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        arguments = form.service_arguments()
        organisation = form.cleaned_data.get("organisation", "").strip()
        try:
            with transaction.atomic():
                person = services.person_create(user=request.user, **arguments)
                if organisation:
                    services.role_add(
                        user=request.user,
                        person=person,
                        organisation=services.organisation_get_or_create(
                            user=request.user, name=organisation
                        ),
                        title=form.cleaned_data.get("title", ""),
                    )
        except DomainError as error:
            forms.show_domain_error(form, error, form.aliases())
        else:
            messages.success(request, f"{person.full_name} is in your network.")
            return _done(request, reverse("network:person-detail", args=[person.pk]))
    return render(
        request,
        "network/person_form.html",
        {"active": "network", "section": "people", "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk)
    if request.method == "POST":
        form = forms.PersonForm(request.POST, user=request.user, person=person)
        if form.is_valid():
            try:
                services.person_update(user=request.user, person=person, **form.service_arguments())
            except DomainError as error:
                forms.show_domain_error(form, error, form.aliases())
                person = _person(request, pk)  # the refused values were set on the instance
            else:
                messages.success(request, "Saved.")
                return _done(request, reverse("network:person-detail", args=[person.pk]))
    else:
        initial = forms.PersonForm.initial_for(person)
        form = forms.PersonForm(initial=initial, user=request.user, person=person)
    return render(
        request,
        "network/person_form.html",
        {"active": "network", "section": "people", "form": form, "person": person},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_delete(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk)
    if request.method == "GET":
        context = {"active": "network", "section": "people", "person": person}
        return render(request, "network/person_delete.html", context)
    if person.deleted_at is None:
        services.person_delete(user=request.user, person=person)
    _notice(
        request,
        f"{person.full_name} is in the bin for {services.BIN_DAYS} days.",
        undo_url=reverse("network:person-restore", args=[person.pk]),
    )
    return _done(request, reverse("network:people"))


@login_required
@require_POST
def person_restore(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk)
    services.person_restore(user=request.user, person=person)
    messages.success(request, f"{person.full_name} is back in your network.")
    return _done(request, reverse("network:person-detail", args=[person.pk]))


@login_required
@require_http_methods(["GET", "POST"])
def person_merge(request: HttpRequest, pk: int) -> HttpResponse:
    """Fold another person (a duplicate) into this one: choose, see what moves, confirm."""
    person = _person(request, pk)
    context: dict[str, Any] = {"active": "network", "section": "people", "person": person}
    if request.method == "POST":
        other = get_owned_or_404(Person, request.user, pk=request.POST.get("other"))
        try:
            record = services.person_merge(user=request.user, survivor=person, absorbed=other)
        except DomainError as error:
            messages.error(request, error.message)
            return _done(request, reverse("network:person-merge", args=[person.pk]))
        _notice(
            request,
            f"{other.full_name} was merged into {person.full_name}.",
            undo_url=reverse("network:merge-undo", args=[record.pk]),
        )
        return _done(request, reverse("network:person-detail", args=[person.pk]))
    form = forms.MergeForm(request.GET or None, user=request.user)
    if form.is_bound and form.is_valid():
        other = form.cleaned_data["other"]
        if other.pk == person.pk:
            form.add_error("other", "That is this person: choose the duplicate.")
        else:
            context["other"] = other
            context["preview"] = selectors.merge_preview(
                request.user, survivor=person, absorbed=other
            )
    context["form"] = form
    return render(request, "network/person_merge.html", context)


@login_required
@require_POST
def merge_undo(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_owned_or_404(
        MergeRecord.objects.select_related("survivor", "absorbed"), request.user, pk=pk
    )
    try:
        services.merge_undo(user=request.user, record=record)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            f"Merge undone: {record.survivor.full_name} and {record.absorbed.full_name} "
            "are two people again.",
        )
    return _done(request, reverse("network:person-detail", args=[record.survivor_id]))


# ---------------------------------------------------------------- organisations


@login_required
@require_GET
def organisations(request: HttpRequest) -> HttpResponse:
    targets_only = request.GET.get("targets") == "1"
    queryset = selectors.organisations_for(request.user, targets_only=targets_only)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "active": "network",
        "section": "organisations",
        "page": page,
        "targets_only": targets_only,
        "list_query": "targets=1" if targets_only else "",
    }
    return render(request, "network/organisations.html", context)


def _organisation_form_page(
    request: HttpRequest,
    form: forms.OrganisationForm,
    save: Callable[[dict], Organisation],
    organisation: Organisation | None = None,
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            organisation = save(form.cleaned_data)
        except DomainError as error:
            forms.show_domain_error(form, error)
        else:
            messages.success(request, f"{organisation.name} saved.")
            return _done(request, reverse("network:organisation-detail", args=[organisation.pk]))
    context = {
        "active": "network",
        "section": "organisations",
        "form": form,
        "organisation": organisation,
    }
    return render(
        request, "network/organisation_form.html", context, status=400 if form.errors else 200
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_new(request: HttpRequest) -> HttpResponse:
    form = forms.OrganisationForm(request.POST or None)
    return _organisation_form_page(
        request, form, lambda values: services.organisation_create(user=request.user, **values)
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_owned_or_404(Organisation, request.user, pk=pk)
    if request.method == "POST":
        form = forms.OrganisationForm(request.POST)
    else:
        form = forms.OrganisationForm(initial=forms.OrganisationForm.initial_for(organisation))

    def save(values: dict) -> Organisation:
        try:
            return services.organisation_update(
                user=request.user, organisation=organisation, **values
            )
        except DomainError:
            organisation.refresh_from_db()  # show the saved name, not the refused one
            raise

    return _organisation_form_page(request, form, save, organisation)


@login_required
@require_GET
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_owned_or_404(Organisation, request.user, pk=pk)
    roles = selectors.organisation_roles(request.user, organisation)
    context = {
        "active": "network",
        "section": "organisations",
        "organisation": organisation,
        "current": roles["current"],
        "past": roles["past"],
        "interactions": selectors.organisation_interactions(request.user, organisation),
        "today": _today(),
    }
    return render(request, "network/organisation_detail.html", context)


@login_required
@require_POST
def organisation_target(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_owned_or_404(Organisation, request.user, pk=pk)
    services.organisation_update(
        user=request.user, organisation=organisation, is_target=not organisation.is_target
    )
    if request.htmx:
        return render(
            request,
            "network/organisation_detail.html#target",
            {"organisation": organisation},
        )
    return _see_other(reverse("network:organisation-detail", args=[organisation.pk]))
