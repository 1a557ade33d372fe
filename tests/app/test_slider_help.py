"""The slider's help shows the city pack's value: a lever scaled with the city is marked an assumption (假设)
with its rate; a pack's own value (its levers.toml) is shown plain, with its source."""

from __future__ import annotations

from growthsim.app.controls import _help
from growthsim.calibration import city
from growthsim.simulation.registry import parameters


def test_a_lever_scaled_with_the_city_is_shown_as_an_assumption_with_its_rate():
    p = parameters()["upgrade_target"]
    with city.using("xiamen"):   # no levers.toml: 0.111 x the calibrated firm count (342 at 3,077 firms)
        en, zh = (_help(p, 342.0, lang).replace("\\", "") for lang in ("en", "zh"))   # markdown escapes off
    assert "342" in en and "assumption" in en and "0.111" in en, en
    assert "342" in zh and "假设" in zh and "0.111" in zh, zh
    with city.using("qingdao"):  # its levers.toml's 405, quoted from its document 001
        en = _help(p, 405.0, "en").replace("\\", "")
    default = next(line for line in en.splitlines() if line.startswith("- Default"))
    assert default == "- Default: 405 firms/yr" and "0.111" not in en, en
