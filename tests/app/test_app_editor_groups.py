"""The scenario editor draws the sliders of the group boxes a planner has open, and keeps every other value.

A closed box sends no slider (67 sliders with their help texts were some 49 KB of every lever step and page
switch); its parameters' values stay in the session state, the link and the projection, and come back on its
sliders when it is opened again (app/controls.py::_render_group).
"""

from __future__ import annotations

from app_testkit import keyed, new_app, run

from growthsim.app.controls import group_key
from growthsim.simulation.registry import GROUP_LABELS, parameters

ECONOMY = group_key("uncertainty", "economy")


def first_levers() -> set[str]:
    """The levers of the first group that has any: the box open when a session starts."""
    reg = parameters().values()
    group = next(g for g in GROUP_LABELS if any(p.kind == "lever" and p.group == g for p in reg))
    return {p.id for p in reg if p.kind == "lever" and p.group == group}


def drawn(at) -> set[str]:
    """The parameters whose sliders the run drew."""
    return {s.key[2:] for s in at.slider if str(s.key or "").startswith("w_")}


def test_a_session_starts_with_the_first_group_of_levers_drawn_and_no_other_slider():
    at = run(new_app())
    assert drawn(at) == first_levers() == {"upgrade_target", "upgrade_pool_ratio", "upgrade_realisation_rate"}
    labels = [e.label for e in at.sidebar.expander]
    assert all(zh in labels for zh, _ in GROUP_LABELS.values())  # every group's box is there, closed or open


def test_a_closed_groups_values_are_kept_across_steps_and_pages():
    at = run(new_app({"draws": "200"}))
    at.session_state[ECONOMY] = True  # the planner opens 经济环境
    run(at)
    assert "exit_rate" in drawn(at)
    at.slider(key="w_exit_rate").set_value(8.0)
    run(at)
    at.session_state[ECONOMY] = False  # and closes it again
    run(at)
    assert drawn(at) == first_levers()  # its sliders are no longer sent
    at.slider(key="w_upgrade_target").set_value(600)  # a lever step with the box closed
    run(at)
    assert drawn(at) == first_levers()
    assert at.query_params["exit_rate"] == "8" and at.query_params["upgrade_target"] == "600"  # both kept
    assert at.session_state["gs_values"]["exit_rate"] == 8.0  # in the projected scenario too
    keyed(at.radio, "page").set_value("compare")  # to another page and back
    run(at)
    keyed(at.radio, "page").set_value("projections")
    run(at)
    assert at.query_params["exit_rate"] == "8"
    at.session_state[ECONOMY] = True
    run(at)
    assert at.slider(key="w_exit_rate").value == 8.0  # the box opened again shows the value kept


def test_a_value_written_into_a_closed_groups_slider_key_is_applied():
    """The drag preview's release (app/live.py::on_release) writes a lever's value into its slider's key; with the
    lever's box closed the slider is not drawn, and the value still reaches the scenario."""
    at = run(new_app({"draws": "200"}))
    assert "tech_renovation_investment_growth" not in drawn(at)  # 技术改造 is closed
    at.session_state["w_tech_renovation_investment_growth"] = 20.0
    run(at)
    assert at.query_params["tech_renovation_investment_growth"] == "20"
    assert at.session_state["gs_values"]["tech_renovation_investment_growth"] == 20.0


def test_the_year_table_and_save_load_are_drawn_only_while_open():
    """Their boxes start closed and draw nothing (a table widget, 60-odd labels, an uploader); opened, they are
    there; the scenario's name given in save-and-load stays when its box is closed (the chart's line keeps it)."""
    from app_testkit import open_editor

    at = run(new_app({"draws": "200", "upgrade_target": "600"}))
    assert not [w for w in at.selectbox if str(w.key or "").startswith("year_param")]
    assert not at.text_input and not [b for b in at.button if b.key in ("save_button", "load_button")]
    run(open_editor(at))
    assert keyed(at.selectbox, "year_param") and at.button(key="save_button")
    at.text_input(key="save_name").set_value("我的方案")
    run(at)
    at.session_state["gs_open_io"] = False
    run(at)
    assert not at.text_input  # closed again: not drawn
    at.slider(key="w_upgrade_target").set_value(650)  # a later step
    run(at)
    assert at.session_state["save_name"] == "我的方案"  # the name kept
