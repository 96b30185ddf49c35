"""Forms for the network pages. They check shapes (a date is a date, a number a number) and
turn what was typed into service arguments; the rules themselves live in the services."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django import forms
from django.urls import reverse

from cairn.core.errors import DomainError
from cairn.network import selectors
from cairn.network.jogger import names_from_text
from cairn.network.models import (
    CADENCE_CHOICES,
    Favour,
    Interaction,
    LifeEvent,
    Link,
    Organisation,
    Person,
    Rotation,
)
from cairn.network.services import QUICK_ADD_MAX_CHARS, ContactInput

CONTACT_FIELDS = {"email": "emails", "phone": "phones", "link": "links"}


def show_domain_error(form: forms.Form, error: DomainError, aliases: dict | None = None) -> None:
    """Put a service's refusal on the form field it names (or above the form)."""
    name = (aliases or {}).get(error.field, error.field)
    message = error.message
    if name in form.fields:
        message = message.removeprefix(f"{error.field}: ")
        form.add_error(name, message)
    else:
        form.add_error(None, message)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _names(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,\n]", text) if part.strip()]


# ---------------------------------------------------------------- pickers


class PickInput(forms.TextInput):
    """A text box that suggests existing names as you type (a datalist filled by htmx)."""

    template_name = "network/widgets/pick.html"

    def __init__(self, suggest: str, attrs: dict | None = None):
        super().__init__({"autocomplete": "off", **(attrs or {})})
        self.suggest = suggest

    def get_context(self, name: str, value: Any, attrs: dict | None) -> dict:
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        widget["suggest_url"] = f"{reverse(self.suggest)}?field={name}"
        widget["list_id"] = f"{widget['attrs'].get('id', name)}-options"
        return context


_NUMBERED = re.compile(r"^(?P<name>.*?)\s*\(#(?P<pk>\d+)\)$")


class PersonPickField(forms.CharField):
    """One of the user's people, typed by name ("Ana Ruiz", or "Ana Ruiz (#12)" when two
    people share the name)."""

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", PickInput("network:people-suggest"))
        super().__init__(**kwargs)
        self.user = None

    def clean(self, value: Any) -> Person | None:
        text = super().clean(value)
        if not text:
            return None
        numbered = _NUMBERED.match(text)
        if numbered:
            found = (
                Person.objects.for_user(self.user)
                .filter(pk=int(numbered["pk"]), deleted_at__isnull=True)
                .first()
            )
            if found is None:
                raise forms.ValidationError(f"There is no person #{numbered['pk']}.")
            return found
        matches = selectors.person_by_name(self.user, text)
        if not matches:
            raise forms.ValidationError(f"No one called “{text}” in your network.")
        if len(matches) > 1:
            example = f"{matches[0].full_name} (#{matches[0].pk})"
            raise forms.ValidationError(
                f"{len(matches)} people are called “{text}”: choose one from the suggestions, "
                f"e.g. “{example}”."
            )
        return matches[0]


def person_pick_value(person: Person | None) -> str:
    """How a chosen person is written back into a picker."""
    if person is None:
        return ""
    return person.full_name


