"""Measures of clusters: pure functions of arrays or tables, shared by simulated and real data.

See ``docs/measures.md`` for every measure, its formula, its options and its references.
"""

from innocluster.measures.inequality import gini
from innocluster.measures.knowledge import alliance_stock, knowledge_stock, patent_stock
from innocluster.measures.lifecycle import STAGES, lifecycle_stage
from innocluster.measures.network import (
    NetworkSummary,
    adjacency,
    brokerage,
    degree_distribution,
    network_summary,
    small_world,
)
from innocluster.measures.phase import PHASES, diagnose_phase, leave_one_out_median, phase_of

__all__ = [
    "PHASES",
    "STAGES",
    "NetworkSummary",
    "adjacency",
    "alliance_stock",
    "brokerage",
    "degree_distribution",
    "diagnose_phase",
    "gini",
    "knowledge_stock",
    "leave_one_out_median",
    "lifecycle_stage",
    "network_summary",
    "patent_stock",
    "phase_of",
    "small_world",
]
