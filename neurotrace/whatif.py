"""What if one parameter had been different? Re-run a recorded step and see what follows.

``t.what_if("L1.N0", "w0", by=0.01, step=k)`` rebuilds the network of step
``k`` from the recorded parameters (and the optimizer from its recorded state),
changes one parameter, and runs the step again with the same inputs and
targets. It returns both steps' losses, the first-order prediction
``dL/dw0 · by`` of the change, and every value that changed; with ``steps=n``
it also continues training for ``n`` more steps on the batches the recorded
run used next, and returns both loss curves.
"""
import numpy as np

from .explain import step_loss
from .network import NeuralNetwork
from .optimizers import SGD, Adam
from .stepping import step_through
from .vectorized import VectorizedNetwork

__all__ = ["what_if", "WhatIf"]


class WhatIf:
    """The answer of ``t.what_if``: the changed step and how it differs from the recorded one.

    Parameters
    ----------
    step : Step
        The changed step (like ``t[k]``).
    loss_before, loss_after : float
        The recorded step's loss and the changed step's loss.
    predicted : float
        The first-order prediction of the change, ``gradient · by``.
    changes : list of tuple
        ``(phase, node, quantity, recorded, changed)`` for every value that changed.
    curves : tuple of ndarray, optional
        With ``steps=n``: the recorded losses and the changed run's losses,
        from step ``k`` on.
    description : str, default=""
        One line saying what was changed.

    Examples
    --------
    >>> import neurotrace as nt
    >>> X, Y = nt.datasets.xor()
    >>> net = nt.NeuralNetwork([2, 2, 1], seed=0)
    >>> with nt.trace(net) as t:
    ...     _ = nt.fit(net, X, Y, loss="sse", batch_size=None, epochs=3, progress=False)
    >>> w = t.what_if("L1.N0", "w0", by=1e-4, step=0)
    >>> abs(w.change - w.predicted) < 0.01 * abs(w.predicted)
    True
    """

    def __init__(self, step, loss_before, loss_after, predicted, changes, curves=None,
                 description=""):
        self.step, self.loss_before, self.loss_after = step, loss_before, loss_after
        self.predicted, self.changes, self.curves = predicted, changes, curves
        self.description = description

    @property
    def change(self):
        """``loss_after - loss_before``: how much the loss of this step changed."""
        return self.loss_after - self.loss_before

    def table(self, limit=20):
        """The values that changed, one per line (the first ``limit``).

        Parameters
        ----------
        limit : int, default=20

        Returns
        -------
        str
        """
        lines = [f"{'event':<20} {'quantity':<18} {'recorded':>14} {'what if':>14}"]
        for phase, node, q, before, after in self.changes[:limit]:
            lines.append(f"{phase + ' ' + node:<20} {q:<18} {_show(before):>14} "
                         f"{_show(after):>14}")
        if len(self.changes) > limit:
            lines.append(f"… ({len(self.changes) - limit} more changed values)")
        return "\n".join(lines)

    def __str__(self):
        lines = [self.description,
                 f"loss {self.loss_before:.6g} -> {self.loss_after:.6g} (change "
                 f"{self.change:.4g}; first-order prediction gradient·by = {self.predicted:.4g})",
                 f"{len(self.changes)} values changed:", self.table()]
        if self.curves is not None:
            before, after = self.curves
            lines.append(f"after {len(after) - 1} more steps: loss {before[-1]:.6g} recorded, "
                         f"{after[-1]:.6g} with the change")
        return "\n".join(lines)

    def __repr__(self):
        return (f"<WhatIf: loss {self.loss_before:.6g} -> {self.loss_after:.6g}, "
                f"{len(self.changes)} values changed>")


def _show(value):
    value = np.asarray(value, float)
    if value.ndim == 0:
        return f"{float(value):.6g}"
    return f"[{value.size} values]"


