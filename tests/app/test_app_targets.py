"""目标测算 Target setting page (AppTest): the ladders first, candidates from the link, what they take, the split."""

from __future__ import annotations

import pytest
from app_testkit import charts, keyed, new_app, plain, run

CANDIDATE = "mfg_va_share_gdp@2030>=27"


def _texts(at) -> str:
    return " ".join(str(m.value) for m in [*at.markdown, *at.caption])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_page_opens_on_the_horizon_ladder_and_next_years_growth(lang):
    at = run(new_app({"page": "targets", "draws": "200"} | ({"lang": "en"} if lang == "en" else {})))
    heads = [str(m.value) for m in at.markdown]
    assert any("2030" in h and ("主要指标梯度" in h or "Headline" in h) for h in heads)
    assert any("2027" in h and ("增速梯度" in h or "Growth ladder" in h) for h in heads)
    first = at.dataframe[0].value
    assert list(first.columns[-3:]) == (["保底（90%）", "力争（70%）", "冲刺（50%）"] if lang == "zh" else
                                         ["Floor (90 %)", "Strive (70 %)", "Stretch (50 %)"])


def test_a_candidate_in_the_link_is_on_the_ladder_with_what_it_takes_and_its_gap():
    at = run(new_app({"page": "targets", "draws": "200", "m_tg": CANDIDATE}))
    tables = [getattr(d.value, "data", d.value) for d in at.dataframe]   # a Styler's frame, or the frame
    kinds = [t for t in tables if "类别" in t.columns]
    assert kinds and "测算目标" in set(kinds[0]["类别"])
    text = plain(_texts(at))
    assert "强化政策" in text and "差距" in text             # what it takes and the gap's sentence
    assert {"tg_curve", "tg_waterfall"} <= set(charts(at))  # the exceedance curve and the waterfall
    assert at.query_params.get("m_tg") == [CANDIDATE] or at.query_params.get("m_tg") == CANDIDATE


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_each_targets_median_reads_in_its_own_unit(lang):
    # the targets' table mixes %, 亿元 and 家: each median with its unit and the unit's decimals (it printed
    # "18509.200000" and "4.600000" when the column was a bare number)
    at = run(new_app({"page": "targets", "draws": "200", "m_tg": "above_scale_firms@2030>=6000"} |
                     ({"lang": "en"} if lang == "en" else {})))
    table = next(getattr(d.value, "data", d.value) for d in at.dataframe
                 if {"类别", "Kind"} & set(getattr(d.value, "data", d.value).columns))
    med = table["中位数" if lang == "zh" else "Median"].astype(str)
    assert med.str.fullmatch(r"-?[\d,]+(\.\d)?(%| ?亿元| ?家| ×.*| firms)").all(), list(med)
    assert not med.str.contains(r"\.\d{2,}").any()  # no six-decimal floats
    firms = med[table.iloc[:, 0].str.contains("6,000|6000")].iloc[0]
    assert firms.endswith("家" if lang == "zh" else "firms")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_bad_candidate_in_the_link_is_reported_in_the_pages_language(lang):
    at = run(new_app({"page": "targets", "draws": "200", "m_tg": "mfg_share@2030>=27"} |
                     ({"lang": "en"} if lang == "en" else {})))
    errors = plain(" ".join(str(e.value) for e in at.error))
    assert ("未知指标" in errors) if lang == "zh" else ("unknown indicator" in errors)
    assert "mfg_va_share_gdp" in errors   # the nearest indicator is named


def test_the_split_adds_up_and_says_which_figures_are_illustrative():
    at = run(new_app({"page": "targets", "draws": "200"}))
    caps = plain(" ".join(str(c.value) for c in at.caption))
    assert "示例" in caps and ("相加" in caps or "加权" in caps)
    split = [t for t in (getattr(d.value, "data", d.value) for d in at.dataframe) if "区市" in t.columns]
    assert split and len(split[0]) == 10     # the ten districts of monitoring/regions.toml


def test_adding_a_candidate_with_the_quick_form_puts_it_in_the_link():
    at = run(new_app({"page": "targets", "draws": "200"}))
    keyed(at.selectbox, "tg_add_ind").set_value("above_scale_firms")
    at.number_input(key="tg_add_value").set_value(6000.0)
    at.button(key="tg_add").click()
    at = run(at)
    tg = at.query_params.get("m_tg")
    tg = tg[0] if isinstance(tg, list) else tg
    assert tg == "above_scale_firms@2030>=6000"
