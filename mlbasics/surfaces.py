"""Two-variable test functions with analytic gradients, and loss surfaces on a grid.

Each test function is a :class:`Surface` with

- ``f(x, y)`` and ``grad(x, y) -> (gx, gy)``, vectorised over arrays of any broadcastable shapes
  (a grid from :func:`grid` gives a whole surface in one call);
- ``f_vec(p)`` and ``grad_vec(p)`` for a point ``p = [x, y]``, the form that
  :func:`mlbasics.descent.gradient_descent` and :func:`mlbasics.gradients.numerical_gradient` expect;
- ``minima``, the known minimisers, and ``extent``, a default plotting window.

:func:`run_optimizer` drives any optimizer with ``update(params, grads)`` over a surface, the way
the textbook draws its optimizer comparison (claim C20).
"""

from dataclasses import dataclass
from typing import Callable

import numpy as np


@dataclass(frozen=True)
class Surface:
    """A function of two variables with its gradient.

    Attributes
    ----------
    name : str
        Short name, used as a plot title.
    formula : str
        The formula in LaTeX, for titles and legends.
    f : callable
        ``f(x, y) -> ndarray``, elementwise over broadcastable arrays.
    grad : callable
        ``grad(x, y) -> (df/dx, df/dy)``, each of the broadcast shape.
    minima : tuple of (float, float)
        Known minimisers (empty when the function has no minimum).
    extent : tuple of float
        Default plotting window ``(xmin, xmax, ymin, ymax)``.
    """

    name: str
    formula: str
    f: Callable
    grad: Callable
    minima: tuple
    extent: tuple

    def f_vec(self, p):
        """``f`` at the point ``p = [x, y]``, as a float."""
        x, y = _point(p)
        return float(self.f(x, y))

    def grad_vec(self, p):
        """Gradient at ``p = [x, y]``, as an array of shape ``(2,)``."""
        x, y = _point(p)
        gx, gy = self.grad(x, y)
        return np.array([gx, gy], dtype=np.float64)


def _point(p):
    p = np.asarray(p, dtype=np.float64)
    if p.shape != (2,):
        raise ValueError(f"p must be a point [x, y] of shape (2,), got shape {p.shape}")
    return p[0], p[1]


def _xy(x, y):
    return np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)


# --- the functions ---------------------------------------------------------------------------

def _bowl(x, y):
    x, y = _xy(x, y)
    return x**2 + y**2


def _bowl_grad(x, y):
    x, y = _xy(x, y)
    return 2 * x, 2 * y


def _elongated_bowl(x, y):
    x, y = _xy(x, y)
    return x**2 / 20 + y**2


def _elongated_bowl_grad(x, y):
    x, y = _xy(x, y)
    return x / 10, 2 * y


def _rosenbrock(x, y, a=1.0, b=100.0):
    x, y = _xy(x, y)
    return (a - x) ** 2 + b * (y - x**2) ** 2


def _rosenbrock_grad(x, y, a=1.0, b=100.0):
    x, y = _xy(x, y)
    r = y - x**2
    return -2 * (a - x) - 4 * b * x * r, 2 * b * r


def _beale(x, y):
    x, y = _xy(x, y)
    t1 = 1.5 - x + x * y
    t2 = 2.25 - x + x * y**2
    t3 = 2.625 - x + x * y**3
    return t1**2 + t2**2 + t3**2


def _beale_grad(x, y):
    x, y = _xy(x, y)
    t1 = 1.5 - x + x * y
    t2 = 2.25 - x + x * y**2
    t3 = 2.625 - x + x * y**3
    gx = 2 * t1 * (y - 1) + 2 * t2 * (y**2 - 1) + 2 * t3 * (y**3 - 1)
    gy = 2 * t1 * x + 2 * t2 * (2 * x * y) + 2 * t3 * (3 * x * y**2)
    return gx, gy


