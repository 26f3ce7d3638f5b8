"""Plausible wrong answers for 04-momentum: `make mutants ASSIGNMENT=04-momentum` grades each one.

``MUTANTS[grade_id]`` lists wrong implementations of the solution cell ``grade_id``. Each entry's
``source`` replaces the whole cell; ``hint`` is a phrase the test cell's failure message must
contain (None when the mistake has no specific hint). Every mutant must lose points for its own
exercise and leave the other exercises at full marks.
"""

MUTANTS = {
    "momentum_step": [
        dict(
            name="adds lr * g to the velocity (wrong sign)",
            hint="wrong sign",
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
            name="exponential-average form with a (1 - momentum) factor",
            hint="(1 - momentum)",
            source='''
def momentum_step(w, v, g, lr, momentum):
    v_new = momentum * v - (1 - momentum) * lr * g
    w_new = w + v_new
    return w_new, v_new
''',
        ),
        dict(
            name="changes its inputs in place",
            hint="in place",
            source='''
def momentum_step(w, v, g, lr, momentum):
    v *= momentum
    v -= lr * g
    w += v
    return w, v
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
            name="velocity reset at every update",
            hint="starts again from zero",
            source='''
class Momentum:
    def __init__(self, lr=0.01, momentum=0.9):
        if not lr > 0:
            raise ValueError(f"lr must be > 0, got {lr}")
        if not 0 <= momentum < 1:
            raise ValueError(f"momentum must be in [0, 1), got {momentum}")
        self.lr, self.momentum, self.v = lr, momentum, None

    def update(self, params, grads):
        self.v = {key: np.zeros_like(W) for key, W in params.items()}
        for key, W in params.items():
            self.v[key] = self.momentum * self.v[key] - self.lr * grads[key]
            W += self.v[key]
''',
        ),
        dict(
            name="one velocity shared by all keys",
            hint="share one velocity",
            source='''
class Momentum:
    def __init__(self, lr=0.01, momentum=0.9):
        if not lr > 0:
            raise ValueError(f"lr must be > 0, got {lr}")
        if not 0 <= momentum < 1:
            raise ValueError(f"momentum must be in [0, 1), got {momentum}")
        self.lr, self.momentum, self.v = lr, momentum, None

    def update(self, params, grads):
        if self.v is None:
            self.v = 0.0
        for key, W in params.items():
            self.v = self.momentum * self.v - self.lr * grads[key]
            W += self.v
''',
        ),
        dict(
            name="subtracts the velocity",
            hint="moved uphill",
            source='''
class Momentum:
    def __init__(self, lr=0.01, momentum=0.9):
        if not lr > 0:
            raise ValueError(f"lr must be > 0, got {lr}")
        if not 0 <= momentum < 1:
            raise ValueError(f"momentum must be in [0, 1), got {momentum}")
        self.lr, self.momentum, self.v = lr, momentum, None

    def update(self, params, grads):
        if self.v is None:
            self.v = {key: np.zeros_like(W) for key, W in params.items()}
        for key, W in params.items():
            self.v[key] = self.momentum * self.v[key] - self.lr * grads[key]
            W -= self.v[key]
''',
        ),
        dict(
            name="moves by the old velocity",
            hint="old velocity",
            source='''
class Momentum:
    def __init__(self, lr=0.01, momentum=0.9):
        if not lr > 0:
            raise ValueError(f"lr must be > 0, got {lr}")
        if not 0 <= momentum < 1:
            raise ValueError(f"momentum must be in [0, 1), got {momentum}")
        self.lr, self.momentum, self.v = lr, momentum, None

    def update(self, params, grads):
        if self.v is None:
            self.v = {key: np.zeros_like(W) for key, W in params.items()}
        for key, W in params.items():
            W += self.v[key]
            self.v[key] = self.momentum * self.v[key] - self.lr * grads[key]
''',
        ),
        dict(
            name="puts new arrays into params instead of updating in place",
            hint="in place",
            source='''
class Momentum:
    def __init__(self, lr=0.01, momentum=0.9):
        if not lr > 0:
            raise ValueError(f"lr must be > 0, got {lr}")
        if not 0 <= momentum < 1:
            raise ValueError(f"momentum must be in [0, 1), got {momentum}")
        self.lr, self.momentum, self.v = lr, momentum, None

    def update(self, params, grads):
        if self.v is None:
            self.v = {key: np.zeros_like(W) for key, W in params.items()}
        for key in params:
            self.v[key] = self.momentum * self.v[key] - self.lr * grads[key]
            params[key] = params[key] + self.v[key]
''',
        ),
        dict(
            name="no hyperparameter checks",
            hint="should raise ValueError",
            source='''
class Momentum:
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr, self.momentum, self.v = lr, momentum, None

    def update(self, params, grads):
        if self.v is None:
            self.v = {key: np.zeros_like(W) for key, W in params.items()}
        for key, W in params.items():
            self.v[key] = self.momentum * self.v[key] - self.lr * grads[key]
            W += self.v[key]
''',
        ),
        dict(
            name="accepts momentum = 1",
            hint="never damped",
            source='''
class Momentum:
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
            self.v[key] = self.momentum * self.v[key] - self.lr * grads[key]
            W += self.v[key]
''',
        ),
        dict(
            name="subclasses the reference optimizer",
            hint="reference implementation",
            source='''
from mlbasics.optim import Momentum as _Base

class Momentum(_Base):
    def __init__(self, lr=0.01, momentum=0.9):
        super().__init__(lr=lr, momentum=momentum)
''',
        ),
    ],
    "Nesterov": [
        dict(
            name="plain momentum",
            hint="plain momentum",
            source='''
class Nesterov:
    def __init__(self, lr=0.01, momentum=0.9):
        if not lr > 0:
            raise ValueError(f"lr must be > 0, got {lr}")
        if not 0 <= momentum < 1:
            raise ValueError(f"momentum must be in [0, 1), got {momentum}")
        self.lr, self.momentum, self.v = lr, momentum, None

    def update(self, params, grads):
        if self.v is None:
            self.v = {key: np.zeros_like(W) for key, W in params.items()}
        for key, W in params.items():
            self.v[key] = self.momentum * self.v[key] - self.lr * grads[key]
            W += self.v[key]
''',
        ),
        dict(
            name="the textbook's listing: momentum**2 on the new velocity",
            hint="momentum**2",
            source='''
class Nesterov:
    def __init__(self, lr=0.01, momentum=0.9):
        if not lr > 0:
            raise ValueError(f"lr must be > 0, got {lr}")
        if not 0 <= momentum < 1:
            raise ValueError(f"momentum must be in [0, 1), got {momentum}")
        self.lr, self.momentum, self.v = lr, momentum, None

    def update(self, params, grads):
        if self.v is None:
            self.v = {key: np.zeros_like(W) for key, W in params.items()}
        for key, W in params.items():
            self.v[key] *= self.momentum
            self.v[key] -= self.lr * grads[key]
            W += self.momentum * self.momentum * self.v[key]
            W -= (1 + self.momentum) * self.lr * grads[key]
''',
        ),
        dict(
            name="velocity reset at every update",
            hint="starts again from zero",
            source='''
class Nesterov:
    def __init__(self, lr=0.01, momentum=0.9):
        if not lr > 0:
            raise ValueError(f"lr must be > 0, got {lr}")
        if not 0 <= momentum < 1:
            raise ValueError(f"momentum must be in [0, 1), got {momentum}")
        self.lr, self.momentum, self.v = lr, momentum, None

    def update(self, params, grads):
        self.v = {key: np.zeros_like(W) for key, W in params.items()}
        for key, W in params.items():
            self.v[key] = self.momentum * self.v[key] - self.lr * grads[key]
            W += self.momentum * self.v[key] - self.lr * grads[key]
''',
        ),
        dict(
            name="no hyperparameter checks",
            hint="should raise ValueError",
            source='''
class Nesterov:
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr, self.momentum, self.v = lr, momentum, None

    def update(self, params, grads):
        if self.v is None:
            self.v = {key: np.zeros_like(W) for key, W in params.items()}
        for key, W in params.items():
            self.v[key] = self.momentum * self.v[key] - self.lr * grads[key]
            W += self.momentum * self.v[key] - self.lr * grads[key]
''',
        ),
        dict(
            name="subclasses the reference optimizer",
            hint="reference implementation",
            source='''
from mlbasics.optim import Nesterov as _Base

class Nesterov(_Base):
    def __init__(self, lr=0.01, momentum=0.9):
        super().__init__(lr=lr, momentum=momentum)
''',
        ),
    ],
}
