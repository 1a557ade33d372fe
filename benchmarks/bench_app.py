"""Benchmark the running app in a real browser: first pages, slider changes, concurrent sessions.

    .venv/bin/python benchmarks/bench_app.py [--draws 1000] [--changes 25] [--levels 1,5,10,15,20,25,30]
                                             [--think 3,7] [--level-changes 6] [--views full,scorecard]
                                             [--load ws|browsers] [--first-pages 5] [--first-pages-only]
                                             [--floor | --no-floor] [--pin | --no-pin] [--pages-only]
                                             [--sens-opens 5]

Starts the app as ``make app`` does (app/serve.py) on a free loopback port and
drives it with Playwright (Debian's Chromium, one browser process, one context
per session). Each measured change is timed in the page itself, from the key
press that moves the 小升规目标 slider one step:

- ``full`` view: to the first animation frame after the firm-count chart's
  plotted values (Plotly's ``gd.data``) have changed, i.e. the curve redrawn;
- ``scorecard`` view: to the moment the scorecard table's text has changed (a
  MutationObserver reading ``textContent``, which forces no layout).

Either includes Streamlit's handling of the slider, the script rerun, the
model run (1,000 draws by default) and the browser's update.

1. First page of a later session (``--first-pages N``, default 5): after the
   server's first session has run (the calibration and the default
   projections are then in the server-wide caches, st.cache_resource /
   st.cache_data), N new sessions open the projections page one after
   another, first each in a new browser context (nothing cached: Streamlit's
   ~8 MB of script is fetched again), then each in a new tab of one context
   (the browser's HTTP cache holds it, as for a planner's later visits). Each
   is timed from the navigation start to the first frame that has the compact
   scorecard's cards, checked in the page before every frame is painted
   (``requestAnimationFrame``; goal: under 1.5 s). It also prints when the
   driver could next talk to the page: later when the page's main thread is
   busy (running Plotly's bundle) after the cards are on the screen.
   ``--floor`` (default on) times an app of one card and nothing else (no
   sidebar, no charts) the same way: Streamlit's own first paint on this
   machine, the floor under any app. ``--first-pages-only`` stops there.
2. One session makes ``--changes`` changes: median and p90 (goal: median
   under 500 ms with 1,000 draws).
3. Concurrency: for each level N, N sessions work at the same time; each
   changes the slider, waits for the result and reads it for ``--think``
   seconds (uniform; default 3–7 s, a planner looking at the scorecard and
   charts; use ``--think 0.5,1.5`` for a stress pace). It prints the median per
   level and the largest N whose median stays under 1 s (goal: at least 20
   with the full view), stopping at the first level over 1 s.

How the load is generated (``--load``):

- ``ws`` (default): at each level one session is a Chromium page, timed as
  above (what a planner sees), and the other N-1 are driven at the websocket
  level (:class:`WsSession`): each connects to Streamlit's websocket
  (``/_stcore/stream``) as a page does, asks for the first run with its own
  query string, and for each change sends the same rerun request a browser
  sends when the slider moves one step. The server does all the work of N
  sessions (every run, model and chart built and sent); only the drawing of
  N-1 pages is left out, which on planners' computers happens on their own
  CPUs, not the server's. Their own column is the time from the request to
  the server's "script finished" message (all elements received).
- ``browsers``: every session is a page of one Chromium, each its own browser
  context (own cookies and websocket), with Chromium's renderer processes
  capped at ``--renderers`` (default 4, ``--renderer-process-limit``) so
  several pages share a renderer. On two CPUs this measures the browsers:
  drawing a change of the full view costs Chromium ~0.7 s of CPU against
  ~0.15 s for the server, so ten pages saturate the client CPU.

Views (``--views``), both real pages a user sees:

- ``full``: the projections page as it opens (scorecard and the four headline
  charts);
- ``scorecard``: the same page after the session clicks 显示指标 → 不显示图表
  ("No charts"), the app's own choice for a slow computer or a busy server.
  The figures are then neither built by the server nor drawn by the browser.

Method (``--pin``, the default on a machine with 2 or more CPUs): the server
is pinned to CPU 0 and this script, Playwright's driver and Chromium to the
other CPUs (``sched_setaffinity``, as ``taskset`` does), so the test clients
cannot starve the server of CPU; the output prints the CPU sets and, per
level, how busy the server's and the clients' CPUs were (the websocket
sessions run in this script, so they count as clients). With ``--no-pin``
everything shares every CPU.

Every change is a new scenario (each session moves its slider from its own
starting value, each level uses its own seed), so no answer comes from the
cache. Loops are bounded; only 127.0.0.1 is contacted. Not part of
``make test``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.async_api import async_playwright

from growthsim.app import serve
from growthsim.app.style import PICTURE_KEY

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
SLIDER = ".st-key-w_upgrade_target input[type=range]"
TABLE = "[data-testid='stTable']"
CARDS = "[class*='st-key-gs_card_']"  # a compact-scorecard card: a container keyed gs_card_<colour>_<target>
CHANGE_TIMEOUT_MS = 30_000
IDLE = "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"  # no rerun under way
NO_CHARTS = ".st-key-charts_which button"
VIEWS = ("full", "scorecard")

# Arms a one-shot measurement: the time from the next keydown to the scorecard's text changing.
ARM = """(table) => { window.__gsDone = new Promise((resolve) => {
  const before = document.querySelector(table).textContent;
  let t0 = null;
  document.addEventListener('keydown', () => { if (t0 === null) t0 = performance.now(); }, {capture: true, once: true});
  const timer = setTimeout(() => { obs.disconnect(); resolve(-1); }, __TIMEOUT_MS__);
  const obs = new MutationObserver(() => {
    const now = document.querySelector(table);
    if (t0 !== null && now && now.textContent !== before) {
      clearTimeout(timer); obs.disconnect(); resolve(performance.now() - t0);
    }
  });
  obs.observe(document.body, {subtree: true, childList: true, characterData: true});
}); }""".replace("__TIMEOUT_MS__", str(CHANGE_TIMEOUT_MS))


# Arms a one-shot measurement: the time from the next keydown to the first frame (requestAnimationFrame) after the
# firm-count chart's drawn lines have changed (the SVG paths Vega draws): the curve redrawn, not only the table.
# The chart is found by its text alternative (aria-label), which starts with the indicator's name.
FIRMS_TITLE = "规模以上工业企业数量"
CHART = "[data-testid=stVegaLiteChart]"
ARM_CHART = """(title) => { window.__gsChart = new Promise((resolve) => {
  const chart = () => [...document.querySelectorAll('__CHART__')].find(
    c => (c.getAttribute('aria-label') || '').startsWith(title));
  const values = () => { const c = chart(); const p = c && [...c.querySelectorAll('svg .mark-line path')];
    return p && p.length ? p.map(x => x.getAttribute('d')).join('|') : null; };
  const before = values();
  let t0 = null, done = false;
  document.addEventListener('keydown', () => { if (t0 === null) t0 = performance.now(); }, {capture: true, once: true});
  const timer = setTimeout(() => { obs.disconnect(); resolve(-1); }, __TIMEOUT_MS__);
  const obs = new MutationObserver(() => {
    if (done || t0 === null) return;
    const now = values();
    if (now !== null && now !== before) {
      done = true; clearTimeout(timer); obs.disconnect();
      requestAnimationFrame(() => resolve(performance.now() - t0));
    }
  });
  obs.observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true});
}); }""".replace("__TIMEOUT_MS__", str(CHANGE_TIMEOUT_MS)).replace("__CHART__", CHART)

# Arms a one-shot measurement of a page switch: from the click on the page's name in the sidebar to the first frame
# in which the new page's heading (if it is given one) and a chart of the new page are both on the screen, drawn by
# Vega or as its stand-in picture (app/ui.py::kept_picture, decoded and shown: a page switch shows the pictures kept
# for what the page's charts show); and to the first frame with a chart of the new page drawn by Vega (tooltips).
# Checked in each animation frame, before it is painted.
ARM_SWITCH = """(heading) => { window.__gsSwitch = new Promise((resolve) => {
  const oldCharts = new Set(document.querySelectorAll('__CHART__ svg'));
  const oldPictures = new Set(document.querySelectorAll("__PICTURE__ img"));
  const t = {}; let t0 = null, done = false;
  document.addEventListener('click', () => { if (t0 === null) t0 = performance.now(); }, {capture: true, once: true});
  const timer = setTimeout(() => { done = true; resolve({first: -1, vega: -1}); }, __TIMEOUT_MS__);
  const headed = () => !heading || [...document.querySelectorAll('h3')].some(h => h.textContent.includes(heading));
  const vega = () => [...document.querySelectorAll('__CHART__ svg')].some(s => !oldCharts.has(s)
                                                             && s.querySelector('.mark-line path, .mark-rect path'));
  const picture = () => [...document.querySelectorAll("__PICTURE__ img")].some(i => !oldPictures.has(i)
                                                             && i.complete && i.naturalWidth > 0 && i.offsetWidth > 0);
  const frame = () => {
    if (done) return;
    if (t0 !== null && headed()) {
      const now = performance.now();
      if (t.vega === undefined && vega()) t.vega = now - t0;
      if (t.first === undefined && (t.vega !== undefined || picture())) t.first = now - t0;
    }
    if (t.vega !== undefined) { done = true; clearTimeout(timer); resolve(t); return; }
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}); }""".replace("__TIMEOUT_MS__", str(CHANGE_TIMEOUT_MS)).replace("__CHART__", CHART).replace(
    "__PICTURE__", f"[class*='st-key-{PICTURE_KEY}']")


def start_server(port: int, saved: str, cpus: set[int] | None = None, app: str | None = None) -> subprocess.Popen:
    pin = (lambda: os.sched_setaffinity(0, cpus)) if cpus else None
    cmd = serve.command(port)
    if app:  # another script served the same way (the floor measurement)
        cmd[cmd.index("app/main.py")] = app
    proc = subprocess.Popen(cmd, cwd=ROOT, env=serve.environment(GROWTHSIM_SAVED_DIR=saved),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=pin)
    try:
        serve.wait_healthy(f"http://127.0.0.1:{port}", proc)
    except (RuntimeError, TimeoutError):
        serve.stop(proc)
        raise
    return proc


RECEIVED: dict[int, list[int]] = {}  # id(page) -> [bytes its websocket has received]


def received(page) -> int:
    """The bytes the page's websocket has received from the server so far (Streamlit's messages)."""
    return RECEIVED.get(id(page), [0])[0]


async def open_session(browser, url: str, view: str = "full"):
    context = await browser.new_context(viewport={"width": 1400, "height": 900})
    page = await context.new_page()
    page.set_default_timeout(120_000)
    count = RECEIVED.setdefault(id(page), [0])
    page.on("websocket", lambda ws: ws.on("framereceived", lambda f: count.__setitem__(0, count[0] + len(f))))
    await page.goto(url)
    await page.wait_for_selector(TABLE)
    await page.wait_for_function(IDLE, polling=100)
    if view == "scorecard":  # the user's own choice on the page: 显示指标 -> 不显示图表
        await page.locator(NO_CHARTS, has_text="不显示图表").click()
        await page.wait_for_function(f"() => !document.querySelector('{CHART}')", polling=100)
        await page.wait_for_function(IDLE, polling=100)
    await page.wait_for_timeout(500)
    await page.locator(SLIDER).focus()
    return context, page


# Checked in each animation frame (requestAnimationFrame, just before the frame is painted): the time of the
# first frame that has a scorecard card, read in the page itself.
DRAWN = f"() => document.querySelector(\"{CARDS}\") ? performance.now() : 0"
# The same for the headline charts: the first frame with the first of them on the screen, as Vega's drawing (a line
# in its SVG) or as its stand-in picture (app/ui.py::kept_picture: the same chart drawn on the server, decoded and
# shown); then the first frame with all three drawn by Vega in the browser (tooltips and all).
# a chart's stand-in picture (app/ui.py::kept_picture) decoded and shown: a JavaScript expression
PICTURE_SHOWN = (f"[...document.querySelectorAll(\"[class*='st-key-{PICTURE_KEY}'] img\")]"
                 ".some(i => i.complete && i.naturalWidth > 0 && i.offsetWidth > 0)")
FIRST_CHART = (f"() => (document.querySelector('{CHART} svg .mark-line path') || {PICTURE_SHOWN}) "
               "? performance.now() : 0")
CHARTS_DRAWN = f"() => document.querySelectorAll('{CHART} svg .mark-line').length >= 3 ? performance.now() : 0"
# Run by the page from its start (an init script): each frame, before it is painted, records the first time each of
# the above held, until all three have (the one-card floor app never draws a chart: its loop runs until it closes).
RECORD = f"""(() => {{ const t = {{}}; window.__gsTimes = t;
  const checks = {{cards: {DRAWN}, chart: {FIRST_CHART}, charts: {CHARTS_DRAWN}}};
  const frame = () => {{ for (const [k, check] of Object.entries(checks)) if (!t[k]) t[k] = check();
    if (!(t.cards && t.chart && t.charts)) requestAnimationFrame(frame); }};
  requestAnimationFrame(frame); }})()"""


async def first_page_ms(browser, url: str, context=None, charts: bool = False) -> tuple[float, float, float, float]:
    """A new session's first page, in ms from the navigation start: (the first frame with the compact scorecard's
    cards, the moment this script's next call into the page returns, the first frame with a headline chart drawn,
    the first frame with all three drawn); the last two 0 without ``charts``.

    Frames are checked in the page before each is painted (``requestAnimationFrame``), by a script the page runs
    from its start (:data:`RECORD`), so a time is when the frame came, not when the driver next asked: a chart
    drawn with the cards is timed with them even when the page's main thread stays busy after them. The second
    time is when the driver could next talk to the page: later whenever the main thread is busy after the cards.

    Without ``context`` the session opens in a fresh browser context (a browser that has never seen the app:
    the Streamlit bundle is downloaded and parsed again); with one, in a tab of a browser that has (its HTTP
    cache holds the bundle), as a planner's later sessions do.
    """
    own = context is None
    context = context or await browser.new_context(viewport={"width": 1440, "height": 900})
    page = await context.new_page()
    page.set_default_timeout(120_000)
    try:
        await page.add_init_script(RECORD)
        await page.goto(url, wait_until="commit")
        drawn = await (await page.wait_for_function("() => window.__gsTimes && window.__gsTimes.cards")).json_value()
        seen = await page.evaluate("() => performance.now()")
        first = await (await page.wait_for_function("() => window.__gsTimes.chart")).json_value() if charts else 0
        plotted = await (await page.wait_for_function("() => window.__gsTimes.charts")).json_value() if charts else 0
        await page.wait_for_function(IDLE, polling=100)
        return float(drawn), float(seen), float(first), float(plotted)
    finally:
        await (context.close() if own else page.close())


async def first_pages(browser, url: str, n: int, what: str, charts: bool = True) -> dict[str, tuple[float, ...]]:
    """Time ``n`` later sessions' first pages in new browsers, then ``n`` in a browser that has opened the app.

    Returns, by "new" and "returning", the medians of :func:`first_page_ms`'s four times.
    """
    await first_page_ms(browser, url)  # the server's first session fills the caches
    fresh = [await first_page_ms(browser, url, charts=charts) for _ in range(n)]
    returning = await browser.new_context(viewport={"width": 1440, "height": 900})
    try:
        await first_page_ms(browser, url, returning)  # this browser's first visit
        warm = [await first_page_ms(browser, url, returning, charts=charts) for _ in range(n)]
    finally:
        await returning.close()
    out = {}
    for key, how, times in (("new", "a new browser", fresh),
                            ("returning", "a browser that has opened it before (a new tab)", warm)):
        med = tuple(statistics.median(t[i] for t in times) for i in range(4))
        plotted = (f"; first headline chart drawn (Vega's or its picture): median {med[2]:.0f} ms; all three drawn "
                   f"by Vega: {med[3]:.0f} ms" if charts else "")
        print(f"\nfirst page of a later session of {what} in {how}, {len(times)} sessions: navigation -> scorecard "
              f"drawn median {med[0]:.0f} ms, max {max(t[0] for t in times):.0f} ms; the page free to answer the "
              f"driver: median {med[1]:.0f} ms{plotted}")
        out[key] = med
    return out


FLOOR_APP = """import streamlit as st
st.set_page_config(layout="wide")
with st.container(key="gs_card_amber_floor"):
    st.markdown("**42%** 示例 / illustrative")
