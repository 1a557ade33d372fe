"""With zero delays the timeline equals the plan; the hand-computed SimPy queue; capacity only delays."""

from __future__ import annotations

import numpy as np
import pytest
from ev_helpers import make_list, pipeline, quiet

from growthsim.simulation.events import (
    COMMISSIONED,
    COMPLETED,
    INCREMENTAL,
    RENOVATION,
    SIGNED,
    STARTED,
    STATISTICS,
    PipelineParams,
    decimal_year,
)
from growthsim.simulation.scenario import baseline

# Dates are decimal years; 1e-9 years (0.03 s) allows only float rounding.
EXACT = 1e-9
AS_OF = 2026.0  # the first projected year: the calibration ends in 2025


def test_with_zero_delays_the_timeline_equals_the_plan(calibration):
    n3 = calibration.posterior.default("project_commissioning_years")   # the pack's values
    n4 = calibration.posterior.default("project_statistics_years")
    rows = [
        (INCREMENTAL, 0, (2026, 4), (2028, 7), 5.0),   # signed, starts later
        (INCREMENTAL, 1, (2025, 6), (2027, 3), 2.0),   # under construction
        (INCREMENTAL, 2, (2024, 1), (2026, 3), 9.0),   # completed, commissioning in March
        (RENOVATION, 0, (2026, 9), (2027, 5), 1.5),
        (RENOVATION, 1, (2025, 11), (2026, 8), 0.5),
    ]
    projects = make_list(rows)
    scen = quiet(project_schedule_slip=0.0, project_stall_probability=0.0)
    pipe = pipeline(calibration, projects, scen, draws=3)
    planned = pipe.list_planned
    for d in range(3):
        t = pipe.list_times[d]
        for i, (kind, cur, *_rest) in enumerate(rows):
            for k in range(cur + 1, COMMISSIONED + 1):
                assert abs(t[i, k] - planned[i, k]) < EXACT, (i, k)
            assert (t[i, :cur + 1] == -np.inf).all()  # stages passed before the list's date
            if kind == INCREMENTAL:
                assert abs(t[i, STATISTICS] - (planned[i, COMMISSIONED] + n4)) < EXACT
    # the planned dates are the list's: start and commissioning as given, completion a commissioning period earlier
    assert abs(planned[0, STARTED] - decimal_year(2026, 4)) < EXACT
    assert abs(planned[0, COMMISSIONED] - decimal_year(2028, 7)) < EXACT
    assert abs(planned[0, COMPLETED] - (decimal_year(2028, 7) - n3)) < EXACT
    # and nothing stalls, nothing is random: every run is the same
    assert all(np.array_equal(pipe.list_times[d], pipe.list_times[0], equal_nan=True) for d in range(3))


def test_generated_projects_keep_their_planned_lengths_with_zero_slip(calibration):
    trace = []
    scen = baseline().with_values(project_schedule_slip=0.0, project_stall_probability=0.0)
    pipeline(calibration, None, scen, draws=2, trace=trace)
    p = PipelineParams.from_values({**calibration.posterior.point, "project_schedule_slip": 0.0})
    total = p.lengths(INCREMENTAL).sum()
    for run in trace:
        gen = (run["origin"] > 0) & (run["origin"] < 3)
        t4, t0 = run["times"][gen, STATISTICS], run["times"][gen, SIGNED]
        ok = np.isfinite(t4)
        span = t4[ok] - t0[ok]
        assert ok.sum() > 100 and np.allclose(span, total, atol=1e-9)


def test_the_service_queue_by_hand(calibration):
    """Capacity 1, speed-up 0.5, two completed projects asking for the service on the list's date.

    A gets the place: commissioning +0.25, statistics +0.5, then releases it.
    B (commissioning planned 0.4 years away) waits, working at half pace: by 0.5 it has done
    0.25 of its 0.4; served from then, it commissions at 0.65 and enters statistics at 0.9.
    """
    n4 = calibration.posterior.default("project_statistics_years")
    assert n4 == 0.25  # the hand computation below uses the pack's value
    rows = [(INCREMENTAL, 2, (2024, 1), AS_OF + 0.25, 5.0), (INCREMENTAL, 2, (2024, 1), AS_OF + 0.4, 5.0)]
    scen = quiet(project_schedule_slip=0.0, project_stall_probability=0.0, service_capacity=1, service_speedup=0.5)
    pipe = pipeline(calibration, make_list(rows), scen, draws=1)
    t = pipe.list_times[0]
    expected = [(AS_OF + 0.25, AS_OF + 0.5), (AS_OF + 0.65, AS_OF + 0.9)]
    for i, (t3, t4) in enumerate(expected):
        assert abs(t[i, COMMISSIONED] - t3) < EXACT and abs(t[i, STATISTICS] - t4) < EXACT
    assert pipe.list_served[0].tolist() == [True, True]
    assert abs(pipe.list_wait[0, 0]) < EXACT and abs(pipe.list_wait[0, 1] - 0.5) < EXACT
    # B finishes unserved when A holds the place longer than B's whole (slower) way
    rows = [(INCREMENTAL, 2, (2024, 1), AS_OF + 1.0, 5.0), (INCREMENTAL, 2, (2024, 1), AS_OF + 0.1, 5.0)]
    pipe = pipeline(calibration, make_list(rows), scen, draws=1)
    t = pipe.list_times[0]
    assert abs(t[1, COMMISSIONED] - (AS_OF + 0.2)) < EXACT and abs(t[1, STATISTICS] - (AS_OF + 0.7)) < EXACT
    assert pipe.list_served[0].tolist() == [True, False]
    assert pipe.per_year["service_unserved"][0, 0] == 1


@pytest.mark.parametrize("speedup", [0.3, 0.0])
def test_a_binding_capacity_only_delays(calibration, shipped_list, speedup):
    """Same seed, same draws: with 3 places every project is served no earlier than with unlimited places;
    without a speed-up the service changes nothing."""
    runs = {}
    for capacity in (10000, 3):
        trace = []
        scen = baseline().with_values(service_capacity=capacity, service_speedup=speedup)
        runs[capacity] = (pipeline(calibration, shipped_list, scen, draws=3, trace=trace), trace)
    free, tight = runs[10000][1], runs[3][1]
    for a, b in zip(free, tight, strict=True):
        assert np.array_equal(a["times"][:, :COMMISSIONED], b["times"][:, :COMMISSIONED], equal_nan=True)
        late = np.where(np.isnan(b["times"]), np.inf, b["times"]) >= np.where(np.isnan(a["times"]), np.inf, a["times"])
        assert late.all()
        if speedup == 0.0:
            assert np.array_equal(a["times"], b["times"], equal_nan=True)
    pf, pt = runs[10000][0], runs[3][0]
    assert (pf.per_year["service_waited"] == 0).all()  # unlimited: nobody queues
    if speedup > 0:
        assert (pt.per_year["service_waited"] > 0).all()  # 3 places for ~100 projects a year: queues appear
        entries_free = np.cumsum(pf.flows["projects_entering_statistics"], axis=1)
        entries_tight = np.cumsum(pt.flows["projects_entering_statistics"], axis=1)
        assert (entries_tight <= entries_free).all() and entries_tight[:, -1].sum() < entries_free[:, -1].sum()
