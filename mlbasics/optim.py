"""Optimizers (SGD, Momentum, Nesterov, AdaGrad, RMSprop, Adam) and a learning-rate schedule hook.

Every optimizer has the textbook interface: it is constructed with its hyperparameters, and
``update(params, grads)`` changes the arrays in ``params`` **in place**. ``params`` and ``grads``
are dicts with the same keys and same-shaped float arrays; the optimizer keeps one state entry per
key (``v``, ``h``, ``m``), created on the first update. Default hyperparameters are those of
``torch.optim`` (but Momentum and Nesterov default to ``momentum=0.9``, where ``torch.optim.SGD``
has 0), and with matching hyperparameters the updates reproduce ``torch.optim`` to float64
round-off. float32 parameters stay float32, and so does their state.

>>> import numpy as np
>>> params = {"W": np.array([1.0, -2.0])}
>>> opt = Momentum(lr=0.1, momentum=0.9)
>>> opt.update(params, {"W": np.array([0.5, 0.5])})
>>> params["W"]
array([ 0.95, -2.05])

``lr`` is a plain attribute, so a schedule can change it between updates; :class:`LRScheduler`
does that for any optimizer, with the schedules of :mod:`mlbasics.descent`.

Every update is checked before anything is touched: if ``update`` raises, neither ``params`` nor
the optimizer's state has changed.

Each class's ``_step`` is the pseudo-code of its docstring, operation by operation, written with
in-place NumPy operations into a work array so that an update makes no temporary copies. Large
arrays are processed block by block on all cores (see :mod:`mlbasics._blocks`), which makes an
update of millions of parameters as fast as ``torch.optim``'s or faster. Plain SGD is the
exception: its update is one pass over memory, and checking the gradients first adds a second
read of them (about 1.4x torch's time; ``bench/bench_optim.py`` measures it).
"""

import functools
import math
import numbers

import numpy as np

from mlbasics import _blocks

__all__ = ["SGD", "Momentum", "Nesterov", "AdaGrad", "RMSprop", "Adam", "LRScheduler", "OPTIMIZERS",
           "momentum_step", "adagrad_step", "rmsprop_step", "effective_learning_rates", "ema"]


class SGD:
    """Stochastic gradient descent.

    Parameters
    ----------
    lr : float, default 1e-3
        Learning rate, > 0 (``torch.optim.SGD``'s default).

    Notes
    -----
    One update, for every key (``W = params[key]``, ``g = grads[key]``)::

        W = W - lr * g

    References
    ----------
    .. [1] H. Robbins and S. Monro, "A stochastic approximation method", Ann. Math. Statist. 22,
       1951.
    """

    def __init__(self, lr=1e-3):
        self.lr = _positive("lr", lr)

    def update(self, params, grads):
        """Take one step on every array in ``params``, in place.

        Parameters
        ----------
        params : dict of str to ndarray
            Float arrays, changed in place.
        grads : dict of str to array_like
            Finite gradients, same keys and shapes as ``params``.

        Raises
        ------
        ValueError
            If ``lr`` is not a finite number > 0, if the keys or shapes of ``params`` and
            ``grads`` differ, or if a gradient holds inf or nan. Nothing has changed then.
        TypeError
            If a parameter is not a writable NumPy float array.
        """
        _update(self, params, grads)

    def _step(self, W, g, s):
        np.multiply(g, self.lr, out=s)
        W -= s


