"""Gradient descent and ascent, and learning-rate schedules.

A *schedule* is a callable ``schedule(step) -> lr`` where ``step`` counts updates from 0. Every
function here that takes a learning rate accepts either a number or a schedule, and so does
:class:`mlbasics.optim.LRScheduler`. :func:`steps_to_shrink` predicts how fast gradient descent
converges on a quadratic, and for which rates it does not.
"""

import math

import numpy as np

from mlbasics._checks import count, positive


def _as_schedule(lr):
    if callable(lr):
        return lr
    positive("lr", lr)
    return constant(lr)


def _run(grad_f, x0, lr, steps, sign):
    count("steps", steps, minimum=0)
    schedule = _as_schedule(lr)
    x = np.array(x0, dtype=np.float64)
    if not np.all(np.isfinite(x)):
        raise ValueError(f"x0 must be finite, got {x0!r}")
    path = np.empty((steps + 1,) + x.shape)
    path[0] = x
    for t in range(steps):
        x = x + sign * schedule(t) * np.asarray(grad_f(x), dtype=np.float64)
        path[t + 1] = x
    return path


def gradient_descent(grad_f, x0, lr=0.1, steps=100):
    """Minimise by stepping against the gradient; return the whole trajectory.

    Parameters
    ----------
    grad_f : callable
        ``grad_f(x) -> ndarray`` of the same shape as ``x``.
    x0 : array_like
        Starting point.
    lr : float or callable
        Learning rate, or a schedule ``lr(step)`` with ``step`` = 0, 1, ...
    steps : int
        Number of updates.

    Returns
    -------
    path : ndarray, shape ``(steps + 1,) + x0.shape``
        ``path[0]`` is ``x0``; ``path[t + 1]`` is the point after update ``t``.

    Notes
    -----
    .. math:: x_{t+1} = x_t - \\eta_t \\nabla f(x_t)
    """
    return _run(grad_f, x0, lr, steps, sign=-1.0)


def gradient_ascent(grad_f, x0, lr=0.1, steps=100):
    """Maximise by stepping along the gradient: :math:`x_{t+1} = x_t + \\eta_t \\nabla f(x_t)`.

    Same arguments and return value as :func:`gradient_descent`.
    """
    return _run(grad_f, x0, lr, steps, sign=+1.0)


def constant(lr):
    """The schedule ``lr(step) = lr``."""
    positive("lr", lr)
    return lambda step: lr


def step_decay(lr0, drop, every):
    """Multiply the rate by ``drop`` every ``every`` steps: ``lr0 * drop ** (step // every)``."""
    positive("lr0", lr0)
    positive("drop", drop)
    count("every", every)
    return lambda step: lr0 * drop ** (step // every)


def piecewise(boundaries, values):
    """A different rate per interval of steps.

    ``values[0]`` for ``step < boundaries[0]``, ``values[i]`` for
    ``boundaries[i-1] <= step < boundaries[i]``, and ``values[-1]`` after the last boundary.

    Example: ``piecewise([100, 200], [0.1, 0.01, 0.001])``.
    """
    boundaries = list(boundaries)
    values = list(values)
    if len(values) != len(boundaries) + 1:
        raise ValueError(
            f"values must have one more entry than boundaries, got {len(values)} values "
            f"for {len(boundaries)} boundaries"
        )
    if any(b2 <= b1 for b1, b2 in zip(boundaries, boundaries[1:])):
        raise ValueError(f"boundaries must be strictly increasing, got {boundaries}")
    for v in values:
        positive("every value", v)
    edges = np.asarray(boundaries)
    return lambda step: values[int(np.searchsorted(edges, step, side="right"))]


def exponential_decay(lr0, rate, decay_steps=1):
    """``lr0 * rate ** (step / decay_steps)`` with ``0 < rate <= 1``."""
    positive("lr0", lr0)
    if not (0 < rate <= 1):
        raise ValueError(f"rate must be in (0, 1], got {rate!r}")
    positive("decay_steps", decay_steps)
    return lambda step: lr0 * rate ** (step / decay_steps)


def inverse_time_decay(lr0, rate, decay_steps=1):
    """``lr0 / (1 + rate * step / decay_steps)`` with ``rate >= 0``."""
    positive("lr0", lr0)
    if not (np.isfinite(rate) and rate >= 0):
        raise ValueError(f"rate must be a finite number >= 0, got {rate!r}")
    positive("decay_steps", decay_steps)
    return lambda step: lr0 / (1 + rate * step / decay_steps)


def steps_to_shrink(curvatures, lr, factor):
    """Gradient-descent steps after which every coordinate has shrunk by ``factor``, on a quadratic.

    The quadratic is :math:`f(x) = \\tfrac12 \\sum_i c_i x_i^2` with curvatures :math:`c_i > 0`
    (the bowl ``x0**2 + x1**2`` has ``c = [2, 2]``; ``x0**2 / 20 + x1**2`` has ``c = [0.1, 2]``).

    Parameters
    ----------
    curvatures : array_like of float > 0
        The second derivatives :math:`c_i`, one per coordinate.
    lr : float > 0
        The constant learning rate.
    factor : float >= 1
        How much every coordinate must shrink: :math:`|x_i(T)| \\le |x_i(0)| / \\text{factor}`.

    Returns
    -------
    int or math.inf
        The smallest such ``T`` (from any start), or ``math.inf`` when some coordinate never shrinks.

    Notes
    -----
    One step multiplies coordinate :math:`i` by :math:`1 - \\eta c_i`, so after :math:`T` steps it is
    :math:`|1 - \\eta c_i|^T` times its start. It shrinks only when :math:`|1 - \\eta c_i| < 1`, that
    is :math:`0 < \\eta < 2 / c_i`: the largest stable rate is :math:`2 / \\max_i c_i`. The slowest
    coordinate sets the count,

    .. math:: T = \\max_i \\left\\lceil \\frac{\\log(\\text{factor})}{-\\log |1 - \\eta c_i|} \\right\\rceil ,

    with one step for a coordinate where :math:`\\eta c_i = 1` (it lands on 0).
    """
    c = np.asarray(curvatures, dtype=np.float64).reshape(-1)
    if c.size == 0 or not np.all(np.isfinite(c)) or np.any(c <= 0):
        raise ValueError(f"curvatures must be finite numbers > 0, got {curvatures!r}")
    lr = positive("lr", lr)
    if not (np.isfinite(factor) and factor >= 1):
        raise ValueError(f"factor must be a finite number >= 1, got {factor!r}")
    shrink = np.abs(1.0 - lr * c)  # per-step factor of each coordinate's size
    if np.any(shrink >= 1):
        return math.inf
    target = 1.0 / factor
    steps = 0
    for q in shrink:
        if factor == 1:
            t = 0
        elif q == 0:
            t = 1
        else:
            t = max(math.ceil(math.log(factor) / -math.log(q)), 0)
            while t > 0 and q ** (t - 1) <= target:  # guard the rounding of the logarithms
                t -= 1
            while q ** t > target:
                t += 1
        steps = max(steps, t)
    return int(steps)
