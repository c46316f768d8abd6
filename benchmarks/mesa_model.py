"""Mesa 3 implementation of the benchmark model (benchmark-only).

This is an independent, straightforward Mesa implementation of the
benchmark model spec (organisations on the unit square that accumulate
knowledge through distance-decayed spillovers, Poisson innovation,
depreciation, spin-offs and exits). It is written from the spec alone and
does not import ``innocluster``. It serves two purposes:

* timing Mesa (one Python object per organisation, per-agent loops, neighbour
  search through ``ContinuousSpace.get_neighbors``) against innocluster's
  vectorised engine;
* checking over many seeds that both implementations agree in distribution.

Mesa is only a benchmark dependency (the ``bench`` extra); it is never a
runtime dependency of innocluster.

Run ``python benchmarks/mesa_model.py`` for a small case (n0=2000, 5 steps,
seed 1) that prints the recorded rows and the wall time per step.
"""

from __future__ import annotations

import argparse
import math
import time

import mesa
import numpy as np
from mesa.space import ContinuousSpace

DEFAULTS = dict(
    n0=10_000,
    D=16,
    r=0.05,
    lam=0.02,
    s=0.02,
    a=0.5,
    delta=0.05,
    p_spin=0.01,
    sigma_spin=0.01,
    phi=0.5,
    q_exit=0.01,
)

GRID_CELLS = 10  # grid_gini uses a GRID_CELLS x GRID_CELLS grid of the unit square

# Mesa's non-torus ContinuousSpace rejects a coordinate equal to x_max / y_max
# (``out_of_bounds`` tests ``x >= x_max``). Spin-off positions are clipped to
# [0, 1] and can be exactly 1.0, so the space is made one ulp wider than the
# unit square. No position ever exceeds 1.0; the model itself lives on [0, 1]^2.
SPACE_MAX = float(np.nextafter(1.0, 2.0))


class Organisation(mesa.Agent):
    """An organisation: a position in the unit square and a knowledge vector.

    Attributes:
        knowledge: Non-negative knowledge stock per technology field, shape (D,).
        total: Cached ``knowledge.sum()`` (K_i).
        norm: Cached Euclidean norm of ``knowledge`` (for cosine similarity).
        pool: Spillover pool S_i computed in the current step.
    """

    def __init__(self, model: BenchmarkModel, knowledge: np.ndarray) -> None:
        """Create an organisation.

        Args:
            model: The model the organisation belongs to.
            knowledge: Initial knowledge vector of length D (copied).
        """
        super().__init__(model)
        self.knowledge = np.array(knowledge, dtype=float)
        self.pool = 0.0
        self._refresh_summary()

    def _refresh_summary(self) -> None:
        """Recompute the cached total and norm after the knowledge changed."""
        self.total = float(self.knowledge.sum())
        self.norm = float(np.sqrt(self.knowledge @ self.knowledge))

    def cosine(self, other: Organisation) -> float:
        """Cosine similarity of the two knowledge vectors (0 if either is all zero)."""
        if self.norm == 0.0 or other.norm == 0.0:
            return 0.0
        return float(self.knowledge @ other.knowledge) / (self.norm * other.norm)

    def compute_pool(self) -> None:
        """Sub-step 1: spillover pool S_i from the neighbours' current state."""
        m = self.model
        x, y = self.pos
        pool = 0.0
        # include_center=True and then drop self: with include_center=False Mesa
        # drops *every* agent at distance exactly 0, but the spec counts other
        # organisations at the same spot (possible after clipping into a corner).
        for other in m.space.get_neighbors(self.pos, m.r, include_center=True):
            if other is self:
                continue
            dist = math.hypot(other.pos[0] - x, other.pos[1] - y)
            if dist >= m.r:  # get_neighbors uses <= r; the spec wants < r
                continue
            pool += math.exp(-dist / m.lam) * self.cosine(other) * other.total
        self.pool = m.s * pool

    def step(self) -> None:
        """Sub-steps 2-5 for this organisation (the pools are already computed)."""
        self.innovate()
        self.depreciate()
        self.spin_off()
        self.maybe_exit()

    def innovate(self) -> None:
        """Sub-step 2: Poisson innovations spread multinomially over the fields."""
        m = self.model
        n = m.rng.poisson(m.a * math.sqrt(1.0 + self.pool))
        if n > 0:
            if self.total > 0.0:
                probs = self.knowledge / self.total
            else:
                probs = np.full(m.D, 1.0 / m.D)
            self.knowledge = self.knowledge + m.rng.multinomial(n, probs)

    def depreciate(self) -> None:
        """Sub-step 3: knowledge depreciation."""
        self.knowledge = (1.0 - self.model.delta) * self.knowledge
        self._refresh_summary()

    def spin_off(self) -> None:
        """Sub-step 4: with probability p_spin, found a new organisation nearby."""
        m = self.model
        if m.rng.random() < m.p_spin:
            offset = m.rng.normal(0.0, m.sigma_spin, size=2)
            pos = np.clip(np.asarray(self.pos) + offset, 0.0, 1.0)
            m.add_organisation(pos, m.phi * self.knowledge)

    def maybe_exit(self) -> None:
        """Sub-step 5: leave the model with probability q_exit."""
        if self.model.rng.random() < self.model.q_exit:
            self.remove()

    def remove(self) -> None:
        """Remove the organisation from the space and from the model."""
        self.model.space.remove_agent(self)
        super().remove()


