"""Time mlbasics.optim and mlbasics.activations, their fast versions (mlbasics.fast), and torch / scipy.

Run from the repository root:  .venv/bin/python bench/bench_optim.py  [--size N] [--rounds R]

For each optimizer: the median time of one ``update`` on 10 million parameters (three arrays in a
dict), in float32 and float64, for the readable reference (mlbasics.optim), the blocked,
multi-threaded mlbasics.fast.optim, the textbook's NumPy version (written out below), and
torch.optim when torch is importable: its default (on CPU, the for-loop implementation) and
``foreach=True``. Then sigmoid and softmax on a 1,000,000 x 10 array: the reference, the fast
versions, the textbook's one-liners and scipy.special.

For SGD the script also times one read of every gradient, which is what checking them for inf and
nan before any write costs, and prints torch's update plus that read against torch's update alone.

The implementations take turns, one call each, round after round, and each ratio is the median
over rounds of the two times measured in the same round, so that a busy machine slows both sides
alike. torch's OpenMP threads would otherwise spin for a while after each torch call and take CPU
time from whatever is measured next, so OMP_WAIT_POLICY defaults to PASSIVE here.
"""

import argparse
import os
import platform
import time

import numpy as np

from mlbasics import activations, optim
from mlbasics.fast import _blocks
from mlbasics.fast import activations as fast_activations
from mlbasics.fast import optim as fast_optim

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # read when torch loads its OpenMP runtime
try:
    import torch
except ImportError:
    torch = None

try:
    from scipy import special
except ImportError:
    special = None

# --- the textbook's optimizers, as the obvious NumPy code (K. Saito, common/optimizer.py) --------

class BookSGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for key in params.keys():
            params[key] -= self.lr * grads[key]


class BookMomentum:
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr, self.momentum, self.v = lr, momentum, None

    def update(self, params, grads):
        if self.v is None:
            self.v = {key: np.zeros_like(val) for key, val in params.items()}
        for key in params.keys():
            self.v[key] = self.momentum * self.v[key] - self.lr * grads[key]
            params[key] += self.v[key]


class BookNesterov:  # the textbook's listing (a slightly different rule; same amount of work)
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr, self.momentum, self.v = lr, momentum, None

    def update(self, params, grads):
        if self.v is None:
            self.v = {key: np.zeros_like(val) for key, val in params.items()}
        for key in params.keys():
            self.v[key] *= self.momentum
            self.v[key] -= self.lr * grads[key]
            params[key] += self.momentum * self.momentum * self.v[key]
            params[key] -= (1 + self.momentum) * self.lr * grads[key]


class BookAdaGrad:
    def __init__(self, lr=0.01):
        self.lr, self.h = lr, None

    def update(self, params, grads):
        if self.h is None:
            self.h = {key: np.zeros_like(val) for key, val in params.items()}
        for key in params.keys():
            self.h[key] += grads[key] * grads[key]
            params[key] -= self.lr * grads[key] / (np.sqrt(self.h[key]) + 1e-7)


class BookRMSprop:
    def __init__(self, lr=0.01, decay_rate=0.99):
        self.lr, self.decay_rate, self.h = lr, decay_rate, None

    def update(self, params, grads):
        if self.h is None:
            self.h = {key: np.zeros_like(val) for key, val in params.items()}
        for key in params.keys():
            self.h[key] *= self.decay_rate
            self.h[key] += (1 - self.decay_rate) * grads[key] * grads[key]
            params[key] -= self.lr * grads[key] / (np.sqrt(self.h[key]) + 1e-7)


class BookAdam:
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999):
        self.lr, self.beta1, self.beta2, self.iter, self.m, self.v = lr, beta1, beta2, 0, None, None

    def update(self, params, grads):
        if self.m is None:
            self.m = {key: np.zeros_like(val) for key, val in params.items()}
            self.v = {key: np.zeros_like(val) for key, val in params.items()}
        self.iter += 1
        lr_t = self.lr * np.sqrt(1.0 - self.beta2**self.iter) / (1.0 - self.beta1**self.iter)
        for key in params.keys():
            self.m[key] += (1 - self.beta1) * (grads[key] - self.m[key])
            self.v[key] += (1 - self.beta2) * (grads[key] ** 2 - self.v[key])
            params[key] -= lr_t * self.m[key] / (np.sqrt(self.v[key]) + 1e-7)


