"""matplotlib plots of training and of a trace; each returns the Figure, takes an optional ``ax``.

matplotlib is imported inside the functions (never by the engine), with the Agg
backend when there is no display, so the plots work on servers and in CI.
"""
import os
import sys

import numpy as np

from .._files import atomic_write
from ..trace_data import check_trace

__all__ = ["save_figure", "loss_curve", "gradient_norms", "weight_trajectories",
           "decision_boundary", "surface_comparison", "activations_plot", "loss_slice",
           "contributions_plot", "compare_plot"]


def _pyplot():
    """matplotlib.pyplot, switched to the Agg backend first when nothing could show a window."""
    import matplotlib
    if "matplotlib.pyplot" not in sys.modules and not os.environ.get("MPLBACKEND") \
            and not _has_display():
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def _has_display():
    if "ipykernel" in sys.modules or sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def save_figure(fig, path, dpi=90):
    """Write ``fig`` to ``path`` (atomically, the same bytes for the same figure) and close it.

    The figure is drawn into a temporary file that replaces ``path`` when complete:
    if drawing fails, the file that was at ``path`` stays as it was.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        A figure made by one of these functions.
    path : str or path-like
        Where to write; the extension picks the format (``.png``, ``.svg``, ...).
    dpi : int, default=90
        Resolution of raster formats.

    Returns
    -------
    path : str or path-like
        ``path``, for chaining.

    Examples
    --------
    >>> import os, tempfile, neurotrace as nt
    >>> X, Y = nt.datasets.xor()
    >>> h = nt.fit(nt.NeuralNetwork([2, 2, 1], seed=0), X, Y, epochs=3, progress=False)
    >>> path = nt.viz.save_figure(nt.viz.loss_curve(h), os.path.join(tempfile.mkdtemp(), "loss.png"))
    >>> os.path.getsize(path) > 0
    True
    """
    plt = _pyplot()
    # The extension picks the format (matplotlib's default, PNG, when there is none).
    fmt = os.path.splitext(os.fspath(path))[1][1:].lower() or plt.rcParams["savefig.format"]
    try:
        atomic_write(path, lambda f: fig.savefig(f, format=fmt, dpi=dpi,
                                                 metadata={"Software": None}))
    finally:
        plt.close(fig)
    return path


def _figure(ax, figsize):
    if ax is not None:
        return ax.figure, ax
    fig, ax = _pyplot().subplots(figsize=figsize)
    return fig, ax


def _is_trace(obj):
    return hasattr(obj, "steps") and hasattr(obj, "series")


def _layer_index(t, layer):
    """``"L2"`` or ``2`` -> 1 (0-based), or an error naming the layers."""
    n_layers = len(t.sizes) - 1
    try:
        l = int(str(layer)[1:]) if str(layer).startswith("L") else int(layer)
        if not 1 <= l <= n_layers:
            raise ValueError
    except (TypeError, ValueError):
        raise KeyError(f"No layer {layer!r}: the network has layers L1..L{n_layers} "
                       f"(sizes {t.sizes}).") from None
    return l - 1


def _recorded(step, names):
    return [n for n in names if n in step.forward]


