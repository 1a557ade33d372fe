"""The planner's app (Streamlit): the scenario editor and the pages that draw projections, comparisons,
calibration evidence, what it takes, sensitivity, the project pipeline, monitoring and the back-test."""
