"""Hostile and careless input (issue 11), kept as regression tests.

Each section is one promise of the README's "Reliability" section: messages
printed as literal text; inputs read with a type and size check; a year given
twice refused; encodings named with the fix; no formula in any written cell;
an output folder that always holds one run; sweeps that survive kill -9; fixed
option values; saved scenarios never replaced. The login is tested in
tests/app/test_app_login.py.
"""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from filelock import FileLock
from openpyxl import load_workbook
from typer.testing import CliRunner

from growthsim import io as gio
from growthsim import outfolder
from growthsim.calibration.fit import DATA_FILE
from growthsim.calibration.textfile import TextFileError, check_nesting, decode_text, read_text
from growthsim.cli import app
from growthsim.errors import UserInputError
from growthsim.project_list import SHIPPED_LIST
from growthsim.scenario_files import dump_scenario, parse_scenario
from growthsim.settings import SEED_MAX, parse_sets
from growthsim.simulation.scenario import Scenario

ROOT = Path(__file__).resolve().parent.parent
HEAD = '[scenario]\ntitle_zh = "测试"\ntitle_en = "test"\n'
runner = CliRunner()


def cli(*args: str) -> tuple[int, str]:
    """Run a command; a command prints in its language (Chinese unless --lang en): these checks read English."""
    args = [str(a) for a in args]
    if args[0] in ("run", "calibrate") and "--lang" not in args:
        args += ["--lang", "en"]
    res = runner.invoke(app, args)
    assert res.exception is None or isinstance(res.exception, SystemExit), repr(res.exception)  # never a traceback
    return res.exit_code, res.output


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


# ---------------------------------------------------------------- 1, 2: messages are literal text


@pytest.fixture
def markup_files(tmp_path):
    return {
        "lever_section": write(tmp_path / "a.toml", HEAD + "[lever]\nupgrade_target = 500\n"),
        "wrong_section": write(tmp_path / "b.toml", HEAD + "[uncertainties]\nupgrade_target = 500\n"),
        "bracket_name": tmp_path / "plan[draft].toml",                    # does not exist
        "slash_name": write(tmp_path / "notes[" / "i].toml", HEAD + "[levers]\nupgrade_target = 5000\n"),
        "slash_value": write(tmp_path / "c.toml", HEAD + '[levers]\nupgrade_target = "[/]"\n'),
    }


@pytest.mark.parametrize("case, fragments", [
    ("lever_section", ["did you mean [levers]?", "allowed sections: [scenario], [levers], [uncertainties]"]),
    ("wrong_section", ["put it under [levers], not [uncertainties]"]),
    ("bracket_name", ["plan[draft].toml: no such scenario file"]),
    ("slash_name", ["notes[/i].toml: no id is given, so the scenario's id is taken from the file name 'i]'"]),
    ("slash_value", ["upgrade_target = '[/]'"]),
])
def test_scenario_errors_keep_their_brackets(markup_files, case, fragments):
    code, out = cli("run", markup_files[case], "--draws", "20", "--out", markup_files["lever_section"].parent / "o")
    assert code == 2, out  # a clear error, not a MarkupError traceback (exit 1)
    for f in fragments:
        assert f in out
    assert not (markup_files["lever_section"].parent / "o").exists()  # nothing written


