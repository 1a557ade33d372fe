"""Exploring the model: goal seeking, sensitivity, scenario discovery and sweeps (issue #5).

- :mod:`.seek` — what lever settings meet targets with a given probability;
- :mod:`.sensitivity` — Sobol and Morris indices per indicator and year;
- :mod:`.sweep` — grids and samples of scenarios, chunked, resumable, local or Dask;
- :mod:`.discovery` — PRIM boxes and decision-tree leaves turned into sentences.

Vocabulary: levers (what the bureau controls), uncertainties (what it does
not), outcomes (indicators), targets (plan figures with a year and comparator).
"""
