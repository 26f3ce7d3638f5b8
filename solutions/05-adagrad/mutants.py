"""Plausible wrong answers for 05-adagrad: `make mutants ASSIGNMENT=05-adagrad` grades each one.

``MUTANTS[grade_id]`` lists wrong implementations of the solution cell ``grade_id``. Each entry's
``source`` replaces the whole cell; ``hint`` is a phrase the test cell's failure message must
contain (None when the mistake has no specific hint). Every mutant must lose points for its own
exercise and leave the other exercises at full marks.
"""

_INIT = '''
class AdaGrad:
    step = staticmethod(adagrad_step)

    def __init__(self, lr=0.01, eps=1e-10):
        if not lr > 0:
            raise ValueError(f"lr must be > 0, got {lr}")
        if not eps >= 0:
            raise ValueError(f"eps must be >= 0, got {eps}")
        self.lr, self.eps, self.h = lr, eps, None
'''

_UPDATE = '''
    def update(self, params, grads):
        if self.h is None:
            self.h = {key: np.zeros_like(W) for key, W in params.items()}
        for key, W in params.items():
            W[...], self.h[key] = self.step(W, self.h[key], grads[key], self.lr, self.eps)
'''


def _adagrad(update):
    """An AdaGrad class with the right constructor and the given update method."""
    return _INIT + "\n" + update


