"""Least squares with weights on the simplex, many problems at once.

Every estimator here needs weights ``w >= 0`` with ``sum(w) = 1`` that minimise a convex
quadratic (synthetic control: Abadie, Diamond & Hainmueller 2010; synthetic
difference-in-differences: Arkhangelsky et al. 2021, eqs. 2.2 and 2.3)::

    minimise  1/2 w' H w - c' w   subject to  w >= 0,  sum(w) = 1,  w_i = 0 where not allowed

The in-space placebos and the placebo variance solve hundreds of such problems that differ
only in ``c`` and in which units are allowed, so the solvers work on a batch: ``H`` is
``(n, n)`` (shared) or ``(B, n, n)``, ``c`` is ``(B, n)``, ``allowed`` is ``(B, n)``.

* :func:`simplex_qp` with ``method="active-set"`` is the primal active-set method of
  Nocedal & Wright (2006, section 16.5), run for the whole batch in lock step: each step
  solves the equality-constrained problem on the current free set with one batched linear
  solve, then either moves to it, or stops at the first blocking bound, or frees the
  variable with the most negative multiplier. It ends at an exact optimum (up to rounding)
  in a finite number of steps, so results can be compared to 1e-9.
* ``method="fista"`` is accelerated projected gradient (Beck & Teboulle 2009) with the
  sort-based projection onto the simplex (Duchi et al. 2008), stopped on the Frank-Wolfe
  duality gap; it needs no linear solves and is the choice for thousands of units.

A tiny ridge (``1e-10`` of the mean diagonal of ``H``) breaks ties when ``H`` is singular
(more donors than fitted periods): the objective changes by a negligible amount and the
solver then returns the solution with the smallest norm among near-optimal ones.

Example
-------
>>> import numpy as np
>>> A = np.array([[1.0, 0.0], [0.0, 1.0]]); b = np.array([0.3, 0.7])
>>> w, w0 = simplex_lstsq(A, b)
>>> np.round(w, 6).tolist()
[0.3, 0.7]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

TIE_BREAK = 1e-10


@dataclass
class SimplexSolution:
    """Weights ``w`` (B, n), the objective value per problem, and how the solver ended."""

    w: np.ndarray
    objective: np.ndarray
    iterations: int
    converged: np.ndarray


def project_simplex(v: np.ndarray, allowed: np.ndarray | None = None) -> np.ndarray:
    """Euclidean projection of each row of ``v`` onto the (allowed part of the) simplex.

    The sort-based rule of Duchi, Shalev-Shwartz, Singer & Chandra (2008): with ``u`` the
    row sorted in descending order, ``theta = (cumsum(u)_k - 1) / k`` at the largest ``k``
    with ``u_k > theta``; then ``w = max(v - theta, 0)``.
    """
    v = np.atleast_2d(np.asarray(v, dtype=float))
    if allowed is not None:
        v = np.where(allowed, v, -np.inf)
    u = -np.sort(-v, axis=1)
    finite = np.isfinite(u)
    csum = np.cumsum(np.where(finite, u, 0.0), axis=1)
    k = np.arange(1, v.shape[1] + 1)
    cond = finite & (u - (csum - 1.0) / k > 0)
    rho = cond.shape[1] - 1 - np.argmax(cond[:, ::-1], axis=1)
    theta = (csum[np.arange(len(v)), rho] - 1.0) / (rho + 1)
    w = np.maximum(v - theta[:, None], 0.0)
    return np.where(np.isfinite(w), w, 0.0)


def _batch(H: np.ndarray, c: np.ndarray, allowed: np.ndarray | None):
    c = np.atleast_2d(np.asarray(c, dtype=float))
    H = np.asarray(H, dtype=float)
    B, n = c.shape
    if allowed is None:
        allowed = np.ones((B, n), dtype=bool)
    allowed = np.broadcast_to(np.asarray(allowed, dtype=bool), (B, n))
    if not allowed.any(axis=1).all():
        raise ValueError("every problem needs at least one allowed weight")
    return H, c, allowed


def _objective(H, c, w):
    Hw = w @ H if H.ndim == 2 else np.einsum("bij,bj->bi", H, w)
    return 0.5 * np.einsum("bi,bi->b", w, Hw) - np.einsum("bi,bi->b", c, w), Hw


def simplex_qp(H, c, *, allowed=None, w0=None, method: str = "auto", tol: float = 1e-10,
               max_iter: int | None = None) -> SimplexSolution:
    """Solve the batch of simplex-constrained quadratic problems (see the module docstring).

    ``w0`` (B, n) is an optional feasible warm start; its support becomes the first free
    set. ``method`` is ``"active-set"``, ``"fista"`` or ``"auto"`` (active set up to 400
    weights).
    """
    H, c, allowed = _batch(H, c, allowed)
    if method == "auto":
        method = "active-set" if c.shape[1] <= 400 else "fista"
    if method == "active-set":
        return _active_set(H, c, allowed, w0, tol, max_iter)
    if method == "fista":
        return _fista(H, c, allowed, w0, tol, max_iter)
    raise ValueError(f"unknown method {method!r}")


def _active_set(H, c, allowed, w0, tol, max_iter) -> SimplexSolution:
    B, n = c.shape
    rows = np.arange(B)
    diag = np.diagonal(H, axis1=-2, axis2=-1)
    diag = np.broadcast_to(diag, (B, n))
    ridge = TIE_BREAK * np.maximum(diag.mean(axis=1), 1e-300)
    scale = np.abs(c).max(axis=1) + np.abs(diag).max(axis=1) + 1e-300
    if w0 is None:
        # Start at the best vertex: f(e_j) = H_jj / 2 - c_j.
        start = np.where(allowed, 0.5 * diag - c, np.inf).argmin(axis=1)
        w = np.zeros((B, n))
        w[rows, start] = 1.0
    else:
        w = np.where(allowed, np.maximum(np.asarray(w0, dtype=float), 0.0), 0.0)
        w = w / w.sum(axis=1, keepdims=True)
    free = w > 0
    running = np.ones(B, dtype=bool)
    diag_idx = np.arange(n)
    max_iter = max_iter or 10 * n + 50
    it = 0
    for it in range(1, max_iter + 1):  # noqa: B007 - the count is reported
        idx = np.flatnonzero(running)
        if idx.size == 0:
            break
        f = free[idx]
        Hb = H if H.ndim == 2 else H[idx]
        ff = f.astype(float)
        K = np.zeros((idx.size, n + 1, n + 1))
        K[:, :n, :n] = Hb * ff[:, :, None] * ff[:, None, :]
        K[:, diag_idx, diag_idx] += np.where(f, ridge[idx, None], 1.0)
        K[:, :n, n] = f
        K[:, n, :n] = f
        rhs = np.zeros((idx.size, n + 1))
        rhs[:, :n] = np.where(f, c[idx], 0.0)
        rhs[:, n] = 1.0
        sol = np.linalg.solve(K, rhs[:, :, None])[:, :, 0]
        wstar = np.where(f, sol[:, :n], 0.0)
        nu = sol[:, n]
        blocked = f & (wstar < -1e-13)
        has_block = blocked.any(axis=1)
        # Problems whose free-set optimum is feasible: move there, then test multipliers.
        ok = idx[~has_block]
        if ok.size:
            w[ok] = np.maximum(wstar[~has_block], 0.0)
            Hw = w[ok] @ H if H.ndim == 2 else np.einsum("bij,bj->bi", H[ok], w[ok])
            lam = Hw - c[ok] + nu[~has_block, None]
            lam = np.where(allowed[ok] & ~free[ok], lam, np.inf)
            j = lam.argmin(axis=1)
            worst = lam[np.arange(ok.size), j]
            done = worst >= -tol * scale[ok]
            running[ok[done]] = False
            grow = ok[~done]
            free[grow, j[~done]] = True
        # Problems with a blocking bound: step to it and fix that weight at zero.
        bl = idx[has_block]
        if bl.size:
            wb, ws, blk = w[bl], wstar[has_block], blocked[has_block]
            ratio = np.where(blk, wb / np.maximum(wb - ws, 1e-300), np.inf)
            k = ratio.argmin(axis=1)
            alpha = np.clip(ratio[np.arange(bl.size), k], 0.0, 1.0)
            wn = wb + alpha[:, None] * (ws - wb)
            wn[np.arange(bl.size), k] = 0.0
            wn = np.maximum(wn, 0.0)
            w[bl] = wn / wn.sum(axis=1, keepdims=True)
            free[bl] = free[bl] & (w[bl] > 0)
            free[bl, k] = False
    obj, _ = _objective(H, c, w)
    return SimplexSolution(w=w, objective=obj, iterations=it, converged=~running)


def simplex_qp_one(H: np.ndarray, c: np.ndarray, *, w0: np.ndarray | None = None,
                   tol: float = 1e-10) -> np.ndarray:
    """One problem with the same active-set rule, written for small ``n`` and warm starts.

    The nested optimisation of synthetic control calls this thousands of times with a
    slightly different ``H`` and the previous optimum as ``w0``; working on the free set
    only keeps each call to a few small solves.
    """
    n = len(c)
    diag = np.diagonal(H)
    ridge = TIE_BREAK * max(float(diag.mean()), 1e-300)
    scale = float(np.abs(c).max() + np.abs(diag).max()) + 1e-300
    if w0 is None:
        w = np.zeros(n)
        w[int(np.argmin(0.5 * diag - c))] = 1.0
    else:
        w = np.maximum(np.asarray(w0, dtype=float), 0.0)
        w /= w.sum()
    free = np.flatnonzero(w > 0)
    for _ in range(10 * n + 50):
        m = len(free)
        K = np.empty((m + 1, m + 1))
        K[:m, :m] = H[free[:, None], free]
        K.flat[: (m + 1) * m : m + 2] += ridge
        K[:m, m] = 1.0
        K[m, :m] = 1.0
        K[m, m] = 0.0
        rhs = np.empty(m + 1)
        rhs[:m] = c[free]
        rhs[m] = 1.0
        sol = np.linalg.solve(K, rhs)
        wf, nu = sol[:m], sol[m]
        neg = wf < -1e-13
        if not neg.any():
            w = np.zeros(n)
            w[free] = np.maximum(wf, 0.0)
            lam = H @ w - c + nu
            lam[free] = np.inf
            j = int(np.argmin(lam))
            if lam[j] >= -tol * scale:
                return w
            free = np.concatenate([free, [j]])
            continue
        cur = w[free]
        ratio = np.where(neg, cur / np.maximum(cur - wf, 1e-300), np.inf)
        k = int(np.argmin(ratio))
        alpha = min(max(ratio[k], 0.0), 1.0)
        new = np.maximum(cur + alpha * (wf - cur), 0.0)
        new[k] = 0.0
        w = np.zeros(n)
        w[free] = new / new.sum()
        free = np.flatnonzero(w > 0)
    return w


def _fista(H, c, allowed, w0, tol, max_iter) -> SimplexSolution:
    B, n = c.shape
    if H.ndim == 2:
        L = np.full(B, np.linalg.eigvalsh(H)[-1])
    else:
        L = np.linalg.eigvalsh(H)[:, -1]
    L = np.maximum(L, 1e-300)
    if w0 is None:
        w = project_simplex(np.zeros((B, n)), allowed)
    else:
        w = project_simplex(np.asarray(w0, dtype=float), allowed)
    y, t = w.copy(), 1.0
    scale = np.abs(c).max(axis=1) + L
    max_iter = max_iter or 20000
    running = np.ones(B, dtype=bool)
    it = 0
    for it in range(1, max_iter + 1):  # noqa: B007 - the count is reported
        grad = (y @ H if H.ndim == 2 else np.einsum("bij,bj->bi", H, y)) - c
        w_new = project_simplex(y - grad / L[:, None], allowed)
        t_new = 0.5 * (1.0 + np.sqrt(1.0 + 4.0 * t * t))
        y = w_new + ((t - 1.0) / t_new) * (w_new - w)
        # Adaptive restart (O'Donoghue & Candes 2015) keeps the descent monotone.
        restart = np.einsum("bi,bi->b", grad, w_new - w) > 0
        y[restart] = w_new[restart]
        w, t = w_new, (1.0 if restart.any() else t_new)
        if it % 25 == 0:
            g = (w @ H if H.ndim == 2 else np.einsum("bij,bj->bi", H, w)) - c
            gap = np.einsum("bi,bi->b", g, w) - np.where(allowed, g, np.inf).min(axis=1)
            running = gap > tol * scale
            if not running.any():
                break
    obj, _ = _objective(H, c, w)
    return SimplexSolution(w=w, objective=obj, iterations=it, converged=~running)


def lstsq_terms(A: np.ndarray, b: np.ndarray, *, intercept: bool = False,
                ridge: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """``H`` and ``c`` of ``min ||w0 + A w - b||^2 + ridge ||w||^2`` (``w0`` only with
    ``intercept``). The intercept is profiled out by centring the columns of ``A`` and
    ``b``: its optimum is ``mean(b - A w)`` for any ``w``. ``b`` may be ``(m,)`` or ``(B, m)``.
    """
    A = np.asarray(A, dtype=float)
    b = np.atleast_2d(np.asarray(b, dtype=float))
    if intercept:
        A = A - A.mean(axis=0)
        b = b - b.mean(axis=1, keepdims=True)
    H = A.T @ A + ridge * np.eye(A.shape[1])
    return H, b @ A


def simplex_lstsq(A, b, *, intercept: bool = False, ridge: float = 0.0, allowed=None,
                  method: str = "auto") -> tuple[np.ndarray, np.ndarray | float]:
    """Weights on the simplex for ``min ||w0 + A w - b||^2 + ridge ||w||^2``.

    ``A`` is ``(m, n)``; ``b`` is ``(m,)`` (returns ``w`` of shape ``(n,)``) or ``(B, m)``
    (returns ``(B, n)``). Returns ``(w, w0)`` with ``w0 = 0`` without an intercept.
    """
    A = np.asarray(A, dtype=float)
    b_arr = np.asarray(b, dtype=float)
    H, c = lstsq_terms(A, b_arr, intercept=intercept, ridge=ridge)
    w = simplex_qp(H, c, allowed=allowed, method=method).w
    b2 = np.atleast_2d(b_arr)
    w0 = (b2 - w @ A.T).mean(axis=1) if intercept else np.zeros(len(b2))
    if b_arr.ndim == 1:
        return w[0], float(w0[0])
    return w, w0
