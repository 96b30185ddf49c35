"""The network's web pages: thin adapters over the services and selectors.

Every change is a POST. Without JavaScript it answers with a 303 to a page; with htmx it answers
with the part of the page that changed (and, out of band, the parts that depend on it)."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect, replace_url

from cairn.core.errors import DomainError
from cairn.core.http import redirect_or_partial
from cairn.core.models import get_owned_or_404
from cairn.network import forms, selectors, services, whoat
from cairn.network import jogger as jogger_categories
from cairn.network.jogger import Category
from cairn.network.models import (
    Interaction,
    LifeEvent,
    Link,
    MergeRecord,
    Organisation,
    Person,
    Rotation,
)

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
        "knows": selectors.person_links(user, person),
        "overdue_days": person.overdue_days(today),
        "log_form": bound.get("log_form") or forms.InteractionForm(initial={"occurred_on": today}),
        "favour_form": bound.get("favour_form")
        or forms.FavourForm(initial={"occurred_on": today, "direction": "given"}),
        "event_form": bound.get("event_form") or forms.LifeEventForm(),
        "role_form": bound.get("role_form") or forms.RoleForm(),
        "knows_form": bound.get("knows_form") or forms.LinkForm(user=user),
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


def _person_form_post(request, pk: int, form_class, service, region: str) -> HttpResponse:
    """One of the person page's small forms: validate, call the service for this person, and
    answer with the changed page (or the form again, its errors on their fields)."""
    person = _person(request, pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            service(user=request.user, person=person, **form.cleaned_data)
        except DomainError as error:
            forms.show_domain_error(form, error)
        else:
            return _person_changed(request, person, region)
    return _person_refused(request, person, region, **{f"{region}_form": form})


def _log_with(*, user, person, **values):
    return services.interaction_log(user=user, people=[person], **values)


@login_required
@require_POST
def interaction_log(request: HttpRequest, pk: int) -> HttpResponse:
    return _person_form_post(request, pk, forms.InteractionForm, _log_with, "log")


@login_required
@require_POST
def favour_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _person_form_post(request, pk, forms.FavourForm, services.favour_add, "favour")


@login_required
@require_POST
def event_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _person_form_post(request, pk, forms.LifeEventForm, services.life_event_add, "event")


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
def link_add(request: HttpRequest, pk: int) -> HttpResponse:
    """This person knows someone else: chosen by name, with how they know each other."""
    person = _person(request, pk)
    form = forms.LinkForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.link_add(
                user=request.user,
                from_person=person,
                to_person=form.cleaned_data["to_person"],
                kind=form.cleaned_data["kind"],
                note=form.cleaned_data["note"].strip(),
            )
        except DomainError as error:
            forms.show_domain_error(form, error)
        else:
            return _person_changed(request, person, "knows")
    return _person_refused(request, person, "knows", knows_form=form)


@login_required
@require_POST
def link_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove a stated link; back to the page of whichever of its two people it came from."""
    link = get_owned_or_404(Link, request.user, pk=pk)
    shown = request.POST.get("person")
    person_pk = link.to_person_id if shown == str(link.to_person_id) else link.from_person_id
    services.link_delete(user=request.user, link=link)
    return _person_changed(request, _person(request, person_pk), "knows")


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


# ---------------------------------------------------------------- quick add


def _quick_add_page(
    request: HttpRequest,
    form: forms.QuickAddForm,
    preview: services.QuickAddPreview | None = None,
) -> HttpResponse:
    """The quick-add box, with the preview of what the line would create once it is read."""
    context: dict[str, Any] = {
        "active": "network",
        "section": "quick-add",
        "form": form,
        "preview": preview,
    }
    if preview is not None:
        context.update(_preview_details(request, preview))
    if _wants_fragment(request):
        # 200 even with errors, so that htmx swaps them in.
        return render(request, "network/quick_add.html#workspace", context)
    return render(request, "network/quick_add.html", context, status=400 if form.errors else 200)


