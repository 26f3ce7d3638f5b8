"""Tests for mlbasics.losses: values, gradients, stability and input checks."""

import re
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.testing import assert_allclose
from scipy.special import logsumexp

from mlbasics.activations import sigmoid, softmax
from mlbasics.gradients import numerical_gradient
from mlbasics.losses import (
    EPS,
    binary_cross_entropy,
    binary_cross_entropy_grad,
    binary_cross_entropy_with_logits,
    binary_cross_entropy_with_logits_grad,
    cross_entropy,
    cross_entropy_grad,
    cross_entropy_with_logits,
    cross_entropy_with_logits_grad,
    mse,
    mse_grad,
)

CATEGORICAL = [cross_entropy, cross_entropy_grad, cross_entropy_with_logits, cross_entropy_with_logits_grad]
CAT_IDS = [f.__name__ for f in CATEGORICAL]
BINARY = [mse, mse_grad, binary_cross_entropy, binary_cross_entropy_grad,
          binary_cross_entropy_with_logits, binary_cross_entropy_with_logits_grad]
BIN_IDS = [f.__name__ for f in BINARY]


# --- hand-computed values ---------------------------------------------------------------------

P2 = [[0.2, 0.7, 0.1], [0.5, 0.25, 0.25]]


@pytest.mark.parametrize(
    "loss, args, expected",
    [
        (mse, ([1.0, 2.0], [0.0, 0.0]), 2.5),
        (mse, ([[1, 2], [3, 4]], [[1, 1], [1, 1]]), (0 + 1 + 4 + 9) / 4),
        (mse, (3.0, 1.0), 4.0),
        (binary_cross_entropy, ([0.5], [1]), np.log(2)),
        (binary_cross_entropy, ([0.9, 0.2], [1, 0]), -(np.log(0.9) + np.log(0.8)) / 2),
        (binary_cross_entropy, ([[0.9, 0.2], [0.3, 0.6]], [[1, 0], [0, 1]]),
         -(np.log(0.9) + np.log(0.8) + np.log(0.7) + np.log(0.6)) / 4),
        (binary_cross_entropy_with_logits, ([0.0], [1]), np.log(2)),
        (binary_cross_entropy_with_logits, ([2.0, -1.0], [1, 1]),
         (np.log(1 + np.exp(-2)) + np.log(1 + np.e)) / 2),
        (binary_cross_entropy_with_logits, ([2.0, -1.0], [0, 0]),
         (np.log(1 + np.exp(2)) + np.log(1 + np.exp(-1))) / 2),
        (cross_entropy, (P2, [1, 0]), -(np.log(0.7) + np.log(0.5)) / 2),
        (cross_entropy, (P2, [[0, 1, 0], [1, 0, 0]]), -(np.log(0.7) + np.log(0.5)) / 2),
        (cross_entropy, ([0.25, 0.75], 1), -np.log(0.75)),
        (cross_entropy_with_logits, ([[0.0, 0.0, 0.0]], [2]), np.log(3)),
        (cross_entropy_with_logits, ([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]], [0, 1]),
         (np.log(np.e + np.e**2 + np.e**3) - 1 + np.log(3)) / 2),
        (cross_entropy_with_logits, ([0.0, np.log(3)], 1), np.log(4 / 3)),
    ],
)
def test_hand_computed_loss(loss, args, expected):
    value = loss(*args)
    assert isinstance(value, float)
    assert_allclose(value, expected, rtol=1e-12)


@pytest.mark.parametrize(
    "grad, args, expected",
    [
        (mse_grad, ([1.0, 2.0], [0.0, 0.0]), [1.0, 2.0]),
        (mse_grad, ([[1, 2], [3, 4]], [[1, 1], [1, 1]]), [[0, 0.5], [1, 1.5]]),
        # (p - y) / (p (1 - p) n): (-0.5 / 0.25) / 2 = -1, (0.8 / 0.16) / 2 = 2.5
        (binary_cross_entropy_grad, ([0.5, 0.8], [1, 0]), [-1.0, 2.5]),
        # (sigmoid(z) - y) / n
        (binary_cross_entropy_with_logits_grad, ([0.0, np.log(3)], [1, 0]), [-0.25, 0.375]),
        # -y / (p n)
        (cross_entropy_grad, (P2, [1, 0]), [[0, -1 / 1.4, 0], [-1.0, 0, 0]]),
        (cross_entropy_grad, ([0.25, 0.75], 1), [0, -4 / 3]),
        # (softmax(z) - y) / n
        (cross_entropy_with_logits_grad, ([[0.0, 0.0, 0.0]], [2]), [[1 / 3, 1 / 3, -2 / 3]]),
        (cross_entropy_with_logits_grad, ([[0.0, 0.0], [0.0, np.log(3)]], [0, 0]),
         [[-0.25, 0.25], [-0.375, 0.375]]),
    ],
)
def test_hand_computed_gradient(grad, args, expected):
    g = grad(*args)
    assert g.shape == np.shape(args[0])
    assert_allclose(g, expected, rtol=1e-12, atol=1e-15)


