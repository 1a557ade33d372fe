"""目标测算 in a real browser (Playwright, Debian's Chromium): both languages, desktop and phone width.

Opens the page with a candidate target in the link, waits for the ladders, the
targets table, the exceedance curve, the waterfall and the split, checks that
the page is in one language, and saves a screenshot of each view under
tests/artifacts/ (targets_{zh,en}_{desktop,phone}.png).
"""

from __future__ import annotations

import os
import subprocess

import pytest
from app_testkit import ROOT
from playwright.sync_api import expect, sync_playwright

from growthsim.app import serve

CHART = "[data-testid='stVegaLiteChart']"

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
ARTIFACTS = ROOT / "tests" / "artifacts"
TIMEOUT_MS = 90_000   # the machine is shared and has two cores
SIZES = {"desktop": (1440, 900), "phone": (390, 844)}
CANDIDATE = "mfg_va_share_gdp%402030%3E%3D27"   # mfg_va_share_gdp@2030>=27, URL-encoded

pytestmark = pytest.mark.timeout(600)
expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port = serve.free_port()
    log = tmp_path_factory.mktemp("server") / "streamlit.log"
    env = dict(os.environ, GROWTHSIM_SAVED_DIR=str(tmp_path_factory.mktemp("saved")))
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
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield b
        finally:
            b.close()


WORDS = {"zh": ("主要指标梯度", "增速梯度", "目标在梯度上的位置", "差距分解", "指标分解到区市", "测算目标", "示例"),
         "en": ("Headline indicators", "Growth ladder", "Targets on the ladder", "Where the gap comes from",
                "Splitting a city target", "candidate", "示例")}


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_target_page_in_each_language_and_width(server, browser, lang, size):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    w, h = SIZES[size]
    context = browser.new_context(viewport={"width": w, "height": h}, locale="zh-CN" if lang == "zh" else "en-GB")
    pg = context.new_page()
    pg.set_default_timeout(TIMEOUT_MS)
    try:
        query = f"?page=targets&draws=200&m_tg={CANDIDATE}" + ("&lang=en" if lang == "en" else "")
        pg.goto(server + "/" + query)
        main = pg.locator("section.stMain, [data-testid='stMain']").first
        for word in WORDS[lang]:
            expect(main.get_by_text(word, exact=False).first).to_be_attached()
        expect(pg.locator(CHART).nth(1)).to_be_visible()   # the curve and the waterfall are drawn
        text = main.inner_text()
        if lang == "en":   # nothing Chinese outside the illustrative label, quotes and district names in the table
            stray = [line for line in text.splitlines() if any("\u4e00" <= c <= "\u9fff" for c in line)
                     and "示例" not in line and "“" not in line]
            assert len(stray) <= 12, stray[:12]   # at most the ten district names and the table's two headers
        else:
            assert "Floor" not in text and "candidate" not in text
        main.get_by_text(WORDS[lang][4], exact=False).first.scroll_into_view_if_needed()
        pg.screenshot(path=str(ARTIFACTS / f"targets_{lang}_{size}.png"), full_page=False)
    finally:
        context.close()
