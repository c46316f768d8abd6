"""Measures of clusters: pure functions of arrays or tables, shared by simulated and real data.

See ``docs/measures.md`` for every measure, its formula, its options and its references. Every
public name is ``innocluster.measures.NAME``; the submodules load on first use (PEP 562), so
that importing the simulator does not import the libraries only some measures need (networkx,
scipy.signal, scikit-learn).

One submodule per family of statistics (``moran_i``, ``geary_c``, ``getis_ord_g``, ``ripley``,
``duranton_overman``, ``marcon_puech``, ...). What families share lives in internal modules,
named with a leading underscore and offering public names only, each stating its interface:
``_inference`` (spatial autocorrelation: checks, permutations, p-values), ``_points`` (points
in a window: checks, pairs, edge corrections), ``_matrices`` (region-by-field matrices: checks
and helpers), ``_seeds`` (the one seed normaliser) and ``_cluster_tables`` (the tables of the
table-level measures). No submodule imports another's
private names, reads a file or imports the simulator (``tests/measures/test_purity.py``). A
submodule is never named like a function it defines (``moran_i``, not ``moran``), so that
``innocluster.measures.moran`` stays the function once the submodule is imported.
"""

from __future__ import annotations

from innocluster._lazy import lazy_exports

#: Public name -> the submodule that defines it.
_EXPORTS = {
    "gini": "inequality",
    "gini_rows": "inequality",
    "pareto_tail": "inequality",
    "citation_localisation": "localisation",
    "Diagnosis": "diagnosis",
    "MechanismRules": "diagnosis",
    "diagnose": "diagnosis",
    "measure_cluster": "profile",
    "profile_rows": "profile",
    "alliance_stock": "knowledge",
    "alliances_per_organisation": "knowledge",
    "perpetual_inventory": "knowledge",
    "patent_stock": "knowledge",
    "STAGES": "lifecycle",
    "lifecycle_stage": "lifecycle",
    "shakeout": "lifecycle",
    "exit_hazard": "lifecycle",
    "cohort_survival": "lifecycle",
    "NetworkSummary": "network",
    "adjacency": "network",
    "brokerage": "network",
    "degree_distribution": "network",
    "network_summary": "network",
    "transitivity": "network",
    "small_world": "network",
    "PHASES": "phase",
    "diagnose_phase": "phase",
    "leave_one_out_median": "phase",
    "phase_of": "phase",
    "Complexity": "complexity",
    "Outlook": "complexity",
    "Reflections": "complexity",
    "complexity_indices": "complexity",
    "complexity_outlook": "complexity",
    "reflections": "complexity",
    "DensitySplit": "technology",
    "SpecialisationChange": "technology",
    "co_occurrence": "technology",
    "diversity": "technology",
    "entropy": "technology",
    "external_access": "technology",
    "field_communities": "technology",
    "herfindahl": "technology",
    "proximity": "technology",
    "rca": "technology",
    "relatedness": "technology",
    "relatedness_density": "technology",
    "relatedness_density_split": "technology",
    "specialisation": "technology",
    "specialisation_change": "technology",
    "ubiquity": "technology",
    "IndustryConcentration": "concentration",
    "ellison_glaeser": "concentration",
    "hoover": "concentration",
    "krugman_specialisation": "concentration",
    "location_quotient": "concentration",
    "locational_gini": "concentration",
    "maurel_sedillot": "concentration",
    "plant_herfindahl": "concentration",
    "rarefied_gini": "concentration",
    "IslandWarning": "weights",
    "distance_band": "weights",
    "grid_centroids": "weights",
    "grid_contiguity": "weights",
    "islands": "weights",
    "knn": "weights",
    "transform_weights": "weights",
    "QUADRANTS": "moran_i",
    "MoranLocalResult": "moran_i",
    "MoranResult": "moran_i",
    "moran": "moran_i",
    "moran_local": "moran_i",
    "GearyResult": "geary_c",
    "geary": "geary_c",
    "GetisOrdLocalResult": "getis_ord_g",
    "GetisOrdResult": "getis_ord_g",
    "getis_ord": "getis_ord_g",
    "getis_ord_local": "getis_ord_g",
    "pseudo_p_value": "_inference",
    "RipleyK": "ripley",
    "RipleyL": "ripley",
    "ripley_k": "ripley",
    "ripley_l": "ripley",
    "KDensity": "duranton_overman",
    "kd": "duranton_overman",
    "MFunction": "marcon_puech",
    "m_function": "marcon_puech",
    "Envelope": "envelopes",
    "global_envelope": "envelopes",
    "global_envelope_dbmss": "envelopes",
    "k_envelope": "envelopes",
    "kd_envelope": "envelopes",
    "l_envelope": "envelopes",
    "local_envelope": "envelopes",
    "m_envelope": "envelopes",
    "HotSpot": "hotspots",
    "HotSpots": "hotspots",
    "dbscan_hotspots": "hotspots",
    "hdbscan_hotspots": "hotspots",
}

__all__ = sorted(_EXPORTS)


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