"""
# Streamlit with one card, a slider, a table, a page choice and three small Vega-Lite line charts (the first one
# named as the app's firm-count chart, following the slider): the floor under the first chart, a slider change
# and a page switch, measured the same way as the app.
FLOOR_CHARTS_APP = """import streamlit as st
st.set_page_config(layout="wide")
page = st.sidebar.radio("页面", ["情景预测", "情景比较"], key="page")
with st.container(key="gs_card_amber_floor"):
    st.markdown("**42%** 示例 / illustrative")
v = st.slider("小升规目标", 0, 1200, 100, key="w_upgrade_target")
st.table({"a": [v]})
if page == "情景比较":
    st.subheader("情景比较")
cols = st.columns(3)
for i, col in enumerate(cols):
    title = ("规模以上工业企业数量" if i == 0 else f"示例 {i}") + ("" if page == "情景预测" else " ·")
    spec = {"description": title, "title": title, "mark": {"type": "line", "point": True}, "height": 270,
            "width": "container", "data": {"values": [{"x": x, "y": v + x * x * (i + 1)} for x in range(10)]},
            "encoding": {"x": {"field": "x", "type": "quantitative"}, "y": {"field": "y", "type": "quantitative"}}}
    with col:
        st.vega_lite_chart(spec, width="stretch", theme=None, key=f"c{i}")
