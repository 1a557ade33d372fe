"""The project list: the shipped illustrative file reads cleanly; a broken file is refused whole,
with one message naming the file, line, column, value and what is allowed."""

from __future__ import annotations

import pytest

from growthsim.errors import UserInputError
from growthsim.project_list import SHIPPED_LIST, ProjectListError, parse_project_list, read_project_list
from growthsim.simulation.events import INCREMENTAL, RENOVATION, STAGE_ZH, decimal_year

HEADER = "id,name,industry,district,type,investment,planned_start,planned_commissioning,output,stage"
GOOD = [
    "A1,甲项目,智能家电,城阳区,增量,3.5,2021-03,2022-06-15,4.2,签约",
    "B2,乙项目,高端化工,平度市,技改,1.1,2020-05-01,2021-09,1.0,开工",
    "C3,丙项目,生物医药,即墨区,incremental,8,2019-11,2021-02,9.5,",
]


def text(*rows, header=HEADER, pre=""):
    return pre + "\n".join([header, *rows]) + "\n"


def error(csv_text: str, name: str = "list.csv") -> str:
    with pytest.raises(ProjectListError) as exc:
        parse_project_list(csv_text, name)
    return str(exc.value)


def test_the_shipped_list_is_labelled_illustrative_and_reads_cleanly(shipped_list):
    assert "illustrative" in SHIPPED_LIST.name and "示例" in SHIPPED_LIST.name
    first = SHIPPED_LIST.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("#") and "ILLUSTRATIVE" in first and "虚构" in first
    assert shipped_list.illustrative and shipped_list.as_of == 2026.0  # the first projected year
    assert all("虚构" in n for n in shipped_list.names)  # every name says it is made up
    # A few hundred projects, both types (the generator's sizes are checked in test_ev_illustrative).
    assert 300 <= len(shipped_list) <= 1000
    assert set(shipped_list.kind.tolist()) == {INCREMENTAL, RENOVATION}


def test_a_good_list_parses_every_field():
    ps = parse_project_list(text(*GOOD, pre="# as_of: 2021\n"), "mine.csv")
    assert ps.ids == ("A1", "B2", "C3") and not ps.illustrative and ps.as_of == 2021.0
    assert ps.kind.tolist() == [INCREMENTAL, RENOVATION, INCREMENTAL]
    assert ps.stage.tolist() == [0, 1, -1]  # blank stage: inferred from the dates later
    assert ps.planned_commissioning[0] == decimal_year(2022, 6, 15)
    assert ps.investment.tolist() == [3.5, 1.1, 8.0] and ps.output.tolist() == [4.2, 1.0, 9.5]


def test_chinese_headers_a_bom_and_a_missing_stage_column_are_accepted():
    header = "编号,项目名称,行业,区市,类型,总投资,计划开工,计划投产,达产产值"
    rows = [",".join(r.split(",")[:9]) for r in GOOD]
    ps = parse_project_list("\ufeff" + text(*rows, header=header), "中文.csv")
    assert len(ps) == 3 and ps.stage.tolist() == [-1, -1, -1]


def test_an_illustrative_label_in_a_comment_marks_the_list():
    assert parse_project_list(text(*GOOD, pre="# 示例数据\n"), "x.csv").illustrative
    assert parse_project_list(text(*GOOD), "my_illustrative_list.csv").illustrative


