"""Computation: pure functions from a model to the figures and sentences it implies.

Decimal throughout, rounding half up, nothing stored: a figure is computed each time
from the data it depends on.
"""
