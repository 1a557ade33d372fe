"""A run has one settings model: every default and bound comes from growthsim.settings, the same everywhere.

The default seed (20211), the seed's bounds (0 to 2^32 - 1), the horizon (2030), the probability (0.8) and one
draws limit per kind of run are declared once; every command, the app and the public API take them from there.
"""

from __future__ import annotations

import inspect

import numpy as np
import pytest
from typer.main import get_command

import growthsim
from growthsim.cli import app
from growthsim.errors import UserInputError
from growthsim.settings import (
    DEFAULT_HORIZON,
    DEFAULT_LANG,
    DEFAULT_PROBABILITY,
    DEFAULT_SEED,
    DRAWS,
    KINDS,
    SEED_MAX,
    Settings,
    check_settings,
)

COMMAND_KIND = {"run": "run", "compare": "run", "seek": "seek", "sensitivity": "sensitivity", "sweep": "sweep",
                "backtest": "backtest", "levers": "levers"}


def _defaults(command: str) -> dict[str, object]:
    cmd = get_command(app).commands[command]
    return {p.name: p.default for p in cmd.params}


def test_the_settings_declare_each_default_once():
    s = Settings()
    assert (s.seed, s.horizon, s.probability, s.lang, s.draws) == (20211, 2030, 0.8, "zh", 1000)
    assert (s.seed, s.horizon, s.probability) == (DEFAULT_SEED, DEFAULT_HORIZON, DEFAULT_PROBABILITY)
    for kind in KINDS:  # each kind's draws: a default within its own limit, and the reason for the limit
        lim = DRAWS[kind]
        assert lim.least <= lim.default <= lim.most and lim.why
        assert Settings(kind=kind).draws == lim.default


def test_no_service_writes_a_settings_default_as_a_number():
    # issue 18 item 4: a function of the services, the command line or the app that defaults a seed, a horizon,
    # a probability, draws or a language names the settings' constant (DEFAULT_SEED ...), never the value
    # (20211 was written again in build_desk and split_city_target, "zh" in 69 signatures and --lang options);
    # the core (simulation/, calibration/) sits below the settings and is exempt
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    found = []
    for path in sorted([*(root / "growthsim").rglob("*.py"), *(root / "app").rglob("*.py")]):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                a = node.args
                positional = [*a.posonlyargs, *a.args]
                pairs = [*zip(positional[len(positional) - len(a.defaults):], a.defaults, strict=True),
                         *zip(a.kwonlyargs, a.kw_defaults, strict=True)]
                found += [f"{path.relative_to(root)}:{node.lineno} {arg.arg}={d.value}" for arg, d in pairs
                          if isinstance(d, ast.Constant) and not isinstance(d.value, bool) and (
                              arg.arg in ("seed", "horizon", "probability", "draws") and d.value is not None
                              or arg.arg == "lang" and d.value == DEFAULT_LANG)]  # "en" is a choice of its own
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "Option" and node.args:
                flags = [a.value for a in node.args[1:] if isinstance(a, ast.Constant)]
                if flags[:1] in (["--seed"], ["--horizon"], ["--probability"], ["--draws"], ["--lang"]) and \
                        isinstance(node.args[0], ast.Constant) and node.args[0].value is not None:
                    found.append(f"{path.relative_to(root)}:{node.lineno} {flags[0]}={node.args[0].value}")
    assert not found, found


@pytest.mark.parametrize("command", sorted(COMMAND_KIND))
def test_every_command_takes_its_defaults_from_the_settings(command):
    d = _defaults(command)
    if "seed" in d:
        assert d["seed"] == DEFAULT_SEED
    if "draws" in d:
        assert d["draws"] == DRAWS[COMMAND_KIND[command]].default
    if d.get("horizon") is not None:
        assert d["horizon"] == DEFAULT_HORIZON
    if "probability" in d:
        assert d["probability"] == DEFAULT_PROBABILITY


