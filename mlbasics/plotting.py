"""Figures used across the course.

Every function draws on ``ax`` (a new figure when ``ax`` is None), titles and labels it, and
returns the Axes, so that notebooks can put several plots side by side. Nothing calls
``plt.show()``; Jupyter shows the figure at the end of the cell.
"""

import numpy as np

from mlbasics.i18n import _


def _new_axes(ax, **subplot_kw):
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(subplot_kw=subplot_kw or None)
    return ax


def _as_path(path, name="path"):
    path = np.asarray(path, dtype=np.float64)
    if path.ndim != 2 or path.shape[1] != 2 or len(path) == 0:
        raise ValueError(f"{name} must have shape (n_points, 2) with n_points >= 1, got shape {path.shape}")
    return path


def _resolve_surface(surface_or_f, extent):
    """``(f, extent, title)`` from a Surface or a plain ``f(x, y)``."""
    f = getattr(surface_or_f, "f", surface_or_f)
    if not callable(f):
        raise ValueError(f"surface_or_f must be a Surface or a function f(x, y), got {surface_or_f!r}")
    if extent is None:
        extent = getattr(surface_or_f, "extent", None)
    if extent is None:
        raise ValueError("extent (xmin, xmax, ymin, ymax) is required for a plain function")
    name = getattr(f, "__name__", "<lambda>")
    title = getattr(surface_or_f, "formula", None) or (f"{name}(x, y)" if name != "<lambda>" else "f(x, y)")
    return f, extent, title


def plot_contour(surface_or_f, extent=None, ax=None, levels=30, log_levels=False, n=300,
                 cmap="viridis", mark_minima=True, title=None):
    """Contour lines of a function of two variables.

    Parameters
    ----------
    surface_or_f : Surface or callable
        A :class:`mlbasics.surfaces.Surface`, or a vectorised ``f(x, y)``.
    extent : (xmin, xmax, ymin, ymax), optional
        The window; defaults to the surface's own. Required for a plain function.
    ax : matplotlib Axes, optional
    levels : int or array_like
        Number of contour levels, or the levels themselves.
    log_levels : bool
        Space ``levels`` (an int) geometrically, for functions with a deep, narrow valley such as
        Rosenbrock's. Needs ``f >= 0`` on the window.
    n : int
        Grid points per axis.
    cmap : str
    mark_minima : bool
        Mark a Surface's known minima with a star.
    title : str, optional
        Defaults to the surface's formula.

    Returns
    -------
    matplotlib Axes
    """
    from mlbasics.surfaces import grid

    f, extent, default_title = _resolve_surface(surface_or_f, extent)
    X, Y = grid(extent, n)
    Z = np.asarray(f(X, Y), dtype=np.float64)
    if log_levels:
        if not np.isscalar(levels) or Z.min() < 0:
            raise ValueError(
                f"log_levels needs levels to be a count and f >= 0 on the window, got levels={levels!r}, "
                f"min f = {Z.min():.3g}"
            )
        positive = Z[Z > 0]
        levels = np.geomspace(positive.min(), positive.max(), int(levels))
    ax = _new_axes(ax)
    contours = ax.contour(X, Y, Z, levels=levels, cmap=cmap, linewidths=0.8)
    if not log_levels:
        ax.clabel(contours, contours.levels[::4], inline=True, fontsize=7, fmt="%.3g")
    if mark_minima:
        for i, (mx, my) in enumerate(getattr(surface_or_f, "minima", ())):
            ax.plot(mx, my, "*", color="crimson", markersize=12, label=_("minimum") if i == 0 else None)
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.set_title(title if title is not None else default_title)
    return ax


