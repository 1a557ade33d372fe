"""The running app in a real browser (Playwright driving Debian's Chromium).

Starts ``streamlit run app/main.py`` on a free loopback port, opens it, moves a
slider, checks that the chart and the scorecard change, switches to English,
downloads the Excel workbook and a chart PNG and opens them, tries a tampered
link, and saves screenshots under tests/artifacts/ (git-ignored).
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import time

import pytest
from app_testkit import ROOT, number
from openpyxl import load_workbook
from playwright.sync_api import Page, expect, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from growthsim.app import serve
from growthsim.app.style import FIGURE_KEY, PICTURE_KEY
from growthsim.calibration.targets import tracked_targets

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
ARTIFACTS = ROOT / "tests" / "artifacts"
# The one tracked target after the last reported year (2025): its scorecard row moves with the levers. Targets of
# 2021-2025 are history (reported outcome or an estimate) and do not move.
GDP_2026 = "2026年地区生产总值增长5%以上"
YEAR = 2030  # the horizon: a chart's text alternative says each scenario's median in its last year
CARDS = "[class*='st-key-gs_card_']"  # the compact scorecard's cards (containers keyed gs_card_<colour>_<target>)
CHART = "[data-testid='stVegaLiteChart']"
DRAWN = f"() => [...document.querySelectorAll(\"{CHART}\")].filter(c => c.querySelector('svg, canvas')).length"
TIMEOUT_MS = 60_000  # generous: the machine is shared and has two cores

pytestmark = pytest.mark.timeout(420)
expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app, served on a free loopback port; always stopped at the end."""
    port = serve.free_port()
    log = tmp_path_factory.mktemp("server") / "streamlit.log"
    env = serve.environment(GROWTHSIM_SAVED_DIR=str(tmp_path_factory.mktemp("saved")))
    with open(log, "wb") as out:
        proc = subprocess.Popen(serve.command(port), cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        serve.wait_healthy(url, proc)
        yield url
    finally:
        serve.stop(proc)


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1500, "height": 1000}, accept_downloads=True, locale="zh-CN")
    pg = context.new_page()
    pg.set_default_timeout(TIMEOUT_MS)
    try:
        yield pg
    finally:
        context.close()


def shot(pg: Page, name: str, full: bool = False) -> None:
    pg.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full)


def settle(pg: Page) -> None:
    """Wait until the script run has finished: Streamlit shows a running indicator while a full run works, and
    marks the elements a run has yet to draw again stale (a fragment's rerun, a lever step or a box opened in the
    editor, shows no indicator: probed, 2026-12-08)."""
    pg.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
                         " && !document.querySelector('[data-stale=true]')", timeout=TIMEOUT_MS)
    pg.wait_for_timeout(300)


def language_applied(pg: Page, lang: str, timeout_ms: int = 30_000) -> bool:
    """Wait until the page's language script (app/style.py::language_script) has run: it comes in a lazily
    loaded Streamlit element, which a loaded machine can mount a few seconds after the page's title. False if it
    has not run within ``timeout_ms`` (a page that stays in Streamlit's English, which a test reports)."""
    want = "zh-CN" if lang == "zh" else "en"
    try:
        pg.wait_for_function(f"() => document.documentElement.lang === '{want}' && !!window.__gsObserver",
                             timeout=timeout_ms)
    except PlaywrightTimeout:
        return False
    return True


def scorecard_row(pg: Page, label: str) -> list[str]:
    row = pg.locator("[data-testid='stTable'] tr", has_text=label).first
    return [c.strip() for c in row.locator("td").all_inner_texts()]


CHART_TEXTS = "[...document.querySelectorAll(\"[class*='st-key-alt_']\")].map(c => c.textContent)"


def chart_texts(pg: Page) -> list[str]:
    """Each chart's text alternative, as a screen reader reads it right after the chart (app/ui.py::chart)."""
    return pg.evaluate(f"() => {CHART_TEXTS}")


def chart_median(pg: Page, title: str, name_part: str, year: int) -> float | None:
    """A scenario's median in ``year`` as the chart's text alternative says it (what a screen reader reads):
    '…基准+调整假设中位数 2030 年 7,758（80%区间 …）' in Chinese, '… median 7,758 in 2030 …' in English."""
    labels = chart_texts(pg)
    for label in labels:
        if not label.startswith(title):
            continue
        m = (re.search(re.escape(name_part) + rf"中位数 {year} 年 ([\d,.]+)", label)
             or re.search(re.escape(name_part) + rf" median ([\d,.]+) in {year}", label))
        if m:
            return float(m.group(1).replace(",", ""))
    return None


def chart_median_when(pg: Page, title: str, name_part: str, year: int, ok) -> float | None:
    """:func:`chart_median` once ``ok(value)`` holds (the charts are drawn after the scorecard), or at the timeout."""
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    value = chart_median(pg, title, name_part, year)
    while not (value is not None and ok(value)) and time.monotonic() < deadline:
        pg.wait_for_timeout(200)
        value = chart_median(pg, title, name_part, year)
    return value


