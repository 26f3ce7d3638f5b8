"""Optimizers (SGD, Momentum, Nesterov, AdaGrad, RMSprop, Adam) and a learning-rate schedule hook.

Every rule is written once, as a step function on one array that returns new arrays and leaves its
inputs alone (:func:`sgd_step`, :func:`momentum_step`, :func:`nesterov_step`,
:func:`adagrad_step`, :func:`rmsprop_step`, :func:`adam_step`): after one call that checks its
arguments, its body is the rule of its docstring, line for line, in the notation of the notebooks::

    v_new = momentum * v - lr * g
    w_new = w + v_new

Every optimizer class has the textbook interface: it is constructed with its hyperparameters, and
``update(params, grads)`` changes the arrays in ``params`` **in place** by calling its step
function on every key. ``params`` and ``grads`` are dicts with the same keys and same-shaped float
arrays; the optimizer keeps one state entry per key (``v``, ``h``, ``m``), created on the first
update. Default hyperparameters are those of ``torch.optim`` (but Momentum and Nesterov default to
``momentum=0.9``, where ``torch.optim.SGD`` has 0), and with matching hyperparameters the updates
reproduce ``torch.optim`` to float64 round-off. float32 parameters stay float32, and so does their
state.

>>> import numpy as np
>>> params = {"W": np.array([1.0, -2.0])}
>>> opt = Momentum(lr=0.1, momentum=0.9)
>>> opt.update(params, {"W": np.array([0.5, 0.5])})
>>> params["W"]
array([ 0.95, -2.05])

``lr`` is a plain attribute, so a schedule can change it between updates; :class:`LRScheduler`
does that for any optimizer, with the schedules of :mod:`mlbasics.descent`.

Every update is checked before anything is touched: the keys, shapes and types of ``params``,
``grads`` and the state, the hyperparameters, and every gradient, which must be finite once cast
to its parameter's dtype. If ``update`` raises, neither ``params`` nor the optimizer's state has
changed.

This module is written to be read next to the notebooks, not to be fast: each step makes a few
temporary arrays, which costs nothing at the course's sizes (a few thousand parameters).
:mod:`mlbasics.fast` has the same optimizers for arrays of millions of parameters, checked against
these by the tests.
"""

import numpy as np

from mlbasics._checks import count, fraction, nonnegative, positive

__all__ = ["SGD", "Momentum", "Nesterov", "AdaGrad", "RMSprop", "Adam", "LRScheduler", "OPTIMIZERS",
           "sgd_step", "momentum_step", "nesterov_step", "adagrad_step", "rmsprop_step", "adam_step",
           "effective_learning_rates", "ema"]


# --- one step of one array ------------------------------------------------------------------------
# Each function checks its arguments (_checked_step: hyperparameters in range, arrays of w's shape,
# a finite gradient, all as arrays of w's float dtype), then applies its rule and returns the new
# arrays. The notebooks introduce every rule in this form before its optimizer class.

def sgd_step(w, g, lr):
    """One gradient-descent step of one array: ``w_new``, inputs unchanged.

    Parameters
    ----------
    w, g : array_like, same shape
        Parameters and the gradient at ``w``.
    lr : float
        Learning rate, > 0.

    Returns
    -------
    w_new : ndarray
        ``w - lr * g``, in ``w``'s float dtype (float64 for integer input).
    """
    w, g = _checked_step(w, g, lr=lr)
    w_new = w - lr * g
    return w_new


def momentum_step(w, v, g, lr, momentum):
    """One momentum step of one array: ``(w_new, v_new)``, inputs unchanged.

    Parameters
    ----------
    w, v, g : array_like, same shape
        Parameters, velocity (zeros before the first step) and the gradient at ``w``.
    lr : float
        Learning rate, > 0.
    momentum : float
        Fraction of the velocity kept, in [0, 1).

    Returns
    -------
    w_new, v_new : ndarray
        In ``w``'s float dtype::

            v_new = momentum * v - lr * g
            w_new = w + v_new
    """
    w, g, v = _checked_step(w, g, v=v, lr=lr, momentum=momentum)
    v_new = momentum * v - lr * g
    w_new = w + v_new
    return w_new, v_new


