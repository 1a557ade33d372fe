"""An output has one home: the indicator registry computes each indicator and says which views show it.

Every view is held to its declaration: the workbook's rows, the app's headline charts, the CLI's horizon table and
the sensitivity table show exactly the indicators that name them. CSV files and the workbook print the same
decimals. An indicator that assumptions set is an assumed path everywhere (no quantiles). A new indicator is
one registry entry: added here on the fly, it is computed, summarised, written and printed with nothing else.
"""

from __future__ import annotations

import dataclasses
import io

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

import growthsim.simulation.indicators as registry
from growthsim.cli import app
from growthsim.exports import csv_bytes, workbook_bytes
from growthsim.runner import RunSettings, load_calibration, run
from growthsim.scenario_files import load_scenario
from growthsim.simulation.indicators import VIEWS, Indicator, indicators, shown_in
from growthsim.simulation.model import project, record
from growthsim.simulation.scenario import baseline

pytestmark = pytest.mark.timeout(300)


@pytest.fixture(scope="module")
def result():
    cal = load_calibration(RunSettings())
    return run([load_scenario("baseline", first_year=cal.base_year + 1)], RunSettings(draws=200), cal)


MEDIAN_ROW = {"Median", "中位数", "assumed path", "假设路径"}  # a scenario sheet's column C on an indicator's first row


def _median_rows(ws) -> dict[str, int]:
    """A scenario sheet's indicators: name -> the row of its median (its P10 and P90 follow below)."""
    return {ws.cell(row=r, column=1).value: r for r in range(3, ws.max_row + 1)
            if ws.cell(row=r, column=3).value in MEDIAN_ROW}


def _names(ws, column: int, first_row: int = 4) -> list[str]:
    """The indicator rows' names: from ``first_row`` down to the first empty row."""
    out = []
    for r in range(first_row, ws.max_row + 1):
        name = ws.cell(row=r, column=column).value
        if name is None:
            break
        out.append(name)
    return out


def test_the_record_computes_exactly_the_registry(calibration):
    st = {k: np.asarray(v, dtype=float)[:3] for k, v in calibration.base.state.items()}
    flows = np.ones(3)
    got = record(dict(st, _investment_growth=flows), flows, flows, flows, flows, flows)
    assert list(got) == list(indicators())  # each entry's compute, in the registry's order
    assert got["mfg_va_share_gdp"] == pytest.approx(100 * st["mfg_va"] / st["gdp"])  # the share, by its definition


def test_every_view_lists_what_declares_it():
    for view in VIEWS:
        assert shown_in(view) == [i for i, m in indicators().items() if view in m.views]
    assert shown_in("headline")[:3] == ["mfg_va_share_gdp", "above_scale_firms", "above_scale_va_growth"]
    with pytest.raises(ValueError, match="unknown view"):
        shown_in("pdf")
    with pytest.raises(ValueError, match="unknown view"):
        dataclasses.replace(indicators()["gdp"], views=("pdf",))


def test_the_workbook_covers_every_indicator_marked_for_it(result):
    wb = load_workbook(io.BytesIO(workbook_bytes(result, "en")))
    expected = [m.name_en + (" (assumed path)" if m.assumed else "")
                for m in (indicators()[i] for i in shown_in("workbook"))]
    assert list(_median_rows(wb["Baseline"])) == expected  # each scenario's sheet, in the registry's order
    assert _names(wb["Indicators"], 1) == expected        # the horizon's comparison


def test_csv_and_workbook_print_the_same_decimals(result):
    csv = pd.read_csv(io.BytesIO(csv_bytes(result.projection_table)), encoding="utf-8-sig")
    wb = load_workbook(io.BytesIO(workbook_bytes(result, "zh")))
    ws = wb["基准情景"]
    rows = _median_rows(ws)
    for ind in shown_in("workbook"):
        m = indicators()[ind]
        # 2026 (columns: indicator, unit, statistic, then 2025, 2026, ...)
        fmt = ws.cell(row=rows[m.name_zh if not m.assumed else f"{m.name_zh}（假设路径）"], column=5).number_format
        places = len(fmt.split(".")[1]) if "." in fmt else 0
        p50 = csv[csv.indicator == ind].p50.dropna()
        assert places == m.decimals, ind                                 # the workbook's format: the registry's
        assert (p50 == p50.round(m.decimals)).all(), ind                 # the CSV: rounded to the same