def test_planner_session_in_chromium(server, page):
    pg = page
    pg.goto(server)
    expect(pg.locator("h1")).to_have_text("青岛工业增长目标情景模拟")
    expect(pg.locator("[data-testid='stTable']").first).to_be_visible()
    pg.wait_for_function(f"() => ({DRAWN})() >= 3")  # the headline charts, drawn
    settle(pg)
    shot(pg, "01_opened_zh")

    before = scorecard_row(pg, GDP_2026)
    p50_before, prob_before = number(before[3]), number(before[6])
    chart_before = chart_median(pg, "规模以上工业企业数量", "基准情景", YEAR)
    assert chart_before is not None and chart_before > 4000  # the firm count's median line (about 5,900 in 2030)

    # Move the firm-upgrade slider with the mouse: press on its thumb and drag it to the right.
    box = pg.locator(".st-key-w_upgrade_target [data-testid='stSlider'] [role='group']").bounding_box()
    thumb = pg.locator(".st-key-w_upgrade_target [data-testid='stSliderThumbValue']").bounding_box()
    y = box["y"] + box["height"] / 2
    pg.mouse.move(thumb["x"] + thumb["width"] / 2, y)
    pg.mouse.down()
    pg.mouse.move(box["x"] + box["width"] * 0.7, y, steps=8)
    pg.mouse.up()
    pg.wait_for_function("() => location.search.includes('upgrade_target=')")
    settle(pg)
    moved_to = int(re.search(r"upgrade_target=(\d+)", pg.url).group(1))
    assert moved_to > 600  # dragged to ~70% of 0–1200
    # more upgrades a year add firms: wait for the edited scenario's firm-count line to rise above the baseline's
    chart_after = chart_median_when(pg, "规模以上工业企业数量", "基准+调整假设", YEAR, lambda v: v > chart_before)
    assert chart_after is not None and chart_after > chart_before
    # but not growth: the statistics count growth on the comparable basis (同口径), whose base holds an upgraded
    # firm's last year, so the 2026 GDP row keeps its median and probability exactly
    after = scorecard_row(pg, GDP_2026)
    assert (number(after[3]), number(after[6])) == (p50_before, prob_before)
    assert chart_median(pg, "规模以上工业企业数量", "基准情景", YEAR) == chart_before  # dashed baseline unchanged
    shot(pg, "02_slider_moved")

    # English: the interface changes, the settings stay.
    pg.locator("[data-testid='stSidebar'] label", has_text="English").first.click()
    expect(pg.locator("h1")).to_have_text("Qingdao industrial growth targets: scenario simulator")
    settle(pg)
    # the link is written at the end of the run (after the sidebar, which may repeat the run once): wait for it
    pg.wait_for_function("() => location.search.includes('lang=en')")
    assert "lang=en" in pg.url and f"upgrade_target={moved_to}" in pg.url
    expect(pg.locator("[data-testid='stTable'] th", has_text="Probability").first).to_be_visible()
    en_row = scorecard_row(pg, "Real GDP growth 5% or more in 2026")
    assert [number(x) for x in (en_row[3], en_row[6])] == [number(x) for x in (after[3], after[6])]  # same numbers
    shot(pg, "03_english")

    # Excel: the CLI's workbook for the baseline and the edited scenario.
    button = pg.get_by_role("button", name="Download Excel workbook").first
    button.scroll_into_view_if_needed()
    with pg.expect_download() as dl:
        button.click()
    path = ARTIFACTS / dl.value.suggested_filename
    dl.value.save_as(path)
    assert path.suffix == ".xlsx"
    wb = load_workbook(io.BytesIO(path.read_bytes()))
    # downloaded from the English page: the workbook is in English
    assert wb.sheetnames == ["Baseline", "Baseline + your changes", "Compare", "Indicators", "Assumptions", "Run",
                             "Notes", "Target setting", "Split (ILLUSTRATIVE 示例)"]
    ws = wb["Baseline + your changes"]
    header = [c.value for c in ws[2]]
    assert header[:2] == ["Indicator", "Unit"] and 2026 in header  # name, unit, then per year median, P10, P90
    firms = next(r for r in ws.iter_rows(values_only=True) if r[0] == "Above-scale industrial enterprises")
    assert firms[header.index(YEAR)] == pytest.approx(chart_after, abs=0.5)  # workbook = chart (whole firms)
    gdp = next(r for r in ws.iter_rows(values_only=True) if r[0] == "Real GDP growth")
    # workbook = scorecard: the workbook rounds growth to the indicator's precision (one decimal), the scorecard
    # shows two, so they agree within half a tenth
    assert gdp[header.index(2026)] == pytest.approx(number(after[3]), abs=0.05)
    a = wb["Assumptions"]
    head = [c.value for c in a[2]]
    assumptions = {r[head.index("Id")]: r for r in a.iter_rows(min_row=3, values_only=True)}
    assert assumptions["upgrade_target"][head.index("Baseline + your changes")] == moved_to  # a number

    # A chart as PNG, from the chart's own toolbar.
    chart = pg.locator(CHART).first
    # the chart mid-screen: at the top edge its toolbar sits under Streamlit's sticky header, which then takes
    # the click (seen on a loaded machine)
    chart.evaluate("e => e.scrollIntoView({block: 'center'})")
    chart.hover()
    # the toolbar of this chart (its element container's), clicked as a planner's click reaches it: the chart's
    # own SVG lies over the toolbar's box while the toolbar fades in, and a pointer click was taken by the SVG
    box = chart.locator("xpath=ancestor::*[@data-testid='stElementContainer'][1]")
    button = box.locator("[data-testid='stElementToolbar'] button[aria-label='Download as PNG']")
    expect(button).to_have_count(1)
    with pg.expect_download() as dl:
        button.dispatch_event("click")
    png = ARTIFACTS / "chart.png"
    dl.value.save_as(png)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"  # the PNG file signature
    shot(pg, "04_exports")

    # The other pages.
    pg.locator("[data-testid='stSidebar'] label", has_text="Compare scenarios").first.click()
    expect(pg.locator("h3", has_text="Compare scenarios")).to_be_visible()
    settle(pg)
    shot(pg, "05_compare")
    pg.locator("[data-testid='stSidebar'] label", has_text="Calibration").first.click()
    expect(pg.locator("h3", has_text="Calibration")).to_be_visible()
    settle(pg)
    shot(pg, "06_calibration")


def test_tampered_link_in_chromium(server, page):
    pg = page
    pg.goto(server + "/?upgrade_target=99999&draws=500")
    alert = pg.locator("[data-testid='stAlertContentError']").first
    expect(alert).to_contain_text("小升规目标（upgrade_target） = '99999'：超出范围")  # in Chinese, label beside id
    expect(alert).to_contain_text("允许：0 至 1200 的整数")
    expect(alert).to_contain_text("draws")  # the link's other number was not applied, and says so
    expect(pg.locator("[data-testid='stTable']").first).to_be_visible()  # the page still works
    settle(pg)
    pg.wait_for_function("() => !location.search.includes('upgrade_target')")  # written at the end of the run
    assert "upgrade_target" not in pg.url  # the link now holds the valid state
    shot(pg, "07_tampered_link")


