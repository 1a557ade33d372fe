"""The app's pipeline page renders (Streamlit's AppTest, no browser): the illustrative banner, the metrics,
the Gantt chart and the per-project table, filtered and searched; in English too."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def keyed(widgets, key: str):
    """The widget whose choice is kept under ``key`` (app/ui.py::labelled_choice keys it ``key~<digest>``)."""
    return next(w for w in widgets if str(w.key or "").startswith(f"{key}~"))


def _page(lang: str = "zh"):
    from growthsim.app import page_pipeline
    from growthsim.app.context import Ctx
    from growthsim.runner import RunSettings, load_calibration
    from growthsim.simulation.scenario import baseline

    cal = load_calibration(RunSettings())
    edited = baseline().with_values()
    ctx = Ctx(lang=lang, page="pipeline", draws=100, seed=3, horizon=2030, through=cal.data_through,
              latest_through=cal.data_through, calibration=cal, defaults={}, values={},
              catalogue={"edited": edited}, compare=())
    page_pipeline.render(ctx)


def test_the_page_renders_the_illustrative_list():
    at = AppTest.from_function(_page, default_timeout=120).run()
    assert not at.exception, at.exception
    warnings = " ".join(w.value for w in at.warning)
    assert "示例/虚构" in warnings and "ILLUSTRATIVE" not in warnings  # labelled in the page's language only
    assert len(at.metric) == 4
    assert len(at.dataframe) == 2  # the yearly summary and the per-project table
    caption = " ".join(c.value for c in at.caption)
    assert "示例项目清单" in caption and "示例/虚构" in caption  # the list's name and its label, in Chinese
    # filter the Gantt chart to renovation projects and search the table
    keyed(at.selectbox, "pipeline_kind").select("renovation").run()  # 技改项目
    at.text_input(key="pipeline_search").input("REN001").run()
    assert not at.exception
    table = at.dataframe[1].value
    assert list(table["编号"]) == ["REN001"]


def test_the_page_in_english():
    at = AppTest.from_function(_page, kwargs={"lang": "en"}, default_timeout=120).run()
    assert not at.exception, at.exception
    warning = " ".join(w.value for w in at.warning)
    assert "illustrative" in warning and "示例" not in warning  # labelled in the page's language only
    assert at.subheader[0].value == "Project pipeline (event engine)"
