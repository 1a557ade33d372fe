"""The Excel workbook a policy writer pastes as is, and the CSV files, in either language.

Opens the workbook with openpyxl and checks that numbers are numbers with a
format from their unit, P10/P90 sit beside the median as numbers, years are
numbers, widths are sensible, and every sheet has frozen panes, print titles
and an A4 landscape page fitted to one page wide. LibreOffice (Debian's
libreoffice-calc-nogui, installed by ``make browser``) converts it to PDF:
every indicator sheet is one page.
"""

from __future__ import annotations

import io
import shutil
import subprocess

import pandas as pd
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from growthsim.calibration.targets import targets
from growthsim.exports import csv_bytes, workbook_bytes
from growthsim.runner import RunSettings, load_calibration, run
from growthsim.scenario_files import load_scenario
from growthsim.simulation.indicators import indicators

pytestmark = pytest.mark.timeout(300)


@pytest.fixture(scope="module")
def result():
    cal = load_calibration(RunSettings())
    scenarios = [load_scenario(n, first_year=cal.base_year + 1) for n in ("baseline", "intensified")]
    return run(scenarios, RunSettings(draws=300), cal)


@pytest.fixture(scope="module")
def books(result):
    return {lang: workbook_bytes(result, lang) for lang in ("zh", "en")}


def _rows(ws):
    return {r[0].value: r for r in ws.iter_rows(min_row=4) if r[0].value}


def test_scenario_sheet_numbers_formats_and_bands(result, books):
    wb = load_workbook(io.BytesIO(books["zh"]))
    assert wb.sheetnames == ["基准情景", "强化政策", "情景比较", "指标比较", "参数假设", "运行信息", "说明", "目标测算",
                             "分解表（示例）"]   # the first scenario's target desk and its district splits
    ws = wb["基准情景"]
    years = [c.value for c in ws[2][2:] if isinstance(c.value, int)]
    assert years == list(range(2025, 2031))  # numeric year headers, one per projected year (2025 = base year)
    assert [c.value for c in ws[3][2:5]] == ["中位数", "P10", "P90"]  # the band beside the median
    rows = _rows(ws)
    table = result.projection_table
    base = table[table.scenario == "baseline"].set_index(["indicator", "year"])
    firms = rows["规模以上工业企业数量"]
    col = 2 + 3 * years.index(2028)  # 0-based: the 2028 median column
    p50, p10, p90 = (firms[col + k] for k in range(3))
    assert all(isinstance(c.value, (int, float)) for c in (p50, p10, p90))  # numbers, not "4087.00–4268.00"
    assert p50.number_format == p10.number_format == "#,##0"  # firms as whole numbers
    assert p50.value == round(base.loc[("above_scale_firms", 2028), "p50"])  # stored at the unit's precision
    assert p10.value <= p50.value <= p90.value
    share = rows["制造业增加值占全市生产总值比重"][col]
    assert share.number_format == "0.0"  # shares with one decimal
    assert share.value == pytest.approx(base.loc[("mfg_va_share_gdp", 2028), "p50"], abs=0.05)
    gdp = rows["地区生产总值"][col]
    assert gdp.number_format == "#,##0.0" and gdp.value > 10_000  # money with thousands separators (亿元)
    # The firm-count target (2024) is in a reported year: no projected probability beside the firms.
    assert firms[2 + 3 * len(years) + 2].value is None
    # Real GDP growth carries the one projected target (gdp_growth_2026: 5% or more in 2026).
    growth = rows["地区生产总值增速"]
    prob = growth[2 + 3 * len(years) + 2]
    assert prob.number_format == "0%" and 0 <= prob.value <= 1  # the latest target's probability
    tt = result.target_table.set_index(["scenario", "target_id"])
    assert prob.value == round(tt.loc[("baseline", "gdp_growth_2026"), "probability"], 3)
    assert growth[2 + 3 * len(years) + 1].value == 2026 and isinstance(growth[2 + 3 * len(years) + 1].value, int)
    assert growth[2 + 3 * len(years)].value == "不低于 5%"


