"""What the Reminders card on the settings page needs, without the settings view knowing."""

from __future__ import annotations

from typing import Any

from django import template

from cairn.daily.notify_views import section_context

register = template.Library()


@register.simple_tag(takes_context=True)
def reminder_settings(context: template.Context) -> dict[str, Any]:
    """The card's forms and state for the signed-in user: `{% reminder_settings as r %}`."""
    return section_context(context["request"].user)
