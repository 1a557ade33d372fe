"""Invariants of every project in every run: the stage order is never violated, a project never enters
statistics before it is commissioned, nothing happens after a stall; also under a binding service
capacity (the SimPy queue) and for random small lists (Hypothesis)."""

from __future__ import annotations

import numpy as np
import pytest
from ev_helpers import make_list, pipeline, quiet
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from growthsim.simulation.events import COMMISSIONED, COMPLETED, INCREMENTAL, RENOVATION, STATISTICS, decimal_year
from growthsim.simulation.scenario import baseline


def check_run(run: dict, t_end: float) -> None:
    times, stall, kind = run["times"], run["stall"], run["kind"]
    inc = kind == INCREMENTAL
    # a renovation project has no statistics stage; an incremental one has every stage
    assert np.isnan(times[~inc, STATISTICS]).all()
    assert not np.isnan(times[inc]).any() and not np.isnan(times[~inc, :STATISTICS]).any()
    # -inf (passed before the list's date), then dates, then inf (not reached): never out of order
    t = np.where(np.isnan(times), np.inf, times)
    assert (t[:, 1:] >= t[:, :-1]).all(), "stage order violated"
    assert (t[inc, STATISTICS] >= t[inc, COMMISSIONED]).all(), "entered statistics before commissioning"
    stalled = np.isfinite(stall)
    assert (t[stalled, COMPLETED:] == np.inf).all(), "a stalled project went on"
    before = np.where(np.isfinite(times[stalled, :COMPLETED]), times[stalled, :COMPLETED], -np.inf).max(axis=1)
    assert (stall[stalled] >= before).all(), "stalled before reaching its last stage"
    finite = np.isfinite(times)
    assert (times[finite] < t_end).all(), "a date beyond the horizon is reported as reached"
    # a served project waited no longer than it took; only projects that asked are served
    assert not run["served"][~run["need"]].any()
    # the pool's firms cross at most once; firms outside the list add to them (the pool is not a cap)
    assert (run["upgrades"] - run["outside"] <= run["pool"]).all() and (run["outside"] >= 0).all()


@pytest.mark.parametrize("capacity", [100, 3])
def test_every_project_keeps_the_stage_order(calibration, shipped_list, capacity):
    trace = []
    scen = baseline().with_values(service_capacity=capacity, project_schedule_slip=0.8,
                                  project_stall_probability=0.3)
    pipe = pipeline(calibration, shipped_list, scen, draws=4, trace=trace)
    assert len(trace) == 4
    for run in trace:
        check_run(run, pipe.t_end)
    if capacity == 3:  # the queue path of the SimPy model was exercised
        assert (pipe.per_year["service_waited"] > 0).any()
    # the flows count exactly the projects whose statistics date falls in each year
    for d, run in enumerate(trace):
        t4 = run["times"][run["kind"] == INCREMENTAL, STATISTICS]
        years = np.floor(t4[np.isfinite(t4)]).astype(int)
        counts = [np.sum(years == y) for y in pipe.years]
        assert counts == pipe.flows["projects_entering_statistics"][d].tolist()


stage = st.integers(-1, 3)
dates = st.tuples(st.integers(2023, 2031), st.integers(1, 12))  # around the projection 2026-2028


@st.composite
def small_lists(draw):
    n = draw(st.integers(1, 8))
    rows = []
    for _ in range(n):
        kind = draw(st.sampled_from([INCREMENTAL, RENOVATION]))
        s = draw(stage if kind == INCREMENTAL else st.integers(-1, 2))
        a, b = sorted([decimal_year(*draw(dates)), decimal_year(*draw(dates))])
        rows.append((kind, s, a, b, draw(st.floats(0.0, 30.0))))
    return make_list(rows)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(projects=small_lists(), slip=st.floats(0.0, 1.5), stall=st.floats(0.0, 0.5), capacity=st.integers(1, 4),
       speedup=st.floats(0.0, 0.8), new=st.integers(0, 6))
def test_invariants_hold_for_any_small_list(calibration, projects, slip, stall, capacity, speedup, new):
    trace = []
    scen = quiet(project_schedule_slip=slip, project_stall_probability=stall, service_capacity=capacity,
                 service_speedup=speedup, incremental_projects=new, renovation_projects_completed=5,
                 service_output_threshold=0.0)
    pipe = pipeline(calibration, projects, scen, draws=2, horizon=2028, trace=trace)
    for run in trace:
        check_run(run, pipe.t_end)
    # renovation projects never enter statistics (NaN: no such stage)
    assert np.isnan(pipe.list_times[:, projects.kind == RENOVATION, STATISTICS]).all()
