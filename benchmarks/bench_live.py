"""The live lever preview (app/live.py): what its grid costs the server, and how far its interpolation strays.

    .venv/bin/python benchmarks/bench_live.py [--repeats 5] [--draws 1000] [--browser 15]

Prints, for each lever a preview can drag, with the baseline's other values (the default city pack, seed 20211):

- the median time to run its grid (growthsim.live.lever_grid: GRID_POINTS runs of the three headline
  indicators), beside the reference measured in the same run: one scenario's run as the app's page makes it
  (``runner.run(desk=False)``, the projection and target tables of every indicator);
- the preview's largest error: at the midpoint between each pair of neighbouring grid values, the exact run
  against the linear interpolation the chart draws, for each headline indicator in the last year, as a share of
  the exact 80 % band's width there (P10-P90) — 0.1 means the preview's median was off by a tenth of the band.

With ``--browser N`` it also serves the app (as ``make app``), opens it in Chromium, turns the preview on and
times, in the page, N drag steps of the preview's slider (an input event to the chart's new value drawn) beside N
steps of the same lever's slider in the sidebar (a key press to the page's firm chart redrawn: the server's
round trip), alternated, and prints both medians.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from timing import timed  # noqa: E402


def _exact_at(cal, lever: str, value: float, indicators: list[str], draws: int, seed: int, horizon: int):
    import numpy as np

    from growthsim.simulation.model import project
    from growthsim.simulation.scenario import Scenario
    from growthsim.simulation.summary import summarise

    proj = project(cal.base, Scenario("exact", "", "", values={lever: value}), cal.posterior, horizon, draws,
                   np.random.default_rng(seed))
    return summarise(proj, indicators)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--draws", type=int, default=1000)
    parser.add_argument("--browser", type=int, default=0, help="drag steps to time in Chromium (0: none)")
    args = parser.parse_args()
    if args.browser:
        browser_steps(args.browser)
    from growthsim.app.live import offered_levers
    from growthsim.live import GRID_POINTS, lever_grid
    from growthsim.runner import RunSettings, load_calibration, run
    from growthsim.settings import DEFAULT_HORIZON, DEFAULT_SEED
    from growthsim.simulation.indicators import shown_in
    from growthsim.simulation.scenario import Scenario

    seed, horizon, draws = DEFAULT_SEED, DEFAULT_HORIZON, args.draws
    cal = load_calibration(RunSettings(seed=seed))
    headline = shown_in("headline")
    settings = RunSettings(draws=draws, seed=seed, horizon=horizon)
    ref = timed(lambda: run([Scenario("ref", "", "")], settings, cal, desk=False), args.repeats)
    print(f"reference: one scenario's run for the page, {draws} draws: median {statistics.median(ref) * 1e3:.0f} ms")
    print(f"grid: {GRID_POINTS} runs of {', '.join(headline)}")
    print(f"{'lever':34s} {'grid ms':>8s} {'x ref':>6s} {'worst midpoint error / band':>28s}")
    for lever in offered_levers({}):
        grid = lever_grid(cal, {}, lever, headline, draws=draws, seed=seed, horizon=horizon)
        times = timed(lambda lv=lever: lever_grid(cal, {}, lv, headline, draws=draws, seed=seed, horizon=horizon),
                      args.repeats, warmup=False)
        err = _worst_error(cal, lever, grid, headline, draws, seed, horizon)
        med = statistics.median(times)
        print(f"{lever:34s} {med * 1e3:8.0f} {med / statistics.median(ref):6.1f} {err:28.3f}")


def _worst_error(cal, lever: str, grid, indicators: list[str], draws: int, seed: int, horizon: int) -> float:
    """The largest |interpolated - exact| median over the exact band's width, at every midpoint and indicator."""
    from growthsim.live import interpolate
    from growthsim.simulation.registry import parameters

    p = parameters()[lever]
    worst = 0.0
    for a, b in zip(grid.values, grid.values[1:], strict=False):
        mid = p.lower + round(((a + b) / 2 - p.lower) / p.step) * p.step
        if mid in (a, b):
            continue
        exact = _exact_at(cal, lever, mid, indicators, draws, seed, horizon)
        for ind in indicators:
            e = exact[(exact.indicator == ind) & (exact.year == horizon)].iloc[0]
            i = interpolate(grid, ind, mid)
            width = float(e.p90 - e.p10)
            if width > 0:
                worst = max(worst, abs(float(i[i.year == horizon].p50.iloc[0]) - float(e.p50)) / width)
    return worst


FOLLOW_JS = """async (v) => {
  const input = document.querySelector("input[name='gs_live']");
  const chart = input.closest('.stVegaLiteChart');
  const words = () => [...chart.querySelectorAll('svg text')].map(t => t.textContent).join('|');
  const before = words();
  const t0 = performance.now();
  input.value = v;
  input.dispatchEvent(new Event('input', {bubbles: true}));
  while (words() === before) { await new Promise(r => requestAnimationFrame(r)); }
  return performance.now() - t0;
}"""


def browser_steps(steps: int) -> None:
    """Time the preview's drag steps beside the sidebar slider's steps, in Chromium (see the module's doc)."""
    import subprocess
    import time

    from playwright.sync_api import sync_playwright

    from growthsim.app import serve
    from growthsim.app.i18n import t

    port = serve.free_port()
    proc = subprocess.Popen(serve.command(port), cwd=ROOT, env=serve.environment(), stdout=subprocess.DEVNULL,
                            stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    alt = ("() => [...document.querySelectorAll(\"[class*='st-key-alt_chart_above_scale_firms']\")]"
           ".map(c => c.textContent).join()")
    try:
        serve.wait_healthy(url, proc)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium")
            pg = browser.new_page(viewport={"width": 1440, "height": 900})
            pg.goto(url)
            pg.wait_for_selector("[data-testid='stVegaLiteChart'] svg", timeout=120_000)
            pg.locator("label", has_text=t("live_toggle", "zh")).first.click()
            pg.wait_for_selector("input[name='gs_live']", timeout=120_000)
            time.sleep(2)
            follow, server = [], []
            for k in range(steps):
                follow.append(pg.evaluate(FOLLOW_JS, 130 + 37 * k) / 1000)
                before = pg.evaluate(alt)
                pg.locator(".st-key-w_upgrade_target input[type=range]").focus()
                t0 = time.perf_counter()
                pg.keyboard.press("ArrowRight" if k % 2 == 0 else "ArrowLeft")
                while pg.evaluate(alt) == before:
                    time.sleep(0.01)
                server.append(time.perf_counter() - t0)
                time.sleep(0.5)
            browser.close()
    finally:
        serve.stop(proc)
    print(f"browser, {steps} steps each: preview drag step median {statistics.median(follow) * 1e3:.0f} ms; "
          f"sidebar slider step (server round trip) median {statistics.median(server) * 1e3:.0f} ms; "
          f"ratio {statistics.median(server) / statistics.median(follow):.1f}x")


if __name__ == "__main__":
    main()
