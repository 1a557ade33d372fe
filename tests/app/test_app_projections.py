"""The projections page in Streamlit's AppTest: every control, and numbers moving the right way."""

from __future__ import annotations

import io
import json
import math
import tomllib

import pandas as pd
import pytest
from app_testkit import charts, keyed, new_app, number, open_editor, plain, run
from openpyxl import load_workbook

from growthsim.calibration.targets import reported_outcomes, targets, tracked_targets
from growthsim.runner import RunSettings, load_calibration
from growthsim.runner import run as run_model
from growthsim.scenario_files import load_scenario
from growthsim.simulation.indicators import indicators, shown_in
from growthsim.simulation.registry import GROUP_LABELS, parameters
from growthsim.simulation.scenario import baseline
from growthsim.wording import parameter_description

TARGET_COL = "目标"
PROB_COL = "达成概率"
P50_COL = "预测中位数"
STATUS_COL = "实际情况"
FUTURE = "gdp_growth_2026"  # the one tracked target after the last reported year (2025)


@pytest.fixture(scope="module")
def reference():
    """The command line's numbers for the baseline (default draws, seed, horizon)."""
    cal = load_calibration(RunSettings())
    return cal, run_model([baseline()], RunSettings(), cal)


def card(at):
    """The whole scorecard: the targets ahead (first table), then the 14th plan's review (folded below, when any
    target's year is reported)."""
    from growthsim.app.page_projections import K_OPEN_REVIEW

    if K_OPEN_REVIEW not in at.session_state or not at.session_state[K_OPEN_REVIEW]:
        at.session_state[K_OPEN_REVIEW] = True  # a closed review draws no table (a lazy expander)
        run(at)
    ahead = at.table[0].value
    review = [t.value for t in at.table[1:] if list(t.value.columns) == list(ahead.columns)]
    return pd.concat([ahead, *review], ignore_index=True)


def row(at, target_id, lang="zh"):
    t = targets()[target_id]
    table = card(at)
    col = TARGET_COL if lang == "zh" else "Target"
    hit = table[table[col].str.startswith(t.label_zh if lang == "zh" else t.label_en)]
    assert len(hit) == 1, (target_id, list(table[col]))
    return hit.iloc[0]


def chart(at, indicator, prefix="chart_"):
    found = charts(at)
    assert f"{prefix}{indicator}" in found, (indicator, list(found))
    return found[f"{prefix}{indicator}"]


def median_trace(spec, name_part):
    """One scenario's median path in a chart: {"name", "x": years, "y": medians} (the rows the browser gets)."""
    path = [r for r in spec["data"]["values"] if r["kind"] == "path" and name_part in r["key"]]
    assert path, (name_part, {r["key"] for r in spec["data"]["values"]})
    return {"name": path[0]["key"], "x": [r["year"] for r in path], "y": [r["p50"] for r in path],
            "band": [[r.get("p10"), r.get("p90")] for r in path]}


def value_at(trace, year):
    return trace["y"][trace["x"].index(year)]