def _preview_details(request: HttpRequest, preview: services.QuickAddPreview) -> dict[str, Any]:
    """What the preview names by id: the existing organisation, and the people it may be."""
    organisation = None
    if preview.organisation_id is not None:
        organisation = get_owned_or_404(Organisation, request.user, pk=preview.organisation_id)
    ids = [duplicate.person_id for duplicate in preview.duplicates]
    # Their current roles help to tell them apart (archived people show by name only).
    shown = selectors.people_for(request.user, today=_today()).filter(pk__in=ids)
    known = {person.pk: person for person in shown}
    return {
        "organisation": organisation,
        "duplicates": [(d, known.get(d.person_id)) for d in preview.duplicates],
    }


def _preview_or_error(request: HttpRequest, form: forms.QuickAddForm):
    """The preview of the form's line, or None with the reason on the form."""
    try:
        preview = services.quick_add_preview(user=request.user, line=form.cleaned_data["line"])
    except DomainError as error:
        forms.show_domain_error(form, error)
        return None
    if not preview.parsed.full_name:
        form.add_error("line", "No name found: start the line with the person's name.")
        return None
    return preview


@login_required
@require_http_methods(["GET", "POST"])
def quick_add(request: HttpRequest) -> HttpResponse:
    """One line in, what it would create out; nothing is written until it is confirmed."""
    if request.method == "GET":
        return _quick_add_page(request, forms.QuickAddForm())
    form = forms.QuickAddForm(request.POST)
    preview = _preview_or_error(request, form) if form.is_valid() else None
    return _quick_add_page(request, form, preview)


@login_required
@require_POST
def quick_add_confirm(request: HttpRequest) -> HttpResponse:
    """Create the person the line describes, or fold it into someone already there."""
    form = forms.QuickAddConfirmForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        merge = data["decision"] == "merge"
        try:
            result = services.person_quick_add(
                user=request.user,
                line=data["line"],
                confirm_merge_into=data["merge_into"] if merge else None,
                allow_duplicates=data["decision"] == "anyway",
            )
        except services.DuplicatesFound:
            # Someone like them was added since the preview: the preview again, with them in it.
            form.add_error(None, "Someone in your network may be this person: choose below.")
        except DomainError as error:
            forms.show_domain_error(form, error)
        else:
            person = result.person
            if result.merge is not None:
                _notice(
                    request,
                    f"Added what you typed to {person.full_name}.",
                    undo_url=reverse("network:merge-undo", args=[result.merge.pk]),
                )
            else:
                messages.success(request, f"{person.full_name} is in your network.")
            return _done(request, reverse("network:person-detail", args=[person.pk]))
    preview = None
    if "line" in form.cleaned_data:
        preview = _preview_or_error(request, form)
    return _quick_add_page(request, form, preview)


# ---------------------------------------------------------------- memory jogger

JOGGER_OUTCOME_KEY = "network_jogger_outcome"


def _jogger_category(slug: str) -> Category:
    category = jogger_categories.BY_SLUG.get(slug)
    if category is None:
        raise Http404("No such brainstorm category.")
    return category


def _category_label(category: Category) -> str:
    """A short name for the list of categories ("past-managers" → "Past managers")."""
    return category.slug.replace("-", " ").capitalize()


