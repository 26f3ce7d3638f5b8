"""Small models with hand-written backpropagation.

Every model keeps no parameters of its own: ``init_params(rng)`` returns a dict of arrays, and
every method takes that dict, so any optimizer from :mod:`mlbasics.optim` can update it in place.

Common interface
----------------
``init_params(rng) -> dict``
    Fresh parameters (``"W"``, ``"b"``; ``"W1"``, ``"b1"``, ... for the MLP).
``forward(params, X)``
    Predictions: values (regression) or probabilities (classification).
``loss(params, X, y) -> float``
    Mean loss over the samples.
``loss_and_grads(params, X, y) -> (float, dict)``
    The loss and its gradient for every parameter, same keys and shapes as ``params``.
``predict(params, X)``
    Values for regression, class labels for classification.

``X`` has shape ``(n, n_features)``. Regression and binary targets ``y`` have shape ``(n,)``;
multi-class targets are integer labels of shape ``(n,)`` (one-hot ``(n, C)`` works too).
"""

import numbers

import numpy as np

from mlbasics._checks import count, generator
from mlbasics.activations import relu, relu_grad, sigmoid, sigmoid_grad, softmax, tanh, tanh_grad
from mlbasics.losses import (
    binary_cross_entropy_with_logits,
    binary_cross_entropy_with_logits_grad,
    cross_entropy_with_logits,
    cross_entropy_with_logits_grad,
    mse,
    mse_grad,
)


def _check_X(X, n_features):
    X = np.asarray(X)
    if X.ndim != 2 or X.shape[1] != n_features:
        raise ValueError(f"X must have shape (n_samples, {n_features}), got shape {X.shape}")
    if not np.issubdtype(X.dtype, np.floating):
        X = X.astype(np.float64)
    return X


def _check_params(params, expected):
    """``expected`` maps each key to its shape."""
    missing = [k for k in expected if k not in params]
    if missing:
        raise ValueError(f"params is missing {missing}; expected keys {list(expected)}")
    for key, shape in expected.items():
        if np.shape(params[key]) != shape:
            raise ValueError(f"params[{key!r}] must have shape {shape}, got {np.shape(params[key])}")


def _check_targets(y, n_samples):
    """Regression or binary targets of shape ``(n,)``, as floats."""
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.shape != (n_samples,):
        raise ValueError(f"y must have shape ({n_samples},) to match X, got shape {y.shape}")
    return y.astype(np.float64)


def _check_labels(y, n_samples, n_classes):
    """Integer labels of shape ``(n,)`` or one-hot rows of shape ``(n, C)``."""
    y = np.asarray(y)
    if y.shape == (n_samples, n_classes):
        return y.astype(np.float64)
    if y.shape != (n_samples,):
        raise ValueError(
            f"y must be integer labels of shape ({n_samples},) or one-hot of shape "
            f"({n_samples}, {n_classes}), got shape {y.shape}"
        )
    if not np.issubdtype(y.dtype, np.integer):
        if not np.all(np.equal(np.mod(y, 1), 0)):
            raise ValueError(f"y must hold integer class labels, got dtype {y.dtype} with fractions")
        y = y.astype(np.int64)
    if y.size and (y.min() < 0 or y.max() >= n_classes):
        raise ValueError(f"labels in y must be in [0, {n_classes}), got values from {y.min()} to {y.max()}")
    return y


def _check_binary(y, n_samples):
    y = _check_targets(y, n_samples)
    if not np.all((y == 0) | (y == 1)):
        raise ValueError(f"y must hold 0/1 labels, got values {np.unique(y)[:10]}")
    return y