class UserForm(forms.Form):
    """A form whose pickers look among the user's own rows only."""

    def __init__(self, *args: Any, user, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.user = user
        for field in self.fields.values():
            if isinstance(field, PersonPickField):
                field.user = user


# ---------------------------------------------------------------- people list

SHOW_CHOICES = [("", "Active"), ("archived", "Archived"), ("bin", "Bin")]
SORT_CHOICES = [
    ("name", "Name"),
    ("last_contacted", "Last contacted"),
    ("least_recent", "Least recently contacted"),
    ("next_due", "Next due"),
    ("strength", "Strength"),
]
DUE_CHOICES = [("", "Anyone"), ("due", "Due now"), ("overdue", "Overdue")]
STRENGTH_CHOICES = [("", "Any")] + [(str(n), f"{n} or more") for n in range(1, 6)]


class PeopleFilterForm(UserForm):
    show = forms.ChoiceField(choices=SHOW_CHOICES, required=False, label="Show")
    circle = forms.ModelChoiceField(queryset=None, required=False, empty_label="Any circle")
    field = forms.ModelChoiceField(
        queryset=None, required=False, empty_label="Any field", label="Field"
    )
    organisation = forms.CharField(
        required=False, widget=PickInput("network:organisations-suggest"), label="Organisation"
    )
    min_strength = forms.TypedChoiceField(
        choices=STRENGTH_CHOICES, coerce=int, empty_value=None, required=False, label="Strength"
    )
    due = forms.ChoiceField(choices=DUE_CHOICES, required=False, label="Keep in touch")
    quiet_days = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=36500,
        label="Not contacted in",
        widget=forms.NumberInput(attrs={"placeholder": "days"}),
    )
    sort = forms.ChoiceField(choices=SORT_CHOICES, required=False, label="Sort by")

    def __init__(self, *args: Any, user, **kwargs: Any):
        super().__init__(*args, user=user, **kwargs)
        self.fields["circle"].queryset = selectors.circles_for(user)
        self.fields["field"].queryset = selectors.fields_for(user)

    def clean_organisation(self) -> Organisation | None:
        text = " ".join(self.cleaned_data["organisation"].split())
        if not text:
            return None
        queryset = Organisation.objects.for_user(self.user)
        found = (
            queryset.filter(pk=int(text)).first()
            if text.isdigit()
            else queryset.filter(name__iexact=text).order_by("pk").first()
        )
        if found is None:
            raise forms.ValidationError(f"No organisation called “{text}”.")
        return found

    def filters(self) -> selectors.PeopleFilter:
        data = self.cleaned_data if self.is_valid() else {}
        show = data.get("show", "")
        return selectors.PeopleFilter(
            circle=data["circle"].pk if data.get("circle") else None,
            organisation=data["organisation"].pk if data.get("organisation") else None,
            field=data["field"].pk if data.get("field") else None,
            min_strength=data.get("min_strength"),
            due=data.get("due", ""),
            not_contacted_days=data.get("quiet_days"),
            archived=show == "archived",
            in_bin=show == "bin",
        )

    def ordering(self) -> str:
        return (self.cleaned_data.get("sort") if self.is_valid() else "") or "name"


class IdsField(forms.Field):
    """Ticked rows: a list of ids. Any number passes here; services only touch the user's own
    rows, so a foreign id is simply ignored."""

    widget = forms.MultipleHiddenInput

    def __init__(self, **kwargs: Any):
        super().__init__(required=False, **kwargs)

    def to_python(self, value: Any) -> list[int]:
        values = value if isinstance(value, list | tuple) else [value] if value else []
        if not all(str(v).isdigit() for v in values):
            raise forms.ValidationError("These rows are not people.")
        return sorted({int(v) for v in values})


BULK_CHOICES = [("tag", "Add to circle"), ("archive", "Archive"), ("unarchive", "Unarchive")]


class BulkForm(forms.Form):
    action = forms.ChoiceField(choices=BULK_CHOICES)
    ids = IdsField()
    circle = forms.CharField(required=False, max_length=80, label="Circle")
    query = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("ids"):
            raise forms.ValidationError("Tick at least one person first.")
        if data.get("action") == "tag" and not data.get("circle", "").strip():
            self.add_error("circle", "Name the circle to add them to.")
        return data


# ---------------------------------------------------------------- a person

CADENCE_FORM_CHOICES = [("", "No rhythm"), *((str(d), label) for d, label in CADENCE_CHOICES)]
CADENCE_FORM_CHOICES.append(("custom", "Custom…"))


