"""目标测算 speed: the ladder, a Shapley attribution, and the page answering a changed candidate.

Each goal (on this 2-core machine) is timed beside a reference measured in the same run:

1. the ladder of every target-bearing indicator and year 2026–2030 under one scenario, 2,000 draws, the
   projection included (goal < 1 s); reference: the plain projection alone (``simulation.model.project``), the
   cost any ladder pays;
2. a Shapley attribution over six groups (baseline -> downside: four lever groups and two uncertainty groups,
   64 coalitions, common random numbers), 2,000 draws (goal < 3 s); reference: the same 64 coalitions
   projected one by one (64 plain projections to the target year), which gives the same numbers;
3. the 目标测算 page answering a changed candidate (goal < 1 s): (a) what a change costs the page's
   computation at its default 1,000 draws, the scenario's projection cached — the candidate's probability and
   rung, its curve, the package's least intensity and the gap's Shapley waterfall; (b) the whole page rerun in
   Streamlit's AppTest after a candidate is added (the app's shell included); reference: the page rerun with
   nothing changed.

Run: ``.venv/bin/python benchmarks/bench_targets.py``. Medians of repeated runs; the machine is shared.
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import timed  # noqa: E402


def _ms(times: list[float]) -> str:
    return f"median {statistics.median(times) * 1000:.0f} ms (min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f})"


def bench_ladder(cal) -> None:
    from growthsim.calibration.targets import targets
    from growthsim.simulation.model import project
    from growthsim.simulation.scenario import baseline
    from growthsim.target_setting import ladder_frame, ladder_indicators, projection

    ids = ladder_indicators(targets())

    def ladder():
        return ladder_frame(projection(cal, baseline(), 2030, 2000, 20211), ids)

    def reference():
        return project(cal.base, baseline(), cal.posterior, 2030, 2000, np.random.default_rng(20211))

    frame = ladder()
    print(f"1. ladder, {len(ids)} indicators x 2026-2030 = {len(frame)} rows, 2,000 draws: {_ms(timed(ladder, 15))}"
          f"  [goal < 1 s]")
    print(f"   reference, the plain projection alone: {_ms(timed(reference, 15))}")


def bench_shapley(cal) -> None:
    from growthsim.scenario_files import load_scenario
    from growthsim.simulation.attribution import coalition_masks, coalition_paths, players_between
    from growthsim.simulation.measures import Measure
    from growthsim.simulation.model import project
    from growthsim.simulation.scenario import baseline
    from growthsim.target_setting import attribute

    a, b = baseline(), load_scenario("downside", first_year=cal.base_year + 1)
    m = Measure("mfg_va_share_gdp", 2030, kind="share")
    att = attribute(cal, a, b, m, 2000, 20211)
    n = len(att.players)

    def stacked():
        return attribute(cal, a, b, m, 2000, 20211)

    years = np.arange(cal.base_year + 1, 2031)
    players = players_between(a, b, cal.posterior, years)
    paths = coalition_paths(players, a, b, cal.posterior, years)
    coalitions = [a.with_values(**{pid: {int(y): float(v) for y, v in zip(years, p[k], strict=True)}
                                   for pid, p in paths.items()}) for k in range(len(coalition_masks(n)))]

    def one_by_one():
        return [float(np.median(project(cal.base, s, cal.posterior, 2030, 2000,
                                        np.random.default_rng(20211)).at(m.indicator, 2030))) for s in coalitions]

    same = np.allclose(one_by_one(), att.coalition_values, rtol=0, atol=1e-9)
    print(f"2. Shapley, {n} groups ({2 ** n} coalitions), 2,000 draws: {_ms(timed(stacked, 5))}  [goal < 3 s]")
    print(f"   reference, the {2 ** n} coalitions projected one by one (same numbers: {same}): "
          f"{_ms(timed(one_by_one, 3))}")


def bench_candidate(cal) -> None:
    from growthsim.candidates import resolve_one
    from growthsim.scenario_files import load_scenario
    from growthsim.simulation.scenario import baseline
    from growthsim.target_setting import exceedance_frame, gap_to_target, projection, seek_package, target_frame

    proj = projection(cal, baseline(), 2030, 1000, 20211)   # cached by the page
    pkg = load_scenario("intensified", first_year=cal.base_year + 1)
    values = iter(np.arange(26.0, 29.0, 0.1))

    def change():
        t = resolve_one(f"mfg_va_share_gdp@2030>={next(values):.1f}", cal.base_year + 1, 2030)
        target_frame(proj, [t])
        exceedance_frame(proj, t.reads)
        seek_package(cal, baseline(), pkg, [t], 0.8, 1000, 20211)
        gap_to_target(cal, baseline(), pkg, t, 1000, 20211)

    print(f"3a. a changed candidate, the page's computation (1,000 draws): {_ms(timed(change, 10))}  [goal < 1 s]")


def bench_page() -> None:
    sys.path.insert(0, str(ROOT / "tests" / "app"))
    from app_testkit import new_app

    at = new_app({"page": "targets", "m_tg": "mfg_va_share_gdp@2030>=27"})
    at.run()
    values = iter(range(6000, 7000, 10))

    def rerun():
        at.run()

    def changed():
        at.number_input(key="tg_add_value").set_value(float(next(values)))
        at.button(key="tg_add").click()
        at.run()

    print(f"3b. the page rerun after a candidate is added (AppTest): {_ms(timed(changed, 8))}  [goal < 1 s]")
    print(f"    reference, the page rerun with nothing changed: {_ms(timed(rerun, 8))}")


def main() -> None:
    import growthsim

    cal = growthsim.calibrate()
    bench_ladder(cal)
    bench_shapley(cal)
    bench_candidate(cal)
    bench_page()


if __name__ == "__main__":
    main()
