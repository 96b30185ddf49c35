"""Small charts for the practice pages, drawn as SVG on the server (pure: numbers in, markup
out). Colours are classes that practice.css maps to the stylesheet's variables."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from django.utils.safestring import SafeString, mark_safe

WIDTH = 640
HEIGHT = 220
LEFT = 40  # room for the scale
RIGHT = 12
TOP = 18
BOTTOM = 26  # room for the labels below
PLOT_HEIGHT = HEIGHT - TOP - BOTTOM


def nice_ceiling(value: int) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50 … that is at least `value` (1 for nothing)."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


def _open(kind: str, prefix: str, title: str, summary: str, width: int) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {kind}"'
        f' viewBox="0 0 {width} {HEIGHT}" role="img"'
        f' aria-labelledby="{prefix}-title {prefix}-desc">',
        f'<title id="{prefix}-title">{escape(title)}</title>',
        f'<desc id="{prefix}-desc">{escape(summary)}</desc>',
    ]


def _scale(width: int, top: int, bottom: int = 0) -> list[str]:
    """The baseline, the top line and their numbers."""
    parts = []
    for value, y in ((bottom, TOP + PLOT_HEIGHT), (top, TOP)):
        parts.append(
            f'<line class="chart-grid" x1="{LEFT}" x2="{width - RIGHT}" y1="{y}" y2="{y}"/>'
        )
        parts.append(
            f'<text class="chart-label" x="{LEFT - 6}" y="{y + 4}" text-anchor="end">'
            f"{value:,}</text>"
        )
    return parts


def bar_chart_svg(
    values: Sequence[int],
    labels: Sequence[str],
    tooltips: Sequence[str],
    *,
    title: str,
    summary: str,
    prefix: str = "bars",
    width: int = WIDTH,
) -> SafeString:
    """One bar per value, labelled underneath, each with its tooltip."""
    if not (len(values) == len(labels) == len(tooltips)):
        raise ValueError("values, labels and tooltips must be as many")
    top = nice_ceiling(max(values, default=0))
    slot = (width - LEFT - RIGHT) / max(len(values), 1)
    bar = slot * 0.64
    parts = _open("bar-chart", prefix, title, summary, width) + _scale(width, top)
    for index, (value, label, tooltip) in enumerate(zip(values, labels, tooltips, strict=True)):
        x = LEFT + index * slot + (slot - bar) / 2
        height = PLOT_HEIGHT * value / top
        y = TOP + PLOT_HEIGHT - height
        parts.append(
            f'<rect class="chart-bar" x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}"'
            f' height="{height:.1f}" rx="2" data-value="{value}">'
            f"<title>{escape(tooltip)}</title></rect>"
        )
        middle = x + bar / 2
        if value:
            parts.append(
                f'<text class="chart-value" x="{middle:.1f}" y="{y - 4:.1f}"'
                f' text-anchor="middle">{value:,}</text>'
            )
        parts.append(
            f'<text class="chart-label" x="{middle:.1f}" y="{HEIGHT - 8}"'
            f' text-anchor="middle">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every text above is escaped


def line_chart_svg(
    values: Sequence[int],
    labels: Sequence[str],
    tooltips: Sequence[str],
    *,
    title: str,
    summary: str,
    prefix: str = "line",
    width: int = WIDTH,
) -> SafeString:
    """A line through the values, evenly spaced, with a dot and tooltip on each; the scale
    starts a little under the smallest value so that growth shows."""
    if not (len(values) == len(labels) == len(tooltips)):
        raise ValueError("values, labels and tooltips must be as many")
    highest = max(values, default=0)
    lowest = min(values, default=0)
    top = nice_ceiling(highest)
    unit = max(top // 10, 1)
    bottom = 0 if lowest < top / 2 else lowest // unit * unit
    span = max(top - bottom, 1)
    step = (width - LEFT - RIGHT) / max(len(values) - 1, 1)
    points = [
        (LEFT + index * step, TOP + PLOT_HEIGHT - PLOT_HEIGHT * (value - bottom) / span)
        for index, value in enumerate(values)
    ]
    parts = _open("line-chart", prefix, title, summary, width) + _scale(width, top, bottom)
    if points:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(f'<polyline class="chart-line" points="{path}"/>')
    for (x, y), value, label, tooltip in zip(points, values, labels, tooltips, strict=True):
        parts.append(
            f'<circle class="chart-point" cx="{x:.1f}" cy="{y:.1f}" r="4" data-value="{value}">'
            f"<title>{escape(tooltip)}</title></circle>"
        )
        if label:
            parts.append(
                f'<text class="chart-label" x="{x:.1f}" y="{HEIGHT - 8}"'
                f' text-anchor="middle">{escape(label)}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every text above is escaped
