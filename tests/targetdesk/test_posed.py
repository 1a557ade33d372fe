"""Targets a user poses: the compact form, its errors in both languages, and equality with a target from a file."""

from __future__ import annotations

import numpy as np
import pytest

from growthsim.candidates import resolve_targets
from growthsim.errors import UserInputError
from growthsim.presentation import has_cjk
from growthsim.simulation.posed import PosedTargetError, parse_posed, posed_target
from growthsim.simulation.scenario import baseline
from growthsim.simulation.summary import target_table
from growthsim.target_setting import projection

FILE = """
[[target]]
id = "share_2030_file"
indicator = "mfg_va_share_gdp"
year = 2030
comparator = "at_least"
value = 27.0
label_zh = "测试：2030年制造业占比27%"
label_en = "test: share 27% in 2030"
source = "003_98086a54bbfbe68d.txt"
quote = "test fixture, not a plan target"

[[target]]
id = "avg_growth_file"
indicator = "above_scale_va_growth"
year = 2030
start = 2026
form = "average"
comparator = "at_least"
value = 6.0
label_zh = "测试：2026—2030年规上工业年均增长6%"
label_en = "test: above-scale growth averaging 6% over 2026-2030"
source = "003_98086a54bbfbe68d.txt"
quote = "test fixture, not a plan target"
"""


@pytest.mark.parametrize("text,form,comparator,tolerance", [
    ("mfg_va_share_gdp@2030>=27", "level", "at_least", 0.0),
    ("above_scale_va_growth@2027~6.5", "level", "about", 0.5),     # 左右: the project's ±0.5 point for growth
    ("above_scale_firms@2030>6000", "level", "above", 0.0),
    ("above_scale_va_growth@2026-2030:avg>=6", "average", "at_least", 0.0),
    ("mfg_va_share_gdp@2026-2030:change>=2", "change", "at_least", 0.0),
    ("firm_upgrades@2026-2030:total>=2000", "total", "at_least", 0.0),
    ("high_tech_share@2030<=40", "level", "at_most", 0.0),
])
def test_compact_forms_are_read(text, form, comparator, tolerance):
    spec = parse_posed(text, 2026, 2035)
    assert (spec.measure.form, spec.comparator, spec.tolerance) == (form, comparator, tolerance)
    t = posed_target(spec)
    assert t.posed and t.label_zh.startswith("测算目标") and t.label_en.startswith("candidate")
    # its id is the compact form as Target.compact writes it (":avg" reads ":average"; 左右 without its tolerance)
    assert t.id == text.replace(":avg", ":average")
    assert t.compact().split("±")[0] == t.id


def test_an_explicit_tolerance_is_kept():
    spec = parse_posed("above_scale_va_growth@2027~6.5±1", 2026, 2035)
    assert spec.tolerance == 1.0 and posed_target(spec).compact() == "above_scale_va_growth@2027~6.5±1"


def test_an_id_may_be_given_and_spaces_and_units_are_allowed():
    spec = parse_posed("share27 = mfg_va_share_gdp @ 2030 >= 27%", 2026, 2035)
    assert spec.id == "share27" and spec.text == "mfg_va_share_gdp@2030>=27"


@pytest.mark.parametrize("text,code", [
    ("mfg_share@2030>=27", "indicator"), ("mfg_va_share_gdp@2024>=27", "year"), ("mfg_va_share_gdp@2036>=27", "year"),
    ("mfg_va_share_gdp@2030<27", "comparator"), ("mfg_va_share_gdp@2030=27", "comparator"),
    ("mfg_va_share_gdp@2030>=127", "value"), ("above_scale_firms@2030>=-5", "value"),
    ("mfg_va_share_gdp@2026-2030>=2", "form"), ("mfg_va_share_gdp@2026-2030:total>=2", "form"),
    ("mfg_va_share_gdp@2030-2026:change>=2", "period"), ("1a=gdp@2030>=3", "id"), ("27%", "syntax"),
])
def test_each_malformed_target_names_its_problem(text, code):
    with pytest.raises(PosedTargetError) as info:
        parse_posed(text, 2026, 2035)
    assert info.value.code == code


def test_the_message_names_the_nearest_indicators_in_both_languages():
    with pytest.raises(UserInputError) as info:
        resolve_targets(["mfg_share@2030>=27"])
    en, zh = str(info.value), info.value.text("zh")
    assert "mfg_va_share_gdp" in en and "mfg_va_share_gdp" in zh and "allowed" in en
    assert not has_cjk(en) and "未知指标" in zh


def test_a_target_given_twice_is_refused():
    with pytest.raises(UserInputError, match="given twice"):
        resolve_targets(["mfg_va_share_gdp@2030>=27", "mfg_va_share_gdp@2030>=27"])


def test_an_untracked_shipped_target_is_refused():
    with pytest.raises(UserInputError, match="does not project"):
        resolve_targets(["rd_intensity_2025"])


def test_a_posed_target_gives_the_probability_of_the_same_target_in_a_file(calibration, tmp_path):
    f = tmp_path / "mine.toml"
    f.write_text(FILE, encoding="utf-8")
    from_file = resolve_targets([], [f])
    posed = resolve_targets(["mfg_va_share_gdp@2030>=27", "above_scale_va_growth@2026-2030:avg>=6"])
    proj = projection(calibration, baseline(), 2030, 500, 7)
    a, b = target_table(proj, from_file), target_table(proj, posed)
    assert len(a) == len(b) == 2
    assert a.probability.tolist() == b.probability.tolist()
    assert a.p50.tolist() == b.p50.tolist()
    # the average is per draw: not the average of the yearly probabilities
    g = np.stack([proj.at("above_scale_va_growth", y) for y in range(2026, 2031)])
    assert b.probability.iloc[1] == float(np.mean(100 * (np.prod(1 + g / 100, axis=0) ** 0.2 - 1) >= 6.0))