VIEWPORTS = {"desktop": (1440, 900), "phone": (390, 844)}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_first_screen_in_both_languages_and_sizes(server, browser, lang, size):
    """1440×900: headline charts and the compact scorecard above the fold; 390 px: sidebar closed, cards."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    w, h = VIEWPORTS[size]
    context = browser.new_context(viewport={"width": w, "height": h}, locale="zh-CN" if lang == "zh" else "en-GB",
                                  is_mobile=size == "phone", has_touch=size == "phone")
    pg = context.new_page()
    pg.set_default_timeout(TIMEOUT_MS)
    outside = []  # the app works offline (an intranet): nothing is fetched from another host
    pg.on("request", lambda r: None if r.url.startswith(server) or r.url.startswith("data:") else outside.append(r.url))
    try:
        pg.goto(server + ("/?lang=en" if lang == "en" else "/"))
        pg.wait_for_function(f"() => ({DRAWN})() >= 3")
        pg.wait_for_selector(CARDS)
        settle(pg)
        pg.wait_for_timeout(800)
        shot(pg, f"first_screen_{lang}_{size}")
        cards = pg.locator(CARDS)
        # the tracked targets still ahead (after 2025, up to the 2030 horizon): one card each
        assert cards.count() == len([t for t in tracked_targets().values() if 2025 < t.year <= 2030])
        # the year ahead first: the cards come before the charts, on the page and in the keyboard order
        assert pg.evaluate(f"() => !!(document.querySelector(\"{CARDS}\").compareDocumentPosition("
                           f"document.querySelector(\"{CHART}\")) & Node.DOCUMENT_POSITION_FOLLOWING)")
        assert language_applied(pg, lang), pg.evaluate("() => document.documentElement.lang")
        if size == "desktop":
            charts = pg.locator(CHART)
            for i in range(3):  # share, firms, growth: the whole chart on the first screen
                box = charts.nth(i).bounding_box()
                assert box["y"] >= 0 and box["y"] + box["height"] <= h, (i, box)
            last = cards.nth(cards.count() - 1).bounding_box()
            assert last["y"] + last["height"] <= h  # the compact scorecard too
            tick = pg.locator("[data-testid='stSliderTickBar']").first
            assert float(tick.evaluate("e => getComputedStyle(e).opacity")) == 1  # bounds shown without focus
        else:
            box = pg.locator("[data-testid='stSidebar']").bounding_box()
            assert box is None or box["x"] + box["width"] <= 1  # the sidebar starts closed on a phone
            assert pg.locator("h1").bounding_box()["x"] < 40  # the content is not covered
            card = cards.nth(0).bounding_box()
            assert card["x"] >= 0 and card["x"] + card["width"] <= w  # the card fits the screen
            assert card["y"] + card["height"] <= h  # on the first screen: the targets ahead lead
            toolbar = pg.locator("[data-testid='stElementToolbar']")
            assert toolbar.count() == 0 or not toolbar.first.is_visible()  # no chart toolbar over the titles
            # the 14th plan's review, opened: its rows are cards within the screen, one under the other
            pg.locator("[data-testid='stExpander'] summary", has_text="十四五" if lang == "zh" else "14th plan").click()
            table = pg.locator(".st-key-scorecard_review [data-testid='stTable']")
            table.scroll_into_view_if_needed()
            rows = table.locator("tbody tr")
            a, b = rows.nth(0).bounding_box(), rows.nth(1).bounding_box()  # targets 2021-2025: 17 rows
            assert b["y"] >= a["y"] + a["height"] - 1 and abs(a["x"] - b["x"]) < 2  # one row-card a row
            assert a["width"] <= w  # rows are cards within the screen, not a clipped wide table
            shot(pg, f"scorecard_{lang}_{size}")
        assert outside == []  # e.g. a Material icon as page icon is fetched from fonts.gstatic.com
        body = pg.locator("[data-testid='stMain']").inner_text()
        if lang == "zh":
            assert "Drag and drop" not in body and "per file" not in body
        else:
            assert not re.search(r"[\u4e00-\u9fff]", pg.locator("h1").inner_text())
    finally:
        context.close()


def _phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True,
                                  has_touch=True)
    pg = context.new_page()
    pg.set_default_timeout(TIMEOUT_MS)
    return context, pg


def test_phone_pipeline_gantt_reads_and_compare_tables_scroll(server, browser):
    """390×844: the Gantt chart lists the projects still to deliver, its bars keep the width; wide tables scroll."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context, pg = _phone(browser)
    try:
        pg.goto(server + "/?page=pipeline")
        pg.wait_for_function(f"() => [...document.querySelectorAll(\"{CHART}\")].some(c => "
                             "c.querySelector('.mark-rect.role-mark path'))")
        settle(pg)
        gantt = pg.locator(CHART, has=pg.locator(".mark-rect.role-mark")).first
        gantt.scroll_into_view_if_needed()
        pg.wait_for_timeout(500)
        shot(pg, "pipeline_gantt_zh_phone")
        box = gantt.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390  # the chart fits the screen
        facts = gantt.evaluate("""g => {
            const rect = (els) => { const r = els.map(e => e.getBoundingClientRect());
                return {left: Math.min(...r.map(x => x.left)), right: Math.max(...r.map(x => x.right)),
                        top: Math.min(...r.map(x => x.top)), bottom: Math.max(...r.map(x => x.bottom))}; };
            const bars = rect([...g.querySelectorAll(".role-axis-domain path, .role-axis-domain line")]);  // the plot
            // the y axis's labels: left of the plot (the x axis's last label is also anchored at its end)
            const yLabels = [...g.querySelectorAll('.role-axis-label text')].filter(t =>
                t.getBoundingClientRect().right <= bars.left + 1);
            // a project a row: the bars' distinct vertical places
            const rows = new Set([...g.querySelectorAll('.mark-rect.role-mark path')].map(p =>
                Math.round(p.getBoundingClientRect().top + p.getBoundingClientRect().height / 2)));
            return {legend: rect([...g.querySelectorAll('.role-legend')]), bars,
                    labels: yLabels.map(t => t.getBoundingClientRect().width), projects: rows.size,
                    title: rect([...g.querySelectorAll('.role-title')]), chart: g.getBoundingClientRect(),
                    plot: bars.right - bars.left};
        }""")
        assert facts["legend"]["bottom"] <= facts["bars"]["top"]  # the stages' legend above the bars, not beside
        # the default shows the next 15 projects to deliver (pipeline_limit's default): upcoming ones only
        assert 0 < facts["projects"] <= 15
        assert max(facts["labels"]) <= 0.4 * 390  # project names cut short on the axis (whole in the hover)
        assert facts["plot"] >= 0.5 * box["width"]  # so the bars keep at least half the chart's width
        assert facts["title"]["right"] <= facts["chart"]["right"] + 1  # the title wraps inside the chart

        pg.goto(server + "/?page=compare")
        pg.wait_for_selector("[data-testid='stTable']")
        settle(pg)
        shot(pg, "compare_zh_phone", full=True)
        tables = pg.locator("[data-testid='stTable']")
        assert tables.count() >= 1
        first = tables.first.evaluate("""e => {
            const frame = e.getBoundingClientRect(), table = e.querySelector('table');
            const scroller = [e, ...e.querySelectorAll('div')].find(d => d.contains(table)
                && ['auto', 'scroll'].includes(getComputedStyle(d).overflowX) && d.scrollWidth > d.clientWidth);
            const cell = table.querySelector('tbody td');
            return {x: frame.x, w: frame.width, table: table.getBoundingClientRect().width, scrolls: !!scroller,
                    cell: cell.getBoundingClientRect().width, lines: cell.getBoundingClientRect().height};
        }""")
        assert first["x"] >= 0 and first["x"] + first["w"] <= 390  # the table's frame stays on the screen
        # the target comparison is wider than a phone: it keeps its columns and scrolls inside its frame
        assert first["table"] > first["w"] and first["scrolls"]
        # its first column (the target's name) is not squeezed to a character or two a line (it was 34 px wide)
        assert first["cell"] >= 120
        assert pg.evaluate("() => document.documentElement.scrollWidth") <= 390  # the page itself does not scroll
    finally:
        context.close()


