"""The stranger sweep: every URL that takes an object id is checked for isolation."""

import pkgutil
from importlib import import_module

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cairn.testing import assert_stranger_gets_404

ID_PARAMETERS = {"pk", "id"}


def _walk(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield (
                f"{namespace}{entry.name}",
                set(entry.pattern.converters)
                | set(getattr(entry.pattern, "_route", "") and _route_params(entry.pattern._route)),
            )


def _route_params(route: str) -> set[str]:
    import re

    return set(re.findall(r"<(?:\w+:)?(\w+)>", route))


def id_routes() -> list[str]:
    return sorted(
        name
        for name, params in _walk(get_resolver().url_patterns)
        if params & ID_PARAMETERS or any(p.endswith("_id") for p in params)
    )


def registered_routes() -> dict:
    found = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("cairn."):
            continue
        try:
            tests = import_module(f"{config.name}.tests")
        except ModuleNotFoundError:
            continue
        # Each app lists its cases in tests/routes.py, tests/api_routes.py or tests/routes_*.py.
        for module in pkgutil.iter_modules(tests.__path__):
            if module.name.startswith(("routes", "api_routes")):
                found.update(import_module(f"{tests.__name__}.{module.name}").ROUTES)
    return found


def test_every_route_with_an_id_has_an_isolation_case():
    missing = set(id_routes()) - set(registered_routes())
    assert not missing, f"add these routes to an app's tests/routes.py: {sorted(missing)}"


def test_the_sweep_finds_routes():
    assert "accounts:token-revoke" in id_routes()


@pytest.mark.parametrize("url_name", id_routes())
def test_a_stranger_gets_404(url_name, owner, stranger):
    kwargs, obj, *body = registered_routes()[url_name](owner)
    assert_stranger_gets_404(
        reverse(url_name, kwargs=kwargs),
        owner=owner,
        stranger=stranger,
        obj=obj,
        api=url_name.startswith("api:"),
        body=body[0] if body else None,
    )
