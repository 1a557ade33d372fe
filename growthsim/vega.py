"""Vega-Lite chart specifications: the parts every chart of the project shares (pure: no I/O; :func:`html` and
:func:`svg` have Vega draw a chart).

Every chart the project draws — in the app, in the back-test's and the
sensitivity analysis's HTML files — is a Vega-Lite specification (a plain
dict). The browser draws it with the Vega library that Streamlit already
ships (``st.vega_lite_chart``), so a page loads no second chart library; the
command line writes the same specifications as self-contained HTML files
(:func:`html`, which inlines Vega's script: they open offline).

What is declared once here: the fonts (Chinese first), the colours of
reported figures and targets, the target's star, the year axis (whole years,
no thousands separator), the legend's place (below the plot, in rows, so it
never covers the axis on a phone) and the chart's text alternative
(``description``, which Vega writes as the chart's ``aria-label``).
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence

from .settings import DEFAULT_LANG

FONT = "Noto Sans CJK SC, Noto Sans SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
MAIN_COLOUR = "#1f5fa8"
REFERENCE_COLOUR = "#5b6c7f"  # the baseline beside an edited scenario: 5.6:1 on white (a graphic needs 3:1)
TARGET_COLOUR = "#b22222"     # 6.0:1 on white
REPORTED_COLOUR = "#111111"
TEXT_COLOUR = "#333333"
GRID_COLOUR = "#e6e6e6"
# A five-pointed star as an SVG path in the unit square (Vega scales it to the mark's size).
STAR = ("M0,-1L0.2245,-0.309L0.9511,-0.309L0.3633,0.118L0.5878,0.809L0,0.382L-0.5878,0.809L-0.3633,0.118"
        "L-0.9511,-0.309L-0.2245,-0.309Z")


def wrap(text: str, width: int) -> list[str]:
    """A title as lines of at most ``width`` characters (Vega draws a list of strings as lines)."""
    return textwrap.wrap(str(text), width) or [""]


def config(font_size: int = 11) -> dict:
    """The chart's look: Chinese fonts, dark text (contrast above 4.5:1), light grid, no frame, legend below."""
    text = {"labelColor": TEXT_COLOUR, "titleColor": TEXT_COLOUR, "labelFont": FONT, "titleFont": FONT,
            "labelFontSize": font_size, "titleFontSize": font_size}
    return {
        "font": FONT,
        "view": {"stroke": None},
        "axis": {**text, "gridColor": GRID_COLOUR, "domainColor": "#888888", "tickColor": "#888888",
                 "titleFontWeight": "normal"},
        "legend": {**text, "orient": "bottom", "direction": "horizontal", "columns": 2, "symbolSize": 90,
                   "symbolOpacity": 1,
                   "labelLimit": 260, "title": None, "padding": 2, "rowPadding": 3, "columnPadding": 12},
        "title": {"font": FONT, "fontSize": 13, "fontWeight": 600, "color": "#1a1a1a", "anchor": "start",
                  "offset": 6},
        "text": {"font": FONT},
    }


def year_axis(lo: int, hi: int, title: str | None = None) -> dict:
    """An x encoding of whole years from ``lo`` to ``hi``: '2026', never '2,026' or '2026.5'.

    Parameters
    ----------
    lo : int
        First year.
    hi : int
        Last year.
    title : str | None
        Axis title, or None.
    """
    return {"field": "year", "type": "quantitative", "title": title,
            "scale": {"domain": [lo - 0.4, hi + 0.4], "nice": False, "zero": False},
            # every year when there is room, every other one on a narrow chart (never two labels run together)
            "axis": {"format": "d", "tickMinStep": 1, "labelOverlap": "greedy", "labelSeparation": 6, "grid": True,
                     "values": list(range(lo, hi + 1))}}


def spec(layers: Sequence[dict], *, title: Sequence[str] | str | None, description: str, height: int,
         datasets: dict | None = None, data: dict | None = None, width: int | str = "container",
         subtitle: str | list[str] | None = None, label: str | None = None, **extra) -> dict:
    """A layered chart: its layers, title, text alternative, height and data, with the shared :func:`config`.

    ``description`` is the chart's text alternative: Vega writes it as the SVG's ``aria-label``, so a screen
    reader says what the chart shows (and the latest value against its target) instead of its tick labels.

    Parameters
    ----------
    layers : Sequence[dict]
        The Vega-Lite layers.
    title : Sequence[str] | str | None
        The title (lines), or None.
    description : str
        The chart's text alternative (screen readers say it).
    height : int
        Height [px].
    datasets : dict | None
        Named datasets, or None.
    data : dict | None
        The inline data, or None.
    width : int | str
        Width [px] or ``container``.
    subtitle : str | list of str | None
        The subtitle (a list is drawn as lines), or None.
    label : str | None
        The chart's short name for a screen reader, which stays the same while its values change (default: its
        title); kept in ``usermeta.label`` (the app labels the chart by it and says ``description`` after it).
    **extra
        Further top-level Vega-Lite properties.
    """
    out = {"$schema": SCHEMA, "description": description, "width": width, "height": height,
           "layer": list(layers), "config": config(), "autosize": {"type": "fit-x", "contains": "padding"},
           # room on the right for the last year's label, which a full-width chart on a phone cut ("203")
           "padding": {"left": 2, "right": 14, "top": 4, "bottom": 2}}
    # the marks themselves stay out of the accessibility tree: the description says it in words
    out["config"]["aria"] = False
    if title:
        out["title"] = {"text": list(title) if not isinstance(title, str) else title}
        if subtitle:
            out["title"].update(subtitle=subtitle, subtitleColor="#444444", subtitleFont=FONT)
    lines = [title] if isinstance(title, str) else list(title or [])
    out["usermeta"] = {"label": label or " ".join(lines)}
    if datasets:
        out["datasets"] = datasets
    if data is not None:
        out["data"] = data
    out.update(extra)
    return out


def html(chart: dict, title: str, lang: str = DEFAULT_LANG) -> str:
    """A self-contained HTML page drawing ``chart`` offline (Vega's script inlined by ``vl-convert``).

    Parameters
    ----------
    chart : dict
        A Vega-Lite specification.
    title : str
        The page's title.
    lang : str
        The page's language attribute (``zh`` or ``en``).

    Returns
    -------
    str
        The page: no request leaves it, so it opens on a machine without a network.
    """
    import vl_convert as vlc  # imported here: only the commands that write HTML need it

    page = vlc.vegalite_to_html(chart, bundle=True)
    lang_attr = "zh-CN" if lang == "zh" else "en"
    page = page.replace("<html>", f'<html lang="{lang_attr}">', 1)
    return page.replace("<head>", f"<head>\n<title>{_escape(title)}</title>", 1)


def svg(chart: dict, width: int) -> tuple[str, int]:
    """``chart`` drawn by Vega itself (``vl-convert``) as an SVG picture ``width`` px wide.

    Parameters
    ----------
    chart : dict
        A Vega-Lite specification (its rows inline, as lists).
    width : int
        The width [px] it is drawn at, in place of a width that follows its container.

    Returns
    -------
    tuple[str, int]
        The SVG text and its height [px] (title, axes and padding included).
    """
    import vl_convert as vlc  # imported here: only the app's first screen and the HTML exports need it

    text = vlc.vegalite_to_svg({**chart, "width": width})
    found = re.search(r'<svg[^>]*\sheight="([0-9.]+)"', text)
    if found is None:
        raise ValueError("vl-convert drew an SVG without a height")
    return text, round(float(found.group(1)))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
