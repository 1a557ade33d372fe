"""Helpers shared by the app's tests (imported by name: tests/app is on the test path)."""

from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
MAIN = str(ROOT / "app" / "main.py")


def keyed(widgets, key: str):
    """The widget whose choice is kept under ``key``: app/ui.py::labelled_choice keys it ``key~<its labels' digest>``
    (one widget per set of labels), a plain widget ``key``."""
    found = [w for w in widgets if w.key == key or str(w.key or "").startswith(f"{key}~")]
    assert len(found) == 1, (key, [w.key for w in widgets])
    return found[0]


def new_app(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(MAIN, default_timeout=90)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    return at


def open_editor(at: AppTest) -> AppTest:
    """Open every box of the scenario editor: its groups of sliders, the year table and save-and-load (a closed box
    draws nothing of its own: app/controls.py::_render_group)."""
    from growthsim.app.controls import K_OPEN_IO, K_OPEN_YEARS, group_key
    from growthsim.simulation.registry import parameters

    for p in parameters().values():
        at.session_state[group_key(p.kind, p.group)] = True
    at.session_state[K_OPEN_YEARS] = at.session_state[K_OPEN_IO] = True
    return at


def run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def plain(text: str) -> str:
    """Message text without Markdown escapes (the app escapes user-supplied text)."""
    return re.sub(r"\\(.)", r"\1", text)


def number(text: str) -> float:
    """'4,794 家' -> 4794.0; '27.74%' -> 27.74."""
    m = re.search(r"[-+]?[\d,]*\.?\d+", str(text))
    assert m, text
    return float(m.group(0).replace(",", ""))


def charts(at: AppTest) -> dict[str, dict]:
    """The page's Vega-Lite charts by their key (app.ui.chart puts it in the specification's usermeta)."""
    import json

    import pandas as pd
    from streamlit import dataframe_util

    out = {}
    for element in at.get("vega_lite_chart"):
        spec = json.loads(element.proto.spec)
        if element.proto.data.data:  # Streamlit sends the chart's rows as Arrow beside the specification
            frame = dataframe_util.convert_arrow_bytes_to_pandas_df(element.proto.data.data)
            rows = [{k: v for k, v in r.items() if not (isinstance(v, float) and pd.isna(v)) and v is not None}
                    for r in frame.to_dict("records")]
            spec["data"] = {"values": rows}
        out[spec.get("usermeta", {}).get("key", "")] = spec
    return out


def alt_texts(at: AppTest) -> dict[str, str]:
    """Each chart's text alternative by the chart's key: the visually hidden text app.ui.chart puts after it
    (in a container keyed ``alt_<chart key>``), Markdown escapes removed."""
    out = {}

    def walk(node) -> None:
        for child in getattr(node, "children", {}).values():
            key = str(getattr(child, "key", None) or "")
            if key.startswith("alt_"):
                out[key[len("alt_"):]] = "".join(plain(m.value) for m in child.children.values()
                                                 if hasattr(m, "value"))
            walk(child)

    walk(at.main)
    return out


def pictures(at: AppTest) -> dict[str, str]:
    """The charts' stand-in pictures (app/ui.py::kept_picture) by their chart's key, each decoded to its SVG text:
    in a container keyed ``gs_pic_<chart key>`` (app/style.py PICTURE_KEY), a Markdown image on a session's first
    screen, Streamlit's image on a page switch."""
    import base64

    from growthsim.app.style import PICTURE_KEY

    out = {}

    def walk(node) -> None:
        for child in getattr(node, "children", {}).values():
            key = str(getattr(child, "key", None) or "")
            if key.startswith(PICTURE_KEY):
                (element,) = child.children.values()
                if element.type == "markdown":
                    image = element.value.removeprefix("![](").removesuffix(")")
                else:
                    assert element.type == "image", element.type
                    (shown,) = element.proto.imgs
                    assert shown.HasField("alt") and shown.alt == "", shown.alt  # decorative: the chart says it
                    image = shown.url
                head, data = image.split(",", 1)
                assert head == "data:image/svg+xml;base64", head
                out[key[len(PICTURE_KEY):]] = base64.b64decode(data).decode("utf-8")
            walk(child)

    walk(at.main)
    return out