def what_if(trace, name, parameter, by, step, steps=0, make_trace=None):
    """Re-run recorded step ``step`` with one parameter of ``name`` changed by ``by``.

    Parameters
    ----------
    trace : Trace
        A trace of every neuron and quantity (``nt.trace(net)`` with no limits).
    name : str
        The neuron, e.g. ``"L1.N0"``.
    parameter : str
        ``"w0"``, ``"w1"``, ... or ``"b"``.
    by : float
        How much to add to it.
    step : int
        A recorded step.
    steps : int, default=0
        Continue training this many more steps, on the batches the recorded
        run used next (they must be recorded too).
    make_trace : callable
        ``Trace.from_events``; ``t.what_if`` passes it.

    Returns
    -------
    WhatIf

    Examples
    --------
    >>> import neurotrace as nt
    >>> X, Y = nt.datasets.xor()
    >>> net = nt.NeuralNetwork([2, 2, 1], seed=0)
    >>> with nt.trace(net) as t:
    ...     _ = nt.fit(net, X, Y, loss="sse", batch_size=1, epochs=2, shuffle=False,
    ...                progress=False)
    >>> w = t.what_if("L2.N0", "b", by=0.5, step=0, steps=3)
    >>> len(w.curves[1])
    4
    """
    s = trace[step]
    l, j = _locate(trace, name)
    n_in = trace.sizes[l]
    if parameter == "b":
        i = None
    elif parameter.startswith("w") and parameter[1:].isdigit() and int(parameter[1:]) < n_in:
        i = int(parameter[1:])
    else:
        raise KeyError(f"{name} has weights w0..w{n_in - 1} and a bias b; got {parameter!r}.")
    net = _network(trace, s)
    optimizer = _optimizer(s)
    W, b = net.parameters()[l]
    if i is None:
        b[j] += by
    else:
        W[i, j] += by
    x, y = _batch(trace, s)
    loss = step_loss(s, "what_if")
    events = step_through(net, x, y, loss=loss, optimizer=optimizer, step=s.id).run()
    changed = make_trace([events], trace.sizes, trace.activation_names, trace.backend)[s.id]
    grad = s.backward[name]["grad_bias"] if i is None else s.backward[name]["grad_weights"][i]
    changes = _changes(trace.events(s.id), events)
    curves = None
    if steps:
        ids = trace.steps
        start = ids.index(s.id)
        following = ids[start + 1:start + 1 + steps]
        if len(following) < steps or following != list(range(s.id + 1, s.id + 1 + steps)):
            raise ValueError(f"what_if(steps={steps}) continues on the recorded batches of "
                             f"steps {s.id + 1}..{s.id + steps}; recorded steps after {s.id}: "
                             f"{following}.")
        after = [events[_loss_index(events)].values["loss"]]
        for k in following:
            xk, yk = _batch(trace, trace[k])
            run = step_through(net, xk, yk, loss=loss, optimizer=optimizer, step=k).run()
            after.append(run[_loss_index(run)].values["loss"])
        before = np.array([s.loss] + [trace[k].loss for k in following])
        curves = (before, np.array(after))
    description = (f"what if {name}.{parameter} had been {by:+g} different at step {s.id}")
    return WhatIf(changed, s.loss, changed.loss, float(grad) * by, changes, curves,
                  description)


def _loss_index(events):
    return next(i for i, e in enumerate(events) if e.phase == "loss")


def _locate(trace, name):
    trace[trace.steps[0]].forward[name]                 # a helpful KeyError for a bad name
    layer, neuron = name.split(".")
    return int(layer[1:]) - 1, int(neuron[1:])


def _network(trace, s):
    """The network as it was at the start of step ``s``, on the trace's backend."""
    Ws, bs = [], []
    for layer in trace.node_names():
        cols = []
        for n in layer:
            u = s.update[n]
            if "weights_before" not in u:
                raise ValueError(f"what_if needs every neuron's weights at step {s.id}; "
                                 f"{n}'s were not recorded (trace every neuron and quantity).")
            cols.append((u["weights_before"], u["bias_before"]))
        Ws.append(np.stack([w for w, _ in cols], axis=1))
        bs.append(np.array([b for _, b in cols]))
    acts = trace.activation_names
    cls = VectorizedNetwork if trace.backend == "VectorizedNetwork" else NeuralNetwork
    return cls.from_weights(Ws, bs, acts[:-1], acts[-1])


def _optimizer(s):
    """The optimizer as it was before step ``s``'s update (its state from the trace)."""
    info = s.optimizer
    if info is None:
        raise ValueError(f"what_if needs step {s.id}'s optimizer; no update was recorded.")
    kinds = {"SGD": (SGD, ("lr", "momentum", "clip_value", "clip_norm")),
             "Adam": (Adam, ("lr", "beta1", "beta2", "eps", "clip_value", "clip_norm"))}
    if info["name"] not in kinds:
        raise ValueError(f"what_if rebuilds SGD and Adam; step {s.id} used {info['name']}.")
    cls, keys = kinds[info["name"]]
    optimizer = cls(**{k: info[k] for k in keys if k in info})
    optimizer.steps = info["steps"] - 1
    names = [k[:-len("_weights_before")] for k in s.update[s.trace.node_names()[0][0]]
             if k.endswith("_weights_before") and k != "weights_before"]
    for state in names:
        flat = []
        for layer in s.trace.node_names():
            for n in layer:
                u = s.update[n]
                flat.append(np.append(u[f"{state}_weights_before"], u[f"{state}_bias_before"]))
        optimizer.state[state] = np.concatenate(flat)
    return optimizer


def _batch(trace, s):
    first = s.forward[trace.node_names()[0][0]]
    if "x" not in first or s.targets is None or s.loss_name is None:
        raise ValueError(f"what_if needs the inputs, targets and loss of step {s.id}.")
    return np.array(first["x"], dtype=np.float64), np.array(s.targets, dtype=np.float64)


def _changes(recorded, changed):
    """``(phase, node, quantity, recorded, changed)`` for every value that differs."""
    out = []
    for a, b in zip(recorded, changed):
        for q, v in a.values.items():
            if q in b.values and not np.array_equal(np.asarray(v), np.asarray(b.values[q])):
                out.append((a.phase, a.node, q, v, b.values[q]))
    return out
