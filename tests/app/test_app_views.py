"""Tables, charts, sources and exports built for the pages (pure functions on real model output)."""

from __future__ import annotations

import io
import math
import tomllib

import pandas as pd
import pytest
from openpyxl import load_workbook

from growthsim.app import compute
from growthsim.app.charts import Series, indicator_figure
from growthsim.app.context import full_year
from growthsim.app.i18n import CALIBRATION_LABELS, md_escape
from growthsim.app.sources import quote_line, quote_lines, source_text
from growthsim.app.state import defaults_from, values_key
from growthsim.app.tables import (
    calibration_table,
    compare_targets,
    difference_table,
    difference_values,
    indicator_order,
    level,
    scorecard,
    style_scorecard,
    targeted_indicators,
)
from growthsim.calibration.fit import KNOWN
from growthsim.calibration.targets import reported_outcomes, targets, tracked_targets
from growthsim.exports import workbook_bytes
from growthsim.runner import RunSettings, load_calibration, run
from growthsim.scenario_files import parse_scenario
from growthsim.simulation.indicators import indicators

HORIZON = 2030  # the default horizon; projections start from the last reported year, 2025


@pytest.fixture(scope="module")
def cal():
    return load_calibration(RunSettings())


@pytest.fixture(scope="module")
def base(cal):
    return compute.summarise_values(cal, (), 400, 5, HORIZON)


@pytest.fixture(scope="module")
def outcomes(cal):
    return reported_outcomes(cal)


def test_every_reported_indicator_has_a_label():
    # The calibration page names every reported figure; a new figure id needs a label here.
    for ind in KNOWN:
        assert ind in indicators() or ind in CALIBRATION_LABELS, ind


def test_md_escape_neutralises_markdown_and_latex():
    assert md_escape("a*b_c $x$ [l](u)") == r"a\*b\_c \$x\$ \[l\]\(u\)"


def test_summary_is_the_runner_output(cal, base):
    # The app's numbers are exactly what `growthsim run` computes for the same scenario, draws and seed.
    s = compute.Scenario("x", "x", "x")
    ref = run([s], RunSettings(draws=400, seed=5, horizon=HORIZON), cal)
    pd.testing.assert_frame_equal(base.projection_table.drop(columns="scenario"),
                                  ref.projection_table.drop(columns="scenario"))
    pd.testing.assert_frame_equal(base.target_table.drop(columns="scenario"),
                                  ref.target_table.drop(columns="scenario"))


def test_same_inputs_same_numbers(cal):
    a = compute.summarise_values(cal, values_key({"upgrade_target": 600.0}), 300, 11, HORIZON)
    b = compute.summarise_values(cal, values_key({"upgrade_target": 600.0}), 300, 11, HORIZON)
    pd.testing.assert_frame_equal(a.projection_table, b.projection_table)