def test_year_table_and_command_line_open_from_their_popovers(server, page):
    """The year table and the command line load on request (popovers), and then show what they did before."""
    pg = page
    pg.goto(server)
    pg.wait_for_selector(CARDS)
    settle(pg)
    # nothing of the two is drawn on first paint: their code (a table widget, a code highlighter) is not loaded
    assert pg.locator("[data-testid='stSidebar'] [data-testid='stDataFrame']").count() == 0
    assert pg.locator("[data-testid='stCode']").count() == 0
    pg.locator("[data-testid='stSidebar'] summary", has_text="按年份设定").click()
    button = pg.get_by_role("button", name="编辑逐年数值")
    button.wait_for()  # drawn by the box's rerun (the page's fragment), which
    settle(pg)  # has then finished: clicked while it still ran, the popover twice stayed closed under load
    button.click()
    table = pg.locator("[data-testid='stDataFrame']")
    expect(table).to_be_visible()
    expect(table).to_contain_text("起始年份")
    expect(table).to_contain_text("取值（家/年）")
    # both columns show: the popover is as wide as the table (it was ~150 px)
    assert table.bounding_box()["width"] >= 300
    shot(pg, "year_table_popover")
    pg.keyboard.press("Escape")
    button = pg.get_by_role("button", name="命令行")
    button.scroll_into_view_if_needed()
    button.click()
    code = pg.locator("[data-testid='stCode']")
    expect(code).to_be_visible()
    # the same command line as before, now one click away
    expect(code).to_contain_text("growthsim run baseline --draws 1000 --seed 20211 --horizon 2030 --lang zh")


# Text drawn over other text: every visible text box (an HTML text node's line boxes, an SVG text) against
# every other, each clipped to what its scrolling frame shows. Two boxes overprint when they share more than a
# quarter of the smaller one; a chart's white halo under a label is the same text at the same place, not two.
OVERPRINTS = """() => {
  const boxes = [];
  const clipOf = (el) => {
    let r = {left: -1e9, top: -1e9, right: 1e9, bottom: 1e9};
    for (let a = el.parentElement; a; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (s.overflowX !== 'visible' || s.overflowY !== 'visible') {
        const b = a.getBoundingClientRect();
        r = {left: Math.max(r.left, b.left), top: Math.max(r.top, b.top), right: Math.min(r.right, b.right),
             bottom: Math.min(r.bottom, b.bottom)};
      }
    }
    return r;
  };
  const add = (rect, text, el) => {
    const c = clipOf(el);
    const b = {left: Math.max(rect.left, c.left), top: Math.max(rect.top, c.top),
               right: Math.min(rect.right, c.right), bottom: Math.min(rect.bottom, c.bottom)};
    if (b.right - b.left > 1 && b.bottom - b.top > 1) boxes.push({...b, text: text.trim().slice(0, 40)});
  };
  const root = document.querySelector('[data-testid=stMain]');
  const visible = (el) => el && el.checkVisibility
    && el.checkVisibility({opacityProperty: true, visibilityProperty: true});
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!n.nodeValue.trim() || !visible(el) || el.closest('svg') || el.closest('[role=tooltip]')) continue;
    const range = document.createRange();
    range.selectNodeContents(n);
    for (const r of range.getClientRects()) add(r, n.nodeValue, el);
  }
  for (const t of root.querySelectorAll('svg text')) {
    if (!t.textContent.trim() || !visible(t)) continue;
    add(t.getBoundingClientRect(), t.textContent, t);
  }
  const out = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i], b = boxes[j];
    const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
    const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
    if (w <= 0 || h <= 0) continue;
    const same = a.text === b.text && Math.abs(a.left - b.left) < 1 && Math.abs(a.top - b.top) < 1;
    const small = Math.min((a.right - a.left) * (a.bottom - a.top), (b.right - b.left) * (b.bottom - b.top));
    if (!same && w * h > 0.25 * small) out.push([a.text, b.text]);
  }
  return out;
}"""
# What the page says in Streamlit's and the charts' own words: buttons' and fields' names (aria-label, title,
# placeholder) and every text a chart draws.
OWN_WORDS = """() => {
  const out = [];
  for (const el of document.querySelectorAll('[aria-label], [title], [placeholder]')) {
    if (el.closest('[data-testid=stSidebar]') && !el.closest('[data-testid=stSidebarContent]')) continue;
    for (const a of ['aria-label', 'title', 'placeholder']) {
      const v = el.getAttribute(a);
      if (v && v.trim() && !el.closest('[data-testid=stVegaLiteChart] svg')) out.push([a, v]);
    }
  }
  for (const t of document.querySelectorAll('[data-testid=stVegaLiteChart] svg text'))
    out.push(['chart', t.textContent]);
  return out;
}"""
LATIN = re.compile(r"[A-Za-z][A-Za-z-]*[A-Za-z]")
HAN = re.compile(r"[\u3400-\u9fff]")
# Names and symbols written the same way in Chinese documents (as tests/app/test_app_language.py allows), and the
# words a chart's text alternative or a name of ours keeps in both languages.
ZH_LATIN = {"P10", "P50", "P90", "GDP", "PNG", "CSV", "Excel", "Sobol", "Morris", "ST", "S1", "IS", "CRPS", "PPI",
            "TOML", "English", "μ", "INC", "REN", "MB"}


