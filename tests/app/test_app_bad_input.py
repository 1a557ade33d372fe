"""Bad input in AppTest: uploads, links and year tables give a clear message and keep the previous state."""

from __future__ import annotations

from app_testkit import keyed, new_app, open_editor, plain, run

GOOD = """[scenario]
id = "more-upgrades"
title_zh = "更多升规"
title_en = "More upgrades"

[levers]
upgrade_target = 700
incremental_projects = { 2027 = 60 }

[uncertainties]
exit_rate = 6.0
"""


def upload(at, name: str, content: bytes):
    key = f"upload_{at.session_state['gs_ver']}"
    at.file_uploader(key=key).upload(name, content, "application/toml")
    return run(at)


def edited_state(at):
    """What must survive bad input: the link (all settings), the sliders and the scorecard."""
    return (dict(at.query_params), at.slider(key="w_upgrade_target").value, at.table[0].value.copy())


def assert_same_state(at, before):
    q, slider, table = before
    assert dict(at.query_params) == q
    assert at.slider(key="w_upgrade_target").value == slider
    assert at.table[0].value.equals(table)


def prepared():
    """An app with one change already made (so "previous state" is not just the default), its editor's boxes open."""
    at = run(open_editor(new_app({"draws": "500"})))
    at.slider(key="w_upgrade_target").set_value(550)
    return run(at)


def sidebar_errors(at):
    return [plain(e.value) for e in at.sidebar.error]


def test_upload_that_is_not_toml():
    at = prepared()
    before = edited_state(at)
    upload(at, "broken.toml", b"[scenario\ntitle_zh = 1\n")
    (msg,) = sidebar_errors(at)
    assert "broken.toml：不是有效的 TOML" in msg and "仍使用之前的有效设定" in msg
    assert_same_state(at, before)


def test_upload_with_unknown_key_names_it():
    at = prepared()
    before = edited_state(at)
    upload(at, "typo.toml", GOOD.replace("upgrade_target", "upgrade_targt").encode())
    (msg,) = sidebar_errors(at)
    assert "typo.toml，第 7 行：upgrade_targt = 700：未知参数（是否想输入 小升规目标（upgrade_target）" in msg
    assert_same_state(at, before)


def test_upload_with_out_of_range_value_names_value_and_bounds():
    at = prepared()
    before = edited_state(at)
    upload(at, "big.toml", GOOD.replace("exit_rate = 6.0", "exit_rate = 60").encode())
    (msg,) = sidebar_errors(at)
    assert "规上企业退出率（exit_rate） = 60：超出范围；允许：2 至 10 之间的数 %" in msg  # registry bounds of exit_rate
    assert_same_state(at, before)


def test_upload_with_unknown_section_and_wrong_section():
    at = prepared()
    before = edited_state(at)
    upload(at, "s.toml", (GOOD + "\n[levres]\nx = 1\n").encode())
    assert "未知的节或键 'levres'（是否想输入 [levers]？）" in sidebar_errors(at)[0]
    upload(at, "w.toml", GOOD.replace("exit_rate = 6.0", "").replace("upgrade_target = 700", "exit_rate = 6").encode())
    assert "w.toml，第 7 行：规上企业退出率（exit_rate） 是不确定因素；应放在 [uncertaint" in sidebar_errors(at)[0]
    assert "而不是 [levers]" in sidebar_errors(at)[0]
    assert_same_state(at, before)


def test_upload_that_is_not_utf8():
    at = prepared()
    before = edited_state(at)
    upload(at, "latin.toml", "[scenario]\ntitle_zh = \"é\"".encode("latin-1"))
    err = sidebar_errors(at)[0]
    assert "latin.toml，第 2 行：不是 UTF-8 文本" in err and "另存为" in err  # the line of the bad byte, and the fix
    assert_same_state(at, before)


def test_good_upload_loads_into_sliders_and_comparison():
    at = prepared()
    upload(at, "more.toml", GOOD.encode())
    assert not sidebar_errors(at)
    assert "已载入 更多升规（3 项设定）" in plain(at.sidebar.success[0].value)
    # the values written in GOOD
    assert at.slider(key="w_upgrade_target").value == 700
    assert at.query_params["exit_rate"] == "6"  # loaded while its group (经济环境) is closed: kept, not drawn
    run(open_editor(at))
    assert at.slider(key="w_exit_rate").value == 6.0  # drawn with the loaded value once its group is open
    assert at.query_params["incremental_projects"] == "2027:60"  # GOOD's year (scenario years start in 2026)
    keyed(at.radio, "page").set_value("compare")
    run(at)
    assert "upload:more-upgrades" in keyed(at.multiselect, "cmp").options or \
        "更多升规（上传）" in keyed(at.multiselect, "cmp").options
    # A later bad file keeps the uploaded (now previous valid) state.
    upload(at, "bad.toml", b"= = =")
    assert at.slider(key="w_upgrade_target").value == 700  # GOOD's value, the previous valid state