def loss_curve(source, ax=None, log=None, ylabel="loss"):
    """The loss over training: train (and validation) per epoch, or a trace's loss per step.

    Parameters
    ----------
    source : History, Trace or dict
        ``fit``'s History (``loss`` and ``val_loss`` per epoch), a Trace (the
        loss of every recorded step), or a dict with ``"loss"`` (and ``"val_loss"``).
    ax : matplotlib Axes, optional
    log : bool, optional
        Log-scale y axis; default when the loss spans more than a factor 50.
    ylabel : str, default="loss"
        E.g. the loss's name and formula.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        If a History or dict holds no loss values.

    Examples
    --------
    >>> import neurotrace as nt
    >>> X, Y = nt.datasets.xor()
    >>> h = nt.fit(nt.NeuralNetwork([2, 2, 1], seed=0), X, Y, epochs=3, progress=False)
    >>> fig = nt.viz.loss_curve(h)
    """
    if hasattr(source, "flat_parameters"):
        raise TypeError(f"viz.loss_curve expects fit's History, a Trace or a dict with 'loss'; "
                        f"got {type(source).__name__}. Plot what training measured: "
                        f"history = nt.fit(...); nt.viz.loss_curve(history).")
    if _is_trace(source):
        check_trace(source, "viz.loss_curve")
    fig, ax = _figure(ax, (6, 4))
    if _is_trace(source):
        x, series = np.array(source.steps), {"loss per recorded step": source.series("loss")}
        xlabel = "step"
    else:
        get = source.get if isinstance(source, dict) else (lambda k, d=None: getattr(source, k, d))
        train = np.asarray(get("loss", []), dtype=float)
        if train.size == 0:
            raise ValueError("loss_curve: no loss values to plot (an empty History?).")
        x = np.arange(1, len(train) + 1)
        series = {"train": train}
        val = np.asarray(get("val_loss", []) or [], dtype=float)
        if val.size:
            series["validation"] = val
        xlabel = "epoch"
    values = np.concatenate([v[np.isfinite(v)] for v in series.values()])
    if log is None:
        log = values.size > 0 and values.min() > 0 and values.max() / values.min() > 50
    for label, y in series.items():
        ax.plot(x[:len(y)], y, label=label, lw=1.5)
    if log:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title("Loss during training")
    ax.grid(True, alpha=0.3)
    ax.legend()
    fig.tight_layout()
    return fig