def _wrong_language(words: list[list[str]], lang: str) -> list[list[str]]:
    """Streamlit's or a chart's words in the other language."""
    if lang == "zh":
        return [w for w in words if any(x not in ZH_LATIN and not x.startswith(("INC", "REN"))
                                        for x in LATIN.findall(w[1]))]
    return [w for w in words if HAN.search(w[1])]


PAGE_KEYS = ("projections", "compare", "calibration", "seek", "sensitivity", "pipeline", "monitoring", "backtest")


# the widths [px] of the shown charts drawn narrower than 120 px: a chart that follows its container's width once
# drew 16 px wide in a place whose grid column took its content's width (app/style.py, gs_fig_)
NARROW_CHARTS = f"""() => [...document.querySelectorAll("{CHART}")].filter(c => c.offsetParent !== null)
    .map(c => Math.round(c.getBoundingClientRect().width)).filter(w => w < 120)"""


@pytest.mark.timeout(900)
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_every_page_reads_in_one_language_without_overprint(server, browser, lang, size):
    """Every page at 1440×900 and 390×844, in Chinese and in English: the page's ``lang`` follows the switch,
    no text is drawn over other text, no chart is squeezed, and Streamlit's and the charts' own words are in the
    page's language."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    w, h = VIEWPORTS[size]
    context = browser.new_context(viewport={"width": w, "height": h}, is_mobile=size == "phone",
                                  has_touch=size == "phone")
    pg = context.new_page()
    pg.set_default_timeout(240_000)  # the sensitivity page computes its indices on its first open
    problems = []
    try:
        for key in PAGE_KEYS:
            pg.goto(server + f"/?page={key}" + ("&lang=en" if lang == "en" else ""))
            pg.wait_for_selector("h1")
            settle(pg)
            pg.wait_for_function(f"() => [...document.querySelectorAll(\"{CHART}\")]"
                                 ".every(c => c.querySelector('svg'))")
            if not language_applied(pg, lang):
                problems.append((key, "lang", pg.evaluate("() => document.documentElement.lang")))
            pg.wait_for_timeout(500)
            shot(pg, f"walk_{key}_{lang}_{size}")
            problems += [(key, "overprint", pair) for pair in pg.evaluate(OVERPRINTS)]
            problems += [(key, "narrow chart", width) for width in pg.evaluate(NARROW_CHARTS)]
            problems += [(key, "language", word) for word in _wrong_language(pg.evaluate(OWN_WORDS), lang)]
    finally:
        context.close()
    assert problems == [], "\n".join(sorted({str(p) for p in problems}))


def _forward_msgs(frames: list[bytes]) -> list:
    """The server's messages (Streamlit's ForwardMsg protobufs) among websocket frames."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    out = []
    for raw in frames:
        fm = ForwardMsg()
        fm.ParseFromString(raw)
        out.append(fm)
    return out