def test_opens_in_chinese_with_scorecard_charts_and_registry_sliders(reference):
    cal, ref = reference
    at = run(open_editor(new_app()))  # every group box open: a closed one draws no sliders
    assert at.title[0].value == "青岛工业增长目标情景模拟"
    assert not at.error
    # Scorecard: every tracked target of a reported year (its outcome) and within the default horizon 2030
    # (the command line's probabilities).
    table = card(at)
    outcomes = reported_outcomes(cal).set_index("target_id")
    future = {tid for tid, t in tracked_targets().items() if cal.base_year < t.year <= 2030}
    assert FUTURE in future   # gdp_growth_2026, and the 2026-2030 targets found since
    assert len(table) == len(outcomes) + len(future)
    probs = ref.target_table.set_index("target_id").probability
    for tid, out in outcomes.iterrows():  # a reported year: the outcome, not a probability
        shown = row(at, tid)
        assert math.isnan(shown[PROB_COL])
        if out.basis == "reported":       # 达成/未达成 with the reported value
            assert shown[STATUS_COL].endswith(("，达成", "，未达成"))
        else:                             # not published: the posterior's estimate, marked 估计
            assert f"估计达成概率 {out.probability:.0%}" in shown[STATUS_COL]
    assert row(at, "va_growth_2021")[STATUS_COL] == "8.1%，未达成"  # 2021: 8.1% reported (001) below 10 − 0.5
    assert row(at, FUTURE)[PROB_COL] == probs[FUTURE]  # identical: same runner, draws and seed as the CLI
    assert row(at, FUTURE)[STATUS_COL] == "—"
    # Charts: the headline indicators first, each with band, median and target star.
    assert sorted(charts(at)) == sorted(f"chart_{i}" for i in shown_in("headline"))
    spec = chart(at, "mfg_va_share_gdp")
    values = spec["data"]["values"]
    assert spec["layer"][0]["mark"]["type"] == "area" and any(r["kind"] == "path" and r["band"] for r in values)
    assert any(r["kind"] == "reported" and (r["year"], r["value"]) == (2020, 24.9) for r in values)  # 2020's share
    assert any(r["kind"] == "target" and r["year"] == 2025 for r in values)  # the star: 29% by 2025
    # Sliders: one per registry parameter, with its label, unit, bounds and baseline value.
    reg = parameters()
    assert len(at.slider) == len(reg)
    for s in at.slider:
        p = reg[s.key[2:]]
        assert s.label == f"{p.label_zh}（{p.unit}）"
        assert (s.min, s.max) == (p.lower, p.upper)
        assert s.value == pytest.approx(cal.posterior.default(p.id))
        assert parameter_description(p, "zh")[:12] in plain(s.help)  # the help explains it in Chinese
    assert dict(at.query_params) == {}  # nothing changed: nothing in the link


def test_levers_and_uncertainties_are_apart_and_grouped():
    at = run(open_editor(new_app()))
    reg = parameters()
    sub = [h.value for h in at.sidebar.subheader]
    assert sub == ["政策杠杆（政府可调）", "不确定因素（外部假设）"]
    groups = [e for e in at.sidebar.expander if e.label in {zh for zh, _ in GROUP_LABELS.values()}]
    seen_kinds = []
    for e in groups:
        kinds = {reg[s.key[2:]].kind for s in e.slider}
        assert len(kinds) == 1, e.label  # a group box holds only levers or only uncertainties
        assert all(GROUP_LABELS[reg[s.key[2:]].group][0] == e.label for s in e.slider)
        seen_kinds.append(kinds.pop())
    assert seen_kinds == sorted(seen_kinds)  # every lever group comes before every uncertainty group ("l" < "u")
    assert sum(len(e.slider) for e in groups) == len(reg)


def firms_2028(at, name_part="基准情景"):
    """The 2028 median firm count of the chart's scenario line (the firm-count target, 2024, is in the past)."""
    return value_at(median_trace(chart(at, "above_scale_firms"), name_part), 2028)


def test_more_firm_upgrades_raise_the_firm_count():
    at = run(new_app())
    before = row(at, FUTURE)
    base_line = firms_2028(at)
    at.slider(key="w_upgrade_target").set_value(800)
    run(at)
    after = row(at, FUTURE)
    # 395 more upgrades a year (from 405 to 800) from 2026 (pool 1.2 × rate 0.8333 = the target, on average):
    # about 395 more firms a year, 2026-2028, less 5-6 % exits: well over 800 more firms in 2028
    assert firms_2028(at, "基准+调整假设") > base_line + 800
    assert firms_2028(at, "基准情景") == base_line  # the dashed baseline stays put
    # Upgrades add firms, not growth: growth is on the comparable basis (同口径), whose base holds an upgraded
    # firm's last year. 2026 GDP growth's median and the probability of 5 % stay exactly as they were.
    assert number(after[P50_COL]) == number(before[P50_COL])
    assert after[PROB_COL] == before[PROB_COL]
    assert after["较基准"] == 0
    assert at.query_params["upgrade_target"] == "800"  # the value just set
    assert "小升规目标" in plain(at.info[0].value)