def test_scorecard_lists_every_target_in_the_horizon(cal, base, outcomes):
    card = scorecard(base.target_table, base.projection_table, outcomes, "zh", cal.data_through)
    # Reported years' targets (reported_outcomes: every tracked target up to 2025) and the projected ones to 2030.
    past_ids = set(outcomes.target_id)
    future_ids = {tid for tid, t in tracked_targets().items() if cal.base_year < t.year <= HORIZON}
    # the tracked targets after 2025: GDP growth in 2026, GDP 2 trillion yuan (2026, 2028, 2030), the share in 2026,
    # high-tech growth over 2025-2027
    assert "gdp_growth_2026" in future_ids and len(future_ids) == 6
    assert set(card.target_ids) == past_ids | future_ids and not past_ids & future_ids
    # Rows by year; a reported year's target shows the reported value and whether it was met, no probability.
    years = [targets()[tid].year for tid in card.target_ids]
    assert years == sorted(years)
    assert list(card.past) == [y <= cal.data_through for y in years]
    row = card.frame.iloc[card.target_ids.index("va_growth_2021")]
    assert row["实际情况"] == "8.1%，未达成"  # 8.1% reported for 2021 (001), below 10 − 0.5; one decimal, as published
    assert pd.isna(row["达成概率"]) and row["预测中位数"] == "—"
    assert row["模型判定"] == "不低于 9.5%（10 − 容差 0.5）"  # the plan's words, in every view
    assert row["差距"] == "-1.9 个百分点"  # reported 8.1 − target 10
    # A reported year whose figure was never published (no firm count after 2020): the posterior's estimate, marked.
    est = outcomes.set_index("target_id").loc["firms_2024"]
    assert est.basis == "estimated"
    row = card.frame.iloc[card.target_ids.index("firms_2024")]
    # the posterior's median beside the estimate (4,907 firms at the shipped calibration: below 5,000, 9 %)
    assert row["实际情况"] == f"数据中暂无；估计达成概率 {est.probability:.0%}（后验中位数 {est.reported:,.0f}家）"
    assert pd.isna(row["达成概率"])  # an estimate of the past, not a projection: not in the probability column
    assert card.probabilities[card.target_ids.index("firms_2024")] == est.probability
    # A projected target keeps the model's probability (the runner's target table).
    row = card.frame.iloc[card.target_ids.index("gdp_growth_2026")]
    assert row["达成概率"] == base.target_table.set_index("target_id").probability["gdp_growth_2026"]
    assert row["实际情况"] == "—" and row["模型判定"] == "不低于 5%"
    # "突破" reads in the plan's word, as the workbook and the command line read it
    assert card.frame.iloc[card.target_ids.index("firms_2024")]["模型判定"] == "突破 5,000家"
    # An assumption-driven past target says so (renovation growth is the lever's assumed 12%).
    row = card.frame.iloc[card.target_ids.index("tech_renovation_growth_2024")]
    assert row["实际情况"].startswith("由假设决定：技改投资增速") and "估计达成概率" in row["实际情况"]
    row = card.frame.iloc[card.target_ids.index("tech_renovation_growth_2021")]
    assert row["实际情况"] == "32.4%，达成"  # reported for 2021 (32.4%): an outcome, not decided by an assumption
    counts = card.counts()
    # the targets ahead, each in one colour
    assert counts["total"] == len(future_ids) == counts["green"] + counts["amber"] + counts["red"]


def test_scorecard_colours_follow_probability(cal, base, outcomes):
    card = scorecard(base.target_table, base.projection_table, outcomes, "en", cal.data_through)
    html = style_scorecard(card).to_html()
    shown = [p for p in card.probabilities if not pd.isna(p)]
    assert len(shown) > len([tid for tid in card.target_ids if tid == "gdp_growth_2026"])  # estimates are shown too
    for p in shown:  # the projection's probability, or a reported year's estimate ("estimated probability 17%")
        assert f"{p:.0%}" in html
    reported = outcomes[outcomes.basis == "reported"].target_id
    for tid in reported:  # a reported outcome has no probability: "—" in its column
        assert pd.isna(card.probabilities[card.target_ids.index(tid)])
    assert "estimated probability" in html and "not met" in html
    assert level(0.8) == "green" and level(0.79) == "amber" and level(0.5) == "amber" and level(0.49) == "red"


def test_scorecard_delta_against_baseline(cal, base, outcomes):
    more = compute.summarise_values(cal, values_key({"key_firm_growth": 20.0}), 400, 5, HORIZON)
    card = scorecard(more.target_table, more.projection_table, outcomes, "zh", cal.data_through,
                     base.target_table)
    row = card.frame.iloc[card.target_ids.index("gdp_growth_2026")]
    b = base.target_table.set_index("target_id").probability["gdp_growth_2026"]
    m = more.target_table.set_index("target_id").probability["gdp_growth_2026"]
    assert row["较基准"] == pytest.approx(100 * (m - b))
    # key firms growing 20 % instead of 13 % from 2026: their extra growth adds points to above-scale growth in
    # 2026 (dynamics.lever_effects, 16 % of revenue x 7 points), so GDP grows faster and the 5 % target is met
    # more often
    assert m > b
    # A reported year's outcome does not depend on the scenario: no change against the baseline.
    assert pd.isna(card.frame.iloc[card.target_ids.index("va_growth_2021")]["较基准"])


def test_indicator_order_puts_targeted_first():
    order = indicator_order()
    assert sorted(order) == sorted(indicators())
    n = len(targeted_indicators())
    assert set(order[:n]) == {t.indicator for t in tracked_targets().values()}


def rows(spec: dict, kind: str) -> list[dict]:
    """The rows of one kind (path, reported, target, estimated) a chart sends to the browser."""
    return [r for r in spec["data"]["values"] if r["kind"] == kind]


