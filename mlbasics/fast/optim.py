"""The optimizers of :mod:`mlbasics.optim`, computed in place, in blocks, on all cores.

Each class is its reference class (same constructor, checks, attributes, state and results, to
float round-off) with an ``update`` that makes no temporary arrays: its ``_step`` applies the
reference's rule with in-place NumPy operations into one work array, block by block on all cores
(see :func:`mlbasics.fast._blocks.checked_blockwise`). The threads first check that every gradient
is finite, wait for each other, and only then write, so a refused update changes nothing, as in
the reference. Adam's step is rearranged to save passes over memory (the average as
``m += (1 - beta1) * (g - m)``, both bias corrections folded into two scalars), so it matches the
reference to round-off rather than bit for bit.

On arrays much larger than the CPU's caches, checking first costs one extra read of the
gradients. For plain SGD, a single pass over memory, that read is a large part of the time;
``bench/bench_optim.py`` measures it.
"""

import functools
import math

import numpy as np

from mlbasics import optim
from mlbasics.fast import _blocks


__all__ = ["SGD", "Momentum", "Nesterov", "AdaGrad", "RMSprop", "Adam", "OPTIMIZERS"]


class SGD(optim.SGD):
    """:class:`mlbasics.optim.SGD`, in place, in blocks, on all cores."""

    def update(self, params, grads):
        """As :meth:`mlbasics.optim.SGD.update`."""
        _update(self, params, grads)

    def _step(self, W, g, s):
        np.multiply(g, self.lr, out=s)
        W -= s


class Momentum(optim.Momentum):
    """:class:`mlbasics.optim.Momentum`, in place, in blocks, on all cores."""

    def update(self, params, grads):
        """As :meth:`mlbasics.optim.Momentum.update`."""
        (self.v,) = _update(self, params, grads, self.v)

    def _step(self, W, g, v, s):
        v *= self.momentum
        np.multiply(g, self.lr, out=s)
        v -= s
        W += v


class Nesterov(optim.Nesterov):
    """:class:`mlbasics.optim.Nesterov`, in place, in blocks, on all cores."""

    def update(self, params, grads):
        """As :meth:`mlbasics.optim.Nesterov.update`."""
        (self.v,) = _update(self, params, grads, self.v)

    def _step(self, W, g, v, s):
        v *= self.momentum
        np.multiply(g, self.lr, out=s)
        v -= s
        W -= s
        np.multiply(v, self.momentum, out=s)
        W += s


class AdaGrad(optim.AdaGrad):
    """:class:`mlbasics.optim.AdaGrad`, in place, in blocks, on all cores."""

    def update(self, params, grads):
        """As :meth:`mlbasics.optim.AdaGrad.update`."""
        (self.h,) = _update(self, params, grads, self.h)

    def _step(self, W, g, h, s):
        np.multiply(g, g, out=s)
        h += s
        np.sqrt(h, out=s)
        s += self.eps
        np.divide(g, s, out=s)
        s *= self.lr
        W -= s


class RMSprop(optim.RMSprop):
    """:class:`mlbasics.optim.RMSprop`, in place, in blocks, on all cores."""

    def update(self, params, grads):
        """As :meth:`mlbasics.optim.RMSprop.update`."""
        (self.h,) = _update(self, params, grads, self.h)

    def _step(self, W, g, h, s):
        h *= self.rho
        np.multiply(g, g, out=s)
        s *= 1 - self.rho
        h += s
        np.sqrt(h, out=s)
        s += self.eps
        np.divide(g, s, out=s)
        s *= self.lr
        W -= s


class Adam(optim.Adam):
    """:class:`mlbasics.optim.Adam`, in place, in blocks, on all cores."""

    def update(self, params, grads):
        """As :meth:`mlbasics.optim.Adam.update`."""
        step = functools.partial(self._step, t=self.t + 1)
        self.m, self.v = _update(self, params, grads, self.m, self.v, step=step)
        self.t += 1

    def _step(self, W, g, m, v, s, t):
        # m = beta1 * m + (1 - beta1) * g, as m += (1 - beta1) * (g - m): one operation fewer
        np.subtract(g, m, out=s)
        s *= 1 - self.beta1
        m += s
        v *= self.beta2
        np.multiply(g, g, out=s)
        s *= 1 - self.beta2
        v += s
        # s = sqrt(v_hat) + eps, then W -= lr * m_hat / s
        np.sqrt(v, out=s)
        s /= math.sqrt(1 - self.beta2**t)
        s += self.eps
        np.divide(m, s, out=s)
        s *= self.lr / (1 - self.beta1**t)
        W -= s


OPTIMIZERS = {name: globals()[cls.__name__] for name, cls in optim.OPTIMIZERS.items()}
"""The reference's table (:data:`mlbasics.optim.OPTIMIZERS`), each name mapped to its fast version."""


def _update(optimizer, params, grads, *states, step=None):
    """Take one step of ``optimizer`` on every key; return its state dicts, updated.

    The reference's check comes first (keys, shapes, types, hyperparameters; every gradient cast
    to its parameter's dtype), all but the gradients' finiteness. That one is made on all cores by
    :func:`mlbasics.fast._blocks.checked_blockwise`, which runs ``step(W, g, *state, scratch)`` (by
    default the optimizer's ``_step``) only once every gradient is known to be finite; otherwise
    nothing is written and the state dicts given (None before the first update) are unchanged.
    """
    grads = optim._checked(optimizer, params, grads, *states, finite=False)
    states = [optim._with_zeros(state, params) for state in states]
    keys = list(params)
    groups = [(params[key], grads[key], *(state[key] for state in states)) for key in keys]
    bad = _blocks.checked_blockwise(step or optimizer._step, groups, check=1)
    if bad is not None:
        raise ValueError(f"grads[{keys[bad]!r}] contains inf or nan")
    return states