def test_a_lever_step_changes_the_charts_data_not_their_specification():
    """The browser compiles and lays out a Vega-Lite chart again whenever its specification changes, and only
    updates the data in place when the specification is the same (Streamlit sends the rows beside it). So after
    the first step (which adds the edited scenario to the legend) a step changes every headline chart's rows and
    none of their specifications: the values a screen reader hears live in the text after the chart."""
    at = run(new_app())
    at.slider(key="w_upgrade_target").set_value(500)
    run(at)

    def sent() -> dict[str, tuple[str, bytes]]:
        return {json.loads(e.proto.spec)["usermeta"]["key"]: (e.proto.spec, e.proto.data.data)
                for e in at.get("vega_lite_chart")}

    first = sent()
    at.slider(key="w_upgrade_target").set_value(700)
    run(at)
    second = sent()
    assert list(first) == list(second) and len(first) >= 3  # the headline charts
    assert all(first[k][0] == second[k][0] for k in first)  # the same specifications
    assert first["chart_above_scale_firms"][1] != second["chart_above_scale_firms"][1]  # more firms drawn


@pytest.mark.parametrize("key,value,indicator,year,direction", [
    ("w_exit_rate", 8.0, "above_scale_firms", 2028, -1),            # more exits: fewer firms (5,622 -> 5,210)
    ("w_demand_shock_size", 10.0, "mfg_va_share_gdp", 2027, -1),     # a 10% shock in 2027 (its default year):
                                                                     # a lower share that year (23.9 -> 22.1)
    ("w_key_firm_growth", 25.0, "above_scale_va_growth", 2026, +1),  # faster key firms: faster growth (6.5 -> 8.4)
    ("w_non_mfg_gdp_real_growth", 8.5, "mfg_va_share_gdp", 2030, -1),  # the rest of GDP grows faster: a lower
                                                                       # share by 2030 (23.5 -> 21.7)
])
def test_sliders_move_numbers_in_the_expected_direction(key, value, indicator, year, direction):
    # Every target but 2026's GDP growth is in a reported year now: the charts' medians show the movement.
    at = run(open_editor(new_app({"draws": "500"})))
    before = value_at(median_trace(chart(at, indicator), "基准情景"), year)
    at.slider(key=key).set_value(value)
    run(at)
    after = value_at(median_trace(chart(at, indicator), "基准+调整假设"), year)
    assert (after - before) * direction > 0, (key, before, after)


def test_sliders_move_the_projected_target():
    # The one projected target, GDP growth 2026, moves with the rest of GDP's growth (5.8% -> 7.1% at 500 draws).
    at = run(open_editor(new_app({"draws": "500"})))
    before = row(at, FUTURE)
    at.slider(key="w_non_mfg_gdp_real_growth").set_value(8.5)
    run(at)
    after = row(at, FUTURE)
    assert number(after[P50_COL]) > number(before[P50_COL]) and after[PROB_COL] > before[PROB_COL]


def test_a_lever_without_spread_sets_its_indicator_exactly():
    at = run(open_editor(new_app()))
    at.segmented_control(key="charts_which").set_value("targeted")
    at.slider(key="w_tech_renovation_investment_growth").set_value(20.0)
    run(at)
    # Renovation investment growth is a lever (no draws): every draw of every projected year equals it, so the
    # path is 20 from 2026 (2025 is the reported base year's 12%, the registry value). Its registry entry says an
    # assumption sets it: the chart draws the assumed path, named so, without a band or P10–P90 in the hover.
    spec = chart(at, "tech_renovation_investment_growth")
    line = median_trace(spec, "基准+调整假设")
    assert [value_at(line, y) for y in range(2026, 2031)] == [20.0] * 5
    assert line["name"].endswith("假设路径") and line["band"][line["x"].index(2026)] == [None, None]  # no quantiles
    assert not any(r["kind"] == "path" and r["band"] for r in spec["data"]["values"])  # an assumption: no band
    # Its 2024 target (12% or more) is in a reported year and decided by that assumption: the scorecard says so.
    assert row(at, "tech_renovation_growth_2024")[STATUS_COL].startswith("由假设决定：技改投资增速")