def test_tampered_link_shows_the_problem_and_keeps_defaults():
    at = run(new_app({"upgrade_target": "99999", "exit_rate": "abc", "draws": "3", "lang": "en", "seed": "7",
                      "incremental_projects": "2027:60"}))  # a valid year: projections start in 2026
    text = plain(at.main.error[0].value)
    # the registry's bounds and unit, and the app's draws choices
    assert ("Firm upgrades target (upgrade_target) = '99999': out of bounds; "
            "allowed: a whole number from 0 to 1200 firms/yr") in text
    assert "(exit_rate) = 'abc': not a number (got text); allowed: a number from 2 to 10 %" in text
    assert "draws = '3': not an allowed value; allowed: one of 100, 200, 500, 1000, 2000, 5000, 10000" in text
    assert ("its other scenario settings were not applied either: seed, "
            "Incremental projects entering statistics (incremental_projects).") in text
    # The language is a valid, separate choice and applies; every number stays at the default.
    assert at.title[0].value.startswith("Qingdao")
    assert at.slider(key="w_upgrade_target").value == 405  # the registry default (405 upgrades in 2021, source 001)
    assert at.select_slider(key="draws").value == 1000  # the CLI's default draws
    reference = run(new_app({"lang": "en"}))
    assert at.table[0].value.equals(reference.table[0].value)
    # The link is rewritten to the valid state, and the page keeps working.
    assert dict(at.query_params) == {"lang": "en"}
    at.slider(key="w_upgrade_target").set_value(600)
    run(at)
    assert at.query_params["upgrade_target"] == "600"  # the value just set
    at.button(key="dismiss_notices").click()
    run(at)
    assert not at.main.error


def test_unknown_link_keys_and_pages():
    at = run(new_app({"page": "../../secrets", "upgrade_targt": "500", "upgrade_target": "450"}))
    text = plain(at.main.error[0].value)
    # the setting's name beside its key
    assert "页面（page） = '../../secrets'：未知页面；允许：projections、compare、calibration" in text
    assert "upgrade_targt = '500'：未知参数（是否想输入 小升规目标（upgrade_target）" in text
    assert keyed(at.radio, "page").value == "projections"
    assert at.slider(key="w_upgrade_target").value == 405  # all-or-nothing: the good value did not apply alone


def test_valid_link_reproduces_the_view():
    at = run(open_editor(new_app()))
    at.slider(key="w_upgrade_target").set_value(650)
    at.slider(key="w_exit_rate").set_value(6.5)
    at.toggle(key="lang_en").set_value(True)
    at.select_slider(key="draws").set_value(500)
    run(at)
    link = dict(at.query_params)
    assert link == {"lang": "en", "draws": "500", "upgrade_target": "650", "exit_rate": "6.5"}  # what was set above
    again = run(new_app(link))
    assert not again.error
    assert again.slider(key="w_upgrade_target").value == 650  # from the link
    assert again.table[0].value.equals(at.table[0].value)  # same inputs and seed: the same scorecard
    assert dict(again.query_params) == link


def test_bad_year_table_keeps_previous_values():
    at = prepared()
    keyed(at.selectbox, "year_param").set_value("incremental_projects")
    run(at)
    before = edited_state(at)
    ver = at.session_state["gs_ver"]
    at.session_state[f"ye_incremental_projects_{ver}"] = {
        "edited_rows": {}, "added_rows": [{"year": 2040, "value": 60.0}, {"year": 2028, "value": 500.0}],
        "deleted_rows": []}
    run(at)
    (msg,) = sidebar_errors(at)
    # entries come after the first projected year (2026: the year after the last reported year, 2025) and end at
    # the model's last year (2035); 500 is above the registry's 150 projects a year
    assert "增量项目纳统数（incremental_projects） 第 1 行 = 2040：年份超出预测期；允许：2027—2035 年" in msg
    assert ("增量项目纳统数（incremental_projects） 第 2 行"
            "（增量项目纳统数（incremental_projects）2028 年） = 500.0：超出范围") in msg
    assert_same_state(at, before)


def test_broken_file_in_saved_folder_is_reported(saved_dir):
    saved_dir.mkdir(parents=True)
    (saved_dir / "oops.toml").write_text("[scenario\n", encoding="utf-8")
    at = run(new_app())
    assert "oops.toml：不是有效的 TOML" in plain(at.main.warning[0].value)
    assert "达成概率" in at.table[0].value.columns  # the page works: the scorecard is there


def test_link_problems_read_in_chinese_with_the_settings_names():
    from growthsim.app.state import decode_query
    from growthsim.wording import problem_text

    def zh(query):
        return [problem_text(p, "zh") for p in decode_query(query, ["projections"], 2026, [2024, 2025]).problems]

    assert zh({"horizon": "2100"}) == ["预测终年（horizon） = '2100'：不是允许的取值；允许：2026 至 2035 年之间的年份"]
    # a year's value: the year in words, and text where a number belongs said plainly (not a Python type name)
    assert zh({"upgrade_target": "2027:abc"}) == [
        "小升规目标（upgrade_target）2027 年 = 'abc'：不是数字（收到的是文本）；允许：0 至 1200 的整数 家/年"]
