"""Every bad input: one message naming file, line, column and what is allowed (zh and en); the shipped data."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from mon_helpers import HEADER, SHIPPED, row

from growthsim.calibration.monitoring_data import (
    MonitoringDataError,
    read_all_monthly,
    read_monthly,
    read_plan,
    read_regions,
)

REGIONS = read_regions()


def _write(tmp_path: Path, name: str, *rows: str, header: str = HEADER) -> Path:
    p = tmp_path / name
    p.write_text(header + "".join(rows), encoding="utf-8")
    return p


def _err(tmp_path, name, *rows, header=HEADER) -> MonitoringDataError:
    with pytest.raises(MonitoringDataError) as exc:
        read_monthly(_write(tmp_path, name, *rows, header=header), REGIONS)
    return exc.value


def _both_languages(err: MonitoringDataError):
    zh, en = err.text("zh"), err.text("en")  # one language each: the catalogue's monitoring_data.data_problem
    assert "允许" in zh and "allowed" not in zh
    assert "allowed" in en and "允许" not in en and str(err) == en


def test_month_out_of_order(tmp_path):
    e = _err(tmp_path, "qingdao_2024.csv", row(month=6, value="9.8"), row(month=3, value="10.0"))
    assert (e.line, e.column, e.value) == (3, "month", 3)
    assert "out of order" in str(e) and "顺序颠倒" in e.text("zh")
    _both_languages(e)


def test_cumulative_count_that_falls(tmp_path):
    e = _err(tmp_path, "qingdao_2021.csv", row(2021, 3, indicator="firm_upgrades", value="80", unit="家"),
             row(2021, 6, indicator="firm_upgrades", value="70", unit="家"))
    assert (e.line, e.column) == (3, "value")
    assert "never falls" in str(e) and "不少于 80" in e.text("zh")


def test_undeclared_region(tmp_path):
    e = _err(tmp_path, "some_file.csv", row(region="atlantis"))
    assert (e.line, e.column, e.value) == (2, "region", "atlantis")
    assert "qingdao" in e.text("en") and "xihaian" in e.text("zh")  # the allowed regions are listed
    _both_languages(e)


def test_bad_unit(tmp_path):
    e = _err(tmp_path, "qingdao_2024.csv", row(unit="亿元"))
    assert (e.line, e.column, e.value) == (2, "unit", "亿元")
    assert e.text("en").endswith("allowed: %")


def test_duplicate_month(tmp_path):
    e = _err(tmp_path, "qingdao_2024.csv", row(month=3), row(month=3, value="10.1"))
    assert (e.line, e.column) == (3, "month")
    assert "line 2" in str(e)  # names the earlier line too


def test_january_february_together_as_month_two_is_allowed(tmp_path):
    d = read_monthly(_write(tmp_path, "qingdao_2024.csv", row(month=2, value="8.0"), row(month=3)), REGIONS)
    assert [r.month for r in d.rows] == [2, 3]


@pytest.mark.parametrize("bad, column", [
    (row(month=13), "month"), (row(month="三"), "month"), (row(indicator="gdp"), "indicator"),
    (row(value="abc"), "value"), (row(value=""), "value"), (row(status="final"), "status"),
    (row(source=""), "source"), (row(quote=""), "quote"), (row(year=2023), "year"),
    (row(status="illustrative"), "status"), (row(indicator="firm_upgrades", unit="家", value="2.5"), "value"),
])
def test_other_bad_cells(tmp_path, bad, column):
    e = _err(tmp_path, "qingdao_2024.csv", bad)
    assert e.column == column and e.line == 2
    _both_languages(e)


def test_header_problems(tmp_path):
    e = _err(tmp_path, "qingdao_2024.csv", row(), header=HEADER.replace("unit,", ""))
    assert (e.line, e.column) == (1, "unit")
    e = _err(tmp_path, "qingdao_2024.csv", row(), header=HEADER.replace("note", "comment"))
    assert (e.line, e.column) == (1, "comment")


def test_the_chinese_publisher_column_is_optional_and_filled_beside_a_publisher(tmp_path):
    # without publisher_zh a file is read (Chinese readers see publisher as written); with it, a row that names
    # a publisher names it in Chinese too, and a row without one leaves it empty
    zh_header = HEADER.replace("publisher,", "publisher,publisher_zh,")

    def zh_row(publisher, publisher_zh):
        return row(publisher=f"{publisher},{publisher_zh}")

    assert read_monthly(_write(tmp_path, "qingdao_2024.csv", row()), REGIONS).rows[0].publisher_zh == ""
    d = read_monthly(_write(tmp_path, "qingdao_2024.csv", zh_row("p", "某网站"), header=zh_header), REGIONS)
    assert (d.rows[0].publisher, d.rows[0].publisher_zh) == ("p", "某网站")
    e = _err(tmp_path, "qingdao_2024.csv", zh_row("p", ""), header=zh_header)
    assert (e.line, e.column) == (2, "publisher_zh") and "Chinese publisher is empty" in str(e)
    _both_languages(e)
    e = _err(tmp_path, "qingdao_2024.csv", zh_row("", "某网站"), header=zh_header)
    assert (e.line, e.column) == (2, "publisher_zh") and "only for a row with a publisher" in str(e)


def test_wrong_field_count(tmp_path):
    e = _err(tmp_path, "qingdao_2024.csv", "2024,3,qingdao,above_scale_va_growth,10.0,%,reported,s,p,d,q,n,extra\n")
    assert e.line == 2 and "13" in str(e)


def test_illustrative_file_must_hold_illustrative_rows(tmp_path):
    e = _err(tmp_path, "xihaian_2021_示例.csv", row(2021, region="xihaian"))
    assert e.column == "status" and "示例" in str(e)


def test_incomplete_profile(tmp_path):
    rows = [row(2021, m, "xihaian", "output_profile_last_year", "8", "%", "illustrative", "示例", quote="示例")
            for m in (2, 3, 4)]
    e = _err(tmp_path, "xihaian_2021_示例.csv", *rows)
    assert e.column == "month" and "5, 6" in str(e)


def test_not_utf8(tmp_path):
    p = tmp_path / "qingdao_2024.csv"
    p.write_bytes((HEADER + row(quote="规上工业增加值增长10.0%")).encode("gb18030"))
    with pytest.raises(MonitoringDataError) as exc:
        read_monthly(p, REGIONS)
    assert "UTF-8" in str(exc.value)


def test_regions_file_problems(tmp_path):
    p = tmp_path / "regions.toml"
    p.write_text('[[region]]\nid = "xihaian"\nname_zh = "西海岸"\nname_en = "WC"\nparent = "shandong"\n', "utf-8")
    with pytest.raises(MonitoringDataError) as exc:
        read_regions(p)
    assert exc.value.column == "region[1].parent" and "shandong" in str(exc.value)


def test_plan_problems(tmp_path):
    good = (SHIPPED / "targets_xihaian_2021.toml").read_text("utf-8")
    for old, new, column in (('comparator = "at_least"', 'comparator = "roughly"', "target[1].comparator"),
                             ("months = [3, 6, 9, 12]", "months = [6, 3, 9, 12]", "milestone[1].months"),
                             ('reading = "per_period"', 'reading = "weekly"', "milestone[1].reading"),
                             ('region = "xihaian"', 'region = "atlantis"', "region")):
        p = tmp_path / "targets_xihaian_2021.toml"
        p.write_text(good.replace(old, new, 1), "utf-8")
        with pytest.raises(MonitoringDataError) as exc:
            read_plan(p, REGIONS)
        assert exc.value.column == column, (old, str(exc.value))


# ---------------------------------------------------------------- the shipped data


def test_shipped_files_are_valid_and_labelled():
    data = read_all_monthly(REGIONS)
    names = {Path(d.name).name for d in data}
    assert "xihaian_2021_示例.csv" in names
    for d in data:
        # 示例 in the file name exactly when the figures are illustrative
        assert ("示例" in d.name) == d.illustrative == all(r.status == "illustrative" for r in d.rows)


def test_every_shipped_row_cites_a_source_and_quote():
    for d in read_all_monthly(REGIONS):
        for r in d.rows:
            assert r.source and r.quote, (d.name, r.line)
            if r.source.startswith("calibration/sources/"):
                # a seed file: the quote is in it, word for word
                # (the monitoring files write a seed file as calibration/sources/<file>: the pack's sources/)
                seed = SHIPPED.parent / "sources" / r.source.removeprefix("calibration/sources/")
                assert r.quote in seed.read_text("utf-8"), (d.name, r.line)
            elif r.status != "illustrative":
                assert r.source.startswith("http") and r.published and r.publisher, (d.name, r.line)


def test_quoted_numbers_match_the_values():
    # A reported row's value is written in its quote (derived rows give the arithmetic in the note).
    for d in read_all_monthly(REGIONS):
        for r in d.rows:
            if r.status == "reported":
                assert f"{r.value:g}" in r.quote.replace("percent", "%") or f"{r.value:.1f}" in r.quote, (d.name,
                                                                                                          r.line)


def test_milestone_quotes_are_in_the_west_coast_plan():
    plan = read_plan(SHIPPED / "targets_xihaian_2021.toml", REGIONS)
    seed = plan.milestones[0].source.removeprefix("calibration/sources/")   # the pack's sources/
    text = (SHIPPED.parent / "sources" / seed).read_text("utf-8")
    for m in plan.milestones:
        for q in m.quotes:
            assert q in text, q
    for t in plan.targets:
        assert t.quote in text
    reno = next(m for m in plan.milestones if m.indicator == "tech_renovation_projects_completed")
    assert reno.reading == "per_period" and reno.values == (3, 8, 9, 10)
    # the numbers come from the quotes, in order
    assert [int(re.search(r"推动(\d+)个?技改", q).group(1)) for q in reno.quotes] == [3, 8, 9, 10]


def test_the_apps_edited_table_is_named_and_cited_in_the_readers_language():
    # issue 18 item 2: the edited table's name and an edited row's source were one string in both languages
    # ('qingdao_2025（页面编辑 edited）', '页面中编辑 edited in the app'); now each reader reads one language
    import pandas as pd

    from growthsim.monitor import EDITED_SOURCE, data_source_text, edited_data

    base = read_monthly(SHIPPED / "qingdao_2025.csv", REGIONS)
    first = base.rows[0]
    frame = pd.DataFrame([{"month": first.month, "indicator": first.indicator, "value": first.value + 1.0}])
    data = edited_data(frame, base, 2025, "qingdao", REGIONS)
    row = data.rows[0]
    assert (row.status, row.source, row.publisher_zh) == ("edited", EDITED_SOURCE, "")
    report_row = {"data_status": row.status, "data_source": row.source}
    assert data_source_text(report_row, "zh") == "页面中编辑"
    assert data_source_text(report_row, "en") == "edited in the app"
    kept = edited_data(frame.assign(value=first.value), base, 2025, "qingdao", REGIONS).rows[0]
    assert (kept.source, kept.publisher_zh) == (first.source, first.publisher_zh)  # unchanged: its citation kept
    with pytest.raises(MonitoringDataError) as exc:
        edited_data(frame.assign(month=13), base, 2025, "qingdao", REGIONS)
    zh, en = exc.value.text("zh"), exc.value.text("en")
    assert "（页面编辑）" in zh and "edited" not in zh, zh
    assert "(edited)" in en and "页面编辑" not in en, en
