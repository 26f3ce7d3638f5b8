"""Plausible wrong answers for 06-rmsprop: `make mutants ASSIGNMENT=06-rmsprop` grades each one.

``MUTANTS[grade_id]`` lists wrong implementations of the solution cell ``grade_id``. Each entry's
``source`` replaces the whole cell; ``hint`` is a phrase the test cell's failure message must
contain (None when the mistake has no specific hint). Every mutant must lose points for its own
exercise and leave the other exercises at full marks.
"""

_INIT = '''
class RMSprop:
    step = staticmethod(rmsprop_step)

    def __init__(self, lr=0.01, rho=0.99, eps=1e-8):
        if not lr > 0:
            raise ValueError(f"lr must be > 0, got {lr}")
        if not 0 <= rho < 1:
            raise ValueError(f"rho must be in [0, 1), got {rho}")
        if not eps >= 0:
            raise ValueError(f"eps must be >= 0, got {eps}")
        self.lr, self.rho, self.eps, self.h = lr, rho, eps, None
'''

_UPDATE = '''
    def update(self, params, grads):
        if self.h is None:
            self.h = {key: np.zeros_like(W) for key, W in params.items()}
        for key, W in params.items():
            W[...], self.h[key] = self.step(W, self.h[key], grads[key], self.lr, self.rho, self.eps)
'''


def _rmsprop(update):
    """An RMSprop class with the right constructor and the given update method."""
    return _INIT + "\n" + update