def _jogger_page(
    request: HttpRequest,
    category: Category | None = None,
    *,
    form: forms.JoggerForm | None = None,
    outcome: dict | None = None,
) -> HttpResponse:
    """The brainstorm: one category to recall names for, the progress, every category."""
    progress = selectors.jogger_progress(request.user)
    rows = {chosen.slug: row for chosen, row in progress["categories"]}
    current = category or progress["next"]
    groups: dict[str, list] = {}
    for chosen, row in progress["categories"]:
        groups.setdefault(chosen.group, []).append((chosen, row, _category_label(chosen)))
    form = form or forms.JoggerForm()
    form.fields["names"].widget.attrs["autofocus"] = True  # ready for the next list of names
    context = {
        "active": "network",
        "section": "jogger",
        "current": current,
        "current_row": rows.get(current.slug) if current else None,
        "position": jogger_categories.CATEGORIES.index(current) + 1 if current else None,
        "form": form,
        "outcome": outcome,
        "done": progress["done"],
        "total": progress["total"],
        "names_added": progress["names_added"],
        "groups": list(groups.items()),
    }
    if _wants_fragment(request):
        response = render(request, "network/jogger.html#workspace", context)
        if request.method == "POST":
            # The address follows what is shown: the refused category again, or the next step.
            if form.errors and current is not None:
                replace_url(response, reverse("network:jogger-category", args=[current.slug]))
            else:
                replace_url(response, reverse("network:jogger"))
        return response
    return render(request, "network/jogger.html", context, status=400 if form.errors else 200)


@login_required
@require_GET
def jogger(request: HttpRequest) -> HttpResponse:
    return _jogger_page(request, outcome=request.session.pop(JOGGER_OUTCOME_KEY, None))


@login_required
@require_GET
def jogger_category(request: HttpRequest, slug: str) -> HttpResponse:
    return _jogger_page(request, _jogger_category(slug))


def _jogger_summary(category: Category, outcome: services.JoggerOutcome) -> dict[str, Any]:
    """What adding names did, as plain data (it may wait in the session for the next page)."""
    return {
        "slug": category.slug,
        "circle": category.circle,
        "created": [(person.pk, person.full_name) for person in outcome.created],
        "circled": [(person.pk, person.full_name) for person in outcome.circled],
        "doubtful": [
            {
                "name": name,
                "pk": duplicate.person_id,
                "full_name": duplicate.full_name,
                "reason": duplicate.reason,
                "score": duplicate.score,
            }
            for name, duplicate in outcome.possible_duplicates
        ],
    }


@login_required
@require_POST
def jogger_add(request: HttpRequest, slug: str) -> HttpResponse:
    category = _jogger_category(slug)
    form = forms.JoggerForm(request.POST)
    if not form.is_valid():
        return _jogger_page(request, category, form=form)
    outcome = services.jogger_add_names(
        user=request.user,
        category=slug,
        text=form.text(),
        add_anyway=form.cleaned_data["add_anyway"],
    )
    summary = _jogger_summary(category, outcome)
    if request.htmx:
        return _jogger_page(request, outcome=summary)
    request.session[JOGGER_OUTCOME_KEY] = summary
    return _see_other(reverse("network:jogger"))


@login_required
@require_POST
def jogger_skip(request: HttpRequest, slug: str) -> HttpResponse:
    _jogger_category(slug)
    services.jogger_skip(user=request.user, category=slug)
    if request.htmx:
        return _jogger_page(request)
    return _see_other(reverse("network:jogger"))


@login_required
@require_POST
def jogger_restart(request: HttpRequest) -> HttpResponse:
    services.jogger_restart(user=request.user)
    messages.success(request, "Back to the first category. Everyone you added stays.")
    if request.htmx:
        return _jogger_page(request)
    return _see_other(reverse("network:jogger"))


# ---------------------------------------------------------------- rotation

ROTATION_SUMMARY = "Checked in (yearly rotation)"
WEEKS_A_YEAR = 52


def _rotation_context(request: HttpRequest, form: forms.RotationForm | None = None) -> dict:
    today = _today()
    rotation = Rotation.objects.for_user(request.user).first()
    week = selectors.rotation_week(request.user, today=today)
    context: dict[str, Any] = {
        "active": "network",
        "section": "rotation",
        "rotation": rotation,
        "week": week,
        "today": today,
        "form": form or forms.RotationForm(initial=forms.RotationForm.initial_for(rotation)),
        "log_kinds": forms.ROTATION_LOG_KINDS,
    }
    if week is not None:
        contacted = week.contacted_this_week
        context["batch"] = [(person, person.pk in contacted) for person in week.batch]
        members = week.progress.members
        # The quota that reaches everyone within a year, to suggest when the cycle is longer.
        context["yearly_quota"] = max(1, math.ceil(members / WEEKS_A_YEAR))
    return context


