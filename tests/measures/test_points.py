"""Points in a window, what the distance-based measures share: checks, pairs, edge corrections.

Tests of :mod:`innocluster.measures._points`: Ripley's isotropic edge weight against the share
of the circle inside the window computed from its crossings, and the one-line errors of the
checks every distance-based measure and envelope makes. The point patterns and the comparison
helpers defined here serve the tests of each measure (``tests/measures/test_ripley.py``,
``tests/measures/test_duranton_overman.py``, ``tests/measures/test_marcon_puech.py``) and of the
envelopes (``tests/measures/test_envelopes.py``).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from innocluster.errors import InnoclusterError
from innocluster.measures._points import isotropic_weight
from innocluster.measures.duranton_overman import kd
from innocluster.measures.envelopes import k_envelope, kd_envelope, m_envelope
from innocluster.measures.marcon_puech import m_function
from innocluster.measures.ripley import ripley_k

WINDOW = (0.0, 0.0, 10.0, 8.0)


def pattern(n=80, seed=1, kinds=("a", "b", "c"), p=(0.3, 0.3, 0.4)):
    rng = np.random.default_rng(seed)
    x = rng.uniform(WINDOW[0], WINDOW[2], n)
    y = rng.uniform(WINDOW[1], WINDOW[3], n)
    labels = rng.choice(np.array(kinds), n, p=p)
    weights = rng.uniform(1.0, 20.0, n)
    return x, y, labels, weights


def distances(x, y):
    return np.hypot(x[:, None] - x[None, :], y[:, None] - y[None, :])


def close(a, b, tol=1e-9):
    """Equal up to ``tol`` relative to the largest magnitude (NaN where both are NaN)."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    assert np.array_equal(np.isnan(a), np.isnan(b))
    ok = ~np.isnan(a)
    scale = max(np.abs(b[ok]).max(initial=0.0), 1e-300)
    assert np.abs(a[ok] - b[ok]).max(initial=0.0) <= tol * scale


# ---------------------------------------------------------------------------------------------
# Ripley's isotropic edge correction


def share_inside(px, py, rad, win):
    """Share of the circle of radius rad around (px, py) inside the window, from its crossings."""
    xmin, ymin, xmax, ymax = win
    angles = [0.0, 2 * math.pi]
    for edge in (xmin, xmax):
        c = (edge - px) / rad
        if abs(c) <= 1:
            a = math.acos(c)
            angles += [a % (2 * math.pi), (-a) % (2 * math.pi)]
    for edge in (ymin, ymax):
        s = (edge - py) / rad
        if abs(s) <= 1:
            a = math.asin(s)
            angles += [a % (2 * math.pi), (math.pi - a) % (2 * math.pi)]
    angles.sort()
    inside = 0.0
    for a0, a1 in zip(angles[:-1], angles[1:], strict=True):
        mid = 0.5 * (a0 + a1)
        qx, qy = px + rad * math.cos(mid), py + rad * math.sin(mid)
        if xmin <= qx <= xmax and ymin <= qy <= ymax:
            inside += a1 - a0
    return inside / (2 * math.pi)


def test_isotropic_weight_at_corners_and_edges():
    win = (0.0, 0.0, 4.0, 4.0)
    px = np.array([0.0, 2.0, 2.0, 0.5, 1.0])
    py = np.array([0.0, 0.0, 2.0, 0.5, 3.5])
    d = np.array([1.0, 1.0, 1.0, 1.0, 2.5])
    got = isotropic_weight(px, py, d, win)
    want = [1 / share_inside(a, b, c, win) for a, b, c in zip(px, py, d, strict=True)]
    close(got, want, 1e-12)
    assert got[0] == pytest.approx(4.0) and got[1] == pytest.approx(2.0) and got[2] == 1.0


# ---------------------------------------------------------------------------------------------
# Parameter validation


def test_bad_parameters_raise_one_line_errors():
    x, y, labels, w = pattern(30)
    r = np.array([0.5, 1.0])
    cases = [
        (
            lambda: kd_envelope(x, y, r, labels=labels, reference="a", null="x"),
            "The 'null' parameter of kd_envelope must be one of 'random_location', "
            "'random_labelling', 'population_independence'; got 'x'",
        ),
        (
            lambda: ripley_k(x, y, r, correction="ripley"),
            "The 'correction' parameter of ripley_k must be one of 'isotropic', 'border', "
            "'none'; got 'ripley'",
        ),
        (lambda: kd(x, y, [1.0, 0.5]), "'r' parameter of kd must be a non-empty, strictly"),
        (lambda: kd(x, y, [-1.0, 0.5]), "'r' parameter of kd"),
        (lambda: m_function(x, y, r, labels=labels, reference="z"), "no point has the reference"),
        (lambda: m_function(x, y, r, labels=None, reference="a"), "m_function needs 'labels'"),
        (lambda: kd(x, y[:-1], r), "one length"),
        (lambda: kd(x, y, r, weights=-w), "weights must be finite and >= 0"),
        (lambda: kd(x, y, r, bandwidth=0.0), "'bandwidth' parameter of kd"),
        (lambda: ripley_k(x, y, r, window=(0, 0, 5, 5)), "points lie outside the window"),
        (lambda: ripley_k(x, y, r, window=(0, 0, 5)), "'window' parameter of ripley_k"),
        (
            lambda: m_function(x, y, r, labels=labels, reference="a", case_control=True),
            "case-control M needs 'neighbor'",
        ),
        (
            lambda: m_envelope(x, y, r, labels=labels, reference="a", seed=-1),
            "The 'seed' parameter of m_envelope",
        ),
        (
            lambda: m_envelope(x, y, r, labels=labels, reference="a", n_sim=10),
            "needs at least 19 simulations",
        ),
        (
            lambda: m_envelope(x, y, r, labels=labels, reference="a", alpha=1.5),
            "'alpha' parameter of m_envelope must be in (0, 1)",
        ),
        (
            lambda: m_envelope(x, y, r, labels=labels, reference="a", kind="pointwise"),
            "The 'kind' parameter of m_envelope must be one of 'global', 'local'",
        ),
        (
            lambda: kd_envelope(
                x, y, r, labels=labels, reference="a", null="population_independence"
            ),
            "needs a 'neighbor' label different from 'reference'",
        ),
        (lambda: k_envelope(x, y, r, null="random_labelling"), "use null='random_position'"),
        (lambda: kd(x[:1], y[:1], r), "kd needs at least 2 reference points"),
        (lambda: kd(x[:2], y[:2], [0.01]), "pass 'bandwidth'"),
    ]
    for call, message in cases:
        with pytest.raises(InnoclusterError) as err:
            call()
        assert message in str(err.value), str(err.value)
        assert "\n" not in str(err.value)
        assert isinstance(err.value, ValueError)
