"""Calibration: the reported figures with their sources, and the particle filter that fits the model to them."""