class LinearRegression:
    """Linear regression :math:`\\hat y = XW + b` trained on the mean squared error.

    Parameters
    ----------
    n_features : int
        Number of input features ``d``.

    Notes
    -----
    Parameters: ``W`` of shape ``(d, 1)`` and ``b`` of shape ``(1,)``; predictions have shape
    ``(n,)``. With :math:`r = \\hat y - y`,

    .. math:: L = \\frac{1}{n}\\sum_i r_i^2, \\qquad
              \\frac{\\partial L}{\\partial W} = \\frac{2}{n} X^\\top r, \\qquad
              \\frac{\\partial L}{\\partial b} = \\frac{2}{n} \\sum_i r_i.
    """

    def __init__(self, n_features):
        self.n_features = count("n_features", n_features)

    def _shapes(self):
        return {"W": (self.n_features, 1), "b": (1,)}

    def init_params(self, rng=None):
        """Zeros: the loss is convex, so any start reaches the same minimum. ``rng`` is unused."""
        return {key: np.zeros(shape) for key, shape in self._shapes().items()}

    def forward(self, params, X):
        """Predictions, shape ``(n,)``."""
        _check_params(params, self._shapes())
        X = _check_X(X, self.n_features)
        return (X @ params["W"] + params["b"])[:, 0]

    def loss(self, params, X, y):
        """Mean squared error."""
        y_pred = self.forward(params, X)
        return mse(y_pred, _check_targets(y, len(y_pred)))

    def loss_and_grads(self, params, X, y):
        """Mean squared error and its gradients ``{"W": (d, 1), "b": (1,)}``."""
        X = _check_X(X, self.n_features)
        y_pred = self.forward(params, X)
        y = _check_targets(y, len(y_pred))
        dy = mse_grad(y_pred, y)[:, None]  # (n, 1)
        return mse(y_pred, y), {"W": X.T @ dy, "b": dy.sum(axis=0)}

    def predict(self, params, X):
        """Predicted values, shape ``(n,)``."""
        return self.forward(params, X)


class LogisticRegression:
    """Binary logistic regression :math:`p = \\sigma(XW + b)` trained on cross-entropy.

    Parameters
    ----------
    n_features : int
        Number of input features ``d``.

    Notes
    -----
    Parameters: ``W`` of shape ``(d, 1)`` and ``b`` of shape ``(1,)``; labels ``y`` are 0 or 1.
    The loss is computed from the logits :math:`z = XW + b` (log-sum-exp, no overflow):

    .. math:: L = -\\frac{1}{n}\\sum_i y_i \\log p_i + (1 - y_i) \\log(1 - p_i), \\qquad
              \\frac{\\partial L}{\\partial z_i} = \\frac{p_i - y_i}{n},

    so :math:`\\partial L / \\partial W = X^\\top (p - y)/n` and
    :math:`\\partial L / \\partial b = \\sum_i (p_i - y_i)/n`.
    """

    def __init__(self, n_features):
        self.n_features = count("n_features", n_features)

    def _shapes(self):
        return {"W": (self.n_features, 1), "b": (1,)}

    def init_params(self, rng=None):
        """Zeros (every probability starts at 1/2). ``rng`` is unused."""
        return {key: np.zeros(shape) for key, shape in self._shapes().items()}

    def logits(self, params, X):
        """Scores :math:`z = XW + b`, shape ``(n,)``."""
        _check_params(params, self._shapes())
        X = _check_X(X, self.n_features)
        return (X @ params["W"] + params["b"])[:, 0]

    def forward(self, params, X):
        """Probabilities of class 1, shape ``(n,)``."""
        return sigmoid(self.logits(params, X))

    def loss(self, params, X, y):
        """Binary cross-entropy."""
        z = self.logits(params, X)
        return binary_cross_entropy_with_logits(z, _check_binary(y, len(z)))

    def loss_and_grads(self, params, X, y):
        """Binary cross-entropy and its gradients ``{"W": (d, 1), "b": (1,)}``."""
        X = _check_X(X, self.n_features)
        z = self.logits(params, X)
        y = _check_binary(y, len(z))
        dz = binary_cross_entropy_with_logits_grad(z, y)[:, None]  # (n, 1)
        return binary_cross_entropy_with_logits(z, y), {"W": X.T @ dz, "b": dz.sum(axis=0)}

    def predict(self, params, X):
        """Class labels 0/1 (1 where the probability is at least 1/2), shape ``(n,)``."""
        return (self.logits(params, X) >= 0).astype(np.int64)