BAD = [
    # (what, csv text, substrings the one message must contain)
    ("missing column", text(*[",".join(r.split(",")[:5] + r.split(",")[6:]) for r in GOOD],
                            header=HEADER.replace("investment,", "")),
     ["list.csv, line 1", "column investment", "missing column", "allowed:"]),
    ("dates in the wrong order", text(GOOD[0], "X9,坏项目,智能家电,城阳区,增量,2,2023-05,2022-01,3,签约"),
     ["list.csv, line 3", "column planned_commissioning", "'2022-01'", "before planned_start (2023-05)",
      "on or after the planned start"]),
    ("negative investment", text(GOOD[0], GOOD[1].replace(",1.1,", ",-1.1,")),
     ["line 3", "column investment", "'-1.1'", "must not be negative", "from 0 to 2000"]),
    ("duplicate id", text(GOOD[0], GOOD[1], GOOD[0].replace("甲项目", "甲项目二期")),
     ["line 4", "column id", "'A1'", "duplicate id (also on line 2)", "each id once"]),
    ("bad type", text(GOOD[0].replace(",增量,", ",新建,")),
     ["line 2", "column type", "'新建'", "unknown project type", "增量 (incremental) or 技改 (renovation)"]),
    ("not a number", text(GOOD[0].replace(",4.2,", ",四点二,")),
     ["line 2", "column output", "'四点二'", "not a number"]),
    ("not finite", text(GOOD[0].replace(",4.2,", ",inf,")), ["column output", "not a finite number"]),
    ("implausibly large", text(GOOD[0].replace(",3.5,", ",35000,")), ["column investment", "implausibly large"]),
    ("not a date", text(GOOD[0].replace("2021-03", "明年三月")),
     ["column planned_start", "'明年三月'", "not a date", "2022-06 or 2022-06-15"]),
    ("no such date", text(GOOD[0].replace("2022-06-15", "2022-02-30")), ["column planned_commissioning",
                                                                         "no such date"]),
    ("year out of range", text(GOOD[0].replace("2021-03", "1899-03")), ["column planned_start", "years 1990-2050"]),
    ("unknown stage", text(GOOD[0].replace(",签约", ",施工中")),
     ["column stage", "'施工中'", "unknown stage", "签约, 开工, 竣工, 投产, 纳统"]),
    ("renovation entering statistics", text(GOOD[1].replace(",开工", ",纳统")),
     ["column stage", "does not enter statistics", "签约, 开工, 竣工 or 投产 for 技改"]),
    ("empty name", text(GOOD[0].replace("甲项目", "")), ["column name", "empty", "non-empty text"]),
    ("bad id", text(GOOD[0].replace("A1", "A 1")), ["column id", "not a valid id"]),
    ("wrong field count", text(GOOD[0] + ",extra"), ["line 2", "11 fields where the header has 10"]),
    ("unknown column", text(*GOOD, header=HEADER.replace("output", "ouput")),
     ["line 1", "column ouput", "unknown column (did you mean output?)"]),
    ("column twice", text(*[r + ",x" for r in GOOD], header=HEADER + ",id"), ["column id", "appears twice"]),
    ("no projects", text(), ["no projects", "at least one row"]),
    ("empty file", "", ["no header row and no projects"]),
    ("comment among the projects", text(GOOD[0], "# 注释", GOOD[1]), ["line 3", "a comment among the projects"]),
    ("as_of not 1 January", text(*GOOD, pre="# as_of: 2021-06-30\n"),
     ["line 1", "column as_of", "'2021-06-30'", "1 January of a year"]),
]


@pytest.mark.parametrize("what,csv_text,needles", BAD, ids=[b[0] for b in BAD])
def test_a_broken_list_is_refused_with_one_clear_message(what, csv_text, needles):
    msg = error(csv_text)
    assert msg.startswith("list.csv")
    for needle in needles:
        assert needle in msg, f"{what}: {needle!r} not in {msg!r}"
    assert "whole list is rejected" in msg
    assert msg.count("\n") == 0  # one message, one line


def test_a_late_bad_row_still_rejects_the_whole_file():
    rows = [GOOD[0].replace("A1", f"A{i}") for i in range(200)] + [GOOD[1].replace(",1.1,", ",-5,")]
    with pytest.raises(ProjectListError, match="line 202"):
        parse_project_list(text(*rows), "long.csv")


def test_file_problems_name_the_file(tmp_path):
    with pytest.raises(UserInputError, match="nope.csv: no such file"):
        read_project_list(tmp_path / "nope.csv")
    bad = tmp_path / "gbk.csv"
    bad.write_bytes(text(*GOOD).encode("gbk"))
    with pytest.raises(UserInputError,
                       match=r"gbk.csv, line 2: not UTF-8 text \(it looks like GBK/GB18030\); save it as UTF-8"):
        read_project_list(bad)
    with pytest.raises(UserInputError, match="is a folder"):
        read_project_list(tmp_path)


def test_stage_names_in_english_are_accepted():
    rows = [GOOD[0].replace(",签约", ",started"), GOOD[1].replace(",开工", ",commissioned")]
    ps = parse_project_list(text(*rows), "en.csv")
    assert [STAGE_ZH[s] for s in ps.stage] == ["开工", "投产"]