@pytest.mark.parametrize("args, fragment", [
    (["run", "baseline", "baseline"], "give each file its own [scenario] id"),
    (["run", "baseline", "--set", "[red]x[/red]=5"], "[red]x[/red]"),
    (["run", "baseline", "--set", "upgrade_target=[/]"], "upgrade_target=[/]"),
    (["run", "baseline", "--set", "upgrade_target=2024:[/]"], "'[/]'"),
    (["compare", "baseline", "--lang", "[/]"], "--lang [/]"),
    (["seek", "--target", "[/]"], "[/]"),
    (["sweep", "--vary", "[bold]x[/]", "--samples", "2", "--out", "unused-sweep"], "[bold]x[/]"),
    (["discover", "no[/]folder", "--target", "firms_2024"], "no[/]folder"),
])
def test_option_errors_keep_their_brackets(args, fragment, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out = cli(*args)
    assert code == 2 and fragment in out, out
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_a_calibration_value_with_markup_is_reported_literally(tmp_path):
    lines = DATA_FILE.read_text(encoding="utf-8").splitlines()
    head, first = lines[0], lines[1].split(",")
    first[2] = "[/]"  # the value column
    data = write(tmp_path / "cal.csv", "\n".join([head, ",".join(first)] + lines[2:]) + "\n")
    code, out = cli("calibrate", "--data", data)
    assert code == 2 and "[/]" in out, out


def test_titles_with_markup_and_emoji_codes_print_as_written(tmp_path):
    f = write(tmp_path / "t.toml", '[scenario]\nid = "t"\ntitle_zh = "[/]测试[red]"\ntitle_en = ":smile: [b]x[/b]"\n')
    code, out = cli("compare", f, "--draws", "20", "--lang", "en")
    assert code == 0, out
    assert ":smile: [b]x[/b]" in out  # a table header, not a bold x or an emoji
    code, out = cli("compare", f, "--draws", "20")
    assert code == 0 and "[/]测试[red]" in out


# ---------------------------------------------------------------- 3: type and size before parsing


@pytest.mark.timeout(60)  # /dev/zero used to be read until the machine ran out of memory
@pytest.mark.parametrize("args, fragment", [
    (["run", "/dev/zero"], "/dev/zero: is not a regular file"),
    (["run", "baseline", "--engine", "event", "--projects", "/dev/zero"], "/dev/zero: is not a regular file"),
    (["calibrate", "--data", "/dev/zero", "--lang", "en"], "--data /dev/zero: is not a regular file"),
    (["calibrate", "--data", ".", "--lang", "en"], "--data .: is a folder, not a file"),
    (["run", "."], ".: is a folder, not a file"),
])
def test_devices_and_folders_are_refused_unread(args, fragment, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out = cli(*args, "--out", "o") if args[0] == "run" else cli(*args)
    assert code == 2 and fragment in out, out
    assert not (tmp_path / "o").exists()


@pytest.mark.timeout(60)
def test_a_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)  # opening it for reading would wait for a writer forever
    code, out = cli("run", fifo, "--out", tmp_path / "o")
    assert code == 2 and "is not a regular file" in out


def test_deep_nesting_is_refused_before_the_parser(tmp_path):
    f = write(tmp_path / "deep.toml", "a = " + "[" * 5000 + "\n")  # 5 KB; tomllib would hit RecursionError
    code, out = cli("run", f, "--out", tmp_path / "o")
    assert code == 2 and "deep.toml, line 1: brackets nested deeper than 32" in out, out
    check_nesting('a = "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[" # [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[',
                  name="x", what="x")  # brackets in strings and comments do not count


def test_an_oversized_file_is_refused_by_its_size(tmp_path):
    f = tmp_path / "big.toml"
    f.write_bytes(b"#" * 1_000_001)
    code, out = cli("run", f, "--out", tmp_path / "o")
    assert code == 2 and "file too large (1,000,001 bytes)" in out and "at most 1 MB" in out, out
    with pytest.raises(TextFileError, match="file too large"):
        decode_text(b"x" * 11, name="up.toml", what="x", max_bytes=10)  # uploads: the same check


# ---------------------------------------------------------------- 4: a year given twice


def test_a_year_twice_in_toml_is_refused_after_reading_it_as_a_number(tmp_path):
    f = write(tmp_path / "dup.toml", HEAD + '[levers]\nupgrade_target = { 2024 = 500, "02024" = 600 }\n')
    code, out = cli("run", f, "--out", tmp_path / "o")
    assert code == 2 and "dup.toml, line 5: upgrade_target gives the year 2024 twice ('2024' and '02024')" in out


@pytest.mark.parametrize("value", ["2024:500,2024:600", "2024:500,02024:600", "2024:500, 2024 :600"])
def test_a_year_twice_in_set_is_refused(value):
    code, out = cli("run", "baseline", "--set", f"upgrade_target={value}")
    assert code == 2 and "year 2024 listed twice" in out, out
    with pytest.raises(UserInputError, match="given twice"):
        parse_sets(["upgrade_target=500", "upgrade_target=600"])  # a key twice: no silent last-wins


def test_a_year_twice_in_a_link_is_refused():
    from growthsim.app.state import decode_query

    d = decode_query({"upgrade_target": "2024:500,02024:600"}, ["projections"], 2021, [2023])
    assert not d.numbers_ok and "upgrade_target" not in d.view.values  # the link's numbers are not applied
    assert "year 2024 listed twice" in str(d.problems[0].problem)


# ---------------------------------------------------------------- 5: encodings


def test_a_byte_order_mark_is_accepted(tmp_path):
    f = tmp_path / "bom.toml"
    f.write_bytes(b"\xef\xbb\xbf" + (HEAD + "[levers]\nupgrade_target = 500\n").encode())
    code, out = cli("run", f, "--draws", "20", "--out", tmp_path / "o", "--format", "csv")
    assert code == 0, out
    assert read_text(f, what="x", max_bytes=1000).startswith("[scenario]")


def test_a_gbk_file_is_named_with_its_line_a_guess_and_the_fix(tmp_path):
    f = write(tmp_path / "gbk.toml", HEAD + '[levers]\n# 升规目标\nupgrade_target = 500\n', "gbk")
    code, out = cli("run", f, "--out", tmp_path / "o", "--lang", "zh")  # in the command's language
    assert code == 2, out
    assert "gbk.toml，第 2 行：不是 UTF-8 文本（看起来是 GBK/GB18030 编码）" in out and "另存为" in out
    code, out = cli("run", f, "--out", tmp_path / "o")
    assert "gbk.toml, line 2: not UTF-8 text (it looks like GBK/GB18030); save it as UTF-8" in out
    with pytest.raises(TextFileError, match="UTF-16"):
        decode_text("[scenario]".encode("utf-16"), name="u16.toml", what="x", max_bytes=100)


def test_the_file_is_named_as_given(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "sub" / "x.toml", HEAD + "[levers]\nupgrade_target = -1\n")
    code, out = cli("run", "sub/../sub/x.toml", "--out", "o")
    assert code == 2 and "sub/../sub/x.toml, line 5" in out


def test_a_title_with_a_carriage_return_round_trips():
    s = Scenario("cr", "甲\r乙", 'a\rb "q" \\ \x01 [/]', values={"upgrade_target": {2024: 500.0}})
    back = parse_scenario(dump_scenario(s), "cr.toml", 2021)  # tomli-w escapes what TOML requires
    assert (back.title_zh, back.title_en, back.values) == (s.title_zh, s.title_en, s.values)


# ---------------------------------------------------------------- 7: no formula in any written cell

EVIL = ["=cmd|' /C calc'!A0", '=HYPERLINK("http://evil.example","x")', "+1+2", "-2+3", "@SUM(A1)", "\t=1+1",
        "＝1+1"]


def is_formula_like(cell: str) -> bool:
    if not cell.startswith(gio.FORMULA_START):
        return False
    try:
        float(cell)  # a negative number is a number
        return False
    except ValueError:
        return True


@pytest.fixture(scope="module")
def evil_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("evil")
    f = write(tmp / "evil.toml", '[scenario]\nid = "evil"\n'
              f'title_zh = {json.dumps(EVIL[0])}\ntitle_en = {json.dumps(EVIL[4])}\n'
              f'description_zh = {json.dumps(EVIL[1])}\n[levers]\nupgrade_target = 500\n')
    lines = SHIPPED_LIST.read_text(encoding="utf-8").splitlines()
    header = next(i for i, ln in enumerate(lines) if ln.startswith("id,"))
    rows = list(csv.reader(lines[header + 1:header + 1 + len(EVIL)]))
    for row, evil in zip(rows, EVIL, strict=True):
        row[1] = evil          # name
        row[2] = EVIL[2]       # industry
        row[3] = EVIL[5]       # district
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    projects = write(tmp / "projects_示例.csv", "\n".join(lines[:header + 1]) + "\n" + buf.getvalue())
    out = tmp / "out"
    code, text = cli("run", f, "baseline", "--draws", "20", "--engine", "event", "--projects", projects,
                     "--out", out)
    assert code == 0, text
    return out


def test_no_csv_cell_can_be_read_as_a_formula(evil_run):
    names = sorted(p.name for p in evil_run.glob("*.csv"))
    assert names == ["pipeline.csv", "projections.csv", "projects.csv", "targets.csv"]
    seen = 0
    for name in names:
        for row in csv.reader(io.StringIO((evil_run / name).read_text(encoding="utf-8-sig"))):
            assert not [c for c in row if is_formula_like(c)], (name, row)
            seen += sum(c.startswith("'") for c in row)
    assert seen >= len(EVIL)  # the hostile names are there, with OWASP's prefix


def test_no_xlsx_cell_is_a_formula(evil_run):
    path = evil_run / "projections.xlsx"
    with zipfile.ZipFile(path) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
        assert sheets and not [n for n in sheets if b"<f>" in z.read(n) or b"<f " in z.read(n)]
    wb = load_workbook(path)
    texts = [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert all(c.data_type != "f" for ws in wb.worksheets for row in ws.iter_rows() for c in row)
    for evil in (EVIL[0], EVIL[1]):  # the title and a project name are shown as typed, as text
        assert evil in texts


def test_the_apps_downloads_are_the_same_safe_files(evil_run):
    from growthsim.exports import csv_bytes

    frame = pd.DataFrame({"name": EVIL, "value": [-1.5] * len(EVIL)})
    rows = list(csv.reader(io.StringIO(csv_bytes(frame).decode("utf-8-sig"))))
    assert [r[0] for r in rows[1:]] == ["'" + e for e in EVIL] and rows[1][1] == "-1.5"  # numbers untouched


# ---------------------------------------------------------------- 8: one run per output folder


def listed_and_present(out: Path) -> tuple[set, set]:
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return set(manifest["files"]) | {"manifest.json"}, {p.name for p in out.iterdir()}


def test_a_run_with_other_formats_leaves_none_of_the_earlier_files(tmp_path):
    out = tmp_path / "out"
    assert cli("run", "baseline", "--draws", "20", "--out", out)[0] == 0
    (out / "notes.txt").write_text("mine")  # a planner's file: kept
    assert cli("run", "baseline", "--draws", "20", "--out", out, "--format", "parquet")[0] == 0
    listed, present = listed_and_present(out)
    assert present == listed | {"notes.txt"} and "projections.xlsx" not in present
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.growthsim.lock", "out"]  # no temporary folder


def test_a_failed_swap_leaves_the_earlier_run_whole(tmp_path, monkeypatch):
    out = tmp_path / "out"
    assert cli("run", "baseline", "--draws", "20", "--out", out, "--seed", "1")[0] == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    (out / "notes.txt").write_text("mine")

    def locked(a, b):
        raise PermissionError(13, "file in use by another program", str(b))
    monkeypatch.setattr(outfolder, "_exchange", locked)
    code, text = cli("run", "baseline", "--draws", "20", "--out", out, "--seed", "2", "--format", "csv")
    assert code == 2 and "the folder still holds the earlier run" in text, text
    after = {p.name: p.read_bytes() for p in out.iterdir()}
    assert after == dict(before, **{"notes.txt": b"mine"})  # every file of run 1, byte for byte, and the note
    assert not [p for p in tmp_path.iterdir() if "growthsim-" in p.name]


def test_a_second_run_into_a_folder_being_written_is_refused(tmp_path):
    out = tmp_path / "out"
    held = FileLock(str(gio.lock_path(out)), timeout=0)
    held.acquire()
    try:
        code, text = cli("run", "baseline", "--draws", "20", "--out", out)
    finally:
        held.release()
    assert code == 2 and "another growthsim run is writing this folder" in text and not out.exists()


@pytest.mark.parametrize("where", [".", "..", "sub/.."])
def test_the_current_folder_is_never_swapped_out(where, tmp_path, monkeypatch):
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub" if where == ".." else tmp_path)
    (tmp_path / "mine.txt").write_text("mine")
    code, out = cli("run", "baseline", "--draws", "20", "--out", where, "--format", "csv")
    assert code == 2 and "is the current folder or holds it" in out, out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.txt", "sub"]


def test_leftovers_of_killed_runs_are_cleaned(tmp_path):
    out = tmp_path / "out"
    (tmp_path / ".out.growthsim-new-20250101-x").mkdir()           # an earlier version's new folder never swapped in
    (tmp_path / ".out.growthsim-old-20250101-y").mkdir()           # an earlier version's old folder never removed
    (tmp_path / ".out.growthsim-stage-abc~manifest.json").mkdir()  # this version's swap folder
    (out / ".growthsim-abc").mkdir(parents=True)                   # not provably growthsim's: kept
    (out / ".growthsim-tmp-1234-targets.csv").write_text("half")    # a file being written in place
    assert cli("run", "baseline", "--draws", "20", "--out", out, "--format", "csv")[0] == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.growthsim.lock", "out"]
    assert [p.name for p in out.glob(".growthsim-*")] == [".growthsim-abc"]


def test_an_earlier_versions_folder_missing_after_a_kill_is_restored(tmp_path):
    out = tmp_path / "out"
    gio.replace_folder(out, {"a.txt": b"1", "manifest.json": b'{"files": ["a.txt"]}'})
    os.rename(out, tmp_path / ".out.growthsim-old-x")  # killed between the two renames of the old fallback swap
    outfolder._settle_leftovers(out)
    assert (out / "a.txt").read_bytes() == b"1"  # the earlier run is back
    gio.replace_folder(out, {"b.txt": b"2", "manifest.json": b'{"files": ["b.txt"]}'})
    assert sorted(p.name for p in out.iterdir()) == ["b.txt", "manifest.json"]


def start(args: list[str], cwd: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "growthsim.cli", *args], cwd=cwd, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)


@pytest.mark.timeout(300)
def test_kill_9_during_the_write_phase_never_leaves_a_mixed_folder(tmp_path):
    out = tmp_path / "out"
    assert cli("run", "baseline", "--draws", "20", "--out", out, "--format", "csv")[0] == 0
    for offset in (0.0, 0.005, 0.02, 0.05):  # seconds after the new folder appears: while its files are written
        proc = start(["run", "baseline", "intensified", "--draws", "20000", "--out", str(out)], tmp_path)
        deadline = time.monotonic() + 120
        while not list(tmp_path.glob(".out.growthsim-new-*")) and proc.poll() is None:
            assert time.monotonic() < deadline
            time.sleep(0.002)
        time.sleep(offset)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        listed, present = listed_and_present(out)  # whichever run it holds, it holds it whole
        assert present == listed, (offset, present ^ listed)
    assert cli("run", "baseline", "--draws", "20", "--out", out)[0] == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.growthsim.lock", "out"]  # leftovers cleaned


# ---------------------------------------------------------------- 9: sweeps

SWEEP = ["sweep", "--vary", "upgrade_target", "--vary", "exit_rate", "--samples", "600", "--draws", "100",
         "--chunk-size", "10", "--workers", "2"]


def still_running(pids: list[int], within: float = 30.0) -> list[int]:
    """The processes among ``pids`` still running (not zombies) after waiting up to ``within`` seconds for them.

    A worker checks for its main process at once (pidfd) or twice a second; on a loaded machine (CI's or a shared
    one) it may be scheduled seconds later, so the check waits for the promise, not for a fixed sleep. A pid is
    known by its start time, so a pid reused by another process meanwhile does not count as the worker.
    """
    import psutil

    def started(pid: int) -> float | None:
        try:
            p = psutil.Process(pid)
            return None if p.status() == psutil.STATUS_ZOMBIE else p.create_time()
        except psutil.NoSuchProcess:
            return None

    first = {p: started(p) for p in pids}
    deadline = time.monotonic() + within
    while True:
        alive = [p for p, t in first.items() if t is not None and started(p) == t]
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.2)