def _drawn_elements(msgs: list) -> list[tuple[str, str]]:
    """(element type, widget id or '') of every element a run sent."""
    out = []
    for fm in msgs:
        if fm.WhichOneof("type") == "delta" and fm.delta.WhichOneof("type") == "new_element":
            el = fm.delta.new_element
            kind = el.WhichOneof("type")
            out.append((kind, str(getattr(getattr(el, kind), "id", "") or "")))
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_lever_reruns_only_the_page_and_editor_fragment(server, page, lang):
    """A lever moved: its page's chart and the share link follow, and only the page's fragment reran.

    What the server sends for the change is read off the websocket (Streamlit's own messages): the run ends as a
    fragment run, the firm-count chart and the lever's slider are sent again, and the sidebar's shell (language
    switch, page choice, run settings) is not: it was not drawn again, so the browser left it as it was.
    """
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    pg = page
    frames: list[bytes] = []
    pg.on("websocket", lambda ws: ws.on("framereceived", lambda f: frames.append(f) if isinstance(f, bytes) else None))
    pg.goto(server + ("/?lang=en" if lang == "en" else "/"))
    pg.wait_for_function(f"() => ({DRAWN})() >= 3")
    settle(pg)
    firms = "规模以上工业企业数量" if lang == "zh" else "Chart of Above-scale industrial enterprises"
    edited = "基准+调整假设" if lang == "zh" else "Baseline + your changes"
    assert chart_median(pg, firms, edited, YEAR) is None  # no edits yet: only the baseline is drawn
    full = _forward_msgs(frames)
    assert any(fm.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY for fm in full
               if fm.WhichOneof("type") == "script_finished")  # the first run is a full run
    # the sidebar's shell: the city, the language switch, the page choice and the run settings (a widget id ends
    # in its key; a choice whose labels follow the language has the key then "~" and its labels' digest)
    shell = {"city", "lang_en", "page", "draws", "seed", "horizon", "through"}

    def shell_keys(drawn: list[tuple[str, str]]) -> set[str]:
        return {wid.rsplit("-", 1)[-1].split("~")[0] for _, wid in drawn} & shell

    assert shell_keys(_drawn_elements(full)) == shell  # the first, full run drew every one of them

    frames.clear()
    pg.locator(".st-key-w_upgrade_target input[type=range]").focus()
    pg.keyboard.press("ArrowRight")  # one step (one firm a year) of the 小升规目标 slider, from its calibrated value
    pg.wait_for_function("() => location.search.includes('upgrade_target=')")  # the share link follows
    moved_to = re.search(r"upgrade_target=(\d+)", pg.url).group(1)
    assert chart_median_when(pg, firms, edited, YEAR, lambda v: v > 0) is not None  # the edited line is drawn
    settle(pg)
    assert ("lang=en" in pg.url) == (lang == "en")  # the link keeps the page's language

    msgs = _forward_msgs(frames)
    ends = [fm.script_finished for fm in msgs if fm.WhichOneof("type") == "script_finished"]
    assert ends and all(e == ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY for e in ends), ends
    drawn = _drawn_elements(msgs)
    assert any(kind == "vega_lite_chart" for kind, _ in drawn)  # the charts were sent again
    assert any(wid.endswith("w_upgrade_target") for _, wid in drawn)  # with the lever itself (it is in the fragment)
    assert shell_keys(drawn) == set()  # the sidebar's shell was not drawn again: the full script did not rerun
    # only the open group's sliders (小升规's three levers) were sent: no slider of a closed group
    sent = {wid.rsplit("-", 1)[-1] for kind, wid in drawn if kind == "slider"}
    assert sent == {"w_upgrade_target", "w_upgrade_pool_ratio", "w_upgrade_realisation_rate"}, sent

    # the language switch still works after a fragment run, and keeps the lever's value in the link
    pg.locator("[data-testid='stSidebar'] label", has_text="English").first.click()  # the switch's one label
    pg.wait_for_function("() => location.search.includes('lang=en')" if lang == "zh"
                         else "() => !location.search.includes('lang=en')")
    settle(pg)
    assert f"upgrade_target={moved_to}" in pg.url


def test_a_closed_group_opens_with_its_sliders_and_the_values_kept(server, page):
    """The editor's group boxes start closed but the first (their sliders are not sent); opening one draws its
    sliders at the scenario's values (here a value from the link), and a lever step keeps them."""
    pg = page
    pg.goto(server + "/?exit_rate=8")
    pg.wait_for_function(f"() => ({DRAWN})() >= 3")
    settle(pg)
    expect(pg.locator(".st-key-w_upgrade_target")).to_be_visible()  # 小升规 is open
    expect(pg.locator(".st-key-w_exit_rate")).to_have_count(0)  # 经济环境 is closed: its sliders were not sent
    pg.locator("[data-testid='stSidebar'] summary", has_text="经济环境").first.click()
    expect(pg.locator(".st-key-w_exit_rate [data-testid='stSliderThumbValue']")).to_have_text("8.00")
    settle(pg)
    pg.locator(".st-key-w_upgrade_target input[type=range]").focus()
    pg.keyboard.press("ArrowRight")  # a lever step with both boxes open
    pg.wait_for_function("() => location.search.includes('upgrade_target=')")
    settle(pg)
    assert "exit_rate=8" in pg.url
    expect(pg.locator(".st-key-w_exit_rate [data-testid='stSliderThumbValue']")).to_have_text("8.00")


def test_the_language_switch_keeps_the_page_and_its_choices(server, page):
    """Streamlit keeps a radio's or selectbox's value in the browser as its label: before labelled_choice, the
    language switch sent the page choice back as a Chinese label no English option has, and the app fell back to
    the first page (with no page ticked); a city's label came back as a city and the next click crashed. A segmented
    control (the chart set) keeps its choice through the switch by Streamlit's own means: held here."""
    pg = page
    pg.goto(server + "/?page=compare")
    expect(pg.locator("h3", has_text="情景比较")).to_be_visible()
    settle(pg)
    charts = pg.locator("[class*='st-key-cmp_charts_which'] [role='radiogroup']").first
    charts.locator("button", has_text="全部").click()  # all indicators
    settle(pg)
    expect(charts.locator("button[aria-checked='true']")).to_contain_text("全部")
    pg.locator("[data-testid='stSidebar'] label", has_text="English").first.click()
    expect(pg.locator("h3", has_text="Compare scenarios")).to_be_visible()  # still the compare page
    settle(pg)
    ticked = pg.locator("[data-testid='stSidebar'] [role='radiogroup'] input:checked")
    expect(ticked).to_have_count(1)
    # another widget's run after the switch: the page and the city hold (no stale label comes back)
    pg.locator("[data-testid='stMain'] [data-testid='stCheckbox'] label").first.click()
    settle(pg)
    expect(pg.locator("h3", has_text="Compare scenarios")).to_be_visible()
    expect(pg.locator("[data-testid='stException']")).to_have_count(0)
    expect(charts.locator("button[aria-checked='true']")).to_contain_text("All indicators")
    assert "page=compare" in pg.url and "lang=en" in pg.url


