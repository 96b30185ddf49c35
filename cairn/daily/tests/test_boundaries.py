"""Today's place in the architecture, and items whose person has gone since the morning."""

import ast
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

import cairn.daily
from cairn.core.errors import DomainError
from cairn.daily import services
from cairn.daily.models import AgendaItem
from cairn.network import services as network
from cairn.network.models import Interaction

DAILY = Path(cairn.daily.__file__).parent
ALLOWED = ("cairn.core", "cairn.lib", "cairn.daily")
NOW = datetime(2026, 6, 10, 9, 0, tzinfo=UTC)
TODAY = date(2026, 6, 10)


def imported_modules(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_daily_imports_no_other_app():
    for path in DAILY.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for module in imported_modules(path):
            if module.startswith("cairn.") and not module.startswith(ALLOWED):
                pytest.fail(f"{path.relative_to(DAILY)} imports {module}")


@pytest.fixture
def item_about_a_binned_person(owner):
    ana = network.person_create(
        user=owner, full_name="Ana Ruiz", cadence_days=30, today=TODAY - timedelta(days=400)
    )
    network.interaction_log(
        user=owner, people=[ana], summary="Lunch", occurred_on=TODAY - timedelta(days=60),
        today=TODAY,
    )  # fmt: skip
    item = services.agenda_for_today(user=owner, now=NOW).items.all()[0]
    network.person_delete(user=owner, person=ana)
    return item


@pytest.mark.django_db
def test_done_still_works_when_the_person_went_to_the_bin(owner, item_about_a_binned_person):
    before = Interaction.objects.count()
    services.item_done(user=owner, item=item_about_a_binned_person, now=NOW)
    assert AgendaItem.objects.get().state == "done"
    assert Interaction.objects.count() == before


@pytest.mark.django_db
def test_the_agenda_of_another_day_is_made_without_the_binned_person(
    owner, item_about_a_binned_person
):
    tomorrow = services.agenda_for_today(user=owner, now=NOW + timedelta(days=1))
    assert list(tomorrow.items.all()) == []


@pytest.mark.django_db
def test_less_often_about_a_binned_person_is_refused(owner, item_about_a_binned_person):
    with pytest.raises(DomainError, match="no longer"):
        services.item_less_often(user=owner, item=item_about_a_binned_person, now=NOW)
    assert AgendaItem.objects.get().state == "open"
