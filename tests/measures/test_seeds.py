"""The one seed normaliser of the measures (``innocluster.measures._seeds``)."""

from __future__ import annotations

import numpy as np
import pytest

import innocluster.measures as measures
from innocluster.errors import InnoclusterError
from innocluster.measures._seeds import as_generator, library_seed, spawn


def test_an_int_a_numpy_int_and_its_seed_sequence_give_the_same_draws():
    expected = np.random.default_rng(42).random(5)
    for seed in (42, np.int64(42), np.random.SeedSequence(42)):
        np.testing.assert_array_equal(as_generator(seed, "f").random(5), expected)


def test_a_generator_is_used_as_it_is_and_none_is_fresh_entropy():
    rng = np.random.default_rng(1)
    assert as_generator(rng, "f") is rng
    assert isinstance(as_generator(None, "f"), np.random.Generator)
    assert as_generator(None, "f").random() != as_generator(None, "f").random()


@pytest.mark.parametrize("seed", [-1, True, 1.5, "3", np.random.RandomState(0), [1, 2]])
def test_anything_else_is_refused_naming_the_caller(seed):
    with pytest.raises(InnoclusterError, match=r"^The 'seed' parameter of my_measure must be") as e:
        as_generator(seed, "my_measure")
    assert "\n" not in str(e.value)


def test_spawned_sequences_follow_the_seed():
    children = spawn(7, "f", 3)
    assert [c.spawn_key for c in children] == [(0,), (1,), (2,)]
    assert all(c.entropy == 7 for c in children)
    root = np.random.SeedSequence(9)
    first, second = spawn(root, "f", 2), spawn(root, "f", 2)
    assert [c.spawn_key for c in first + second] == [(0,), (1,), (2,), (3,)]
    rng = np.random.default_rng(3)
    a = spawn(rng, "f", 2)
    b = spawn(np.random.default_rng(3), "f", 2)
    assert [c.entropy for c in a] == [c.entropy for c in b]
    assert [c.entropy for c in spawn(rng, "f", 2)] != [c.entropy for c in a]  # advanced


def test_a_library_gets_an_int_seed_unchanged_or_drawn():
    assert library_seed(5, "f") == 5 and type(library_seed(np.int32(5), "f")) is int
    drawn = library_seed(np.random.default_rng(5), "f")
    assert drawn == library_seed(np.random.SeedSequence(5), "f")
    assert 0 <= drawn < 2**31 - 1


def test_every_measure_that_draws_refuses_a_bad_seed_with_its_name():
    rng = np.random.default_rng(0)
    y = rng.random(16)
    w = measures.grid_contiguity(4)
    x, yy = rng.uniform(0, 5, 30), rng.uniform(0, 5, 30)
    labels = np.where(np.arange(30) < 10, "a", "b")
    a, b = np.array([0, 1, 2, 3, 0]), np.array([1, 2, 3, 0, 2])
    calls = {
        "moran": lambda s: measures.moran(y, w, seed=s),
        "geary": lambda s: measures.geary(y, w, seed=s),
        "getis_ord": lambda s: measures.getis_ord(y, w, seed=s),
        "moran_local": lambda s: measures.moran_local(y, w, seed=s),
        "getis_ord_local": lambda s: measures.getis_ord_local(y, w, seed=s),
        "k_envelope": lambda s: measures.k_envelope(x, yy, [0.5, 1.0], seed=s),
        "kd_envelope": lambda s: measures.kd_envelope(
            x, yy, [0.5, 1.0], labels=labels, reference="a", seed=s
        ),
        "m_envelope": lambda s: measures.m_envelope(
            x, yy, [0.5, 1.0], labels=labels, reference="a", seed=s
        ),
        "rarefied_gini": lambda s: measures.rarefied_gini(np.array([3, 1, 4]), 5, seed=s),
        "brokerage": lambda s: measures.brokerage(a, b, seed=s),
        "small_world": lambda s: measures.small_world(a, b, seed=s),
        "field_communities": lambda s: measures.field_communities(np.ones((3, 3)), seed=s),
    }
    for name, call in calls.items():
        with pytest.raises(InnoclusterError, match=f"'seed' parameter of {name} must be"):
            call(-1)