BOOK = {"sgd": BookSGD, "momentum": BookMomentum, "nesterov": BookNesterov,
        "adagrad": BookAdaGrad, "rmsprop": BookRMSprop, "adam": BookAdam}


def torch_optimizer(name, tensors, foreach):
    if name == "sgd":
        return torch.optim.SGD(tensors, lr=1e-3, foreach=foreach)
    if name in ("momentum", "nesterov"):
        return torch.optim.SGD(tensors, lr=1e-3, momentum=0.9, nesterov=name == "nesterov",
                               foreach=foreach)
    return {"adagrad": torch.optim.Adagrad, "rmsprop": torch.optim.RMSprop,
            "adam": torch.optim.Adam}[name](tensors, foreach=foreach)


# --- timing --------------------------------------------------------------------------------------

def race(steps, rounds):
    """Time ``steps`` (label -> callable) taking turns; return label -> list of seconds."""
    for step in steps.values():
        step()  # warm-up: creates state, wakes threads
    times = {label: [] for label in steps}
    for _ in range(rounds):
        for label, step in steps.items():
            start = time.perf_counter()
            step()
            times[label].append(time.perf_counter() - start)
    return times


def summary(times, base):
    """Median ms per label, and the median ratio base/label over the rounds."""
    ms = {label: 1e3 * float(np.median(t)) for label, t in times.items()}
    ratios = {label: float(np.median(np.divide(times[base], t))) for label, t in times.items()}
    return ms, ratios


def bench_optimizers(size, dtype, rounds):
    rng = np.random.default_rng(0)
    # a weight-like matrix, a second slightly smaller one and a bias-like rest: `size` in all
    cols = size // 2 // 2000
    shapes = [(2000, cols), (2000, cols - 1), (size - 2000 * (2 * cols - 1),)]
    params = {f"W{i}": rng.standard_normal(s).astype(dtype) for i, s in enumerate(shapes)}
    grads = {key: rng.standard_normal(W.shape).astype(dtype) for key, W in params.items()}
    rows = {}
    for name in optim.OPTIMIZERS:
        steps = {}
        ref, ref_params = optim.OPTIMIZERS[name](), {k: W.copy() for k, W in params.items()}
        steps["reference"] = lambda: ref.update(ref_params, grads)
        fast, fast_params = fast_optim.OPTIMIZERS[name](), {k: W.copy() for k, W in params.items()}
        steps["fast"] = lambda: fast.update(fast_params, grads)
        book, book_params = BOOK[name](), {k: W.copy() for k, W in params.items()}
        steps["textbook"] = lambda: book.update(book_params, grads)
        if torch is not None:
            for label, foreach in (("torch", None), ("foreach", True)):
                tensors = [torch.tensor(W, requires_grad=True) for W in params.values()]
                for tensor, g in zip(tensors, grads.values()):
                    tensor.grad = torch.tensor(g)
                steps[label] = torch_optimizer(name, tensors, foreach).step
        if name == "sgd":  # one read of every gradient: what checking them first costs
            steps["read"] = lambda: _blocks.checked_blockwise(
                None, [(g,) for g in grads.values()], check=0)
        times = race(steps, rounds)
        rows[name] = summary(times, "fast")
        if "read" in times and "torch" in times:  # torch's update plus that read, against torch
            rows[name][1]["bound"] = float(np.median(
                np.add(times["torch"], times["read"]) / np.array(times["torch"])))
        del steps, ref, fast, book, ref_params, fast_params, book_params
    return rows