def plot_trajectory(path, ax=None, label=None, color=None, marker="o", markersize=3, title=None):
    """A path of points, e.g. an optimizer's trajectory, with its start and end marked.

    Parameters
    ----------
    path : array_like, shape ``(n, 2)``
        Successive points ``(x, y)``.
    ax : matplotlib Axes, optional
        Draw on top of, e.g., :func:`plot_contour`.
    label : str, optional
        Legend entry for the path.
    color : str, optional
    marker : str
        Marker of each intermediate point.
    markersize : float
    title : str, optional
        Set only when given (so that a contour plot keeps its title).

    Returns
    -------
    matplotlib Axes

    Notes
    -----
    The start is a square, the end a cross. Points that are not finite (a diverging run) are
    left out.
    """
    path = _as_path(path)
    ax = _new_axes(ax)
    finite = path[np.all(np.isfinite(path), axis=1)]
    (line,) = ax.plot(finite[:, 0], finite[:, 1], marker=marker, markersize=markersize,
                      linewidth=1.2, color=color, label=label)
    color = line.get_color()
    ax.plot(*path[0], "s", color=color, markersize=7, markeredgecolor="black")
    if len(finite):
        ax.plot(*finite[-1], "X", color=color, markersize=9, markeredgecolor="black")
    if title is not None:
        ax.set_title(title)
    if not ax.get_xlabel():
        ax.set_xlabel("x")
    if not ax.get_ylabel():
        ax.set_ylabel("y")
    if label is not None:
        ax.legend(loc="best", fontsize=8)
    return ax


def plot_contour_with_paths(f, paths, extent=None, ax=None, levels=30, log_levels=False, title=None):
    """Contours of ``f`` with several trajectories on top, e.g. an optimizer race (claim C20).

    Parameters
    ----------
    f : Surface or callable
        See :func:`plot_contour`.
    paths : dict of str to array_like of shape ``(n, 2)``
        One trajectory per label.
    extent : (xmin, xmax, ymin, ymax), optional
        Defaults to the surface's own; for a plain function, to the paths' bounding box plus a
        margin.
    ax : matplotlib Axes, optional
    levels, log_levels : see :func:`plot_contour`
    title : str, optional

    Returns
    -------
    matplotlib Axes
    """
    if not isinstance(paths, dict) or not paths:
        raise ValueError(
            f"paths must be a non-empty dict of label -> (n, 2) array, got {type(paths).__name__}"
        )
    arrays = {label: _as_path(p, f"paths[{label!r}]") for label, p in paths.items()}
    if extent is None and getattr(f, "extent", None) is None:
        pts = np.concatenate([p[np.all(np.isfinite(p), axis=1)] for p in arrays.values()])
        lo, hi = pts.min(axis=0), pts.max(axis=0)
        pad = 0.15 * np.maximum(hi - lo, 1.0)
        extent = (lo[0] - pad[0], hi[0] + pad[0], lo[1] - pad[1], hi[1] + pad[1])
    ax = plot_contour(f, extent=extent, ax=ax, levels=levels, log_levels=log_levels, title=title)
    for label, p in arrays.items():
        plot_trajectory(p, ax=ax, label=label)
    return ax


def plot_surface_3d(X, Y, Z, ax=None, cmap="viridis", title="loss surface", xlabel="x", ylabel="y",
                    zlabel="f(x, y)"):
    """A 3-D surface, e.g. a loss over a grid of two parameters (claim C22).

    Parameters
    ----------
    X, Y, Z : ndarray, shape ``(ny, nx)``
        A grid and the values on it, as from :func:`mlbasics.surfaces.grid` or
        :func:`mlbasics.surfaces.loss_surface`.
    ax : matplotlib 3-D Axes, optional
        Must have been made with ``projection="3d"``; a new one is made when omitted.
    cmap, title, xlabel, ylabel, zlabel : str

    Returns
    -------
    mpl_toolkits.mplot3d.axes3d.Axes3D
    """
    X, Y, Z = (np.asarray(a, dtype=np.float64) for a in (X, Y, Z))
    if not (X.shape == Y.shape == Z.shape) or X.ndim != 2:
        raise ValueError(f"X, Y and Z must be 2-D grids of one shape, got {X.shape}, {Y.shape}, {Z.shape}")
    if ax is not None and getattr(ax, "name", None) != "3d":
        raise ValueError('ax must be a 3-D Axes, e.g. fig.add_subplot(projection="3d")')
    ax = _new_axes(ax, projection="3d")
    ax.plot_surface(X, Y, Z, cmap=cmap, linewidth=0, antialiased=True, alpha=0.9)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_zlabel(zlabel)
    ax.set_title(_(title))
    return ax