class SoftmaxRegression:
    """Multi-class (softmax) regression :math:`P = \\mathrm{softmax}(XW + b)`.

    Parameters
    ----------
    n_features : int
        Number of input features ``d``.
    n_classes : int
        Number of classes ``C`` (at least 2).

    Notes
    -----
    Parameters: ``W`` of shape ``(d, C)`` and ``b`` of shape ``(C,)``. With logits
    :math:`Z = XW + b`, one-hot targets :math:`T` and :math:`P = \\mathrm{softmax}(Z)` row-wise,

    .. math:: L = -\\frac{1}{n}\\sum_i \\sum_k T_{ik} \\log P_{ik}, \\qquad
              \\frac{\\partial L}{\\partial Z} = \\frac{P - T}{n},

    so :math:`\\partial L / \\partial W = X^\\top (P - T)/n` and
    :math:`\\partial L / \\partial b = \\sum_i (P_i - T_i)/n`.
    """

    def __init__(self, n_features, n_classes):
        self.n_features = count("n_features", n_features)
        self.n_classes = count("n_classes", n_classes, minimum=2)

    def _shapes(self):
        return {"W": (self.n_features, self.n_classes), "b": (self.n_classes,)}

    def init_params(self, rng=None):
        """Zeros (every class starts equally likely). ``rng`` is unused."""
        return {key: np.zeros(shape) for key, shape in self._shapes().items()}

    def logits(self, params, X):
        """Scores :math:`Z = XW + b`, shape ``(n, C)``."""
        _check_params(params, self._shapes())
        X = _check_X(X, self.n_features)
        return X @ params["W"] + params["b"]

    def forward(self, params, X):
        """Class probabilities, shape ``(n, C)``; each row sums to 1."""
        return softmax(self.logits(params, X), axis=-1)

    def loss(self, params, X, y):
        """Cross-entropy."""
        Z = self.logits(params, X)
        return cross_entropy_with_logits(Z, _check_labels(y, len(Z), self.n_classes))

    def loss_and_grads(self, params, X, y):
        """Cross-entropy and its gradients ``{"W": (d, C), "b": (C,)}``."""
        X = _check_X(X, self.n_features)
        Z = self.logits(params, X)
        y = _check_labels(y, len(Z), self.n_classes)
        dZ = cross_entropy_with_logits_grad(Z, y)
        return cross_entropy_with_logits(Z, y), {"W": X.T @ dZ, "b": dZ.sum(axis=0)}

    def predict(self, params, X):
        """Class labels (the largest score wins), shape ``(n,)``."""
        return np.argmax(self.logits(params, X), axis=1)


_ACTIVATIONS = {
    # name: (function, derivative, default initial weight scale as a function of fan-in)
    "relu": (relu, relu_grad, lambda fan_in: np.sqrt(2.0 / fan_in)),  # He
    "sigmoid": (sigmoid, sigmoid_grad, lambda fan_in: np.sqrt(1.0 / fan_in)),  # Xavier
    "tanh": (tanh, tanh_grad, lambda fan_in: np.sqrt(1.0 / fan_in)),  # Xavier
}
_OUTPUTS = ("softmax", "sigmoid", "linear")


