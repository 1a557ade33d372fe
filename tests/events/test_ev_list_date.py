"""A list dated after the first projected year (# as_of: 2028; the projection starts in 2026).

The years before it come from the levers, the list takes over from its date, and nothing is counted twice.

The list is the engine's own steady-state library on 1 January 2028 (the generator of the illustrative
list, run for that date); with renovation investment flat, the pipeline then stays in its steady state
in every year: 207 renovation projects completed out of 662 rolling, 60 projects entering statistics (the
lever's registry default; the pipeline runs with the annual engine's landing factors at 1).
"""

from __future__ import annotations

import math

import numpy as np
from ev_helpers import pipeline

from growthsim.illustrative import csv_text, generate
from growthsim.project_list import parse_project_list
from growthsim.simulation.scenario import baseline

K = 4.0  # standard errors (see test_ev_agreement)


def test_a_later_list_takes_over_at_its_date(calibration):
    capacity = calibration.posterior.default("project_full_capacity_output")
    projects = parse_project_list(csv_text(generate(capacity, as_of=2028), capacity, as_of=2028), "list2028.csv")
    assert projects.as_of == 2028.0
    draws = 200
    pipe = pipeline(calibration, projects, baseline().with_values(tech_renovation_investment_growth=0.0),
                    draws=draws)
    py = pipe.per_year
    k = 2028 - 2026
    # before the list's date every entry is generated; from it on the list delivers
    assert (py["entries_listed"][:, :k] == 0).all() and py["entries_listed"][:, k].mean() > 50
    entries = pipe.flows["projects_entering_statistics"]
    for j in range(len(pipe.years)):
        se = entries[:, j].std(ddof=1) / math.sqrt(draws)
        # the list's own sampling adds about a project a year (see test_ev_calibration): 2 on top of K SE
        assert abs(entries[:, j].mean() - 60.0) <= K * se + 2.0, (pipe.years[j], entries[:, j].mean())
    # the renovation library is counted once in every year, before and after the list's date
    ratio = py["renovation_completed"] / py["renovation_rolling"]
    for j in range(len(pipe.years)):
        se = ratio[:, j].std(ddof=1) / math.sqrt(draws)
        assert abs(ratio[:, j].mean() - 207 / 662) <= K * se + 0.03 * 207 / 662
        assert abs(py["renovation_rolling"][:, j].mean() - 662) <= 0.05 * 662  # 662 rolling (001), 5 %
    # listed incremental projects' completions before the list's date are not known: reported as such
    assert np.isnan(py["incremental_completed"][:, :k]).all() and np.isfinite(py["incremental_completed"][:, k:]).all()