def test_number_fields_give_the_same_numbers_as_sliders():
    at = run(open_editor(new_app()))
    at.slider(key="w_upgrade_target").set_value(700)
    run(at)
    by_slider = card(at)
    firms_700 = firms_2028(at, "基准+调整假设")
    at.toggle(key="number_fields").set_value(True)
    run(at)
    assert len(at.slider) == 0 and len(at.number_input) == len(parameters()) + 1  # + the seed field
    assert at.number_input(key="n_upgrade_target").value == 700  # the slider's value carries over
    assert card(at).equals(by_slider)
    assert firms_2028(at, "基准+调整假设") == firms_700
    at.number_input(key="n_upgrade_target").set_value(900)
    run(at)
    assert firms_2028(at, "基准+调整假设") > firms_700  # 200 more upgrades a year: more firms
    # but the same chance of 2026's GDP target: upgrades do not add growth (comparable basis)
    assert row(at, FUTURE)[PROB_COL] == by_slider[by_slider[TARGET_COL].str.startswith(
        targets()[FUTURE].label_zh)].iloc[0][PROB_COL]


def test_settings_draws_seed_horizon_and_data():
    at = run(new_app())
    first = card(at)
    at.select_slider(key="draws").set_value(200)
    run(at)
    assert any("200 次蒙特卡洛模拟" in c.value for c in at.caption)
    at.number_input(key="seed").set_value(12345)
    run(at)
    other_seed = card(at)
    at.number_input(key="seed").set_value(20211)
    at.select_slider(key="draws").set_value(1000)
    run(at)
    assert card(at).equals(first)                  # same inputs and seed: the same numbers
    assert not other_seed.equals(first)            # another seed (and 200 draws): other random numbers
    at.select_slider(key="horizon").set_value(2032)  # the default is 2030
    run(at)
    spec = chart(at, "mfg_va_share_gdp")
    assert max(median_trace(spec, "基准情景")["x"]) == 2032  # the horizon just set
    at.selectbox(key="through").set_value(2020)
    run(at)
    assert any("数据截至 2020" in c.value for c in at.caption)
    assert at.query_params["through"] == "2020" and at.query_params["horizon"] == "2032"  # both settings in the link
    # With data only through 2020, the 2021 targets are no longer in the past: projected, with a probability and
    # no reported outcome (8.1% for 2021 is not used).
    r = row(at, "va_growth_2021")
    assert "已过去" not in r[TARGET_COL]
    assert 0 <= r[PROB_COL] <= 1 and r[STATUS_COL] == "—"


def test_every_indicator_is_charted_on_request():
    at = run(new_app({"draws": "200"}))
    at.segmented_control(key="charts_which").set_value("targeted")
    run(at)
    targeted = {f"chart_{t.indicator}" for t in tracked_targets().values()}
    assert set(charts(at)) == targeted
    at.segmented_control(key="charts_which").set_value("all")
    run(at)
    assert sorted(charts(at)) == sorted(f"chart_{i}" for i in indicators())


def test_no_charts_keeps_the_scorecard_and_updates_it():
    at = run(new_app({"draws": "200"}))
    before = card(at).copy()
    at.segmented_control(key="charts_which").set_value("none")
    run(at)
    assert not charts(at)
    assert card(at).equals(before)  # the same scorecard, without the figures
    at.slider(key="w_upgrade_target").set_value(600)
    run(at)
    assert not charts(at)
    assert not card(at).equals(before)  # a slider change still updates the scorecard
    at.segmented_control(key="charts_which").set_value("headline")
    run(at)
    assert sorted(charts(at)) == sorted(f"chart_{i}" for i in shown_in("headline"))