class MLP:
    """A fully connected network trained by backpropagation.

    Parameters
    ----------
    layer_sizes : sequence of int
        ``[d_in, h_1, ..., h_{L-1}, d_out]``: input size, hidden sizes, output size. At least two
        entries (two entries is a network without hidden layers).
    activation : {"relu", "sigmoid", "tanh"}
        Activation of every hidden layer.
    output : {"softmax", "linear", "sigmoid"}
        Output layer and loss: softmax with cross-entropy (``y`` integer labels in
        ``[0, d_out)``, ``d_out >= 2``); linear with mean squared error; sigmoid with binary
        cross-entropy (0/1 targets). With ``d_out == 1`` the linear and sigmoid outputs, and
        ``y``, have shape ``(n,)``; otherwise ``(n, d_out)``.
    weight_scale : {None, "he", "xavier"} or float
        Standard deviation of the initial weights. ``None`` picks by activation: He,
        :math:`\\sqrt{2/\\text{fan\\_in}}`, for ReLU; Xavier, :math:`\\sqrt{1/\\text{fan\\_in}}`,
        for sigmoid and tanh. A number uses that standard deviation in every layer (e.g.
        ``1.0`` or ``0.01``, to show vanishing gradients).

    Notes
    -----
    Parameters ``W1, b1, ..., WL, bL`` with ``Wl`` of shape ``(size[l-1], size[l])``. Forward:

    .. math:: A_0 = X, \\quad Z_l = A_{l-1} W_l + b_l, \\quad A_l = \\phi(Z_l) \\;(l < L),
              \\quad \\text{output} = g(Z_L).

    Backward, starting from :math:`\\delta_L = \\partial L / \\partial Z_L` (which is
    :math:`(\\mathrm{softmax}(Z_L) - Y)/n` for the softmax output; the sigmoid and linear
    outputs average over every output too, giving :math:`(\\sigma(Z_L) - Y)/(n\\,d_{out})` and
    :math:`2(Z_L - Y)/(n\\,d_{out})`):

    .. math:: \\frac{\\partial L}{\\partial W_l} = A_{l-1}^\\top \\delta_l, \\quad
              \\frac{\\partial L}{\\partial b_l} = \\textstyle\\sum_i \\delta_{l,i}, \\quad
              \\delta_{l-1} = (\\delta_l W_l^\\top) \\odot \\phi'(Z_{l-1}).

    Every backward step multiplies by :math:`\\phi'`, at most 1/4 for the sigmoid, so the
    gradients of the first layers can vanish (claim C25): compare ``np.abs(grads[f"W{l}"]).mean()``
    across layers.
    """

    def __init__(self, layer_sizes, activation="relu", output="softmax", weight_scale=None):
        sizes = list(layer_sizes) if np.ndim(layer_sizes) == 1 else None
        if sizes is None or len(sizes) < 2:
            raise ValueError(
                f"layer_sizes must list at least an input and an output size, got {layer_sizes!r}"
            )
        self.layer_sizes = [count("every entry of layer_sizes", s) for s in sizes]
        if activation not in _ACTIVATIONS:
            raise ValueError(f"activation must be one of {list(_ACTIVATIONS)}, got {activation!r}")
        if output not in _OUTPUTS:
            raise ValueError(f"output must be one of {list(_OUTPUTS)}, got {output!r}")
        if output == "softmax" and self.layer_sizes[-1] < 2:
            raise ValueError(f"a softmax output needs at least 2 classes, got layer_sizes {self.layer_sizes}")
        if not (weight_scale is None or weight_scale in ("he", "xavier")
                or (isinstance(weight_scale, numbers.Real) and weight_scale > 0)):
            raise ValueError(
                f"weight_scale must be None, 'he', 'xavier' or a number > 0, got {weight_scale!r}"
            )
        self.activation = activation
        self.output = output
        self.weight_scale = weight_scale

    @property
    def n_layers(self):
        """Number of weight layers ``L``."""
        return len(self.layer_sizes) - 1

    def _shapes(self):
        shapes = {}
        for l, (fan_in, fan_out) in enumerate(zip(self.layer_sizes, self.layer_sizes[1:]), start=1):
            shapes[f"W{l}"] = (fan_in, fan_out)
            shapes[f"b{l}"] = (fan_out,)
        return shapes

    def _std(self, fan_in):
        if self.weight_scale == "he":
            return np.sqrt(2.0 / fan_in)
        if self.weight_scale == "xavier":
            return np.sqrt(1.0 / fan_in)
        if self.weight_scale is None:
            return _ACTIVATIONS[self.activation][2](fan_in)
        return float(self.weight_scale)

    def init_params(self, rng):
        """Gaussian weights with standard deviation from ``weight_scale``, zero biases.

        Parameters
        ----------
        rng : numpy.random.Generator, int or None
            A Generator is used as it is, an integer >= 0 seeds a new one, ``None`` takes a fresh
            ``numpy.random.default_rng()`` (weights differ from call to call).
        """
        rng = generator(rng)
        params = {}
        for key, shape in self._shapes().items():
            if key.startswith("W"):
                params[key] = rng.normal(0.0, self._std(shape[0]), size=shape)
            else:
                params[key] = np.zeros(shape)
        return params

    def _forward(self, params, X):
        """Pre-activations ``Z_1..Z_L`` and layer outputs ``A_0..A_{L-1}``."""
        _check_params(params, self._shapes())
        X = _check_X(X, self.layer_sizes[0])
        phi = _ACTIVATIONS[self.activation][0]
        A, Zs, As = X, [], [X]
        for l in range(1, self.n_layers + 1):
            Z = A @ params[f"W{l}"] + params[f"b{l}"]
            Zs.append(Z)
            if l < self.n_layers:
                A = phi(Z)
                As.append(A)
        return Zs, As

    def _squeeze(self, out):
        return out[:, 0] if self.output != "softmax" and self.layer_sizes[-1] == 1 else out

    def logits(self, params, X):
        """Output-layer pre-activations :math:`Z_L`, shape ``(n, d_out)`` (``(n,)`` if ``d_out`` is 1
        and the output is not softmax)."""
        return self._squeeze(self._forward(params, X)[0][-1])

    def hidden_activations(self, params, X):
        """Outputs of the hidden layers :math:`A_1, \\dots, A_{L-1}`, a list of ``(n, h_l)`` arrays
        (to plot their distributions, e.g. how sigmoid outputs saturate)."""
        return self._forward(params, X)[1][1:]

    def forward(self, params, X):
        """Network output: probabilities (softmax / sigmoid) or values (linear)."""
        Z = self._forward(params, X)[0][-1]
        if self.output == "softmax":
            return softmax(Z, axis=-1)
        if self.output == "sigmoid":
            return self._squeeze(sigmoid(Z))
        return self._squeeze(Z)

    def _targets(self, y, n):
        d_out = self.layer_sizes[-1]
        if self.output == "softmax":
            return _check_labels(y, n, d_out)
        y = np.asarray(y)
        if d_out == 1 and y.shape == (n,):
            y = y[:, None]
        if y.shape != (n, d_out):
            expected = f"({n},)" if d_out == 1 else f"({n}, {d_out})"
            raise ValueError(f"y must have shape {expected} to match X, got shape {y.shape}")
        y = y.astype(np.float64)
        if self.output == "sigmoid" and not np.all((y == 0) | (y == 1)):
            raise ValueError(f"y must hold 0/1 labels for a sigmoid output, got values {np.unique(y)[:10]}")
        return y

    def _loss_from_logits(self, Z, y):
        if self.output == "softmax":
            return cross_entropy_with_logits(Z, y), cross_entropy_with_logits_grad(Z, y)
        if self.output == "sigmoid":
            return binary_cross_entropy_with_logits(Z, y), binary_cross_entropy_with_logits_grad(Z, y)
        return mse(Z, y), mse_grad(Z, y)

    def loss(self, params, X, y):
        """Mean loss over the samples (cross-entropy, or mean squared error for a linear output)."""
        Z = self._forward(params, X)[0][-1]
        return self._loss_from_logits(Z, self._targets(y, len(Z)))[0]

    def loss_and_grads(self, params, X, y):
        """The loss and the gradient of every ``W{l}`` and ``b{l}``, by backpropagation."""
        Zs, As = self._forward(params, X)
        y = self._targets(y, len(Zs[-1]))
        loss, delta = self._loss_from_logits(Zs[-1], y)
        phi_grad = _ACTIVATIONS[self.activation][1]
        grads = {}
        for l in range(self.n_layers, 0, -1):
            grads[f"W{l}"] = As[l - 1].T @ delta
            grads[f"b{l}"] = delta.sum(axis=0)
            if l > 1:
                delta = (delta @ params[f"W{l}"].T) * phi_grad(Zs[l - 2])
        return loss, {key: grads[key] for key in self._shapes()}

    def predict(self, params, X):
        """Class labels (softmax / sigmoid outputs) or values (linear output)."""
        Z = self._forward(params, X)[0][-1]
        if self.output == "softmax":
            return np.argmax(Z, axis=1)
        if self.output == "sigmoid":
            return self._squeeze((Z >= 0).astype(np.int64))
        return self._squeeze(Z)


