"""The reference answers of the predict-and-derive exercises of notebooks 01-03, checked against what
they predict: gradient descent's step count on a quadratic, the bottom of a line's loss surface, and the
noise of a mini-batch gradient."""

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose

from mlbasics.batching import batch_gradient_std, iterate_minibatches
from mlbasics.descent import gradient_descent, steps_to_shrink
from mlbasics.models import least_squares_line


# --- steps_to_shrink --------------------------------------------------------------------------


def _measured_steps(curvatures, lr, factor, limit=10_000):
    c = np.asarray(curvatures, dtype=float)
    x0 = np.ones_like(c)
    path = gradient_descent(lambda x: c * x, x0, lr=lr, steps=limit)
    done = np.all(np.abs(path) <= 1 / factor, axis=1)
    return int(np.argmax(done)) if done.any() else math.inf


@pytest.mark.parametrize("curvatures, lr, factor", [
    ([2.0], 0.1, 100), ([2.0, 2.0], 0.9, 100), ([0.1, 2.0], 0.5, 1000), ([0.1, 2.0], 0.95, 1000),
    ([0.3, 1.7, 4.0], 0.2, 50), ([5.0], 0.39, 7), ([1.0], 1.0, 1e6), ([0.5, 3.0], 0.6, 1.5),
])
def test_steps_to_shrink_matches_gradient_descent(curvatures, lr, factor):
    assert steps_to_shrink(curvatures, lr, factor) == _measured_steps(curvatures, lr, factor)


def test_steps_to_shrink_is_infinite_from_the_stability_limit_on():
    assert steps_to_shrink([0.1, 2.0], 0.999, 10) < math.inf
    assert steps_to_shrink([0.1, 2.0], 1.0, 10) == math.inf          # 2 / max curvature
    assert steps_to_shrink([0.1, 2.0], 1.05, 10) == math.inf
    assert steps_to_shrink([2.0], 1.0, 10) == math.inf


def test_steps_to_shrink_counts_exactly_at_powers():
    assert steps_to_shrink([2.0], 0.25, 8) == 3                        # 0.5 ** 3 = 1 / 8 exactly
    assert steps_to_shrink([2.0], 0.25, 1) == 0
    assert isinstance(steps_to_shrink([2.0], 0.1, 100), int)


@pytest.mark.parametrize("args", [([], 0.1, 2), ([-1.0], 0.1, 2), ([1.0], 0.0, 2), ([1.0], 0.1, 0.5)])
def test_steps_to_shrink_rejects_bad_arguments(args):
    with pytest.raises(ValueError):
        steps_to_shrink(*args)


# --- least_squares_line -----------------------------------------------------------------------


def test_least_squares_line_is_where_the_gradient_vanishes():
    rng = np.random.default_rng(0)
    x, y = rng.uniform(0, 10, 40), rng.normal(size=40)
    w, b = least_squares_line(x, y)
    r = w * x + b - y
    assert_allclose([np.mean(r * x), np.mean(r)], [0.0, 0.0], atol=1e-12)
    assert_allclose([w, b], np.polyfit(x, y, 1), rtol=1e-10)


def test_least_squares_line_takes_integers_and_refuses_a_constant_x():
    assert_allclose(least_squares_line([1, 2, 3, 4], [3, 5, 4, 8]), (1.4, 1.5))
    with pytest.raises(ValueError):
        least_squares_line([2.0, 2.0, 2.0], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError):
        least_squares_line([1.0], [1.0])


# --- batch_gradient_std -----------------------------------------------------------------------


def test_batch_gradient_std_ends():
    assert batch_gradient_std(3.0, 1, 10) == pytest.approx(3.0)
    assert batch_gradient_std(3.0, 10, 10) == 0.0
    assert_allclose(batch_gradient_std([1.0, 2.0], 3, 5), np.sqrt([1 / 6, 4 / 6]))


@pytest.mark.parametrize("m", [1, 3, 10, 25])
def test_batch_gradient_std_is_the_spread_of_batch_means(m):
    """Every m-subset of 30 values, sampled over many epochs, has the predicted spread."""
    rng = np.random.default_rng(m)
    values = rng.normal(size=30) * 2
    X = np.arange(30)[:, None]
    means = [values[xb[:, 0]].mean() for _ in range(3000 // (30 // m))
             for xb, _ in iterate_minibatches(X, X[:, 0], m, rng=rng, drop_last=True)]
    assert np.std(means) == pytest.approx(batch_gradient_std(values.std(), m, 30), rel=0.06)


@pytest.mark.parametrize("args", [(1.0, 0, 10), (1.0, 11, 10), (1.0, 1, 1), (-1.0, 1, 10)])
def test_batch_gradient_std_rejects_bad_arguments(args):
    with pytest.raises(ValueError):
        batch_gradient_std(*args)