def test_indicator_figure_has_band_median_reported_and_target(cal, base):
    p = base.projection_table
    frame = p[p.indicator == "mfg_va_share_gdp"].sort_values("year")
    tgt = targets()["mfg_share_2025"]
    rep = full_year(cal.reported, "mfg_va_share_gdp")
    spec = indicator_figure("mfg_va_share_gdp", "zh", [Series("基准情景", "#123456", frame)], rep,
                            [tgt], probabilities={tgt.id: 0.35})
    path = rows(spec, "path")
    # quantile series, never draws: a row per year with P10, P50, P90 as the summary gives them
    assert [r["p50"] for r in path] == list(frame.p50) and [r["p90"] for r in path] == list(frame.p90)
    assert set(path[0]) >= {"year", "p10", "p50", "p90"} and "draws" not in str(spec)
    assert [(r["year"], r["value"]) for r in rows(spec, "reported")] == [(2020, 24.9)]  # 24.9% in 2020 (003)
    (star,) = rows(spec, "target")
    assert (star["year"], star["value"]) == (2025, 29.0)  # 29% in 2025 (the base year now)
    assert (star["lo"], star["hi"]) == (28.5, 29.5)        # "左右" read as ±0.5 point, an error bar
    assert star["mark_text"] == "概率 35%"
    assert "制造业增加值占全市生产总值比重" in "".join(spec["title"]["text"])
    # one legend names them all: the scenario, the reported points and the target
    colour = next(l["encoding"]["color"] for l in spec["layer"] if "color" in l.get("encoding", {}))
    assert colour["scale"]["domain"] == ["基准情景", "实际值", "目标"]
    # the text alternative says what the chart shows and the latest value against the target
    assert spec["description"].startswith("制造业增加值占全市生产总值比重（%）图：最近公布值 2020 年 24.9")
    assert "目标 2025 年 29%左右：概率 35%" in spec["description"]


def test_a_target_of_an_unpublished_year_shows_its_estimate_beside_the_star(cal, base, calibration):
    """The firm count's 2024 target (突破5,000家): no figure is in the record, so the chart shows the posterior's
    estimate beside the star and says so, as the scorecard does (it hid a miss when the star stood alone)."""
    from growthsim.calibration.targets import reported_outcomes
    from growthsim.scorecard import readings

    p = base.projection_table
    read = {r.target.id: r for r in readings(targets(), base.target_table, p, reported_outcomes(calibration),
                                             calibration.data_through)}
    tg = targets()["firms_2024"]
    spec = indicator_figure("above_scale_firms", "zh", [Series("基准情景", "#123456", p[p.indicator == tg.indicator])],
                            full_year(cal.reported, tg.indicator), [tg], readings=read)
    (estimate,) = rows(spec, "estimated")
    assert estimate["year"] == 2024 and estimate["value"] == pytest.approx(read[tg.id].value)
    assert estimate["value"] < 5000  # the estimate misses the target, and the star's words say so
    (star,) = rows(spec, "target")
    assert star["mark_text"] == f"数据暂无 · 估计 {read[tg.id].probability:.0%}"
    assert "数据中暂无" in star["outcome"]


def test_target_text_reads_naturally():
    t = targets()
    assert t["mfg_share_2025"].text("zh") == "29%左右"  # as the plan writes it; the tolerance is read apart
    assert t["firms_2024"].text("zh") == "突破 5,000家"
    assert t["mfg_growth_2024"].text("en") == "at least 6.5%"


def test_difference_table_is_median_difference(cal, base):
    pol = compute.summarise_values(cal, values_key({"upgrade_target": 600.0}), 400, 5, HORIZON)
    projections = {"baseline": base.projection_table, "x": pol.projection_table}
    long = difference_values(projections, "baseline")
    b = base.projection_table.set_index(["indicator", "year"]).p50
    x = pol.projection_table.set_index(["indicator", "year"]).p50
    row = long[(long.indicator == "above_scale_firms") & (long.year == 2030)]
    assert row["diff"].iloc[0] == pytest.approx(x[("above_scale_firms", 2030)] - b[("above_scale_firms", 2030)])
    assert row["diff"].iloc[0] > 0  # 600 instead of 405 upgrades a year from 2026: more firms by 2030
    wide = difference_table(projections, "baseline", {"baseline": "基准情景", "x": "X"}, "zh", cal.base_year + 1)
    assert len(wide) == len(indicators())              # one row per indicator for the one other scenario
    assert list(wide.columns[-5:]) == ["2026", "2027", "2028", "2029", "2030"]  # projected years, not the base 2025
    firms = wide[wide["指标"] == "规模以上工业企业数量"].iloc[0]
    assert firms["2030"] == f"{x[('above_scale_firms', 2030)] - b[('above_scale_firms', 2030)]:+,.0f}"


