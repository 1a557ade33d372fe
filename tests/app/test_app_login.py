"""The optional shared-password login ([login] in .streamlit/secrets.toml), with AppTest and in Chromium."""

from __future__ import annotations

import hashlib
import os
import subprocess

import pytest
from app_testkit import ROOT, new_app, run

from growthsim.app import login, serve

PASSWORD = "ein langes Passwort [/] 共享"


def signed_out_page(at) -> bool:
    """The sign-in form is shown and nothing of the app: no sidebar widgets, no scorecard."""
    return len(at.text_input) == 1 and at.text_input[0].key == login.W_PASSWORD and len(at.sidebar.slider) == 0


def test_without_a_login_section_the_app_opens_directly():
    at = run(new_app())
    assert len(at.sidebar.slider) >= 3  # the editor is there (its open group, 小升规's levers): no form in the way
    assert not any(w.key == login.W_PASSWORD for w in at.text_input)


@pytest.mark.parametrize("section", [{"password": PASSWORD},
                                     {"password_sha256": hashlib.sha256(PASSWORD.encode()).hexdigest()}])
def test_a_password_keeps_the_app_closed_until_given(section, monkeypatch):
    monkeypatch.setattr(login, "FAIL_DELAY", 0.0)
    at = new_app({"upgrade_target": "700"})
    at.secrets["login"] = section
    run(at)
    assert signed_out_page(at)
    at.text_input(key=login.W_PASSWORD).input("wrong")
    at.button[0].click()
    run(at)
    assert signed_out_page(at) and "密码不正确" in at.error[0].value  # a wrong password: still closed
    at.text_input(key=login.W_PASSWORD).input(PASSWORD)
    at.button[0].click()
    run(at)
    assert len(at.sidebar.slider) >= 3  # signed in: the app (the editor's open group of levers)
    assert at.slider(key="w_upgrade_target").value == 700  # the link's settings apply after signing in


def test_a_misconfigured_login_refuses_everyone():
    at = new_app()
    at.secrets["login"] = {"password_sha256": "not hex"}
    run(at)
    assert "misconfigured" in at.error[0].value or "设置有误" in at.error[0].value
    assert len(at.sidebar.slider) == 0 and len(at.text_input) == 0


def test_check_password_is_exact():
    assert login.check_password(PASSWORD, {"password": PASSWORD})
    assert not login.check_password(PASSWORD + " ", {"password": PASSWORD})  # no trimming: exactly the phrase
    assert not login.check_password("", {"password": ""})  # an empty password is no password


def test_make_app_serves_this_machine_and_make_app_lan_the_network():
    out = subprocess.run(["make", "-n", "app", "app-lan"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    lines = [ln for ln in out.splitlines() if "streamlit run" in ln]
    assert "--server.address localhost" in lines[0]  # make app: localhost only
    assert "--server.address 0.0.0.0" in lines[1]  # make app-lan: every interface, explicitly


@pytest.mark.timeout(300)
def test_login_in_chromium(tmp_path):
    from playwright.sync_api import expect, sync_playwright
    from test_app_browser import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS

    secrets = tmp_path / "secrets.toml"
    secrets.write_text(f'[login]\npassword = "{PASSWORD}"\n', encoding="utf-8")
    port = serve.free_port()
    env = dict(os.environ, GROWTHSIM_SAVED_DIR=str(tmp_path / "saved"))
    with open(tmp_path / "streamlit.log", "wb") as log:
        proc = subprocess.Popen(serve.command(port) + ["--secrets.files", str(secrets)], cwd=ROOT, env=env,
                                stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        serve.wait_healthy(url, proc)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                pg = browser.new_page()
                pg.set_default_timeout(TIMEOUT_MS)
                pg.goto(url)
                box = pg.get_by_label("共享密码")
                expect(box).to_be_visible(timeout=TIMEOUT_MS)
                expect(pg.get_by_text("情景预测")).to_have_count(0)  # no page of the app before signing in
                box.fill("guess")
                pg.get_by_role("button", name="登录").click()
                expect(pg.get_by_text("密码不正确")).to_be_visible(timeout=TIMEOUT_MS)
                pg.get_by_label("共享密码").fill(PASSWORD)
                pg.get_by_role("button", name="登录").click()
                expect(pg.locator("[data-testid='stSidebar']").get_by_text("情景预测").first).to_be_visible(
                    timeout=TIMEOUT_MS)  # the whole app, after signing in (slow on a busy machine)
            finally:
                browser.close()
    finally:
        serve.stop(proc)
