"""Plausible wrong answers for 05-adagrad: `make mutants ASSIGNMENT=05-adagrad` grades each one.

``MUTANTS[grade_id]`` lists wrong implementations of the solution cell ``grade_id``. Each entry's
``source`` replaces the whole cell; ``hint`` is a phrase the test cell's failure message must
contain (None when the mistake has no specific hint). Every mutant must lose points for its own
exercise and leave the other exercises at full marks.
"""

_INIT = '''
    def __init__(self, lr=0.01, eps=1e-10):
        if not lr > 0:
            raise ValueError(f"lr must be > 0, got {lr}")
        if not eps >= 0:
            raise ValueError(f"eps must be >= 0, got {eps}")
        self.lr, self.eps, self.h = lr, eps, None
'''

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
            name="changes its inputs in place",
            hint="in place",
            source='''
def adagrad_step(w, h, g, lr, eps=1e-10):
    h += g * g
    w -= lr * g / (np.sqrt(h) + eps)
    return w, h
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
            name="rate before adding the current gradient (off by one)",
            hint="the rate update t uses",
            source='''
def effective_learning_rates(grads, lr, eps=1e-10):
    grads = np.asarray(grads, dtype=np.float64)
    h = np.cumsum(grads ** 2, axis=0) - grads ** 2
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
            name="sums across parameters instead of over time",
            hint="accumulate over time",
            source='''
def effective_learning_rates(grads, lr, eps=1e-10):
    grads = np.asarray(grads, dtype=np.float64)
    return lr / (np.sqrt(np.cumsum(grads ** 2, axis=-1)) + eps)
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
            name="h reset at every update",
            hint="not reset",
            source='''
class AdaGrad:''' + _INIT + '''
    def update(self, params, grads):
        self.h = {key: np.zeros_like(W) for key, W in params.items()}
        for key, W in params.items():
            self.h[key] += grads[key] * grads[key]
            W -= self.lr * grads[key] / (np.sqrt(self.h[key]) + self.eps)
''',
        ),
        dict(
            name="running average instead of the sum",
            hint="not averaged",
            source='''
class AdaGrad:''' + _INIT + '''
    def update(self, params, grads):
        if self.h is None:
            self.h = {key: np.zeros_like(W) for key, W in params.items()}
            self.t = 0
        self.t += 1
        for key, W in params.items():
            self.h[key] = (self.h[key] * (self.t - 1) + grads[key] ** 2) / self.t
            W -= self.lr * grads[key] / (np.sqrt(self.h[key]) + self.eps)
''',
        ),
        dict(
            name="one h shared by all keys",
            hint="share one h",
            source='''
class AdaGrad:''' + _INIT + '''
    def update(self, params, grads):
        if self.h is None:
            self.h = 0.0
        for key, W in params.items():
            self.h = self.h + grads[key] ** 2
            W -= self.lr * grads[key] / (np.sqrt(self.h) + self.eps)
''',
        ),
        dict(
            name="eps inside the square root",
            hint="eps belongs outside the square root",
            source='''
class AdaGrad:''' + _INIT + '''
    def update(self, params, grads):
        if self.h is None:
            self.h = {key: np.zeros_like(W) for key, W in params.items()}
        for key, W in params.items():
            self.h[key] += grads[key] * grads[key]
            W -= self.lr * grads[key] / np.sqrt(self.h[key] + self.eps)
''',
        ),
        dict(
            name="puts new arrays into params instead of updating in place",
            hint="in place",
            source='''
class AdaGrad:''' + _INIT + '''
    def update(self, params, grads):
        if self.h is None:
            self.h = {key: np.zeros_like(W) for key, W in params.items()}
        for key in params:
            self.h[key] = self.h[key] + grads[key] ** 2
            params[key] = params[key] - self.lr * grads[key] / (np.sqrt(self.h[key]) + self.eps)
''',
        ),
        dict(
            name="no hyperparameter checks",
            hint="should raise ValueError",
            source='''
class AdaGrad:
    def __init__(self, lr=0.01, eps=1e-10):
        self.lr, self.eps, self.h = lr, eps, None

    def update(self, params, grads):
        if self.h is None:
            self.h = {key: np.zeros_like(W) for key, W in params.items()}
        for key, W in params.items():
            self.h[key] += grads[key] * grads[key]
            W -= self.lr * grads[key] / (np.sqrt(self.h[key]) + self.eps)
''',
        ),
        dict(
            name="rejects eps = 0",
            hint="eps = 0 is allowed",
            source='''
class AdaGrad:
    def __init__(self, lr=0.01, eps=1e-10):
        if not lr > 0:
            raise ValueError(f"lr must be > 0, got {lr}")
        if not eps > 0:
            raise ValueError(f"eps must be > 0, got {eps}")
        self.lr, self.eps, self.h = lr, eps, None

    def update(self, params, grads):
        if self.h is None:
            self.h = {key: np.zeros_like(W) for key, W in params.items()}
        for key, W in params.items():
            self.h[key] += grads[key] * grads[key]
            W -= self.lr * grads[key] / (np.sqrt(self.h[key]) + self.eps)
''',
        ),
        dict(
            name="subclasses the reference optimizer",
            hint="reference implementation",
            source='''
from mlbasics.optim import AdaGrad as _Base

class AdaGrad(_Base):
    pass
''',
        ),
    ],
}
