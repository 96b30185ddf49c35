from django.conf import settings
from django.urls import reverse

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


def cairn(request):
    return {
        "cairn_version": __version__,
        "nav_areas": [(slug, label, reverse(name, args=args)) for slug, label, name, args in AREAS],
        "signup_open": settings.SIGNUP == "open",
    }