def nesterov_step(w, v, g, lr, momentum):
    """One Nesterov step of one array, in the look-ahead form: ``(w_new, v_new)``, inputs unchanged.

    Parameters
    ----------
    w, v, g : array_like, same shape
        Parameters (the look-ahead point), velocity (zeros before the first step) and the gradient
        at ``w``.
    lr : float
        Learning rate, > 0.
    momentum : float
        Fraction of the velocity kept, in [0, 1).

    Returns
    -------
    w_new, v_new : ndarray
        In ``w``'s float dtype::

            v_new = momentum * v - lr * g
            w_new = w + momentum * v_new - lr * g

    See :class:`Nesterov` for where this form comes from.
    """
    w, g, v = _checked_step(w, g, v=v, lr=lr, momentum=momentum)
    v_new = momentum * v - lr * g
    w_new = w + momentum * v_new - lr * g
    return w_new, v_new


def adagrad_step(w, h, g, lr, eps=1e-10):
    """One AdaGrad step of one array: ``(w_new, h_new)``, inputs unchanged.

    Parameters
    ----------
    w, h, g : array_like, same shape
        Parameters, sum of squared gradients so far (zeros before the first step) and the gradient
        at ``w``.
    lr : float
        Learning rate, > 0.
    eps : float, default 1e-10
        Added to ``sqrt(h_new)`` to avoid dividing by zero, >= 0.

    Returns
    -------
    w_new, h_new : ndarray
        In ``w``'s float dtype::

            h_new = h + g * g
            w_new = w - lr * g / (sqrt(h_new) + eps)
    """
    w, g, h = _checked_step(w, g, h=h, lr=lr, eps=eps)
    h_new = h + g * g
    w_new = w - lr * g / (np.sqrt(h_new) + eps)
    return w_new, h_new


def rmsprop_step(w, h, g, lr, rho, eps=1e-8):
    """One RMSprop step of one array: ``(w_new, h_new)``, inputs unchanged.

    Parameters
    ----------
    w, h, g : array_like, same shape
        Parameters, moving average of squared gradients so far (zeros before the first step) and
        the gradient at ``w``.
    lr : float
        Learning rate, > 0.
    rho : float
        Decay of the moving average, in [0, 1).
    eps : float, default 1e-8
        Added to ``sqrt(h_new)`` to avoid dividing by zero, >= 0.

    Returns
    -------
    w_new, h_new : ndarray
        In ``w``'s float dtype::

            h_new = rho * h + (1 - rho) * g * g
            w_new = w - lr * g / (sqrt(h_new) + eps)
    """
    w, g, h = _checked_step(w, g, h=h, lr=lr, rho=rho, eps=eps)
    h_new = rho * h + (1 - rho) * g * g
    w_new = w - lr * g / (np.sqrt(h_new) + eps)
    return w_new, h_new