# --- finite-difference gradient checks --------------------------------------------------------

def _data(seed, shape):
    rng = np.random.default_rng(seed)
    return rng, rng.normal(size=shape)


@pytest.mark.parametrize("shape", [(5,), (3, 4)])
def test_mse_grad_matches_numerical(shape):
    rng, y_pred = _data(0, shape)
    y = rng.normal(size=shape)
    assert_allclose(mse_grad(y_pred, y), numerical_gradient(lambda v: mse(v, y), y_pred),
                    rtol=1e-6, atol=1e-10)


@pytest.mark.parametrize("shape", [(5,), (3, 4)])
@pytest.mark.parametrize("soft", [False, True], ids=["0/1 targets", "soft targets"])
def test_binary_cross_entropy_grad_matches_numerical(shape, soft):
    rng = np.random.default_rng(1)
    p = rng.uniform(0.05, 0.95, size=shape)
    y = rng.uniform(size=shape) if soft else rng.integers(0, 2, size=shape)
    assert_allclose(binary_cross_entropy_grad(p, y),
                    numerical_gradient(lambda v: binary_cross_entropy(v, y), p), rtol=1e-6, atol=1e-10)


@pytest.mark.parametrize("shape", [(5,), (3, 4)])
def test_binary_cross_entropy_with_logits_grad_matches_numerical(shape):
    rng, z = _data(2, shape)
    z *= 3
    y = rng.integers(0, 2, size=shape)
    assert_allclose(binary_cross_entropy_with_logits_grad(z, y),
                    numerical_gradient(lambda v: binary_cross_entropy_with_logits(v, y), z),
                    rtol=1e-6, atol=1e-10)


@pytest.mark.parametrize("shape", [(4,), (5, 3), (2, 3, 4)])
@pytest.mark.parametrize("one_hot", [False, True], ids=["labels", "one-hot"])
def test_cross_entropy_grads_match_numerical(shape, one_hot):
    rng, z = _data(3, shape)
    z *= 2
    labels = rng.integers(0, shape[-1], size=shape[:-1])
    y = np.eye(shape[-1])[labels] if one_hot else labels
    p = softmax(z / 4)  # no tiny probabilities: the error of the difference grows like (h / p)^2
    assert_allclose(cross_entropy_grad(p, y), numerical_gradient(lambda v: cross_entropy(v, y), p),
                    rtol=1e-6, atol=1e-9)
    assert_allclose(cross_entropy_with_logits_grad(z, y),
                    numerical_gradient(lambda v: cross_entropy_with_logits(v, y), z), rtol=1e-6, atol=1e-10)


def test_cross_entropy_with_logits_grad_matches_numerical_for_soft_targets():
    rng, z = _data(4, (4, 3))
    y = softmax(rng.normal(size=(4, 3)))  # each row a probability vector
    assert_allclose(cross_entropy_with_logits_grad(z, y),
                    numerical_gradient(lambda v: cross_entropy_with_logits(v, y), z), rtol=1e-6, atol=1e-10)


# --- properties -------------------------------------------------------------------------------

@pytest.mark.parametrize("loss", CATEGORICAL, ids=CAT_IDS)
@pytest.mark.parametrize("shape", [(3,), (6, 4), (2, 3, 5)])
def test_labels_and_one_hot_give_the_same(loss, shape):
    rng, z = _data(5, shape)
    labels = rng.integers(0, shape[-1], size=shape[:-1])
    scores = softmax(z) if loss in (cross_entropy, cross_entropy_grad) else z
    from_labels = loss(scores, labels)
    assert_allclose(from_labels, loss(scores, np.eye(shape[-1])[labels]), rtol=1e-14)
    assert_allclose(from_labels, loss(scores, np.eye(shape[-1], dtype=int)[labels]), rtol=1e-14)


@pytest.mark.parametrize("shape", [(6,), (3, 4)])
def test_binary_logits_version_equals_probability_version(shape):
    rng, z = _data(6, shape)
    z *= 4
    y = rng.integers(0, 2, size=shape)
    s = sigmoid(z)
    assert_allclose(binary_cross_entropy_with_logits(z, y), binary_cross_entropy(s, y), rtol=1e-10)
    # chain rule: dL/dz = dL/dp * sigmoid'(z)
    assert_allclose(binary_cross_entropy_with_logits_grad(z, y),
                    binary_cross_entropy_grad(s, y) * s * (1 - s), rtol=1e-9, atol=1e-15)


