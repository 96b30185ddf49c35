from django.conf import settings

from cairn import __version__

AREAS = [
    ("today", "Today", "daily:today"),
    ("network", "Network", "core:area"),
    ("conversations", "Conversations", "core:area"),
    ("pursuits", "Pursuits", "core:area"),
    ("market", "Market", "core:area"),
    ("discovery", "Discovery", "core:area"),
    ("transitions", "Transitions", "core:area"),
]


def cairn(request):
    return {
        "cairn_version": __version__,
        "nav_areas": AREAS,
        "signup_open": settings.SIGNUP == "open",
    }