def gradient_norms(t, ax=None, window=None):
    """Size of each layer's gradient over the recorded steps, on a log scale.

    For layer ``l`` and step ``k`` the curve shows ``||dL/dW_l||``, the norm of
    every recorded weight and bias gradient of that layer. When the first
    layers' curves sit far below the last one, the gradient is vanishing on its
    way back (the hands-on's lesson): the legend gives each layer's median.

    Parameters
    ----------
    t : Trace
    ax : matplotlib Axes, optional
    window : int, optional
        Also draw the geometric mean over ``window`` consecutive recorded steps
        (e.g. one epoch's worth), with the raw values faint behind it. With
        one sample per step the raw curve jumps from sample to sample.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        If the trace recorded no steps.

    Examples
    --------
    >>> import neurotrace as nt
    >>> X, Y = nt.datasets.xor()
    >>> net = nt.NeuralNetwork([2, 2, 1], seed=0)
    >>> with nt.trace(net) as t:
    ...     _ = nt.fit(net, X, Y, epochs=2, batch_size=1, progress=False)
    >>> fig = nt.viz.gradient_norms(t)
    """
    check_trace(t, "viz.gradient_norms")
    plotted = []
    fig, ax = _figure(ax, (6, 4))
    names = t.node_names()
    for l, layer in enumerate(names):
        norms = []
        for step in t:
            total, seen = 0.0, False
            for name in _recorded(step, layer):
                b = step.backward[name]
                if "grad_weights" in b:
                    total += float(np.sum(np.square(b["grad_weights"])))
                    seen = True
                if "grad_bias" in b:
                    total += float(b["grad_bias"]) ** 2
                    seen = True
            norms.append(np.sqrt(total) if seen and total > 0 else np.nan)
        norms = np.array(norms)
        if np.all(np.isnan(norms)):
            continue
        plotted.append(l)
        role = "output" if l == len(names) - 1 else ("first hidden" if l == 0 else "hidden")
        label = f"L{l + 1} ({role}), median {np.nanmedian(norms):.2g}"
        if window and window > 1 and len(norms) >= window:
            logs = np.log(norms)
            ok = np.isfinite(logs)
            kernel = np.ones(window)
            counts = np.convolve(ok.astype(float), kernel, mode="valid")
            sums = np.convolve(np.where(ok, logs, 0.0), kernel, mode="valid")
            mean = np.full(counts.shape, np.nan)
            np.divide(sums, counts, out=mean, where=counts > 0)
            line, = ax.plot(t.steps, norms, lw=0.5, alpha=0.15)
            ax.plot(t.steps[window - 1:], np.exp(mean), lw=1.8, color=line.get_color(),
                    label=label)
        else:
            ax.plot(t.steps, norms, lw=1, label=label)
    if not plotted:
        _pyplot().close(fig)
        raise ValueError(
            f"viz.gradient_norms: the trace holds no gradients to plot (recorded quantities: "
            f"{t.quantities}). Record backward passes (fit, or net.backprop) with "
            f"'grad_weights' or 'grad_bias' among the quantities.")
    ax.set_yscale("log")
    ax.set_xlabel("step")
    ax.set_ylabel("||dL/dW|| of the layer")
    ax.set_title("Gradient size per layer" + (f" (thick: mean over {window} recorded steps)"
                                               if window and window > 1 else ""))
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def weight_trajectories(t, names=None, ax=None, max_lines=30):
    """Every weight (and bias) of the given neurons after each recorded update.

    Parameters
    ----------
    t : Trace
    names : list of str, optional
        Neurons (``"L1.N0"``) or layers (``"L1"``); default every recorded neuron.
    ax : matplotlib Axes, optional
    max_lines : int, default=30
        Draw at most this many curves (the title says when some were left out).

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        If the trace recorded no steps.
    KeyError
        If a name is not a layer of the network, or the trace did not record the
        weights (``weights_after`` / ``weights_before``) of a neuron asked for.

    Examples
    --------
    >>> import neurotrace as nt
    >>> X, Y = nt.datasets.xor()
    >>> net = nt.NeuralNetwork([2, 2, 1], seed=0)
    >>> with nt.trace(net) as t:
    ...     _ = nt.fit(net, X, Y, epochs=2, batch_size=1, progress=False)
    >>> fig = nt.viz.weight_trajectories(t, ["L2.N0"])
    """
    check_trace(t, "viz.weight_trajectories")
    first = t[t.steps[0]]
    all_names = [n for layer in t.node_names() for n in layer]
    if names is None:
        names = _recorded(first, all_names)
    else:
        expanded = []
        for name in ([names] if isinstance(names, str) else names):
            if "." in name:
                expanded.append(name)
            else:
                expanded += t.node_names()[_layer_index(t, name)]
        names = expanded
    fig, ax = _figure(ax, (6, 4))
    curves = []
    for name in names:
        record = first.update[name]
        which = "after" if "weights_after" in record else "before"
        if f"weights_{which}" not in record:
            raise KeyError(f"weight_trajectories: the trace did not record the weights of "
                           f"{name} (quantities weights_after / weights_before).")
        W = t.series(name, f"weights_{which}")
        for i in range(W.shape[1]):
            curves.append((f"{name}.w{i}", W[:, i]))
        if f"bias_{which}" in record:
            curves.append((f"{name}.b", t.series(name, f"bias_{which}")))
    shown = curves[:max_lines]
    for label, y in shown:
        ax.plot(t.steps, y, lw=1, label=label, ls="--" if label.endswith(".b") else "-")
    title = "Weights after each update"
    if len(curves) > len(shown):
        title += f" (first {len(shown)} of {len(curves)})"
    ax.set_title(title)
    ax.set_xlabel("step")
    ax.set_ylabel("value")
    ax.grid(True, alpha=0.3)
    if len(shown) <= 12:
        ax.legend(fontsize=8, ncol=2)
    fig.tight_layout()
    return fig


def _class_labels(y, n):
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] > 1:
        return np.argmax(y, axis=1)
    y = y.reshape(n)
    if np.issubdtype(y.dtype, np.integer):
        return y
    return (y > 0.5).astype(int)


