"""Cairn's own settings plus a bare view to compare pages against (see bench/urls.py)."""

from cairn.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