@login_required
@require_GET
def rotation(request: HttpRequest) -> HttpResponse:
    return render(request, "network/rotation.html", _rotation_context(request))


@login_required
@require_POST
def rotation_configure(request: HttpRequest) -> HttpResponse:
    form = forms.RotationForm(request.POST)
    if form.is_valid():
        try:
            saved = services.rotation_configure(user=request.user, **form.cleaned_data)
        except DomainError as error:
            forms.show_domain_error(form, error)
        else:
            state = "on" if saved.active else "paused"
            messages.success(request, f"Rotation saved: {saved.weekly_quota} a week, {state}.")
            return redirect_or_partial(
                request,
                "network:rotation",
                template="network/rotation.html#workspace",
                context=_rotation_context(request),
            )
    context = _rotation_context(request, form)
    if request.htmx:
        return render(request, "network/rotation.html#workspace", context)
    return render(request, "network/rotation.html", context, status=400)


@login_required
@require_POST
def rotation_log(request: HttpRequest, pk: int) -> HttpResponse:
    """One click from this week's batch: you were in touch, and how."""
    person = _person(request, pk)
    form = forms.RotationLogForm(request.POST)
    if form.is_valid():
        kind = form.cleaned_data["kind"]
        try:
            services.interaction_log(
                user=request.user, people=[person], kind=kind, summary=ROTATION_SUMMARY
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            what = Interaction.Kind(kind).label.lower()
            messages.success(request, f"Logged a {what} with {person.full_name}.")
    else:
        messages.error(request, "What you did: choose a message, a call or a coffee.")
    context = _rotation_context(request)
    if context["week"] is None:  # paused meanwhile: the whole page says so
        return _done(request, reverse("network:rotation"))
    return redirect_or_partial(
        request,
        "network:rotation",
        template="network/rotation.html#week",
        context={**context, "week_only": True},
    )


def _rotation_people_context(request: HttpRequest, params: QueryDict) -> dict[str, Any]:
    filter_form = forms.RotationPeopleFilterForm(params or None, user=request.user)
    chosen = filter_form.values()
    today = _today()
    circle = chosen["circle"]
    everyone = selectors.people_for(
        request.user,
        filters=selectors.PeopleFilter(circle=circle.pk if circle else None),
        today=today,
    )
    included = Q(in_rotation=True, do_not_contact=False)
    shown = everyone
    if chosen["show"] == "in":
        shown = everyone.filter(included)
    elif chosen["show"] == "out":
        shown = everyone.exclude(included)
    page = Paginator(shown, PAGE_SIZE).get_page(params.get("page"))
    query = QueryDict(mutable=True)
    for key in ("show", "circle"):
        if params.get(key):
            query[key] = params[key]
    return {
        "active": "network",
        "section": "rotation",
        "filter_form": filter_form,
        "bulk_form": forms.RotationBulkForm(user=request.user),
        "page": page,
        "members": selectors.people_for(request.user, today=today).filter(included).count(),
        "rotation": Rotation.objects.for_user(request.user).first(),
        "list_query": query.urlencode(),
        "filtered": bool(query),
    }


@login_required
@require_GET
def rotation_people(request: HttpRequest) -> HttpResponse:
    """Who is in the rotation: everyone active, with a toggle each and a whole circle at once."""
    context = _rotation_people_context(request, request.GET)
    if _wants_fragment(request):
        return render(request, "network/rotation_people.html#results", context)
    return render(request, "network/rotation_people.html", context)


def _back_to_rotation_people(request: HttpRequest) -> HttpResponse:
    shown = QueryDict(request.POST.get("query", ""))
    if request.htmx:
        context = _rotation_people_context(request, shown)
        return render(request, "network/rotation_people.html#results", context)
    return _see_other(f"{reverse('network:rotation-people')}?{shown.urlencode()}")


@login_required
@require_POST
def rotation_member(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk)
    form = forms.RotationMemberForm(request.POST)
    if not form.is_valid():
        messages.error(request, _named_errors(form))
    elif form.cleaned_data["included"] and person.do_not_contact:
        messages.error(
            request, f"{person.full_name} is marked do not contact: never in the rotation."
        )
    else:
        included = form.cleaned_data["included"]
        services.person_update(user=request.user, person=person, in_rotation=included)
    return _back_to_rotation_people(request)


@login_required
@require_POST
def rotation_bulk(request: HttpRequest) -> HttpResponse:
    """Everyone in a circle in (or out of) the rotation at once."""
    form = forms.RotationBulkForm(request.POST, user=request.user)
    current = Rotation.objects.for_user(request.user).first()
    if current is None:
        messages.error(request, "Set up the rotation first.")
    elif form.is_valid():
        circle, included = form.cleaned_data["circle"], form.cleaned_data["included"]
        services.rotation_membership_set(user=request.user, circle=circle, included=included)
        verb = "in the rotation" if included else "left out of the rotation"
        messages.success(request, f"Everyone in “{circle.name}” is {verb}.")
    else:
        messages.error(request, _named_errors(form))
    return _back_to_rotation_people(request)


def _named_errors(form) -> str:
    """A form's errors in one line, each after the name of its box ("Circle: choose one.")."""
    return " ".join(
        f"{form.fields[name].label}: {error}" if name in form.fields else error
        for name, errors in form.errors.items()
        for error in errors
    )


# ---------------------------------------------------------------- who do I know


@login_required
@require_GET
def who(request: HttpRequest) -> HttpResponse:
    """Who do I know at an organisation, in a field, in a city — and who could introduce me."""
    asked = any(name in request.GET for name in ("at", "field", "city"))
    form = forms.WhoForm(request.GET if asked else None)
    context: dict[str, Any] = {
        "active": "network",
        "section": "who",
        "form": form,
        "today": _today(),
        "fields": selectors.fields_for(request.user),
    }
    if form.is_bound and form.is_valid():
        context.update(_who_answers(request, form.cleaned_data, context["today"]))
    if _wants_fragment(request):
        return render(request, "network/who.html#results", context)
    return render(request, "network/who.html", context, status=400 if form.errors else 200)


def _who_answers(request: HttpRequest, data: dict[str, str], today) -> dict[str, Any]:
    """Each question asked, answered; the people who answer all of them; how long since you
    last talked to each person shown ("talked 3 months ago")."""
    user = request.user
    at = data["at"] and selectors.who_knows_at(user, organisation=data["at"], today=today)
    field = data["field"] and selectors.who_in_field(user, field=data["field"])
    city = data["city"] and selectors.who_in_city(user, city=data["city"])

    def talked(person) -> str:
        return whoat.contact_phrase(person, today)

    found = []
    if at:
        found.append([(insider.person.id, insider.person.name) for insider in at.insiders])
    sections = []
    if field:
        named = ", ".join(match.name for match in field.matched)
        heading = f"In {named}" if named else f"Working in “{data['field']}”"
        sections.append((field, heading, "No one you know works in that field yet."))
    if city:
        sections.append(
            (city, f"In {data['city']}", "No one you know lives there, as far as Cairn knows.")
        )
    for answer, *_ in sections:
        found.append([(known.person.pk, known.person.full_name) for known in answer.first_degree])
    everywhere = []
    if len(found) > 1:
        common = set.intersection(*({pk for pk, _ in people} for people in found))
        everywhere = [(pk, name) for pk, name in found[0] if pk in common]
    return {
        "at": at,
        "insiders": [(insider, talked(insider.person)) for insider in at.insiders] if at else [],
        "paths": [(path, talked(path.via)) for path in at.paths] if at else [],
        "sections": [
            (answer, heading, empty, [(k, talked(k.person)) for k in answer.first_degree])
            for answer, heading, empty in sections
        ],
        "everywhere": everywhere,
        "several": len(found) > 1,
    }