def adam_step(w, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    """One Adam step of one array: ``(w_new, m_new, v_new)``, inputs unchanged.

    Parameters
    ----------
    w, g, m, v : array_like, same shape
        Parameters, the gradient at ``w``, and the moving averages of the gradient and of its
        square after ``t - 1`` steps (zeros before the first step).
    t : int
        Number of this step, counting from 1.
    lr, beta1, beta2, eps : float
        As in :class:`Adam` (the defaults of ``torch.optim.Adam``).

    Returns
    -------
    w_new, m_new, v_new : ndarray
        In ``w``'s float dtype; the averages are returned raw, not bias-corrected::

            m_new = beta1 * m + (1 - beta1) * g
            v_new = beta2 * v + (1 - beta2) * g * g
            m_hat = m_new / (1 - beta1**t)
            v_hat = v_new / (1 - beta2**t)
            w_new = w - lr * m_hat / (sqrt(v_hat) + eps)
    """
    w, g, m, v = _checked_step(w, g, m=m, v=v, t=t, lr=lr, beta1=beta1, beta2=beta2, eps=eps)
    m_new = beta1 * m + (1 - beta1) * g
    v_new = beta2 * v + (1 - beta2) * g * g
    m_hat = m_new / (1 - beta1 ** t)
    v_hat = v_new / (1 - beta2 ** t)
    w_new = w - lr * m_hat / (np.sqrt(v_hat) + eps)
    return w_new, m_new, v_new


# --- optimizers: update(params, grads) calls the step function on every key --------------------

class SGD:
    """Stochastic gradient descent.

    Parameters
    ----------
    lr : float, default 1e-3
        Learning rate, > 0 (``torch.optim.SGD``'s default).

    Notes
    -----
    ``update`` checks every key, then calls :func:`sgd_step` on each.

    One update, for every key (``W = params[key]``, ``g = grads[key]``)::

        W = W - lr * g

    References
    ----------
    .. [1] H. Robbins and S. Monro, "A stochastic approximation method", Ann. Math. Statist. 22,
       1951.
    """

    def __init__(self, lr=1e-3):
        self.lr = positive("lr", lr)

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
            If a hyperparameter is out of range (``lr`` may have been changed since
            construction), if the keys or shapes of ``params`` and ``grads`` differ, or if a
            gradient holds inf or nan. Nothing has changed then.
        TypeError
            If a parameter is not a writable NumPy float array, or a gradient not real numbers.
        """
        grads = _checked(self, params, grads)
        for key, W in params.items():
            W[...] = sgd_step(W, grads[key], self.lr)  # W[...] = writes into the caller's array


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
    ``update`` checks every key, then calls :func:`momentum_step` on each.

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
        self.lr = positive("lr", lr)
        self.momentum = fraction("momentum", momentum)
        self.v = None  # velocity per key: the decaying sum of past steps

    def update(self, params, grads):
        """Take one step on every array in ``params``, in place (see :meth:`SGD.update`)."""
        grads = _checked(self, params, grads, self.v)
        self.v = _with_zeros(self.v, params)
        for key, W in params.items():
            W[...], self.v[key] = momentum_step(W, self.v[key], grads[key], self.lr, self.momentum)


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
    ``update`` checks every key, then calls :func:`nesterov_step` on each.

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
        self.lr = positive("lr", lr)
        self.momentum = fraction("momentum", momentum)
        self.v = None  # velocity per key: the decaying sum of past steps

    def update(self, params, grads):
        """Take one step on every array in ``params``, in place (see :meth:`SGD.update`)."""
        grads = _checked(self, params, grads, self.v)
        self.v = _with_zeros(self.v, params)
        for key, W in params.items():
            W[...], self.v[key] = nesterov_step(W, self.v[key], grads[key], self.lr, self.momentum)


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
    ``update`` checks every key, then calls :func:`adagrad_step` on each.

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
        self.lr = positive("lr", lr)
        self.eps = nonnegative("eps", eps)
        self.h = None  # running sum of squared gradients per key

    def update(self, params, grads):
        """Take one step on every array in ``params``, in place (see :meth:`SGD.update`)."""
        grads = _checked(self, params, grads, self.h)
        self.h = _with_zeros(self.h, params)
        for key, W in params.items():
            W[...], self.h[key] = adagrad_step(W, self.h[key], grads[key], self.lr, self.eps)


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
    ``update`` checks every key, then calls :func:`rmsprop_step` on each.

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
        self.lr = positive("lr", lr)
        self.rho = fraction("rho", rho)
        self.eps = nonnegative("eps", eps)
        self.h = None  # moving average of squared gradients per key

    def update(self, params, grads):
        """Take one step on every array in ``params``, in place (see :meth:`SGD.update`)."""
        grads = _checked(self, params, grads, self.h)
        self.h = _with_zeros(self.h, params)
        for key, W in params.items():
            W[...], self.h[key] = rmsprop_step(W, self.h[key], grads[key], self.lr, self.rho, self.eps)


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
    ``update`` checks every key, then calls :func:`adam_step` on each.

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
        self.lr = positive("lr", lr)
        self.beta1 = fraction("beta1", beta1)
        self.beta2 = fraction("beta2", beta2)
        self.eps = nonnegative("eps", eps)
        self.m = None  # moving average of gradients per key
        self.v = None  # moving average of squared gradients per key
        self.t = 0  # number of updates taken, for the bias correction

    def update(self, params, grads):
        """Take one step on every array in ``params``, in place (see :meth:`SGD.update`)."""
        grads = _checked(self, params, grads, self.m, self.v)
        self.m, self.v = _with_zeros(self.m, params), _with_zeros(self.v, params)
        self.t += 1
        for key, W in params.items():
            W[...], self.m[key], self.v[key] = adam_step(W, grads[key], self.m[key], self.v[key], self.t,
                                                         self.lr, self.beta1, self.beta2, self.eps)


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
            lr = positive("lr", lr)
        except (TypeError, ValueError):
            message = f"schedule({self.t}) must return a finite lr > 0, got {lr!r}"
            raise ValueError(message) from None
        self.optimizer.lr = lr
        self.t += 1
        return lr


# --- AdaGrad's rates and RMSprop's average over a whole sequence ---------------------------------

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
    lr, eps = positive("lr", lr), nonnegative("eps", eps)
    g = np.asarray(grads, dtype=np.float64)
    h = np.cumsum(g * g, axis=0)  # h[t] = g[0]**2 + ... + g[t]**2
    return lr / (np.sqrt(h) + eps)


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
    rho = fraction("rho", rho)
    values = np.asarray(values, dtype=np.float64)
    out = np.empty_like(values)
    h = np.zeros(values.shape[1:])
    for t, value in enumerate(values):
        h = rho * h + (1 - rho) * value
        out[t] = h
    return out


# --- checks ----------------------------------------------------------------------------------

_HYPERPARAMETERS = {"lr": positive, "momentum": fraction, "rho": fraction, "beta1": fraction,
                    "beta2": fraction, "eps": nonnegative, "t": lambda name, t: count(name, t, minimum=1)}


def _checked_step(w, g, **named):
    """Check one step's arguments; return ``w``, ``g`` and the state arrays among ``named``, in
    order, as arrays of ``w``'s float dtype (float64 for integer input).

    ``named`` holds the state arrays (which must have ``w``'s shape) and the hyperparameters, told
    apart by name: ``lr``, ``momentum``, ``rho``, ``beta1``, ``beta2``, ``eps`` and ``t`` are
    checked as in the optimizers' docstrings.
    """
    w = np.asarray(w)
    w = w.astype(w.dtype if np.issubdtype(w.dtype, np.floating) else np.float64, copy=False)
    states = []
    for name, value in named.items():
        if name in _HYPERPARAMETERS:
            _HYPERPARAMETERS[name](name, value)
            continue
        state = np.asarray(value, dtype=w.dtype)
        if state.shape != w.shape:
            raise ValueError(f"{name} has shape {state.shape} but w has shape {w.shape}")
        states.append(state)
    return (w, _checked_gradient("g", g, w, "w"), *states)


def _checked_gradient(name, g, W, W_name, finite=True):
    """``g`` as a finite array of ``W``'s shape and dtype (``name`` and ``W_name`` for the errors)."""
    g = np.asarray(g)
    if g.shape != W.shape:
        raise ValueError(f"{name} has shape {g.shape} but {W_name} has shape {W.shape}")
    if not (np.issubdtype(g.dtype, np.floating) or np.issubdtype(g.dtype, np.integer)):
        raise TypeError(f"{name} must hold real numbers, got an array of {g.dtype}")
    if np.issubdtype(W.dtype, np.floating):
        with np.errstate(over="ignore"):  # too large for float32: inf, refused below
            g = g.astype(W.dtype, copy=False)
    if finite and not np.isfinite(g).all():
        raise ValueError(f"{name} contains inf or nan")
    return g


def _checked(optimizer, params, grads, *states, finite=True):
    """Check one update's inputs before anything changes; return the gradients as a dict of finite
    arrays of the parameters' dtypes.

    ``states`` are the optimizer's state dicts (None before the first update), whose arrays must
    have their parameters' shapes. ``finite=False`` leaves out the check that every gradient is
    finite (:mod:`mlbasics.fast` makes it on all cores).
    """
    for name, value in vars(optimizer).items():  # lr may have been changed since construction
        if name in _HYPERPARAMETERS and name != "t":
            _HYPERPARAMETERS[name](name, value)
    missing, extra = params.keys() - grads.keys(), grads.keys() - params.keys()
    if missing or extra:
        raise ValueError(f"params and grads must have the same keys: missing from grads "
                         f"{sorted(missing, key=str)}, not in params {sorted(extra, key=str)}")
    checked = {}
    for key, W in params.items():
        if not isinstance(W, np.ndarray) or not np.issubdtype(W.dtype, np.floating):
            got = f"an array of {W.dtype}" if isinstance(W, np.ndarray) else type(W).__name__
            raise TypeError(
                f"params[{key!r}] must be a NumPy float array (it is changed in place), got {got}")
        if not W.flags.writeable:
            raise TypeError(f"params[{key!r}] is read-only, so it cannot be changed in place")
        for state in states:
            if state is not None and key in state and np.shape(state[key]) != W.shape:
                raise ValueError(
                    f"params[{key!r}] has shape {W.shape} but the optimizer's state for it has "
                    f"shape {np.shape(state[key])}; use a new optimizer for a new model")
        checked[key] = _checked_gradient(f"grads[{key!r}]", grads[key], W, f"params[{key!r}]", finite)
    return checked


def _with_zeros(state, params):
    """A copy of the state dict ``state`` (None before the first update) with a zero array for every
    key of ``params`` that it lacks."""
    state = {} if state is None else dict(state)
    for key, W in params.items():
        if key not in state:
            state[key] = np.zeros_like(W)
    return state