def test_compare_targets_side_by_side(cal, base):
    pol = compute.summarise_values(cal, values_key({"upgrade_target": 600.0}), 400, 5, HORIZON)
    table, prob_cols = compare_targets({"baseline": base.target_table, "x": pol.target_table},
                                       {"baseline": "基准情景", "x": "X"}, "zh", cal.data_through)
    assert prob_cols == ["基准情景 · 达成概率", "X · 达成概率"]
    row = table[table["目标"] == targets()["gdp_growth_2026"].label_zh].iloc[0]  # the one projected target
    assert row["X · 达成概率"] == pol.target_table.set_index("target_id").probability["gdp_growth_2026"]
    assert row["基准情景 · 达成概率"] == base.target_table.set_index("target_id").probability["gdp_growth_2026"]


def test_every_quote_is_found_in_its_source(cal):
    lines = quote_lines(cal.reported)
    assert len(lines) == len(cal.reported)  # one entry per figure (a year may have half-year and final figures)
    web = cal.reported.source_file.str.startswith(("http://", "https://"))
    assert 0 < web.sum() < len(cal.reported)  # some figures are cited by URL, the rest by a seed file
    missing = [k for k, v in lines.items() if v is None and not web[k]]
    assert missing == []  # every seed-file figure's quote occurs verbatim in its source file
    assert all(lines[k] is None for k in cal.reported.index[web])  # no local copy of a web page: not claimed found


def test_sources_cannot_be_read_outside_their_folder():
    assert source_text("../fit.py") is None
    assert source_text("/etc/passwd") is None
    assert "市工业和信息化局2021年工作总结" in source_text("001_5e00b26a04c94cbe.txt")
    assert quote_line("a\nb 12%\n", "12%") == 2
    assert quote_line("abc", "zzz") is None


def test_calibration_table_covers_every_figure(cal):
    table = calibration_table(cal.report, cal.reported, quote_lines(cal.reported), "zh")
    assert len(table) == len(cal.report)
    web = cal.reported.url != ""  # a web figure shows its address; a document's figure its title, no file name
    assert set(table["网址"].dropna()) == set(cal.reported.source_file[web])
    assert table["网址"].isna().sum() == (~web).sum()
    assert not table["来源文件"].str.contains(r"\d{3}_[0-9a-f]{16}").any()  # documents by title, not file hash
    fit = table[table["用途"] == "拟合（观测）"]
    # the rows the filter weighs as observations: full-year figures of observed indicators (not a superseded
    # vintage), the GDP levels before 2020 that give a deflator with real growth and the PPI, and a partial-year
    # figure that stands for a year without a full-year one (the mid-year firm count; 2025's GDP growth to
    # September); the other partial-year figures read 年内监测
    rep, src = cal.report, cal.reported
    deflator = rep.note.astype(str).str.contains("gives a deflator").to_numpy()
    partial = (src.status == "partial_year").to_numpy()
    weighed = (((rep.role == "observed").to_numpy() & ~partial) | deflator
               | (partial
                  & rep.note.astype(str).str.contains("stands for the full year|weighed as the year").to_numpy())) \
        & ~rep.note.astype(str).str.startswith("superseded").to_numpy()
    assert len(fit) == int(weighed.sum()) > 0
    stands = rep[rep.note.astype(str).str.contains("stands for the full year")]
    assert {(2025, "gdp_real_growth"), (2024, "high_tech_share")} <= set(zip(stands.year, stands.indicator,
                                                                             strict=True))
    # 2017's GDP comes before the filter's start (2020): with 2016's level and 2017's real growth it gives a
    # deflator, weighed in the pre-sample likelihood; it says so, not 基年起点
    gdp_2017 = table[(table["年份"] == 2017) & (table["指标"] == "地区生产总值")
                     & (table["用途"] == "拟合（观测）")].iloc[0]
    assert deflator.sum() == 3  # 2015, 2016, 2017 (the yearbook's revised levels)
    assert "平减指数" in gdp_2017["说明"]
    assert (table["用途"] == "年内监测（不参与拟合）").sum() == int((rep.use == "monitoring").sum()) > 0
    # A URL-cited figure names its publisher and date; its quote is not claimed as checked.
    web = cal.reported.source_file.str.startswith("http").to_numpy()
    first = cal.reported[web].iloc[0]
    row = table[web].iloc[0]
    # the Chinese publisher (publisher_zh), date
    assert row["来源文件"] == f"{first.publisher_zh}，{first.published}"  # the record's Chinese publisher column
    assert (table[web]["引文核对"] == "网页来源（本地未存原文，未核对）").all()
    assert table[~web]["引文核对"].str.startswith("✓").all()