def _himmelblau(x, y):
    x, y = _xy(x, y)
    return (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2


def _himmelblau_grad(x, y):
    x, y = _xy(x, y)
    u = x**2 + y - 11
    v = x + y**2 - 7
    return 4 * x * u + 2 * v, 2 * u + 4 * y * v


def _saddle(x, y):
    x, y = _xy(x, y)
    return x**2 - y**2


def _saddle_grad(x, y):
    x, y = _xy(x, y)
    return 2 * x, -2 * y


bowl = Surface(
    name="bowl",
    formula=r"$f(x, y) = x^2 + y^2$",
    f=_bowl,
    grad=_bowl_grad,
    minima=((0.0, 0.0),),
    extent=(-3.0, 3.0, -3.0, 3.0),
)
"""Round bowl :math:`x^2 + y^2`; the gradient points straight at the minimum (0, 0)."""

elongated_bowl = Surface(
    name="elongated bowl",
    formula=r"$f(x, y) = \frac{x^2}{20} + y^2$",
    f=_elongated_bowl,
    grad=_elongated_bowl_grad,
    minima=((0.0, 0.0),),
    extent=(-10.0, 10.0, -5.0, 5.0),
)
"""The textbook's :math:`x^2/20 + y^2` (claim C20): 20 times steeper in y than in x, so the
gradient mostly points across the valley rather than towards the minimum (0, 0)."""

rosenbrock = Surface(
    name="Rosenbrock",
    formula=r"$f(x, y) = (1 - x)^2 + 100\,(y - x^2)^2$",
    f=_rosenbrock,
    grad=_rosenbrock_grad,
    minima=((1.0, 1.0),),
    extent=(-2.0, 2.0, -1.0, 3.0),
)
"""Rosenbrock's banana valley with ``a=1, b=100``: easy to reach the valley, slow to follow it
to the minimum (1, 1)."""

beale = Surface(
    name="Beale",
    formula=r"$f(x, y) = (1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2$",
    f=_beale,
    grad=_beale_grad,
    minima=((3.0, 0.5),),
    extent=(-4.5, 4.5, -4.5, 4.5),
)
"""Beale's function: flat plateaus and steep ridges, minimum 0 at (3, 0.5)."""

himmelblau = Surface(
    name="Himmelblau",
    formula=r"$f(x, y) = (x^2 + y - 11)^2 + (x + y^2 - 7)^2$",
    f=_himmelblau,
    grad=_himmelblau_grad,
    minima=(
        (3.0, 2.0),
        (-2.805118086952745, 3.131312518250573),
        (-3.779310253377747, -3.283185991286170),
        (3.584428340330492, -1.848126526964404),
    ),
    extent=(-5.0, 5.0, -5.0, 5.0),
)
"""Himmelblau's function: four minima, all with value 0; which one descent finds depends on the
start."""

saddle = Surface(
    name="saddle",
    formula=r"$f(x, y) = x^2 - y^2$",
    f=_saddle,
    grad=_saddle_grad,
    minima=(),
    extent=(-2.0, 2.0, -2.0, 2.0),
)
"""Saddle :math:`x^2 - y^2`: the gradient vanishes at (0, 0), which is no minimum; the function
is unbounded below along y, so ``minima`` is empty."""

SURFACES = {s.name: s for s in (bowl, elongated_bowl, rosenbrock, beale, himmelblau, saddle)}
"""Every test function, by name."""


# --- grids and loss surfaces -----------------------------------------------------------------

def grid(extent, n=200):
    """A regular grid over a rectangle, for contour and surface plots.

    Parameters
    ----------
    extent : (xmin, xmax, ymin, ymax)
        The rectangle.
    n : int or (int, int), optional
        Points per axis (default 200), or ``(nx, ny)``.

    Returns
    -------
    X, Y : ndarray, shape ``(ny, nx)``
        As from ``numpy.meshgrid(xs, ys)``: ``X`` varies along columns, ``Y`` along rows, which
        is what ``matplotlib``'s ``contour(X, Y, Z)`` expects.
    """
    xmin, xmax, ymin, ymax = _extent(extent)
    nx, ny = (n, n) if np.ndim(n) == 0 else tuple(n)
    for name, value in (("n", nx), ("n", ny)):
        if not isinstance(value, (int, np.integer)) or value < 2:
            raise ValueError(f"{name} must be an integer >= 2 (or a pair of them), got {n!r}")
    return np.meshgrid(np.linspace(xmin, xmax, nx), np.linspace(ymin, ymax, ny))


def _extent(extent):
    try:
        xmin, xmax, ymin, ymax = (float(v) for v in extent)
    except (TypeError, ValueError):
        raise ValueError(f"extent must be four numbers (xmin, xmax, ymin, ymax), got {extent!r}") from None
    if not (xmin < xmax and ymin < ymax):
        raise ValueError(f"extent must have xmin < xmax and ymin < ymax, got {extent!r}")
    return xmin, xmax, ymin, ymax


def loss_surface(loss_fn, w_values, b_values):
    """The loss of a two-parameter model at every point of a ``(w, b)`` grid.

    Parameters
    ----------
    loss_fn : callable
        ``loss_fn(w, b) -> float``: the loss on the data of the model with parameters ``w`` and
        ``b`` (a closure over the data, e.g.
        ``lambda w, b: mse(w * x + b, y)``).
    w_values : array_like, shape ``(nw,)``
        Values of the first parameter (horizontal axis).
    b_values : array_like, shape ``(nb,)``
        Values of the second parameter (vertical axis).

    Returns
    -------
    W, B, L : ndarray, shape ``(nb, nw)``
        ``W, B = numpy.meshgrid(w_values, b_values)`` and ``L[i, j] = loss_fn(W[i, j], B[i, j])``,
        ready for ``contour(W, B, L)`` or :func:`mlbasics.plotting.plot_surface_3d`.

    Notes
    -----
    For a linear model and MSE the surface is a quadratic bowl,

    .. math:: L(w, b) = \\frac{1}{n} \\sum_i (w x_i + b - y_i)^2,

    whose minimum is the least-squares fit (claim C22).
    """
    w_values = np.asarray(w_values, dtype=np.float64)
    b_values = np.asarray(b_values, dtype=np.float64)
    for name, values in (("w_values", w_values), ("b_values", b_values)):
        if values.ndim != 1 or values.size == 0:
            raise ValueError(f"{name} must be a non-empty 1-D array, got shape {values.shape}")
    W, B = np.meshgrid(w_values, b_values)
    L = np.empty_like(W)
    for idx in np.ndindex(W.shape):
        L[idx] = float(loss_fn(W[idx], B[idx]))
    return W, B, L


# --- optimizers on a surface -----------------------------------------------------------------

def run_optimizer(optimizer, surface, start, steps):
    """Run an optimizer on a surface and return its trajectory.

    Parameters
    ----------
    optimizer : object
        Anything with ``update(params, grads)`` that changes ``params`` in place, e.g. an
        instance from :mod:`mlbasics.optim`. It is used as is, so pass a fresh one per run.
    surface : Surface
        The function to minimise (anything with ``grad(x, y) -> (gx, gy)``).
    start : (float, float)
        Starting point ``(x0, y0)``.
    steps : int
        Number of updates.

    Returns
    -------
    path : ndarray, shape ``(steps + 1, 2)``
        ``path[t]`` is the point before update ``t``; ``path[steps]`` is the final point.
        The textbook's figure (claim C20) records the point before each update only, i.e.
        ``path[:-1]``.

    Notes
    -----
    As in the textbook, the parameters are ``params = {"x": ..., "y": ...}`` and
    ``grads = {"x": df/dx, "y": df/dy}``, each a float64 array of shape ``(1,)``. Every
    optimizer in :mod:`mlbasics.optim` works per element, so ``x`` and ``y`` each get their own
    state (velocity, squared-gradient sums, ...). One step is

    .. math:: \\text{record } (x_t, y_t); \\quad g_t = \\nabla f(x_t, y_t); \\quad
              (x_{t+1}, y_{t+1}) = \\text{update}((x_t, y_t), g_t).

    A diverging run (learning rate too large) is not an error and shows no overflow warning:
    once the point or its gradient is no longer finite, the run stops and the remaining rows of
    ``path`` are ``nan`` (the optimizers of :mod:`mlbasics.optim` refuse non-finite gradients).
    """
    if not isinstance(steps, (int, np.integer)) or isinstance(steps, bool) or steps < 0:
        raise ValueError(f"steps must be an integer >= 0, got {steps!r}")
    start = np.asarray(start, dtype=np.float64)
    if start.shape != (2,) or not np.all(np.isfinite(start)):
        raise ValueError(f"start must be a finite point (x0, y0), got {start.tolist()!r}")
    params = {"x": start[:1].copy(), "y": start[1:].copy()}
    path = np.full((steps + 1, 2), np.nan)
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(steps):
            path[t] = params["x"][0], params["y"][0]
            gx, gy = surface.grad(params["x"], params["y"])
            grads = {"x": np.asarray(gx, dtype=np.float64), "y": np.asarray(gy, dtype=np.float64)}
            if not all(np.isfinite(a).all() for a in (path[t], grads["x"], grads["y"])):
                return path  # diverged: the rest stays nan
            optimizer.update(params, grads)
        path[steps] = params["x"][0], params["y"][0]
    return path