def decision_boundary(network, X, y, ax=None, resolution=200, padding=0.5):
    """What the network predicts over the plane of 2-D inputs, with the data on top.

    One output: the colour is the output ``a`` from 0 to 1 and the black line is
    ``a = 0.5``. Several outputs: the colour is the predicted class (argmax).

    Parameters
    ----------
    network : NeuralNetwork or VectorizedNetwork
        With 2 inputs.
    X : ndarray of shape (n_samples, 2)
    y : ndarray of shape (n_samples,), (n_samples, 1) or one-hot (n_samples, n_classes)
    ax : matplotlib Axes, optional
    resolution : int, default=200
        Grid points per axis.
    padding : float, default=0.5
        Margin around the data.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        If ``X`` is not of shape (n_samples, 2) or the network does not have 2 inputs.

    Examples
    --------
    >>> import neurotrace as nt
    >>> X, Y = nt.datasets.xor()
    >>> fig = nt.viz.decision_boundary(nt.NeuralNetwork([2, 2, 1], seed=0), X, Y)
    """
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[1] != 2 or network.sizes[0] != 2:
        raise ValueError(f"decision_boundary needs 2-D inputs X of shape (n_samples, 2) and a "
                         f"network with 2 inputs; got X of shape {X.shape} and a network "
                         f"{network.sizes}.")
    labels = _class_labels(y, len(X))
    fig, ax = _figure(ax, (5, 4.5))
    lo, hi = X.min(axis=0) - padding, X.max(axis=0) + padding
    xx, yy = np.meshgrid(np.linspace(lo[0], hi[0], resolution),
                         np.linspace(lo[1], hi[1], resolution))
    out = np.asarray(network.predict(np.column_stack([xx.ravel(), yy.ravel()])))
    out = out.reshape(len(xx.ravel()), -1)
    if out.shape[1] == 1:
        p = out[:, 0].reshape(xx.shape)
        filled = ax.contourf(xx, yy, p, levels=np.linspace(min(0.0, p.min()), max(1.0, p.max()),
                                                           21), cmap="RdBu_r", alpha=0.8,
                             rasterized=True)        # an image inside an SVG: small files
        fig.colorbar(filled, ax=ax, label="network output a")
        if p.min() < 0.5 < p.max():
            ax.contour(xx, yy, p, levels=[0.5], colors="k", linewidths=1.5)
        title = "Decision boundary (a = 0.5)"
        for value, color, marker in ((0, "#2166ac", "o"), (1, "#b2182b", "^")):
            mine = labels == value
            if np.any(mine):
                ax.scatter(X[mine, 0], X[mine, 1], c=color, marker=marker, edgecolors="w",
                           linewidths=1.5, s=90, zorder=3, label=f"y = {value}")
        ax.legend(loc="upper right", fontsize=8, framealpha=0.9)
    else:
        cls = np.argmax(out, axis=1).reshape(xx.shape)
        n_classes = max(out.shape[1], int(labels.max()) + 1)
        ax.contourf(xx, yy, cls, levels=np.arange(n_classes + 1) - 0.5, cmap="tab10",
                    vmin=0, vmax=9, alpha=0.35, rasterized=True)
        title = "Decision regions (argmax of the outputs)"
        import matplotlib
        colors = [matplotlib.colormaps["tab10"](int(c) % 10) for c in labels]
        ax.scatter(X[:, 0], X[:, 1], c=colors, edgecolors="k", s=40, zorder=3)
    ax.set_xlim(lo[0], hi[0])
    ax.set_ylim(lo[1], hi[1])
    ax.set_xlabel("$x_0$")
    ax.set_ylabel("$x_1$")
    ax.set_title(title)
    fig.tight_layout()
    return fig


