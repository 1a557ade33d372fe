"""A page's charts and the compare page's difference table are built once per what they show (app/ui.py::kept_chart,
kept_table): a switch back to a page builds none of them again and sends the same specifications and rows; a lever
step, another language or other compared scenarios build them anew."""

from __future__ import annotations

import pytest
from app_testkit import charts as drawn_charts
from app_testkit import keyed, new_app, pictures, run

from growthsim.app import charts, page_compare, page_projections, tables, ui


@pytest.fixture
def built(monkeypatch) -> list[str]:
    """The indicators whose charts the projections and compare pages build, in order, and "difference_table" for
    each difference table the compare page builds."""
    calls: list[str] = []

    def counted(indicator, *args, **kw):
        calls.append(indicator)
        return charts.indicator_figure(indicator, *args, **kw)

    def counted_difference(*args, **kw):
        calls.append("difference_table")
        return tables.difference_table(*args, **kw)

    monkeypatch.setattr(page_projections, "indicator_figure", counted)
    monkeypatch.setattr(page_compare, "indicator_figure", counted)
    monkeypatch.setattr(page_compare, "difference_table", counted_difference)
    return calls


def sent(at) -> dict[str, tuple[str, bytes]]:
    """Each chart's specification and Arrow rows as sent, by its key."""
    import json

    return {json.loads(e.proto.spec)["usermeta"]["key"]: (e.proto.spec, e.proto.data.data)
            for e in at.get("vega_lite_chart")}


def go(at, page: str):
    keyed(at.radio, "page").set_value(page)
    return run(at)


def test_a_switch_back_builds_no_chart_and_sends_the_same(built):
    at = run(new_app({"draws": "200", "seed": "11"}))  # a seed of its own: no other test's charts are kept
    first = sent(at)
    assert len(built) >= 3  # the headline charts were built
    go(at, "compare")
    compare_first, difference = sent(at), at.dataframe[0].value
    assert any(k.startswith("cmp_chart_") for k in compare_first) and "difference_table" in built
    built.clear()
    go(at, "projections")
    assert built == []  # nothing built again
    assert sent(at) == first  # the same specifications and rows
    go(at, "compare")
    assert built == [] and sent(at) == compare_first
    assert at.dataframe[0].value.equals(difference)  # the same difference table


def test_a_lever_step_or_the_language_builds_the_charts_anew(built):
    at = run(new_app({"draws": "200", "seed": "12"}))
    before = sent(at)
    built.clear()
    at.slider(key="w_upgrade_target").set_value(700)
    run(at)
    assert "above_scale_firms" in built  # the firm-count chart built for the new value
    assert sent(at)["chart_above_scale_firms"][1] != before["chart_above_scale_firms"][1]  # more firms drawn
    built.clear()
    at.toggle(key="lang_en").set_value(True)
    run(at)
    assert "above_scale_firms" in built  # every word of the chart changes language


def assert_picture_of(svg: str, spec: dict, width: int) -> None:
    """The picture is the chart ``spec`` drawn ``width`` px wide: its title's words are in the SVG's text."""
    import re

    title = spec["title"]["text"]
    assert "".join(title if isinstance(title, list) else [title]) in re.sub(r"<[^>]+>", "", svg)
    assert re.search(fr'<svg[^>]*width="{width}"', svg)


def test_a_sessions_first_screen_sends_each_headline_chart_as_a_picture_once(built):
    """A session's first run sends the three headline charts twice: as pictures Vega drew on the server (the
    browser shows them with the cards) and as the charts, built once between them; a later run sends no picture."""

    at = run(new_app({"draws": "200", "seed": "13"}))  # a seed of its own: nothing kept from another test
    drawn = drawn_charts(at)
    shown = pictures(at)
    assert len(shown) == page_projections.TOP  # the headline charts: share, firms, growth
    for key, svg in shown.items():
        assert key in drawn  # the picture of a chart the page draws
        assert svg.startswith("<svg") and 'class="mark-line' in svg  # Vega's own drawing: its lines
        assert_picture_of(svg, drawn[key], ui.PICTURE_WIDTH)  # its place's width (fit-x fills it exactly)
    headline = [k.removeprefix("chart_") for k in shown]
    assert all(built.count(ind) == 1 for ind in headline), built  # one build for the picture and the chart
    run(at)  # the session's next run: the browser has drawn the charts
    assert pictures(at) == {} and drawn_charts(at).keys() == drawn.keys()


def test_a_summary_gives_each_indicator_the_rows_a_filter_gives():
    """compute.Summary.projection_of splits the projection table once: each indicator gets exactly the rows, in
    the table's order and with its index, that filtering the whole table gave (what the charts were built from);
    an indicator the table lacks gets no rows, with the table's columns."""
    import pandas as pd

    from growthsim.app.compute import Summary

    table = pd.DataFrame({"indicator": ["share", "firms", "share", "growth", "firms"], "year": [2026, 2026, 2027,
                                                                                              2026, 2027],
                          "p50": [24.0, 4900.0, 24.2, 5.1, 5000.0]}, index=[10, 11, 12, 13, 14])
    summary = Summary(table, table)
    for ind in ("share", "firms", "growth", "revenue"):
        filtered = table[table["indicator"] == ind]
        assert summary.projection_of(ind).equals(filtered) and list(summary.projection_of(ind).index) == list(
            filtered.index), ind
    assert summary.projection_of("revenue").empty and list(summary.projection_of("revenue").columns) == list(
        table.columns)


def test_a_page_switch_shows_the_kept_pictures_and_has_the_others_made():
    """A page switch sends each chart's picture when one is kept for what the chart shows, and never draws one
    then (the server would wait ~0.25 s a picture before the page's tables): a missing picture is made by the
    worker process for the next switch. A lever step sends none (the charts are on the screen)."""

    at = run(new_app({"draws": "200", "seed": "14"}))  # a seed of its own: nothing kept from another test
    headline = set(pictures(at))
    assert len(headline) == page_projections.TOP  # the first screen's, drawn then
    go(at, "compare")
    assert pictures(at) == {}  # none kept yet for the compared scenarios' charts
    ui.wait_for_pictures()
    go(at, "projections")
    assert set(pictures(at)) == headline  # kept since the first screen
    go(at, "compare")
    shown, drawn = pictures(at), drawn_charts(at)
    assert set(shown) == {k for k in drawn if k.startswith("cmp_chart_")} and len(shown) == 4  # the headline set
    for key, svg in shown.items():
        assert_picture_of(svg, drawn[key], ui.HALF_PICTURE_WIDTH)  # its place's width: two a row
    at.slider(key="w_upgrade_target").set_value(700)
    run(at)
    assert pictures(at) == {}  # a lever step: the charts are drawn already
    go(at, "projections")
    assert pictures(at) == {}  # the headline charts at 700: no picture kept yet
    ui.wait_for_pictures()
    go(at, "compare")
    go(at, "projections")
    assert set(pictures(at)) == headline  # made in the background after the last switch
