"""The compare and calibration pages in AppTest, and a smoke run of every page in app/main.py's PAGES."""

from __future__ import annotations

import io
import re

import pytest
from app_testkit import charts, keyed, new_app, number, open_editor, plain, run
from openpyxl import load_workbook

from growthsim.app.main import PAGES
from growthsim.calibration.fit import read_reported
from growthsim.calibration.targets import targets
from growthsim.runner import RunSettings, load_calibration
from growthsim.runner import run as run_model
from growthsim.scenario_files import load_scenario
from growthsim.simulation.indicators import indicators


def compare_app(query=None, **changes):
    at = run(open_editor(new_app({"page": "compare", "draws": "500", **(query or {})})))
    for key, value in changes.items():
        at.slider(key=key).set_value(value)
    return run(at) if changes else at


def paths(at, indicator) -> list[dict]:
    """The quantile rows a comparison chart sends to the browser (one per scenario and year)."""
    return [r for r in charts(at)[f"cmp_chart_{indicator}"]["data"]["values"] if r["kind"] == "path"]


def medians(at, indicator):
    """The scenarios whose median paths a comparison chart draws, in order."""
    return list(dict.fromkeys(r["key"] for r in paths(at, indicator)))


def p50_by_scenario(at, indicator) -> dict[str, dict[int, float]]:
    """Each scenario's median by year, as the chart draws it."""
    out: dict[str, dict[int, float]] = {}
    for r in paths(at, indicator):
        out.setdefault(r["key"], {})[r["year"]] = r["p50"]
    return out


def test_default_comparison_is_baseline_edited_and_policy():
    at = compare_app(w_exit_rate=6.5)
    assert keyed(at.multiselect, "cmp").value == ["baseline", "edited", "intensified"]
    assert medians(at, "above_scale_firms") == ["基准情景", "基准+调整假设", "强化政策"]
    table = at.table[0].value
    assert [c for c in table.columns if c.endswith("达成概率")] == [
        "基准情景 · 达成概率", "基准+调整假设 · 达成概率", "强化政策 · 达成概率"]
    # The policy line is the shipped policy scenario (official assumptions), not the user's assumptions. The one
    # tracked target after the last reported year (2025) is gdp_growth_2026.
    cal = load_calibration(RunSettings(draws=500))
    ref = run_model([load_scenario("intensified", first_year=cal.base_year + 1)], RunSettings(draws=500), cal)
    label = targets()["gdp_growth_2026"].label_zh
    assert table[table["目标"] == label]["强化政策 · 达成概率"].iloc[0] == \
        ref.target_table.set_index("target_id").probability["gdp_growth_2026"]
    # Changed assumptions alone (a higher exit rate) lower the firm count: shown apart from policy. The firm count
    # has no tracked target after 2025, so the medians of the firm-count chart are compared, in 2028.
    p50 = p50_by_scenario(at, "above_scale_firms")
    assert p50["基准+调整假设"][2028] < p50["基准情景"][2028]
    assert p50["强化政策"][2028] > p50["基准情景"][2028]  # more upgrades and projects


def test_difference_table_gives_gaps_by_year():
    at = compare_app(w_upgrade_target=700)
    diff = at.dataframe[0].value
    assert len(diff) == 2 * len(indicators())  # each indicator, for the two scenarios other than the reference
    assert set(diff["情景"]) == {"基准+调整假设", "强化政策"}
    row = diff[(diff["指标"] == "规模以上工业企业数量") & (diff["情景"] == "基准+调整假设")].iloc[0]
    lines = p50_by_scenario(at, "above_scale_firms")
    # 2028: a projected year (projections run 2026-2030 from the last reported year, 2025)
    gap = lines["基准+调整假设"][2028] - lines["基准情景"][2028]
    assert number(row["2028"]) == pytest.approx(gap, abs=0.5)  # the table's gap is the charts' gap (whole firms)
    assert gap > 0  # 700 instead of 405 upgrades a year
    keyed(at.selectbox, "diff_ref").set_value("intensified")
    run(at)
    assert set(at.dataframe[0].value["情景"]) == {"基准情景", "基准+调整假设"}


