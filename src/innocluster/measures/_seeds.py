"""The one way the measures turn a ``seed`` into random numbers.

Internal to :mod:`innocluster.measures`. Every measure that draws random numbers (permutations,
simulated envelopes, rarefaction, sampled sources, community detection, the start vector of an
eigen-solver) takes its generator from :func:`as_generator`, never from numpy's global random
state, so that the same seed gives the same result. A seed is:

- a non-negative int: a fresh ``numpy.random.default_rng(seed)``, equal to
  ``default_rng(SeedSequence(seed))``;
- a :class:`numpy.random.SeedSequence`: ``default_rng(seed)``;
- a :class:`numpy.random.Generator`: used as it is, and advanced by the draws;
- None: fresh entropy from the operating system (not reproducible).

Anything else raises :class:`~innocluster.errors.InnoclusterError` naming the calling function.

Interface offered to the measures:

- :data:`Seed`, the type of a ``seed`` parameter;
- :func:`as_generator` (the normaliser): the generator of a seed;
- :func:`spawn`: independent seed sequences, one per simulation, derived from a seed through
  :func:`as_generator` (results then do not depend on the order or the threads that run them);
- :func:`library_seed`: the int seed of a library that takes one (networkx), derived from a seed
  through :func:`as_generator` (an int is passed on as it is).
"""

from __future__ import annotations

from typing import TypeAlias

import numpy as np

from innocluster.errors import InnoclusterError

Seed: TypeAlias = int | np.random.Generator | np.random.SeedSequence | None


def as_generator(seed: Seed, caller: str) -> np.random.Generator:
    """The generator of ``seed`` (see the module docstring) for the measure ``caller``.

    Raises:
        InnoclusterError: ``seed`` is not a non-negative int, a Generator, a SeedSequence or
            None; the message names ``caller``.
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, np.random.SeedSequence) or seed is None:
        return np.random.default_rng(seed)
    if isinstance(seed, int | np.integer) and not isinstance(seed, bool) and seed >= 0:
        return np.random.default_rng(int(seed))
    raise InnoclusterError(
        f"The 'seed' parameter of {caller} must be a non-negative int, a numpy Generator, a "
        f"numpy SeedSequence or None; got {seed!r}"
    )


def spawn(seed: Seed, caller: str, count: int) -> list[np.random.SeedSequence]:
    """``count`` independent seed sequences derived from ``seed``.

    They are the children of the seed sequence behind :func:`as_generator`'s generator: of
    ``SeedSequence(seed)`` for an int, of the sequence itself for a SeedSequence (whose spawn
    counter advances, as numpy's ``spawn`` does). A Generator has no sequence of its own that
    could be reused without repeating draws, so the root is a new sequence seeded with four
    draws from it (the generator is advanced).
    """
    rng = as_generator(seed, caller)
    if rng is seed:
        root = np.random.SeedSequence(rng.integers(0, 2**63 - 1, size=4).tolist())
    else:
        root = rng.bit_generator.seed_seq
    return root.spawn(count)


def library_seed(seed: Seed, caller: str) -> int:
    """An int seed for a library that draws with its own generator (networkx).

    A non-negative int is passed on unchanged, so the library's result for it does not depend on
    innocluster; a Generator, a SeedSequence or None gives an int drawn from
    :func:`as_generator`.
    """
    rng = as_generator(seed, caller)
    if isinstance(seed, int | np.integer):
        return int(seed)
    return int(rng.integers(2**31 - 1))