def test_the_services_and_the_app_take_their_defaults_from_the_settings():
    from growthsim.app.state import DRAWS_CHOICES, View
    from growthsim.explore.discovery import discover
    from growthsim.explore.seek import seek
    from growthsim.explore.sensitivity import SensitivitySettings
    from growthsim.explore.sweep import SweepSpec
    from growthsim.illustrative import SEED
    from growthsim.monitor import annual_prior
    from growthsim.runner import RunSettings

    run = RunSettings()
    assert (run.draws, run.seed, run.horizon) == (DRAWS["run"].default, DEFAULT_SEED, DEFAULT_HORIZON)
    view = View()
    assert (view.draws, view.seed, view.horizon, view.lang) == (DRAWS["app"].default, DEFAULT_SEED, DEFAULT_HORIZON,
                                                                "zh")
    assert max(DRAWS_CHOICES) <= DRAWS["app"].most
    sens = SensitivitySettings()
    assert (sens.draws, sens.seed, sens.horizon) == (DRAWS["sensitivity"].default, DEFAULT_SEED, DEFAULT_HORIZON)
    sweep = inspect.signature(SweepSpec).parameters
    assert (sweep["draws"].default, sweep["seed"].default, sweep["horizon"].default) == \
        (DRAWS["sweep"].default, DEFAULT_SEED, DEFAULT_HORIZON)
    seek_args = inspect.signature(seek).parameters
    assert (seek_args["draws"].default, seek_args["seed"].default, seek_args["probability"].default) == \
        (DRAWS["seek"].default, DEFAULT_SEED, DEFAULT_PROBABILITY)
    assert inspect.signature(discover).parameters["seed"].default == DEFAULT_SEED
    prior = inspect.signature(annual_prior).parameters
    assert (prior["draws"].default, prior["seed"].default) == (DRAWS["monitor"].default, DEFAULT_SEED)
    assert SEED == DEFAULT_SEED  # the illustrative project list is sampled with it


def test_one_seed_bound_everywhere(calibration):
    from growthsim.explore.seek import Evaluator
    from growthsim.explore.sensitivity import SensitivitySettings
    from growthsim.explore.sweep import SweepSpec, parse_vary
    from growthsim.simulation.scenario import baseline

    assert check_settings(seed=SEED_MAX).seed == 2**32 - 1
    refusals = [
        lambda: check_settings(seed=2**32),
        lambda: Evaluator(calibration, baseline(), [], 100, 2**32),
        lambda: SensitivitySettings(seed=2**32).check(calibration.base_year),
        lambda: SweepSpec(baseline(), parse_vary(["upgrade_target"]), seed=2**32).check(calibration.base_year),
    ]
    for refuse in refusals:  # seek and sensitivity used to take seeds up to 2^63
        with pytest.raises(UserInputError, match=f"--seed {2**32}"):
            refuse()


@pytest.mark.parametrize("kind", ["run", "seek", "sweep", "sensitivity", "backtest", "levers"])
def test_one_draws_limit_per_kind(kind):
    lim = DRAWS[kind]
    assert check_settings(kind=kind, draws=lim.most).draws == lim.most
    with pytest.raises(UserInputError, match=f"--draws {lim.most + 1}: not allowed; allowed: a whole number from "
                                             f"{lim.least} to {lim.most:,}"):
        check_settings(kind=kind, draws=lim.most + 1)


def test_the_api_back_test_is_the_commands(monkeypatch, tmp_path):
    """``growthsim.backtest()`` and ``growthsim backtest`` hand the back-test the same origins, draws and seed."""
    from typer.testing import CliRunner

    import growthsim.calibration.backtest as bt

    calls = []

    class Stop(Exception):
        pass

    def capture(reported, origins=None, *, draws, seed, **kw):
        calls.append((origins or bt.default_origins(reported), draws, seed))
        raise Stop

    monkeypatch.setattr(bt, "run_backtest", capture)
    with pytest.raises(Stop):
        growthsim.backtest()
    res = CliRunner().invoke(app, ["backtest", "--out", str(tmp_path / "bt")])
    assert isinstance(res.exception, Stop)
    assert calls[0] == calls[1] and calls[0][1:] == (2000, 20211)  # the README's back-test: 2,000 draws, seed 20211


def test_the_monitors_prior_is_the_runs_draws():
    """The in-year prior is ``growthsim run baseline --data-through 2023 --horizon 2024 --draws 2000``'s growth."""
    from growthsim.monitor import GROWTH, annual_prior
    from growthsim.runner import RunSettings, load_calibration, run
    from growthsim.simulation.scenario import baseline

    settings = RunSettings(draws=DRAWS["monitor"].default, data_through=2023, horizon=2024)
    res = run([baseline()], settings, load_calibration(settings))
    np.testing.assert_array_equal(annual_prior(2024).draws, res.projections["baseline"].at(GROWTH, 2024))