def collapse_linear(W1, b1, W2, b2):
    """The single linear layer equal to two stacked linear layers (claim C23).

    Parameters
    ----------
    W1 : array_like, shape ``(d0, d1)``
    b1 : array_like, shape ``(d1,)``
    W2 : array_like, shape ``(d1, d2)``
    b2 : array_like, shape ``(d2,)``

    Returns
    -------
    W : ndarray, shape ``(d0, d2)``
    b : ndarray, shape ``(d2,)``

    Notes
    -----
    Layers act on row vectors, as in :class:`MLP`. Without an activation between them,

    .. math:: (x W_1 + b_1) W_2 + b_2 = x (W_1 W_2) + (b_1 W_2 + b_2),

    so depth adds nothing: the stack is one linear map.
    """
    W1, b1, W2, b2 = (np.asarray(a, dtype=np.float64) for a in (W1, b1, W2, b2))
    if W1.ndim != 2 or W2.ndim != 2 or W1.shape[1] != W2.shape[0]:
        raise ValueError(f"W1 and W2 must be matrices with W1.shape[1] == W2.shape[0], got {W1.shape} and {W2.shape}")
    if b1.shape != (W1.shape[1],) or b2.shape != (W2.shape[1],):
        raise ValueError(f"b1 and b2 must have shapes ({W1.shape[1]},) and ({W2.shape[1]},), got {b1.shape} and {b2.shape}")
    return W1 @ W2, b1 @ W2 + b2