class PersonForm(UserForm):
    full_name = forms.CharField(max_length=200, label="Name")
    given_name = forms.CharField(max_length=100, required=False, label="Given name")
    family_name = forms.CharField(
        max_length=100,
        required=False,
        label="Family name",
        help_text="Lists sort by family name; left empty, it is guessed from the name.",
    )
    pronouns = forms.CharField(max_length=40, required=False)
    headline = forms.CharField(
        max_length=200, required=False, help_text="What they do, in a few words."
    )
    location = forms.CharField(max_length=200, required=False)
    emails = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text="One per line."
    )
    phones = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One per line, with the country code: +44 20 7946 0000.",
    )
    links = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Links",
        help_text="One per line: a profile, a site, a portfolio.",
    )
    circles = forms.CharField(
        required=False, help_text="Comma-separated: ex-colleagues, neighbours, mentors …"
    )
    career_fields = forms.CharField(
        required=False,
        label="Fields they can speak to",
        help_text="Comma-separated: product management, nursing …",
    )
    organisation = forms.CharField(
        required=False,
        max_length=200,
        label="Works at",
        widget=PickInput("network:organisations-suggest"),
    )
    title = forms.CharField(required=False, max_length=200, label="Role there")
    introduced_by = PersonPickField(label="Introduced by")
    how_met = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label="How we met"
    )
    met_on = forms.DateField(
        required=False, label="Met on", widget=forms.DateInput(attrs={"type": "date"})
    )
    met_at = forms.CharField(required=False, max_length=200, label="Met at")
    birthday = forms.CharField(
        required=False, max_length=40, help_text="e.g. 31 March, or 31 March 1990."
    )
    strength = forms.IntegerField(
        initial=1,
        label="Relationship strength",
        help_text="0 = never met, 5 = would drop everything for you.",
        widget=forms.NumberInput(attrs={"min": 0, "max": 5}),
    )
    cadence = forms.ChoiceField(choices=CADENCE_FORM_CHOICES, required=False, label="Rhythm")
    cadence_custom = forms.IntegerField(
        required=False,
        label="Every (days)",
        help_text="Only for a custom rhythm.",
        widget=forms.NumberInput(attrs={"min": 1}),
    )
    do_not_contact = forms.BooleanField(required=False, label="Do not contact")
    in_rotation = forms.BooleanField(
        required=False, initial=True, label="Include in the yearly rotation"
    )
    notes = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Markdown: **bold**, lists, links.",
    )

    def __init__(self, *args: Any, user, person: Person | None = None, **kwargs: Any):
        super().__init__(*args, user=user, **kwargs)
        self.person = person
        if person is not None:
            # Roles are added on the person's page once they exist.
            del self.fields["organisation"], self.fields["title"]
        else:
            self.fields["full_name"].widget.attrs["autofocus"] = True

    @classmethod
    def initial_for(cls, person: Person) -> dict[str, Any]:
        points = list(person.contact_points.all())
        initial: dict[str, Any] = {
            name: getattr(person, name)
            for name in (
                "full_name", "given_name", "family_name", "pronouns", "headline", "location",
                "how_met", "met_on", "met_at", "strength", "do_not_contact", "in_rotation",
                "notes",
            )
        }  # fmt: skip
        for kind, name in CONTACT_FIELDS.items():
            initial[name] = "\n".join(p.value for p in points if p.kind == kind)
        initial["circles"] = ", ".join(c.name for c in person.circles.all())
        initial["career_fields"] = ", ".join(f.name for f in person.fields.all())
        initial["introduced_by"] = person_pick_value(person.introduced_by)
        initial["birthday"] = person.birthday
        days = person.cadence_days
        if days is None:
            initial["cadence"] = ""
        elif days in dict(CADENCE_CHOICES):
            initial["cadence"] = str(days)
        else:
            initial["cadence"], initial["cadence_custom"] = "custom", days
        return initial

    def clean(self) -> dict:
        data = super().clean()
        cadence = data.get("cadence", "")
        if cadence == "custom":
            if data.get("cadence_custom") is None:
                self.add_error("cadence_custom", "How many days between contacts?")
            data["cadence_days"] = data.get("cadence_custom")
        else:
            data["cadence_days"] = int(cadence) if cadence else None
        return data

    def clean_birthday(self) -> tuple[int | None, int | None, int | None]:
        text = self.cleaned_data.get("birthday", "").strip()
        if not text:
            return (None, None, None)
        parsed = parse_birthday(text)
        if parsed is None:
            raise forms.ValidationError("Write it as 31 March, or 31 March 1990.")
        return parsed

    def aliases(self) -> dict[str, str]:
        """A service's refusal names its own argument; show it on the box that holds it."""
        custom = self.cleaned_data.get("cadence") == "custom"
        return {"cadence_days": "cadence_custom" if custom else "cadence"}

    def contact_points(self) -> list[ContactInput]:
        """What was typed, keeping the labels of addresses that did not change."""
        labels = {}
        if self.person is not None:
            labels = {(p.kind, p.value): p.label for p in self.person.contact_points.all()}
        return [
            ContactInput(kind, value, labels.get((kind, value), ""))
            for kind, name in CONTACT_FIELDS.items()
            for value in _lines(self.cleaned_data[name])
        ]

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        values = {
            name: data[name]
            for name in (
                "full_name", "given_name", "family_name", "pronouns", "headline", "location",
                "how_met", "met_on", "met_at", "strength", "cadence_days", "do_not_contact",
                "in_rotation", "notes",
            )
        }  # fmt: skip
        month, day, year = data["birthday"]
        values.update(birthday_month=month, birthday_day=day, birthday_year=year)
        return {
            **values,
            "contact_points": self.contact_points(),
            "circles": _names(data["circles"]),
            "fields": _names(data["career_fields"]),
            "introduced_by": data["introduced_by"],
        }


