"""The cluster's state as arrays: organisations as a struct of arrays, alliances as edge arrays.

No organisation is a Python object. :class:`Population` holds one numpy array per field (a field
may be a vector per organisation, e.g. knowledge over ``D`` fields); the live organisations are
rows ``0 .. n-1`` of every array. Entries are appended with amortised growth (capacity doubles),
exits compact the arrays in one pass and move the leavers' rows to an archive, so mechanisms
always work on dense arrays of live organisations.

All structural changes (add, remove organisations; add, remove alliances) go through the
methods here: that is the one place where the state's shape changes. Mechanisms write values
into the fields they document.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numba
import numpy as np

__all__ = ["FieldSpec", "Population", "Alliances", "State"]


@dataclass(frozen=True)
class FieldSpec:
    """One per-organisation field: its name, dtype and width (``0`` for a scalar per row)."""

    name: str
    dtype: str
    width: int = 0
    fill: float | int = 0


class Population:
    """Organisations as a struct of arrays with amortised growth and compaction.

    Args:
        fields: the per-organisation fields. ``org_id`` (int64), ``born`` (int32) and
            ``parent`` (int64, ``-1`` if none) are always present.
        capacity: rows to allocate at first.

    ``pop["k"]`` is a view of the live rows of field ``k``: shape ``(n,)`` or ``(n, width)``.
    """

    _BUILTIN = (
        FieldSpec("org_id", "int64"),
        FieldSpec("born", "int32"),
        FieldSpec("parent", "int64", fill=-1),
    )

    def __init__(self, fields: list[FieldSpec], capacity: int = 1024) -> None:
        specs = {f.name: f for f in (*self._BUILTIN, *fields)}
        self.specs: dict[str, FieldSpec] = specs
        self.n = 0
        self.next_id = 0
        self._capacity = max(int(capacity), 16)
        self._data = {name: self._empty(spec, self._capacity) for name, spec in specs.items()}
        self.archive: list[dict[str, np.ndarray]] = []

    @staticmethod
    def _empty(spec: FieldSpec, rows: int) -> np.ndarray:
        shape = (rows, spec.width) if spec.width else (rows,)
        return np.full(shape, spec.fill, dtype=spec.dtype)

    def __getitem__(self, name: str) -> np.ndarray:
        return self._data[name][: self.n]

    def __len__(self) -> int:
        return self.n

    def add(self, step: int, parent: np.ndarray | None = None, **values: np.ndarray) -> slice:
        """Append organisations born at ``step``; returns the slice of their rows.

        Args:
            step: the step of birth, stored in ``born``.
            parent: the parents' ``org_id`` (``-1`` for none); default none.
            **values: initial values per field, each with the new rows as first axis. The
                number of new organisations is taken from the first value. Fields not given
                keep their fill value.
        """
        count = len(next(iter(values.values()))) if values else 0
        if parent is not None:
            count = len(parent)
        new = slice(self.n, self.n + count)
        self._reserve(self.n + count)
        for name in values:
            if name not in self.specs or name in ("org_id", "born", "parent"):
                raise KeyError(f"cannot set field '{name}' on new organisations")
        for name, spec in self.specs.items():
            # Rows freed by earlier exits hold stale values: every field is written.
            self._data[name][new] = values.get(name, spec.fill)
        self._data["org_id"][new] = np.arange(self.next_id, self.next_id + count)
        self._data["born"][new] = step
        self._data["parent"][new] = -1 if parent is None else parent
        self.next_id += count
        self.n += count
        return new

    def remove(self, leave: np.ndarray, step: int) -> int:
        """Remove the organisations where ``leave`` (bool, shape ``(n,)``) is true.

        Their rows, with ``exited = step``, go to :attr:`archive`; the others keep their order.
        Returns the number removed.
        """
        leave = np.asarray(leave, dtype=bool)
        if leave.shape != (self.n,):
            raise ValueError(f"leave mask must have shape ({self.n},), got {leave.shape}")
        gone = int(leave.sum())
        if gone == 0:
            return 0
        record = {name: self[name][leave] for name in self.specs}
        record["exited"] = np.full(gone, step, dtype=np.int32)
        self.archive.append(record)
        for name in self.specs:
            data = self._data[name]
            _compact(data.reshape(len(data), -1), leave)
        self.n -= gone
        return gone

    def exited(self) -> dict[str, np.ndarray]:
        """All archived rows, concatenated per field (empty arrays if none left)."""
        if not self.archive:
            empty = {name: self._empty(spec, 0) for name, spec in self.specs.items()}
            return {**empty, "exited": np.empty(0, dtype=np.int32)}
        names = [*self.specs, "exited"]
        return {name: np.concatenate([rec[name] for rec in self.archive]) for name in names}

    def _reserve(self, rows: int) -> None:
        if rows <= self._capacity:
            return
        capacity = max(rows, 2 * self._capacity)
        for name, spec in self.specs.items():
            grown = self._empty(spec, capacity)
            grown[: self.n] = self._data[name][: self.n]
            self._data[name] = grown
        self._capacity = capacity


@numba.njit(cache=True)
def _compact(rows: np.ndarray, leave: np.ndarray) -> None:
    # Move the kept rows forward in place, in order: one pass, no temporary copy.
    kept = 0
    for i in range(len(leave)):
        if not leave[i]:
            if kept != i:
                for j in range(rows.shape[1]):
                    rows[kept, j] = rows[i, j]
            kept += 1


class Alliances:
    """Undirected alliances as edge arrays: ``a < b`` (org ids), ``strength``, ``born``.

    No self-loops, no duplicates. Ended alliances go to an archive with their ``end`` step.
    """

    def __init__(self) -> None:
        self.a = np.empty(0, dtype=np.int64)
        self.b = np.empty(0, dtype=np.int64)
        self.strength = np.empty(0, dtype=np.float64)
        self.born = np.empty(0, dtype=np.int32)
        self.archive: list[dict[str, np.ndarray]] = []

    def __len__(self) -> int:
        return len(self.a)

    def add(
        self, a: np.ndarray, b: np.ndarray, step: int, strength: float | np.ndarray = 1.0
    ) -> int:
        """Add alliances between org ids ``a[i]`` and ``b[i]``; returns how many were new.

        Self-loops and pairs already allied (in either order, or twice in the input) are
        dropped; the first occurrence wins.
        """
        a, b = np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64)
        strength = np.broadcast_to(np.asarray(strength, dtype=np.float64), a.shape)
        lo, hi = np.minimum(a, b), np.maximum(a, b)
        ok = lo != hi
        lo, hi, strength = lo[ok], hi[ok], strength[ok]
        key = np.concatenate([self._key(self.a, self.b), self._key(lo, hi)])
        _, first = np.unique(key, return_index=True)
        fresh = np.sort(first[first >= len(self.a)]) - len(self.a)
        self.a = np.concatenate([self.a, lo[fresh]])
        self.b = np.concatenate([self.b, hi[fresh]])
        self.strength = np.concatenate([self.strength, strength[fresh]])
        self.born = np.concatenate([self.born, np.full(len(fresh), step, dtype=np.int32)])
        return len(fresh)

    def remove(self, end: np.ndarray, step: int) -> int:
        """End the alliances where ``end`` (bool, one per alliance) is true; returns how many."""
        end = np.asarray(end, dtype=bool)
        count = int(end.sum())
        if count:
            self.archive.append(
                {
                    "a": self.a[end],
                    "b": self.b[end],
                    "strength": self.strength[end],
                    "born": self.born[end],
                    "end": np.full(count, step, dtype=np.int32),
                }
            )
            keep = ~end
            self.a, self.b = self.a[keep], self.b[keep]
            self.strength, self.born = self.strength[keep], self.born[keep]
        return count

    def remove_orgs(self, org_ids: np.ndarray, step: int) -> int:
        """End every alliance that involves one of ``org_ids`` (organisations that exited)."""
        gone = np.isin(self.a, org_ids) | np.isin(self.b, org_ids)
        return self.remove(gone, step)

    def records(self) -> dict[str, np.ndarray]:
        """Every alliance, active then ended, as the columns of the alliances table.

        ``end`` is ``-1`` (null in the table) for active alliances.
        """
        ended = self.archive
        return {
            "org_a": np.concatenate([self.a, *(e["a"] for e in ended)]),
            "org_b": np.concatenate([self.b, *(e["b"] for e in ended)]),
            "start": np.concatenate([self.born, *(e["born"] for e in ended)]),
            "end": np.concatenate([np.full(len(self), -1, np.int32), *(e["end"] for e in ended)]),
            "strength": np.concatenate([self.strength, *(e["strength"] for e in ended)]),
        }

    @staticmethod
    def _key(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        # Org ids are far below 2**31, so one int64 identifies an unordered pair.
        return (a << 32) | b


@dataclass
class State:
    """Everything a run changes: the step, the organisations, the alliances, this step's flows.

    ``flows`` holds what mechanisms counted during the current step (entries, exits, the mean
    spillover pool, ...); the engine clears it before each step and hands it to the observer.
    ``patents`` and ``citations`` collect the rows of the patents and citations tables as
    chunks of arrays (one chunk per mechanism and step). ``world`` holds a
    model's cluster-wide values (the cluster model's
    :class:`~innocluster.models.cluster.state.World`).
    """

    orgs: Population
    alliances: Alliances = field(default_factory=Alliances)
    step: int = 0
    flows: dict[str, float] = field(default_factory=dict)
    patents: list[dict[str, np.ndarray]] = field(default_factory=list)
    citations: list[dict[str, np.ndarray]] = field(default_factory=list)
    world: Any = None

    def patent_records(self) -> dict[str, np.ndarray] | None:
        """The patent chunks concatenated per column, or ``None`` if there are none."""
        return _concatenated(self.patents)

    def citation_records(self) -> dict[str, np.ndarray] | None:
        """The citation chunks concatenated per column, or ``None`` if there are none."""
        return _concatenated(self.citations)


def _concatenated(chunks: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray] | None:
    if not chunks:
        return None
    return {name: np.concatenate([c[name] for c in chunks]) for name in chunks[0]}