class Momentum:
    """Gradient descent with momentum (heavy ball), in the textbook's velocity form.

    Parameters
    ----------
    lr : float, default 1e-3
        Learning rate, > 0 (``torch.optim.SGD``'s default).
    momentum : float, default 0.9
        Fraction of the velocity kept at each update, in [0, 1). ``torch.optim.SGD`` defaults to
        0, which is plain SGD; 0.9 is the textbook's value.

    Attributes
    ----------
    v : dict of str to ndarray, or None
        Velocity per key, created (zero) on the first update.

    Notes
    -----
    One update, for every key (``W = params[key]``, ``g = grads[key]``, ``v`` starts at 0)::

        v = momentum * v - lr * g
        W = W + v

    ``torch.optim.SGD(momentum=...)`` keeps ``buf = momentum * buf + g`` and takes
    ``W = W - lr * buf``. While ``lr`` is constant, ``v = -lr * buf`` and the two are the same
    rule. When ``lr`` changes, here each gradient keeps the ``lr`` of the step it was taken in,
    while torch rescales the whole buffer by the current ``lr``.

    References
    ----------
    .. [1] B. T. Polyak, "Some methods of speeding up the convergence of iteration methods",
       USSR Comput. Math. Math. Phys. 4(5), 1964.
    .. [2] K. Saito, *Deep Learning from Scratch*, O'Reilly Japan, 2016, ch. 6.
    """

    def __init__(self, lr=1e-3, momentum=0.9):
        self.lr = _positive("lr", lr)
        self.momentum = _fraction("momentum", momentum)
        self.v = None  # velocity per key: the decaying sum of past steps

    def update(self, params, grads):
        """Take one step on every array in ``params``, in place (see :meth:`SGD.update`)."""
        (self.v,) = _update(self, params, grads, self.v)

    def _step(self, W, g, v, s):
        v *= self.momentum
        np.multiply(g, self.lr, out=s)
        v -= s
        W += v


class Nesterov:
    """Nesterov's accelerated gradient, in the Sutskever/Bengio form used by torch.optim.

    Parameters
    ----------
    lr : float, default 1e-3
        Learning rate, > 0 (``torch.optim.SGD``'s default).
    momentum : float, default 0.9
        Fraction of the velocity kept at each update, in [0, 1). ``torch.optim.SGD`` defaults to
        0 (and then refuses ``nesterov=True``); 0.9 is the textbook's value.

    Attributes
    ----------
    v : dict of str to ndarray, or None
        Velocity per key, created (zero) on the first update.

    Notes
    -----
    Nesterov evaluates the gradient at the look-ahead point ``W + momentum * v``. Rewritten in
    terms of the look-ahead point itself (which is what ``params`` holds), one update is, for every
    key (``W = params[key]``, ``g = grads[key]``, ``v`` starts at 0)::

        v = momentum * v - lr * g
        W = W + momentum * v - lr * g

    Substituting the first line into the second gives Bengio et al.'s form
    ``W = W + momentum**2 * v_old - (1 + momentum) * lr * g`` with the velocity from *before*
    the update. (The textbook's listing applies ``momentum**2`` to the velocity *after* the update,
    which is a different rule.)

    ``torch.optim.SGD(momentum=..., nesterov=True)`` keeps ``buf = momentum * buf + g`` and takes
    ``W = W - lr * (g + momentum * buf)``. While ``lr`` is constant, ``v = -lr * buf`` and the two
    are the same rule.

    References
    ----------
    .. [1] Y. Nesterov, "A method for solving the convex programming problem with convergence rate
       O(1/k^2)", Soviet Math. Dokl. 27, 1983.
    .. [2] I. Sutskever, J. Martens, G. Dahl and G. Hinton, "On the importance of initialization
       and momentum in deep learning", ICML 2013.
    .. [3] Y. Bengio, N. Boulanger-Lewandowski and R. Pascanu, "Advances in optimizing recurrent
       networks", ICASSP 2013, arXiv:1212.0901.
    """

    def __init__(self, lr=1e-3, momentum=0.9):
        self.lr = _positive("lr", lr)
        self.momentum = _fraction("momentum", momentum)
        self.v = None  # velocity per key: the decaying sum of past steps

    def update(self, params, grads):
        """Take one step on every array in ``params``, in place (see :meth:`SGD.update`)."""
        (self.v,) = _update(self, params, grads, self.v)

    def _step(self, W, g, v, s):
        v *= self.momentum
        np.multiply(g, self.lr, out=s)
        v -= s
        W -= s
        np.multiply(v, self.momentum, out=s)
        W += s