def surface_comparison(network, true_function=None, X_train=None, Y_train=None, n=40, ax=None):
    """The true surface and the network's, as contour plots side by side (the hands-on).

    Parameters
    ----------
    network : NeuralNetwork or VectorizedNetwork
        With 2 inputs and 1 output.
    true_function : callable, optional
        ``f(X)`` for ``X`` of shape (m, 2), returning (m,) or (m, 1). Default:
        the hands-on's quadratic ``y = (x1² + x2²) / 2`` on the scale of
        :func:`neurotrace.datasets.quadratic`.
    X_train, Y_train : ndarray, optional
        Training points, drawn on the left panel.
    n : int, default=40
        Grid points per axis over [-1, 1]².
    ax : pair of matplotlib Axes, optional

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        If the network does not have 2 inputs and 1 output.

    Examples
    --------
    >>> import neurotrace as nt
    >>> fig = nt.viz.surface_comparison(nt.NeuralNetwork([2, 4, 1], seed=0))
    """
    from .. import datasets
    if network.sizes[0] != 2 or network.sizes[-1] != 1:
        raise ValueError(f"surface_comparison needs a network with 2 inputs and 1 output; "
                         f"got {network.sizes}.")
    xx, yy, X_grid, Y_grid = datasets.quadratic_grid(n)
    title = "True: $y = (x_1^2 + x_2^2)/2$"
    if true_function is not None:
        Y_grid = np.asarray(true_function(X_grid), dtype=float)
        title = "True function"
    true = Y_grid.reshape(xx.shape)
    learned = np.asarray(network.predict(X_grid), dtype=float).reshape(xx.shape)
    if ax is None:
        fig, axes = _pyplot().subplots(1, 2, figsize=(10, 4.4), sharey=True,
                                       layout="constrained")
    else:
        axes = list(ax)
        fig = axes[0].figure
    from matplotlib.ticker import MaxNLocator
    lo, hi = min(true.min(), learned.min()), max(true.max(), learned.max())
    levels = MaxNLocator(20).tick_values(lo, hi if hi > lo else lo + 1)
    filled = axes[0].contourf(xx, yy, true, levels=levels, cmap="viridis")
    axes[1].contourf(xx, yy, learned, levels=levels, cmap="viridis")
    if X_train is not None:
        X_train = np.asarray(X_train, dtype=float)
        c = None if Y_train is None else np.asarray(Y_train, dtype=float).reshape(-1)
        axes[0].scatter(X_train[:, 0], X_train[:, 1], c=c, cmap="viridis", vmin=levels[0],
                        vmax=levels[-1], edgecolors="w", s=40, label="training points")
        axes[0].legend(loc="lower left", fontsize=8)
    rmse = float(np.sqrt(np.mean((true - learned) ** 2)))
    axes[0].set_title(title)
    axes[1].set_title(f"Learned (RMS error {rmse:.2g})")
    for a in axes:
        a.set_xlabel("$x_1$")
        a.set_aspect("equal")
    axes[0].set_ylabel("$x_2$")
    fig.colorbar(filled, ax=list(axes), label="y")
    return fig


