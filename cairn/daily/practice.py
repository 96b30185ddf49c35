"""The practice over time: streaks, the yearly heatmap, weekly numbers and the reviews."""

from __future__ import annotations

from datetime import date
from typing import Any


def today_panel(user: Any, day: date) -> dict[str, Any]:
    """What Today shows of the practice beside the agenda (streak, this week's focus)."""
    return {}
