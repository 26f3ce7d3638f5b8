"""Numerical gradients by central differences, and gradient checks."""

import numpy as np


def numerical_gradient(f, x, h=1e-5):
    """Gradient of a scalar function by central differences.

    Parameters
    ----------
    f : callable
        ``f(x) -> float`` for an array ``x`` of any shape.
    x : array_like
        Where to evaluate the gradient. Left unmodified.
    h : float, optional
        Step of the central difference (default ``1e-5``).

    Returns
    -------
    grad : ndarray, float64, same shape as ``x``

    Notes
    -----
    Each component is

    .. math:: \\frac{\\partial f}{\\partial x_i} \\approx \\frac{f(x + h e_i) - f(x - h e_i)}{2h},

    whose error is :math:`O(h^2)`, against :math:`O(h)` for the forward difference.
    The evaluation is done in float64 whatever the dtype of ``x``.
    """
    if not (np.isfinite(h) and h > 0):
        raise ValueError(f"h must be a finite number > 0, got {h}")
    x = np.array(x, dtype=np.float64)  # a private float64 copy: the caller's x is never touched
    grad = np.zeros_like(x)
    flat, gflat = x.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        saved = flat[i]
        flat[i] = saved + h
        f_plus = float(f(x))
        flat[i] = saved - h
        f_minus = float(f(x))
        flat[i] = saved
        gflat[i] = (f_plus - f_minus) / (2 * h)
    return grad


def relative_error(a, b, floor=1e-8):
    """Elementwise ``|a - b| / max(|a|, |b|, floor)``, as an array."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    return np.abs(a - b) / np.maximum(np.maximum(np.abs(a), np.abs(b)), floor)


def check_gradient(f, grad_f, x, h=1e-5):
    """Largest relative error between ``grad_f(x)`` and the numerical gradient of ``f`` at ``x``.

    Values below ``1e-6`` mean the analytic gradient is right; above ``1e-3`` it is wrong.

    Returns
    -------
    float
    """
    x = np.array(x, dtype=np.float64)
    analytic = np.asarray(grad_f(x.copy()), dtype=np.float64)
    numeric = numerical_gradient(f, x, h=h)
    if analytic.shape != numeric.shape:
        raise ValueError(f"grad_f returned shape {analytic.shape}, expected {numeric.shape}")
    if analytic.size == 0:
        return 0.0
    return float(np.max(relative_error(analytic, numeric)))
