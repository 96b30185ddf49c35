from functools import cache

from django.conf import settings
from django.urls import get_script_prefix, reverse

from cairn import __version__

# (slug, label, URL name, URL arguments): areas with pages of their own link there; the others
# show what they will do.
AREAS = [
    ("today", "Today", "daily:today", ()),
    ("network", "Network", "network:people", ()),
    ("conversations", "Conversations", "core:area", ("conversations",)),
    ("pursuits", "Pursuits", "core:area", ("pursuits",)),
    ("market", "Market", "core:area", ("market",)),
    ("discovery", "Discovery", "core:area", ("discovery",)),
    ("transitions", "Transitions", "core:area", ("transitions",)),
]


@cache
def _nav(prefix: str) -> list[tuple[str, str, str]]:
    """The navigation's links, reversed once per process (and URL prefix), not per page."""
    return [(slug, label, reverse(name, args=args)) for slug, label, name, args in AREAS]


def cairn(request):
    return {
        "cairn_version": __version__,
        "nav_areas": _nav(get_script_prefix()),
        "signup_open": settings.SIGNUP == "open",
    }