class AdaGrad:
    """AdaGrad: per-element learning rates that shrink with the sum of squared gradients.

    Parameters
    ----------
    lr : float, default 1e-2
        Learning rate, > 0 (``torch.optim.Adagrad``'s default).
    eps : float, default 1e-10
        Added to ``sqrt(h)`` to avoid dividing by zero, >= 0 (``torch.optim.Adagrad``'s default;
        the textbook uses 1e-7).

    Attributes
    ----------
    h : dict of str to ndarray, or None
        Sum of squared gradients per key, created (zero) on the first update.

    Notes
    -----
    One update, for every key (``W = params[key]``, ``g = grads[key]``, ``h`` starts at 0)::

        h = h + g * g
        W = W - lr * g / (sqrt(h) + eps)

    ``h`` only grows, so the steps shrink and learning can stop. This is
    ``torch.optim.Adagrad(lr_decay=0, initial_accumulator_value=0)``.

    References
    ----------
    .. [1] J. Duchi, E. Hazan and Y. Singer, "Adaptive subgradient methods for online learning and
       stochastic optimization", JMLR 12, 2011.
    """

    def __init__(self, lr=1e-2, eps=1e-10):
        self.lr = _positive("lr", lr)
        self.eps = _nonnegative("eps", eps)
        self.h = None  # running sum of squared gradients per key

    def update(self, params, grads):
        """Take one step on every array in ``params``, in place (see :meth:`SGD.update`)."""
        (self.h,) = _update(self, params, grads, self.h)

    def _step(self, W, g, h, s):
        np.multiply(g, g, out=s)
        h += s
        np.sqrt(h, out=s)
        s += self.eps
        np.divide(g, s, out=s)
        s *= self.lr
        W -= s


class RMSprop:
    """RMSprop: AdaGrad with an exponential moving average of squared gradients.

    Parameters
    ----------
    lr : float, default 1e-2
        Learning rate, > 0 (``torch.optim.RMSprop``'s default).
    rho : float, default 0.99
        Decay of the moving average, in [0, 1) (``torch.optim.RMSprop``'s ``alpha``; the textbook's
        ``decay_rate``).
    eps : float, default 1e-8
        Added to ``sqrt(h)`` to avoid dividing by zero, >= 0 (``torch.optim.RMSprop``'s default;
        the textbook uses 1e-7).

    Attributes
    ----------
    h : dict of str to ndarray, or None
        Moving average of squared gradients per key, created (zero) on the first update.

    Notes
    -----
    One update, for every key (``W = params[key]``, ``g = grads[key]``, ``h`` starts at 0)::

        h = rho * h + (1 - rho) * g * g
        W = W - lr * g / (sqrt(h) + eps)

    Old gradients fade by ``rho`` per update, so unlike AdaGrad the steps do not shrink for good.
    This is ``torch.optim.RMSprop(alpha=rho)`` (no momentum, not centred).

    References
    ----------
    .. [1] T. Tieleman and G. Hinton, "Lecture 6.5 - rmsprop", COURSERA: Neural Networks for
       Machine Learning, 2012.
    """

    def __init__(self, lr=1e-2, rho=0.99, eps=1e-8):
        self.lr = _positive("lr", lr)
        self.rho = _fraction("rho", rho)
        self.eps = _nonnegative("eps", eps)
        self.h = None  # moving average of squared gradients per key

    def update(self, params, grads):
        """Take one step on every array in ``params``, in place (see :meth:`SGD.update`)."""
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


