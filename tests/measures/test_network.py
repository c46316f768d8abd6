"""Network measures against networkx computed directly."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from innocluster.errors import InnoclusterError
from innocluster.measures.network import (
    adjacency,
    brokerage,
    degree_distribution,
    network_summary,
    small_world,
    transitivity,
)


def random_network(seed, n=60, p=0.08):
    graph = nx.gnp_random_graph(n, p, seed=seed)
    edges = np.array(graph.edges(), dtype=np.int64).reshape(-1, 2)
    ids = np.arange(n) * 10 + 7  # ids are not row numbers
    return graph, ids[edges[:, 0]], ids[edges[:, 1]], ids


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_summary_matches_networkx(seed):
    graph, a, b, ids = random_network(seed)
    s = network_summary(a, b, ids)
    assert (s.nodes, s.edges) == (graph.number_of_nodes(), graph.number_of_edges())
    assert s.density == pytest.approx(nx.density(graph))
    assert s.clustering == pytest.approx(nx.average_clustering(graph))
    assert s.transitivity == pytest.approx(nx.transitivity(graph))
    parts = list(nx.connected_components(graph))
    assert s.components == len(parts)
    assert s.largest_component_share == pytest.approx(max(map(len, parts)) / len(ids))
    degrees = np.bincount([d for _, d in graph.degree()])
    np.testing.assert_array_equal(degree_distribution(a, b, ids), degrees)


def test_brokerage_matches_networkx_with_ids():
    graph, a, b, ids = random_network(4)
    expected = nx.betweenness_centrality(graph, normalized=True)
    got = brokerage(a, b, ids)
    assert got.keys() == {int(i) for i in ids}
    for node, value in expected.items():
        assert got[int(ids[node])] == pytest.approx(value)


def test_duplicates_self_loops_and_unknown_nodes():
    matrix, ids = adjacency(np.array([1, 2, 1, 3]), np.array([2, 1, 1, 3]))
    assert ids.tolist() == [1, 2, 3] and matrix.nnz == 2
    with pytest.raises(InnoclusterError, match="edge 0 \\(1, 9\\)"):
        adjacency(np.array([1]), np.array([9]), nodes=np.array([1, 2]))


def test_small_world_orders_lattice_small_world_and_random():
    omegas = []
    for p in (0.0, 0.1, 1.0):
        graph = nx.watts_strogatz_graph(400, 8, p, seed=3)
        e = np.array(graph.edges())
        omegas.append(small_world(e[:, 0], e[:, 1])["omega"])
    assert omegas[0] < -0.7 and abs(omegas[1]) < 0.3 and omegas[2] > 0.7
    ws = nx.watts_strogatz_graph(400, 8, 0.1, seed=3)
    e = np.array(ws.edges())
    assert small_world(e[:, 0], e[:, 1])["sigma"] > 3


def test_sparse_transitivity_matches_networkx():
    graph = nx.gnp_random_graph(300, 0.03, seed=4)
    graph.add_edges_from([(0, 1), (1, 2), (0, 2)])
    a, b = np.array(graph.edges()).T
    matrix, _ = adjacency(a, b, np.arange(300))
    assert transitivity(matrix) == pytest.approx(nx.transitivity(graph), rel=1e-12)
    star, _ = adjacency(np.zeros(5, int), np.arange(1, 6))
    assert transitivity(star) == 0.0