def activations_plot(t, layer, ax=None, quantity="a"):
    """Each neuron's activation (or ``z``, ``delta``, ...) of one layer, step by step.

    For batch steps the curve is the mean over the batch's samples.

    Parameters
    ----------
    t : Trace
    layer : str or int
        ``"L1"`` or ``1``.
    ax : matplotlib Axes, optional
    quantity : str, default="a"
        A per-neuron scalar: ``z``, ``a``, ``dL_da``, ``da_dz`` or ``delta``.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        If ``quantity`` is not one of the five, or the trace recorded no steps.
    KeyError
        If ``layer`` is not a layer of the network, or ``quantity`` was not recorded.

    Examples
    --------
    >>> import neurotrace as nt
    >>> X, Y = nt.datasets.xor()
    >>> net = nt.NeuralNetwork([2, 2, 1], seed=0)
    >>> with nt.trace(net) as t:
    ...     _ = nt.fit(net, X, Y, epochs=2, batch_size=1, progress=False)
    >>> fig = nt.viz.activations_plot(t, "L1")
    """
    if quantity not in ("z", "a", "dL_da", "da_dz", "delta"):
        raise ValueError(f"The 'quantity' parameter of activations_plot must be one of "
                         f"['z', 'a', 'dL_da', 'da_dz', 'delta']. Got {quantity!r} instead.")
    check_trace(t, "viz.activations_plot")
    l = _layer_index(t, layer)
    fig, ax = _figure(ax, (6, 4))
    batch = False
    names = _recorded(t[t.steps[0]], t.node_names()[l])
    for name in names:
        values = []
        for step in t:
            record = step.record(name)
            if quantity not in record:
                raise KeyError(f"activations_plot: {quantity!r} was not recorded for {name} at "
                               f"step {step.id}.")
            v = np.asarray(record[quantity], dtype=float)
            batch = batch or v.ndim > 0
            values.append(float(np.mean(v)))
        ax.plot(t.steps, values, lw=1, marker="." if len(values) <= 50 else None, label=name)
    what = {"a": "activation a", "z": "z", "dL_da": "dL/da", "da_dz": "f'(z)",
            "delta": "delta"}[quantity]
    ax.set_title(f"{what} of the neurons of L{l + 1} ({t.activation_names[l]})"
                 + (", batch mean" if batch else ""))
    ax.set_xlabel("step")
    ax.set_ylabel(what)
    ax.grid(True, alpha=0.3)
    if len(names) <= 12:
        ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def loss_slice(network, X, Y, name, parameter, loss="mse", span=2.0, ax=None, n=201):
    """The loss as one parameter moves, with the gradient drawn as the tangent line.

    Every other parameter stays where it is. The tangent at the current value has the
    slope backpropagation computes (``dL/dparameter``); where the curve has a kink
    (ReLU, the L1 loss) the tangent shows the one-sided slope backprop uses.

    Parameters
    ----------
    network : NeuralNetwork or VectorizedNetwork
    X, Y : ndarray of shape (n_samples, n_inputs) and (n_samples, n_outputs)
    name : str
        The neuron, e.g. ``"L1.N0"``.
    parameter : str
        ``"w<i>"`` or ``"b"``.
    loss : str or Loss, default="mse"
    span : float, default=2.0
        The parameter is swept over its value ± ``span``.
    ax : matplotlib Axes, optional
    n : int, default=201
        Points on the curve.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    KeyError
        If ``name`` has no parameter ``parameter``; the message lists the parameters.

    Examples
    --------
    >>> import neurotrace as nt
    >>> net = nt.NeuralNetwork([1, 1], activation="identity", seed=0)
    >>> fig = nt.viz.loss_slice(net, [[1.0]], [[2.0]], "L1.N0", "w0")
    """
    from ..gradcheck import parameter_names

    names = parameter_names(network)
    key = f"{name}.{parameter}"
    if key not in names:
        raise KeyError(f"No parameter {parameter!r} of {name!r}; the parameters are "
                       f"{names[:6]}{' ...' if len(names) > 6 else ''}.")
    i = names.index(key)
    params = network.flat_parameters
    centre = float(params[i])
    network.backprop(X, Y, loss)
    slope = float(network.flat_gradients[i])
    values = np.linspace(centre - span, centre + span, n)
    curve = np.empty(n)
    try:
        for k, v in enumerate(values):
            params[i] = v
            curve[k] = network.loss(X, Y, loss)
    finally:
        params[i] = centre
    here = network.loss(X, Y, loss)
    fig, ax = _figure(ax, (6, 4))
    ax.plot(values, curve, lw=2, label="loss")
    ax.plot(values, here + slope * (values - centre), "--", lw=1.2,
            label=f"tangent, slope dL/d{parameter} = {slope:.4g}")
    ax.plot([centre], [here], "o", color="black")
    ax.set_ylim(min(curve.min(), here) - 0.05 * np.ptp(curve), curve.max() + 0.05 * np.ptp(curve))
    ax.set_xlabel(f"{key}")
    ax.set_ylabel("loss")
    ax.set_title(f"The loss as {key} moves (everything else fixed)")
    ax.grid(True, alpha=0.3)
    ax.legend()
    fig.tight_layout()
    return fig


