"""Accessibility that can be checked without a browser: contrast of every declared colour, a text alternative
on every chart the pages draw, the scorecard's standing said in words, the finished targets folded below.

Contrast is WCAG 2's ratio (relative luminance of sRGB): text needs 4.5:1, a graphic (a line, a bar, a card's
edge) 3:1 against the white page.
"""

from __future__ import annotations

import pytest
from app_testkit import alt_texts, charts, new_app, run

from growthsim import vega
from growthsim.app import charts as app_charts
from growthsim.app import style
from growthsim.app.main import PAGES
from growthsim.app.tables import STYLE
from growthsim.backtest_report import ORIGIN_COLOURS
from growthsim.explore.sensitivity import LEVER_COLOUR, UNCERTAINTY_COLOUR
from growthsim.pipeline_report import COLORS as STAGE_COLOURS

WHITE = "#ffffff"


def luminance(hex_colour: str) -> float:
    """WCAG 2 relative luminance of an sRGB colour '#rrggbb'."""
    h = hex_colour.lstrip("#")
    channels = [int(h[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two colours (1 to 21)."""
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_contrast_helper_on_known_answers():
    assert contrast("#000000", WHITE) == pytest.approx(21.0)  # black on white: the largest ratio
    assert contrast("#777777", WHITE) == pytest.approx(4.48, abs=0.01)  # the usual grey just under 4.5:1
    assert contrast("#d39e00", WHITE) == pytest.approx(2.42, abs=0.01)  # the old amber edge the issue measured (2.4)


GRAPHICS = {
    "chart lines": [vega.MAIN_COLOUR, vega.REFERENCE_COLOUR, vega.TARGET_COLOUR, vega.REPORTED_COLOUR,
                    *app_charts.SCENARIO_COLOURS.values(), *app_charts.EXTRA_COLOURS, app_charts.GOOD_COLOUR,
                    app_charts.BAD_COLOUR],
    "sensitivity bars": [LEVER_COLOUR, UNCERTAINTY_COLOUR],
    "pipeline stages": list(STAGE_COLOURS),
    "back-test origins": list(ORIGIN_COLOURS),
    "card edges": list(style.CARD_EDGES.values()),
}


@pytest.mark.parametrize("what", list(GRAPHICS))
def test_every_graphic_colour_stands_out_from_the_page(what):
    weak = {c: round(contrast(c, WHITE), 2) for c in GRAPHICS[what] if contrast(c, WHITE) < 3}
    assert weak == {}


def test_text_colours_read_at_4_5_to_1():
    for colour in [*style.CARD_TEXT.values(), vega.TEXT_COLOUR, vega.TARGET_COLOUR]:
        assert contrast(colour, WHITE) >= 4.5, colour
    for css in STYLE.values():  # the scorecard's coloured probability cells: text on its own background
        parts = dict(p.strip().split(": ") for p in css.split(";"))
        assert contrast(parts["color"], parts["background-color"]) >= 4.5, css


@pytest.mark.parametrize("page", [p.key for p in PAGES])
def test_every_chart_has_a_text_alternative(page):
    """A chart is labelled by its title; what it shows and its latest values against the targets follow it as a
    visually hidden text (so a lever step leaves the chart's specification as it was: app/ui.py::chart)."""
    at = run(new_app({"page": page, "draws": "200"}))
    alts = alt_texts(at)
    for key, spec in charts(at).items():
        assert spec.get("description"), key  # the chart's own label
        assert len(alts.get(key, "")) > 20, key  # what the chart shows, in a sentence, right after it
        assert spec["config"]["aria"] is False  # its marks stay out of the screen reader's way


def test_the_year_ahead_comes_first_and_the_14th_plan_is_folded_below():
    at = run(new_app())
    heads = [m.value for m in at.markdown if m.value.startswith("#### ")]
    assert heads[0].startswith("#### 目标展望（2026–2030 年）")  # the targets still open lead the page
    cards = [m.value for m in at.markdown if m.value.startswith("**") and "%" in m.value.split("**")[1]]
    assert cards and all(any(w in c for w in ("▲ 很可能", "◆ 有望", "▼ 难以", "■ 由假设决定")) for c in cards)
    ahead = at.table[0].value
    from growthsim.calibration.targets import tracked_targets
    from growthsim.wording import target_label

    expected = sorted(target_label(t, "zh") for t in tracked_targets().values() if 2025 < t.year <= 2030)
    assert sorted(ahead["目标"]) == expected and "2026年地区生产总值增长5%以上" in expected  # the targets after 2025
    review = next(e for e in at.expander if e.label.startswith("十四五回顾"))
    assert review.label == "十四五回顾（2021–2025 年目标，17 个）"
    assert len(review.table) == 0  # closed, it draws nothing (a lever step does not rebuild it)
    from growthsim.app.page_projections import K_OPEN_REVIEW

    at.session_state[K_OPEN_REVIEW] = True  # opened
    run(at)
    review = next(e for e in at.expander if e.label.startswith("十四五回顾"))
    assert len(review.table[0].value) == 17 and (review.table[0].value["达成概率"].isna()).all()
    standing = next(m.value for m in at.markdown if m.value.startswith("**2026 年进展"))
    assert "数据中暂无 2026 年的月度数字" in standing  # the monitoring has no month of 2026 in the record