def plot_loss_curves(curves, ax=None, log=False, xlabel="iteration", ylabel="loss", title="loss"):
    """Loss (or any metric) against iterations or epochs, one line per label.

    Parameters
    ----------
    curves : dict of str to array_like
        One 1-D sequence of values per label, plotted against 0, 1, 2, ...
    ax : matplotlib Axes, optional
    log : bool
        Logarithmic y axis (to see a loss that keeps shrinking).
    xlabel, ylabel, title : str

    Returns
    -------
    matplotlib Axes
    """
    if not isinstance(curves, dict) or not curves:
        raise ValueError(f"curves must be a non-empty dict of label -> values, got {type(curves).__name__}")
    ax = _new_axes(ax)
    for label, values in curves.items():
        values = np.asarray(values, dtype=np.float64)
        if values.ndim != 1:
            raise ValueError(f"curves[{label!r}] must be 1-D, got shape {values.shape}")
        ax.plot(np.arange(len(values)), values, label=label, linewidth=1.2)
    if log:
        ax.set_yscale("log")
    ax.set_xlabel(_(xlabel))  # the defaults, and any label the edition's catalog has, in its words
    ax.set_ylabel(_(ylabel))
    ax.set_title(_(title))
    ax.grid(True, alpha=0.3)
    ax.legend(loc="best", fontsize=8)
    return ax


def plot_activation(fn, grad_fn=None, x=None, ax=None, label=None, title=None):
    """An activation function and, optionally, its derivative.

    Parameters
    ----------
    fn : callable
        Elementwise activation, e.g. :func:`mlbasics.activations.sigmoid`.
    grad_fn : callable, optional
        Its derivative, drawn dashed.
    x : array_like, optional
        Where to evaluate; default 601 points on [-6, 6].
    ax : matplotlib Axes, optional
    label : str, optional
        Name in the legend; default ``fn.__name__``.
    title : str, optional

    Returns
    -------
    matplotlib Axes
    """
    x = np.linspace(-6.0, 6.0, 601) if x is None else np.asarray(x, dtype=np.float64)
    if x.ndim != 1:
        raise ValueError(f"x must be 1-D, got shape {x.shape}")
    name = label or getattr(fn, "__name__", "activation")
    ax = _new_axes(ax)
    ax.axhline(0.0, color="grey", linewidth=0.6)
    ax.axvline(0.0, color="grey", linewidth=0.6)
    (line,) = ax.plot(x, fn(x), linewidth=1.8, label=name)
    if grad_fn is not None:
        ax.plot(x, grad_fn(x), "--", color=line.get_color(), linewidth=1.4, label=f"{name}'")
    ax.set_xlabel("x")
    ax.set_ylabel(_("output"))
    ax.set_title(title if title is not None else name)
    ax.grid(True, alpha=0.3)
    ax.legend(loc="best", fontsize=8)
    return ax


