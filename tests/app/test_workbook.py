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
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
import pytest
from openpyxl import load_workbook
from pdfminer.high_level import extract_pages
from pdfminer.layout import LAParams, LTChar, LTTextBox

from growthsim.calibration.targets import targets
from growthsim.exports import PRINT_WIDTH, csv_bytes, workbook_bytes
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


MEDIAN_ROW = {"Median", "中位数", "assumed path", "假设路径"}  # a scenario sheet's column C on an indicator's first row


def _median_rows(ws) -> dict[str, int]:
    """A scenario sheet's indicators: name -> the row of its median (its P10 and P90 follow below)."""
    return {ws.cell(row=r, column=1).value: r for r in range(3, ws.max_row + 1)
            if ws.cell(row=r, column=3).value in MEDIAN_ROW}


def test_scenario_sheet_numbers_formats_and_bands(result, books):
    wb = load_workbook(io.BytesIO(books["zh"]))
    assert wb.sheetnames == ["基准情景", "强化政策", "情景比较", "指标比较", "参数假设", "运行信息", "说明", "目标测算",
                             "分解表（示例）"]   # the first scenario's target desk and its district splits
    ws = wb["基准情景"]
    header = [c.value for c in ws[2]]
    years = [v for v in header if isinstance(v, int)]
    assert years == list(range(2025, 2031))  # numeric year headers, one column per year (2025 = base year)
    assert header[:3] == ["指标", "单位", "统计量"] and header[-3:] == ["目标", "目标年份", "达成概率"]
    rows = _median_rows(ws)
    table = result.projection_table
    base = table[table.scenario == "baseline"].set_index(["indicator", "year"])
    r = rows["规模以上工业企业数量"]
    col = header.index(2028) + 1
    p50, p10, p90 = (ws.cell(row=r + k, column=col) for k in range(3))
    assert [ws.cell(row=r + k, column=3).value for k in range(3)] == ["中位数", "P10", "P90"]  # the band below
    assert all(isinstance(c.value, (int, float)) for c in (p50, p10, p90))  # numbers, not "4087.00–4268.00"
    assert p50.number_format == p10.number_format == "#,##0"  # firms as whole numbers
    assert p50.value == round(base.loc[("above_scale_firms", 2028), "p50"])  # stored at the unit's precision
    assert p10.value <= p50.value <= p90.value
    share = ws.cell(row=rows["制造业增加值占全市生产总值比重"], column=col)
    assert share.number_format == "0.0"  # shares with one decimal
    assert share.value == pytest.approx(base.loc[("mfg_va_share_gdp", 2028), "p50"], abs=0.05)
    gdp = ws.cell(row=rows["地区生产总值"], column=col)
    assert gdp.number_format == "#,##0.0" and gdp.value > 10_000  # money with thousands separators (亿元)
    # An assumed path has one row (no band): renovation investment growth is the lever's value
    renov = rows["工业技改投资增速（假设路径）"]
    assert ws.cell(row=renov, column=3).value == "假设路径" and ws.cell(row=renov + 1, column=3).value in MEDIAN_ROW
    # The firm-count target (2024) is in a reported year: no projected probability beside the firms.
    target_col = len(header) - 2
    assert ws.cell(row=r, column=target_col + 2).value is None
    # Real GDP growth carries the one projected target (gdp_growth_2026: 5% or more in 2026), on its median row.
    g = rows["地区生产总值增速"]
    prob = ws.cell(row=g, column=target_col + 2)
    assert prob.number_format == "0%" and 0 <= prob.value <= 1  # the latest target's probability
    tt = result.target_table.set_index(["scenario", "target_id"])
    assert prob.value == round(tt.loc[("baseline", "gdp_growth_2026"), "probability"], 3)
    assert ws.cell(row=g, column=target_col + 1).value == 2026
    assert ws.cell(row=g, column=target_col).value == "不低于 5%"


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
            # one page wide at 9 pt or more: 11 pt type on A4 landscape keeps 9 pt up to about 160 widths (the
            # writer aims at PRINT_WIDTH; a word that cannot break may keep a column wider; the print test judges)
            assert sum(widths) <= PRINT_WIDTH + 10, (lang, ws.title, sum(widths))


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