def test_workbook_is_the_cli_workbook(cal):
    # The app's Excel is growthsim.exports.workbook_bytes on the runner's result: same sheets, same cells.
    ship = compute.shipped(cal.base_year + 1)
    defaults = defaults_from(cal.posterior.default)
    edited = compute.edited_scenario({"upgrade_target": 600.0}, defaults, cal.base_year + 1)
    scenarios = [ship["baseline"], edited, ship["intensified"]]
    app_wb = load_workbook(io.BytesIO(compute.workbook(scenarios, 300, 3, HORIZON, cal)))
    cli_wb = load_workbook(io.BytesIO(workbook_bytes(run(scenarios, RunSettings(draws=300, seed=3), cal))))
    assert app_wb.sheetnames == cli_wb.sheetnames
    for name in app_wb.sheetnames:
        a = [[c.value for c in row] for row in app_wb[name].iter_rows()]
        b = [[c.value for c in row] for row in cli_wb[name].iter_rows()]
        if name == "运行信息":  # the creation time differs
            a, b = [r for r in a if "生成时间" not in str(r[0])], [r for r in b if "生成时间" not in str(r[0])]
        assert a == b, name


def test_downloaded_toml_round_trips(cal):
    defaults = defaults_from(cal.posterior.default)
    values = {"upgrade_target": 600.0, "incremental_projects": {2027: 80.0}}  # scenario years start in 2026
    for title in ("基准+调整假设", "方案 A/../x"):
        s = compute.named_scenario(title, values, defaults, cal.base_year + 1)
        text = compute.scenario_toml(s)
        back = parse_scenario(text, "x.toml", cal.base_year + 1)
        assert back.values == values and back.title_zh == s.title_zh
        assert tomllib.loads(text)["scenario"]["id"] == s.id
    assert compute.named_scenario("基准+调整假设", values, defaults, cal.base_year + 1).id == "edited"


def test_cli_command():
    assert compute.cli_command(["baseline", "x.toml"], 1000, 20211, 2030, 2025, 2025) == \
        "growthsim run baseline x.toml --draws 1000 --seed 20211 --horizon 2030"
    assert compute.cli_command(["baseline"], 500, 1, 2030, 2020, 2025).endswith("--data-through 2020")


def test_catalogue_keys_and_default_comparison(cal):
    ship = compute.shipped(cal.base_year + 1)
    cat = compute.catalogue(ship, compute.Scenario("edited", "e", "e"), {}, {})
    assert list(cat)[:2] == ["baseline", "edited"]
    assert compute.POLICY_EDITED not in cat  # no edits: the policy scenario with edits would equal the policy
    assert compute.default_comparison(list(cat)) == ("baseline", "edited", "intensified")
    cat = compute.catalogue(ship, compute.Scenario("edited", "e", "e", values={"exit_rate": 6.0}),
                            {"u": ship["downside"]}, {"s": ship["intensified"]})
    assert cat[compute.POLICY_EDITED].values["exit_rate"] == 6.0
    assert cat[compute.POLICY_EDITED].values["upgrade_target"] == {2026: 500.0}  # the policy's own levers stay
    ids = [s.id for s in cat.values()]
    assert len(ids) == len(set(ids))  # run ids unique, so any selection can be exported together
    assert "upload:u" in cat and "saved:s" in cat


def test_charts_are_valid_vega_lite(cal, base):
    # Every kind of chart the pages build is checked against Vega-Lite's schema (the one Altair ships), by one
    # validator built once: Altair's from_dict(validate=True) validates every nested object again (0.45 s a
    # chart against 0.08 s), and the whole specification is what the browser's Vega reads.
    import jsonschema
    from altair.vegalite.v6.schema.core import load_schema

    from growthsim.app.charts import calibration_figure

    schema = load_schema()
    validator = jsonschema.validators.validator_for(schema)(schema)

    p = base.projection_table
    for ind in indicators():
        marks = [t for t in tracked_targets().values() if t.indicator == ind]
        for lang in ("zh", "en"):
            spec = indicator_figure(ind, lang, [Series("a", "#112233", p[p.indicator == ind]),
                                                Series("b", "#445566", p[p.indicator == ind], band=False, dash="dash")],
                                    cal.reported[cal.reported.indicator == ind], marks,
                                    probabilities={t.id: 0.5 for t in marks})
            validator.validate(spec)  # raises on any invalid property
            assert spec["description"]
    validator.validate(calibration_figure(cal.report, "zh"))
    with pytest.raises(jsonschema.ValidationError):  # the validator does refuse a misspelt mark
        validator.validate({**spec, "layer": [{**spec["layer"][0], "mark": {"type": "aera"}}]})


