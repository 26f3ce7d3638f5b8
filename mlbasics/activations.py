"""Activation functions and their derivatives, stable for any finite input.

Every function keeps a floating input's dtype (float32 stays float32) and turns integer input into
float64. None of them overflows or warns, even at +-1e4.

Each is its formula in plain NumPy, written to be read next to the notebooks;
:mod:`mlbasics.fast.activations` computes sigmoid and softmax on large arrays in place, in blocks,
on all cores, with the same results.
"""

import numpy as np


def _float_array(x):
    x = np.asarray(x)
    if not np.issubdtype(x.dtype, np.floating):
        x = x.astype(np.float64)
    return x


def _result(out):
    return out[()] if out.ndim == 0 else out


def sigmoid(x):
    """Logistic sigmoid :math:`\\sigma(x) = 1 / (1 + e^{-x})`, elementwise.

    Returns
    -------
    ndarray, same shape and float dtype as ``x``, values in ``[0, 1]``.

    Notes
    -----
    With :math:`e = e^{-|x|} \\in (0, 1]`, which cannot overflow,

    .. math:: \\sigma(x) = \\frac{1}{1 + e} \\; (x \\ge 0), \\qquad
              \\sigma(x) = \\frac{e}{1 + e} \\; (x < 0).

    The second form keeps relative accuracy in the left tail: ``sigmoid(-50)`` is
    ``1.93e-22``, not 0. (:func:`mlbasics.fast.activations.sigmoid` gives the same numbers on
    large arrays, faster.)
    """
    x = _float_array(x)
    e = np.exp(-np.abs(x))  # in (0, 1]: cannot overflow
    return _result(np.where(x >= 0, 1 / (1 + e), e / (1 + e)))


def sigmoid_grad(x):
    """Derivative :math:`\\sigma'(x) = \\sigma(x)(1 - \\sigma(x))`, at most 1/4 (at 0)."""
    s = sigmoid(x)
    return s * (1 - s)


def tanh(x):
    """Hyperbolic tangent, values in (-1, 1), zero-centred."""
    return np.tanh(_float_array(x))


def tanh_grad(x):
    """Derivative :math:`1 - \\tanh^2(x)`, at most 1 (at 0)."""
    t = np.tanh(_float_array(x))
    return 1 - t * t


def relu(x):
    """Rectified linear unit :math:`\\max(x, 0)`."""
    x = _float_array(x)
    return np.maximum(x, x.dtype.type(0))


def relu_grad(x):
    """Derivative of ReLU: 1 where ``x > 0``, else 0 (the value 0 is used at 0)."""
    x = _float_array(x)
    return (x > 0).astype(x.dtype)


def softmax(z, axis=-1):
    """Softmax along ``axis``: :math:`p_i = e^{z_i} / \\sum_j e^{z_j}`.

    Parameters
    ----------
    z : array_like
        Scores (logits), any shape.
    axis : int
        The axis that holds the classes (default: the last one).

    Returns
    -------
    ndarray, same shape and float dtype as ``z``; each slice along ``axis`` is in (0, 1] and
    sums to 1.

    Notes
    -----
    Softmax is unchanged by adding a constant to every score, so we subtract the max first:
    every exponent is then <= 0 and ``exp`` cannot overflow. (:func:`mlbasics.fast.activations.softmax`
    gives the same numbers on large arrays, faster.)
    """
    z = _float_array(z)
    e = np.exp(z - np.max(z, axis=axis, keepdims=True))  # every exponent <= 0: no overflow
    return _result(e / np.sum(e, axis=axis, keepdims=True))


def log_softmax(z, axis=-1):
    """Log of softmax along ``axis``, computed as ``z - logsumexp(z)`` (finite for any finite z)."""
    z = _float_array(z)
    shifted = z - np.max(z, axis=axis, keepdims=True)
    return _result(shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True)))


def hardmax(z, axis=-1):
    """One-hot of the argmax along ``axis``: 1 at the largest score, 0 elsewhere.

    Ties go to the first index, as with ``numpy.argmax``.
    """
    z = _float_array(z)
    out = np.zeros_like(z)
    if z.ndim == 0:
        return _result(np.ones_like(z))
    idx = np.expand_dims(np.argmax(z, axis=axis), axis)
    np.put_along_axis(out, idx, 1, axis=axis)
    return out
