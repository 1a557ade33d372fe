"""One rule type for every target: met, the plan's words, the model's reading, the compact form, the measure.

Known answers throughout: a rule's boundary values, the texts the plan documents write, and an average growth
in closed form (the measures themselves are tested in tests/targetdesk/test_core.py).
"""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest

from growthsim.calibration.targets import targets
from growthsim.scorecard import level
from growthsim.simulation.measures import Measure
from growthsim.simulation.targets import LIKELY, POSSIBLE, Rule, Target, likelihood

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("rule, below, at, above", [
    (Rule("at_least", 6.5), False, True, True),
    (Rule("above", 5000), False, False, True),        # 突破 5000: 5000 itself is not enough
    (Rule("about", 10, 0.5), False, True, True),      # 10左右 with 0.5: met from 9.5 on (``at`` is the threshold)
    (Rule("at_most", 3.0), True, True, False),
])
def test_met_at_the_boundary(rule, below, at, above):
    x = rule.threshold
    assert rule.met(np.array([x - 1e-9, x, x + 1e-9])).tolist() == [below, at, above]


def test_a_rule_refuses_an_unknown_comparator_or_a_stray_tolerance():
    with pytest.raises(ValueError, match="allowed at_least, above, about, at_most"):
        Rule("greater", 1.0)
    with pytest.raises(ValueError, match="only an 'about' rule"):
        Rule("at_least", 1.0, 0.5)
    with pytest.raises(ValueError, match="not negative"):
        Rule("about", 1.0, -0.5)


@pytest.mark.parametrize("rule, unit, zh, en", [
    (Rule("at_least", 6.5), "%", "不低于 6.5%", "at least 6.5%"),
    (Rule("above", 5000), "家", "突破 5,000家", "above 5,000 firms"),
    (Rule("about", 29, 0.5), "%", "29%左右", "about 29%"),
    (Rule("at_most", 3), "亿元", "不高于 3亿元", "at most 3 × 100 million yuan"),
])
def test_a_rule_is_written_as_the_plan_writes_it(rule, unit, zh, en):
    assert rule.text("zh", unit) == zh and rule.text("en", unit) == en
    if rule.comparator != "about":  # read as written: the plan's words, never a sign, in every view
        assert rule.reading("zh", unit) == zh and rule.reading("en", unit) == en


def test_about_is_read_as_a_floor_with_its_tolerance():
    rule = Rule("about", 29, 0.5)
    assert rule.reading("zh", "%") == "不低于 28.5%（29 − 容差 0.5）"
    assert rule.reading("en", "%") == "at least 28.5% (29 − tolerance 0.5)"


def test_the_compact_form():
    t = Target("t", "mfg_va_share_gdp", 2030, Rule("at_least", 27), "2030年占比27%", "27% in 2030", unit="%")
    assert t.compact() == "mfg_va_share_gdp@2030>=27"
    about = Target("a", "above_scale_va_growth", 2027, Rule("about", 6.5, 0.5), "x", "x", unit="%")
    assert about.compact() == "above_scale_va_growth@2027~6.5±0.5"
    avg = Target("g", "above_scale_va_growth", 2030, Rule("at_least", 6), "x", "x", unit="%",
                 measure=Measure("above_scale_va_growth", 2030, "average", 2026, kind="rate"))
    assert avg.compact() == "above_scale_va_growth@2026-2030:average>=6"


def test_a_target_reads_its_measure_draw_by_draw():
    t = Target("g", "above_scale_va_growth", 2027, Rule("at_least", 5), "x", "x", unit="%",
               measure=Measure("above_scale_va_growth", 2027, "average", 2026, kind="rate"))
    assert t.needs() == (("above_scale_va_growth", 2026), ("above_scale_va_growth", 2027))
    # 10 % then 0 %: (1.1 × 1.0)^(1/2) − 1 = 4.881 %, not the arithmetic 5 %; a constant 5 % averages 5 %
    paths = {("above_scale_va_growth", 2026): [10.0, 5.0], ("above_scale_va_growth", 2027): [0.0, 5.0]}
    values = t.values(lambda ind, y: np.array(paths[(ind, y)]))
    np.testing.assert_allclose(values, [100 * (1.1 ** 0.5 - 1), 5.0])
    assert t.met(values).tolist() == [False, True]
    level = Target("l", "gdp", 2030, Rule("at_least", 1), "x", "x", unit="亿元")
    assert level.needs() == (("gdp", 2030),)  # no measure: the level in its year


def test_a_measure_must_be_of_the_target_s_indicator_and_year():
    with pytest.raises(ValueError, match="measure of gdp@2029 on a target of gdp@2030"):
        Target("x", "gdp", 2030, Rule("at_least", 1), "x", "x", measure=Measure("gdp", 2029, kind="level"))


def test_shipped_targets_carry_their_unit_and_what_sets_them():
    t = targets()
    assert t["firms_2024"].unit == "家" and t["mfg_share_2025"].unit == "%"
    # the renovation lever sets its growth: declared on the indicator's registry entry, read by the target
    assert t["tech_renovation_growth_2024"].decided_by == ("tech_renovation_investment_growth",)
    assert t["gdp_growth_2026"].decided_by == ()


def test_probability_thresholds_are_declared_once():
    assert (LIKELY, POSSIBLE) == (0.8, 0.5)
    assert [likelihood(p) for p in (0.8, 0.79, 0.5, 0.49)] == ["likely", "possible", "possible", "unlikely"]
    assert [level(p) for p in (0.8, 0.79, 0.5, 0.49)] == ["green", "amber", "amber", "red"]


def test_is_it_met_is_written_once():
    """No module but simulation/targets.py defines ``met(values)``: every target, region target, posed target
    and chart mark holds a :class:`Rule` (a search's ``met`` property, "an answer was found", takes no values)."""
    found = []
    for folder in ("simulation", "calibration", "growthsim", "app"):
        for path in (ROOT / folder).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.FunctionDef) and node.name == "met" and len(node.args.args) > 1:
                    found.append(str(path.relative_to(ROOT)))
    assert sorted(set(found)) == ["simulation/targets.py"]
