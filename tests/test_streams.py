"""Random streams keyed by name: adding a parameter or a shock changes only what it touches."""

from __future__ import annotations

import numpy as np
import pytest

from growthsim.calibration import smc
from growthsim.calibration.fit import calibrate
from growthsim.simulation import dynamics as dyn
from growthsim.simulation import registry
from growthsim.simulation.model import project, year_shocks
from growthsim.simulation.scenario import baseline
from growthsim.simulation.streams import Streams, as_streams

# An uncertainty that no mechanism reads, declared FIRST so that it shifts every other entry's position:
# under draws taken in registry order it would have changed every published number.
UNREAD = dict(
    id="aaa_unread_uncertainty", label_zh="未使用的不确定参数", label_en="An uncertainty nothing reads",
    unit="%", default=1.0, lower=0.0, upper=2.0, kind="uncertainty", group="economy", spread="calibrated",
    description="test only", description_zh="仅用于测试", source="假设 assumption (test)",
)


def test_a_key_gives_the_same_numbers_and_another_key_others():
    s = Streams(12345)
    a1 = s.generator("spread/growth_long_run").standard_normal(5)
    a2 = s.generator("spread/growth_long_run").standard_normal(5)
    b = s.generator("spread/exit_rate").standard_normal(5)
    assert np.array_equal(a1, a2)          # a stream is a pure function of (root, key)
    assert not np.allclose(a1, b)          # two keys are two streams
    assert not np.allclose(a1, Streams(12346).generator("spread/growth_long_run").standard_normal(5))


def test_a_generator_gives_one_root_and_is_advanced_by_one_draw():
    rng, twin = np.random.default_rng(7), np.random.default_rng(7)
    s = as_streams(rng)
    twin.integers(0, 2**63, size=2, dtype=np.int64)  # the one draw from_generator takes
    assert rng.bit_generator.state == twin.bit_generator.state
    assert as_streams(s) is s                 # streams pass through unchanged
    assert as_streams(np.random.default_rng(7)).root == s.root
    with pytest.raises(TypeError, match="Generator"):
        as_streams(7)


def test_a_longer_horizon_keeps_the_earlier_years_shocks():
    s = Streams(99)
    short, long_ = year_shocks(s, 3, 50, True), year_shocks(s, 6, 50, True)
    assert np.array_equal(short, long_[:3])


def test_adding_a_shock_leaves_the_other_shocks_as_they_were(monkeypatch):
    s = Streams(4)
    before = year_shocks(s, 4, 20, True)
    monkeypatch.setattr(dyn, "SHOCKS", ("a_new_shock", *dyn.SHOCKS))
    after = year_shocks(s, 4, 20, True)
    assert np.array_equal(after[:, 1:, :], before)


def test_adding_a_parameter_changes_no_projected_number(calibration, monkeypatch):
    before = project(calibration.base, baseline(), calibration.posterior, 2030, 300, np.random.default_rng(7))
    monkeypatch.setattr(registry, "_ENTRIES", (UNREAD, *registry._ENTRIES))
    registry.parameters.cache_clear()
    try:
        after = project(calibration.base, baseline(), calibration.posterior, 2030, 300, np.random.default_rng(7))
    finally:
        monkeypatch.undo()
        registry.parameters.cache_clear()
    for k, v in before.values.items():
        # byte-identical: the new parameter draws from its own stream, the others from theirs
        assert np.array_equal(after.values[k], v, equal_nan=True), k


def test_adding_a_parameter_leaves_the_filters_prior_and_posterior_as_they_were(reported, monkeypatch):
    without = calibrate(reported, np.random.default_rng([3, 1]), data_through=2021, particles=4000)
    prior_without = smc.prior_draws(100, Streams(5))
    monkeypatch.setattr(registry, "_ENTRIES", (UNREAD, *registry._ENTRIES))
    registry.parameters.cache_clear()
    try:
        with_it = calibrate(reported, np.random.default_rng([3, 1]), data_through=2021, particles=4000)
        prior_with = smc.prior_draws(100, Streams(5))
    finally:
        monkeypatch.undo()
        registry.parameters.cache_clear()
    assert "aaa_unread_uncertainty" in prior_with and "aaa_unread_uncertainty" not in prior_without
    for pid, v in prior_without.items():
        assert np.array_equal(prior_with[pid], v, equal_nan=True), pid   # NaN: a lever scaled at the start
    for pid, v in without.posterior.draws.items():
        # the unread parameter does not weigh a particle, so resampling and every other move are unchanged
        assert np.array_equal(with_it.posterior.draws[pid], v), pid


def test_the_moves_noise_drawn_ahead_is_the_noise_drawn_when_asked():
    # The filter draws the next Liu-West move's noise ahead while the model re-runs a year; the numbers must be
    # each stream's next ones whether they were drawn ahead, drawn ahead for other parameters (then undone), or
    # drawn when asked: the known answer is the stream's own sequence, ``move/<id>`` of the root.
    pids, n = ["growth_long_run", "exit_rate"], 1_000
    own = {pid: Streams(9).generator(f"move/{pid}").standard_normal(3 * n) for pid in pids}
    asked = smc._Movers(Streams(9))   # no spare core: drawn when asked, in this thread
    ahead = smc._Movers(Streams(9), threads=True)
    other = smc._Movers(Streams(9), threads=True)
    first = asked.noise(pids, n)
    ahead.draw_ahead(pids, n)
    other.draw_ahead(pids[:1], n)  # a move of one parameter only was foreseen: the draw is undone
    for got in (first, ahead.noise(pids, n), other.noise(pids, n)):
        for pid, x in zip(pids, got, strict=True):
            assert np.array_equal(x, own[pid][:n])
    ahead.draw_ahead(pids, n)
    second = ahead.noise(pids, n)
    assert all(np.array_equal(x, own[pid][n:2 * n]) for pid, x in zip(pids, second, strict=True))