_MONTHS = {
    name: number
    for number in range(1, 13)
    for name in (
        date(2000, number, 1).strftime("%B").lower(),
        date(2000, number, 1).strftime("%b").lower(),
    )
}


def parse_birthday(text: str) -> tuple[int, int, int | None] | None:
    """(month, day, year or None) from "31 March", "March 31 1990", "1990-03-31" or
    "--03-31"; None when it is no real day."""
    import calendar

    text = text.strip().lower().replace(",", " ")
    year: int | None = None
    if match := re.fullmatch(r"(\d{4}|-)-(\d{1,2})-(\d{1,2})", text):
        year = int(match[1]) if match[1] != "-" else None
        month, day = int(match[2]), int(match[3])
    else:
        words = text.replace(".", " ").split()
        months = [w for w in words if w in _MONTHS]
        numbers = [int(w) for w in words if w.isdigit()]
        if len(months) != 1 or not 1 <= len(numbers) <= 2 or len(words) != 1 + len(numbers):
            return None
        month, day = _MONTHS[months[0]], numbers[0]
        year = numbers[1] if len(numbers) == 2 else None
    if year is not None and not 1800 <= year <= 2200:
        return None
    if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(year or 2000, month)[1]:
        return None
    return month, day, year


class PersonPageForm(forms.Form):
    """The small forms side by side on a person's page: ids must not clash between them."""

    id_prefix = "form"

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("auto_id", f"{self.id_prefix}-%s")
        super().__init__(*args, **kwargs)


class InteractionForm(PersonPageForm):
    id_prefix = "log"
    summary = forms.CharField(
        max_length=300,
        label="What happened",
        widget=forms.TextInput(attrs={"placeholder": "Coffee about her move to design"}),
    )
    kind = forms.ChoiceField(choices=Interaction.Kind.choices, initial=Interaction.Kind.MESSAGE)
    occurred_on = forms.DateField(
        required=False,
        label="On",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    direction = forms.ChoiceField(
        choices=Interaction.Direction.choices, initial=Interaction.Direction.OUTGOING, label="Who"
    )
    follow_up_on = forms.DateField(
        required=False, label="Follow up on", widget=forms.DateInput(attrs={"type": "date"})
    )
    notes = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text="Markdown."
    )


class FavourForm(PersonPageForm):
    id_prefix = "favour"
    direction = forms.ChoiceField(
        choices=Favour.Direction.choices, widget=forms.RadioSelect, label="Who helped"
    )
    description = forms.CharField(
        max_length=500,
        label="What",
        widget=forms.TextInput(attrs={"placeholder": "Reviewed my CV"}),
    )
    occurred_on = forms.DateField(
        required=False, label="On", widget=forms.DateInput(attrs={"type": "date"})
    )


