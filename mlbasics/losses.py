"""Loss functions with their gradients.

Every loss is a mean over samples, so its size does not depend on the batch size. Every gradient
is with respect to the loss's first argument (predictions, probabilities or logits) and has its
shape. Each function checks and converts its arguments in one call, then is the formula of its
docstring in plain NumPy.
"""

import numpy as np

from mlbasics.activations import _float_array, log_softmax, sigmoid, softmax

EPS = 1e-12
"""Probabilities are clipped to ``[EPS, 1 - EPS]`` before a log."""


def _pair(a, b, names):
    """``a`` as a float array (float64 unless it is float already) and ``b`` in its dtype; the
    shapes must match."""
    a, b = _float_array(a), np.asarray(b)
    if a.shape != b.shape:
        raise ValueError(f"{names[0]} and {names[1]} must have the same shape, got {a.shape} and {b.shape}")
    return a, b.astype(a.dtype, copy=False)


def _one_hot_targets(y, scores):
    """Targets as an array of ``scores``' shape: integer labels become one-hot rows."""
    scores = np.asarray(scores)
    y = np.asarray(y)
    if y.shape == scores.shape:
        return y.astype(scores.dtype if np.issubdtype(scores.dtype, np.floating) else np.float64)
    if y.shape == scores.shape[:-1] and np.issubdtype(y.dtype, np.integer):
        n_classes = scores.shape[-1]
        if y.size and (y.min() < 0 or y.max() >= n_classes):
            raise ValueError(f"labels must be in [0, {n_classes}), got values from {y.min()} to {y.max()}")
        return np.eye(n_classes, dtype=np.float64)[y]
    raise ValueError(
        f"y must be one-hot with shape {scores.shape} or integer labels with shape "
        f"{scores.shape[:-1]}, got {y.dtype} array of shape {y.shape}"
    )


def _n_samples(scores):
    scores = np.asarray(scores)
    return 1 if scores.ndim <= 1 else int(np.prod(scores.shape[:-1]))


def mse(y_pred, y):
    """Mean squared error :math:`\\frac{1}{n}\\sum_i (\\hat y_i - y_i)^2` over all elements."""
    y_pred, y = _pair(y_pred, y, ("y_pred", "y"))
    return float(np.mean((y_pred - y) ** 2))


def mse_grad(y_pred, y):
    """Gradient of :func:`mse` with respect to ``y_pred``: :math:`2(\\hat y - y)/n`."""
    y_pred, y = _pair(y_pred, y, ("y_pred", "y"))
    return 2.0 * (y_pred - y) / y_pred.size


def binary_cross_entropy(p, y, eps=EPS):
    """Binary cross-entropy from probabilities.

    .. math:: L = -\\frac{1}{n}\\sum_i y_i \\log p_i + (1 - y_i)\\log(1 - p_i)

    ``p`` is clipped to ``[eps, 1 - eps]`` so that a confident wrong answer costs a large but
    finite amount.
    """
    p, y = _pair(p, y, ("p", "y"))
    p = np.clip(p.astype(np.float64), eps, 1 - eps)  # in float32, 1 - eps would round to 1
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log1p(-p)))


def binary_cross_entropy_grad(p, y, eps=EPS):
    """Gradient of :func:`binary_cross_entropy` with respect to ``p``: :math:`\\frac{p - y}{p(1-p)n}`."""
    p, y = _pair(p, y, ("p", "y"))
    p = np.clip(p.astype(np.float64), eps, 1 - eps)  # in float32, 1 - eps would round to 1
    return (p - y) / (p * (1 - p)) / p.size


def binary_cross_entropy_with_logits(z, y):
    """Binary cross-entropy of ``sigmoid(z)``, computed from the logits ``z`` without overflow.

    .. math:: L = \\frac{1}{n}\\sum_i \\max(z_i, 0) - z_i y_i + \\log(1 + e^{-|z_i|})
    """
    z, y = _pair(z, y, ("z", "y"))
    return float(np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))))


def binary_cross_entropy_with_logits_grad(z, y):
    """Gradient with respect to the logits: :math:`(\\sigma(z) - y)/n`."""
    z, y = _pair(z, y, ("z", "y"))
    return (sigmoid(z) - y) / z.size


def cross_entropy(p, y, eps=EPS):
    """Categorical cross-entropy from probabilities, mean over samples.

    Parameters
    ----------
    p : array_like, shape ``(n, C)`` or ``(C,)``
        Class probabilities, one row per sample.
    y : array_like
        One-hot targets of ``p``'s shape, or integer labels of shape ``(n,)`` (or a scalar).

    Notes
    -----
    .. math:: L = -\\frac{1}{n}\\sum_i \\sum_k y_{ik} \\log p_{ik}
    """
    p = np.asarray(p, dtype=np.float64)
    t = _one_hot_targets(y, p)
    return float(-np.sum(t * np.log(np.clip(p, eps, 1.0))) / _n_samples(p))


def cross_entropy_grad(p, y, eps=EPS):
    """Gradient of :func:`cross_entropy` with respect to ``p``: :math:`-y / (p\\,n)`."""
    p = np.asarray(p, dtype=np.float64)
    t = _one_hot_targets(y, p)
    return -t / np.clip(p, eps, 1.0) / _n_samples(p)


def cross_entropy_with_logits(z, y):
    """Categorical cross-entropy of ``softmax(z)``, from the logits, via log-sum-exp."""
    z = np.asarray(z, dtype=np.float64)
    t = _one_hot_targets(y, z)
    return float(-np.sum(t * log_softmax(z, axis=-1)) / _n_samples(z))


def cross_entropy_with_logits_grad(z, y):
    """Gradient with respect to the logits: :math:`(\\mathrm{softmax}(z) - y)/n`.

    The softmax's Jacobian and the log's derivative cancel to this simple difference.
    """
    z = np.asarray(z, dtype=np.float64)
    t = _one_hot_targets(y, z)
    return (softmax(z, axis=-1) - t) / _n_samples(z)


def softmax_cross_entropy(z, y):
    """Softmax followed by cross-entropy, forward and backward in one call.

    Parameters
    ----------
    z : array_like, shape ``(n, C)``
        Logits (scores), one row per sample.
    y : array_like
        Integer labels of shape ``(n,)`` or one-hot targets of shape ``(n, C)``.

    Returns
    -------
    loss : float
        :func:`cross_entropy_with_logits`, the mean over the samples.
    grad : ndarray, shape ``(n, C)``
        :func:`cross_entropy_with_logits_grad`, :math:`(\\mathrm{softmax}(z) - y)/n`.

    Notes
    -----
    The textbook's ``SoftmaxWithLoss`` layer: its ``forward`` gives the loss, its ``backward``
    the gradient with respect to the logits.
    """
    return cross_entropy_with_logits(z, y), cross_entropy_with_logits_grad(z, y)