def test_pick_scenarios_bands_and_the_policy_with_changes():
    at = compare_app(w_exit_rate=6.5)
    options = keyed(at.multiselect, "cmp").options
    assert "强化政策+调整假设" in options and "下行压力" in options
    keyed(at.multiselect, "cmp").set_value(["baseline", "edited", "intensified", "intensified+edited"])
    at.toggle(key="cmp_bands").set_value(True)
    run(at)
    data = paths(at, "mfg_va_share_gdp")
    assert len({r["key"] for r in data if r["band"]}) == 4  # a band for each of the 4 scenarios chosen
    spec = charts(at)["cmp_chart_mfg_va_share_gdp"]
    assert sum(lay["mark"]["type"] == "line" for lay in spec["layer"]) == 4  # and a median line each
    assert at.query_params["cmp"] == "baseline,edited,intensified,intensified+edited"
    keyed(at.multiselect, "cmp").set_value(["baseline"])
    run(at)
    assert "请至少选择 2 个情景" in at.warning[0].value


def test_comparison_from_a_link_and_its_workbook(downloads):
    at = compare_app({"cmp": "baseline,downside"})
    assert keyed(at.multiselect, "cmp").value == ["baseline", "downside"]
    xlsx = [n for n in downloads if n.endswith(".xlsx")][-1]
    wb = load_workbook(io.BytesIO(downloads[xlsx]()))
    assert wb.sheetnames == ["基准情景", "下行压力", "情景比较", "指标比较", "参数假设", "运行信息", "说明", "目标测算",
                             "分解表（示例）"]
    assert wb["运行信息"]["B4"].value == 500  # the draws of the page (from the link)
    # the default horizon is 2030 (five years after the last reported year); the command names the page's language
    assert "growthsim run baseline downside --draws 500 --seed 20211 --horizon 2030 --lang zh" in at.code[0].value


def test_calibration_page_shows_every_reported_figure_with_its_source():
    at = run(new_app({"page": "calibration"}))
    assert not at.slider  # no scenario editor on this page
    cal = load_calibration(RunSettings())
    reported = read_reported()
    table = at.dataframe[0].value
    assert len(table) == len(reported) == len(cal.report)  # every figure, partial-year and context ones included
    # a web figure's address; a figure from the pack's documents has its title and no file name (issue 21 item 5)
    seed = table["网址"].isna()
    assert set(table.loc[~seed, "网址"]) == set(reported.source_file[reported.url != ""])
    assert seed.sum() == (reported.url == "").sum()  # the figures without a URL are the seed-file ones
    assert (table["引文"].str.len() > 0).all()  # every figure with its quote
    shown = table.to_csv() + "\n".join(str(m.value) for kind in (at.markdown, at.caption) for m in kind)
    assert not re.search(r"\d{3}_[0-9a-f]{16}\.txt", shown)  # no file name where a title exists
    assert "《青岛市“十四五”制造业高质量发展规划》，2021-10-25" in set(table["来源文件"])
    assert table.loc[seed, "引文核对"].str.startswith("✓").all()
    assert not table.loc[seed, "来源文件"].str.contains(r"\d{3}_[0-9a-f]{16}").any()  # by title, not file hash
    # a figure cited by URL: its publisher and publication date (the record's publisher and published columns)
    web = table[~seed]
    assert len(web) == (reported.url != "").sum() > 0
    assert (web["来源文件"] != "").all() and (web["引文核对"] == "网页来源（本地未存原文，未核对）").all()
    hkcd = "http://www.hkcd.com/content_p/2021-02/01/content_110659.html"
    row = web[(web["网址"] == hkcd) & (web["年份"] == 2020) & (web["指标"] == "地区生产总值增速")].iloc[0]
    # the record's Chinese publisher (publisher_zh), date
    assert row["来源文件"] == "香港商报（报道青岛市政府新闻办新闻发布会），2021-02-01"
    # a year's figure may be reported more than once: each row says which (2020 growth: 5.5 full year, -4.0 Jan-May)
    growth = table[(table["年份"] == 2020) & (table["指标"] == "规模以上工业增加值增速")].set_index("实际值")["口径"]
    assert growth[5.5] == "全年终值" and growth[-4.0] == "1—5月累计" and growth[-1.1] == "1—6月累计"
    roles = table[(table["年份"] == 2020) & (table["指标"] == "规模以上工业增加值增速")].set_index("实际值")["用途"]
    # the full-year figure is fitted; the partial-year ones serve the in-year monitoring only (not fitted)
    assert roles[5.5] == "拟合（观测）" and roles[-4.0] == roles[-1.1] == "年内监测（不参与拟合）"
    # the ESS table says which years' figures were taken in parts (tempering); the start year's is the
    # likelihood of the figures before it (2015-2019), tempered too
    ess_parts = at.dataframe[2].value.set_index("年份")["分步计入（退火）"]
    assert int(ess_parts[2020]) > 1 and int(ess_parts[2024]) > 1
    shares = table[(table["年份"] == 2020) & (table["指标"] == "制造业增加值占全市生产总值比重")].iloc[0]
    assert shares["实际值"] == 24.9 and shares["模型值"] == 24.9  # the filter starts (2020) on the reported share
    # a figure the model does not reproduce (a context figure) has a blank model value: the table draws its
    # missing cells as "—" (the widget's placeholder), not its grey "None"
    assert table["模型值"].isna().any() and at.dataframe[0].proto.placeholder == "—"
    assert "calibration_chart" in charts(at)
    # prior against posterior, one row per drawn parameter, and the filter's effective sample size per year
    prior = at.dataframe[1].value  # after the figures' table
    assert len(prior) == len(cal.parameters)
    assert list(prior["参数"]) == list(cal.parameters.label_zh)
    assert list(prior["后验/先验标准差"]) == list(cal.parameters.sd_ratio.round(2))
    # "narrowed by the data" reads the ratio, not the registry's declaration: a calibrated parameter whose
    # posterior is as wide as its prior (the downturn probability, ratio about 1) says 否
    narrowed = prior.set_index("参数")["数据是否收窄（比值<0.8）"]
    for r in cal.parameters.itertuples():
        assert narrowed[r.label_zh] == ("是" if r.sd_ratio < 0.8 else "否"), r.parameter
    assert narrowed["下行年份概率"] == "否" and narrowed["制造业以外GDP趋势增速(起始年)"] == "是"  # ratios 0.9 and 0.5
    ess = at.dataframe[2].value
    assert list(ess["年份"]) == list(cal.diagnostics.year)
    # the web pages listed with publisher, date and a link, and the figures quoted from each
    pages = next(e for e in at.expander if e.label.startswith("网页来源"))
    listed = "\n".join(m.value for m in pages.markdown)
    assert f"[www.hkcd.com]({hkcd})" in listed
    assert "香港商报（报道青岛市政府新闻办新闻发布会），2021\\-02\\-01" in listed
    assert all(u in listed for u in set(reported.url) - {""})  # every page cited
    keyed(at.selectbox, "cal_source").set_value("003_98086a54bbfbe68d.txt")
    run(at)
    assert "24.9%" in at.text[0].value
    # the quote, listed
    assert any("2020年,全市制造业增加值占全市生产总值的24.9%" in plain(m.value) for m in at.markdown)
    at.toggle(key="lang_en").set_value(True)
    run(at)
    assert "Reported" in at.dataframe[0].value.columns
    en = at.dataframe[0].value
    doc = en[en["Web address"] == hkcd]["Document"].iloc[0]
    assert doc.startswith("“香港商报” (reporting")  # the name as published