def test_year_table_sets_values_from_a_year_on():
    at = run(open_editor(new_app()))
    keyed(at.selectbox, "year_param").set_value("incremental_projects")
    at.segmented_control(key="charts_which").set_value("targeted")
    run(at)
    base_spec = chart(at, "projects_entering_statistics")
    base_2027, base_2028 = (value_at(median_trace(base_spec, "基准情景"), y) for y in (2027, 2028))
    ver = at.session_state["gs_ver"]
    at.session_state[f"ye_incremental_projects_{ver}"] = {
        "edited_rows": {}, "added_rows": [{"year": 2027, "value": 80.0}], "deleted_rows": []}
    run(at)
    assert at.query_params["incremental_projects"] == "2027:80"  # the row added
    spec = chart(at, "projects_entering_statistics")
    # 80 projects a year from 2027 enter statistics a year later (project lag 1): 20 more than the registry's 60,
    # so the 2028 median is ~76, not ~56 (landing and the business climate keep both a little under the lever).
    assert value_at(median_trace(spec, "基准+调整假设"), 2028) > base_2028 + 15
    # ... and 2027 is untouched: its entries come from the 2026 pipeline (same random numbers as the baseline).
    assert value_at(median_trace(spec, "基准+调整假设"), 2027) == base_2027
    assert any("2027年起 80" in c.value for c in at.sidebar.caption)  # the slider notes the row


def test_save_download_and_excel(saved_dir, downloads):
    at = run(open_editor(new_app()))
    at.slider(key="w_upgrade_target").set_value(600)
    at.text_input(key="save_name").set_value("../../逃逸 plan")
    run(at)
    at.button(key="save_button").click()
    run(at)
    files = sorted(p.name for p in saved_dir.iterdir())
    assert len(files) == 2 and ".gitignore" in files  # saved inside the folder, nowhere else
    saved = next(saved_dir.glob("*.toml"))
    assert "/" not in saved.stem and ".." not in saved.stem
    assert "已保存为" in plain(at.sidebar.success[0].value)
    # The TOML download: a safe name and the current values.
    name = [n for n in downloads if n.endswith(".toml")][-1]
    assert name == "逃逸_plan.toml"
    text = downloads[name]().decode("utf-8")  # Streamlit serves the text as UTF-8 bytes
    assert tomllib.loads(text)["levers"]["upgrade_target"] == 600  # the slider's value
    # The Excel workbook: baseline and the edited scenario, as the CLI writes it.
    xlsx = [n for n in downloads if n.endswith(".xlsx")][-1]
    wb = load_workbook(io.BytesIO(downloads[xlsx]()))
    assert wb.sheetnames[:2] == ["基准情景", "基准+调整假设"]
    assert "情景比较" in wb.sheetnames and "参数假设" in wb.sheetnames
    ws = wb["基准+调整假设"]
    header = [c.value for c in ws[2]]
    firms = next(r for r in ws.iter_rows(values_only=True) if r[0] == "规模以上工业企业数量")
    shown = firms_2028(at, "基准+调整假设")  # the chart's 2028 median of the edited scenario
    assert firms[header.index(2028)] == pytest.approx(shown, abs=0.5)  # the page and the workbook agree
    growth = next(r for r in ws.iter_rows(values_only=True) if r[0] == "地区生产总值增速")
    assert growth[header.index(2026)] == pytest.approx(number(row(at, FUTURE)[P50_COL]), abs=0.05)  # and the target's
    csv = [n for n in downloads if n.endswith("_projections.csv")][-1]
    assert downloads[csv]().decode("utf-8-sig").startswith("情景编号,情景,指标编号,指标,单位,年份,均值")  # zh UI


