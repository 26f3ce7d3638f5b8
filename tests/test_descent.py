"""Tests for mlbasics.descent: trajectories of gradient descent / ascent, and schedules."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

from mlbasics.descent import (
    constant,
    exponential_decay,
    gradient_ascent,
    gradient_descent,
    inverse_time_decay,
    piecewise,
    step_decay,
)
from mlbasics.gradients import numerical_gradient

RUNS = [gradient_descent, gradient_ascent]
RUN_IDS = ["descent", "ascent"]


def grad_square(x):
    """Gradient of sum(x**2)."""
    return 2 * x


# --- trajectories -----------------------------------------------------------------------------

@pytest.mark.parametrize("run", RUNS, ids=RUN_IDS)
@pytest.mark.parametrize("steps", [0, 1, 7])
@pytest.mark.parametrize("shape", [(), (2,), (2, 3)])
def test_path_shape_and_start(run, steps, shape):
    rng = np.random.default_rng(0)
    x0 = rng.normal(size=shape)
    before = x0.copy()
    path = run(grad_square, x0, lr=0.1, steps=steps)
    assert path.shape == (steps + 1,) + shape
    assert path.dtype == np.float64
    assert_array_equal(path[0], x0)
    assert_array_equal(x0, before)  # the caller's starting point is not moved


@pytest.mark.parametrize(
    "run, grad_f, x0, lr, expected",
    [
        # f = x^2, x <- x - 0.1 * 2x = 0.8 x
        (gradient_descent, grad_square, 1.0, 0.1, [1.0, 0.8, 0.64, 0.512]),
        # f = x^2 + 10 y^2, gradient (2x, 20y), lr 0.01: (1, 1) -> (0.98, 0.8) -> (0.9604, 0.64)
        (gradient_descent, lambda v: np.array([2 * v[0], 20 * v[1]]), [1.0, 1.0], 0.01,
         [[1.0, 1.0], [0.98, 0.8], [0.9604, 0.64]]),
        # f = -(x - 3)^2, gradient -2(x - 3), lr 0.25: 0 -> 1.5 -> 2.25 -> 2.625
        (gradient_ascent, lambda v: -2 * (v - 3), 0.0, 0.25, [0.0, 1.5, 2.25, 2.625]),
        # ascent on x^2 moves away from 0: x <- 1.1 x
        (gradient_ascent, grad_square, -1.0, 0.05, [-1.0, -1.1, -1.21]),
    ],
    ids=["descent 1-d", "descent 2-d", "ascent to a max", "ascent away from a min"],
)
def test_hand_computed_steps(run, grad_f, x0, lr, expected):
    expected = np.array(expected)
    path = run(grad_f, x0, lr=lr, steps=len(expected) - 1)
    assert_allclose(path, expected, rtol=1e-14, atol=1e-15)


def test_integer_start_is_float():
    path = gradient_descent(grad_square, [3, -1], lr=0.25, steps=1)
    assert path.dtype == np.float64
    assert_allclose(path, [[3.0, -1.0], [1.5, -0.5]], rtol=1e-15)


def _quadratic(seed, n=4):
    """f(x) = 0.5 x^T A x - b^T x with A symmetric positive definite; returns A, b, minimiser."""
    rng = np.random.default_rng(seed)
    M = rng.normal(size=(n, n))
    A = M @ M.T + n * np.eye(n)
    b = rng.normal(size=n)
    return A, b, np.linalg.solve(A, b)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_descent_converges_on_a_bowl(seed):
    A, b, x_star = _quadratic(seed)
    L = np.linalg.eigvalsh(A).max()
    path = gradient_descent(lambda x: A @ x - b, np.zeros(4), lr=1 / L, steps=400)
    assert_allclose(path[-1], x_star, rtol=0, atol=1e-8)
    f = np.array([0.5 * x @ A @ x - b @ x for x in path])
    assert np.all(np.diff(f) <= 1e-12)  # with lr <= 1/L every step goes downhill


@pytest.mark.parametrize("seed", [0, 1])
def test_ascent_finds_a_max(seed):
    A, b, x_star = _quadratic(seed)
    L = np.linalg.eigvalsh(A).max()
    # maximise -f: its gradient is -(A x - b)
    path = gradient_ascent(lambda x: b - A @ x, np.ones(4), lr=1 / L, steps=400)
    assert_allclose(path[-1], x_star, rtol=0, atol=1e-8)
    # the same trajectory as descent on f
    assert_allclose(path, gradient_descent(lambda x: A @ x - b, np.ones(4), lr=1 / L, steps=400),
                    rtol=1e-12, atol=1e-14)


def test_descent_with_numerical_gradient_matches_analytic():
    A, b, _ = _quadratic(3)

    def f(x):
        return 0.5 * x @ A @ x - b @ x

    num = gradient_descent(lambda x: numerical_gradient(f, x), np.ones(4), lr=0.02, steps=20)
    exact = gradient_descent(lambda x: A @ x - b, np.ones(4), lr=0.02, steps=20)
    assert_allclose(num, exact, rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("run", RUNS, ids=RUN_IDS)
def test_too_large_a_learning_rate_diverges(run):
    # on x^2, lr > 1 makes |1 - 2 lr| > 1: the iterates oscillate and grow
    sign = 1 if run is gradient_descent else -1
    path = run(lambda x: sign * 2 * x, 1.0, lr=1.5, steps=5)
    assert_allclose(path, (-2.0) ** np.arange(6), rtol=1e-15)


@settings(max_examples=60, deadline=None)
@given(
    a=st.floats(0.1, 10),
    c=st.floats(-5, 5),
    x0=st.floats(-5, 5),
    frac=st.floats(0.01, 1.99),
    steps=st.integers(0, 30),
)
def test_property_closed_form_on_a_1d_quadratic(a, c, x0, frac, steps):
    # f = a/2 (x - c)^2: x_t - c = (1 - lr a)^t (x0 - c); converges for 0 < lr < 2/a
    lr = frac / a
    path = gradient_descent(lambda x: a * (x - c), x0, lr=lr, steps=steps)
    expected = c + (1 - lr * a) ** np.arange(steps + 1) * (x0 - c)
    assert_allclose(path, expected, rtol=1e-9, atol=1e-9)


# --- learning rate as a schedule --------------------------------------------------------------

def test_schedule_is_called_with_step_counts_from_zero():
    seen = []

    def schedule(step):
        seen.append(step)
        return 0.1

    gradient_descent(grad_square, 1.0, lr=schedule, steps=5)
    assert seen == [0, 1, 2, 3, 4]


def test_hand_computed_steps_with_a_schedule():
    # lr_t = 0.1 / (t + 1) on x^2: 1 -> 1 - 0.2 = 0.8 -> 0.8 - 0.05*1.6 = 0.72 -> 0.72 - 0.1/3*1.44 = 0.672
    path = gradient_descent(grad_square, 1.0, lr=lambda t: 0.1 / (t + 1), steps=3)
    assert_allclose(path, [1.0, 0.8, 0.72, 0.672], rtol=1e-14)


@pytest.mark.parametrize(
    "schedule",
    [constant(0.05), step_decay(0.1, 0.5, 3), piecewise([2, 5], [0.2, 0.1, 0.05]),
     exponential_decay(0.1, 0.8), inverse_time_decay(0.2, 0.5, 2)],
    ids=["constant", "step_decay", "piecewise", "exponential_decay", "inverse_time_decay"],
)
@pytest.mark.parametrize("run", RUNS, ids=RUN_IDS)
def test_schedules_drive_the_update(run, schedule):
    rng = np.random.default_rng(4)
    x0 = rng.normal(size=3)
    sign = -1.0 if run is gradient_descent else 1.0
    path = run(np.sin, x0, lr=schedule, steps=8)
    x = x0.copy()
    for t in range(8):  # the update written out, one step at a time
        x = x + sign * schedule(t) * np.sin(x)
        assert_allclose(path[t + 1], x, rtol=1e-14, atol=1e-15)


def test_number_and_constant_schedule_give_the_same_path():
    x0 = np.array([0.5, -2.0])
    assert_allclose(gradient_descent(np.tanh, x0, lr=0.3, steps=10),
                    gradient_descent(np.tanh, x0, lr=constant(0.3), steps=10), rtol=1e-15)


# --- schedules: hand-computed values ----------------------------------------------------------

@pytest.mark.parametrize(
    "schedule, steps, expected",
    [
        (constant(0.3), [0, 1, 1000], [0.3, 0.3, 0.3]),
        (step_decay(0.1, 0.5, 10), [0, 9, 10, 19, 20, 35], [0.1, 0.1, 0.05, 0.05, 0.025, 0.0125]),
        (step_decay(1.0, 0.1, 1), [0, 1, 2], [1.0, 0.1, 0.01]),
        # step == boundary already takes the next value
        (piecewise([100, 200], [0.1, 0.01, 0.001]), [0, 99, 100, 199, 200, 10**6],
         [0.1, 0.1, 0.01, 0.01, 0.001, 0.001]),
        (piecewise([1], [0.5, 0.25]), [0, 1, 2], [0.5, 0.25, 0.25]),
        (piecewise([], [0.7]), [0, 5], [0.7, 0.7]),
        (exponential_decay(0.1, 0.5), [0, 1, 3], [0.1, 0.05, 0.0125]),
        (exponential_decay(0.1, 0.5, 10), [0, 5, 10, 20], [0.1, 0.1 * 0.5**0.5, 0.05, 0.025]),
        (exponential_decay(0.2, 1.0), [0, 50], [0.2, 0.2]),
        (inverse_time_decay(0.1, 0.5), [0, 1, 2, 4], [0.1, 0.1 / 1.5, 0.05, 0.1 / 3]),
        (inverse_time_decay(0.1, 0.5, 10), [0, 10, 20], [0.1, 0.1 / 1.5, 0.05]),
        (inverse_time_decay(0.4, 0.0), [0, 100], [0.4, 0.4]),
    ],
    ids=["constant", "step_decay every 10", "step_decay every 1", "piecewise two boundaries",
         "piecewise one boundary", "piecewise no boundary", "exponential", "exponential every 10",
         "exponential rate 1", "inverse_time", "inverse_time every 10", "inverse_time rate 0"],
)
def test_schedule_values(schedule, steps, expected):
    assert_allclose([schedule(s) for s in steps], expected, rtol=1e-14)


@pytest.mark.parametrize(
    "schedule",
    [step_decay(0.1, 0.5, 7), piecewise([10, 30, 100], [1.0, 0.5, 0.1, 0.01]),
     exponential_decay(0.1, 0.95, 3), inverse_time_decay(0.1, 0.2, 5)],
    ids=["step_decay", "piecewise", "exponential_decay", "inverse_time_decay"],
)
def test_decaying_schedules_are_positive_and_non_increasing(schedule):
    lrs = np.array([schedule(s) for s in range(500)])
    assert np.all(lrs > 0)
    assert np.all(np.diff(lrs) <= 0)
    assert lrs[-1] < lrs[0]


# --- invalid arguments ------------------------------------------------------------------------

@pytest.mark.parametrize("run", RUNS, ids=RUN_IDS)
@pytest.mark.parametrize(
    "kwargs, name, value",
    [
        (dict(lr=0), "lr", 0),
        (dict(lr=-0.1), "lr", -0.1),
        (dict(lr=np.nan), "lr", np.nan),
        (dict(lr=np.inf), "lr", np.inf),
        (dict(lr="0.1"), "lr", "0.1"),
        (dict(steps=-1), "steps", -1),
        (dict(steps=2.5), "steps", 2.5),
        (dict(x0=[1.0, np.nan]), "x0", "nan"),
        (dict(x0=np.inf), "x0", "inf"),
    ],
)
def test_bad_run_arguments_raise(run, kwargs, name, value):
    args = dict(x0=[1.0, 2.0], lr=0.1, steps=3) | kwargs
    with pytest.raises(ValueError, match=rf"^{name} must") as excinfo:
        run(grad_square, **args)
    assert str(value) in str(excinfo.value)


@pytest.mark.parametrize(
    "make, name, value",
    [
        (lambda: constant(0.0), "lr", 0.0),
        (lambda: constant(-1), "lr", -1),
        (lambda: step_decay(0, 0.5, 10), "lr0", 0),
        (lambda: step_decay(0.1, 0, 10), "drop", 0),
        (lambda: step_decay(0.1, np.inf, 10), "drop", np.inf),
        (lambda: step_decay(0.1, 0.5, 0), "every", 0),
        (lambda: step_decay(0.1, 0.5, 2.5), "every", 2.5),
        (lambda: exponential_decay(-0.1, 0.5), "lr0", -0.1),
        (lambda: exponential_decay(0.1, 0.0), "rate", 0.0),
        (lambda: exponential_decay(0.1, 1.5), "rate", 1.5),
        (lambda: exponential_decay(0.1, -0.5), "rate", -0.5),
        (lambda: exponential_decay(0.1, np.nan), "rate", np.nan),
        (lambda: exponential_decay(0.1, 0.5, 0), "decay_steps", 0),
        (lambda: inverse_time_decay(0.0, 0.5), "lr0", 0.0),
        (lambda: inverse_time_decay(0.1, -0.1), "rate", -0.1),
        (lambda: inverse_time_decay(0.1, np.inf), "rate", np.inf),
        (lambda: inverse_time_decay(0.1, np.nan), "rate", np.nan),
        (lambda: inverse_time_decay(0.1, 0.5, -2), "decay_steps", -2),
    ],
)
def test_bad_schedule_arguments_raise(make, name, value):
    with pytest.raises(ValueError, match=rf"^{name} must") as excinfo:
        make()
    assert str(value) in str(excinfo.value)


@pytest.mark.parametrize(
    "boundaries, values, match",
    [
        ([100], [0.1], "values must have one more entry than boundaries"),
        ([100], [0.1, 0.01, 0.001], "values must have one more entry than boundaries"),
        ([], [], "values must have one more entry than boundaries"),
        ([200, 100], [0.1, 0.01, 0.001], r"boundaries must be strictly increasing, got \[200, 100\]"),
        ([100, 100], [0.1, 0.01, 0.001], r"boundaries must be strictly increasing, got \[100, 100\]"),
        ([100], [0.1, -0.01], "value must be a finite number > 0, got -0.01"),
        ([100], [0.0, 0.01], "value must be a finite number > 0, got 0.0"),
    ],
)
def test_bad_piecewise_arguments_raise(boundaries, values, match):
    with pytest.raises(ValueError, match=match):
        piecewise(boundaries, values)