def descendants(pid: int) -> list[int]:
    import psutil

    try:
        return [p.pid for p in psutil.Process(pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


@pytest.mark.timeout(300)
def test_killing_a_sweeps_main_process_ends_its_busy_workers(tmp_path):

    # chunks of 2,000 runs x 1,000 draws keep each worker busy for many seconds
    args = ["sweep", "--vary", "upgrade_target", "--samples", "4000", "--draws", "1000", "--chunk-size", "2000",
            "--workers", "2", "--out", str(tmp_path / "sw")]
    proc = start(args, tmp_path)
    deadline = time.monotonic() + 120
    kids: list[int] = []
    while len(kids) < 3:  # the forkserver and two workers
        assert time.monotonic() < deadline and proc.poll() is None
        kids = descendants(proc.pid)
        time.sleep(0.05)
    time.sleep(1.0)  # the workers are computing
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    alive = still_running(kids)
    for p in alive:  # do not leave them running if the test fails
        os.kill(p, signal.SIGKILL)
    assert alive == [], "workers outlived their killed sweep"


@pytest.mark.timeout(420)
def test_a_sweep_killed_at_any_moment_resumes_to_the_same_results_and_its_workers_end(tmp_path):

    ref = tmp_path / "ref"
    assert subprocess.run([sys.executable, "-m", "growthsim.cli", *SWEEP, "--out", str(ref)], cwd=tmp_path,
                          capture_output=True).returncode == 0
    out = tmp_path / "sw"
    orphans: list[int] = []
    for delay in (0.8, 2.0, 3.5, 5.0, None):
        proc = start([*SWEEP, "--out", str(out)], tmp_path)
        kids: list[int] = []
        # the last kill waits for the workers (on a loaded machine a sweep may need more than 5 s to start them)
        deadline = time.monotonic() + (delay if delay is not None else 120)
        while time.monotonic() < deadline and (delay is not None or len(kids) < 3) and proc.poll() is None:
            kids = descendants(proc.pid) or kids  # the forkserver and its workers
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        orphans += kids
    assert orphans  # the sweeps had started their worker processes before they were killed
    alive = still_running(orphans)
    assert alive == [], "workers outlived their killed sweep"
    res = subprocess.run([sys.executable, "-m", "growthsim.cli", *SWEEP, "--out", str(out)], cwd=tmp_path,
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert (out / "results.csv").read_bytes() == (ref / "results.csv").read_bytes()  # nothing lost or doubled


def test_a_sweep_killed_before_writing_its_definition_can_be_rerun(calibration, tmp_path):
    from growthsim.explore.sweep import SweepSpec, parse_vary, run_sweep
    from growthsim.simulation.scenario import baseline

    out = tmp_path / "sw"
    (out / "chunks").mkdir(parents=True)   # what a sweep killed at 0.8 s used to leave
    (out / ".lock").write_text("")
    (out / ".sweep.json.abc.tmp").write_text("{")
    spec = SweepSpec(baseline(), parse_vary(["upgrade_target=300:600"]), "lhs", 4, 20, chunk_size=2)
    report = run_sweep(calibration, spec, out)
    assert report.computed == 2 and len(report.results) == 4


def test_a_sweep_that_cannot_start_writes_nothing(calibration, tmp_path, monkeypatch):
    import growthsim.explore.sweep as sweep_mod
    from growthsim.simulation.scenario import baseline

    monkeypatch.setattr(sweep_mod, "CONNECT_TIMEOUT", "1s")
    spec = sweep_mod.SweepSpec(baseline(), sweep_mod.parse_vary(["upgrade_target"]), "lhs", 4, 20, chunk_size=2)
    with pytest.raises(UserInputError, match="could not connect to a Dask scheduler"):
        sweep_mod.run_sweep(calibration, spec, tmp_path / "sw", scheduler="tcp://127.0.0.1:1")
    assert list(tmp_path.iterdir()) == []  # no folder, no sweep.json, no chunks/


def test_a_sweep_seed_has_the_bound_of_run_and_the_app(calibration, tmp_path):
    from growthsim.explore.sweep import SweepSpec, parse_vary
    from growthsim.simulation.scenario import baseline

    with pytest.raises(UserInputError, match="--seed 4294967296"):
        SweepSpec(baseline(), parse_vary(["upgrade_target"]), seed=2**32).check(calibration.base_year)


# ---------------------------------------------------------------- 10: fixed option values


@pytest.mark.parametrize("args, fragment", [
    (["compare", "baseline", "--lang", "fr"], "--lang fr: not allowed; allowed: zh or en"),
    (["params", "--lang", "fr"], "--lang fr: not allowed; allowed: zh, en"),
    (["run", "baseline", "--engine", "agent"], "--engine agent: not allowed"),
    (["run", "baseline", "--format", "pdf"], "--format pdf: not allowed; allowed: csv, xlsx, parquet"),
    (["run", "baseline", "--seed", str(SEED_MAX + 1)], "allowed: a whole number from 0 to 4294967295"),
    (["run", "baseline", "--draws", "0"], "--draws 0: not allowed"),
    (["seek", "--target", "firms_2024", "--lang", "de"], "--lang de: not allowed"),
])
def test_options_with_fixed_values_are_refused_with_the_allowed_ones(args, fragment, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out = cli(*args)
    assert code == 2 and fragment in out, out
    assert list(tmp_path.iterdir()) == []


def test_the_largest_cli_seed_opens_in_the_app():
    from growthsim.app.state import decode_query

    code, out = cli("compare", "baseline", "--draws", "20", "--seed", str(SEED_MAX))
    assert code == 0, out
    d = decode_query({"seed": str(SEED_MAX)}, ["projections"], 2021, [2023])
    assert d.numbers_ok and d.view.seed == SEED_MAX


# ---------------------------------------------------------------- 11: saved scenarios


def test_saving_never_replaces_and_the_folder_is_bounded(tmp_path, monkeypatch):
    from growthsim.app import store

    monkeypatch.setenv(store.ENV_VAR, str(tmp_path / "saved"))
    mine = store.save(Scenario("plan", "计划", "Plan", values={"upgrade_target": 500.0}))
    theirs = store.save(Scenario("plan", "计划", "Plan", values={"upgrade_target": 700.0}))
    assert mine.name == "plan.toml" and theirs.name.startswith("plan-") and theirs != mine
    found = store.list_saved(2021).scenarios
    assert found["plan"].values == {"upgrade_target": 500.0}  # the first planner's file is unchanged
    monkeypatch.setattr(store, "MAX_FILES", 2)
    with pytest.raises(UserInputError, match="the limit is 2"):
        store.save(Scenario("third", "三", "Three"))
    monkeypatch.setattr(store, "MAX_FILES", 500)
    monkeypatch.setattr(store, "MAX_TOTAL_BYTES", 100)
    with pytest.raises(UserInputError, match="the limit is 100"):
        store.save(Scenario("fourth", "四", "Four"))