def bench_activations(dtype, rounds):
    z = np.random.default_rng(1).standard_normal((1_000_000, 10)).astype(dtype)

    def book_softmax(a):
        a = a - np.max(a, axis=-1, keepdims=True)  # subtract the max to avoid overflow
        return np.exp(a) / np.sum(np.exp(a), axis=-1, keepdims=True)

    candidates = {
        "sigmoid": {"fast": lambda: fast_activations.sigmoid(z),
                    "reference": lambda: activations.sigmoid(z),
                    "textbook": lambda: 1 / (1 + np.exp(-z))},
        "softmax": {"fast": lambda: fast_activations.softmax(z, axis=-1),
                    "reference": lambda: activations.softmax(z, axis=-1),
                    "textbook": lambda: book_softmax(z)},
    }
    if special is not None:
        candidates["sigmoid"]["scipy"] = lambda: special.expit(z)
        candidates["softmax"]["scipy"] = lambda: special.softmax(z, axis=-1)
    rows = {}
    with np.errstate(over="ignore"):  # the textbook's sigmoid may overflow for large -z
        for name, impls in candidates.items():
            rows[name] = summary(race(impls, rounds), "fast")
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000_000, help="parameters per optimizer")
    parser.add_argument("--rounds", type=int, default=11, help="timed calls of each implementation")
    args = parser.parse_args()
    if args.size < 10_000:
        parser.error(f"--size must be at least 10000, got {args.size}")

    coretype = os.environ.get("OPENBLAS_CORETYPE")
    print(f"numpy {np.__version__}, python {platform.python_version()}, {os.cpu_count()} CPUs, "
          f"mlbasics.fast threads: {_blocks.THREADS}, load average: {os.getloadavg()[0]:.1f}, "
          f"OMP_WAIT_POLICY={os.environ['OMP_WAIT_POLICY']}"
          + (f", OPENBLAS_CORETYPE={coretype}" if coretype else ""))
    if torch is None:
        print("torch: not installed")
    else:
        print(f"torch {torch.__version__} ({torch.get_num_threads()} threads)")
    print()
    print(f"optimizer update, {args.size:,} parameters in 3 arrays: median ms of {args.rounds} "
          "updates; 'fast' is mlbasics.fast.optim, 'reference' mlbasics.optim; ratios are medians of "
          "same-round ratios of fast's time to the other's (< 1: fast is faster)")
    header = (f"{'dtype':8} {'optimizer':9} {'fast':>7} {'reference':>9} {'textbook':>9} {'torch':>7}"
              f" {'foreach':>8} {'fast/ref':>9} {'fast/textbook':>14} {'fast/torch':>11} {'fast/foreach':>13}")
    print(header)
    print("-" * len(header))
    bounds = []
    for dtype in (np.float32, np.float64):
        for name, (ms, ratios) in bench_optimizers(args.size, dtype, args.rounds).items():
            nan = float("nan")
            print(f"{np.dtype(dtype).name:8} {name:9} {ms['fast']:7.1f} {ms['reference']:9.1f} "
                  f"{ms['textbook']:9.1f} {ms.get('torch', nan):7.1f} {ms.get('foreach', nan):8.1f} "
                  f"{ratios['reference']:9.2f} {ratios['textbook']:14.2f} {ratios.get('torch', nan):11.2f} "
                  f"{ratios.get('foreach', nan):13.2f}")
            if "bound" in ratios:
                bounds.append(f"{np.dtype(dtype).name} {ratios['bound']:.2f}x (fast "
                              f"{ratios['torch']:.2f}x; one read alone {ms['read']:.1f} ms)")
    if bounds:
        print("fast sgd checks every gradient for inf and nan before it writes any parameter, so it reads"
              " the gradients twice;\ntorch's update plus one read of the gradients, against torch's"
              " update: " + ", ".join(bounds))
    print()

    print(f"activations on a 1,000,000 x 10 array: median ms of {args.rounds} calls; ratios are "
          f"fast's time to the other's (< 1: fast is faster){'' if special else '; scipy not installed'}")
    header = (f"{'dtype':8} {'function':9} {'fast':>7} {'reference':>9} {'textbook':>9} {'scipy':>7}"
              f" {'fast/ref':>9} {'fast/textbook':>14} {'fast/scipy':>11}")
    print(header)
    print("-" * len(header))
    for dtype in (np.float32, np.float64):
        for name, (ms, ratios) in bench_activations(dtype, args.rounds).items():
            nan = float("nan")
            print(f"{np.dtype(dtype).name:8} {name:9} {ms['fast']:7.1f} {ms['reference']:9.1f} "
                  f"{ms['textbook']:9.1f} {ms.get('scipy', nan):7.1f} {ratios['reference']:9.2f} "
                  f"{ratios['textbook']:14.2f} {ratios.get('scipy', nan):11.2f}")


if __name__ == "__main__":
    main()