def plot_softmax_bars(scores, probs=None, ax=None, labels=None, title="softmax"):
    """Bars of softmax probabilities, with the scores they came from (claim C29).

    Parameters
    ----------
    scores : array_like, shape ``(C,)``
        Scores (logits) of one sample.
    probs : array_like, shape ``(C,)``, optional
        Their probabilities; :func:`mlbasics.activations.softmax` of ``scores`` by default
        (pass your own softmax's output to check it).
    ax : matplotlib Axes, optional
    labels : sequence of str, optional
        Class names; ``0 .. C-1`` by default.
    title : str

    Returns
    -------
    matplotlib Axes
        Bar heights are the probabilities, written above each bar; the tick labels give each
        class's score ``z``. The largest score's bar is highlighted: hardmax would give it
        probability 1.
    """
    scores = np.asarray(scores, dtype=np.float64)
    if scores.ndim != 1 or scores.size == 0:
        raise ValueError(f"scores must be a non-empty 1-D array, got shape {scores.shape}")
    if probs is None:
        from mlbasics.activations import softmax

        probs = softmax(scores)
    probs = np.asarray(probs, dtype=np.float64)
    if probs.shape != scores.shape:
        raise ValueError(f"probs must have the shape of scores {scores.shape}, got {probs.shape}")
    labels = [str(i) for i in range(scores.size)] if labels is None else [str(s) for s in labels]
    if len(labels) != scores.size:
        raise ValueError(f"labels must have {scores.size} entries, got {len(labels)}")
    ax = _new_axes(ax)
    positions = np.arange(scores.size)
    colors = ["tab:orange" if i == np.argmax(scores) else "tab:blue" for i in positions]
    bars = ax.bar(positions, probs, color=colors)
    for bar, p in zip(bars, probs):
        ax.annotate(f"{p:.3f}", (bar.get_x() + bar.get_width() / 2, p), xytext=(0, 2),
                    textcoords="offset points", ha="center", va="bottom", fontsize=8)
    ax.set_xticks(positions, [f"{name}\nz={z:.3g}" for name, z in zip(labels, scores)])
    ax.set_ylim(0, 1.1)
    ax.set_xlabel(_("class (score z)"))
    ax.set_ylabel(_("probability"))
    ax.set_title(_(title))
    return ax


def plot_decision_regions(predict_fn, X, y, ax=None, resolution=300, margin=0.5, cmap="tab10",
                          title="decision regions", xlabel="$x_1$", ylabel="$x_2$"):
    """Regions of the plane assigned to each class, with the data on top.

    Parameters
    ----------
    predict_fn : callable
        ``predict_fn(points) -> labels`` for ``points`` of shape ``(m, 2)``, e.g.
        ``lambda P: model.predict(params, P)``.
    X : array_like, shape ``(n, 2)``
    y : array_like of int, shape ``(n,)``
    ax : matplotlib Axes, optional
    resolution : int
        Grid points per axis.
    margin : float
        Space added around the data.
    cmap : str
        A qualitative colour map; class ``k`` gets colour ``k``.
    title, xlabel, ylabel : str

    Returns
    -------
    matplotlib Axes
    """
    import matplotlib.pyplot as plt
    from matplotlib.colors import BoundaryNorm, ListedColormap

    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"X must have shape (n, 2), got shape {X.shape}")
    if y.shape != (len(X),):
        raise ValueError(f"y must have shape ({len(X)},), got shape {y.shape}")
    lo, hi = X.min(axis=0) - margin, X.max(axis=0) + margin
    G1, G2 = np.meshgrid(np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution))
    pred = np.asarray(predict_fn(np.column_stack([G1.ravel(), G2.ravel()]))).reshape(G1.shape)
    n_colors = int(max(pred.max(), y.max())) + 1
    colormap = plt.get_cmap(cmap)
    colors = ListedColormap([colormap(k % colormap.N) for k in range(n_colors)])  # class k -> colour k
    norm = BoundaryNorm(np.arange(-0.5, n_colors + 0.5), n_colors)
    ax = _new_axes(ax)
    ax.contourf(G1, G2, pred, levels=np.arange(-0.5, n_colors + 0.5), cmap=colors, norm=norm, alpha=0.25)
    for k in np.unique(y):
        member = y == k
        ax.scatter(X[member, 0], X[member, 1], s=14, color=colors(int(k)), edgecolor="black",
                   linewidth=0.4, label=_("class {k}").format(k=k))
    ax.set_xlim(lo[0], hi[0])
    ax.set_ylim(lo[1], hi[1])
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(_(title))
    ax.legend(loc="best", fontsize=8)
    return ax