class Adam:
    """Adam: momentum on the gradient, RMSprop on its square, both bias-corrected.

    Parameters
    ----------
    lr : float, default 1e-3
        Learning rate, > 0 (``torch.optim.Adam``'s default).
    beta1 : float, default 0.9
        Decay of the first-moment (mean) average, in [0, 1).
    beta2 : float, default 0.999
        Decay of the second-moment (squared) average, in [0, 1).
    eps : float, default 1e-8
        Added to the square root to avoid dividing by zero, >= 0 (``torch.optim.Adam``'s default;
        the textbook uses 1e-7).

    Attributes
    ----------
    m : dict of str to ndarray, or None
        Moving average of gradients per key, created (zero) on the first update.
    v : dict of str to ndarray, or None
        Moving average of squared gradients per key, created (zero) on the first update.
    t : int
        Number of updates taken.

    Notes
    -----
    One update (``m`` and ``v`` start at 0, ``t`` at 0)::

        t = t + 1
        for every key (W = params[key], g = grads[key]):
            m = beta1 * m + (1 - beta1) * g
            v = beta2 * v + (1 - beta2) * g * g
            m_hat = m / (1 - beta1**t)
            v_hat = v / (1 - beta2**t)
            W = W - lr * m_hat / (sqrt(v_hat) + eps)

    ``m`` and ``v`` start at zero, so early on they are biased towards zero; dividing by
    ``1 - beta**t`` removes that bias. This is ``torch.optim.Adam`` (and the paper's Algorithm 1).

    The textbook (and the paper's section 2) folds the two corrections into the learning rate::

        lr_t = lr * sqrt(1 - beta2**t) / (1 - beta1**t)
        W = W - lr_t * m / (sqrt(v) + eps)

    Multiplying out shows it is the rule above with ``eps`` replaced by
    ``eps / sqrt(1 - beta2**t)``, so the two differ only through ``eps``, and only noticeably in
    the first updates or where ``v`` is as small as ``eps**2``. The textbook also writes the
    averages as ``m += (1 - beta1) * (g - m)``, the same quantity rearranged.

    References
    ----------
    .. [1] D. P. Kingma and J. Ba, "Adam: a method for stochastic optimization", ICLR 2015,
       arXiv:1412.6980.
    """

    def __init__(self, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr = _positive("lr", lr)
        self.beta1 = _fraction("beta1", beta1)
        self.beta2 = _fraction("beta2", beta2)
        self.eps = _nonnegative("eps", eps)
        self.m = None  # moving average of gradients per key
        self.v = None  # moving average of squared gradients per key
        self.t = 0  # number of updates taken, for the bias correction

    def update(self, params, grads):
        """Take one step on every array in ``params``, in place (see :meth:`SGD.update`)."""
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


OPTIMIZERS = {
    "sgd": SGD,
    "momentum": Momentum,
    "nesterov": Nesterov,
    "adagrad": AdaGrad,
    "rmsprop": RMSprop,
    "adam": Adam,
}


class LRScheduler:
    """Drive any optimizer's learning rate with a schedule.

    Parameters
    ----------
    optimizer : object
        Any optimizer from this module (anything with a settable ``lr``).
    schedule : callable
        ``schedule(step) -> lr``, ``step`` counting updates from 0, e.g. from
        :mod:`mlbasics.descent` (``step_decay(0.1, 0.5, 10)``) or a lambda.

    Attributes
    ----------
    t : int
        Number of calls to :meth:`step` so far, i.e. the index of the next update.

    Notes
    -----
    Call :meth:`step` once **before** each ``optimizer.update``; it sets ``optimizer.lr`` for that
    update::

        scheduler = LRScheduler(opt, lambda step: 0.1 * 0.5 ** (step // 10))
        for X_batch, y_batch in batches:
            scheduler.step()          # opt.lr = schedule(0), then schedule(1), ...
            opt.update(params, grads)
    """

    def __init__(self, optimizer, schedule):
        if not hasattr(optimizer, "lr"):
            raise TypeError(f"optimizer must have an lr attribute, got {optimizer!r}")
        if not callable(schedule):
            raise TypeError(f"schedule must be a callable schedule(step) -> lr, got {schedule!r}")
        self.optimizer = optimizer
        self.schedule = schedule
        self.t = 0  # index of the next update

    def step(self):
        """Set ``optimizer.lr = schedule(t)`` for the next update, advance ``t``; return the lr."""
        lr = self.schedule(self.t)
        try:
            lr = _positive("lr", lr)
        except (TypeError, ValueError):
            message = f"schedule({self.t}) must return a finite lr > 0, got {lr!r}"
            raise ValueError(message) from None
        self.optimizer.lr = lr
        self.t += 1
        return lr


# --- one update as a pure function ----------------------------------------------------------
# The rules above for a single array, returning new arrays instead of changing their inputs: the
# form in which the notebooks introduce each rule before its optimizer class.

def momentum_step(w, v, g, lr, momentum):
    """One momentum update of one array: ``(w_new, v_new)``, inputs unchanged.

    ``v_new = momentum * v - lr * g`` and ``w_new = w + v_new``, as in :class:`Momentum`.
    """
    lr, momentum = _positive("lr", lr), _fraction("momentum", momentum)
    v_new = np.multiply(momentum, v, dtype=np.float64)
    v_new -= np.multiply(lr, g, dtype=np.float64)
    return np.add(w, v_new, dtype=np.float64), v_new


def adagrad_step(w, h, g, lr, eps=1e-10):
    """One AdaGrad update of one array: ``(w_new, h_new)``, inputs unchanged.

    ``h_new = h + g * g`` and ``w_new = w - lr * g / (sqrt(h_new) + eps)``, as in :class:`AdaGrad`.
    """
    lr, eps = _positive("lr", lr), _nonnegative("eps", eps)
    g = np.asarray(g, dtype=np.float64)
    h_new = np.add(h, np.square(g), dtype=np.float64)
    return np.subtract(w, lr * g / (np.sqrt(h_new) + eps), dtype=np.float64), h_new


def rmsprop_step(w, h, g, lr, rho, eps=1e-8):
    """One RMSprop update of one array: ``(w_new, h_new)``, inputs unchanged.

    ``h_new = rho * h + (1 - rho) * g * g`` and ``w_new = w - lr * g / (sqrt(h_new) + eps)``, as
    in :class:`RMSprop`.
    """
    lr, rho, eps = _positive("lr", lr), _fraction("rho", rho), _nonnegative("eps", eps)
    g = np.asarray(g, dtype=np.float64)
    h_new = np.multiply(rho, h, dtype=np.float64)
    h_new += (1 - rho) * np.square(g)
    return np.subtract(w, lr * g / (np.sqrt(h_new) + eps), dtype=np.float64), h_new


def effective_learning_rates(grads, lr, eps=1e-10):
    """AdaGrad's learning rate of every parameter at every update.

    Parameters
    ----------
    grads : array_like, shape ``(T, ...)``
        ``grads[t]`` is the gradient of update ``t``.
    lr, eps : float
        As in :class:`AdaGrad`.

    Returns
    -------
    ndarray, shape of ``grads``
        ``lr / (sqrt(h_t) + eps)`` with ``h_t`` the sum of ``grads[s]**2`` over ``s <= t``: the rate
        update ``t`` uses, after its own gradient has been added to ``h``.
    """
    lr, eps = _positive("lr", lr), _nonnegative("eps", eps)
    sums = np.cumsum(np.square(np.asarray(grads, dtype=np.float64)), axis=0)
    return lr / np.add(np.sqrt(sums), eps)


def ema(values, rho):
    """Exponential moving average along axis 0, starting from 0 (RMSprop's ``h``).

    Parameters
    ----------
    values : array_like, shape ``(T, ...)``
    rho : float
        Decay, in [0, 1).

    Returns
    -------
    ndarray of float64, shape of ``values``
        ``out[t] = rho * out[t - 1] + (1 - rho) * values[t]`` with ``out[-1] = 0``, i.e.
        ``out[t] = (1 - rho) * sum(rho**k * values[t - k] for k in range(t + 1))``.
    """
    rho = _fraction("rho", rho)
    values = np.asarray(values, dtype=np.float64)
    out = np.empty_like(values)
    running = np.zeros(values.shape[1:])
    for t, value in enumerate(values):
        running *= rho
        running += (1 - rho) * value
        out[t] = running
    return out


# --- checks ----------------------------------------------------------------------------------

def _positive(name, value):
    if not isinstance(value, numbers.Real) or not value > 0 or not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number > 0, got {value!r}")
    return float(value)


def _nonnegative(name, value):
    if not isinstance(value, numbers.Real) or not value >= 0 or not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
    return float(value)


def _fraction(name, value):
    if not isinstance(value, numbers.Real) or not 0 <= value < 1:
        raise ValueError(f"{name} must be in [0, 1), got {value!r}")
    return float(value)


def _checked(optimizer, params, grads, *states):
    """Check one update's inputs before anything changes; return grads as a dict of arrays."""
    _positive("lr", optimizer.lr)  # lr may have been changed since construction
    missing, extra = params.keys() - grads.keys(), grads.keys() - params.keys()
    if missing or extra:
        raise ValueError(f"params and grads must have the same keys: missing from grads "
                         f"{sorted(missing, key=str)}, not in params {sorted(extra, key=str)}")
    arrays = {}
    for key, W in params.items():
        if not isinstance(W, np.ndarray) or not np.issubdtype(W.dtype, np.floating):
            got = f"an array of {W.dtype}" if isinstance(W, np.ndarray) else type(W).__name__
            raise TypeError(
                f"params[{key!r}] must be a NumPy float array (it is changed in place), got {got}")
        if not W.flags.writeable:
            raise TypeError(f"params[{key!r}] is read-only, so it cannot be changed in place")
        g = np.asarray(grads[key])
        if g.shape != W.shape:
            raise ValueError(
                f"grads[{key!r}] has shape {g.shape} but params[{key!r}] has shape {W.shape}")
        for state in states:
            if state is not None and key in state and state[key].shape != W.shape:
                raise ValueError(
                    f"params[{key!r}] has shape {W.shape} but the optimizer's state for it has "
                    f"shape {state[key].shape}; use a new optimizer for a new model")
        if not (np.issubdtype(g.dtype, np.floating) or np.issubdtype(g.dtype, np.integer)):
            raise TypeError(f"grads[{key!r}] must hold real numbers, got an array of {g.dtype}")
        arrays[key] = g
    return arrays


def _update(optimizer, params, grads, *states, step=None):
    """Take one step of ``optimizer`` on every key; return its state dicts, updated.

    ``step(W, g, *state, scratch)`` (by default the optimizer's ``_step``) runs once every input is
    checked: the gradients are checked and the steps taken in one pass over the keys, on all cores
    (see :func:`mlbasics._blocks.checked_blockwise`). If anything is wrong, it raises before a
    single array is written, and the state dicts given (None before the first update) are unchanged.
    """
    grads = _checked(optimizer, params, grads, *states)
    states = [_zeros_for(params, state) for state in states]
    keys = list(params)
    groups = [(params[key], grads[key], *(state[key] for state in states)) for key in keys]
    bad = _blocks.checked_blockwise(step or optimizer._step, groups, check=1)
    if bad is not None:
        raise ValueError(f"grads[{keys[bad]!r}] contains inf or nan")
    return states


def _zeros_for(params, state):
    """Return a copy of ``state`` (None before the first update) with a zero entry for every key."""
    state = {} if state is None else dict(state)
    for key, W in params.items():
        if key not in state:
            state[key] = np.zeros_like(W)
    return state
