"""Isolation cases for the network's API routes (collected by the stranger sweep)."""

from datetime import date

from cairn.network import services


def _person(owner):
    person = services.person_create(user=owner, full_name="Ana Ruiz", today=date(2026, 11, 25))
    return {"person_id": person.pk}, person


def _organisation(owner):
    organisation = services.organisation_create(user=owner, name="Acme")
    return {"organisation_id": organisation.pk}, organisation


def _role(owner):
    _, person = _person(owner)
    _, organisation = _organisation(owner)
    role = services.role_add(user=owner, person=person, organisation=organisation, title="PM")
    return {"role_id": role.pk}, role


def _interaction(owner):
    _, person = _person(owner)
    interaction = services.interaction_log(user=owner, people=[person], summary="Coffee")
    return {"interaction_id": interaction.pk}, interaction


def _favour(owner):
    _, person = _person(owner)
    favour = services.favour_add(user=owner, person=person, direction="given", description="Intro")
    return {"favour_id": favour.pk}, favour


def _event(owner):
    _, person = _person(owner)
    event = services.life_event_add(
        user=owner, person=person, kind="promotion", occurred_on=date(2026, 11, 1)
    )
    return {"event_id": event.pk}, event


def _merge(owner):
    _, survivor = _person(owner)
    absorbed = services.person_create(user=owner, full_name="Ana R.", today=date(2026, 11, 25))
    record = services.person_merge(user=owner, survivor=survivor, absorbed=absorbed)
    return {"merge_id": record.pk}, record


def _merge_pair(owner):
    kwargs, survivor = _person(owner)
    other = services.person_create(user=owner, full_name="Ana R.", today=date(2026, 11, 25))
    return kwargs, survivor, {"absorbed_id": other.pk}


def _link(owner):
    _, person = _person(owner)
    other = services.person_create(user=owner, full_name="Bo Chen", today=date(2026, 11, 25))
    link = services.link_add(user=owner, from_person=person, to_person=other, kind="friend")
    return {"link_id": link.pk}, link


ROUTES = {
    **{f"api:people_{name}": _person for name in ("detail", "update", "delete", "restore")},
    "api:people_merge": _merge_pair,
    **{f"api:organisations_{name}": _organisation for name in ("detail", "update", "delete")},
    **{f"api:roles_{name}": _role for name in ("detail", "update", "delete")},
    **{f"api:interactions_{name}": _interaction for name in ("detail", "update", "delete")},
    **{f"api:favours_{name}": _favour for name in ("detail", "delete")},
    **{f"api:events_{name}": _event for name in ("detail", "update", "delete")},
    "api:merge_undo": _merge,
    **{f"api:links_{name}": _link for name in ("detail", "delete")},
}