MUTANTS = {
    "ema": [
        dict(
            name="(1 - rho) on the old average",
            hint="swapped",
            source='''
def ema(values, rho):
    values = np.asarray(values, dtype=np.float64)
    out, h = np.empty_like(values), np.zeros_like(values[0])
    for t in range(len(values)):
        h = (1 - rho) * h + rho * values[t]
        out[t] = h
    return out
''',
        ),
        dict(
            name="starts from the first value",
            hint="start from h = 0",
            source='''
def ema(values, rho):
    values = np.asarray(values, dtype=np.float64)
    out, h = np.empty_like(values), values[0].copy()
    out[0] = h
    for t in range(1, len(values)):
        h = rho * h + (1 - rho) * values[t]
        out[t] = h
    return out
''',
        ),
        dict(
            name="no (1 - rho) on the new value",
            hint="weighted by (1 - rho)",
            source='''
def ema(values, rho):
    values = np.asarray(values, dtype=np.float64)
    out, h = np.empty_like(values), np.zeros_like(values[0])
    for t in range(len(values)):
        h = rho * h + values[t]
        out[t] = h
    return out
''',
        ),
        dict(
            name="counter off by one: stores the average before the update",
            hint="one step late",
            source='''
def ema(values, rho):
    values = np.asarray(values, dtype=np.float64)
    out, h = np.empty_like(values), np.zeros_like(values[0])
    for t in range(len(values)):
        out[t] = h
        h = rho * h + (1 - rho) * values[t]
    return out
''',
        ),
        dict(
            name="AdaGrad's running sum",
            hint="running sum",
            source='''
def ema(values, rho):
    return np.cumsum(np.asarray(values, dtype=np.float64), axis=0)
''',
        ),
        dict(
            name="reduction over the wrong axis: one average across the columns",
            hint="average each column over time",
            source='''
def ema(values, rho):
    values = np.asarray(values, dtype=np.float64)
    flat = values.reshape(-1)
    out, h = np.empty_like(flat), 0.0
    for t in range(len(flat)):
        h = rho * h + (1 - rho) * flat[t]
        out[t] = h
    return out.reshape(values.shape)
''',
        ),
        dict(
            name="integer inputs: output array of the input's integer dtype",
            hint="whole numbers only",
            source='''
def ema(values, rho):
    values = np.asarray(values)
    out, h = np.zeros_like(values), 0.0
    for t in range(len(values)):
        h = rho * h + (1 - rho) * values[t]
        out[t] = h
    return out
''',
        ),
        dict(
            name="aliasing: writes the averages into the caller's array",
            hint="changed the values it was given",
            source='''
def ema(values, rho):
    h = np.zeros_like(values[0], dtype=float)
    for t in range(len(values)):
        h = rho * h + (1 - rho) * values[t]
        values[t] = h
    return values
''',
        ),
    ],
    "half_life": [
        dict(
            name="the span of the average, 1 / (1 - rho)",
            hint="span",
            source='''
def half_life(rho):
    return 1 / (1 - rho)
''',
        ),
        dict(
            name="the approximation ln 2 / (1 - rho)",
            hint="approximates the half-life for rho close to 1",
            source='''
def half_life(rho):
    return float(np.log(2) / (1 - rho))
''',
        ),
        dict(
            name="inverted: ln(rho) / ln(0.5)",
            hint="inverted",
            source='''
def half_life(rho):
    return float(np.log(rho) / np.log(0.5))
''',
        ),
        dict(
            name="the new value's weight (1 - rho) in place of rho",
            hint="weight of a new value",
            source='''
def half_life(rho):
    return float(np.log(0.5) / np.log(1 - rho))
''',
        ),
        dict(
            name="counted in whole steps (rounded up)",
            hint="rounded to whole steps",
            source='''
def half_life(rho):
    return float(np.ceil(np.log(0.5) / np.log(rho)))
''',
        ),
        dict(
            name="wrong sign",
            hint="sign is flipped",
            source='''
def half_life(rho):
    return float(np.log(0.5) / -np.log(rho))
''',
        ),
    ],
    "rmsprop_step": [
        dict(
            name="(1 - rho) on the wrong term",
            hint="swapped",
            source='''
def rmsprop_step(w, h, g, lr, rho, eps=1e-8):
    h_new = (1 - rho) * h + rho * g * g
    return w - lr * g / (np.sqrt(h_new) + eps), h_new
''',
        ),
        dict(
            name="AdaGrad's sum",
            hint="AdaGrad's sum",
            source='''
def rmsprop_step(w, h, g, lr, rho, eps=1e-8):
    h_new = h + g * g
    return w - lr * g / (np.sqrt(h_new) + eps), h_new
''',
        ),
        dict(
            name="decays h but adds the full g * g",
            hint="weighted by (1 - rho)",
            source='''
def rmsprop_step(w, h, g, lr, rho, eps=1e-8):
    h_new = rho * h + g * g
    return w - lr * g / (np.sqrt(h_new) + eps), h_new
''',
        ),
        dict(
            name="eps inside the square root",
            hint="eps belongs outside the square root",
            source='''
def rmsprop_step(w, h, g, lr, rho, eps=1e-8):
    h_new = rho * h + (1 - rho) * g * g
    return w - lr * g / np.sqrt(h_new + eps), h_new
''',
        ),
        dict(
            name="square root missing",
            hint="square root is missing",
            source='''
def rmsprop_step(w, h, g, lr, rho, eps=1e-8):
    h_new = rho * h + (1 - rho) * g * g
    return w - lr * g / (h_new + eps), h_new
''',
        ),
        dict(
            name="divides by the old h",
            hint="divided by the old h",
            source='''
def rmsprop_step(w, h, g, lr, rho, eps=1e-8):
    w_new = w - lr * g / (np.sqrt(h) + eps)
    return w_new, rho * h + (1 - rho) * g * g
''',
        ),
        dict(
            name="state and aliasing: changes the caller's arrays in place",
            hint="changed the caller's",
            source='''
def rmsprop_step(w, h, g, lr, rho, eps=1e-8):
    h *= rho
    h += (1 - rho) * g * g
    w -= lr * g / (np.sqrt(h) + eps)
    return w, h
''',
        ),
        dict(
            name="integer inputs: in-place subtraction on a copy of an integer w",
            hint="integer array",
            source='''
def rmsprop_step(w, h, g, lr, rho, eps=1e-8):
    h_new = rho * h + (1 - rho) * g * g
    w_new = w.copy()
    w_new -= lr * g / (np.sqrt(h_new) + eps)
    return w_new, h_new
''',
        ),
        dict(
            name="integer inputs: result written into an array of w's dtype (truncated)",
            hint="whole numbers only",
            source='''
def rmsprop_step(w, h, g, lr, rho, eps=1e-8):
    h_new = rho * h + (1 - rho) * g * g
    w_new = np.empty_like(w)
    w_new[...] = w - lr * g / (np.sqrt(h_new) + eps)
    return w_new, h_new
''',
        ),
        dict(
            name="calls the reference optimizer",
            hint="reference implementation",
            source='''
def rmsprop_step(w, h, g, lr, rho, eps=1e-8):
    from mlbasics.optim import RMSprop
    opt = RMSprop(lr=lr, rho=rho, eps=eps)
    opt.h = {"w": np.array(h, dtype=float)}
    params = {"w": np.array(w, dtype=float)}
    opt.update(params, {"w": g})
    return params["w"], opt.h["w"]
''',
        ),
    ],
    "RMSprop": [
        dict(
            name="state: average reset at every update",
            hint="does not carry over",
            source=_rmsprop('''
    def update(self, params, grads):
        self.h = {key: np.zeros_like(W) for key, W in params.items()}
        for key, W in params.items():
            W[...], self.h[key] = self.step(W, self.h[key], grads[key], self.lr, self.rho, self.eps)
'''),
        ),
        dict(
            name="state: the new average is never stored",
            hint="does not carry over",
            source=_rmsprop('''
    def update(self, params, grads):
        if self.h is None:
            self.h = {key: np.zeros_like(W) for key, W in params.items()}
        for key, W in params.items():
            W[...], _ = self.step(W, self.h[key], grads[key], self.lr, self.rho, self.eps)
'''),
        ),
        dict(
            name="state: one h shared by all keys",
            hint="share one h",
            source=_rmsprop('''
    def update(self, params, grads):
        if self.h is None:
            self.h = 0.0
        for key, W in params.items():
            W[...], self.h = self.step(W, self.h, grads[key], self.lr, self.rho, self.eps)
'''),
        ),
        dict(
            name="state: the learning rate is fixed at its first value",
            hint="current self.lr",
            source=_rmsprop('''
    def update(self, params, grads):
        if self.h is None:
            self.h = {key: np.zeros_like(W) for key, W in params.items()}
            self._lr = self.lr
        for key, W in params.items():
            W[...], self.h[key] = self.step(W, self.h[key], grads[key], self._lr, self.rho, self.eps)
'''),
        ),
        dict(
            name="inlines the formula instead of calling self.step",
            hint="must call self.step",
            source=_rmsprop('''
    def update(self, params, grads):
        if self.h is None:
            self.h = {key: np.zeros_like(W) for key, W in params.items()}
        for key, W in params.items():
            g = grads[key]
            self.h[key] = self.rho * self.h[key] + (1 - self.rho) * g * g
            W -= self.lr * g / (np.sqrt(self.h[key]) + self.eps)
'''),
        ),
        dict(
            name="aliasing: puts new arrays into params instead of updating in place",
            hint="put new arrays into params",
            source=_rmsprop('''
    def update(self, params, grads):
        if self.h is None:
            self.h = {key: np.zeros_like(W) for key, W in params.items()}
        for key in params:
            params[key], self.h[key] = self.step(params[key], self.h[key], grads[key], self.lr, self.rho, self.eps)
'''),
        ),
        dict(
            name="aliasing: rebinds the loop variable, params never change",
            hint="only rebinds the name",
            source=_rmsprop('''
    def update(self, params, grads):
        if self.h is None:
            self.h = {key: np.zeros_like(W) for key, W in params.items()}
        for key, W in params.items():
            W, self.h[key] = self.step(W, self.h[key], grads[key], self.lr, self.rho, self.eps)
'''),
        ),
        dict(
            name="aliasing: averages made from a shallow copy of params, zeroing the caller's arrays",
            hint="share memory",
            source=_rmsprop('''
    def update(self, params, grads):
        if self.h is None:
            self.h = params.copy()
            for h in self.h.values():
                h *= 0.0
        for key, W in params.items():
            W[...], self.h[key] = self.step(W, self.h[key], grads[key], self.lr, self.rho, self.eps)
'''),
        ),
        dict(
            name="accepts rho = 1",
            hint="never takes in a gradient",
            source='''
class RMSprop:
    step = staticmethod(rmsprop_step)

    def __init__(self, lr=0.01, rho=0.99, eps=1e-8):
        if not lr > 0:
            raise ValueError(f"lr must be > 0, got {lr}")
        if not 0 <= rho <= 1:
            raise ValueError(f"rho must be in [0, 1], got {rho}")
        if not eps >= 0:
            raise ValueError(f"eps must be >= 0, got {eps}")
        self.lr, self.rho, self.eps, self.h = lr, rho, eps, None
''' + _UPDATE,
        ),
        dict(
            name="no hyperparameter checks",
            hint="should raise ValueError",
            source='''
class RMSprop:
    step = staticmethod(rmsprop_step)

    def __init__(self, lr=0.01, rho=0.99, eps=1e-8):
        self.lr, self.rho, self.eps, self.h = lr, rho, eps, None
''' + _UPDATE,
        ),
        dict(
            name="subclasses the reference optimizer",
            hint="reference implementation",
            source='''
from mlbasics.optim import RMSprop as _Base

class RMSprop(_Base):
    step = staticmethod(rmsprop_step)
''',
        ),
    ],
}