@pytest.mark.parametrize("shape", [(4,), (6, 3), (2, 3, 4)])
def test_categorical_logits_version_equals_probability_version(shape):
    rng, z = _data(7, shape)
    z *= 3
    y = rng.integers(0, shape[-1], size=shape[:-1])
    p = softmax(z)
    assert_allclose(cross_entropy_with_logits(z, y), cross_entropy(p, y), rtol=1e-10)
    # chain rule through softmax's Jacobian diag(p) - p p^T, row by row
    g_p = cross_entropy_grad(p, y)
    g_z = p * (g_p - np.sum(g_p * p, axis=-1, keepdims=True))
    assert_allclose(cross_entropy_with_logits_grad(z, y), g_z, rtol=1e-9, atol=1e-15)


@pytest.mark.parametrize("loss", [mse, binary_cross_entropy, binary_cross_entropy_with_logits],
                         ids=["mse", "bce", "bce_with_logits"])
def test_elementwise_losses_are_means(loss):
    rng = np.random.default_rng(8)
    a = rng.uniform(0.1, 0.9, size=(5, 2))
    y = rng.integers(0, 2, size=(5, 2))
    # a batch repeated three times has the same loss: a mean, not a sum
    assert_allclose(loss(np.tile(a, (3, 1)), np.tile(y, (3, 1))), loss(a, y), rtol=1e-13)
    # and the mean of per-sample losses
    assert_allclose(loss(a, y), np.mean([loss(a[i], y[i]) for i in range(5)]), rtol=1e-13)


@pytest.mark.parametrize("loss", [cross_entropy, cross_entropy_with_logits], ids=["ce", "ce_with_logits"])
def test_categorical_losses_are_means_over_samples(loss):
    rng, z = _data(9, (5, 3))
    labels = rng.integers(0, 3, size=5)
    scores = softmax(z) if loss is cross_entropy else z
    assert_allclose(loss(np.tile(scores, (2, 1)), np.tile(labels, 2)), loss(scores, labels), rtol=1e-13)
    assert_allclose(loss(scores, labels), np.mean([loss(scores[i], labels[i]) for i in range(5)]),
                    rtol=1e-13)


def test_losses_are_zero_for_perfect_predictions():
    assert mse([1.0, -2.0], [1.0, -2.0]) == 0.0
    assert_allclose(binary_cross_entropy([0.0, 1.0], [0, 1]), 0.0, atol=1e-11)
    assert_allclose(cross_entropy([[0.0, 1.0, 0.0]], [1]), 0.0, atol=1e-15)
    assert_allclose(binary_cross_entropy_with_logits([-50.0, 50.0], [0, 1]), 0.0, atol=1e-20)
    assert_allclose(cross_entropy_with_logits([[-50.0, 50.0]], [1]), 0.0, atol=1e-20)