def test_load_a_scenario_and_reset(reference):
    cal, _ = reference
    at = run(open_editor(new_app()))
    keyed(at.selectbox, "load_pick").set_value("intensified")
    at.button(key="load_button").click()
    run(at)
    # scenarios/intensified.toml sets 500 from 2026, the first projected year: that is the whole projection,
    # so the link and the slider hold the one value 500 (405, the registry value, is never used).
    assert at.query_params["upgrade_target"] == "500"
    assert at.slider(key="w_upgrade_target").value == 500
    shipped_intensified = run_model([load_scenario("intensified", first_year=cal.base_year + 1)], RunSettings(), cal)
    probs = shipped_intensified.target_table.set_index("target_id").probability
    assert row(at, FUTURE)[PROB_COL] == probs[FUTURE]  # same numbers as `growthsim run intensified`
    table = shipped_intensified.projection_table.set_index(["indicator", "year"]).p50
    assert firms_2028(at, "基准+调整假设") == table[("above_scale_firms", 2028)]
    at.button(key="reset_button").click()
    run(at)
    assert dict(at.query_params) == {}
    assert any("未调整任何假设" in c.value for c in at.main.caption)


def test_english_switch():
    at = run(new_app())
    at.toggle(key="lang_en").set_value(True)
    run(at)
    assert at.title[0].value == "Qingdao industrial growth targets: scenario simulator"
    assert "Probability" in card(at).columns
    assert row(at, FUTURE, "en")["Probability"] == row(run(new_app()), FUTURE)[PROB_COL]
    assert row(at, "va_growth_2021", "en")["Outcome"] == "8.1%, not met"
    assert "estimated probability" in row(at, "firms_2024", "en")["Outcome"]
    assert at.slider(key="w_upgrade_target").label.startswith("Firm upgrades target")
    assert at.query_params["lang"] == "en"
    spec = chart(at, "mfg_va_share_gdp")
    assert spec["title"]["text"][0].startswith("Manufacturing VA share of GDP")


def test_only_a_page_drawn_afresh_pauses_after_the_scorecard(monkeypatch):
    """The first run pauses once, after the cards and the pictures and before the charts (the browser draws the
    cards on their own: benchmarks/bench_app.py); so does a switch back, whose pictures are kept; a slider change
    is not held up."""
    from app_testkit import keyed

    from growthsim.app import page_projections, ui

    events = []
    real_chart = page_projections.st.vega_lite_chart
    monkeypatch.setattr(page_projections, "let_it_paint", lambda: events.append(("pause", None)))
    monkeypatch.setattr(page_projections.st, "vega_lite_chart", lambda *a, **k: (events.append(("chart", None)),
                                                                                real_chart(*a, **k))[1])
    at = run(new_app({"draws": "200"}))
    assert events[0] == ("pause", None)  # before the first chart
    assert [e for e in events if e[0] == "pause"] == [events[0]]  # once
    assert 0 < ui.PAINT_PAUSE_S <= 0.1  # short: the rest of the page waits for it
    keyed(at.radio, "page").set_value("compare")
    run(at)
    events.clear()
    keyed(at.radio, "page").set_value("projections")
    run(at)
    assert events[0] == ("pause", None) and events.count(("pause", None)) == 1  # the kept pictures, then a pause
    events.clear()
    at.slider(key="w_upgrade_target").set_value(600)
    run(at)
    assert events and all(e[0] == "chart" for e in events)  # redrawn, without a pause


@pytest.mark.parametrize("page", ["projections", "compare"])
def test_every_layer_of_a_pages_charts_draws_something(page):
    """Vega itself (vl-convert's scenegraph) finds marks in every layer of every chart the page sends: a layer
    with no rows (a target without tolerance, a side with no label) cost the browser a dataflow and an
    "Infinite extent" warning at every draw, some 200 warnings a page switch."""
    import vl_convert

    at = run(new_app({"page": page, "draws": "200"}))
    specs = charts(at)
    assert len(specs) >= 3  # the headline charts

    def marks(node, out):
        if isinstance(node, dict):
            if node.get("marktype") and str(node.get("name", "")).endswith("_marks"):
                out[node["name"]] = len(node.get("items", []))
            for v in node.values():
                marks(v, out)
        elif isinstance(node, list):
            for v in node:
                marks(v, out)
        return out

    for key, spec in specs.items():
        drawn = marks(vl_convert.vegalite_to_scenegraph({**spec, "width": 400}), {})
        assert len(drawn) >= 5, (key, drawn)  # band, lines, reported points, stars, their words
        assert all(n > 0 for n in drawn.values()), (key, drawn)
