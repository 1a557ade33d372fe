"""URL state, editor form <-> scenario values, and the year table (app/state.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from growthsim.app.state import (
    DRAWS_CHOICES,
    HORIZONS,
    View,
    compose,
    decode_query,
    decompose,
    encode_query,
    entries_from_frame,
    fmt_value,
    values_key,
    year_frame,
    year_keyable,
)
from growthsim.calibration.city import pack_defaults
from growthsim.settings import DEFAULT_HORIZON, DRAWS
from growthsim.simulation.registry import NOT_YEAR_KEYED, parameters
from growthsim.simulation.scenario import HORIZON_MAX, value_path

PAGES = ["projections", "compare", "calibration"]
FIRST = 2021  # the first projected year with the shipped data (base year 2020)
DEFAULTS = pack_defaults()   # the default pack's value of every parameter (its levers.toml, else the registry's)


def test_settings_defaults_are_offered():
    # The app's choices must contain the settings' defaults, or a default view could not be shown.
    assert DRAWS["app"].default in DRAWS_CHOICES and max(DRAWS_CHOICES) <= DRAWS["app"].most
    assert DEFAULT_HORIZON in HORIZONS
    assert HORIZONS[-1] == HORIZON_MAX


def test_default_view_encodes_to_an_empty_query():
    assert encode_query(View(), PAGES) == {}


def test_encode_only_departures_in_registry_order():
    view = View(values={"incremental_projects": {2024: 60.0}, "upgrade_target": 500.0}, lang="en", draws=200,
                page="compare")
    q = encode_query(view, PAGES)
    assert q == {"lang": "en", "page": "compare", "draws": "200", "upgrade_target": "500",
                 "incremental_projects": "2024:60"}
    # registry order: upgrade_target is declared before incremental_projects
    params = [k for k in q if k in parameters()]
    assert params == ["upgrade_target", "incremental_projects"]


def test_decode_round_trip():
    view = View(values={"upgrade_target": 500.0, "exit_rate": 6.5, "incremental_projects": {2024: 60.0, 2026: 70.0}},
                lang="en", page="calibration", draws=500, seed=7, horizon=2030, through=2020,
                compare=("baseline", "downside"))
    q = encode_query(view, PAGES)
    d = decode_query(q, PAGES, FIRST, [2020, 2021], ["baseline", "edited", "intensified", "downside"])
    assert d.problems == ()
    assert d.numbers_ok
    assert d.view == view


@given(st.dictionaries(st.sampled_from(sorted(parameters())), st.floats(0, 1), max_size=6))
@settings(max_examples=60, deadline=None)
def test_any_valid_values_survive_the_url(fractions):
    # Values anywhere within the registry bounds, constant or keyed by year, come back unchanged.
    reg = parameters()
    values = {}
    for i, (pid, f) in enumerate(sorted(fractions.items())):
        p = reg[pid]
        v = p.lower + f * (p.upper - p.lower)
        v = float(round(v)) if p.integer else round(v, 6)
        values[pid] = {2023 + i % 3: v} if pid not in NOT_YEAR_KEYED and i % 2 else v
    q = encode_query(View(values=values), PAGES)
    d = decode_query(q, PAGES, FIRST, [2020, 2021])
    assert d.problems == ()
    assert dict(d.view.values) == values


def test_tampered_value_names_key_value_and_bounds():
    d = decode_query({"upgrade_target": "99999", "lang": "en"}, PAGES, FIRST, [2020, 2021])
    assert not d.numbers_ok
    assert d.view.values == {}           # nothing of the scenario applied
    assert d.view.lang == "en"           # presentation still applies
    (p,) = d.problems
    assert p.key == "upgrade_target" and p.value == "99999"  # as written in the link
    assert "out of bounds" in str(p.problem) and "0 to 1200" in str(p.allowed)  # registry bounds of upgrade_target


def test_every_problem_is_reported_and_no_number_applies():
    d = decode_query({"upgrade_targt": "500", "exit_rate": "abc", "draws": "7", "seed": "-1",
                      "incremental_projects": "2024:60,2040:70", "horizon": "2060", "lang": "fr",
                      "page": "../../etc", "exit_rate_x": "1"}, PAGES, FIRST, [2020, 2021])
    keys = sorted(p.key for p in d.problems)
    assert keys == sorted(["upgrade_targt", "exit_rate", "draws", "seed", "incremental_projects.2040", "horizon",
                           "lang", "page", "exit_rate_x"])
    texts = {p.key: str(p) for p in d.problems}
    assert "did you mean upgrade_target" in texts["upgrade_targt"]
    assert "one of 100, 200, 500, 1000, 2000, 5000, 10000" in texts["draws"]  # DRAWS_CHOICES
    assert "year outside the horizon" in texts["incremental_projects.2040"]
    assert not d.numbers_ok
    assert d.view == View()  # every setting stays at its default


def test_year_keyed_value_not_allowed_for_structural_parameter():
    d = decode_query({"demand_shock_year": "2024:2025"}, PAGES, FIRST, [2020, 2021])
    (p,) = d.problems
    assert p.key == "demand_shock_year" and "cannot be keyed by year" in str(p.problem)


def test_whole_number_required():
    d = decode_query({"upgrade_target": "500.5"}, PAGES, FIRST, [2020, 2021])
    (p,) = d.problems
    assert "whole number" in str(p.problem)


def test_malformed_year_pairs():
    d = decode_query({"incremental_projects": "2024:60,2024:70"}, PAGES, FIRST, [2020, 2021])
    assert "listed twice" in str(d.problems[0].problem)
    d = decode_query({"incremental_projects": "2024:60,70"}, PAGES, FIRST, [2020, 2021])
    assert "YEAR:VALUE" in str(d.problems[0].problem)


def test_compare_must_name_known_scenarios():
    d = decode_query({"cmp": "baseline,nonsense"}, PAGES, FIRST, [2020, 2021], ["baseline", "edited"])
    assert "unknown scenario 'nonsense'" in str(d.problems[0].problem)
    d = decode_query({"cmp": "baseline"}, PAGES, FIRST, [2020, 2021], ["baseline", "edited"])
    assert "2 to 4" in str(d.problems[0].problem)
    assert d.numbers_ok  # the comparison is a view choice, not a number


def test_streamlit_own_keys_are_ignored():
    d = decode_query({"embed": "true"}, PAGES, FIRST, [2020, 2021])
    assert d.problems == ()


def test_repeated_key_uses_the_last_value():
    # st.query_params returns the last of repeated keys; AppTest gives a list.
    d = decode_query({"upgrade_target": ["300", "500"]}, PAGES, FIRST, [2020, 2021])
    assert d.view.values == {"upgrade_target": 500.0}  # the last of the two


# ---------------------------------------------------------------- compose / decompose


def test_compose_keeps_only_departures():
    sliders = dict(DEFAULTS, upgrade_target=500.0)
    assert compose(sliders, {}, DEFAULTS, FIRST) == {"upgrade_target": 500.0}
    assert compose(DEFAULTS, {}, DEFAULTS, FIRST) == {}


def test_compose_year_entries_with_and_without_slider_change():
    assert compose(DEFAULTS, {"incremental_projects": {2024: 60.0}}, DEFAULTS, FIRST) == {
        "incremental_projects": {2024: 60.0}}
    sliders = dict(DEFAULTS, incremental_projects=50.0)
    assert compose(sliders, {"incremental_projects": {2024: 60.0}}, DEFAULTS, FIRST) == {
        "incremental_projects": {2021: 50.0, 2024: 60.0}}


def test_decompose_splits_first_year():
    sliders, years = decompose({"incremental_projects": {2021: 50.0, 2024: 60.0}, "exit_rate": 6.0}, DEFAULTS, FIRST)
    assert sliders["incremental_projects"] == 50.0 and years == {"incremental_projects": {2024: 60.0}}
    assert sliders["exit_rate"] == 6.0
    assert sliders["upgrade_target"] == DEFAULTS["upgrade_target"]


@given(st.lists(st.tuples(st.integers(FIRST, HORIZON_MAX), st.floats(0, 150)), min_size=1, max_size=5),
       st.one_of(st.none(), st.floats(0, 150)))
@settings(max_examples=80, deadline=None)
def test_compose_decompose_keeps_the_path(entries, constant):
    # Whatever the form, the parameter's path over the years is unchanged by a round trip through the editor.
    value = dict(entries) if constant is None else constant
    values = {"incremental_projects": value}
    sliders, years = decompose(values, DEFAULTS, FIRST)
    back = compose(sliders, years, DEFAULTS, FIRST)
    grid = np.arange(FIRST, HORIZON_MAX + 1)
    d = DEFAULTS["incremental_projects"]
    np.testing.assert_array_equal(value_path(back.get("incremental_projects"), d, grid), value_path(value, d, grid))


def test_values_key_is_canonical():
    a = values_key({"upgrade_target": 500.0, "incremental_projects": {2026: 1.0, 2024: 2.0}})
    b = values_key({"incremental_projects": {2024: 2.0, 2026: 1.0}, "upgrade_target": 500})
    assert a == b and hash(a) == hash(b)


# ---------------------------------------------------------------- year table


def test_year_table_parses_and_validates():
    frame = year_frame({2024: 60.0})
    frame.loc[len(frame)] = [2026, 70.0]
    entries, problems, incomplete = entries_from_frame(frame, "incremental_projects", FIRST)
    assert entries == {2024: 60.0, 2026: 70.0} and problems == [] and incomplete == 0


def test_year_table_problems_name_row_value_and_allowed():
    frame = pd.DataFrame({"year": [2024, 2040, 2025, 2024], "value": [60.0, 10.0, 999.0, 61.0]})
    entries, problems, _ = entries_from_frame(frame, "incremental_projects", FIRST)
    assert entries == {2024: 60.0}
    texts = [str(p) for p in problems]
    assert "row 2" in texts[0] and "2040" in texts[0] and "2022-2035" in texts[0]
    assert "row 3" in texts[1] and "999" in texts[1] and "0 to 150" in texts[1]
    assert "row 4" in texts[2] and "listed twice" in texts[2]


def test_year_table_ignores_incomplete_rows():
    frame = pd.DataFrame({"year": pd.array([2024, None, None], dtype="Int64"),
                          "value": pd.array([60.0, 5.0, None], dtype="Float64")})
    entries, problems, incomplete = entries_from_frame(frame, "incremental_projects", FIRST)
    assert entries == {2024: 60.0} and problems == [] and incomplete == 1


def test_year_keyable_excludes_structural():
    assert set(year_keyable()) == set(parameters()) - NOT_YEAR_KEYED


def test_fmt_value_has_no_float_noise():
    assert fmt_value(0.1 + 0.2) == "0.3"  # 0.30000000000000004 without the rounding
    assert fmt_value({2024: 60.0, 2022: 1.5}) == "2022:1.5,2024:60"
