"""Splitting a city target among the districts, the 分解表, and the Word note (known answers, real files)."""

from __future__ import annotations

import io
import math

import numpy as np
import pytest
from openpyxl import Workbook

from growthsim.calibration.record import CalibrationDataError
from growthsim.calibration.region_weights import parse_region_weights, region_weights
from growthsim.calibration.targets import targets
from growthsim.candidates import resolve_one
from growthsim.errors import UserInputError
from growthsim.simulation.scenario import baseline
from growthsim.target_setting import build_desk, projection
from growthsim.target_split import add_split_sheet, split_city_target, split_frame

DRAWS, SEED = 600, 20211


@pytest.fixture(scope="module")
def proj(calibration):
    return projection(calibration, baseline(), 2030, DRAWS, SEED)


def test_the_growth_spread_is_the_root_mean_square_of_the_cited_differences():
    rw = region_weights()
    # jiaozhou 2025 6.0 - 7.9, chengyang 2024 11 - 9.4, xihaian 2023 6.2 - 5.8, jimo 2024 10 - 9.4
    assert rw.growth_spread == pytest.approx(math.sqrt((1.9 ** 2 + 1.6 ** 2 + 0.4 ** 2 + 0.6 ** 2) / 4), abs=1e-12)
    assert {w.region for w in rw.of("gdp")} == {w.region for w in rw.of("industry")} and len(rw.of("gdp")) == 10
    assert all(w.illustrative for w in rw.of("industry"))          # no source gives every district's industry
    assert not any(w.illustrative for w in rw.of("gdp") if w.region not in ("licang", "laixi"))


def test_a_growth_target_splits_into_rates_that_weigh_up_to_the_citys(proj):
    tab = split_city_target(proj, targets()["gdp_growth_2026"], "equal_probability", SEED)
    s = tab.split
    assert float(s.weights @ s.parts) == pytest.approx(5.0, abs=1e-12)          # the city's 5 %
    assert s.probabilities.max() - s.probabilities.min() < 0.03                  # one probability for all
    cap = split_city_target(proj, targets()["gdp_growth_2026"], "capacity", SEED)
    assert np.allclose(cap.split.parts, 5.0)       # capacity = the weights: every district at the city's rate


def test_a_count_target_splits_into_whole_numbers_that_add_up(proj, calibration):
    t = resolve_one("above_scale_firms@2030>=6000", calibration.base_year + 1, 2030)
    tab = split_city_target(proj, t, "equal_probability", SEED)
    assert tab.split.parts.sum() == 6000 and all(float(p).is_integer() for p in tab.split.parts)
    assert tab.illustrative and (split_frame(tab, "zh")["依据"] == "示例").all()


def test_a_share_cannot_be_split(proj, calibration):
    with pytest.raises(UserInputError, match="cannot be split"):
        split_city_target(proj, resolve_one("mfg_va_share_gdp@2030>=27", calibration.base_year + 1, 2030))


def test_the_split_sheet_has_every_district_and_the_total(proj):
    tab = split_city_target(proj, targets()["gdp_growth_2026"], "equal_probability", SEED)
    wb = Workbook()
    add_split_sheet(wb, tab, "zh")
    ws = wb["分解表（示例）"]
    names = [ws.cell(r, 1).value for r in range(4, 14)]
    assert "西海岸新区（黄岛区）" in names and ws.cell(14, 1).value == "全市"
    assert ws.cell(14, 3).value == pytest.approx(5.0, abs=1e-6)   # the parts weigh up to the city's 5 %


def test_a_weights_file_with_an_undeclared_region_is_refused():
    text = ('[[difference]]\nregion="jimo"\nyear=2024\ndistrict=10\ncity=9.4\nurl="u"\nquote="q"\n'
            '[[weight]]\nregion="nowhere"\nbasis="gdp"\nvalue=1\nstatus="illustrative"\nquote="q"\n')
    with pytest.raises(CalibrationDataError) as info:
        parse_region_weights(text, "w.toml", {"jimo", "qingdao"})
    assert "region" in str(info.value)


def test_the_word_note_holds_the_ladder_and_the_candidates(calibration):
    from docx import Document

    from growthsim.scenario_files import load_scenario
    from growthsim.target_note import note_bytes

    t = resolve_one("mfg_va_share_gdp@2030>=27", calibration.base_year + 1, 2030)
    desk = build_desk(calibration, baseline(), [targets()["gdp_growth_2026"], t],
                      load_scenario("intensified", first_year=2026), 0.8, DRAWS, SEED, 2030)
    doc = Document(io.BytesIO(note_bytes(desk, "zh", calibration, None)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "目标梯度" in text and "测算目标" in text and "差距" in text and "强化政策" in text
    cells = [c.text for tb in doc.tables for row in tb.rows for c in row.cells]
    floor = desk.ladder[(desk.ladder.indicator == "mfg_va_share_gdp") & (desk.ladder.year == 2030)].floor.iloc[0]
    assert f"{floor:,.1f}" in cells        # the ladder's numbers are the desk's
    assert "未附回测结果" in text          # no back-test given: the note says so rather than leave it out
