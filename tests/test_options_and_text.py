"""Every option checked, text made safe where it lands, the login closed to an empty password (issue 22,
defects 5, 9, 11, 12, 13 and 14)."""

from __future__ import annotations

import hashlib
import html
import io
import socket
import threading
import time
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from growthsim import io as gio
from growthsim.cli import app
from growthsim.errors import UserInputError
from growthsim.presentation import terminal_console
from growthsim.settings import MAX_ORIGINS, parse_origins

runner = CliRunner()
ALLOWED = list(range(2020, 2025))  # the shipped record's origins: 2020 to the year before the last (2025)


COMMANDS_WITH_LANG = ("run", "compare", "calibrate", "backtest", "params", "targets", "seek", "sensitivity", "sweep",
                      "discover", "monitor")


def cli(*args) -> tuple[int, str]:
    """Run a command; a command prints in its language (Chinese unless --lang en): these checks read English."""
    args = [str(a) for a in args]
    if args and args[0] in COMMANDS_WITH_LANG and "--lang" not in args and "--help" not in args:
        args += ["--lang", "en"]
    res = runner.invoke(app, args)
    assert res.exception is None or isinstance(res.exception, SystemExit), repr(res.exception)  # never a traceback
    return res.exit_code, res.output


# ---------------------------------------------------------------- defect 9: backtest options


@pytest.mark.timeout(60)  # 0-300000000 took 14 GB and 34 s before it was refused
@pytest.mark.parametrize("args, fragment", [
    (["--origins", "2024-2020"], "runs backwards"),
    (["--origins", "0-2000000000"], f"at most {MAX_ORIGINS}"),
    (["--origins", "2021,2021"], "2021 is given twice"),
    (["--origins", "2019"], "2019 cannot be scored"),
    (["--origins", "twenty"], "not years"),
    (["--seed", "-1"], "--seed -1"),
    (["--seed", str(2**32)], f"--seed {2**32}"),
])
def test_backtest_options_are_checked_before_any_work(args, fragment, tmp_path):
    t0 = time.monotonic()
    code, text = cli("backtest", *args, "--out", tmp_path / "bt", "--lang", "en")
    assert code == 2 and fragment in text, text
    assert time.monotonic() - t0 < 30 and not (tmp_path / "bt").exists()


def test_origins_are_sized_before_they_are_expanded():
    t0 = time.monotonic()
    with pytest.raises(UserInputError, match="300,000,001 years"):
        parse_origins("0-300000000", ALLOWED)
    assert time.monotonic() - t0 < 1  # nothing was expanded
    assert parse_origins("2021-2023", ALLOWED) == [2021, 2022, 2023]
    assert parse_origins("2023,2021", ALLOWED) == [2023, 2021]


def test_a_backtest_on_a_record_without_gdp_is_told(tmp_path):
    from growthsim.calibration.fit import DATA_FILE

    lines = DATA_FILE.read_text(encoding="utf-8").splitlines(keepends=True)
    data = tmp_path / "no_gdp.csv"
    data.write_text("".join([lines[0]] + [ln for ln in lines[1:] if ",gdp," not in ln]), encoding="utf-8")
    code, text = cli("backtest", "--data", data, "--out", tmp_path / "bt", "--lang", "en")
    assert code == 2 and "no_gdp.csv" in text and "gdp" in text, text
    assert not (tmp_path / "bt").exists()


# ---------------------------------------------------------------- defect 11: a silent Dask scheduler


