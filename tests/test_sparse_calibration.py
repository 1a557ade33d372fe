"""Calibration from whatever a city publishes: base figures no year reports take a prior (calibration/priors.py)."""

from __future__ import annotations

import csv
import io
import re

import numpy as np
import pytest
from typer.testing import CliRunner

from growthsim.calibration.fit import COLUMNS, DATA_FILE, calibrate, parse_reported
from growthsim.calibration.priors import BASE_PRIORS, CITATIONS
from growthsim.calibration.record import BaseFigureError
from growthsim.cli import app

PARTICLES = 4_000  # enough to see a prior's band and the reported figures kept; a fraction of a second
UNREPORTED = ("mfg_va_share_gdp", "above_scale_firms", "revenue", "profit", "high_tech_share", "profit_margin")


def without(indicators: tuple[str, ...]) -> str:
    """The shipped record's text without any row of ``indicators``."""
    rows = list(csv.reader(io.StringIO(DATA_FILE.read_text(encoding="utf-8").lstrip("\ufeff"))))
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([rows[0]] + [r for r in rows[1:] if r[1] not in indicators])
    return out.getvalue()


@pytest.fixture(scope="module")
def sparse():
    """The shipped record as a city that publishes GDP, secondary-industry VA and growth but no share, no firm
    count, no revenue, profit or high-tech share."""
    return calibrate(parse_reported(without(UNREPORTED), "sparse.csv"), np.random.default_rng(5), particles=PARTICLES)


def test_a_record_without_five_base_figures_calibrates_from_priors(sparse):
    pinned = sparse.pinned.set_index("figure")
    assert sparse.start_year == 2020  # the year with GDP and secondary VA, the most base figures left
    assert set(pinned.index[pinned.how == "prior"]) == {"mfg_va_share_gdp", "above_scale_firms", "revenue",
                                                        "profit", "high_tech_share"}
    assert set(pinned.index[pinned.how == "reported"]) == {"gdp", "secondary_industry_va", "above_scale_va_growth"}
    for figure in pinned.index[pinned.how == "prior"]:
        source = pinned.loc[figure, "source"]
        # every prior names its relation and a citation or says what is assumed
        assert pinned.loc[figure, "relation_en"] and pinned.loc[figure, "relation_zh"]
        assert "假设" in source or any(k in source for k in CITATIONS)
        # its band says how little is known: the start year's 90 % band is open
        assert pinned.loc[figure, "p95"] > pinned.loc[figure, "p05"] * 1.05, figure


def test_reported_figures_still_bind_every_draw(sparse):
    years = list(sparse.history_years)
    # 2020's GDP and secondary-industry VA (the record's values) are every particle's start
    np.testing.assert_allclose(sparse.history["gdp"][:, years.index(2020)], 12400.56, rtol=1e-12)
    np.testing.assert_allclose(sparse.history["secondary_industry_va"][:, years.index(2020)], 4361.56, rtol=1e-12)
    # and the later figures the filter weighs are in the model's band, as with the whole record
    filtered = sparse.report[sparse.report.note.astype(str) == "filtered: weighed in its year"]
    assert len(filtered) >= 10 and filtered.within.all()


def test_the_priors_follow_their_relations(sparse):
    years = list(sparse.history_years)
    i = years.index(2020)
    h = sparse.history
    mfg_of_secondary = 100 * h["mfg_va_share_gdp"][:, i] * 12400.56 / 100 / 4361.56
    rel = next(r for r in BASE_PRIORS if r.figure == "mfg_va" and r.basis == "secondary_industry_va")
    # manufacturing VA over secondary VA stays within the relation's bounds (50-85 %) in every draw
    assert mfg_of_secondary.min() >= 100 * rel.low - 1e-9 and mfg_of_secondary.max() <= 100 * rel.high + 1e-9
    margin = 100 * h["profit"][:, i] / h["revenue"][:, i]
    assert margin.min() >= 2.0 - 1e-9 and margin.max() <= 10.0 + 1e-9  # the margin's prior bounds (2-10 %)


def test_qingdaos_whole_record_pins_every_base_figure_by_a_report(calibration):
    pinned = calibration.pinned.set_index("figure")
    assert (pinned.how == "reported").all()
    assert int(pinned.loc["mfg_va_share_gdp", "line"]) > 1 and (pinned.year == 2020).all()


def test_a_record_without_gdp_is_refused_naming_the_file_in_both_languages(tmp_path):
    text = without(("gdp",))
    with pytest.raises(BaseFigureError) as err:
        calibrate(parse_reported(text, "city.csv"), np.random.default_rng(0), particles=200)
    assert "city.csv" in str(err.value) and "gdp" in str(err.value) and "allowed" in str(err.value)
    assert "city.csv" in err.value.text("zh") and "允许" in err.value.text("zh")
    path = tmp_path / "city.csv"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["calibrate", "--data", str(path), "--lang", "en"])
    shown = result.output.replace("\n", " ")
    assert result.exit_code != 0 and "no year reports GDP" in shown and "city.csv" in result.output


def test_calibrate_shows_what_pinned_each_base_figure(tmp_path):
    path = tmp_path / "sparse.csv"
    path.write_text(without(UNREPORTED), encoding="utf-8")
    for lang, title, prior in (("en", "What pinned the base figures", "prior: "), ("zh", "基年数据的依据", "先验：")):
        result = CliRunner().invoke(app, ["calibrate", "--data", str(path), "--lang", lang])
        assert result.exit_code == 0, result.output
        table = result.output.split(title)[1]
        assert prior in table and ("reported in 2020" in table or "公布于 2020 年" in table)
        # the citations the priors name are printed, with the publisher in the reader's language
        flat = re.sub(r"\s+", " ", table) if lang == "en" else re.sub(r"\s+", "", table)  # the console's wrapping
        assert ("NATIONAL_MARGIN: " in flat and "(reporting 国家统计局, 2024-01-27)" in flat) if lang == "en" \
            else ("NATIONAL_MARGIN：" in flat and "（报道国家统计局，2024-01-27）" in flat)


def test_a_figure_without_its_citation_is_refused_naming_file_line_and_what_is_allowed():
    rows = without(())
    line = rows.rstrip("\n").count("\n") + 2  # the row added below, after the header and every shipped row
    cells = dict.fromkeys(COLUMNS, "") | {"year": "2025", "indicator": "gdp", "value": "100", "unit": "亿元"}
    for code, cited, words in (("no_quote", {"source_file": "some.txt"}, ("no quote", "没有引用原文")),
                               ("no_source", {"quote": "a clause"}, ("no source", "没有来源"))):
        row = ",".join((cells | cited)[c] for c in COLUMNS)
        with pytest.raises(BaseFigureError) as err:
            parse_reported(rows + row + "\n", "city.csv")
        assert err.value.code == f"calibration.{code}"
        for lang, word in zip(("en", "zh"), words, strict=True):
            text = err.value.text(lang)
            assert "city.csv" in text and str(line) in text and word in text and ("allowed" in text or "允许" in text)