def test_small_chart_target_labels_keep_clear_of_the_y_axis(cal, base):
    """On the first screen's small charts a target's label sits beside its star on the side with room."""
    p = base.projection_table
    ind = "above_scale_va_growth"
    rep = full_year(cal.reported, ind)
    marks = [t for t in tracked_targets().values() if t.indicator == ind]
    spec = indicator_figure(ind, "zh", [Series("基准情景", "#123456", p[p.indicator == ind])], rep, marks,
                            height=270, legend=False)
    early = spec
    stars = {r["year"]: r for r in rows(spec, "target")}
    years = sorted({int(y) for y in rep.year} | {int(y) for y in p[p.indicator == ind].year})
    assert 2021 in stars and years[0] < 2021 < years[-1]  # 10%左右 in 2021, near the left end of the axis
    assert stars[2021]["mark_text"] == "10%左右"  # no reading given, no probability: the rule itself
    # to the right of the star: on its left the label overlapped the y axis's "10.0"
    assert stars[2021]["side"] == "right"
    # a star near the right end (the same target moved to the chart's last year): its label goes to its left
    import dataclasses
    late = dataclasses.replace(tracked_targets()["va_growth_2021"], year=years[-1])
    spec = indicator_figure(ind, "zh", [Series("基准情景", "#123456", p[p.indicator == ind])], rep, [late],
                            height=270, legend=False)
    assert rows(spec, "target")[0]["side"] == "left"
    # each side with a star has its text layers (the halo and the words), aligned away from the star; a side
    # without one has none (an empty layer cost the browser's Vega a dataflow and a warning at every draw)
    def aligns(chart):
        return {lay["transform"][0]["filter"]: lay["mark"]["align"] for lay in chart["layer"]
                if lay["mark"].get("type") == "text"}
    assert aligns(spec) == {"datum.kind === 'target' && datum.side === 'left'": "right"}
    assert aligns(early)["datum.kind === 'target' && datum.side === 'right'"] == "left"


def test_a_derived_reported_value_says_so_in_the_scorecard(calibration):
    # 2025 real GDP growth (5.8 %) is ours, derived from the work report's 2021-2025 average: the
    # scorecard marks it, in each language, instead of presenting it as a published figure.
    from growthsim.calibration.targets import reported_outcomes, targets
    from growthsim.scorecard import past_reading

    outcomes = reported_outcomes(calibration).set_index("target_id")
    row = outcomes.loc["gdp_growth_2025"].to_dict()
    assert row["status"] == "derived"
    reading = past_reading(targets()["gdp_growth_2025"], row)
    assert reading.met is True and reading.outcome("zh") == "5.8%（据公布数据推算），达成"  # 5.8 ≥ 5.5 − 0.5
    assert reading.outcome("en") == "5.8% (derived from published figures), met"
    plain = past_reading(targets()["va_growth_2024"], outcomes.loc["va_growth_2024"].to_dict()).outcome("zh")
    assert plain == "9.4%，达成"  # 2024's 9.4 % is published (final): no 推算


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_calibration_chart_gives_its_bars_the_whole_width_on_a_phone(cal, lang):
    """Drawn by Vega itself (vl-convert, the engine the browser runs) at a phone's 360 px: each figure's name is
    a line of its own above its bar, drawn whole (no '…'), and the x axis spans nearly the whole width. With
    the names on an axis beside the bars, the English names took all but 40 px of it."""
    import re

    import vl_convert as vlc

    from growthsim.app.charts import calibration_figure

    fig = calibration_figure(cal.report, lang) | {"width": 360}
    svg = vlc.vegalite_to_svg(fig)
    drawn = [t.replace("&amp;", "&").replace("&#x27;", "'") for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]
    names = [v["name"] for v in fig["data"]["values"]]
    assert set(names) <= set(drawn)  # every name whole, no '…'
    assert not any("…" in t for t in drawn)
    # the x axis's domain line: Vega draws it as a line from 0 to the plot's width
    domain = re.search(r'role-axis-domain.*?<line[^>]*x2="([\d.]+)"', svg, flags=re.S)
    assert domain and float(domain.group(1)) >= 0.9 * 360, domain and domain.group(1)


