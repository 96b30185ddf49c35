"""Keeping the search index in step with the network (documents for people, organisations and
interactions). The index itself lives in cairn.core.search.

People in the bin are not searchable; archived people are, flagged as such. An interaction's
document carries the names of its people, so renaming, binning or merging a person re-indexes
their interactions too. Documents are built from a few flat queries per batch (no model
instances), by primary key: ownership is checked on each row in Python, because filtering on
the owner too lets SQLite (without ANALYZE statistics) scan the owner's whole table instead.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from django.db.models import Q
from django.urls import reverse

from cairn.core import search as engine
from cairn.core.search import Document
from cairn.network.models import ContactPoint, Interaction, Organisation, Person, Role

PERSON = "person"
ORGANISATION = "organisation"
INTERACTION = "interaction"
BATCH = 2000
PERSON_COLUMNS = (
    "owner_id", "pk", "full_name", "headline", "location", "notes", "how_met", "met_at",
    "archived_at",
)  # fmt: skip


def _text(*parts: str) -> str:
    return " · ".join(part for part in parts if part)


def _batches(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]


# Which rows a batch covers, as a filter on a given field: a list of ids (keeping in step) or a
# range of ids (rebuilding, where long IN lists would cost more than the queries themselves).
Selection = Callable[[str], Q]


def _ids(ids: Iterable[int]) -> Selection:
    wanted = sorted(set(ids))
    return lambda field: Q(**{f"{field}__in": wanted})


def _range(ids: list[int]) -> Selection:
    return lambda field: Q(**{f"{field}__gte": ids[0], f"{field}__lte": ids[-1]})


# ---------------------------------------------------------------- documents


def person_documents(user, ids: Iterable[int]) -> list[Document]:
    """Documents for these people of `user` (people in the bin or not theirs get none)."""
    ids = list(ids)
    return _person_documents(user, _ids(ids)) if ids else []


def _person_documents(user, where: Selection) -> list[Document]:
    people = [
        row
        for owner_id, *row in Person.objects.filter(where("pk"), deleted_at__isnull=True)
        .order_by("pk")
        .values_list(*PERSON_COLUMNS)
        if owner_id == user.pk
    ]
    emails: dict[int, list[str]] = defaultdict(list)
    contact_rows = ContactPoint.objects.filter(where("person_id"), kind=ContactPoint.Kind.EMAIL)
    for person_id, value in contact_rows.order_by("pk").values_list("person_id", "value"):
        emails[person_id].append(value)
    roles: dict[int, list[tuple[str, str, bool]]] = defaultdict(list)
    role_rows = Role.objects.filter(where("person_id"))
    for person_id, title, organisation, current in role_rows.order_by(
        "-is_current", "-started_on", "-pk"
    ).values_list("person_id", "title", "organisation__name", "is_current"):
        roles[person_id].append((title, organisation, current))
    groups: dict[int, list[str]] = defaultdict(list)
    for through, name in (
        (Person.circles.through, "circle__name"),
        (Person.fields.through, "careerfield__name"),
    ):
        for person_id, group in through.objects.filter(where("person_id")).values_list(
            "person_id", name
        ):
            groups[person_id].append(group)
    docs = []
    for pk, full_name, headline, location, notes, how_met, met_at, archived_at in people:
        role_texts = [" at ".join(part for part in (t, org) if part) for t, org, _ in roles[pk]]
        current = next(
            (text for (_, _, now), text in zip(roles[pk], role_texts, strict=True) if now), ""
        )
        body = _text(
            *emails[pk], headline, location, *role_texts, met_at, how_met, *groups[pk], notes
        )
        data = {"subtitle": headline or current, "archived": archived_at is not None}
        docs.append(Document(pk, full_name, body, data))
    return docs


def organisation_documents(user, ids: Iterable[int]) -> list[Document]:
    """Documents for these organisations of `user`."""
    rows = [
        row
        for owner_id, *row in Organisation.objects.filter(pk__in=sorted(set(ids)))
        .order_by("pk")
        .values_list(
            "owner_id", "pk", "name", "domain", "industry", "location", "notes", "is_target"
        )
        if owner_id == user.pk
    ]
    return [
        Document(
            pk,
            name,
            _text(domain, industry, location, notes),
            {"subtitle": _text(industry, location), "target": is_target},
        )
        for pk, name, domain, industry, location, notes, is_target in rows
    ]


Names = dict[int, tuple[str, str]]  # person id → (sort name, full name), people not in the bin


def _names(user, people: Q) -> Names:
    rows = Person.objects.filter(people, deleted_at__isnull=True).values_list(
        "pk", "owner_id", "sort_name", "full_name"
    )
    return {pk: (sort, full) for pk, owner_id, sort, full in rows if owner_id == user.pk}


def interaction_documents(user, ids: Iterable[int]) -> list[Document]:
    """Documents for these interactions of `user`; one whose people are all in the bin gets
    none (it is shown nowhere)."""
    ids = list(ids)
    return _interaction_documents(user, _ids(ids), names=None) if ids else []


def _interaction_documents(user, where: Selection, *, names: Names | None) -> list[Document]:
    links = list(
        Interaction.people.through.objects.filter(where("interaction_id")).values_list(
            "interaction_id", "person_id"
        )
    )
    if names is None:
        names = _names(user, Q(pk__in={person_id for _, person_id in links}))
    people: dict[int, list[int]] = defaultdict(list)
    for interaction_id, person_id in links:
        if person_id in names:
            people[interaction_id].append(person_id)
    rows = [
        row
        for owner_id, *row in Interaction.objects.filter(where("pk"))
        .order_by("pk")
        .values_list("owner_id", "pk", "summary", "notes", "occurred_on", "kind")
        if owner_id == user.pk
    ]
    labels = dict(Interaction.Kind.choices)
    docs = []
    for pk, summary, notes, occurred_on, kind in rows:
        if not people[pk]:
            continue
        who = sorted(people[pk], key=lambda person_id: (names[person_id], person_id))
        full_names = [names[person_id][1] for person_id in who]
        with_whom = f"{labels.get(kind, kind)} with {', '.join(full_names)}"
        data = {
            "person": who[0],
            "on": occurred_on.isoformat(),
            "subtitle": _text(with_whom, f"{occurred_on.day} {occurred_on:%b %Y}"),
        }
        docs.append(Document(pk, summary, _text(notes, *full_names), data))
    return docs


# ---------------------------------------------------------------- keeping in step


def sync_people(user, ids: Iterable[int]) -> None:
    """Re-index these people, or drop them when gone or in the bin (archived people stay,
    flagged); their interactions follow when their name changed."""
    ids = {int(pk) for pk in ids}
    if not ids:
        return
    before = engine.titles(user.pk, PERSON, ids)
    docs = person_documents(user, ids)
    engine.index(user.pk, PERSON, docs)
    gone = ids - {doc.object_id for doc in docs}
    engine.remove(user.pk, PERSON, gone)
    # Their names are part of their interactions' documents.
    renamed = {doc.object_id for doc in docs if before.get(doc.object_id) != doc.title}
    _sync_interactions_of(user, renamed | (gone & before.keys()))


def sync_organisations(user, ids: Iterable[int]) -> None:
    """Re-index these organisations."""
    ids = {int(pk) for pk in ids}
    if not ids:
        return
    docs = organisation_documents(user, ids)
    engine.index(user.pk, ORGANISATION, docs)
    engine.remove(user.pk, ORGANISATION, ids - {doc.object_id for doc in docs})


def sync_interactions(user, ids: Iterable[int]) -> None:
    """Re-index these interactions."""
    ids = {int(pk) for pk in ids}
    for batch in _batches(sorted(ids)):
        docs = interaction_documents(user, batch)
        engine.index(user.pk, INTERACTION, docs)
        engine.remove(user.pk, INTERACTION, set(batch) - {doc.object_id for doc in docs})


def remove(user, kind: str, ids: Iterable[int]) -> None:
    """Drop documents from the index."""
    ids = {int(pk) for pk in ids}
    engine.remove(user.pk, kind, ids)
    if kind == PERSON:
        # Binned or merged away: their name leaves their interactions (and after a merge the
        # survivor's joins them).
        _sync_interactions_of(user, ids)


def _sync_interactions_of(user, person_ids: set[int]) -> None:
    if not person_ids:
        return
    through = Interaction.people.through.objects.filter(person_id__in=person_ids)
    sync_interactions(user, set(through.values_list("interaction_id", flat=True)))


# ---------------------------------------------------------------- registry


def _all(queryset) -> list[int]:
    return list(queryset.order_by("pk").values_list("pk", flat=True))


def _live_people(user):
    return Person.objects.for_user(user).filter(deleted_at__isnull=True)


def _every_person(user) -> Iterator[list[Document]]:
    for ids in _batches(_all(_live_people(user))):
        yield _person_documents(user, _range(ids))


def _every_organisation(user) -> Iterator[list[Document]]:
    for ids in _batches(_all(Organisation.objects.for_user(user))):
        yield organisation_documents(user, ids)


def _every_interaction(user) -> Iterator[list[Document]]:
    names = _names(user, Q(owner=user))
    for ids in _batches(_all(Interaction.objects.for_user(user))):
        yield _interaction_documents(user, _range(ids), names=names)


def _url(name: str, pk: Any) -> str | None:
    return reverse(name, kwargs={"pk": pk}) if pk else None


def _interaction_url(object_id: int, data: Mapping[str, Any]) -> str | None:
    person = _url("network:person-detail", data.get("person"))
    return f"{person}#interaction-{object_id}" if person else None


# The codes are part of every document id (see cairn.core.search): never change or reuse one.
engine.register(
    engine.Kind(
        name=PERSON,
        code=1,
        label="People",
        url=lambda pk, data: _url("network:person-detail", pk),
        documents=_every_person,
        count=lambda user: _live_people(user).count(),
        order=10,
    )
)
engine.register(
    engine.Kind(
        name=ORGANISATION,
        code=2,
        label="Organisations",
        url=lambda pk, data: _url("network:organisation-detail", pk),
        documents=_every_organisation,
        count=lambda user: Organisation.objects.for_user(user).count(),
        order=20,
    )
)
engine.register(
    engine.Kind(
        name=INTERACTION,
        code=3,
        label="Interactions",
        url=_interaction_url,
        documents=_every_interaction,
        count=lambda user: Interaction.objects.for_user(user).count(),
        order=30,
    )
)