def test_a_lever_in_another_city_reruns_in_that_city(server, page):
    """The fragment's own rerun does not pass through the script's top, where the session's city pack is entered:
    it enters it itself. Xiamen's compare page after a lever step still shows Xiamen's record (its firm count was
    last reported for 2018: 1,896, cities/xiamen; Qingdao's for 2020), and the link keeps city=xiamen."""
    pg = page
    pg.goto(server + "/?city=xiamen&page=compare")
    pg.wait_for_function(f"() => ({DRAWN})() >= 3")
    settle(pg)
    firms = "规模以上工业企业数量"
    xiamen_record = "最近公布值 2018 年 1,896"

    def firm_label() -> str:
        return next(x for x in chart_texts(pg) if x.startswith(firms))

    assert xiamen_record in firm_label()
    before = chart_median(pg, firms, "基准+调整假设", YEAR)
    pg.locator(".st-key-w_upgrade_target input[type=range]").focus()
    for _ in range(20):  # twenty firms a year more: the edited line moves off the baseline's
        pg.keyboard.press("ArrowRight")
    pg.wait_for_function("() => location.search.includes('upgrade_target=')")
    after = chart_median_when(pg, firms, "基准+调整假设", YEAR, lambda v: v != before)
    settle(pg)
    assert after is not None and after > before  # more upgrades a year, more firms
    assert xiamen_record in firm_label()  # drawn from Xiamen's pack, not the default city's
    assert "city=xiamen" in pg.url



def _open_live_preview(pg: Page, server: str):
    """Open the projections page in Chinese, turn the 拖动预览 switch on, and return the preview's slider."""
    from growthsim.app.i18n import t

    pg.goto(server + "/")
    pg.wait_for_function(f"() => ({DRAWN})() >= 3")
    settle(pg)
    pg.locator("label", has_text=t("live_toggle", "zh")).first.click()
    live = pg.locator("input[name='gs_live']")
    expect(live).to_have_count(1)
    settle(pg)
    return live


def test_a_dragged_lever_is_followed_then_projected(server, page):
    """拖动预览: while the preview's slider moves, the chart follows it in the browser and the server is not asked
    (no message arrives, the sidebar's lever stays); on release the value goes into the scenario as if the sidebar's
    slider had moved (the link, the slider, the page's charts), and the page's exact projection at a grid value is
    the number the preview showed there (the grid's runs are the page's own: same draws and seed)."""
    pg = page
    frames: list[bytes] = []
    pg.on("websocket", lambda ws: ws.on("framereceived", lambda f: frames.append(f) if isinstance(f, bytes) else None))
    live = _open_live_preview(pg, server)
    assert live.input_value() == "405"  # Qingdao's 小升规 target, the scenario's value
    alt = next(a for a in chart_texts(pg) if "拖动预览在各精确计算取值处" in a)
    at_120 = re.search(r"取 120 时 ([\d,]+)", alt).group(1)  # the grid run at 120 firms a year, its 2030 median
    # the preview chart's words: the chart that holds the preview's slider (a chart's key makes no class)
    live_labels = ("() => [...document.querySelector(\"input[name='gs_live']\").closest('.stVegaLiteChart')"
                   ".querySelectorAll('svg text')].map(t => t.textContent)")
    assert at_120 not in pg.evaluate(live_labels)

    frames.clear()
    live.evaluate("e => { e.value = 120; e.dispatchEvent(new Event('input', {bubbles: true})); }")
    pg.wait_for_function(f"() => ({live_labels})().includes('{at_120}')")  # the chart followed the drag
    pg.wait_for_timeout(500)
    assert frames == []  # the server was not asked: a drag stays in the browser
    assert "upgrade_target" not in pg.url
    shot(pg, "live_drag_zh_desktop")

    live.evaluate("e => e.dispatchEvent(new Event('change', {bubbles: true}))")  # released
    pg.wait_for_function("() => location.search.includes('upgrade_target=120')")
    settle(pg)
    assert "120" in pg.locator(".st-key-w_upgrade_target").inner_text()  # the sidebar's slider moved with it
    firms, edited = "规模以上工业企业数量", "基准+调整假设"
    exact = chart_median_when(pg, firms, edited, YEAR, lambda v: v > 0)
    assert exact == float(at_120.replace(",", ""))


def test_arrow_keys_step_the_preview_then_project_once_and_keep_the_focus(server, page):
    """A keyboard user steps the preview's slider with the arrow keys: each press fires a change, which once sent
    the first step to the server at once, and the chart drawn again took the focus away (QA walk: one step, then
    nothing). Three quick presses now move the chart three steps, one projection follows, and the focus is back."""
    pg = page
    live = _open_live_preview(pg, server)
    live.focus()
    for _ in range(3):
        pg.keyboard.press("ArrowRight")
        pg.wait_for_timeout(150)
    pg.wait_for_function("() => location.search.includes('upgrade_target=408')")  # 405 + 3: one release sent
    settle(pg)
    pg.wait_for_function("() => document.activeElement && document.activeElement.name === 'gs_live'")
    pg.keyboard.press("ArrowRight")  # the keys still step the slider
    pg.wait_for_function("() => location.search.includes('upgrade_target=409')")


# a headline chart's place (app/page_projections.py::_headline_places) and its stand-in picture (app/ui.py)
FIGURES = f"[class*='st-key-{FIGURE_KEY}']"
PICTURES = f"{FIGURES} [class*='st-key-{PICTURE_KEY}'] img"
VEGA_SCRIPTS = re.compile(r".*/static/js/(loadVegaEmbed|embed|ArrowVegaLiteChart)\.[^/]*\.js$")  # Streamlit's chunks
VISIBLE = "e => !!(e.offsetWidth || e.offsetHeight) && getComputedStyle(e).visibility !== 'hidden'"