def test_an_assumed_indicator_is_a_path_without_quantiles(result):
    table = result.projection_table
    assumed = [i for i, m in indicators().items() if m.assumed]
    assert {"tech_renovation_investment_growth", "industrial_investment_growth"} <= set(assumed)
    rows = table[table.indicator.isin(assumed)]
    assert rows[["p05", "p10", "p90", "p95"]].isna().all().all()
    assert rows[rows.year > 2025].p50.notna().all()  # the assumed path in every projected year
    # renovation investment growth is the lever's assumed 12 % a year, in every draw
    assert (table[(table.indicator == "tech_renovation_investment_growth") & (table.year > 2025)].p50 == 12.0).all()
    forecast = table[~table.indicator.isin(assumed) & (table.year > 2025)]
    assert forecast.p10.notna().all()  # the model's own outcomes keep their bands


def test_the_cli_and_the_sensitivity_table_show_their_indicators(tmp_path):
    wide = {"COLUMNS": "400"}
    out = CliRunner().invoke(app, ["compare", "baseline", "--draws", "50", "--lang", "en"], env=wide).output
    table = out.split("2030 P50 [P10–P90]")[1]
    assert [n for n in (indicators()[i].name_en for i in indicators()) if n in table] == \
        [indicators()[i].name_en for i in shown_in("cli")]
    sens = CliRunner().invoke(app, ["sensitivity", "--n", "8", "--draws", "10", "--trajectories", "4", "--params",
                                    "upgrade_target,exit_rate", "--workers", "1", "--no-png", "--lang", "en",
                                    "--out", str(tmp_path / "s")], env=wide).output
    table = sens.split("leading factor by year")[1]
    assert [i for i in indicators() if f"│ {indicators()[i].name_en} " in table] == shown_in("sensitivity")


def test_a_new_indicator_is_one_registry_entry(calibration, monkeypatch):
    per_firm = Indicator("mfg_va_per_firm", "每家规上企业制造业增加值", "Manufacturing VA per above-scale firm",
                         "亿元", "level", lambda r: r["mfg_va"] / r["firms"], ("workbook", "cli"))
    monkeypatch.setattr(registry, "_INDICATORS", (*registry._INDICATORS, per_firm))
    registry.indicators.cache_clear()
    try:
        proj = project(calibration.base, baseline(), calibration.posterior, 2027, 40, np.random.default_rng(3))
        # computed per draw from the model's own state: manufacturing VA over firms
        assert np.allclose(proj.at("mfg_va_per_firm", 2027), proj.at("mfg_va", 2027) / proj.at("above_scale_firms",
                                                                                               2027))
        res = run([baseline()], RunSettings(draws=40, horizon=2027), calibration)
        assert "mfg_va_per_firm" in set(res.projection_table.indicator)
        wb = load_workbook(io.BytesIO(workbook_bytes(res, "en")))
        rows = _median_rows(wb[wb.sheetnames[0]])
        assert "Manufacturing VA per above-scale firm" in rows
        assert wb[wb.sheetnames[0]].cell(row=rows["Manufacturing VA per above-scale firm"],
                                         column=4).number_format == "#,##0.0"  # 亿元: one decimal, from its unit
    finally:
        registry.indicators.cache_clear()


def test_the_calibration_records_labels_for_an_indicator_are_the_registrys():
    from growthsim.calibration.record import KNOWN

    shared = set(KNOWN) & set(indicators())
    assert len(shared) == 17  # the reported figures the model carries as indicators
    for k in shared:
        assert (KNOWN[k].label_zh, KNOWN[k].label_en) == (indicators()[k].name_zh, indicators()[k].name_en)
    assert KNOWN["mfg_va_growth_above_scale"].label_zh == "规上制造业增加值增速"  # not an indicator: its own label
