"""Measures of clusters: pure functions of arrays or tables, shared by simulated and real data."""

from innocluster.measures.inequality import gini

__all__ = ["gini"]
