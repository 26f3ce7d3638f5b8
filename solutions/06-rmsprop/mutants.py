"""Plausible wrong answers for 06-rmsprop: `make mutants ASSIGNMENT=06-rmsprop` grades each one.

``MUTANTS[grade_id]`` lists wrong implementations of the solution cell ``grade_id``. Each entry's
``source`` replaces the whole cell; ``hint`` is a phrase the test cell's failure message must
contain (None when the mistake has no specific hint). Every mutant must lose points for its own
exercise and leave the other exercises at full marks.
"""

_INIT = '''
    def __init__(self, lr=0.01, rho=0.99, eps=1e-8):
        if not lr > 0:
            raise ValueError(f"lr must be > 0, got {lr}")
        if not 0 <= rho < 1:
            raise ValueError(f"rho must be in [0, 1), got {rho}")
        if not eps >= 0:
            raise ValueError(f"eps must be >= 0, got {eps}")
        self.lr, self.rho, self.eps, self.h = lr, rho, eps, None
'''


def _rmsprop(h_line, w_line="W -= self.lr * g / (np.sqrt(self.h[key]) + self.eps)", init=_INIT):
    return '''
class RMSprop:''' + init + '''
    def update(self, params, grads):
        if self.h is None:
            self.h = {key: np.zeros_like(W) for key, W in params.items()}
        for key, W in params.items():
            g = grads[key]
            ''' + h_line + '''
            ''' + w_line + '''
'''


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
            name="stores the average before the update (off by one)",
            hint="must include values[t]",
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
            name="averages across columns instead of over time",
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
            name="divides by the old h",
            hint="divided by the old h",
            source='''
def rmsprop_step(w, h, g, lr, rho, eps=1e-8):
    w_new = w - lr * g / (np.sqrt(h) + eps)
    return w_new, rho * h + (1 - rho) * g * g
''',
        ),
        dict(
            name="changes its inputs in place",
            hint="in place",
            source='''
def rmsprop_step(w, h, g, lr, rho, eps=1e-8):
    h *= rho
    h += (1 - rho) * g * g
    w -= lr * g / (np.sqrt(h) + eps)
    return w, h
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
            name="AdaGrad's sum instead of the average",
            hint="AdaGrad's sum",
            source=_rmsprop("self.h[key] = self.h[key] + g * g"),
        ),
        dict(
            name="(1 - rho) on the wrong term",
            hint="swapped",
            source=_rmsprop("self.h[key] = (1 - self.rho) * self.h[key] + self.rho * g * g"),
        ),
        dict(
            name="eps inside the square root",
            hint="eps belongs outside the square root",
            source=_rmsprop("self.h[key] = self.rho * self.h[key] + (1 - self.rho) * g * g",
                            "W -= self.lr * g / np.sqrt(self.h[key] + self.eps)"),
        ),
        dict(
            name="average reset at every update",
            hint="starts again from zero",
            source='''
class RMSprop:''' + _INIT + '''
    def update(self, params, grads):
        self.h = {key: np.zeros_like(W) for key, W in params.items()}
        for key, W in params.items():
            g = grads[key]
            self.h[key] = self.rho * self.h[key] + (1 - self.rho) * g * g
            W -= self.lr * g / (np.sqrt(self.h[key]) + self.eps)
''',
        ),
        dict(
            name="one h shared by all keys",
            hint="share one h",
            source='''
class RMSprop:''' + _INIT + '''
    def update(self, params, grads):
        if self.h is None:
            self.h = 0.0
        for key, W in params.items():
            g = grads[key]
            self.h = self.rho * self.h + (1 - self.rho) * g * g
            W -= self.lr * g / (np.sqrt(self.h) + self.eps)
''',
        ),
        dict(
            name="puts new arrays into params instead of updating in place",
            hint="in place",
            source=_rmsprop("self.h[key] = self.rho * self.h[key] + (1 - self.rho) * g * g",
                            "params[key] = W - self.lr * g / (np.sqrt(self.h[key]) + self.eps)"),
        ),
        dict(
            name="accepts rho = 1",
            hint="never takes in a gradient",
            source=_rmsprop("self.h[key] = self.rho * self.h[key] + (1 - self.rho) * g * g", init='''
    def __init__(self, lr=0.01, rho=0.99, eps=1e-8):
        if not lr > 0:
            raise ValueError(f"lr must be > 0, got {lr}")
        if not 0 <= rho <= 1:
            raise ValueError(f"rho must be in [0, 1], got {rho}")
        if not eps >= 0:
            raise ValueError(f"eps must be >= 0, got {eps}")
        self.lr, self.rho, self.eps, self.h = lr, rho, eps, None
'''),
        ),
        dict(
            name="no hyperparameter checks",
            hint="should raise ValueError",
            source=_rmsprop("self.h[key] = self.rho * self.h[key] + (1 - self.rho) * g * g", init='''
    def __init__(self, lr=0.01, rho=0.99, eps=1e-8):
        self.lr, self.rho, self.eps, self.h = lr, rho, eps, None
'''),
        ),
        dict(
            name="subclasses the reference optimizer",
            hint="reference implementation",
            source='''
from mlbasics.optim import RMSprop as _Base

class RMSprop(_Base):
    pass
''',
        ),
    ],
}