"""


async def floor(browser, args, server_cpus) -> dict[str, object]:
    """Streamlit's floors, timed as the app is: one card alone; and one card with three small charts, a slider
    and a page choice (first chart drawn, a slider change to the chart redrawn, a page switch)."""
    out: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in (("card", FLOOR_APP), ("charts", FLOOR_CHARTS_APP)):
            app = Path(tmp) / f"floor_{name}.py"
            app.write_text(text, encoding="utf-8")
            port = serve.free_port()
            server = start_server(port, tmp, server_cpus, app=str(app))
            try:
                url = f"http://127.0.0.1:{port}/"
                what = ("an empty Streamlit app (one card, no sidebar, no charts: the floor)" if name == "card" else
                        "a small Streamlit app (one card, a slider, three small Vega-Lite charts: the chart floor)")
                out[name] = await first_pages(browser, url, args.first_pages, what, charts=name == "charts")
                if name == "charts":
                    out["slider"], out["switch"] = await floor_interactions(browser, url, args.changes, server.pid)
            finally:
                serve.stop(server)
    return out


async def floor_interactions(browser, url: str, changes: int, server_pid: int) -> tuple[float, float]:
    """The chart floor's slider change (key press -> chart redrawn) and page switch (click -> new chart): medians,
    printed with what each cost the server and the browser."""
    context, page = await open_session(browser, url)
    try:
        await one_change(page, True)
        meter = Cost(server_pid, page)
        slider = await drive(page, changes, random.Random(2), (0.3, 0.6), True)
        slider_cost, meter = meter.per(len(slider)), Cost(server_pid, page)
        switches = [x["first"] for x in await switches_ms(page, 2 * max(3, changes // 5))]
        switch_cost = meter.per(len(switches))
    finally:
        await context.close()
    med_slider, med_switch = summary(slider)[0], summary(switches)[0]
    print(f"\nchart floor: slider change -> chart redrawn median {med_slider:.0f} ms ({cost_text(slider_cost)} a "
          f"change); page switch -> new page's chart median {med_switch:.0f} ms ({cost_text(switch_cost)} a switch)")
    return med_slider, med_switch


class Cost:
    """What a series of interactions cost beyond their wall time: the server's CPU, the browser's CPU (every process
    under this script but the server: Chromium's renderers, GPU and browser processes, Playwright's driver) and the
    bytes the page received, each per interaction."""

    def __init__(self, server_pid: int, page):
        self.server_pid, self.page = server_pid, page
        self.clients = descendants(os.getpid()) - descendants(server_pid) - {server_pid}
        self.s0, self.b0, self.r0 = cpu_seconds([server_pid]), cpu_seconds(self.clients), received(page)

    def per(self, n: int) -> tuple[float, float, float]:
        """(server CPU ms, browser CPU ms, KB received), each per interaction, since the meter started."""
        s, b, r = cpu_seconds([self.server_pid]), cpu_seconds(self.clients), received(self.page)
        return 1000 * (s - self.s0) / n, 1000 * (b - self.b0) / n, (r - self.r0) / 1024 / n


def cost_text(cost: tuple[float, float, float]) -> str:
    return f"server CPU {cost[0]:.0f} ms, browser CPU {cost[1]:.0f} ms, {cost[2]:.0f} KB received"


async def switch_ms(page, label: str, heading: str) -> dict[str, float]:
    """Click a page's name in the sidebar: ms to the first frame with the new page's heading and a chart of the
    new page on the screen (``first``: Vega's or its picture), and to the first with Vega's (``vega``)."""
    await page.evaluate(ARM_SWITCH, heading)
    await page.locator("[data-testid='stSidebar'] label", has_text=label).first.click()
    times = await page.evaluate("() => window.__gsSwitch")
    await page.wait_for_function(IDLE, polling=100)
    return {"first": float(times["first"]), "vega": float(times["vega"])}


async def switches_ms(page, n: int) -> list[dict[str, float]]:
    """``n`` switches 情景比较 <-> 情景预测, from the projections page (:func:`switch_ms` each)."""
    return [await switch_ms(page, "情景比较" if i % 2 == 0 else "情景预测", "情景比较" if i % 2 == 0 else "")
            for i in range(n)]


# the first tornado's bars on the screen: Vega's drawing, or its stand-in picture on a session's first screen
BARS_DRAWN = (f"() => (document.querySelector('{CHART} svg .mark-rect path') || {PICTURE_SHOWN}) "
              "? performance.now() : 0")


async def sensitivity_ms(browser, url: str) -> float:
    """A new session opening the sensitivity page: navigation start -> the first tornado chart's bars drawn (ms)."""
    context = await browser.new_context(viewport={"width": 1440, "height": 900})
    page = await context.new_page()
    page.set_default_timeout(240_000)
    try:
        await page.goto(url, wait_until="commit")
        return float(await (await page.wait_for_function(BARS_DRAWN, polling="raf")).json_value())
    finally:
        await context.close()


async def app_pages(browser, base: str, args, server_pid: int) -> dict[str, float]:
    """The app's page switch (情景预测 <-> 情景比较, click -> the new page's chart drawn, median) and the sensitivity
    page's first open: the server's first (its indices computed, or read from the disk cache) and a later one."""
    url = f"{base}?draws={args.draws}"
    load = os.getloadavg()[0]
    cold = await sensitivity_ms(browser, f"{url}&page=sensitivity")
    later = [await sensitivity_ms(browser, f"{url}&page=sensitivity") for _ in range(args.sens_opens)]
    warm = statistics.median(later)
    print(f"\nsensitivity page, first open in a new browser -> first tornado bars drawn: the server's first "
          f"{cold:.0f} ms; "
          f"{len(later)} later sessions {', '.join(f'{x:.0f}' for x in later)} ms (load average {load:.1f} -> "
          f"{os.getloadavg()[0]:.1f})")
    context, page = await open_session(browser, url)
    try:
        await switches_ms(page, 2)  # warm-up: the compare page's first run fills its cache, its pictures are made
        meter = Cost(server_pid, page)
        timed = await switches_ms(page, 2 * max(3, args.changes // 5))
        cost = meter.per(len(timed))
        changed = []  # a lever step, then a switch there and back: the pictures of what the charts now show are
        for _ in range(3):  # not kept yet (made in the background for the next switch): Vega draws them
            await page.locator(SLIDER).focus()
            await one_change(page)
            changed += await switches_ms(page, 2)
    finally:
        await context.close()
    switches, vega = [x["first"] for x in timed], [x["vega"] for x in timed]
    switch, after_step = summary(switches)[0], summary([x["first"] for x in changed])[0]
    print(f"\nthe app: page switch (情景预测 <-> 情景比较) -> the new page's chart drawn (Vega's or its kept picture): "
          f"median {switch:.0f} ms (p90 {summary(switches)[1]:.0f} ms, {len(switches)} switches; {cost_text(cost)} a "
          f"switch); -> drawn by Vega: median {summary(vega)[0]:.0f} ms; the first switch there and back after a "
          f"lever step (no picture kept yet): median {after_step:.0f} ms ({len(changed)} switches); "
          f"sensitivity page, first open -> tornado drawn: {cold:.0f} ms for the server's first, median {warm:.0f} ms "
          "later")
    return {"switch": switch, "switch_vega": summary(vega)[0], "switch_after_step": after_step,
            "sensitivity_first": cold, "sensitivity_later": warm}


async def one_change(page, chart: bool = False) -> float:
    """One slider step: ms to the updated scorecard, or with ``chart`` to the firm-count chart redrawn."""
    await page.evaluate(ARM, TABLE)
    if chart:
        await page.evaluate(ARM_CHART, FIRMS_TITLE)
    await page.keyboard.press("ArrowRight")
    ms = await page.evaluate("() => window.__gsChart" if chart else "() => window.__gsDone")
    # let the rest of the rerun finish before the next change; poll every 100 ms, not every frame
    await page.wait_for_function(IDLE, polling=100)
    return float(ms)


async def drive(page, changes: int, rng: random.Random, think: tuple[float, float], chart: bool = False) -> list[float]:
    out = []
    for _ in range(changes):
        out.append(await one_change(page, chart))
        await asyncio.sleep(rng.uniform(*think))
    return out


def _proc_stat(pid: int) -> list[str] | None:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()
    except OSError:
        return None


def descendants(root: int) -> set[int]:
    """Every live process below ``root`` (Linux /proc)."""
    parent = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (st := _proc_stat(int(entry))):
            parent[int(entry)] = int(st[1])
    out, frontier = set(), {root}
    while frontier:
        frontier = {pid for pid, pp in parent.items() if pp in frontier} - out
        out |= frontier
    return out


def cpu_seconds(pids) -> float:
    """User + system CPU time of live processes (children that exited are not counted)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        if st := _proc_stat(pid):
            total += (int(st[11]) + int(st[12])) / tick
    return total


def summary(times: list[float]) -> tuple[float, float, int]:
    ok = [t for t in times if t >= 0]
    if not ok:
        return float("nan"), float("nan"), len(times)
    q = statistics.quantiles(ok, n=10)[-1] if len(ok) > 1 else ok[0]
    return statistics.median(ok), q, len(times) - len(ok)


def cpu_sets(pin: bool) -> tuple[set[int] | None, set[int] | None]:
    """(server CPUs, client CPUs): CPU 0 for the server, the rest for the clients; (None, None) unpinned."""
    cpus = sorted(os.sched_getaffinity(0))
    if not pin or len(cpus) < 2:
        return None, None
    return {cpus[0]}, set(cpus[1:])


async def run(args) -> int:
    port = serve.free_port()
    base = f"http://127.0.0.1:{port}/"
    server_cpus, client_cpus = cpu_sets(args.pin)
    with tempfile.TemporaryDirectory() as saved:
        server = start_server(port, saved, server_cpus)
        try:
            if client_cpus:
                os.sched_setaffinity(0, client_cpus)  # inherited by Playwright's driver and Chromium
            async with async_playwright() as p:
                browser = await p.chromium.launch(executable_path=CHROMIUM,
                                                  args=ARGS + [f"--renderer-process-limit={args.renderers}"])
                try:
                    return await measure(browser, base, args, server.pid, server_cpus, client_cpus)
                finally:
                    await browser.close()
        finally:
            serve.stop(server)


def _cpus(c: set[int] | None) -> str:
    return "all CPUs" if not c else ("CPU " if len(c) == 1 else "CPUs ") + ",".join(map(str, sorted(c)))


async def measure(browser, base: str, args, server_pid: int, server_cpus, client_cpus) -> int:
    print(f"growthsim app benchmark: {os.cpu_count()} CPUs; load average "
          f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}; {args.draws} draws; views {', '.join(args.views)}")
    if server_cpus:
        print(f"method: server pinned to {_cpus(server_cpus)}; this script, Playwright's driver and Chromium "
              f"(one browser, one context per session, renderer processes capped at {args.renderers}, "
              f"viewport 1400x900) pinned to {_cpus(client_cpus)}")
    else:
        print("method: not pinned: server, Playwright and Chromium share every CPU "
              "(one browser, one context per session, viewport 1400x900)")
    found: dict[str, object] = {}
    if args.first_pages:
        found["app"] = await first_pages(browser, f"{base}?draws={args.draws}", args.first_pages, "the app")
        if args.floor:
            found["floor"] = await floor(browser, args, server_cpus)
    if args.first_pages_only:
        return 0
    found["pages"] = await app_pages(browser, base, args, server_pid)
    if args.pages_only:
        return 0
    verdicts = []
    for view in args.views:
        verdicts.append((view, *await measure_view(browser, base, args, server_pid, server_cpus, client_cpus, view)))
    goals(found, verdicts)
    print("\nsummary (full: slider change -> redrawn firm-count chart; scorecard: -> updated scorecard; "
          + str(args.draws) + " draws; "
          + ("server on " + _cpus(server_cpus) + ", clients on " + _cpus(client_cpus) if server_cpus else "unpinned")
          + f"; think {args.think[0]:g}–{args.think[1]:g} s):")
    for view, med1, best, saturated in verdicts:
        note = f"; clients' CPUs saturated (>= 90% busy) at {saturated} sessions" if saturated else ""
        print(f"  {view:>9}: 1 session median {med1:.0f} ms (goal < 500: {'met' if med1 < 500 else 'NOT met'}); "
              f"largest session count with median < 1 s: {best} (goal >= 20: {'met' if best >= 20 else 'NOT met'})"
              f"{note}")
    return 0


def goals(found: dict, verdicts: list) -> None:
    """The issue's goals, each median beside the floor Streamlit reached in the same run."""
    app, fl, pages = found.get("app"), found.get("floor") or {}, found["pages"]
    full = next((v for v in verdicts if v[0] == "full"), None)
    print("\ngoals (medians; floors: Streamlit apps timed the same way in this run):")
    if app:
        chart_new, card_floor = app["new"][2], fl.get("card", {}).get("new", (float("nan"),))[0]
        chart_floor = fl.get("charts", {}).get("new", (0, 0, float("nan")))[2]
        print(f"  first headline chart, new browser: {chart_new:.0f} ms (goal < 1500: "
              f"{'met' if chart_new < 1500 else 'NOT met'}); one-card floor {card_floor:.0f} ms, ratio "
              f"{chart_new / card_floor:.2f} (goal <= 1.4: {'met' if chart_new <= 1.4 * card_floor else 'NOT met'}); "
              f"three-chart floor {chart_floor:.0f} ms; all three drawn by Vega {app['new'][3]:.0f} ms (floor "
              f"{fl.get('charts', {}).get('new', (0, 0, 0, float('nan')))[3]:.0f} ms)")
        print(f"  first headline chart, returning browser: {app['returning'][2]:.0f} ms; floors: one card "
              f"{fl.get('card', {}).get('returning', (float('nan'),))[0]:.0f} ms, three charts "
              f"{fl.get('charts', {}).get('returning', (0, 0, float('nan')))[2]:.0f} ms")
    if full:
        print(f"  slider -> chart redrawn: {full[1]:.0f} ms (goal < 200: {'met' if full[1] < 200 else 'NOT met'}); "
              f"floor {fl.get('slider', float('nan')):.0f} ms")
        print(f"  20 concurrent sessions, median < 1 s: largest level met {full[2]} (goal >= 20: "
              f"{'met' if full[2] >= 20 else 'NOT met'})")
    print(f"  page switch -> chart (Vega's or its kept picture): {pages['switch']:.0f} ms (goal < 300: "
          f"{'met' if pages['switch'] < 300 else 'NOT met'});"
          f" floor {fl.get('switch', float('nan')):.0f} ms; drawn by Vega {pages['switch_vega']:.0f} ms; "
          f"the first switch after a lever step {pages['switch_after_step']:.0f} ms")
    print(f"  sensitivity page, first open: {pages['sensitivity_first']:.0f} ms for the server's first, "
          f"{pages['sensitivity_later']:.0f} ms later (goal < 3000: "
          f"{'met' if pages['sensitivity_first'] < 3000 else 'NOT met'})")


async def measure_view(browser, base: str, args, server_pid: int, server_cpus, client_cpus,
                       view: str) -> tuple[float, int, int]:
    seed0 = 50_000 + (0 if view == "full" else 100)
    # 1. a single session
    context, page = await open_session(browser, f"{base}?draws={args.draws}&seed={seed0}&upgrade_target=100", view)
    chart = view == "full"  # the full view is timed to the redrawn chart, the scorecard view to the table
    what = "slider change -> redrawn firm-count chart" if chart else "slider change -> updated scorecard"
    await one_change(page, chart)  # warm-up: the first rerun of a session loads its widgets
    meter = Cost(server_pid, page)
    single = await drive(page, args.changes, random.Random(1), (0.3, 0.6), chart)
    cost = meter.per(len(single))
    await context.close()
    med1, p90, lost = summary(single)
    verdict = "met" if med1 < 500 else "NOT met"
    print(f"\n[{view}] 1 session, {len(single)} changes: {what} "
          f"median {med1:.0f} ms, p90 {p90:.0f} ms, timeouts {lost}  (goal < 500 ms: {verdict}); "
          f"{cost_text(cost)} a change")

    # 2. concurrent sessions
    lo, hi = args.think
    n_server = len(server_cpus) if server_cpus else os.cpu_count()
    n_client = len(client_cpus) if client_cpus else os.cpu_count()
    print(f"[{view}] concurrent sessions ({what}), each reading the result for {lo:g}–{hi:g} s between changes "
          f"(busy = CPU time / (wall time x CPUs) of the server's {_cpus(server_cpus)} "
          f"and the clients' {_cpus(client_cpus)}):")
    if args.load == "ws":
        print(f"[{view}] load: per level, 1 Chromium session (timed as above, in the page) and N-1 sessions driven "
              "at the websocket level (the same requests, no drawing; their column: request -> run finished)")
    print(f"{'sessions':>8} {'changes':>8} {'median ms':>10} {'p90 ms':>8} {'timeouts':>8} {'vs 1 session':>13}"
          f" {'server CPU/change':>18} {'client CPU/change':>18} {'server busy':>12} {'clients busy':>13}"
          + (f" {'ws median ms':>13} {'ws p90 ms':>10}" if args.load == "ws" else ""))
    best, saturated, server_costs = 0, 0, []
    port = int(base.rstrip("/").rsplit(":", 1)[1])
    for level, n in enumerate(args.levels, start=1):
        seed = seed0 + level
        sessions, socks = [], []
        n_browsers = 1 if args.load == "ws" else n
        for i in range(n):  # open one after another, so loading does not count as the measured load
            start = 20 + (1130 // n) * i  # every session moves through its own values: no shared cache hits
            query = f"draws={args.draws}&seed={seed}&upgrade_target={start}"
            if i < n_browsers:
                sessions.append(await open_session(browser, f"{base}?{query}", view))
            else:
                socks.append(WsSession(port, query, start))
                await socks[-1].open()
        clients = descendants(os.getpid()) - descendants(server_pid) - {server_pid}
        s0, b0, w0 = cpu_seconds([server_pid]), cpu_seconds(clients) + _self_cpu(), time.monotonic()
        results = await asyncio.gather(
            *[drive(pg, args.level_changes, random.Random(1000 * level + i), (lo, hi), chart)
              for i, (_, pg) in enumerate(sessions)],
            *[ws.drive(args.level_changes, random.Random(1000 * level + n_browsers + i), (lo, hi))
              for i, ws in enumerate(socks)])
        s1, b1, w1 = cpu_seconds([server_pid]), cpu_seconds(clients) + _self_cpu(), time.monotonic()
        for ctx, _ in sessions:
            await ctx.close()
        for ws in socks:
            await ws.close()
        times = [t for r in results[:len(sessions)] for t in r]
        ws_times = [t for r in results[len(sessions):] for t in r]
        med, p90, lost = summary(times)
        changes = len(times) + len(ws_times)
        server_ms, client_ms = 1000 * (s1 - s0) / changes, 1000 * (b1 - b0) / changes
        server_busy, client_busy = (s1 - s0) / ((w1 - w0) * n_server), (b1 - b0) / ((w1 - w0) * n_client)
        server_costs.append(server_ms)
        ws_note = ""
        if args.load == "ws":
            ws_med, ws_p90, ws_lost = summary(ws_times) if ws_times else (float("nan"), float("nan"), 0)
            lost += ws_lost
            ws_note = f" {ws_med:>13.0f} {ws_p90:>10.0f}"
        print(f"{n:>8} {changes:>8} {med:>10.0f} {p90:>8.0f} {lost:>8} {med / med1:>12.1f}x"
              f" {server_ms:>15.0f} ms {client_ms:>15.0f} ms {server_busy:>11.0%} {client_busy:>12.0%}{ws_note}")
        if client_busy >= 0.9 and not saturated:
            saturated = n
        if med < 1000 and lost == 0:
            best = n
        else:
            break  # bounded: no need to load the machine further
    verdict = "met" if best >= 20 else "NOT met"
    print(f"[{view}] largest tested number of concurrent sessions with median under 1 s: {best}  "
          f"(goal >= 20: {verdict})")
    per_change = statistics.median(server_costs)
    cycle = (lo + hi) / 2 + med1 / 1000
    print(f"[{view}] server CPU per change (median over levels): {per_change:.0f} ms; at this pace one CPU of "
          f"server would serve about {cycle * 1000 / per_change:.0f} sessions before it saturates "
          f"(an extrapolation, not a measurement)")
    return med1, best, saturated


class WsSession:
    """A session driven at the websocket level: the messages a browser tab sends to the server, none of its drawing.

    It connects to Streamlit's websocket (``/_stcore/stream``) as the page does, asks for the first run with the
    page's query string, and for each change sends the rerun request a browser sends when the 小升规目标 slider
    moves one step (the slider's widget state, its id and its fragment's id read from the first run's messages:
    the request reruns only the page's fragment, as a page's does). A change is timed from
    sending the request to the server's "script finished" message: all of the rerun's elements received, charts
    included. It decodes what it receives only to find the slider and the end of the run.
    """

    def __init__(self, port: int, query: str, start: int):
        self.url = f"ws://127.0.0.1:{port}/_stcore/stream"
        self.origin = f"http://127.0.0.1:{port}"
        self.query, self.value, self.slider = query, start, None
        self.fragment = ""  # the slider's fragment (app/main.py::scenario_part): a change reruns only it, as in a page
        self.ws = None

    async def open(self) -> None:
        import websockets

        self.ws = await websockets.connect(self.url, subprotocols=["streamlit"], origin=self.origin, max_size=None)
        await self._rerun()
        await self._finished()
        if self.slider is None:
            raise RuntimeError("the 小升规目标 slider was not in the page")

    async def _rerun(self, widgets=(), fragment: str = "") -> None:
        from streamlit.proto.BackMsg_pb2 import BackMsg

        msg = BackMsg()
        msg.rerun_script.query_string = self.query
        msg.rerun_script.widget_states.widgets.extend(widgets)
        if fragment:
            msg.rerun_script.fragment_id = fragment
        await self.ws.send(msg.SerializeToString())

    async def _finished(self) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        deadline = time.monotonic() + CHANGE_TIMEOUT_MS / 1000
        while True:
            raw = await asyncio.wait_for(self.ws.recv(), timeout=max(0.1, deadline - time.monotonic()))
            fm = ForwardMsg()
            fm.ParseFromString(raw)
            kind = fm.WhichOneof("type")
            if kind == "delta" and fm.delta.WhichOneof("type") == "new_element":
                el = fm.delta.new_element
                if el.WhichOneof("type") == "slider" and el.slider.id.endswith("w_upgrade_target"):
                    self.slider, self.fragment = el.slider.id, fm.delta.fragment_id
            elif kind == "script_finished" and fm.script_finished in (
                    ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY):
                return  # (a run stopped early for a rerun is followed by that rerun)

    async def change(self) -> float:
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        self.value += 1
        state = WidgetState(id=self.slider)
        state.double_array_value.data.append(float(self.value))
        t0 = time.perf_counter()
        try:
            await self._rerun([state], self.fragment)
            await self._finished()
        except (TimeoutError, OSError):
            return -1.0
        return 1000 * (time.perf_counter() - t0)

    async def drive(self, changes: int, rng: random.Random, think: tuple[float, float]) -> list[float]:
        out = []
        await asyncio.sleep(rng.uniform(0, think[1]))  # sessions start out of step, as people do
        for _ in range(changes):
            out.append(await self.change())
            await asyncio.sleep(rng.uniform(*think))
        return out

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()


def _self_cpu() -> float:
    """This script's own CPU time (it drives the sessions, so it counts as a client)."""
    t = os.times()
    return t.user + t.system


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--draws", type=int, default=1000, choices=[100, 200, 500, 1000, 2000, 5000, 10000])
    ap.add_argument("--changes", type=int, default=25, help="changes measured in the single session (max 30)")
    ap.add_argument("--level-changes", type=int, default=6, help="changes per session at each level (max 30)")
    ap.add_argument("--levels", type=lambda s: [int(x) for x in s.split(",")], default=[1, 5, 10, 15, 20, 25, 30],
                    help="numbers of concurrent sessions, e.g. 1,5,10,20")
    ap.add_argument("--think", type=lambda s: tuple(float(x) for x in s.split(",")), default=(3.0, 7.0),
                    help="seconds a session reads the result between changes: LOW,HIGH (uniform)")
    ap.add_argument("--views", type=lambda s: [x.strip() for x in s.split(",") if x.strip()],
                    default=list(VIEWS), help="pages to measure: full (charts), scorecard (No charts), or both")
    ap.add_argument("--first-pages", type=int, default=5, help="later sessions whose first page is timed (0: skip)")
    ap.add_argument("--floor", action=argparse.BooleanOptionalAction, default=True,
                    help="also time the first page of an empty Streamlit app the same way (default: on)")
    ap.add_argument("--first-pages-only", action="store_true", help="time only the first pages (no slider changes)")
    ap.add_argument("--pages-only", action="store_true",
                    help="time the page switch and the sensitivity page's first open only (no slider changes)")
    ap.add_argument("--sens-opens", type=int, default=5,
                    help="later sessions opening the sensitivity page, after the server's first (median; max 30)")
    ap.add_argument("--load", choices=["ws", "browsers"], default="ws",
                    help="concurrent sessions: one Chromium page timed and the rest at the websocket level (ws), "
                         "or every session a Chromium page (browsers)")
    ap.add_argument("--renderers", type=int, default=4, help="Chromium renderer processes shared by the sessions")
    ap.add_argument("--pin", action=argparse.BooleanOptionalAction, default=True,
                    help="server on CPU 0, the test clients on the other CPUs (default: on)")
    args = ap.parse_args()
    args.changes = max(1, min(args.changes, 30))
    args.first_pages = max(0, min(args.first_pages, 30))
    args.sens_opens = max(1, min(args.sens_opens, 30))
    args.renderers = max(1, min(args.renderers, 32))
    args.level_changes = max(1, min(args.level_changes, 30))
    args.levels = [n for n in args.levels if 1 <= n <= 30] or [1]  # 30 x 30 steps fit in the slider's 0-1200
    if not args.views or any(v not in VIEWS for v in args.views):
        ap.error(f"--views: a comma-separated choice of {', '.join(VIEWS)}")
    if len(args.think) != 2 or not 0 <= args.think[0] <= args.think[1] <= 60:
        ap.error("--think LOW,HIGH: seconds, 0 <= LOW <= HIGH <= 60")
    return asyncio.run(run(args))


if __name__ == "__main__":
    sys.exit(main())
