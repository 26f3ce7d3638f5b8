import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose

from mlbasics import optim, surfaces
from mlbasics.descent import gradient_descent
from mlbasics.gradients import numerical_gradient
from mlbasics.losses import mse

ALL = list(surfaces.SURFACES.values())
IDS = [s.name for s in ALL]


class PlainSGD:
    """Minimal optimizer with the textbook interface, so these tests do not depend on optim."""

    def __init__(self, lr):
        self.lr = lr

    def update(self, params, grads):
        for key in params:
            params[key] -= self.lr * grads[key]


class TextbookMomentum:
    """The textbook's Momentum, written out as in its source."""

    def __init__(self, lr, momentum=0.9):
        self.lr, self.momentum, self.v = lr, momentum, None

    def update(self, params, grads):
        if self.v is None:
            self.v = {key: np.zeros_like(val) for key, val in params.items()}
        for key in params:
            self.v[key] = self.momentum * self.v[key] - self.lr * grads[key]
            params[key] += self.v[key]


# --- values and gradients ---------------------------------------------------------------------

@pytest.mark.parametrize(
    "surface, point, expected",
    [
        (surfaces.bowl, (3.0, -4.0), 25.0),
        (surfaces.elongated_bowl, (-7.0, 2.0), 49 / 20 + 4),
        (surfaces.rosenbrock, (0.0, 0.0), 1.0),
        (surfaces.rosenbrock, (-1.0, 2.0), 4.0 + 100.0),
        (surfaces.beale, (0.0, 0.0), 1.5**2 + 2.25**2 + 2.625**2),
        (surfaces.himmelblau, (0.0, 0.0), 11**2 + 7**2),
        (surfaces.saddle, (1.0, 2.0), -3.0),
    ],
)
def test_hand_computed_values(surface, point, expected):
    assert_allclose(surface.f(*point), expected, rtol=1e-12)
    assert_allclose(surface.f_vec(np.array(point)), expected, rtol=1e-12)


