"""The simplex solvers against SLSQP, and their edge cases."""

import numpy as np
import pytest
from scipy.optimize import minimize

from wijkbalans.analysis.effects.simplex import (
    lstsq_terms,
    project_simplex,
    simplex_lstsq,
    simplex_qp,
    simplex_qp_one,
)


def slsqp(H, c, allowed):
    """Reference: SLSQP on the allowed weights, tight tolerance."""
    idx = np.flatnonzero(allowed)
    Hs, cs = H[np.ix_(idx, idx)], c[idx]
    out = minimize(lambda w: 0.5 * w @ Hs @ w - cs @ w, np.full(len(idx), 1 / len(idx)),
                   jac=lambda w: Hs @ w - cs, method="SLSQP", bounds=[(0, 1)] * len(idx),
                   constraints=[{"type": "eq", "fun": lambda w: w.sum() - 1}],
                   options={"ftol": 1e-15, "maxiter": 1000})
    w = np.zeros(len(c))
    w[idx] = out.x
    return w


def test_projection_onto_the_simplex():
    w = project_simplex(np.array([[0.5, 0.5, 0.5], [2.0, 0.0, -1.0], [0.2, 0.3, 0.5]]))
    assert np.allclose(w, [[1 / 3] * 3, [1.0, 0.0, 0.0], [0.2, 0.3, 0.5]])
    masked = project_simplex(np.array([[5.0, 1.0, 1.0]]), np.array([[False, True, True]]))
    assert np.allclose(masked, [[0.0, 0.5, 0.5]])


@pytest.mark.parametrize("m, n, ridge", [(10, 30, 0.0), (30, 10, 0.0), (20, 20, 0.5), (5, 40, 0.5)])
def test_active_set_matches_slsqp_on_a_batch(m, n, ridge):
    rng = np.random.default_rng(m * n)
    A = rng.normal(size=(m, n))
    b = rng.normal(size=(12, m)) + A[:, :3].mean(axis=1)
    H, c = lstsq_terms(A, b, intercept=True, ridge=ridge)
    allowed = rng.random((12, n)) > 0.2
    sol = simplex_qp(H, c, allowed=allowed, method="active-set")
    assert sol.converged.all()
    assert np.allclose(sol.w.sum(axis=1), 1.0) and sol.w.min() >= 0
    assert (sol.w[~allowed] == 0).all()
    for i in range(12):
        ref = slsqp(H, c[i], allowed[i])
        ref_obj = 0.5 * ref @ H @ ref - c[i] @ ref
        # Never worse than SLSQP by more than rounding (the tie-break ridge is 1e-10).
        assert sol.objective[i] <= ref_obj + 1e-9 * (1 + abs(ref_obj))
        if ridge > 0:  # strictly convex: the weights themselves are unique
            assert np.abs(sol.w[i] - ref).max() < 1e-5


def test_fista_agrees_with_the_active_set_when_strictly_convex():
    rng = np.random.default_rng(7)
    A = rng.normal(size=(30, 12))
    H, c = lstsq_terms(A, rng.normal(size=(5, 30)), ridge=0.1)
    exact = simplex_qp(H, c, method="active-set").w
    fista = simplex_qp(H, c, method="fista", tol=1e-13)
    assert fista.converged.all()
    assert np.abs(exact - fista.w).max() < 1e-6


def test_single_problem_solver_and_its_warm_start_agree_with_the_batch():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(13, 16))
    H, c = x.T @ x, x.T @ rng.normal(size=13)
    batch = simplex_qp(H, c).w[0]
    cold = simplex_qp_one(H, c)
    warm = simplex_qp_one(H, c, w0=np.full(16, 1 / 16))
    assert np.abs(cold - batch).max() < 1e-9 and np.abs(warm - batch).max() < 1e-9


def test_least_squares_recovers_weights_and_intercept_without_noise():
    rng = np.random.default_rng(11)
    A = rng.normal(size=(25, 6))
    truth = np.array([0.5, 0.0, 0.3, 0.0, 0.2, 0.0])
    w, w0 = simplex_lstsq(A, 3.0 + A @ truth, intercept=True)
    assert np.abs(w - truth).max() < 1e-8 and w0 == pytest.approx(3.0, abs=1e-8)


def test_a_problem_without_allowed_weights_is_refused():
    with pytest.raises(ValueError, match="at least one allowed"):
        simplex_qp(np.eye(3), np.ones((1, 3)), allowed=np.zeros((1, 3), dtype=bool))
    with pytest.raises(ValueError, match="unknown method"):
        simplex_qp(np.eye(3), np.ones(3), method="magic")