def contributions_plot(t, name, quantity, step=None, ax=None):
    """Each sample's share of one gradient of a batch step, as bars, and their sum.

    Parameters
    ----------
    t : Trace
    name : str
        The neuron, e.g. ``"L1.N0"``.
    quantity : str
        ``"w0"``, ``"w1"``, ... or ``"b"``.
    step : int, optional
        A recorded batch step (default: the first).
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import neurotrace as nt
    >>> X, Y = nt.datasets.xor()
    >>> net = nt.NeuralNetwork([2, 2, 1], seed=0)
    >>> with nt.trace(net) as t:
    ...     _ = nt.fit(net, X, Y, loss="mse", batch_size=None, progress=False)
    >>> fig = nt.viz.contributions_plot(t, "L1.N0", "w1")
    """
    from matplotlib.ticker import MaxNLocator

    step = t.steps[0] if step is None else step
    shares = t.contributions(name, quantity, step=step)
    fig, ax = _figure(ax, (6, 3.5))
    colors = ["#2166ac" if v >= 0 else "#b2182b" for v in shares]
    ax.bar(np.arange(len(shares)), shares, color=colors)
    total = float(np.sum(shares))
    ax.axhline(total, color="black", lw=1.2, ls="--", label=f"sum = gradient = {total:.4g}")
    ax.axhline(0.0, color="gray", lw=0.6)
    ax.set_xlabel("sample")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))   # samples are whole numbers
    ax.set_ylabel(f"share of dL/d{quantity}")
    ax.set_title(f"Per-sample shares of dL/d{quantity} of {name}, step {step}")
    ax.legend()
    fig.tight_layout()
    return fig


def compare_plot(comparison, ax=None):
    """The largest difference of every quantity at every step of two compared runs.

    Parameters
    ----------
    comparison : Comparison
        What ``nt.compare(run1, run2)`` returned.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import neurotrace as nt
    >>> X, Y = nt.datasets.xor()
    >>> runs = []
    >>> for lr in (0.5, 0.6):
    ...     net = nt.NeuralNetwork([2, 2, 1], seed=0)
    ...     with nt.trace(net) as t:
    ...         _ = nt.fit(net, X, Y, loss="sse", optimizer=nt.SGD(lr=lr), batch_size=1,
    ...                    shuffle=False, progress=False)
    ...     runs.append(t)
    >>> fig = nt.viz.compare_plot(nt.compare(*runs))
    """
    fig, ax = _figure(ax, (7, 4))
    steps = np.asarray(comparison.steps)
    drawn = 0
    for q, values in comparison.table.items():
        values = np.asarray(values, dtype=float)
        if np.any(values > 0):
            ax.plot(steps, np.where(values > 0, values, np.nan), marker="o", ms=3, lw=1.2,
                    label=q)
            drawn += 1
    first = comparison.first
    if first is not None:
        ax.axvline(first.step, color="gray", ls=":", lw=1)
        ax.set_title(f"First difference: step {first.step}, {first.phase} {first.node}, "
                     f"{first.quantity}", fontsize=10)
    else:
        ax.set_title("The two runs agree on every value")
    if drawn:
        ax.set_yscale("log")
        ax.legend(fontsize=8, ncol=2)
    ax.set_xlabel("step")
    ax.set_ylabel("largest |difference|")
    ax.grid(True, alpha=0.3)
    fig.tight_layout()
    return fig
