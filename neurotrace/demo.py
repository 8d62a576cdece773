"""The demo: train the hands-on's XOR network with a trace and write its pictures to a folder.

Run it with ``neurotrace demo --out demo_output`` (or ``python -m neurotrace demo``).
It trains a 2-2-1 sigmoid network on XOR one sample per step (SGD, lr 0.5, the
``sse`` loss, no shuffling, as the hands-on does), records the first and the last
epoch, and writes: the network graph at the first and the last step, one hidden
neuron's computation graph, the loss curve, the decision boundary and the chain
rule for one weight.
"""
import os
import time
from pathlib import Path

from ._files import atomic_write

__all__ = ["run", "train_xor", "DEFAULT_EPOCHS", "CI_EPOCHS"]

DEFAULT_EPOCHS = 5000
CI_EPOCHS = 2000          # in CI ("CI" in os.environ): fewer epochs, every file still written
SEED = 2                  # a seed whose uniform(-1, 1) start converges (some get stuck at 0.5)
NEURON, WEIGHT = "L1.N0", "w0"


def train_xor(epochs=DEFAULT_EPOCHS, seed=SEED):
    """The hands-on's XOR network trained as the hands-on does, with its first and last epoch traced.

    A 2-2-1 sigmoid :class:`~neurotrace.NeuralNetwork` (uniform(-1, 1) initial weights),
    SGD with lr 0.5, the ``sse`` loss, one sample per step, no shuffling.

    Parameters
    ----------
    epochs : int, default=5000
        Passes over the four rows of XOR.
    seed : int, default=2
        Seeds the initial weights (2 converges; some seeds get stuck at 0.5).

    Returns
    -------
    network : NeuralNetwork
        The trained network.
    history : History
        What :func:`~neurotrace.fit` returned: the loss after every epoch.
    trace : Trace
        The recorded steps: ``0 .. 3`` and the last four.
    data : tuple of ndarray
        ``(X, Y)`` of shapes (4, 2) and (4, 1): XOR's truth table.

    Examples
    --------
    >>> net, history, t, (X, Y) = train_xor(epochs=3)
    >>> t.steps
    [0, 1, 2, 3, 8, 9, 10, 11]
    """
    import neurotrace as nt
    X, Y = nt.datasets.xor()
    n_steps = epochs * len(X)
    keep = sorted(set(range(len(X))) | set(range(n_steps - len(X), n_steps)))
    net = nt.NeuralNetwork([2, 2, 1], activation="sigmoid", init="uniform", seed=seed)
    with nt.trace(net, steps=keep) as t:
        history = nt.fit(net, X, Y, loss="sse", optimizer=nt.SGD(lr=0.5), epochs=epochs,
                         batch_size=1, shuffle=False, progress=False)
    return net, history, t, (X, Y)


