"""Plausible wrong answers for 04-momentum: `make mutants ASSIGNMENT=04-momentum` grades each one.

``MUTANTS[grade_id]`` lists wrong implementations of the solution cell ``grade_id``. Each entry's
``source`` replaces the whole cell; ``hint`` is a phrase the test cell's failure message must
contain (None when the mistake has no specific hint). Every mutant must lose points for its own
exercise and leave the other exercises at full marks.
"""

_MOMENTUM_INIT = '''
class Momentum:
    step = staticmethod(momentum_step)

    def __init__(self, lr=0.01, momentum=0.9):
        if not lr > 0:
            raise ValueError(f"lr must be > 0, got {lr}")
        if not 0 <= momentum < 1:
            raise ValueError(f"momentum must be in [0, 1), got {momentum}")
        self.lr, self.momentum, self.v = lr, momentum, None
'''


def _momentum(update):
    """A Momentum class with the right constructor and the given update method."""
    return _MOMENTUM_INIT + "\n" + update


MUTANTS = {
    "momentum_step": [
        dict(
            name="adds lr * g to the velocity (wrong sign)",
            hint="velocity points uphill",
            source='''
def momentum_step(w, v, g, lr, momentum):
    v_new = momentum * v + lr * g
    w_new = w + v_new
    return w_new, v_new
''',
        ),
        dict(
            name="subtracts the velocity from w",
            hint="w moved uphill",
            source='''
def momentum_step(w, v, g, lr, momentum):
    v_new = momentum * v - lr * g
    w_new = w - v_new
    return w_new, v_new
''',
        ),
        dict(
            name="moves w by the old velocity",
            hint="old velocity",
            source='''
def momentum_step(w, v, g, lr, momentum):
    w_new = w + v
    v_new = momentum * v - lr * g
    return w_new, v_new
''',
        ),
        dict(
            name="averaging convention: a (1 - momentum) factor on the gradient",
            hint="averaging convention",
            source='''
def momentum_step(w, v, g, lr, momentum):
    v_new = momentum * v - (1 - momentum) * lr * g
    w_new = w + v_new
    return w_new, v_new
''',
        ),
        dict(
            name="lr and momentum swapped",
            hint="swapped",
            source='''
def momentum_step(w, v, g, lr, momentum):
    v_new = lr * v - momentum * g
    return w + v_new, v_new
''',
        ),
        dict(
            name="state and aliasing: changes the caller's arrays in place",
            hint="changed the caller's",
            source='''
def momentum_step(w, v, g, lr, momentum):
    v *= momentum
    v -= lr * g
    w += v
    return w, v
''',
        ),
        dict(
            name="integer inputs: in-place add on a copy of an integer w",
            hint="integer array",
            source='''
def momentum_step(w, v, g, lr, momentum):
    v_new = momentum * v - lr * g
    w_new = w.copy()
    w_new += v_new
    return w_new, v_new
''',
        ),
        dict(
            name="integer inputs: result written into an array of w's dtype (truncated)",
            hint="whole numbers only",
            source='''
def momentum_step(w, v, g, lr, momentum):
    v_new = momentum * v - lr * g
    w_new = np.empty_like(w)
    w_new[...] = w + v_new
    return w_new, v_new
''',
        ),
        dict(
            name="calls the reference optimizer",
            hint="reference implementation",
            source='''
def momentum_step(w, v, g, lr, momentum):
    from mlbasics.optim import Momentum
    opt = Momentum(lr=lr, momentum=momentum)
    opt.v = {"w": np.array(v, dtype=float)}
    params = {"w": np.array(w, dtype=float)}
    opt.update(params, {"w": g})
    return params["w"], opt.v["w"]
''',
        ),
    ],
    "Momentum": [
        dict(
            name="state: velocity reset at every update",
            hint="does not carry over",
            source=_momentum('''
    def update(self, params, grads):
        self.v = {key: np.zeros_like(W) for key, W in params.items()}
        for key, W in params.items():
            W[...], self.v[key] = self.step(W, self.v[key], grads[key], self.lr, self.momentum)
'''),
        ),
        dict(
            name="state: the new velocity is never stored",
            hint="does not carry over",
            source=_momentum('''
    def update(self, params, grads):
        if self.v is None:
            self.v = {key: np.zeros_like(W) for key, W in params.items()}
        for key, W in params.items():
            W[...], _ = self.step(W, self.v[key], grads[key], self.lr, self.momentum)
'''),
        ),
        dict(
            name="state: one velocity shared by all keys",
            hint="share one velocity",
            source=_momentum('''
    def update(self, params, grads):
        if self.v is None:
            self.v = 0.0
        for key, W in params.items():
            W[...], self.v = self.step(W, self.v, grads[key], self.lr, self.momentum)
'''),
        ),
        dict(
            name="state: the learning rate is read once, in __init__",
            hint="current self.lr",
            source='''
class Momentum:
    step = staticmethod(momentum_step)

    def __init__(self, lr=0.01, momentum=0.9):
        if not lr > 0:
            raise ValueError(f"lr must be > 0, got {lr}")
        if not 0 <= momentum < 1:
            raise ValueError(f"momentum must be in [0, 1), got {momentum}")
        self.lr, self.momentum, self.v = lr, momentum, None
        self._lr = lr

    def update(self, params, grads):
        if self.v is None:
            self.v = {key: np.zeros_like(W) for key, W in params.items()}
        for key, W in params.items():
            W[...], self.v[key] = self.step(W, self.v[key], grads[key], self._lr, self.momentum)
''',
        ),
        dict(
            name="aliasing: puts new arrays into params instead of updating in place",
            hint="put new arrays into params",
            source=_momentum('''
    def update(self, params, grads):
        if self.v is None:
            self.v = {key: np.zeros_like(W) for key, W in params.items()}
        for key in params:
            params[key], self.v[key] = self.step(params[key], self.v[key], grads[key], self.lr, self.momentum)
'''),
        ),
        dict(
            name="aliasing: rebinds the loop variable, params never change",
            hint="only rebinds the name",
            source=_momentum('''
    def update(self, params, grads):
        if self.v is None:
            self.v = {key: np.zeros_like(W) for key, W in params.items()}
        for key, W in params.items():
            W, self.v[key] = self.step(W, self.v[key], grads[key], self.lr, self.momentum)
'''),
        ),
        dict(
            name="aliasing: velocities made from a shallow copy of params, zeroing the caller's arrays",
            hint="share memory",
            source=_momentum('''
    def update(self, params, grads):
        if self.v is None:
            self.v = params.copy()
            for v in self.v.values():
                v.fill(0.0)
        for key, W in params.items():
            W[...], self.v[key] = self.step(W, self.v[key], grads[key], self.lr, self.momentum)
'''),
        ),
        dict(
            name="no hyperparameter checks",
            hint="should raise ValueError",
            source='''
class Momentum:
    step = staticmethod(momentum_step)

    def __init__(self, lr=0.01, momentum=0.9):
        self.lr, self.momentum, self.v = lr, momentum, None

    def update(self, params, grads):
        if self.v is None:
            self.v = {key: np.zeros_like(W) for key, W in params.items()}
        for key, W in params.items():
            W[...], self.v[key] = self.step(W, self.v[key], grads[key], self.lr, self.momentum)
''',
        ),
        dict(
            name="accepts momentum = 1",
            hint="never damped",
            source='''
class Momentum:
    step = staticmethod(momentum_step)

    def __init__(self, lr=0.01, momentum=0.9):
        if not lr > 0:
            raise ValueError(f"lr must be > 0, got {lr}")
        if not 0 <= momentum <= 1:
            raise ValueError(f"momentum must be in [0, 1], got {momentum}")
        self.lr, self.momentum, self.v = lr, momentum, None

    def update(self, params, grads):
        if self.v is None:
            self.v = {key: np.zeros_like(W) for key, W in params.items()}
        for key, W in params.items():
            W[...], self.v[key] = self.step(W, self.v[key], grads[key], self.lr, self.momentum)
''',
        ),
        dict(
            name="subclasses the reference optimizer",
            hint="reference implementation",
            source='''
from mlbasics.optim import Momentum as _Base

class Momentum(_Base):
    step = staticmethod(momentum_step)

    def __init__(self, lr=0.01, momentum=0.9):
        super().__init__(lr=lr, momentum=momentum)
''',
        ),
    ],
    "largest_stable_lr": [
        dict(
            name="gradient descent's limit, 2 / c",
            hint="gradient descent's limit",
            source='''
def largest_stable_lr(curvature, momentum):
    return 2 / curvature
''',
        ),
        dict(
            name="scaled by the steady-state step: 2 (1 - momentum) / c",
            hint="scaled the limit by (1 - momentum)",
            source='''
def largest_stable_lr(curvature, momentum):
    return 2 * (1 - momentum) / curvature
''',
        ),
        dict(
            name="divided by (1 - momentum): 2 / (c (1 - momentum))",
            hint="divided the limit by (1 - momentum)",
            source='''
def largest_stable_lr(curvature, momentum):
    return 2 / (curvature * (1 - momentum))
''',
        ),
        dict(
            name="half the limit: (1 + momentum) / c",
            hint="half the right one",
            source='''
def largest_stable_lr(curvature, momentum):
    return (1 + momentum) / curvature
''',
        ),
        dict(
            name="integer inputs: floor division",
            hint="rounded to a whole number",
            source='''
def largest_stable_lr(curvature, momentum):
    return 2 * (1 + momentum) // curvature
''',
        ),
        dict(
            name="found numerically, but only to 2 digits",
            hint=None,
            source='''
def largest_stable_lr(curvature, momentum):
    lo, hi = 0.0, 10.0 / curvature
    for _ in range(7):
        mid = (lo + hi) / 2
        M = np.array([[1 - mid * curvature, momentum], [-mid * curvature, momentum]])
        lo, hi = (mid, hi) if np.abs(np.linalg.eigvals(M)).max() < 1 else (lo, mid)
    return lo
''',
        ),
    ],
    "nesterov_step": [
        dict(
            name="plain momentum",
            hint="this is plain momentum",
            source='''
def nesterov_step(w, v, g, lr, momentum):
    v_new = momentum * v - lr * g
    return w + v_new, v_new
''',
        ),
        dict(
            name="look-ahead from the old velocity (identical to plain momentum)",
            hint="this is plain momentum",
            source='''
def nesterov_step(w, v, g, lr, momentum):
    v_new = momentum * v - lr * g
    w_new = w + momentum * v - lr * g
    return w_new, v_new
''',
        ),
        dict(
            name="treats the look-ahead point as W, then adds the look-ahead",
            hint="as if w were W",
            source='''
def nesterov_step(w, v, g, lr, momentum):
    v_new = momentum * v - lr * g
    w_new = w + v_new + momentum * v_new
    return w_new, v_new
''',
        ),
        dict(
            name="next look-ahead with the old velocity",
            hint="look-ahead uses the old velocity",
            source='''
def nesterov_step(w, v, g, lr, momentum):
    v_new = momentum * v - lr * g
    return w + v_new + momentum * v, v_new
''',
        ),
        dict(
            name="the textbook's listing: momentum**2 on the new velocity",
            hint="textbook's listing",
            source='''
def nesterov_step(w, v, g, lr, momentum):
    v_new = momentum * v - lr * g
    w_new = w + momentum * momentum * v_new - (1 + momentum) * lr * g
    return w_new, v_new
''',
        ),
        dict(
            name="returns W_new instead of the look-ahead point",
            hint="point behind the look-ahead",
            source='''
def nesterov_step(w, v, g, lr, momentum):
    v_new = momentum * v - lr * g
    return w - momentum * v + v_new, v_new
''',
        ),
        dict(
            name="state and aliasing: changes the caller's arrays in place",
            hint="changed the caller's",
            source='''
def nesterov_step(w, v, g, lr, momentum):
    v *= momentum
    v -= lr * g
    w += momentum * v - lr * g
    return w, v
''',
        ),
        dict(
            name="integer inputs: result written into an array of w's dtype (truncated)",
            hint="whole numbers only",
            source='''
def nesterov_step(w, v, g, lr, momentum):
    v_new = momentum * v - lr * g
    w_new = np.zeros_like(w)
    w_new[...] = w + momentum * v_new - lr * g
    return w_new, v_new
''',
        ),
    ],
}
