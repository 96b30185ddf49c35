"""Template helpers for the network pages: notes as safe Markdown, and dates said the way a
person says them ("94 days ago", "due in 3 days")."""

from __future__ import annotations

from datetime import date

import nh3
from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

from cairn.network.models import CADENCE_CHOICES

register = template.Library()

# Raw HTML in notes is shown as text; what Markdown produces is sanitised all the same.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "breaks": True})
_markdown.enable(["table", "strikethrough"])
_TAGS = {
    "p", "br", "strong", "em", "del", "code", "pre", "blockquote", "ul", "ol", "li", "a",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}


@register.filter(is_safe=True)
def markdown(text: str | None) -> SafeString:
    """Notes written in Markdown, as HTML that cannot run scripts or restyle the page."""
    if not text:
        return mark_safe("")
    html = _markdown.render(text)
    cleaned = nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(cleaned)  # noqa: S308 (sanitised by nh3 just above)


def _days(count: int) -> str:
    return f"{count} day{'s' if count != 1 else ''}"


@register.filter
def days_ago(value: date | None, today: date) -> str:
    """'today', 'yesterday', '94 days ago', 'never' (and 'in 3 days' for a date ahead)."""
    if value is None:
        return "never"
    delta = (today - value).days
    if delta == 0:
        return "today"
    if delta == 1:
        return "yesterday"
    if delta == -1:
        return "tomorrow"
    if delta < 0:
        return f"in {_days(-delta)}"
    return f"{_days(delta)} ago"


@register.simple_tag
def due_badge(next_due_on: date | None, today: date) -> str:
    """A small badge: overdue (how long), due today, or when the next contact is due."""
    if next_due_on is None:
        return ""
    delta = (next_due_on - today).days
    if delta < 0:
        return format_html('<span class="badge overdue">{} overdue</span>', _days(-delta))
    if delta == 0:
        return format_html('<span class="badge due">Due today</span>')
    if delta <= 7:
        return format_html('<span class="badge soon">Due in {}</span>', _days(delta))
    return format_html(
        '<span class="badge later" title="{}">Due in {}</span>',
        next_due_on.isoformat(),
        _days(delta),
    )


@register.inclusion_tag("network/_strength.html")
def strength(value: int | None) -> dict:
    """Relationship strength as five stones, some filled."""
    value = value or 0
    return {"value": value, "stones": [i < value for i in range(5)]}


@register.filter
def cadence_label(days: int | None) -> str:
    if not days:
        return "No rhythm"
    return dict(CADENCE_CHOICES).get(days, f"Every {_days(days)}")


@register.filter
def initials(name: str) -> str:
    """'Ana María de la Cruz' → 'AC': the first letters of the first and last words."""
    words = [word for word in name.split() if word[:1].isalnum()]
    if not words:
        return "?"
    letters = words[0][0] + (words[-1][0] if len(words) > 1 else "")
    return letters.upper()