@pytest.mark.parametrize("surface", ALL, ids=IDS)
def test_gradient_matches_central_differences(surface):
    rng = np.random.default_rng(0)
    xmin, xmax, ymin, ymax = surface.extent
    for _ in range(10):
        p = rng.uniform([xmin, ymin], [xmax, ymax])
        assert_allclose(surface.grad_vec(p), numerical_gradient(surface.f_vec, p), rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("surface", ALL, ids=IDS)
def test_vectorised_over_a_grid(surface):
    X, Y = surfaces.grid(surface.extent, (7, 5))
    Z = surface.f(X, Y)
    GX, GY = surface.grad(X, Y)
    assert Z.shape == GX.shape == GY.shape == (5, 7)
    for i, j in [(0, 0), (2, 3), (4, 6)]:
        p = np.array([X[i, j], Y[i, j]])
        assert_allclose(Z[i, j], surface.f_vec(p), rtol=1e-12)
        assert_allclose([GX[i, j], GY[i, j]], surface.grad_vec(p), rtol=1e-12)


@pytest.mark.parametrize("surface", [s for s in ALL if s.minima], ids=[s.name for s in ALL if s.minima])
def test_minima_have_zero_gradient_and_are_lowest_nearby(surface):
    rng = np.random.default_rng(1)
    for m in surface.minima:
        assert_allclose(surface.grad_vec(m), 0.0, atol=1e-9)
        assert_allclose(surface.f_vec(m), 0.0, atol=1e-20)
        nearby = np.asarray(m) + 1e-3 * rng.standard_normal((20, 2))
        assert np.all(surface.f(nearby[:, 0], nearby[:, 1]) > surface.f_vec(m))


def test_saddle_is_stationary_but_no_minimum():
    s = surfaces.saddle
    assert s.minima == ()
    assert_allclose(s.grad_vec([0.0, 0.0]), 0.0)
    assert s.f(0.0, 0.1) < s.f(0.0, 0.0) < s.f(0.1, 0.0)


def test_elongated_bowl_gradient_points_across_the_valley():
    # The gradient at the textbook's start is mostly along y, not towards the minimum.
    gx, gy = surfaces.elongated_bowl.grad(-7.0, 2.0)
    assert_allclose([gx, gy], [-0.7, 4.0])


@pytest.mark.parametrize("bad", [[1.0], [1.0, 2.0, 3.0], [[1.0, 2.0]]])
def test_vec_interface_needs_a_point(bad):
    with pytest.raises(ValueError, match="p must be a point"):
        surfaces.bowl.f_vec(bad)
    with pytest.raises(ValueError, match="p must be a point"):
        surfaces.bowl.grad_vec(bad)


# --- grids and loss surfaces ------------------------------------------------------------------

def test_grid_covers_the_extent():
    X, Y = surfaces.grid((-1, 3, 0, 2), n=(5, 3))
    assert X.shape == Y.shape == (3, 5)
    assert_allclose(X[0], [-1, 0, 1, 2, 3])
    assert_allclose(Y[:, 0], [0, 1, 2])


@pytest.mark.parametrize(
    "extent, n, match",
    [((1, 0, 0, 1), 10, "extent"), ((0, 1, 0), 10, "extent"), ((0, 1, 0, 1), 1, "n"), ((0, 1, 0, 1), 2.5, "n")],
)
def test_grid_rejects_bad_input(extent, n, match):
    with pytest.raises(ValueError, match=match):
        surfaces.grid(extent, n)


def test_loss_surface_evaluates_every_grid_point():
    rng = np.random.default_rng(2)
    x = rng.uniform(-2, 2, 50)
    y = 1.5 * x - 0.5 + 0.1 * rng.standard_normal(50)
    W, B, L = surfaces.loss_surface(lambda w, b: mse(w * x + b, y), np.linspace(0, 3, 61), np.linspace(-2, 1, 41))
    assert W.shape == B.shape == L.shape == (41, 61)
    assert_allclose(L[7, 11], mse(W[7, 11] * x + B[7, 11], y))
    # the lowest grid point is the grid point nearest the least-squares fit
    (w_ls, b_ls), *_ = np.linalg.lstsq(np.column_stack([x, np.ones_like(x)]), y, rcond=None)
    i, j = np.unravel_index(np.argmin(L), L.shape)
    assert abs(W[i, j] - w_ls) <= 0.05 and abs(B[i, j] - b_ls) <= 0.075


@pytest.mark.parametrize("w_values, b_values, match", [([], [0.0], "w_values"), ([0.0], [[0.0]], "b_values")])
def test_loss_surface_rejects_bad_axes(w_values, b_values, match):
    with pytest.raises(ValueError, match=match):
        surfaces.loss_surface(lambda w, b: 0.0, w_values, b_values)


# --- optimizers on a surface ------------------------------------------------------------------

def test_run_optimizer_records_before_each_update():
    path = surfaces.run_optimizer(PlainSGD(lr=0.95), surfaces.elongated_bowl, (-7.0, 2.0), 30)
    assert path.shape == (31, 2)
    assert_allclose(path[0], [-7.0, 2.0])
    # one SGD step by hand: (x, y) - 0.95 * (x/10, 2y)
    assert_allclose(path[1], [-7.0 + 0.95 * 0.7, 2.0 - 0.95 * 4.0])
    # plain gradient descent: same path as mlbasics.descent
    expected = gradient_descent(surfaces.elongated_bowl.grad_vec, [-7.0, 2.0], lr=0.95, steps=30)
    assert_allclose(path, expected, rtol=1e-12)


def test_run_optimizer_replicates_the_textbook_loop():
    # The textbook's loop, written out: record, gradient, update, with params {"x", "y"}.
    params, v, history = {"x": -7.0, "y": 2.0}, {"x": 0.0, "y": 0.0}, []
    for _ in range(30):
        history.append((params["x"], params["y"]))
        grads = {"x": params["x"] / 10.0, "y": 2.0 * params["y"]}
        for key in params:
            v[key] = 0.9 * v[key] - 0.1 * grads[key]
            params[key] += v[key]
    path = surfaces.run_optimizer(TextbookMomentum(lr=0.1), surfaces.elongated_bowl, (-7.0, 2.0), 30)
    assert_allclose(path[:-1], history, rtol=1e-12)
    assert_allclose(path[-1], [params["x"], params["y"]], rtol=1e-12)


def _textbook_race(name, steps=30, adam_eps=lambda t: 1e-7):
    """The textbook's comparison (claim C20), each rule written out as in its source.

    The textbook's Adam folds the bias correction into the rate and adds ``1e-7`` to
    ``sqrt(v)``; ``adam_eps(t)`` replaces that constant.
    """
    p = {"x": -7.0, "y": 2.0}
    v = {"x": 0.0, "y": 0.0}
    h = {"x": 0.0, "y": 0.0}
    m = {"x": 0.0, "y": 0.0}
    history = []
    for t in range(1, steps + 1):
        history.append((p["x"], p["y"]))
        g = {"x": p["x"] / 10.0, "y": 2.0 * p["y"]}
        for k in p:
            if name == "SGD":
                p[k] -= 0.95 * g[k]
            elif name == "Momentum":
                v[k] = 0.9 * v[k] - 0.1 * g[k]
                p[k] += v[k]
            elif name == "AdaGrad":
                h[k] += g[k] * g[k]
                p[k] -= 1.5 * g[k] / (np.sqrt(h[k]) + 1e-7)
            else:  # Adam, with the bias correction folded into the rate
                lr_t = 0.3 * np.sqrt(1.0 - 0.999**t) / (1.0 - 0.9**t)
                m[k] += (1 - 0.9) * (g[k] - m[k])
                v[k] += (1 - 0.999) * (g[k] ** 2 - v[k])
                p[k] -= lr_t * m[k] / (np.sqrt(v[k]) + adam_eps(t))
    return np.array(history)


@pytest.mark.parametrize(
    "name, make",
    [
        ("SGD", lambda: optim.SGD(lr=0.95)),
        ("Momentum", lambda: optim.Momentum(lr=0.1)),
        ("AdaGrad", lambda: optim.AdaGrad(lr=1.5, eps=1e-7)),  # the textbook adds 1e-7
        ("Adam", lambda: optim.Adam(lr=0.3)),
    ],
)
def test_run_optimizer_reproduces_the_textbook_figure(name, make):
    path = surfaces.run_optimizer(make(), surfaces.elongated_bowl, (-7.0, 2.0), 30)
    # the folded Adam equals the graded form when its eps is eps * sqrt(1 - beta2**t)
    expected = _textbook_race(name, adam_eps=lambda t: 1e-8 * np.sqrt(1 - 0.999**t))
    assert_allclose(path[:-1], expected, rtol=0, atol=1e-9)
    # with the textbook's own eps = 1e-7 the paths part by about 1e-5 only
    assert_allclose(path[:-1], _textbook_race(name), rtol=0, atol=5e-5)


def test_run_optimizer_with_the_course_optimizers_reaches_the_minimum():
    for opt in (optim.SGD(lr=0.95), optim.Momentum(lr=0.1), optim.AdaGrad(lr=1.5), optim.Adam(lr=0.3)):
        path = surfaces.run_optimizer(opt, surfaces.elongated_bowl, (-7.0, 2.0), 30)
        f = surfaces.elongated_bowl.f(path[:, 0], path[:, 1])
        assert f[-1] < 0.1 * f[0], type(opt).__name__


@pytest.mark.parametrize("make_optimizer", [PlainSGD, optim.SGD], ids=["plain", "optim.SGD"])
def test_run_optimizer_divergence_is_silent(make_optimizer):
    # lr = 1.5 on x**2 + y**2 multiplies the point by 1 - 2*1.5 = -2 at every step
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        path = surfaces.run_optimizer(make_optimizer(lr=1.5), surfaces.bowl, (1.0, 1.0), 2000)
    assert_allclose(path[:4, 0], [1.0, -2.0, 4.0, -8.0])
    finite = np.all(np.isfinite(path), axis=1)
    assert finite[0] and not finite[-1]
    assert not np.any(finite[np.argmin(finite):])  # nan from the first non-finite row on


def test_run_optimizer_zero_steps_returns_the_start():
    assert_allclose(surfaces.run_optimizer(PlainSGD(0.1), surfaces.bowl, (1.0, 2.0), 0), [[1.0, 2.0]])


@pytest.mark.parametrize(
    "start, steps, match",
    [((1.0, 2.0), -1, "steps"), ((1.0, 2.0), 2.5, "steps"), ((1.0,), 5, "start"), ((np.nan, 0.0), 5, "start")],
)
def test_run_optimizer_rejects_bad_input(start, steps, match):
    with pytest.raises(ValueError, match=match):
        surfaces.run_optimizer(PlainSGD(0.1), surfaces.bowl, start, steps)
