"""The activity calendar and the charts: well-formed, labelled SVG with a shape per day or value."""

import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cairn.daily.charts import bar_chart_svg, line_chart_svg, nice_ceiling
from cairn.daily.heatmap import heatmap_svg, week_count

SVG = "{http://www.w3.org/2000/svg}"
END = date(2026, 6, 10)
START = date(2025, 6, 9)  # the Monday 52 weeks before END's week


def parse(markup) -> ET.Element:
    return ET.fromstring(str(markup))


def describe(day, count):
    return f"{count} thing{'s' if count != 1 else ''}" if count else "nothing logged"


def calendar(counts, start=START, end=END):
    return parse(
        heatmap_svg(
            counts, start=start, end=end, title="Your practice", summary="3 active days.",
            describe=describe,
        )
    )  # fmt: skip


def test_the_calendar_is_an_image_with_a_title_and_a_summary():
    svg = calendar({})
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "heatmap-title heatmap-desc"
    assert svg.find(f"{SVG}title").text == "Your practice"
    assert svg.find(f"{SVG}desc").text == "3 active days."


def test_a_year_is_53_weeks_of_7_days_with_a_square_per_day():
    svg = calendar({END: 2})
    cells = svg.findall(f"{SVG}rect")
    assert len(cells) == (END - START).days + 1 == 52 * 7 + 3
    assert week_count(START, END) == 53
    columns = {cell.get("x") for cell in cells}
    rows = {cell.get("y") for cell in cells}
    assert len(columns) == 53 and len(rows) == 7
    mondays = [c for c in cells if date.fromisoformat(c.get("data-date")).weekday() == 0]
    assert {c.get("y") for c in mondays} == {min(rows, key=int)}


def test_each_square_names_its_date_and_count():
    svg = calendar({END: 2, END - timedelta(days=1): 1})
    by_date = {cell.get("data-date"): cell for cell in svg.findall(f"{SVG}rect")}
    today = by_date[END.isoformat()]
    assert today.find(f"{SVG}title").text == "Wed 10 June 2026: 2 things"
    assert today.get("class") == "heat-4"
    quiet = by_date["2026-06-01"]
    assert quiet.find(f"{SVG}title").text == "Mon 1 June 2026: nothing logged"
    assert quiet.get("class") == "heat-0"


def test_months_are_named_above_their_weeks():
    labels = [t.text for t in calendar({}).findall(f"{SVG}text")]
    assert labels[:3] == ["Mon", "Wed", "Fri"]
    months = labels[3:]
    assert months[0] == "Jun" and "Jan" in months and len(months) in (12, 13)


def test_text_is_escaped():
    svg = heatmap_svg(
        {}, start=END, end=END, title="<b>&", summary='"quoted"', describe=lambda d, n: "<i>"
    )
    tree = parse(svg)
    assert tree.find(f"{SVG}title").text == "<b>&"
    assert "<i>" not in str(svg).replace("&lt;i&gt;", "")


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)),
    st.integers(min_value=0, max_value=400),
)
def test_any_range_draws_each_day_once_inside_the_picture(start, length):
    end = start + timedelta(days=length)
    svg = calendar({start: 1}, start=start, end=end)
    width = int(svg.get("width"))
    cells = svg.findall(f"{SVG}rect")
    assert [c.get("data-date") for c in cells] == [
        (start + timedelta(days=n)).isoformat() for n in range(length + 1)
    ]
    assert all(0 <= int(c.get("x")) < width for c in cells)
    assert len({(c.get("x"), c.get("y")) for c in cells}) == len(cells)


@pytest.mark.parametrize(
    ("value", "ceiling"), [(0, 1), (1, 1), (3, 5), (7, 10), (11, 20), (180, 200), (501, 1000)]
)
def test_scales_end_on_a_round_number(value, ceiling):
    assert nice_ceiling(value) == ceiling


def test_a_bar_chart_has_a_bar_and_a_tooltip_per_value():
    svg = parse(
        bar_chart_svg(
            [3, 0, 7], ["Jan", "Feb", "Mar"], ["a", "b", "c"], title="By month", summary="10."
        )
    )
    assert svg.get("role") == "img" and svg.find(f"{SVG}title").text == "By month"
    bars = svg.findall(f"{SVG}rect")
    assert [b.get("data-value") for b in bars] == ["3", "0", "7"]
    assert [b.find(f"{SVG}title").text for b in bars] == ["a", "b", "c"]
    heights = [float(b.get("height")) for b in bars]
    assert heights[1] == 0 and heights[2] > heights[0] > 0
    texts = [t.text for t in svg.findall(f"{SVG}text")]
    assert {"Jan", "Feb", "Mar", "10"} <= set(texts)


def test_a_line_chart_has_a_point_per_value_and_rises_with_it():
    svg = parse(
        line_chart_svg([100, 120, 180], ["Start", "Jan", "Feb"], ["x", "y", "z"], title="Size",
                       summary="From 100 to 180.")
    )  # fmt: skip
    points = svg.findall(f"{SVG}circle")
    assert [p.get("data-value") for p in points] == ["100", "120", "180"]
    heights = [float(p.get("cy")) for p in points]
    assert heights[0] > heights[1] > heights[2]  # higher values are higher up
    assert svg.find(f"{SVG}polyline") is not None


def test_charts_refuse_mismatched_inputs():
    with pytest.raises(ValueError):
        bar_chart_svg([1, 2], ["a"], ["a", "b"], title="t", summary="s")