def test_the_calibration_chart_measures_each_figure_as_the_filter_weighed_it(cal):
    """A bar per weighed figure, labelled apart, at (model - weighed value) / the error it was weighed with."""
    from growthsim.app.charts import calibration_figure

    rep = cal.report
    bars = calibration_figure(rep, "zh")["data"]["values"]
    assert len({b["name"] for b in bars}) == len(bars)  # two figures of one year never share a label
    # 2025 GDP growth: the derived 5.8 (±0.5) and January–September's 5.4 are weighed once, combined (fit.py's
    # note says so); the partial row has no bar of its own, the derived row's bar says it holds both
    gdp = rep[(rep.year == 2025) & (rep.indicator == "gdp_real_growth")].set_index("period")
    assert math.isnan(gdp.loc["1-9", "weighed"]) and gdp.loc["", "weighed"] != 5.8
    pair = [b for b in bars if b["name"].startswith("2025 地区生产总值增速")]
    assert [b["name"] for b in pair] == ["2025 地区生产总值增速（推算值+年内累计）"]
    d = gdp.loc[""]
    assert pair[0]["z"] == pytest.approx((d.model - d.weighed) / d.error)
    # a partial year standing for its year alone is measured at the value it stands for, with the months named
    ht = rep[(rep.year == 2025) & (rep.indicator == "high_tech_mfg_va_growth") & (rep.period == "1-11")].iloc[0]
    bar = next(b for b in bars if b["name"] == "2025 高技术制造业增加值增速（1—11月累计）")
    assert bar["z"] == pytest.approx((ht.model - ht.weighed) / ht.error) and ht.error > ht.tolerance
    assert abs(bar["z"]) <= 1 and bar["status"].startswith("✓")  # 8.6 % weighed with its predictor error