def test_backtest_page_shows_what_the_command_line_computes():
    from growthsim.backtest_report import coverage_display, errors_display
    from growthsim.calibration.backtest import run_backtest

    at = run(new_app({"page": "backtest"}))
    assert not at.slider  # no scenario editor on this page
    bt = run_backtest(read_reported(), draws=2000, seed=20211)  # the page's draws and the app's default seed
    assert at.dataframe[0].value.equals(coverage_display(bt, "zh"))  # the same coverage as growthsim backtest
    assert at.dataframe[1].value.equals(errors_display(bt, "zh"))
    assert any("growthsim backtest --seed 20211" in c.value for c in at.caption)
    pooled = at.dataframe[0].value.iloc[0]
    assert pooled["数据个数"] == len(bt.rows)  # every scored figure (62 at origins 2020-2024), pooled over origins
    options = keyed(at.selectbox, "bt_indicator").options
    assert len(options) == bt.fans.indicator.nunique() and "规模以上工业增加值增速" in options
    fan = charts(at)["bt_fan"]
    assert any("p50" in r for r in fan["data"]["values"])  # a fan for the chosen indicator
    at.toggle(key="lang_en").set_value(True)
    run(at)
    assert at.dataframe[0].value.equals(coverage_display(bt, "en"))


@pytest.mark.parametrize("page", [p.key for p in PAGES])
def test_every_page_renders(page):
    # Every page listed in app/main.py opens without an error, in Chinese and in English.
    at = run(new_app({"page": page, "draws": "200"}))
    assert keyed(at.radio, "page").value == page
    assert not at.error
    at.toggle(key="lang_en").set_value(True)
    run(at)
    assert at.title[0].value.startswith("Qingdao")