class BenchmarkModel(mesa.Model):
    """The benchmark model on a non-torus continuous unit square.

    Attributes:
        space: The ``ContinuousSpace`` holding the organisations.
        rows: One dict per completed step (see ``record``).
    """

    def __init__(self, seed: int | None = None, **params: float) -> None:
        """Create the model and its initial organisations.

        Args:
            seed: Seed of the model's random number generators (``self.rng``).
            **params: Overrides of ``DEFAULTS``.

        Raises:
            TypeError: If a parameter name is not in ``DEFAULTS``.
        """
        super().__init__(seed=seed)
        unknown = sorted(set(params) - set(DEFAULTS))
        if unknown:
            raise TypeError(f"unknown parameter(s): {', '.join(unknown)}")
        p = {**DEFAULTS, **params}
        self.n0 = int(p["n0"])
        self.D = int(p["D"])
        self.r = float(p["r"])
        self.lam = float(p["lam"])
        self.s = float(p["s"])
        self.a = float(p["a"])
        self.delta = float(p["delta"])
        self.p_spin = float(p["p_spin"])
        self.sigma_spin = float(p["sigma_spin"])
        self.phi = float(p["phi"])
        self.q_exit = float(p["q_exit"])

        self.space = ContinuousSpace(SPACE_MAX, SPACE_MAX, torus=False)
        self.rows: list[dict] = []
        for _ in range(self.n0):
            pos = self.rng.random(2)
            knowledge = self.rng.exponential(1.0, size=self.D)
            self.add_organisation(pos, knowledge)

    def add_organisation(self, pos, knowledge) -> Organisation:
        """Create an organisation and place it in the space.

        Args:
            pos: (x, y) in [0, 1]^2.
            knowledge: Knowledge vector of length D.

        Returns:
            The new organisation.
        """
        org = Organisation(self, knowledge)
        self.space.place_agent(org, (float(pos[0]), float(pos[1])))
        return org

    def step(self) -> None:
        """Advance one step and append its row to ``rows``."""
        # All pools read the start-of-step state before any organisation changes.
        self.agents.do("compute_pool")
        pools = self.agents.get("pool")
        mean_pool = float(np.mean(pools)) if pools else 0.0
        # AgentSet.do iterates over a snapshot: spin-offs founded during this
        # pass neither act nor exit in this step.
        self.agents.do("step")
        self.record(mean_pool)

    def record(self, mean_pool: float) -> None:
        """Append the row for the step just completed."""
        self.rows.append(
            dict(
                step=self.steps,
                n_orgs=len(self.agents),
                total_knowledge=float(sum(self.agents.get("total"))),
                mean_pool=mean_pool,
                grid_gini=self.grid_gini(),
            )
        )

    def grid_gini(self) -> float:
        """Gini coefficient of organisation counts over a 10 x 10 grid."""
        counts = np.zeros(GRID_CELLS * GRID_CELLS)
        for org in self.agents:
            x, y = org.pos
            col = min(math.floor(GRID_CELLS * x), GRID_CELLS - 1)
            row = min(math.floor(GRID_CELLS * y), GRID_CELLS - 1)
            counts[row * GRID_CELLS + col] += 1
        if counts.sum() == 0:
            return 0.0
        diff_sum = np.abs(counts[:, None] - counts[None, :]).sum()
        return float(diff_sum / (2 * counts.size**2 * counts.mean()))


def run(steps: int, seed: int, **params: float) -> list[dict]:
    """Run the benchmark model.

    Args:
        steps: Number of steps.
        seed: Model seed.
        **params: Overrides of ``DEFAULTS``.

    Returns:
        The recorded rows, one dict per step.
    """
    model = BenchmarkModel(seed=seed, **params)
    for _ in range(steps):
        model.step()
    return model.rows


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n0", type=int, default=2000)
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    t0 = time.perf_counter()
    model = BenchmarkModel(seed=args.seed, n0=args.n0)
    print(f"setup: {time.perf_counter() - t0:.3f} s")
    step_times = []
    for _ in range(args.steps):
        t0 = time.perf_counter()
        model.step()
        step_times.append(time.perf_counter() - t0)
        print(model.rows[-1], f"({step_times[-1]:.3f} s)")
    print(f"mean wall time per step: {np.mean(step_times):.3f} s (n0={args.n0})")