@pytest.fixture
def silent_server():
    """A server that accepts every connection and never answers."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(16)
    held: list[socket.socket] = []

    def accept():
        while True:
            try:
                held.append(srv.accept()[0])
            except OSError:
                return
    threading.Thread(target=accept, daemon=True).start()
    yield f"tcp://127.0.0.1:{srv.getsockname()[1]}"
    srv.close()
    for c in held:
        c.close()


@pytest.mark.timeout(120)  # it used to hang for 15 minutes
def test_a_scheduler_that_never_answers_is_told_within_the_limit(calibration, tmp_path, silent_server, monkeypatch):
    import growthsim.explore.sweep as sweep_mod
    from growthsim.simulation.scenario import baseline

    monkeypatch.setattr(sweep_mod, "CONNECT_TIMEOUT", "2s")
    spec = sweep_mod.SweepSpec(baseline(), sweep_mod.parse_vary(["upgrade_target"]), "lhs", 4, 20, chunk_size=2)
    t0 = time.monotonic()
    with pytest.raises(UserInputError, match="no connection or no answer within 2 s"):
        sweep_mod.run_sweep(calibration, spec, tmp_path / "sw", scheduler=silent_server)
    assert time.monotonic() - t0 < 30  # the connection and the first answer, 2 s each, with room for a slow machine
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- defect 12: app links


@pytest.mark.parametrize("edit, fragment", [
    ("firm_upgrades@9223372036854775808=1", "the month must be a whole number from 1 to 12"),
    ("firm_upgrades@13=1", "the month must be a whole number from 1 to 12"),
    ("firm_upgrades@0=1", "the month must be a whole number from 1 to 12"),
    ("firm_upgrades@6=1e999", "finite number"),
    ("firm_upgrades@6=nan", "finite number"),
    ("nothing@6=1", "is not a monitored indicator"),
    ("firm_upgrades@6", "is not indicator@month=value"),
    ("firm_upgrades@6=1;" * 5000, "characters"),
])
def test_a_tampered_monitoring_link_is_refused_as_a_whole(edit, fragment):
    from growthsim.app.page_monitoring import EditError, decode_edit

    with pytest.raises(EditError) as err:
        decode_edit(edit)
    assert fragment in err.value.text("en") and "m_edit" in err.value.text("zh")


def test_the_overflowing_link_shows_the_page_and_says_why():
    from streamlit.testing.v1 import AppTest

    main = Path(__file__).resolve().parent.parent / "app" / "main.py"
    at = AppTest.from_file(str(main), default_timeout=120)
    at.query_params.update({"page": "monitoring", "m_year": "2024",
                            "m_edit": "firm_upgrades@9223372036854775808=1"})
    at.run()
    assert not at.exception, at.exception
    assert any("1 至 12" in e.value for e in at.error), [e.value for e in at.error]


# ---------------------------------------------------------------- defect 5: the login


EMPTY = hashlib.sha256(b"").hexdigest()


@pytest.mark.parametrize("section", [{"password": ""}, {"password": "   "}, {"password_sha256": EMPTY},
                                     {"password_sha256": EMPTY.upper()}, {"password_sha256": f"  {EMPTY}\n"},
                                     {"password_sha256": hashlib.sha256(b"  ").hexdigest()},
                                     {"password": "", "password_sha256": EMPTY}])
def test_an_empty_password_in_any_stored_form_lets_no_one_in(section):
    from growthsim.app import login

    assert login._expected_digest(section) is None  # a misconfiguration: the server refuses every visitor
    for given in ("", " ", "  ", "\t"):
        assert not login.check_password(given, section)


def test_an_empty_form_never_signs_in_whatever_is_configured():
    from growthsim.app import login

    assert not login.check_password("", {"password": "a long shared phrase"})
    assert login.check_password("a long shared phrase", {"password": "a long shared phrase"})


# ---------------------------------------------------------------- defect 13: control characters


ESCAPES = "\x1b]0;pwned\x07\x1b[2J\x1b[31m\x00\x08\x7f\x9b"


def scenario_file(tmp_path: Path, title: str, name: str = "evil.toml") -> Path:
    import tomli_w

    path = tmp_path / name
    path.write_text(tomli_w.dumps({"scenario": {"id": "evil", "title_zh": title, "title_en": title}}), encoding="utf-8")
    return path


def test_escape_sequences_never_reach_the_terminal(tmp_path):
    buf = io.StringIO()
    console = terminal_console(file=buf, force_terminal=True, markup=False, emoji=False, width=120)
    console.print("title " + ESCAPES, style="bold", highlight=False)
    printed = buf.getvalue()
    assert "\x1b]" not in printed and "\x1b[2J" not in printed and "\x00" not in printed and "\x9b" not in printed
    assert "\\x1b]0;pwned" in printed and "\\x1b[2J" in printed  # shown, not obeyed
    assert "\x1b[1m" in printed  # rich's own style still works


def test_a_title_with_escape_sequences_prints_them_visibly(tmp_path):
    from growthsim.cli import core

    path = scenario_file(tmp_path, "计划" + ESCAPES)
    buf = io.StringIO()
    saved = core.console
    core.console = terminal_console(file=buf, force_terminal=True, markup=False, emoji=False, width=200)
    try:
        code, _ = cli("compare", path, "--draws", "20")
    finally:
        core.console = saved
    assert code == 0
    printed = buf.getvalue()
    assert "\\x1b]0;pwned" in printed and "\x1b]0;" not in printed and "\x1b[2J" not in printed


def test_escape_sequences_in_a_targets_files_labels_are_shown_not_obeyed(tmp_path):
    import tomli_w

    target = {"id": "share_2030", "indicator": "mfg_va_share_gdp", "year": 2030, "comparator": "at_least",
              "value": 30, "label_zh": "占比" + ESCAPES, "label_en": "share" + ESCAPES, "source": "x", "quote": "q"}
    path = tmp_path / "mine.toml"
    path.write_text(tomli_w.dumps({"target": [target]}), encoding="utf-8")
    code, out = cli("targets", "--file", path, "--lang", "en")
    assert code == 0, out
    assert "\x1b" not in out and "\x00" not in out and "share\\x1b]0;pwned" in out


def test_a_control_character_in_a_title_writes_the_workbook_from_the_cli_and_the_app(calibration, tmp_path):
    from growthsim.app import compute
    from growthsim.scenario_files import load_scenario

    path = scenario_file(tmp_path, "计划\x01\x1b[2J\x0b结束")
    code, text = cli("run", path, "--draws", "20", "--out", tmp_path / "o", "--format", "xlsx")
    assert code == 0, text
    wb = load_workbook(tmp_path / "o" / "projections.xlsx")
    assert "计划2J结束" in wb.sheetnames  # the control characters and "[" removed, the rest kept
    data = compute.workbook([load_scenario(path, calibration.base_year + 1)], 20, 1, 2030, calibration)
    assert "计划2J结束" in load_workbook(io.BytesIO(data)).sheetnames  # the app's download


def test_a_project_name_with_a_control_character_writes_the_workbook(tmp_path):
    from growthsim.project_list import SHIPPED_LIST

    text = SHIPPED_LIST.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    first = next(i for i, ln in enumerate(lines) if ln and not ln.startswith("#") and i > 0 and "," in ln
                 and not ln.lower().startswith(("id,", "编号")))
    parts = lines[first].split(",")
    parts[1] = "项目\x07\x1b[2J"
    lines[first] = ",".join(parts)
    plist = tmp_path / "projects.csv"
    plist.write_text("".join(lines), encoding="utf-8")
    code, out = cli("run", "baseline", "--engine", "event", "--projects", plist, "--draws", "20", "--out",
                    tmp_path / "o", "--format", "xlsx")
    assert code == 0, out
    with zipfile.ZipFile(tmp_path / "o" / "projections.xlsx") as z:
        xml = b"".join(z.read(n) for n in z.namelist() if n.endswith(".xml"))
    # the name may be written as character references (&#39033;&#30446;): read the text as Excel does
    text = html.unescape(xml.decode("utf-8"))
    assert "项目[2J" in text and "\x1b" not in text and "\x07" not in text


# ---------------------------------------------------------------- defect 14: sheet names and titles


@pytest.mark.parametrize("title, expected", [
    ("'quoted'", "quoted"), ("History", "History_1"), ("history", "history_1"), ("a/b:c*d?e[f]g\\h", "abcdefgh"),
    ("'", "sheet"), ("x" * 40, "x" * 31), ("  ", "sheet"),
])
def test_sheet_names_are_names_excel_opens(title, expected):
    assert gio.safe_sheet_name(title, set()) == expected


def test_sheet_names_are_unique_ignoring_case():
    used: set[str] = set()
    names = [gio.safe_sheet_name(t, used) for t in ("Plan", "plan", "PLAN", "x" * 31, "x" * 31)]
    assert names == ["Plan", "plan_2", "PLAN_3", "x" * 31, "x" * 29 + "_2"]
    assert len({n.lower() for n in names}) == len(names)


def test_titles_excel_refuses_become_valid_sheets(tmp_path):
    a = scenario_file(tmp_path, "'quoted'", "a.toml")
    b = tmp_path / "b.toml"
    b.write_text(a.read_text(encoding="utf-8").replace('"evil"', '"hist"').replace("'quoted'", "History"),
                 encoding="utf-8")
    code, text = cli("run", a, b, "--draws", "20", "--out", tmp_path / "o", "--format", "xlsx")
    assert code == 0, text
    names = load_workbook(tmp_path / "o" / "projections.xlsx").sheetnames
    assert names[:2] == ["quoted", "History_1"]


@pytest.mark.parametrize("field, size", [("title_zh", 990_000), ("title_en", 201), ("description_en", 5_001)])
def test_an_oversized_title_is_refused_with_a_message(field, size, tmp_path):
    import tomli_w

    doc = {"scenario": {"id": "big", "title_zh": "大", "title_en": "big", field: "x" * size}}
    path = tmp_path / "big.toml"
    path.write_text(tomli_w.dumps(doc), encoding="utf-8")
    code, text = cli("run", path, "--draws", "20", "--out", tmp_path / "o", "--lang", "en")
    assert code == 2 and field in text and f"{size:,} characters" in text, text
    assert not (tmp_path / "o").exists()


def test_a_cell_never_exceeds_excels_limit():
    assert len(gio.cell_text("x" * 40_000)) == gio.MAX_CELL and gio.cell_text("a\x00b\tc\nd") == "ab\tc\nd"
