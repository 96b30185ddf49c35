"""Isolation cases for the network's web pages: one per URL that takes an object id."""

from datetime import date

from cairn.network import services

TODAY = date(2026, 11, 25)


def _person(owner):
    person = services.person_create(user=owner, full_name="Ana Ruiz", today=TODAY)
    return {"pk": person.pk}, person


def _organisation(owner):
    organisation = services.organisation_create(user=owner, name="Acme")
    return {"pk": organisation.pk}, organisation


def _event(owner):
    _, person = _person(owner)
    event = services.life_event_add(
        user=owner, person=person, kind="new_job", occurred_on=date(2026, 1, 5)
    )
    return {"pk": event.pk}, event


def _interaction(owner):
    _, person = _person(owner)
    interaction = services.interaction_log(
        user=owner, people=[person], summary="Coffee", follow_up_on=date(2026, 2, 1)
    )
    return {"pk": interaction.pk}, interaction


def _merge(owner):
    _, survivor = _person(owner)
    absorbed = services.person_create(user=owner, full_name="Ana  Ruiz", today=TODAY)
    record = services.person_merge(user=owner, survivor=survivor, absorbed=absorbed)
    return {"pk": record.pk}, record


def _link(owner):
    _, person = _person(owner)
    other = services.person_create(user=owner, full_name="Bo Chen", today=TODAY)
    link = services.link_add(user=owner, from_person=person, to_person=other, kind="friend")
    return {"pk": link.pk}, link


ROUTES = {
    "network:person-detail": _person,
    "network:person-edit": _person,
    "network:person-delete": _person,
    "network:person-restore": _person,
    "network:person-merge": _person,
    "network:interaction-log": _person,
    "network:favour-add": _person,
    "network:event-add": _person,
    "network:role-add": _person,
    "network:link-add": _person,
    "network:link-delete": _link,
    "network:event-congratulate": _event,
    "network:follow-up-done": _interaction,
    "network:merge-undo": _merge,
    "network:organisation-detail": _organisation,
    "network:organisation-edit": _organisation,
    "network:organisation-target": _organisation,
    "network:rotation-member": _person,
    "network:rotation-log": _person,
}
