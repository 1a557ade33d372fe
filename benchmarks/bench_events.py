"""Benchmark of the event engine (issue #4, point 6).

Prints the median wall time of 1,000 event-engine runs (draws) of the shipped
illustrative project list on the baseline scenario to 2030, its ratio to the
vectorised engine on the same scenario and draws, and where the time goes
(the SimPy pipeline itself, the annual accounting, the per-project tables).
Calibration and reading the list are done once beforehand (the CLI and the app
do them once too).

Goal: 1,000 runs < 20 s on this machine (2 cores, shared: timings are noisy).
Run: .venv/bin/python benchmarks/bench_events.py [--repeats N] [--draws N]
"""

from __future__ import annotations

import argparse
import statistics

import numpy as np
from timing import timed as _timed

from growthsim.calibration.fit import calibrate, read_reported
from growthsim.pipeline_report import project_table, summary_table
from growthsim.project_list import read_project_list
from growthsim.simulation.events import project_events, run_pipeline
from growthsim.simulation.model import project, sample_inputs
from growthsim.simulation.scenario import baseline


def timed(fn, repeats: int) -> list[float]:
    return _timed(fn, repeats, warmup=False)  # each run takes seconds: no warm-up

GOAL_SECONDS = 20.0




def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--draws", type=int, default=1000)
    args = ap.parse_args()
    cal = calibrate(read_reported(), np.random.default_rng([20211, 1]))
    projects = read_project_list()
    scen = baseline()
    draws = args.draws
    years = np.arange(cal.base_year + 1, 2026)

    def event():
        return project_events(cal.base, scen, cal.posterior, 2030, draws, np.random.default_rng(7), projects)

    def vector():
        return project(cal.base, scen, cal.posterior, 2030, draws, np.random.default_rng(7))

    inputs = sample_inputs(scen, cal.posterior, years, draws, np.random.default_rng(7))
    project_events(cal.base, scen, cal.posterior, 2030, 20, np.random.default_rng(7), projects)  # warm-up
    vector()
    ev_times = timed(event, args.repeats)
    tight = scen.with_values(service_capacity=30)
    tight_times = timed(lambda: project_events(cal.base, tight, cal.posterior, 2030, draws, np.random.default_rng(7),
                                               projects), args.repeats)
    vec_times = timed(vector, max(args.repeats, 21))
    pipe_times = timed(lambda: run_pipeline(projects, cal.base, inputs, years, np.random.default_rng(8)),
                       args.repeats)
    proj, pipe = event()
    table_times = timed(lambda: (project_table(pipe, "baseline"), summary_table(pipe, proj, cal.base, "baseline")),
                        args.repeats)

    ev_med, vec_med = statistics.median(ev_times), statistics.median(vec_times)
    n_list = len(projects)
    queued = int(pipe.per_year["service_waited"].sum())
    print(f"event engine: shipped ILLUSTRATIVE list ({n_list} projects, 示例/虚构), baseline, "
          f"{draws:,} runs to 2030, {args.repeats} repeats")
    print(f"{'what':58s} {'median':>10s} {'min':>10s} {'goal':>8s}")
    rows = [
        (f"event engine, {draws:,} runs (pipeline + accounting)", ev_times, GOAL_SECONDS * draws / 1000),
        (f"  of which the SimPy pipeline ({draws:,} runs)", pipe_times, None),
        ("  with the service capacity binding (30 places, queues)", tight_times, None),
        (f"per-project and pipeline tables ({draws:,} runs)", table_times, None),
        (f"vectorised engine, {draws:,} draws", vec_times, None),
    ]
    for name, times, goal in rows:
        med = statistics.median(times)
        verdict = "" if goal is None else ("met" if med < goal else "MISSED")
        print(f"{name:58s} {med:9.3f}s {min(times):9.3f}s {'' if goal is None else f'{goal:.0f}s':>8s} {verdict}")
    print(f"per run: {ev_med / draws * 1e3:.2f} ms; ratio event / vectorised: {ev_med / vec_med:,.0f}x")
    print(f"service queue events in the timed runs: {queued} (capacity {pipe.params.capacity}; "
          f"mean requests a year {pipe.per_year['service_requests'].mean():.0f})")


if __name__ == "__main__":
    main()