def test_every_sheet_has_panes_print_titles_and_a4_landscape(books):
    for lang, data in books.items():
        wb = load_workbook(io.BytesIO(data))
        for ws in wb.worksheets:
            assert ws.freeze_panes, (lang, ws.title)  # headers stay in view when scrolling
            assert ws.print_title_rows, (lang, ws.title)  # headers repeat on every printed page
            assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9  # 9 = A4
            assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
            assert ws.page_setup.fitToHeight == 0  # as many pages tall as needed, never wider than one
            widths = [d.width for d in ws.column_dimensions.values() if d.width]
            assert widths and max(widths) <= 90 and min(widths) >= 6, (ws.title, widths)  # no 36-wide year columns
        ind = wb.worksheets[0]
        year_widths = [ind.column_dimensions[c].width for c in "CDEFGH"]
        assert max(year_widths) <= 10  # year columns narrow enough to fit a page wide


def test_assumptions_are_numbers_and_everything_follows_the_language(result, books):
    zh, en = (load_workbook(io.BytesIO(books[k])) for k in ("zh", "en"))
    ws = zh["参数假设"]
    head = [c.value for c in ws[2]]
    row = next(r for r in ws.iter_rows(min_row=3) if r[head.index("编号")].value == "upgrade_target")
    assert row[head.index("基准情景")].value == 405 and row[head.index("基准情景")].number_format == "0"  # 2021's 405
    assert isinstance(row[head.index("下限")].value, (int, float))  # bounds as numbers, not text
    assert "《" in row[head.index("来源")].value  # sources by document title, not file hash
    assert en.sheetnames == ["Baseline", "Intensified policy", "Compare", "Indicators", "Assumptions", "Run", "Notes",
                             "Target setting", "Split (ILLUSTRATIVE 示例)"]
    en_rows = {r[0].value for r in en["Baseline"].iter_rows(min_row=4) if r[0].value}
    assert "Above-scale industrial enterprises" in en_rows
    notes_zh = " ".join(str(c.value) for r in zh["说明"].iter_rows() for c in r if c.value)
    notes_en = " ".join(str(c.value) for r in en["Notes"].iter_rows() for c in r if c.value)
    assert "左右" in notes_zh and "青岛市“十四五”制造业高质量发展规划" in notes_zh and "2021-10-25" in notes_zh
    assert "tolerance" in notes_en and "model does not carry" in notes_en
    reasons = [r[1].value for r in zh["说明"].iter_rows() if r[0].value and "专精特新" in str(r[0].value)]
    assert reasons == ["模型不含企业认定（专精特新、单项冠军）"]  # reasons in Chinese in the Chinese workbook
    cmp_ws = zh["情景比较"]
    assert [c.value for c in cmp_ws[2]][:5] == ["目标", "指标", "年份", "目标（原文）", "模型判定"]
    rows = [[c.value for c in r] for r in cmp_ws.iter_rows(min_row=3)]
    blank = next(i for i, r in enumerate(rows) if not r[0])
    projected, past = rows[:blank], rows[blank + 1:]
    # The projected targets (years after the 2025 base), by year, first gdp_growth_2026, with rule and reading.
    ahead = sorted((t for t in targets().values() if t.tracked and 2025 < t.year <= 2030), key=lambda t: t.year)
    assert [r[0] for r in projected] == [t.label_zh for t in ahead]
    assert projected[0][0] == "2026年地区生产总值增长5%以上"
    assert projected[0][2:5] == [2026, "不低于 5%", "不低于 5%"]  # the plan's words, as the app reads them
    # Below: the targets of reported years (calibration.targets.reported_outcomes), by year, years as numbers.
    assert past[0][0].startswith("已公布年份的目标")
    assert past[1][:7] == ["目标", "指标", "年份", "目标（原文）", "模型判定", "实际值", "结果"]
    years = [r[2] for r in past[2:] if r[0]]
    assert years == sorted(years) and all(isinstance(y, int) for y in years) and max(years) <= 2025
    by_label = {r[0]: r for r in past[2:] if r[0]}
    about = by_label["2025年制造业增加值占GDP比重29%左右（制造业规划）"]
    assert about[3] == "29%左右" and about[4] == "不低于 28.5%（29 − 容差 0.5）"  # rule and reading
    va = by_label["2021年规上工业增加值增长10%左右"]
    assert va[5] == 8.1 and va[6] == "8.1%，未达成"  # 8.1% reported for 2021 (001), below 10 − 0.5: as the app says
    firms = by_label["2024年规模以上工业企业数量突破5000家"]  # no firm count published after 2020: an estimate
    assert "估计达成概率" in firms[6] and isinstance(firms[5], (int, float))
    renov = by_label["2024年工业技改投资增长12%以上"]
    assert renov[6].startswith("由假设决定")  # renovation growth is the lever's assumed value (not published)
    renov_2021 = by_label["2021年制造业技改投资增长10%以上"]
    assert renov_2021[5] == 32.4 and renov_2021[6] == "32.4%，达成"  # reported for 2021: an outcome, not an assumption
    en_cmp = [[c.value for c in r] for r in en["Compare"].iter_rows(min_row=3)]
    assert any(r[6] == "8.1%, not met" for r in en_cmp if r[0] == "Above-scale VA growth about 10% in 2021")


