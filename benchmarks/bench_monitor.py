"""年内监测 update speed: one edit of the monthly table -> every target of the year recomputed.

Two timings, each the median of repeated runs:

1. the update itself (what the page does after an edit): validate the edited table,
   build the report for every target (probability, pace, history, paths), the summary
   table and the charts' figures; the priors are cached as in the app;
2. the whole 年内监测 page rerun in Streamlit's AppTest (the app's shell included).

Target: under 200 ms for (1). Run: ``.venv/bin/python benchmarks/bench_monitor.py``.
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import timed  # noqa: E402


def main() -> None:
    from growthsim.app.page_monitoring import _frame, history_figure, path_figure
    from growthsim.calibration.monitoring_data import find_monthly
    from growthsim.monitor import GROWTH, annual_prior, build_report, edited_data, load_bundle
    from growthsim.monitor_export import summary_table

    bundle = load_bundle()
    for year, region in ((2021, "xihaian"), (2021, "qingdao"), (2024, "qingdao")):
        base = find_monthly(bundle.datasets, year, region)
        priors = {GROWTH: annual_prior(year, GROWTH), "firm_upgrades": annual_prior(year, "firm_upgrades"),
                  "projects_entering_statistics": annual_prior(year, "projects_entering_statistics")}
        frame = _frame(base)
        frame.loc[frame.index[0], "value"] = float(frame.loc[frame.index[0], "value"]) + 0.3  # one edit

        def update(frame=frame, base=base, year=year, region=region, priors=priors):
            data = edited_data(frame, base, year, region, bundle.regions)
            rep = build_report(bundle, year, region, data, priors)
            summary_table(rep, "zh")
            names = {r["target_id"]: r["target_zh"] for r in rep.rows}
            for tid, p in rep.paths.items():
                path_figure(p, names[tid], "zh", rep.illustrative)
            history_figure(rep.history_frame(), names, "zh", rep.illustrative)
            return rep

        rep = update()
        times = timed(update, 30)
        print(f"update {region} {year} ({len(rep.rows)} targets): median {statistics.median(times) * 1000:.1f} ms "
              f"(min {min(times) * 1000:.1f}, max {max(times) * 1000:.1f})")

    sys.path.insert(0, str(ROOT / "tests" / "app"))
    from app_testkit import new_app

    at = new_app({"page": "monitoring", "m_region": "xihaian", "m_year": "2021"})
    at.run()

    def rerun():
        at.run()
        assert not at.exception

    times = timed(rerun, 10)
    print(f"page rerun in AppTest (whole app): median {statistics.median(times) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
