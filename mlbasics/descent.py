"""Gradient descent and ascent, and learning-rate schedules.

A *schedule* is a callable ``schedule(step) -> lr`` where ``step`` counts updates from 0. Every
function here that takes a learning rate accepts either a number or a schedule, and so does
:class:`mlbasics.optim.LRScheduler`.
"""

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