class LifeEventForm(PersonPageForm):
    id_prefix = "event"
    kind = forms.ChoiceField(choices=LifeEvent.Kind.choices, label="News")
    occurred_on = forms.DateField(label="On", widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(max_length=500, required=False)


class RoleForm(PersonPageForm):
    id_prefix = "role"
    organisation = forms.CharField(
        max_length=200, widget=PickInput("network:organisations-suggest")
    )
    title = forms.CharField(max_length=200, required=False)
    started_on = forms.DateField(
        required=False, label="Started", widget=forms.DateInput(attrs={"type": "date"})
    )
    ended_on = forms.DateField(
        required=False,
        label="Ended",
        help_text="Leave empty if they still work there.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class LinkForm(UserForm):
    """On a person's page: this person knows someone else in the network."""

    to_person = PersonPickField(required=True, label="Knows")
    kind = forms.ChoiceField(choices=Link.Kind.choices, initial=Link.Kind.OTHER, label="How")
    note = forms.CharField(max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("auto_id", "knows-%s")
        super().__init__(*args, **kwargs)


class MergeForm(UserForm):
    other = PersonPickField(required=True, label="The same person, entered twice")


class OrganisationForm(forms.Form):
    name = forms.CharField(max_length=200)
    domain = forms.CharField(max_length=253, required=False, help_text="e.g. acme.com")
    industry = forms.CharField(max_length=120, required=False)
    location = forms.CharField(max_length=200, required=False)
    size = forms.ChoiceField(choices=Organisation.Size.choices, required=False)
    is_target = forms.BooleanField(
        required=False,
        label="A target",
        help_text="An organisation you would like to work for or with.",
    )
    notes = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 5}), help_text="Markdown."
    )

    @classmethod
    def initial_for(cls, organisation: Organisation) -> dict[str, Any]:
        return {name: getattr(organisation, name) for name in cls.base_fields}


# ---------------------------------------------------------------- quick add


class QuickAddForm(forms.Form):
    line = forms.CharField(
        max_length=QUICK_ADD_MAX_CHARS,
        label="Who",
        widget=forms.TextInput(
            attrs={
                "placeholder": "Ana Ruiz, PM at Acme, met at PyCon 2024",
                "autocomplete": "off",
                "spellcheck": "false",
            }
        ),
        help_text="The name first, then whatever you know: a title at an organisation, how you "
        "met, who introduced you (“via Bo Li”), an email, a phone number.",
    )


QUICK_ADD_DECISIONS = [
    ("create", "Add them"),
    ("anyway", "Someone else: add anyway"),
    ("merge", "The same person: merge"),
]


class QuickAddConfirmForm(QuickAddForm):
    decision = forms.ChoiceField(choices=QUICK_ADD_DECISIONS, initial="create")
    merge_into = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("decision") == "merge" and data.get("merge_into") is None:
            self.add_error("merge_into", "Choose the person to merge into.")
        return data


# ---------------------------------------------------------------- memory jogger

JOGGER_MAX_NAMES = 200  # per category at a time: more is a paste gone wrong


class TextsField(forms.Field):
    """Several short texts sent under one name (ticked names, say)."""

    widget = forms.MultipleHiddenInput

    def __init__(self, **kwargs: Any):
        super().__init__(required=False, **kwargs)

    def to_python(self, value: Any) -> list[str]:
        values = value if isinstance(value, list | tuple) else [value] if value else []
        return [" ".join(str(v).split())[:200] for v in values if str(v).strip()]


class JoggerForm(forms.Form):
    names = forms.CharField(
        required=False,
        label="Names",
        widget=forms.Textarea(
            attrs={"rows": 7, "placeholder": "One name per line", "data-send-on-ctrl-enter": True}
        ),
        help_text="One per line; Ctrl+Enter adds them. A first name is enough for now.",
    )
    add_anyway = TextsField()

    def clean(self) -> dict:
        data = super().clean()
        typed = names_from_text(data.get("names", ""), limit=JOGGER_MAX_NAMES + 1)
        if len(typed) > JOGGER_MAX_NAMES:
            self.add_error("names", f"At most {JOGGER_MAX_NAMES} names at a time, please.")
        elif not typed and not data.get("add_anyway"):
            self.add_error("names", "Type at least one name, one per line.")
        return data

    def text(self) -> str:
        """What the service reads: the names typed, and those confirmed as someone new."""
        return "\n".join([*self.cleaned_data["add_anyway"], self.cleaned_data["names"]])