def run(out="demo_output", epochs=None, seed=SEED, print=print):
    """Train and trace the XOR network, write its pictures to ``out``, print a report.

    Writes the network graph at the first and the last step and one hidden
    neuron's graph (SVG and PNG when Graphviz's ``dot`` is installed, else only
    their DOT source), the loss curve and the decision boundary (PNG), and the
    chain rule for one weight (text and Markdown).

    Parameters
    ----------
    out : str or Path, default="demo_output"
        The folder to write to (created if needed).
    epochs : int, optional
        Default 5000, or 2000 when the ``CI`` environment variable is set.
    seed : int, default=2
        Seeds the uniform(-1, 1) initial weights.
    print : callable, default=print
        Where the report goes (``lambda *a: None`` for silence).

    Returns
    -------
    result : dict
        ``"files"``: the paths written (list of str); ``"predictions"``: ndarray of
        shape (4,), the trained network's output for XOR's four rows;
        ``"total_squared_error"``: float, ``sum (y - a)^2`` over them; ``"epochs"``:
        int; ``"rendered"``: bool, False when only DOT source could be written.

    Raises
    ------
    ValueError
        If ``epochs`` is not a positive int.

    Examples
    --------
    >>> import tempfile
    >>> result = run(tempfile.mkdtemp(), epochs=10, print=lambda *a: None)
    >>> sorted(result)
    ['epochs', 'files', 'loss', 'predictions', 'rendered']
    """
    from . import viz

    if epochs is None:
        epochs = CI_EPOCHS if "CI" in os.environ else DEFAULT_EPOCHS
    if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 1:
        raise ValueError(f"The 'epochs' parameter of the demo must be a positive integer. "
                         f"Got {epochs!r} instead.")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    net, history, t, (X, Y) = train_xor(epochs, seed)
    seconds = time.perf_counter() - start
    n_steps = epochs * len(X)
    # The first picture shows step 3, the last sample of the first epoch, input [1, 1]:
    # at steps 0-2 an input is 0, and so is every dL/dw = delta * x of its weights.
    first, last = len(X) - 1, n_steps - 1
    predictions = net.predict(X)[:, 0]
    # One loss everywhere (this report, the plot, the history): sse = ½Σ(y - a)².
    # (The hands-on prints Σ(y - a)² as "Total Error": twice this.)
    loss_first, loss_last = history.loss[0], history.loss[-1]

    # The pictures. Graphs: DOT always; SVG and PNG when Graphviz's dot is installed.
    files, rendered, missing = [], True, None
    graphs = [
        ("network_first", viz.network_graph(t, step=first, show="both"),
         f"the network at step {first}, input [1, 1]: z, a, δ; w and dL/dw"),
        ("network_last", viz.network_graph(t, step=last, show="both"),
         f"the same at the last step, {last}"),
        (f"neuron_{NEURON}", viz.neuron_graph(t, NEURON, step=last),
         f"hidden neuron {NEURON}'s arithmetic at step {last}, value and gradient per box"),
    ]
    descriptions = {}
    for stem, graph, what in graphs:
        try:
            written = viz.render(graph, out / stem, format=["svg", "png"])
        except viz.GraphvizNotFound as error:
            written, rendered, missing = [out / f"{stem}.dot"], False, error
        files += written
        descriptions[stem] = (written, what)

    for stem, figure, what in [
            ("loss_curve", viz.loss_curve(history, ylabel="sse loss ½Σ(y - a)²"),
             "the sse loss after every epoch"),
            ("decision_boundary", viz.decision_boundary(net, X, Y),
             "the network's output over the plane; black line: a = 0.5")]:
        path = out / f"{stem}.png"
        viz.save_figure(figure, path, dpi=100)
        files.append(path)
        descriptions[stem] = ([path], what)

    # The chain rule for one weight, with the recorded numbers.
    text = t.explain(NEURON, WEIGHT, step=last, format="text")
    markdown = t.explain(NEURON, WEIGHT, step=last, format="markdown")
    used = float(t[last].backward[NEURON]["grad_weights"][int(WEIGHT[1:])])
    heading = (f"Chain rule for {WEIGHT} of {NEURON} at step {last} (epoch {epochs - 1}, "
               f"input {X[-1].astype(int).tolist()})")
    stem = f"explain_{NEURON}_{WEIGHT}"
    # Every file is written atomically (graphs and plots by viz): all or nothing.
    plain = f"{heading}\n\n{text}\n\ngradient used by the update: {used:.6g}\n"
    marked = (f"# {heading}\n\n" + "\n\n".join(markdown.splitlines())
              + f"\n\nThe gradient the update used: `{used:.6g}`.\n")
    atomic_write(out / f"{stem}.txt", lambda f: f.write(plain), binary=False)
    atomic_write(out / f"{stem}.md", lambda f: f.write(marked), binary=False)
    files += [out / f"{stem}.txt", out / f"{stem}.md"]
    descriptions[stem] = ([out / f"{stem}.txt", out / f"{stem}.md"],
                          f"dL/d{WEIGHT} of {NEURON} written out with the recorded numbers")

    # The report.
    print("neurotrace demo: the hands-on's XOR network (2-2-1, sigmoid), one sample per step")
    print(f"  trained {epochs} epochs = {n_steps} steps (SGD lr 0.5, sse loss, uniform init, "
          f"seed {seed}) in {seconds:.1f} s,")
    print(f"  tracing the first and the last epoch ({len(t)} steps)")
    print(f"  sse loss ½Σ(y - a)²: {loss_first:.4f} after epoch 1 -> {loss_last:.4f} after "
          f"epoch {epochs}")
    print("  predictions: " + "   ".join(f"{x.astype(int).tolist()} -> {p:.3f}"
                                         for x, p in zip(X, predictions))
          + "   (XOR: 0 1 1 0)")
    print(f"  {text.splitlines()[0].split(' = ')[0]} of {NEURON} at step {last} = "
          f"{text.value:.4g}, the gradient the update used ({used:.4g})")
    print(f"wrote {len(files)} files to {out}{os.sep}:")
    for stem, (written, what) in descriptions.items():
        suffixes = ",".join(p.suffix[1:] for p in written)
        name = f"{stem}.{{{suffixes}}}" if len(written) > 1 else written[0].name
        print(f"  {name:<34} {what}")
    if not rendered:
        print(f"  note: only DOT source for the graphs: {missing}")
    return {"files": [str(p) for p in files], "predictions": predictions,
            "loss": loss_last, "epochs": epochs, "rendered": rendered}