@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_property_bce_with_logits_matches_softplus_formula(data):
    shape = data.draw(hnp.array_shapes(min_dims=1, max_dims=2, max_side=5))
    z = data.draw(hnp.arrays(np.float64, shape, elements=st.floats(-1e4, 1e4)))
    y = data.draw(hnp.arrays(np.int64, shape, elements=st.integers(0, 1)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value = binary_cross_entropy_with_logits(z, y)
    assert np.isfinite(value) and value >= 0
    # -log sigmoid(z) = softplus(-z) for y = 1, -log(1 - sigmoid(z)) = softplus(z) for y = 0, with
    # softplus(z) = log(1 + e^z) = logaddexp(0, z); no cancellation, unlike softplus(z) - z y
    expected = np.mean(np.where(y == 1, np.logaddexp(0, -z), np.logaddexp(0, z)))
    assert_allclose(value, expected, rtol=1e-12, atol=1e-300)


@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_property_ce_with_logits_matches_logsumexp(data):
    n, c = data.draw(st.integers(1, 5)), data.draw(st.integers(1, 5))
    z = data.draw(hnp.arrays(np.float64, (n, c), elements=st.floats(-1e4, 1e4)))
    labels = data.draw(hnp.arrays(np.int64, (n,), elements=st.integers(0, c - 1)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value = cross_entropy_with_logits(z, labels)
        grad = cross_entropy_with_logits_grad(z, labels)
    expected = np.mean(logsumexp(z, axis=1) - z[np.arange(n), labels])
    assert np.isfinite(value) and value >= 0
    # the reference's subtraction cancels to within a few ulps of max|z|
    assert_allclose(value, expected, rtol=1e-12, atol=1e-15 * max(1.0, np.max(np.abs(z))))
    assert np.all(np.isfinite(grad))
    assert_allclose(grad.sum(axis=1), 0.0, atol=1e-15)  # softmax and one-hot rows both sum to 1


# --- stability: clipping and large logits -----------------------------------------------------

@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_clipping_makes_log_of_zero_finite(dtype):
    worst = -np.log(EPS)  # a confident wrong answer costs -log(eps), about 27.6
    assert_allclose(binary_cross_entropy(np.array([0.0, 1.0], dtype), np.array([1, 0], dtype)), worst, rtol=1e-6)
    g = binary_cross_entropy_grad(np.array([0.0, 1.0], dtype), np.array([1, 0], dtype))
    assert np.all(np.isfinite(g))
    assert g[0] < 0 < g[1]
    assert_allclose(cross_entropy(np.array([[1.0, 0.0]], dtype), [1]), worst, rtol=1e-6)
    g = cross_entropy_grad(np.array([[1.0, 0.0]], dtype), [1])
    assert np.all(np.isfinite(g))
    assert_allclose(g, [[0.0, -1 / EPS]], rtol=1e-6)


def test_eps_is_used_by_the_clip():
    assert_allclose(binary_cross_entropy([0.0], [1], eps=1e-3), -np.log(1e-3), rtol=1e-12)
    assert_allclose(binary_cross_entropy([1.0], [0], eps=1e-3), -np.log(1e-3), rtol=1e-9)
    assert_allclose(cross_entropy([0.0, 1.0], 0, eps=1e-4), -np.log(1e-4), rtol=1e-12)
    assert_allclose(binary_cross_entropy_grad([0.0], [1], eps=0.5), [-2.0], rtol=1e-12)


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_large_logits_do_not_overflow(dtype):
    z = np.array([1e4, -1e4], dtype)
    assert_allclose(binary_cross_entropy_with_logits(z, [0, 1]), 1e4, rtol=1e-7)
    assert_allclose(binary_cross_entropy_with_logits(z, [1, 0]), 0.0, atol=1e-300)
    g = binary_cross_entropy_with_logits_grad(z, np.array([0, 1]))
    assert g.dtype == dtype
    assert_allclose(g, [0.5, -0.5], rtol=1e-7)
    Z = np.array([[1e4, -1e4], [-1e4, 1e4]], dtype)
    assert_allclose(cross_entropy_with_logits(Z, [1, 1]), 1e4, rtol=1e-7)
    assert_allclose(cross_entropy_with_logits(Z, [0, 1]), 0.0, atol=1e-300)
    assert_allclose(cross_entropy_with_logits_grad(Z, [1, 1]), [[0.5, -0.5], [0.0, 0.0]], atol=1e-300)


# --- input checks -----------------------------------------------------------------------------

@pytest.mark.parametrize("loss", BINARY, ids=BIN_IDS)
@pytest.mark.parametrize("shapes", [((3,), (2,)), ((2, 3), (3,)), ((2, 3), (3, 2))])
def test_shape_mismatch_raises_for_elementwise_losses(loss, shapes):
    first = {mse: "y_pred", mse_grad: "y_pred"}.get(loss, "z" if "logits" in loss.__name__ else "p")
    message = f"{first} and y must have the same shape, got {shapes[0]} and {shapes[1]}"
    with pytest.raises(ValueError, match="^" + re.escape(message) + "$"):
        loss(np.full(shapes[0], 0.5), np.zeros(shapes[1]))


@pytest.mark.parametrize("loss", CATEGORICAL, ids=CAT_IDS)
@pytest.mark.parametrize(
    "y",
    [np.zeros(3, int), np.zeros((4, 3)), np.array([0.0, 1.0]), np.zeros((2, 1), int)],
    ids=["labels of the wrong length", "one-hot of the wrong shape", "float labels", "column of labels"],
)
def test_bad_targets_raise(loss, y):
    with pytest.raises(ValueError, match=r"^y must be one-hot with shape \(2, 3\) or integer labels"):
        loss(np.full((2, 3), 1 / 3), y)


@pytest.mark.parametrize("loss", CATEGORICAL, ids=CAT_IDS)
@pytest.mark.parametrize("labels", [[0, 3], [-1, 2], [5, 0]])
def test_label_out_of_range_raises(loss, labels):
    with pytest.raises(ValueError, match=r"^labels must be in \[0, 3\), got values from"):
        loss(np.full((2, 3), 1 / 3), np.array(labels))
