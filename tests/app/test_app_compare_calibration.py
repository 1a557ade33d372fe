"""The compare and calibration pages in AppTest, and a smoke run of every page in app/main.py's PAGES."""

from __future__ import annotations

import io
import json

import pytest
from app_testkit import new_app, number, plain, run
from openpyxl import load_workbook

from app.main import PAGES
from calibration.fit import read_reported
from growthsim.runner import RunSettings, load_calibration
from growthsim.runner import run as run_model
from growthsim.scenario_files import load_scenario
from simulation.indicators import indicators
from calibration.targets import targets


def compare_app(query=None, **changes):
    at = run(new_app({"page": "compare", "draws": "500", **(query or {})}))
    for key, value in changes.items():
        at.slider(key=key).set_value(value)
    return run(at) if changes else at


def traces(at, indicator):
    spec = json.loads(next(c for c in at.get("plotly_chart") if c.key == f"cmp_chart_{indicator}").proto.spec)
    return spec["data"]


def test_default_comparison_is_baseline_edited_and_policy():
    at = compare_app(w_exit_rate=6.5)
    assert at.multiselect(key="cmp").value == ["baseline", "edited", "intensified"]
    names = [tr["name"] for tr in traces(at, "above_scale_firms") if tr.get("mode") == "lines+markers"]
    assert names == ["基准情景 · 中位数 P50", "基准+调整假设 · 中位数 P50", "强化政策 · 中位数 P50"]
    table = at.table[0].value
    assert [c for c in table.columns if c.endswith("达成概率")] == [
        "基准情景 · 达成概率", "基准+调整假设 · 达成概率", "强化政策 · 达成概率"]
    # The policy line is the shipped policy scenario (official assumptions), not the user's assumptions.
    cal = load_calibration(RunSettings(draws=500))
    ref = run_model([load_scenario("intensified", first_year=cal.base_year + 1)], RunSettings(draws=500), cal)
    label = targets()["firms_2024"].label_zh
    assert table[table["目标"] == label]["强化政策 · 达成概率"].iloc[0] == \
        ref.target_table.set_index("target_id").probability["firms_2024"]
    # Changed assumptions alone (a higher exit rate) lower the firm count: shown apart from policy.
    assert table[table["目标"] == label]["基准+调整假设 · 达成概率"].iloc[0] < \
        table[table["目标"] == label]["基准情景 · 达成概率"].iloc[0]


def test_difference_table_gives_gaps_by_year():
    at = compare_app(w_upgrade_target=700)
    diff = at.dataframe[0].value
    assert len(diff) == 2 * len(indicators())  # each indicator, for the two scenarios other than the reference
    assert set(diff["情景"]) == {"基准+调整假设", "强化政策"}
    row = diff[(diff["指标"] == "规模以上工业企业数量") & (diff["情景"] == "基准+调整假设")].iloc[0]
    p50 = lambda tr: dict(zip(tr["x"], tr["y"]))  # noqa: E731
    lines = {tr["name"]: p50(tr) for tr in traces(at, "above_scale_firms") if tr.get("mode") == "lines+markers"}
    gap = lines["基准+调整假设 · 中位数 P50"][2025] - lines["基准情景 · 中位数 P50"][2025]
    assert number(row["2025"]) == pytest.approx(gap, abs=0.5)  # the table's gap is the charts' gap (whole firms)
    assert gap > 0  # 700 instead of 405 upgrades a year
    at.selectbox(key="diff_ref").set_value("intensified")
    run(at)
    assert set(at.dataframe[0].value["情景"]) == {"基准情景", "基准+调整假设"}


def test_pick_scenarios_bands_and_the_policy_with_changes():
    at = compare_app(w_exit_rate=6.5)
    options = at.multiselect(key="cmp").options
    assert "强化政策+调整假设" in options and "下行压力" in options
    at.multiselect(key="cmp").set_value(["baseline", "edited", "intensified", "intensified+edited"])
    at.toggle(key="cmp_bands").set_value(True)
    run(at)
    data = traces(at, "mfg_va_share_gdp")
    assert sum(tr.get("fill") == "toself" for tr in data) == 4  # a band for each of the 4 scenarios chosen
    assert sum(tr.get("mode") == "lines+markers" for tr in data) == 4  # and a median line each
    assert at.query_params["cmp"] == "baseline,edited,intensified,intensified+edited"
    at.multiselect(key="cmp").set_value(["baseline"])
    run(at)
    assert "请至少选择 2 个情景" in at.warning[0].value


def test_comparison_from_a_link_and_its_workbook(downloads):
    at = compare_app({"cmp": "baseline,downside"})
    assert at.multiselect(key="cmp").value == ["baseline", "downside"]
    xlsx = [n for n in downloads if n.endswith(".xlsx")][-1]
    wb = load_workbook(io.BytesIO(downloads[xlsx]()))
    assert wb.sheetnames == ["基准情景", "下行压力", "情景比较", "指标比较", "参数假设", "运行信息", "说明"]
    assert wb["运行信息"]["B4"].value == 500  # the draws of the page (from the link)
    assert "growthsim run baseline downside --draws 500 --seed 20211 --horizon 2025" in at.code[0].value


def test_calibration_page_shows_every_reported_figure_with_its_source():
    at = run(new_app({"page": "calibration"}))
    assert not at.slider  # no scenario editor on this page
    cal = load_calibration(RunSettings())
    table = at.dataframe[0].value
    assert len(table) == len(read_reported()) == len(cal.report)
    assert set(table["文件名"]) == set(read_reported().source_file)
    assert "《青岛市“十四五”制造业高质量发展规划》，2021-10-25" in set(table["来源文件"])  # by title and date
    assert table["引文核对"].str.startswith("✓").all()  # every quote occurs in its source
    shares = table[(table["年份"] == 2020) & (table["指标"] == "制造业增加值占全市生产总值比重")].iloc[0]
    assert shares["实际值"] == 24.9 and shares["模型值"] == 24.9  # the base year starts on the reported share
    fitted = at.dataframe[1].value
    assert len(fitted) == len(cal.report.attrs["fitted"])
    assert any(c.key == "calibration_chart" for c in at.get("plotly_chart"))
    at.selectbox(key="cal_source").set_value("003_98086a54bbfbe68d.txt")
    run(at)
    assert "24.9%" in at.text[0].value
    assert any("2020年,全市制造业增加值占全市生产总值的24.9%" in plain(m.value) for m in at.markdown)  # the quote, listed
    at.toggle(key="lang_en").set_value(True)
    run(at)
    assert "Reported" in at.dataframe[0].value.columns


@pytest.mark.parametrize("page", [p.key for p in PAGES])
def test_every_page_renders(page):
    # Every page listed in app/main.py opens without an error, in Chinese and in English.
    at = run(new_app({"page": page, "draws": "200"}))
    assert at.radio(key="page").value == page
    assert not at.error
    at.toggle(key="lang_en").set_value(True)
    run(at)
    assert at.title[0].value.startswith("Qingdao")
