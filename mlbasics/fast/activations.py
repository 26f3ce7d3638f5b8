"""sigmoid and softmax of :mod:`mlbasics.activations`, in place, in blocks, on all cores.

Same arguments, dtypes and numbers as the reference functions (the tests compare them bit for bit):
the reference's formulas, computed with in-place NumPy operations block by block (see
:func:`mlbasics.fast._blocks.blockwise`), so that a large array makes no temporary copies and each
block stays in the CPU's caches while the formula's operations run over it.
"""

import functools

import numpy as np

from mlbasics import activations
from mlbasics.activations import _float_array, _result
from mlbasics.fast import _blocks

__all__ = ["sigmoid", "softmax"]


def sigmoid(x):
    """:func:`mlbasics.activations.sigmoid`, in blocks, on all cores.

    The numerator, 1 where ``x >= 0`` and :math:`e = e^{-|x|}` where ``x < 0``, is
    ``max(e, sign(x))``, which picks it without a branch (masks and ``np.where`` are several times
    slower than the arithmetic): at 0, ``e = 1`` and the numerator is 1, as in the reference.
    """
    x = _float_array(x)
    out = np.empty_like(x)
    _blocks.blockwise(_sigmoid_step, x, out)
    return _result(out)


def _sigmoid_step(x, out, e):
    np.abs(x, out=e)
    np.negative(e, out=e)
    np.exp(e, out=e)  # e = exp(-|x|), never overflows
    np.sign(x, out=out)
    np.maximum(e, out, out=out)  # the numerator: 1 where x > 0, e where x <= 0 (e = 1 at 0)
    np.add(e, 1.0, out=e)
    np.divide(out, e, out=out)


def softmax(z, axis=-1):
    """:func:`mlbasics.activations.softmax`, in blocks of whole rows, on all cores.

    Only C-ordered arrays with the classes on the last axis are cut into blocks (their rows lie one
    after another in memory); any other array goes to the reference function.
    """
    z = _float_array(z)
    if not (z.ndim and z.size and z.flags.c_contiguous and axis in (-1, z.ndim - 1)):
        return activations.softmax(z, axis=axis)
    out = np.empty_like(z)
    n = z.shape[-1]
    _blocks.blockwise(functools.partial(_softmax_rows, n=n), z, out, unit=n)
    return out


def _softmax_rows(z, out, _, n):
    """Softmax of whole rows of ``n`` classes, handed over flattened."""
    z, out = z.reshape(-1, n), out.reshape(-1, n)
    np.subtract(z, np.max(z, axis=-1, keepdims=True), out=out)  # shift: no overflow
    np.exp(out, out=out)
    out /= np.sum(out, axis=-1, keepdims=True)