def test_a_legend_too_wide_for_two_columns_on_a_phone_takes_one(cal, base):
    """Two columns of legend labels fit a phone's chart (~330 px) up to LEGEND_PAIR_WIDTH half-width characters
    each; a wider label puts the legend in one column (it was cut at the right edge)."""
    from growthsim.app.charts import LEGEND_PAIR_WIDTH, _label_width
    from growthsim.i18n import text as catalogue_text

    p = base.projection_table
    ind = "mfg_va_share_gdp"
    rows = p[p.indicator == ind]
    for name, columns in (("a", 2), ("x" * (LEGEND_PAIR_WIDTH + 1), 1), ("基" * (LEGEND_PAIR_WIDTH // 2 + 1), 1)):
        spec = indicator_figure(ind, "en", [Series(name, "#112233", rows)], cal.reported[cal.reported.indicator == ind],
                                [])
        assert spec["config"]["legend"]["columns"] == columns, name
    assert _label_width("基a") == 3  # a Chinese character is two half-width ones
    for lang in ("zh", "en"):  # the shipped legend words fit two columns
        assert _label_width(catalogue_text("app.chart_estimated", lang)) <= LEGEND_PAIR_WIDTH


def test_a_monthly_path_keeps_its_lowest_line_off_the_x_axis():
    """Drawn by Vega (vl-convert): a growth target's line at the lowest value of the chart (the months' needed
    path ends on it) is drawn clear of the x axis, and the highest point clear of the top; without the scale's
    padding the line lay on the axis itself (y = the plot's height) and could not be seen."""
    import re

    import vl_convert as vlc

    from growthsim.app.page_monitoring import path_figure
    from growthsim.vega import REFERENCE_COLOUR

    path = {"kind": "growth", "actual": [None] * 8 + [5.4] + [None] * 3,
            "needed": [None] * 8 + [5.4, 5.24, 5.11, 5.0], "plan": [5.0] * 12, "threshold": 5.0, "target": 5.5}
    fig = path_figure(path, "GDP", "en", False) | {"width": 400}
    svg = vlc.vegalite_to_svg(fig)
    line = re.search(rf'<path d="([^"]+)" stroke="{REFERENCE_COLOUR}"', svg).group(1)
    ys = {float(y) for y in re.findall(r"[ML][\d.]+,([\d.]+)", line)}
    assert len(ys) == 1 and next(iter(ys)) <= fig["height"] - 10  # the target's flat line, 10 px or more above
    tops = [float(y) for y in re.findall(r'<path d="M[\d.]+,([\d.]+)', svg)]
    assert min(tops) >= 10  # the highest month (5.4) below the top edge too


def test_a_targets_tolerance_reads_as_a_range_clear_of_the_axes():
    """Drawn by Vega (vl-convert): '10%左右' (2024's industrial investment growth, ±1 point) on a chart whose
    values span exactly the tolerance. The tolerance's rule ends inside the plot, clear of the x axis and the
    top, with a cap at each end; before, the scale ended at 9 and 11, and the rule drawn from edge to edge read
    as a second y axis."""
    import re

    import vl_convert as vlc

    from growthsim.vega import TARGET_COLOUR

    ind = "industrial_investment_growth"
    tg = next(t for t in tracked_targets().values() if t.indicator == ind and t.comparator == "about")
    assert (tg.value, tg.tolerance) == (10.0, 1.0)  # the record's target: 10%左右
    flat = pd.DataFrame({"indicator": ind, "year": [tg.year, tg.year + 1], "p10": 10.0, "p50": 10.0, "p90": 10.0,
                         "mean": 10.0})
    spec = indicator_figure(ind, "en", [Series("Baseline", "#123456", flat)], None, [tg], height=270,
                            legend=False) | {"width": 400}
    svg = vlc.vegalite_to_svg(spec)
    top, length = (float(v) for v in re.search(
        rf'<line transform="translate\([\d.]+,([\d.]+)\)" x2="0" y2="(-[\d.]+)" stroke="{TARGET_COLOUR}"',
        svg).groups())
    ends = (top + length, top)  # the rule's upper and lower end [px from the plot's top]
    assert ends[0] >= 8 and ends[1] <= 270 - 8, ends
    caps = [float(y) for y in re.findall(rf'<path d="M[\d.]+,([\d.]+)h10v1.5h-10Z" fill="{TARGET_COLOUR}"', svg)]
    assert len(caps) == 2 and all(min(abs(c - e) for e in ends) < 2 for c in caps), (caps, ends)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_factor_name_is_drawn_whole_on_the_sensitivity_heatmap(lang):
    """Drawn by Vega (vl-convert) at a phone's 360 px, every parameter of the registry as a row: each name is drawn
    whole on the lines name_lines gives (English at spaces within 26 characters, Chinese every 12), none is cut to
    '…', and each row has room for the longest name's lines. At 150 px on one line 'Long-run above-scale VA
    growth' read 'Long-run above-scale VA gr…'."""
    import re

    import numpy as np
    import vl_convert as vlc

    from growthsim.app.page_sensitivity import heatmap
    from growthsim.explore.sensitivity import LINE_PX, name_lines
    from growthsim.simulation.registry import parameters
    from growthsim.wording import param_label

    reg = parameters()
    ids = list(reg)
    mat = pd.DataFrame(np.linspace(0, 0.3, len(ids) * 5).reshape(len(ids), 5), index=ids, columns=range(2026, 2031))
    fig = heatmap(mat, "x", lang) | {"width": 360}
    svg = vlc.vegalite_to_svg(fig)
    drawn = [re.findall(r"<tspan[^>]*>(.*?)</tspan>", t) or [t]
             for t in re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.S)]
    names = [param_label(reg[p], lang) for p in ids]
    assert all(name_lines(n, lang) in drawn for n in names)
    assert not any("…" in line for lines in drawn for line in lines)
    most = max(len(name_lines(n, lang)) for n in names)
    assert most >= 2 and fig["height"] / len(ids) >= LINE_PX * most  # a row holds its lines
    assert most <= 3  # factor_axis lifts a name to centre it for up to three lines
    # the breaks, known answers: at the last space within 26 characters; Chinese after every 12
    assert name_lines("Trend real growth outside manufacturing (start year)", "en") == [
        "Trend real growth outside", "manufacturing (start year)"]
    assert name_lines("Manufacturing vs above-scale growth gap", "en") == ["Manufacturing vs", "above-scale growth gap"]
    assert name_lines("制造业以外GDP趋势增速（起始年）测试用长名称", "zh") == [
        "制造业以外GDP趋势增速", "（起始年）测试用长名称"]
