"""Geographic space: the uniform cell grid that indexes organisations for neighbour search.

Neighbour search is never all pairs. Organisations are bucketed into square cells whose side is
at least the search radius divided by the grid's reach, with a counting sort (O(n)); the
neighbours of an organisation within the radius are then among the organisations of the cells
within ``reach`` cells of its own. The grid
stores the permutation that sorts organisations by cell and the start of each cell's run in that
order, so a kernel can walk a cell's members as one contiguous slice of arrays gathered in cell
order (which also keeps memory access local).

The same grid function assigns organisations to the ``R x R`` regions used by regional
statistics (:func:`cell_of`).
"""

from __future__ import annotations

from typing import NamedTuple

import numba
import numpy as np

__all__ = ["CellGrid", "build_grid", "cell_of", "counting_sort"]


class CellGrid(NamedTuple):
    """Organisations bucketed by cell.

    Attributes:
        order: int64 ``(n,)``, the organisations' rows sorted by cell (stable).
        cell_start: int64 ``(ncell * ncell + 1,)``; cell ``c`` holds
            ``order[cell_start[c]:cell_start[c + 1]]``; cells are numbered ``row * ncell + col``.
        ncell: cells per side.
        cell_size: side of a cell, in the units of the positions.
    """

    order: np.ndarray
    cell_start: np.ndarray
    ncell: int
    cell_size: float


def cell_of(x: np.ndarray, y: np.ndarray, ncell: int, extent: float = 1.0) -> np.ndarray:
    """Cell number ``row * ncell + col`` of each point of the square ``[0, extent]^2``.

    A coordinate equal to ``extent`` falls in the last cell. Shapes: ``x, y (n,)`` -> ``(n,)``.
    """
    col = np.minimum((x * (ncell / extent)).astype(np.int64), ncell - 1)
    row = np.minimum((y * (ncell / extent)).astype(np.int64), ncell - 1)
    return row * ncell + col


def build_grid(
    x: np.ndarray,
    y: np.ndarray,
    radius: float,
    extent: float = 1.0,
    reach: int = 1,
    cap: bool = True,
) -> CellGrid:
    """Bucket points of ``[0, extent]^2`` into cells of side ``>= radius / reach``.

    The neighbours within ``radius`` of a point then lie within ``reach`` cells of its own in
    each direction. A larger reach means smaller cells and fewer candidates outside the radius
    (a ``(2 reach + 1)^2`` block of cells covers ``(2 + 1 / reach)^2 radius^2``, against
    ``pi radius^2`` for the disc), at the cost of more cells to visit.

    Args:
        x: abscissae, in ``[0, extent]``, float ``(n,)``.
        y: ordinates, in ``[0, extent]``, float ``(n,)``.
        radius: the largest search distance the grid must serve.
        extent: side of the square.
        reach: cells per radius.
        cap: limit the cells per side to about ``2 sqrt(n)`` (a search index); ``False`` keeps
            cells of side ``radius / reach`` whatever ``n`` (cells that mean something, such as
            labour markets).
    """
    # Cells no smaller than radius / reach; and no more cells per side than about 2 sqrt(n):
    # beyond that most cells are empty and walking them costs more than the distance checks
    # they would save (a small radius over a large square).
    ncell = min(int(extent * reach / radius), 4096)
    if cap:
        ncell = min(ncell, int(2.0 * np.sqrt(len(x))) + 1)
    ncell = max(ncell, 1)
    cells = cell_of(x, y, ncell, extent)
    order, cell_start = counting_sort(cells, ncell * ncell)
    return CellGrid(order, cell_start, ncell, extent / ncell)


@numba.njit(cache=True)
def counting_sort(cells: np.ndarray, ncells: int) -> tuple[np.ndarray, np.ndarray]:
    """Stable counting sort of integer keys in ``[0, ncells)``: ``(order, start)``.

    ``order`` (int64 ``(n,)``) lists the positions of the keys by key, in their order within a
    key; the positions of key ``c`` are ``order[start[c]:start[c + 1]]`` (``start`` int64
    ``(ncells + 1,)``). One pass to count, one to place: ``O(n + ncells)``.
    """
    start = np.zeros(ncells + 1, dtype=np.int64)
    for c in cells:
        start[c + 1] += 1
    for c in range(ncells):
        start[c + 1] += start[c]
    fill = start[:-1].copy()
    order = np.empty(len(cells), dtype=np.int64)
    for i in range(len(cells)):
        c = cells[i]
        order[fill[c]] = i
        fill[c] += 1
    return order, start