MUTANTS = {
    "adagrad_step": [
        dict(
            name="eps inside the square root",
            hint="eps belongs outside the square root",
            source='''
def adagrad_step(w, h, g, lr, eps=1e-10):
    h_new = h + g * g
    return w - lr * g / np.sqrt(h_new + eps), h_new
''',
        ),
        dict(
            name="square root missing",
            hint="square root is missing",
            source='''
def adagrad_step(w, h, g, lr, eps=1e-10):
    h_new = h + g * g
    return w - lr * g / (h_new + eps), h_new
''',
        ),
        dict(
            name="divides by the old h",
            hint="divided by the old h",
            source='''
def adagrad_step(w, h, g, lr, eps=1e-10):
    w_new = w - lr * g / (np.sqrt(h) + eps)
    return w_new, h + g * g
''',
        ),
        dict(
            name="accumulates |g| instead of g * g",
            hint="absolute value",
            source='''
def adagrad_step(w, h, g, lr, eps=1e-10):
    h_new = h + np.abs(g)
    return w - lr * g / (np.sqrt(h_new) + eps), h_new
''',
        ),
        dict(
            name="w moves uphill",
            hint="w moved uphill",
            source='''
def adagrad_step(w, h, g, lr, eps=1e-10):
    h_new = h + g * g
    return w + lr * g / (np.sqrt(h_new) + eps), h_new
''',
        ),
        dict(
            name="state and aliasing: changes the caller's arrays in place",
            hint="changed the caller's",
            source='''
def adagrad_step(w, h, g, lr, eps=1e-10):
    h += g * g
    w -= lr * g / (np.sqrt(h) + eps)
    return w, h
''',
        ),
        dict(
            name="integer inputs: in-place subtraction on a copy of an integer w",
            hint="integer array",
            source='''
def adagrad_step(w, h, g, lr, eps=1e-10):
    h_new = h + g * g
    w_new = w.copy()
    w_new -= lr * g / (np.sqrt(h_new) + eps)
    return w_new, h_new
''',
        ),
        dict(
            name="integer inputs: result written into an array of w's dtype (truncated)",
            hint="whole numbers only",
            source='''
def adagrad_step(w, h, g, lr, eps=1e-10):
    h_new = h + g * g
    w_new = np.zeros_like(w)
    w_new[...] = w - lr * g / (np.sqrt(h_new) + eps)
    return w_new, h_new
''',
        ),
        dict(
            name="calls the reference optimizer",
            hint="reference implementation",
            source='''
def adagrad_step(w, h, g, lr, eps=1e-10):
    from mlbasics.optim import AdaGrad
    opt = AdaGrad(lr=lr, eps=eps)
    opt.h = {"w": np.array(h, dtype=float)}
    params = {"w": np.array(w, dtype=float)}
    opt.update(params, {"w": g})
    return params["w"], opt.h["w"]
''',
        ),
    ],
    "effective_learning_rates": [
        dict(
            name="average of squared gradients instead of the sum",
            hint="not their average",
            source='''
def effective_learning_rates(grads, lr, eps=1e-10):
    grads = np.asarray(grads, dtype=np.float64)
    counts = np.arange(1, len(grads) + 1).reshape((-1,) + (1,) * (grads.ndim - 1))
    return lr / (np.sqrt(np.cumsum(grads ** 2, axis=0) / counts) + eps)
''',
        ),
        dict(
            name="counter off by one: the rate before adding the current gradient",
            hint="one update late",
            source='''
def effective_learning_rates(grads, lr, eps=1e-10):
    grads = np.asarray(grads, dtype=np.float64)
    h = np.cumsum(grads ** 2, axis=0) - grads ** 2
    return lr / (np.sqrt(h) + eps)
''',
        ),
        dict(
            name="counter off by one: the rate of the next update",
            hint="one update early",
            source='''
def effective_learning_rates(grads, lr, eps=1e-10):
    grads = np.asarray(grads, dtype=np.float64)
    h = np.cumsum(grads ** 2, axis=0)
    h = np.concatenate([h[1:], h[-1:]], axis=0)
    return lr / (np.sqrt(h) + eps)
''',
        ),
        dict(
            name="eps inside the square root",
            hint="eps belongs outside the square root",
            source='''
def effective_learning_rates(grads, lr, eps=1e-10):
    grads = np.asarray(grads, dtype=np.float64)
    return lr / np.sqrt(np.cumsum(grads ** 2, axis=0) + eps)
''',
        ),
        dict(
            name="reduction over the wrong axis: across parameters instead of over time",
            hint="accumulate over time",
            source='''
def effective_learning_rates(grads, lr, eps=1e-10):
    grads = np.asarray(grads, dtype=np.float64)
    return lr / (np.sqrt(np.cumsum(grads ** 2, axis=-1)) + eps)
''',
        ),
        dict(
            name="reduction over the whole time axis: the final sum for every update",
            hint="every row holds the final rate",
            source='''
def effective_learning_rates(grads, lr, eps=1e-10):
    grads = np.asarray(grads, dtype=np.float64)
    h = np.sum(grads ** 2, axis=0, keepdims=True) + 0 * grads
    return lr / (np.sqrt(h) + eps)
''',
        ),
        dict(
            name="reduction over the whole array: cumsum without an axis",
            hint="shape",
            source='''
def effective_learning_rates(grads, lr, eps=1e-10):
    grads = np.asarray(grads, dtype=np.float64)
    return lr / (np.sqrt(np.cumsum(grads ** 2)) + eps)
''',
        ),
        dict(
            name="aliasing: squares the caller's grads in place",
            hint="changed the grads it was given",
            source='''
def effective_learning_rates(grads, lr, eps=1e-10):
    grads **= 2
    np.cumsum(grads, axis=0, out=grads)
    return lr / (np.sqrt(grads) + eps)
''',
        ),
        dict(
            name="square root missing",
            hint="square root is missing",
            source='''
def effective_learning_rates(grads, lr, eps=1e-10):
    grads = np.asarray(grads, dtype=np.float64)
    return lr / (np.cumsum(grads ** 2, axis=0) + eps)
''',
        ),
    ],
    "AdaGrad": [
        dict(
            name="state: h reset at every update",
            hint="does not carry over",
            source=_adagrad('''
    def update(self, params, grads):
        self.h = {key: np.zeros_like(W) for key, W in params.items()}
        for key, W in params.items():
            W[...], self.h[key] = self.step(W, self.h[key], grads[key], self.lr, self.eps)
'''),
        ),
        dict(
            name="state: the new sum is never stored",
            hint="does not carry over",
            source=_adagrad('''
    def update(self, params, grads):
        if self.h is None:
            self.h = {key: np.zeros_like(W) for key, W in params.items()}
        for key, W in params.items():
            W[...], _ = self.step(W, self.h[key], grads[key], self.lr, self.eps)
'''),
        ),
        dict(
            name="state: one h shared by all keys",
            hint="share one h",
            source=_adagrad('''
    def update(self, params, grads):
        if self.h is None:
            self.h = 0.0
        for key, W in params.items():
            W[...], self.h = self.step(W, self.h, grads[key], self.lr, self.eps)
'''),
        ),
        dict(
            name="state: the learning rate is fixed at its first value",
            hint="current self.lr",
            source=_adagrad('''
    def update(self, params, grads):
        if self.h is None:
            self.h = {key: np.zeros_like(W) for key, W in params.items()}
            self._lr = self.lr
        for key, W in params.items():
            W[...], self.h[key] = self.step(W, self.h[key], grads[key], self._lr, self.eps)
'''),
        ),
        dict(
            name="inlines the formula instead of calling self.step",
            hint="must call self.step",
            source=_adagrad('''
    def update(self, params, grads):
        if self.h is None:
            self.h = {key: np.zeros_like(W) for key, W in params.items()}
        for key, W in params.items():
            self.h[key] += grads[key] * grads[key]
            W -= self.lr * grads[key] / (np.sqrt(self.h[key]) + self.eps)
'''),
        ),
        dict(
            name="aliasing: puts new arrays into params instead of updating in place",
            hint="put new arrays into params",
            source=_adagrad('''
    def update(self, params, grads):
        if self.h is None:
            self.h = {key: np.zeros_like(W) for key, W in params.items()}
        for key in params:
            params[key], self.h[key] = self.step(params[key], self.h[key], grads[key], self.lr, self.eps)
'''),
        ),
        dict(
            name="aliasing: rebinds the loop variable, params never change",
            hint="only rebinds the name",
            source=_adagrad('''
    def update(self, params, grads):
        if self.h is None:
            self.h = {key: np.zeros_like(W) for key, W in params.items()}
        for key, W in params.items():
            W, self.h[key] = self.step(W, self.h[key], grads[key], self.lr, self.eps)
'''),
        ),
        dict(
            name="aliasing: sums made from a shallow copy of params, zeroing the caller's arrays",
            hint="share memory",
            source=_adagrad('''
    def update(self, params, grads):
        if self.h is None:
            self.h = dict(params)
            for h in self.h.values():
                h[...] = 0.0
        for key, W in params.items():
            W[...], self.h[key] = self.step(W, self.h[key], grads[key], self.lr, self.eps)
'''),
        ),
        dict(
            name="no hyperparameter checks",
            hint="should raise ValueError",
            source='''
class AdaGrad:
    step = staticmethod(adagrad_step)

    def __init__(self, lr=0.01, eps=1e-10):
        self.lr, self.eps, self.h = lr, eps, None
''' + _UPDATE,
        ),
        dict(
            name="rejects eps = 0",
            hint="eps = 0 is allowed",
            source='''
class AdaGrad:
    step = staticmethod(adagrad_step)

    def __init__(self, lr=0.01, eps=1e-10):
        if not lr > 0:
            raise ValueError(f"lr must be > 0, got {lr}")
        if not eps > 0:
            raise ValueError(f"eps must be > 0, got {eps}")
        self.lr, self.eps, self.h = lr, eps, None
''' + _UPDATE,
        ),
        dict(
            name="subclasses the reference optimizer",
            hint="reference implementation",
            source='''
from mlbasics.optim import AdaGrad as _Base

class AdaGrad(_Base):
    step = staticmethod(adagrad_step)
''',
        ),
    ],
    "adagrad_distance": [
        dict(
            name="proportional to the size of g",
            hint="does not depend on the size of g",
            source='''
def adagrad_distance(g, lr, T):
    return float(abs(g) * lr * np.sum(1 / np.sqrt(np.arange(1, T + 1))))
''',
        ),
        dict(
            name="steps that do not shrink: lr * T",
            hint="do not shrink",
            source='''
def adagrad_distance(g, lr, T):
    return float(lr * T)
''',
        ),
        dict(
            name="counter off by one: T - 1 steps",
            hint="one update too few",
            source='''
def adagrad_distance(g, lr, T):
    return float(lr * np.sum(1 / np.sqrt(np.arange(1, T))))
''',
        ),
        dict(
            name="counter off by one: T + 1 steps",
            hint="one update too many",
            source='''
def adagrad_distance(g, lr, T):
    return float(lr * np.sum(1 / np.sqrt(np.arange(1, T + 2))))
''',
        ),
        dict(
            name="the integral's approximation 2 lr sqrt(T)",
            hint="smooth approximation",
            source='''
def adagrad_distance(g, lr, T):
    return float(2 * lr * np.sqrt(T))
''',
        ),
        dict(
            name="signed: moves with the sign of -g",
            hint="never negative",
            source='''
def adagrad_distance(g, lr, T):
    return float(-np.sign(g) * lr * np.sum(1 / np.sqrt(np.arange(1, T + 1))))
''',
        ),
        dict(
            name="simulated with a float32 running sum of 1/sqrt(t) (loses digits)",
            hint=None,
            source='''
def adagrad_distance(g, lr, T):
    total = np.float32(0.0)
    for t in range(1, T + 1):
        total += np.float32(1.0) / np.sqrt(np.float32(t)) + np.float32(1e-4)
    return float(lr * total)
''',
        ),
    ],
}