def test_the_first_screen_shows_the_charts_pictures_until_vega_draws_them(server, browser):
    """A new browser draws the headline charts as pictures with the cards; once Vega's scripts arrive, each chart
    takes over its place and the picture is hidden (no two charts overprint, nothing read twice).

    Vega's scripts are held back (Playwright answers Streamlit's request for its Vega chunk only when told), so
    the page is seen as it is before they arrive, whatever the machine's speed.
    """
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    held: list = []
    context.route(VEGA_SCRIPTS, lambda route: held.append(route))
    pg = context.new_page()
    pg.set_default_timeout(TIMEOUT_MS)
    try:
        pg.goto(server + "/")
        pg.wait_for_selector(CARDS)
        pg.wait_for_function(f"() => document.querySelectorAll(\"{PICTURES}\").length >= 3")
        pictures = pg.locator(PICTURES)
        shot(pg, "first_screen_pictures")
        for i in range(3):  # drawn: a decoded SVG picture, in its place, for the eye only
            img = pictures.nth(i)
            assert img.evaluate(VISIBLE)
            assert img.evaluate("e => e.complete && e.naturalWidth > 0"), i
            assert img.get_attribute("alt") == ""  # decorative: a screen reader skips it (the chart says it)
            box = img.bounding_box()
            assert box["width"] > 200 and box["height"] > 200 and box["y"] + box["height"] <= 900, box
            # drawn as wide as its place (app/ui.py::PICTURE_WIDTH), so the chart that replaces it lies over it
            place = pg.locator(FIGURES).nth(i).bounding_box()
            assert abs(img.evaluate("e => e.naturalWidth") - place["width"]) <= 2, (i, place)
        svg = pictures.first.evaluate("e => atob(e.src.split(',')[1])")
        assert "mark-line" in svg  # the chart's lines, as Vega draws them
        assert pg.evaluate(DRAWN) == 0  # the charts themselves wait for Vega
        assert held, "Streamlit asked for no Vega script"
        for route in held:
            route.continue_()
        context.unroute(VEGA_SCRIPTS)
        pg.wait_for_function(f"() => ({DRAWN})() >= 3")
        expect(pictures.first).to_be_hidden()
        shot(pg, "first_screen_charts")
        assert not any(pictures.nth(i).evaluate(VISIBLE) for i in range(pictures.count()))
        for i in range(3):  # each chart in its own place, where its picture was
            place = pg.locator(FIGURES).nth(i)
            chart = place.locator(CHART)
            assert chart.count() == 1 and chart.evaluate(VISIBLE)
        assert_charts_fill_their_places(pg, 3)
        # a lever step reruns the page: no picture is sent again
        before = chart_texts(pg)
        pg.locator(".st-key-w_upgrade_target input[type=range]").focus()
        pg.keyboard.press("ArrowRight")
        pg.wait_for_function(f"(b) => JSON.stringify({CHART_TEXTS}) !== b", arg=json.dumps(before))
        settle(pg)
        # the step's run leaves no picture (waited for: a fragment's run shows no running indicator to settle on)
        pg.wait_for_function(f"() => document.querySelectorAll(\"{PICTURES}\").length === 0")
        assert_charts_fill_their_places(pg, 3)
        # a page whose places never held a picture (the sensitivity page, opened from the sidebar)
        pg.locator("[data-testid='stSidebar'] label", has_text="敏感性分析").first.click()
        pg.wait_for_function(f"() => document.querySelectorAll(\"{FIGURES} {CHART} svg\").length >= 2")
        settle(pg)
        assert_charts_fill_their_places(pg, 2)
        # a switch back to a page whose pictures are kept (made in the background after the first switch there
        # since the lever step): they come first, and are hidden once Vega has drawn each chart in its place
        deadline = time.monotonic() + 120  # the worker yields the CPU to the server: slow on a loaded machine
        while time.monotonic() < deadline:
            for name, key in (("情景比较", "compare"), ("情景预测", "projections")):
                pg.locator("[data-testid='stSidebar'] label", has_text=name).first.click()
                # the run has drawn the page when it has written the page into the link (its last step)
                pg.wait_for_function("(k) => (new URLSearchParams(location.search).get('page') || 'projections')"
                                     " === k", arg=key)
                settle(pg)
            if pg.locator(PICTURES).count() >= 3:
                break
        assert pg.locator(PICTURES).count() >= 3
        # then Vega draws the charts and the pictures are hidden (waited for in one look at the page: on a loaded
        # machine a late run may still replace elements between two looks)
        pg.wait_for_function(f"""() => {{ const shown = [...document.querySelectorAll("{PICTURES}")];
            return ({DRAWN})() >= 3 && shown.length >= 3 && !shown.some({VISIBLE}); }}""")
        assert_charts_fill_their_places(pg, 3)
    finally:
        context.close()


def assert_charts_fill_their_places(pg: Page, n: int) -> None:
    """Each of the page's ``n`` or more charts in a place is as wide as its place (a chart that follows its
    container's width once drew 16 px wide in a place laid out as a grid whose column took its content's width)."""
    widths = pg.evaluate(f"""() => [...document.querySelectorAll("{FIGURES}")].map(f => {{
        const c = f.querySelector("{CHART}"); return c ? [f.getBoundingClientRect().width,
        c.getBoundingClientRect().width] : null; }}).filter(x => x)""")
    assert len(widths) >= n, widths
    for place_w, chart_w in widths:
        assert place_w > 250 and chart_w >= 0.9 * place_w, widths


def test_a_reader_whose_system_is_dark_gets_the_light_page(server, browser):
    """The app keeps its light theme (.streamlit/config.toml) when the reader's system prefers dark: its charts,
    cards and tables are coloured for a white page (in Streamlit's dark theme the charts' titles and legends were
    dark on dark)."""
    context = browser.new_context(viewport={"width": 1440, "height": 900}, color_scheme="dark")
    pg = context.new_page()
    pg.set_default_timeout(TIMEOUT_MS)
    try:
        pg.goto(server + "/")
        pg.wait_for_function(f"() => ({DRAWN})() >= 3")
        assert pg.evaluate("() => matchMedia('(prefers-color-scheme: dark)').matches")  # the reader's system: dark
        background = pg.evaluate("() => getComputedStyle(document.querySelector('[data-testid=stApp]'))"
                                 ".backgroundColor")
        assert background == "rgb(255, 255, 255)", background  # the page: white, as the charts expect
        heading = pg.evaluate("() => getComputedStyle(document.querySelector('h1')).color")
        assert heading != "rgb(255, 255, 255)" and heading.startswith("rgb("), heading  # text dark on white
    finally:
        context.close()