def test_csv_in_chinese_rounded_to_the_indicator_precision(result):
    titles = {s.id: s.title_zh for s in result.scenarios}
    zh = pd.read_csv(io.BytesIO(csv_bytes(result.projection_table, "zh", titles)), encoding="utf-8-sig")
    assert list(zh.columns)[:6] == ["情景编号", "情景", "指标编号", "指标", "单位", "年份"]
    firms = zh[zh["指标编号"] == "above_scale_firms"]
    assert (firms["中位数P50"] == firms["中位数P50"].round(0)).all()  # firms as whole numbers
    share = zh[zh["指标编号"] == "mfg_va_share_gdp"]["中位数P50"]
    assert (share == share.round(1)).all()  # shares to one decimal: no float noise such as 36.900000000000006
    assert set(zh["指标"]) >= {indicators()["above_scale_firms"].name_zh}
    tg = pd.read_csv(io.BytesIO(csv_bytes(result.target_table, "zh", titles)), encoding="utf-8-sig")
    assert "目标" in tg.columns and "达成概率" in tg.columns and set(tg["判定方式"]) <= {"不低于", "突破", "左右",
                                                                               "不高于"}
    raw = pd.read_csv(io.BytesIO(csv_bytes(result.projection_table)), encoding="utf-8-sig")
    assert list(raw.columns) == list(result.projection_table.columns)  # without --lang: the ids, for scripts


def test_libreoffice_prints_one_page_per_indicator_sheet(books, tmp_path):
    assert shutil.which("soffice"), "LibreOffice missing: run `make browser` (Debian's libreoffice-calc-nogui)"
    path = tmp_path / "book.xlsx"
    path.write_bytes(books["zh"])
    profile = tmp_path / "lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(path)], check=True, timeout=240, capture_output=True)
    pages = PdfReader(str(tmp_path / "book.pdf")).pages
    texts = [p.extract_text() for p in pages]
    for title in ("基准情景 — 中位数", "强化政策 — 中位数"):
        hits = [i for i, t in enumerate(texts) if title in t]
        assert len(hits) == 1, (title, hits)  # the indicator sheet is one page
        page = texts[hits[0]]
        assert "规模以上工业企业数量" in page and "2030" in page  # first column and last year (2030) on the same page
    # The parameter sheet is the one long table: it may run over pages, each
    # repeating its header (print titles); every other sheet is one page.
    params = [i for i, t in enumerate(texts) if "参数 类型 单位" in t]
    assert params == list(range(params[0], params[0] + len(params)))  # its pages follow each other
    rows_per_page = 30  # about 30 rows of 9 pt type fit on A4 landscape
    n_params = len(load_workbook(io.BytesIO(books["zh"]))["参数假设"]["A"]) - 2
    assert len(params) <= -(-n_params // rows_per_page) + 1, (len(params), n_params)
    # After the notes (说明) come the target desk's ladder (目标测算) and the district splits of the
    # targets ahead (指标分解); each a short table of a page or two.
    notes = next(i for i, t in enumerate(texts) if t.startswith("说明"))
    assert notes == params[-1] + 2  # the run sheet (运行信息), then the notes: one page each
    ladder = [i for i, t in enumerate(texts) if "目标测算" in t and i > notes]
    splits = [i for i, t in enumerate(texts) if "指标分解" in t]
    assert ladder and splits and min(ladder) < min(splits), (ladder, splits)
    assert len(pages) - notes - 1 <= 5, len(pages)  # ladder and splits: a handful of pages (was 29 pages in all)