# ---------------------------------------------------------------- rotation


class RotationForm(forms.Form):
    weekly_quota = forms.IntegerField(
        min_value=1,
        max_value=50,
        initial=2,
        label="People a week",
        widget=forms.NumberInput(attrs={"min": 1, "max": 50}),
        help_text="Two a week reaches about a hundred people in a year.",
    )
    order = forms.ChoiceField(
        choices=Rotation.Order.choices,
        initial=Rotation.Order.FAMILY_NAME,
        widget=forms.RadioSelect,
        label="In what order",
    )
    active = forms.BooleanField(
        required=False,
        initial=True,
        label="Suggest this week's people on Today",
        help_text="Untick to pause: nobody is suggested until you tick it again.",
    )

    @classmethod
    def initial_for(cls, rotation: Rotation | None) -> dict[str, Any]:
        if rotation is None:
            return {}
        return {name: getattr(rotation, name) for name in cls.base_fields}


ROTATION_SHOW_CHOICES = [("", "Everyone"), ("in", "In the rotation"), ("out", "Left out")]


class RotationPeopleFilterForm(UserForm):
    show = forms.ChoiceField(choices=ROTATION_SHOW_CHOICES, required=False, label="Show")
    circle = forms.ModelChoiceField(queryset=None, required=False, empty_label="Any circle")

    def __init__(self, *args: Any, user, **kwargs: Any):
        super().__init__(*args, user=user, **kwargs)
        self.fields["circle"].queryset = selectors.circles_for(user)

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data if self.is_valid() else {}
        return {"show": data.get("show", ""), "circle": data.get("circle")}


INCLUDE_CHOICES = [("1", "Include"), ("0", "Leave out")]


def _included(value: str) -> bool:
    return value == "1"


class RotationMemberForm(forms.Form):
    # "1" or "0": a checkbox's field would read any non-empty text, "0" too, as ticked.
    included = forms.TypedChoiceField(choices=INCLUDE_CHOICES, coerce=_included, label="In it")


class RotationBulkForm(UserForm):
    circle = forms.ModelChoiceField(
        queryset=None,
        label="Circle",
        empty_label="Choose a circle",
        error_messages={"required": "choose one."},
    )
    included = forms.TypedChoiceField(choices=INCLUDE_CHOICES, coerce=_included, label="What to do")

    def __init__(self, *args: Any, user, **kwargs: Any):
        super().__init__(*args, user=user, **kwargs)
        self.fields["circle"].queryset = selectors.circles_for(user)


ROTATION_LOG_KINDS = [
    (Interaction.Kind.MESSAGE, "Messaged"),
    (Interaction.Kind.CALL, "Called"),
    (Interaction.Kind.COFFEE, "Had coffee"),
]


class RotationLogForm(forms.Form):
    kind = forms.ChoiceField(choices=ROTATION_LOG_KINDS)


# ---------------------------------------------------------------- who do I know


class WhoForm(forms.Form):
    at = forms.CharField(
        required=False,
        max_length=200,
        label="At organisation",
        widget=PickInput("network:organisations-suggest", attrs={"placeholder": "e.g. Acme"}),
    )
    field = forms.CharField(
        required=False,
        max_length=120,
        label="In field",
        widget=forms.TextInput(attrs={"placeholder": "e.g. product design", "list": "who-fields"}),
    )
    city = forms.CharField(
        required=False,
        max_length=200,
        label="In city",
        widget=forms.TextInput(attrs={"placeholder": "e.g. Lisbon"}),
    )

    def clean(self) -> dict:
        data = super().clean()
        for name in ("at", "field", "city"):
            data[name] = " ".join(data.get(name, "").split())
        if not self.errors and not any(data[name] for name in ("at", "field", "city")):
            raise forms.ValidationError("Fill in at least one: an organisation, a field or a city.")
        return data