def least_squares_line(x, y):
    """The line :math:`\\hat y = w x + b` with the smallest mean squared error on the points ``(x, y)``.

    It is the lowest point of the loss surface :math:`L(w, b)` drawn in notebook 02 (claim C22).

    Parameters
    ----------
    x, y : array_like, shape ``(n,)``
        At least two points, with ``x`` not constant.

    Returns
    -------
    (w, b) : two floats

    Notes
    -----
    Both partial derivatives of :math:`L(w, b) = \\frac1n \\sum_i (w x_i + b - y_i)^2` vanish there:
    :math:`\\partial L / \\partial b = 0` gives :math:`b = \\bar y - w \\bar x`, and then
    :math:`\\partial L / \\partial w = 0` gives

    .. math:: w = \\frac{\\sum_i (x_i - \\bar x)(y_i - \\bar y)}{\\sum_i (x_i - \\bar x)^2}.
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if x.ndim != 1 or x.shape != y.shape or x.size < 2:
        raise ValueError(f"x and y must be 1-d arrays of the same length >= 2, got shapes {x.shape} and {y.shape}")
    dx, dy = x - x.mean(), y - y.mean()
    spread = float(dx @ dx)
    if not spread > 0:
        raise ValueError("x is constant: every line through its mean is as good, there is no single best line")
    w = float(dx @ dy) / spread
    return w, float(y.mean() - w * x.mean())


# --- the capstone's two-layer network, as two functions ----------------------------------------

def _two_layer_params(params, X):
    """``params`` with keys W1, b1, W2, b2 of consistent shapes, and ``X`` of ``(n, d)``."""
    missing = [k for k in ("W1", "b1", "W2", "b2") if k not in params]
    if missing:
        raise ValueError(f"params is missing {missing}; expected keys ['W1', 'b1', 'W2', 'b2']")
    d, h = np.shape(params["W1"]) if np.ndim(params["W1"]) == 2 else (None, None)
    c = np.shape(params["W2"])[1] if np.ndim(params["W2"]) == 2 else None
    if d is None or c is None:
        raise ValueError(f"W1 and W2 must be matrices, got shapes {np.shape(params['W1'])} and {np.shape(params['W2'])}")
    _check_params(params, {"W1": (d, h), "b1": (h,), "W2": (h, c), "b2": (c,)})
    return _check_X(X, d)


def two_layer_forward(params, X):
    """Forward pass of a network with one ReLU hidden layer.

    Parameters
    ----------
    params : dict
        ``W1`` of shape ``(d, h)``, ``b1`` ``(h,)``, ``W2`` ``(h, C)``, ``b2`` ``(C,)``.
    X : array_like, shape ``(n, d)``

    Returns
    -------
    H : ndarray, shape ``(n, h)``
        Hidden activations :math:`H = \\mathrm{ReLU}(X W_1 + b_1)`.
    Z : ndarray, shape ``(n, C)``
        Scores (logits) :math:`Z = H W_2 + b_2`, no activation.

    Notes
    -----
    The same network as ``MLP([d, h, C], activation="relu")``, written out for the capstone.
    """
    X = _two_layer_params(params, X)
    H = relu(X @ params["W1"] + params["b1"])
    return H, H @ params["W2"] + params["b2"]


def two_layer_backward(params, X, y):
    """Mean softmax cross-entropy of :func:`two_layer_forward`'s scores, and its gradients.

    Parameters
    ----------
    params : dict
        As in :func:`two_layer_forward`.
    X : array_like, shape ``(n, d)``
    y : array_like of int, shape ``(n,)``
        Class labels in ``[0, C)``.

    Returns
    -------
    loss : float
    grads : dict
        ``W1``, ``b1``, ``W2``, ``b2``, each of its parameter's shape.

    Notes
    -----
    Backpropagation, from :math:`G_2 = \\partial L / \\partial Z = (\\mathrm{softmax}(Z) - Y)/n`:

    .. math:: \\frac{\\partial L}{\\partial W_2} = H^\\top G_2, \\quad
              \\frac{\\partial L}{\\partial b_2} = \\textstyle\\sum_i G_{2,i}, \\quad
              G_1 = (G_2 W_2^\\top) \\odot [X W_1 + b_1 > 0], \\quad
              \\frac{\\partial L}{\\partial W_1} = X^\\top G_1, \\quad
              \\frac{\\partial L}{\\partial b_1} = \\textstyle\\sum_i G_{1,i}.
    """
    X = _two_layer_params(params, X)
    H, Z = two_layer_forward(params, X)
    y = _check_labels(y, len(Z), Z.shape[1])
    loss, G2 = cross_entropy_with_logits(Z, y), cross_entropy_with_logits_grad(Z, y)
    G1 = (G2 @ params["W2"].T) * relu_grad(X @ params["W1"] + params["b1"])
    return loss, {"W1": X.T @ G1, "b1": G1.sum(axis=0), "W2": H.T @ G2, "b2": G2.sum(axis=0)}
