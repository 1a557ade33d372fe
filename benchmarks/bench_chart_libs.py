"""Time to the first chart in a new browser: Plotly against Vega-Lite in an otherwise empty Streamlit app.

Why: on the projections page the first headline chart appears seconds after the scorecard, while the browser
runs Plotly's 4.7 MB bundle (README, ``make bench-app``). This measures what another chart library would
give, on the smallest app that shows it: one card and three charts of three points each.

Run: ``.venv/bin/python benchmarks/bench_chart_libs.py [--sessions 7]``. The server is pinned to CPU 0 and
Chromium to CPU 1, as in ``bench_app.py``; each session is a new browser context (nothing cached), timed from
navigation start to the first animation frame with three drawn charts. Prints the median per library.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
from pathlib import Path

from playwright.async_api import async_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_app as B  # noqa: E402  (the same server start and browser settings)

from growthsim.app import serve  # noqa: E402

HEAD = """import streamlit as st
st.set_page_config(layout="wide")
with st.container(key="gs_card_amber_floor"):
    st.markdown("**42%** 示例 / illustrative")
"""
APPS = {
    "plotly": HEAD + """import plotly.graph_objects as go
for i in range(3):
    st.plotly_chart(go.Figure(go.Scatter(x=[1, 2, 3], y=[1, 3, 2])), key=f"p{i}")
""",
    "vega-lite (st.line_chart)": HEAD + """import pandas as pd
df = pd.DataFrame({"x": [1, 2, 3], "y": [1, 3, 2]})
for i in range(3):
    st.line_chart(df, x="x", y="y")
""",
}
# the first frame with three charts drawn: Plotly's SVG, or Vega's canvas/SVG
DRAWN = ("() => document.querySelectorAll('.js-plotly-plot .main-svg, [data-testid=stVegaLiteChart] canvas, "
         "[data-testid=stVegaLiteChart] svg').length >= 3 ? performance.now() : 0")


async def time_app(browser, source: str, sessions: int) -> list[float]:
    with tempfile.TemporaryDirectory() as tmp:
        app = Path(tmp) / "app.py"
        app.write_text(source, encoding="utf-8")
        port = serve.free_port()
        server = B.start_server(port, tmp, {0}, app=str(app))
        try:
            url = f"http://127.0.0.1:{port}/"
            times = []
            for i in range(sessions + 1):  # the first session warms the server
                context = await browser.new_context(viewport={"width": 1440, "height": 900})
                page = await context.new_page()
                page.set_default_timeout(120_000)
                await page.goto(url, wait_until="commit")
                ms = await (await page.wait_for_function(DRAWN, polling="raf")).json_value()
                await context.close()
                if i:
                    times.append(float(ms))
            return times
        finally:
            serve.stop(server)


async def main_async(sessions: int) -> None:
    cpus = os.sched_getaffinity(0)
    if len(cpus) > 1:
        os.sched_setaffinity(0, {1})
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=B.CHROMIUM, args=B.ARGS)
        try:
            for name, source in APPS.items():
                t = await time_app(browser, source, sessions)
                print(f"{name}: navigation -> three charts drawn, new browser, median {statistics.median(t):.0f} ms "
                      f"(min {min(t):.0f}, {len(t)} sessions)")
        finally:
            await browser.close()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sessions", type=int, default=7, help="new-browser sessions timed per library")
    args = ap.parse_args()
    print(f"load average {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    asyncio.run(main_async(max(1, min(args.sessions, 30))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