def _printed(book: bytes, tmp_path) -> list[list[tuple[str, float]]]:
    """The workbook printed by LibreOffice: per page, its text boxes (whitespace removed) and smallest type (pt).

    pdfminer groups the characters into boxes by their positions, so the lines of a wrapped cell come back as one
    box (and a column's cells one under another as one box): a cell's text is whole when a box holds it.
    """
    assert shutil.which("soffice"), "LibreOffice missing: run `make browser` (Debian's libreoffice-calc-nogui)"
    path = tmp_path / "book.xlsx"
    path.write_bytes(book)
    profile = tmp_path / "lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(path)], check=True, timeout=240, capture_output=True)
    pages = []
    for page in extract_pages(str(tmp_path / "book.pdf"), laparams=LAParams(line_margin=1.0, char_margin=1.0)):
        boxes = []
        for box in page:
            if isinstance(box, LTTextBox):
                sizes = [ch.size for line in box for ch in line if isinstance(ch, LTChar)]
                boxes.append((_flat(box.get_text()), min(sizes, default=99.0)))
        pages.append(boxes)
    return pages


def _flat(text: str) -> str:
    return "".join(str(text).split())


def _shown(cell) -> str | None:
    """A cell as printed: text as is, a number in its format (None for the General format, which LibreOffice
    shortens to the column)."""
    v, fmt = cell.value, cell.number_format
    if isinstance(v, str):
        return v
    if not isinstance(v, int | float) or isinstance(v, bool) or fmt == "General":
        return None
    def half_up(x, places: int) -> Decimal:  # a spreadsheet rounds the decimal it shows half up
        return Decimal(repr(x)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)

    shown = {"0": lambda: f"{half_up(v, 0)}", "0.0": lambda: f"{half_up(v, 1)}", "#,##0": lambda: f"{half_up(v, 0):,}",
             "#,##0.0": lambda: f"{half_up(v, 1):,}", "0%": lambda: f"{half_up(100 * v, 0)}%",
             "0.0%": lambda: f"{half_up(100 * v, 1)}%"}
    if fmt == "0.0##":  # one to three decimals
        text = f"{half_up(v, 3)}".rstrip("0")
        return text + "0" if text.endswith(".") else text
    assert fmt in shown, f"a number format this test cannot read: {fmt}"
    return shown[fmt]()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_libreoffice_prints_every_cell_whole_at_nine_points(books, lang, tmp_path):
    pages = _printed(books[lang], tmp_path)
    wb = load_workbook(io.BytesIO(books[lang]))
    # each sheet's pages: from the page that shows its title (A1) to the next sheet's
    firsts = []
    for ws in wb.worksheets:
        title = _flat(ws["A1"].value)
        firsts.append(next(i for i, page in enumerate(pages) if i > (firsts[-1] if firsts else -1)
                           and any(title in text for text, _ in page)))
    firsts.append(len(pages))
    cut, small = [], []
    for k, ws in enumerate(wb.worksheets):
        boxes = [b for page in pages[firsts[k]:firsts[k + 1]] for b in page]
        for row in ws.iter_rows():
            for cell in row:
                shown = _shown(cell)
                if shown and shown.strip() and not any(_flat(shown) in text for text, _ in boxes):
                    cut.append((ws.title, cell.coordinate, shown[:60]))
        small += [(ws.title, size) for _, size in boxes if size < 8.9]
        # one page wide: the header's last column is printed on the sheet's first page with its first column
        header = [c for c in ws[2] if c.value is not None]
        first_page = [text for text, _ in pages[firsts[k]]]
        assert any(_flat(str(header[-1].value)) in t for t in first_page), (ws.title, header[-1].value)
    assert not cut, cut  # text cut at a cell's edge or a row too short for its wrapped lines
    assert not small, small[:5]  # body text 9 pt or more (the scaled-down sheets printed near 4-7 pt)
    assert not [t for page in pages for t, _ in page if "###" in t]  # no number too wide for its column
