"""Graphviz pictures of a trace: one neuron's arithmetic, and the whole network.

Both functions return a :class:`graphviz.Digraph` and never render it; call
:func:`render` (or ``graph.render(...)``) to write a file, or let Jupyter show it.
Node ids are the names of DESIGN.md (``x0``, ``L1.N0``, ``L1.N0.w0``, ``loss``)
and everything is added in a fixed order, so the same trace always gives the
same DOT text.
"""
import math
import os
import warnings
from pathlib import Path

import graphviz
import numpy as np

from .. import names
from .._files import atomic_write
from ..trace_data import check_trace

__all__ = ["neuron_graph", "network_graph", "render", "have_dot", "Digraph",
           "GraphvizNotFound", "GraphvizWarning", "INSTALL_HINT"]

INSTALL_HINT = ("Graphviz's 'dot' program is needed to draw the picture. Install Graphviz with "
                "your package manager: 'sudo apt-get install graphviz' (Debian/Ubuntu), "
                "'brew install graphviz' (macOS), or 'conda install graphviz' (conda). "
                "The DOT source is still available (graph.source).")

POSITIVE, NEGATIVE, ZERO = "#2166ac", "#b2182b", "#888888"   # blue > 0, red < 0
FONT = "Helvetica"
HIGHLIGHT = "#ffe066"       # the next event's boxes when drawing up to an event


class GraphvizNotFound(graphviz.ExecutableNotFound):
    """The ``dot`` program is missing; the message says where the DOT source was saved.

    Raised by :func:`render` (with ``missing="raise"``), after it wrote the DOT
    source; a :class:`graphviz.ExecutableNotFound`, so code that catches graphviz's
    own error catches it too.

    Parameters
    ----------
    message : str
        Where the DOT source is, how to install Graphviz, the ``dot`` command to run then.

    Examples
    --------
    >>> import os, tempfile, neurotrace as nt
    >>> g = nt.viz.network_graph(nt.NeuralNetwork([2, 1], seed=0))
    >>> path = os.path.join(tempfile.mkdtemp(), "net")
    >>> try:
    ...     files = nt.viz.render(g, path)
    ... except nt.viz.GraphvizNotFound:   # no Graphviz here: the DOT source was still saved
    ...     files = [path + ".dot"]
    >>> os.path.exists(path + ".dot")
    True
    """

    def __init__(self, message):
        RuntimeError.__init__(self, message)


class GraphvizWarning(UserWarning):
    """Only the DOT source was written because ``dot`` is missing (``render(missing="warn")``).

    Examples
    --------
    >>> import os, tempfile, warnings, neurotrace as nt
    >>> g = nt.viz.network_graph(nt.NeuralNetwork([2, 1], seed=0))
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", nt.viz.GraphvizWarning)
    ...     files = nt.viz.render(g, os.path.join(tempfile.mkdtemp(), "net"), missing="warn")
    >>> files[0].name
    'net.dot'
    """


class Digraph(graphviz.Digraph):
    """A :class:`graphviz.Digraph` that still shows something in Jupyter without ``dot``.

    With Graphviz installed it displays inline as SVG, like any Digraph; without
    it Jupyter shows the DOT source and how to install Graphviz instead of a
    traceback. :func:`neuron_graph` and :func:`network_graph` return one.

    Examples
    --------
    >>> import neurotrace as nt
    >>> g = nt.viz.network_graph(nt.NeuralNetwork([2, 1], seed=0))
    >>> isinstance(g, nt.viz.Digraph)
    True
    >>> print(g.source.splitlines()[1])
    digraph network {
    """

    def _repr_mimebundle_(self, include=None, exclude=None, **kwargs):
        try:
            bundle = super()._repr_mimebundle_(include, exclude, **kwargs)
        except graphviz.ExecutableNotFound:
            return {"text/plain": f"{self.source}\n// {INSTALL_HINT}"}
        # The same text for the same picture (not an address that changes every run).
        return {**bundle, "text/plain": repr(self)}

    def __repr__(self):
        return f"<{type(self).__name__} {self.name!r}: {self.source.count(' -> ')} edges>"


# --- small helpers ------------------------------------------------------------------------

def _fmt(value, digits, missing="?"):
    """A number as the pictures print it: ``digits`` significant digits, no ``-0``.

    ``missing`` is shown for a value that is not there ("?": not recorded; "": not
    yet computed at the event drawn).
    """
    if value is None:
        return missing
    value = float(value)
    if math.isnan(value):
        return "?"
    return f"{(value if value != 0 else 0.0):.{digits}g}"


def _record(*fields):
    """A record label ``f1 | f2 | ...``, Graphviz's special characters escaped.

    With ``rankdir=LR`` the fields stack top to bottom (name, value, gradient),
    which keeps a neuron's graph about half as wide as side-by-side fields.
    """
    return " | ".join(_escape_record(f) for f in fields)


def _escape_record(text):
    for char in "{}|<>":
        text = text.replace(char, "\\" + char)
    return text.replace("\n", "\\n")


def _html(text):
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _sign_color(value):
    if value is None or not np.isfinite(value) or value == 0:
        return ZERO
    return POSITIVE if value > 0 else NEGATIVE


def _locate(sizes, name):
    """``"L2.N1"`` -> (1, 1), checked against ``sizes``."""
    return names.parse_neuron(name, sizes)


def _predecessor_names(sizes, l):
    """The names of what feeds layer ``l`` (0-based): inputs ``x0..`` or ``L{l}.N0..``."""
    return names.predecessors(sizes, l)


def _step_and_sample(t, step, sample):
    """The Step asked for, whether it is a batch, and the sample to show."""
    step = t.steps[0] if step is None else step
    s = t[step]
    n = s.n_samples
    if n is None:
        if sample not in (None, 0):
            raise ValueError(f"Step {step} is one sample (no batch axis); pass sample=None "
                             f"or 0, got {sample!r}.")
        return s, False, None
    sample = 0 if sample is None else sample
    if not isinstance(sample, (int, np.integer)) or not 0 <= sample < n:
        raise ValueError(f"Step {step} is a batch of {n} samples; 'sample' must be an integer "
                         f"in [0, {n - 1}], got {sample!r}.")
    return s, True, int(sample)


class _UpTo:
    """A recorded step as it stands after one of its events: later values are left out.

    Used to draw the computation up to an event: what is done has its numbers,
    what is not yet computed is drawn empty (never as 0 or as a stale value).
    """

    def __init__(self, s, events, index):
        self._s = s
        self.id, self.epoch, self.n_samples = s.id, s.epoch, s.n_samples
        self.fused, self.loss_name, self.targets = s.fused, s.loss_name, s.targets
        known = {}
        for event in events[:index + 1]:
            for node, values in event.reveals.items():
                known.setdefault(node, set()).update(values)
        self.known = known
        self.loss = s.loss if "loss" in known.get("loss", ()) else None
        self.done = events[index] if index >= 0 else None
        self.next = events[index + 1] if index + 1 < len(events) else None
        self.forward = _KnownPart(s.forward, known, ("x", "z", "a"))
        self.backward = _KnownPart(s.backward, known, ("dL_da", "da_dz", "delta",
                                                       "grad_weights", "grad_bias"))
        self.update = _KnownPart(s.update, known, ())


class _KnownPart:
    """``forward``/``backward``/``update`` of a step, keeping only what is known."""

    def __init__(self, part, known, kept):
        self.part, self.known, self.kept = part, known, kept

    def __contains__(self, name):
        return name in self.part

    def __getitem__(self, name):
        record, known = self.part[name], self.known.get(name, set())
        out = {}
        for q, v in record.items():
            if q in ("weights_before", "bias_before"):        # the parameters: known from the start
                out[q] = v
            elif q == "to_predecessors":
                sent = {p: x for p, x in v.items() if f"sent:{p}" in known}
                if sent:
                    out[q] = sent
            elif q in self.kept and q in known:
                out[q] = v
            elif not self.kept and "weights_after" in known:  # after the update event
                out[q] = v
        return out


def _at_event(t, step, event):
    """``(step as it stands after the event, event done, event next)``.

    ``event`` is an :class:`~neurotrace.events.Event` (its ``step`` is used) or
    its index in ``t.events(step)``; ``-1`` draws the step before its first event.
    """
    if hasattr(event, "index") and hasattr(event, "phase"):
        step, index = event.step, event.index
    elif isinstance(event, (int, np.integer)) and not isinstance(event, bool):
        index = int(event)
    else:
        raise TypeError(f"'event' must be an Event or an event index, got {event!r}.")
    step = t.steps[0] if step is None else step
    events = t.events(step)
    if not -1 <= index < len(events):
        raise ValueError(f"Step {step} has {len(events)} events (0..{len(events) - 1}); "
                         f"got event {index}.")
    return _UpTo(t[step], events, index)


def _event_lines(s):
    """Caption lines saying which event is drawn and which comes next."""
    done = "before its first event" if s.done is None else \
        f"after event {s.done.index}: {s.done.phase} {s.done.node}"
    nxt = "the step is complete" if s.next is None else \
        f"next (highlighted): {s.next.phase} {s.next.node}"
    return [f"{done}; {nxt}; values not yet computed are left empty"]


def _step_title(s):
    epoch = "" if s.epoch is None else f" (epoch {s.epoch})"
    return f"step {s.id}{epoch}"


# --- one neuron -----------------------------------------------------------------------------

def neuron_graph(t, name, step=None, sample=None, digits=4, event=None):
    """One neuron's arithmetic at one step, every box showing its name, value and gradient dL/d·.

    Nodes, left to right: the inputs ``x_i`` and weights ``w_i``, the products
    ``x_i·w_i``, their sum, ``+ b``, ``z``, the activation ``f`` (with ``f'(z)``),
    ``a``, and what ``a`` feeds: the successors (each with its weight on ``a``
    and the error ``delta·w`` it sends back; these add up to ``dL/da``) or, for
    an output neuron, the loss.

    Parameters
    ----------
    t : Trace
    name : str
        The neuron, e.g. ``"L1.N0"``.
    step : int, optional
        A recorded step; default the first one.
    sample : int, optional
        For a batch step, which sample's values to show (default 0). Weight
        gradients then show that sample's share ``delta·x`` and the batch total
        the update used.
    digits : int, default=4
        Significant digits of the numbers.
    event : Event or int, optional
        Draw the computation only up to this event (an event of ``t.events(step)``
        or its index): what is done has its numbers, the next event's boxes are
        highlighted, what is not yet computed is left empty.

    Returns
    -------
    graphviz.Digraph
        Not rendered; see :func:`render`.

    Examples
    --------
    >>> import neurotrace as nt
    >>> X, Y = nt.datasets.xor()
    >>> net = nt.NeuralNetwork([2, 2, 1], seed=0)
    >>> with nt.trace(net) as t:
    ...     _ = nt.fit(net, X, Y, loss="sse", epochs=1, batch_size=1, shuffle=False,
    ...                progress=False)
    >>> g = nt.viz.neuron_graph(t, "L1.N0", step=1)
    >>> '"L1.N0.w0"' in g.source
    True
    >>> g = nt.viz.neuron_graph(t, "L1.N0", event=t.events(1)[4])   # after backward L2.N0
    """
    check_trace(t, "viz.neuron_graph")
    missing = "?"
    if event is not None:
        step = getattr(event, "step", step)
        _, batch, k = _step_and_sample(t, step, sample)
        s, missing = _at_event(t, step, event), ""
    else:
        s, batch, k = _step_and_sample(t, step, sample)
    l, j = _locate(t.sizes, name)
    fwd, bwd, upd = s.forward[name], s.backward[name], s.update[name]
    pick = (lambda v: v) if not batch else (lambda v: None if v is None else v[k])
    n_in = t.sizes[l]
    preds = _predecessor_names(t.sizes, l)
    def f(v):
        return _fmt(v, digits, missing)

    x = pick(fwd.get("x"))
    x = [None] * n_in if x is None else [float(v) for v in x]
    w = upd.get("weights_before")            # the weights the forward pass used
    w = [None] * n_in if w is None else [float(v) for v in w]
    b = upd.get("bias_before")
    z, a = pick(fwd.get("z")), pick(fwd.get("a"))
    delta, dL_da, da_dz = pick(bwd.get("delta")), pick(bwd.get("dL_da")), pick(bwd.get("da_dz"))
    grad_w, grad_b = bwd.get("grad_weights"), bwd.get("grad_bias")
    sent = bwd.get("to_predecessors", {})
    act = t.activation_names[l]
    fused = "da_dz" not in bwd and "delta" in bwd
    d = f(delta)

    g = Digraph(name=name, comment=f"neurotrace: neuron {name}, step {s.id}")
    lines = [f"{name} at {_step_title(s)}: z = Σ x_i·w_i + b,  a = {act}(z)"]
    if batch:
        lines.append(f"sample {k} of a batch of {s.n_samples}: values and δ are sample {k}'s; "
                     f"dL/dw and dL/db show sample {k}'s share δ·x and the batch total the "
                     f"update used")
    lines.append("each box, top to bottom: name, value, gradient dL/d·")
    if event is not None:
        lines += _event_lines(s)
    if not upd:
        lines.append("weights and bias not recorded at this step (no update in the trace)")
    g.attr(rankdir="LR", label="\\n".join(lines), labelloc="t", fontname=FONT, fontsize="12")
    g.attr("node", shape="record", fontname=FONT, fontsize="10")
    g.attr("edge", fontname=FONT, fontsize="9", color="#555555")

    def share(total, value):
        """The gradient text of a parameter: batch total, or this sample's share and the total."""
        if not batch:
            return f(total)
        return f"{f(value)} (sample {k})\nbatch total {f(total)}"

    for i in range(n_in):
        pred, xi, wi = preds[i], x[i], w[i]
        xname = pred if l == 0 else f"x{i} = a of {pred}"
        back = pick(sent.get(pred))
        g.node(pred, _record(xname, f(xi), f"δ·w{i} = {f(back)} (sent back)"),
               tooltip=f"{pred}: input {i} of {name}")
        gw = None if grad_w is None else float(grad_w[i])
        mine = None if delta is None or xi is None else delta * xi
        g.node(f"{name}.w{i}",
               _record(f"w{i}", f(wi), f"dL/dw{i} = δ·x{i} = " + share(gw, mine)),
               tooltip=f"weight w{i} of {name}")
        product = None if xi is None or wi is None else xi * wi
        g.node(f"{name}.xw{i}", _record(f"x{i}·w{i}", f(product), f"dL/d(x{i}·w{i}) = δ = {d}"))
    total = None if any(v is None for v in x + w) else float(np.dot(x, w))
    g.node(f"{name}.sum", _record("Σ x_i·w_i", f(total), f"dL/dΣ = δ = {d}"))
    g.node(f"{name}.b", _record("b", f(b), "dL/db = δ = " + share(grad_b, delta)))
    g.node(f"{name}.plus", "+ b", shape="circle", fontsize="11")
    g.node(f"{name}.z", _record("z", f(z), f"dL/dz = δ = {d}"))
    if fused:
        g.node(f"{name}.f", f"f = {act}\\n(fused with the loss)", shape="ellipse")
    else:
        g.node(f"{name}.f", f"f = {act}\\nf'(z) = {f(da_dz)}", shape="ellipse")
    g.node(f"{name}.a", _record("a", f(a), "dL/da: fused, δ = (a - y)/n" if fused
                                else f"dL/da = {f(dL_da)}"))

    for i in range(n_in):
        g.edge(preds[i], f"{name}.xw{i}")
        g.edge(f"{name}.w{i}", f"{name}.xw{i}")
        g.edge(f"{name}.xw{i}", f"{name}.sum")
    g.edge(f"{name}.sum", f"{name}.plus")
    g.edge(f"{name}.b", f"{name}.plus")
    g.edge(f"{name}.plus", f"{name}.z")
    g.edge(f"{name}.z", f"{name}.f")
    g.edge(f"{name}.f", f"{name}.a")

    nxt = getattr(s, "next", None)
    if nxt is not None and nxt.node == name:          # highlight what the next event computes
        boxes = {"forward": ("sum", "plus", "z", "f", "a"), "backward": ("a", "f", "z"),
                 "update": ("b",) + tuple(f"w{i}" for i in range(n_in))}[nxt.phase]
        for box in boxes:
            g.node(f"{name}.{box}", style="filled", fillcolor=HIGHLIGHT)
    elif nxt is not None and nxt.node == "loss" and l == len(t.sizes) - 2:
        g.node(f"{name}.a", style="filled", fillcolor=HIGHLIGHT)
    if l == len(t.sizes) - 2:                           # output neuron: on to the loss
        y = None if s.targets is None else pick(s.targets)
        y = None if y is None else float(np.asarray(y).reshape(-1)[j])
        where = f" (batch of {s.n_samples})" if batch else ""
        g.node("loss", _record(f"loss ({s.loss_name or '?'})", f"{f(s.loss)}{where}",
                               f"target y{j} = {f(y)}"), tooltip="the loss of this step")
        g.edge(f"{name}.a", "loss", label=f"a{j}")
    else:                                               # hidden neuron: on to its successors
        for successor in t.node_names()[l + 1]:
            try:
                sb, su = s.backward[successor], s.update[successor]
            except KeyError:
                g.node(successor, _record(successor, "not recorded"), style="dashed")
                g.edge(f"{name}.a", successor)
                continue
            ws = su.get("weights_before")
            ws = None if ws is None else float(ws[j])
            back = pick(sb.get("to_predecessors", {}).get(name))
            weight_and_delta = f"w{j} = {f(ws)},  δ = {f(pick(sb.get('delta')))}"
            g.node(successor, _record(successor, weight_and_delta,
                                      f"δ·w{j} = {f(back)} (sent back)"),
                   tooltip=f"{successor} reads {name} as its input x{j}")
            g.edge(f"{name}.a", successor, label=f"x{j}")
    return g


# --- the network -----------------------------------------------------------------------------

def _snapshot_from_trace(t, step, sample, event=None):
    """Everything network_graph draws, from a recorded step (up to ``event`` if given)."""
    if event is not None:
        step = getattr(event, "step", step)
    s, batch, k = _step_and_sample(t, step, sample)
    if event is not None:
        s = _at_event(t, step, event)
    pick = (lambda v: v) if not batch else (lambda v: None if v is None else v[k])
    snap = {"sizes": t.sizes, "activations": t.activation_names, "x": None, "neurons": {},
            "loss": s.loss, "loss_name": s.loss_name, "targets": None, "notes": []}
    title = f"{t.backend} {t.sizes} at {_step_title(s)}"
    if batch:
        title += f", sample {k} of a batch of {s.n_samples}"
        snap["notes"].append(f"neuron values are sample {k}'s; dL/dw on edges and the loss "
                             f"are for the whole batch of {s.n_samples}")
    snap["title"] = title
    if s.targets is not None:
        snap["targets"] = np.asarray(pick(s.targets), dtype=float).reshape(-1)
    for l, layer_names in enumerate(t.node_names()):
        for name in layer_names:
            if name not in s.forward:
                continue
            fwd, bwd, upd = s.forward[name], s.backward[name], s.update[name]
            if snap["x"] is None and l == 0 and "x" in fwd:
                snap["x"] = np.asarray(pick(fwd["x"]), dtype=float)
            snap["neurons"][name] = {
                "z": pick(fwd.get("z")), "a": pick(fwd.get("a")), "delta": pick(bwd.get("delta")),
                "dL_da": pick(bwd.get("dL_da")),
                "w": upd.get("weights_before"), "b": upd.get("bias_before"),
                "gw": bwd.get("grad_weights"), "gb": bwd.get("grad_bias")}
    if not any(n["w"] is not None for n in snap["neurons"].values()):
        snap["notes"].append("weights not recorded at this step (no update in the trace)")
    if event is not None:
        snap["notes"] += _event_lines(s)
        snap["next"] = s.next
    return snap


def _snapshot_from_network(net, sample):
    """Everything network_graph draws, from a network: its weights and its last forward pass."""
    sizes, acts = list(net.sizes), list(net.activation_names)
    snap = {"sizes": sizes, "activations": acts, "x": None, "neurons": {}, "loss": None,
            "loss_name": None, "targets": None, "notes": []}
    params, grads = net.parameters(), net.parameter_gradients()
    vectorized = hasattr(net.layers[0], "Z")
    first = net.layers[0] if vectorized else net.layers[0][0]
    X = getattr(first, "X" if vectorized else "x", None)
    batch = X is not None and np.ndim(X) == 2
    k = 0 if sample is None else sample
    if batch and not 0 <= k < len(X):
        raise ValueError(f"The last forward pass had {len(X)} samples; 'sample' must be in "
                         f"[0, {len(X) - 1}], got {sample!r}.")
    pick = (lambda v: v) if not batch else (lambda v: None if v is None else v[k])
    have_forward = X is not None
    have_backward = False
    if have_forward:
        snap["x"] = np.asarray(pick(X), dtype=float)
    for l, layer_names in enumerate(net.node_names()):
        W, b = params[l]
        gW, gb = grads[l]
        layer = net.layers[l]
        for j, name in enumerate(layer_names):
            if vectorized:
                z, a, delta = (None if v is None else v[..., j]
                               for v in (layer.Z, layer.A, layer.delta))
            else:
                z, a, delta = layer[j].z, layer[j].a, layer[j].delta
            have_backward = have_backward or delta is not None
            dL_da = (layer.dL_da[..., j] if vectorized and layer.dL_da is not None
                     else None if vectorized else layer[j].dL_da)
            snap["neurons"][name] = {"z": pick(z), "a": pick(a), "delta": pick(delta),
                                     "dL_da": pick(dL_da),
                                     "w": np.array(W[:, j]), "b": float(b[j]),
                                     "gw": None if delta is None else np.array(gW[:, j]),
                                     "gb": None if delta is None else float(gb[j])}
    title = f"{type(net).__name__} {sizes}: current weights"
    if have_forward:
        title += ", values of its last forward pass" + (f" (sample {k})" if batch else "")
    else:
        snap["notes"].append("no forward pass yet: weights only")
    if have_forward and have_backward:
        snap["notes"].append("dL/dw from its last backward pass")
    snap["title"] = title
    return snap


def _choose_edges(snap, show, max_edges, top_k, min_weight):
    """Which weight edges to draw, and a sentence saying what was left out.

    Returns ``(edges, note)``: ``edges[l][j]`` lists the inputs ``i`` kept for
    neuron ``j`` of layer ``l``.
    """
    sizes = snap["sizes"]
    total = sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))
    by = "|dL/dw|" if show == "gradients" else "|w|"
    kept, dropped_small, edges = 0, 0, []
    receivers = sum(sizes[1:])
    if top_k is None and total > max_edges:
        top_k = max(1, max_edges // receivers)
    for l, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        layer = []
        for j in range(n_out):
            n = snap["neurons"].get(names.neuron(l, j))
            w = None if n is None else n["w"]
            key = (n or {}).get("gw") if show == "gradients" else w
            idx = list(range(n_in))
            if min_weight is not None and w is not None:
                small = [i for i in idx if abs(w[i]) < min_weight]
                dropped_small += len(small)
                idx = [i for i in idx if abs(w[i]) >= min_weight]
            if top_k is not None and len(idx) > top_k and key is not None:
                order = np.argsort(-np.abs(np.asarray(key)[idx]), kind="stable")[:top_k]
                idx = sorted(idx[i] for i in order)
            layer.append(idx)
            kept += len(idx)
        edges.append(layer)
    parts = []
    if kept < total:
        parts.append(f"showing {kept} of {total} edges")
        if top_k is not None:
            parts.append(f"top-{top_k} by {by} into each neuron")
        if dropped_small:
            parts.append(f"{dropped_small} with |w| < {min_weight:g} hidden")
    return edges, kept, ", ".join(parts)


def network_graph(source, step=None, sample=None, show="both", *, max_edges=200, top_k=None,
                  min_weight=None, labels=None, max_inputs=16, digits=3, event=None):
    """The network at one step: inputs on the left, layers left to right, the loss on the right.

    Each neuron is one node showing ``z``, ``a`` (values) and ``delta``
    (gradients); each edge carries its weight ``w`` and gradient ``dL/dw``,
    coloured by sign (blue positive, red negative) and as wide as its size.

    How it stays readable up to 64-32-10 (the digits network, 2368 weights):

    * up to ``max_edges`` (200) weight edges are all drawn; beyond that only the
      ``top_k`` largest by ``|w|`` (``|dL/dw|`` with ``show="gradients"``) into
      each neuron are kept, with ``top_k = max_edges // n_neurons`` unless given
      (64-32-10: 4 per neuron, 168 edges);
    * edge labels are written while at most ``labels`` edges (default 40) are
      drawn; every edge keeps a tooltip with its numbers (hover in the SVG);
    * more than ``max_inputs`` inputs are drawn as one grid node (8x8 for 64
      inputs, darker = larger input), one port per input, so the picture shows
      the image the network reads;
    * layers of more than 12 neurons get one-line labels;
    * the caption says what was hidden, e.g. ``showing 168 of 2368 edges,
      top-4 by |w| into each neuron``.

    Parameters
    ----------
    source : Trace, NeuralNetwork or VectorizedNetwork
        A trace (values of a recorded step), or a network (its current weights,
        and the values of its last forward/backward pass if any).
    step : int, optional
        A recorded step of the trace; default the first one.
    sample : int, optional
        For a batch, which sample's neuron values to show (default 0).
    show : {"values", "gradients", "both"}, default="both"
        ``values``: ``z``, ``a`` and ``w``; ``gradients``: ``delta`` and
        ``dL/dw`` (colour and width then follow the gradient); ``both``.
    max_edges : int, default=200
    top_k : int, optional
        Keep this many largest edges into each neuron (default: all when the
        network has at most ``max_edges`` weights).
    min_weight : float, optional
        Hide edges with ``|w| < min_weight``.
    labels : int, optional
        Write edge labels when at most this many edges are drawn (default 40).
    max_inputs : int, default=16
        Draw more inputs than this as one grid node.
    digits : int, default=3
        Significant digits.
    event : Event or int, optional
        With a trace: draw the step only up to this event (an event of
        ``t.events(step)`` or its index). Done values have their numbers, the
        next event's neuron is highlighted, values not yet computed are empty.

    Returns
    -------
    graphviz.Digraph
        Not rendered; see :func:`render`.

    Raises
    ------
    ValueError
        If ``show`` is not one of the three, ``max_edges`` is not a positive int, a
        ``step`` is given with a network, or ``sample`` is not a sample of the batch.
    TypeError
        If ``source`` is neither a Trace nor a network.
    KeyError
        If ``step`` was not recorded by the trace.

    Examples
    --------
    >>> import neurotrace as nt
    >>> g = nt.viz.network_graph(nt.NeuralNetwork([2, 2, 1], seed=0))
    >>> '"L1.N0" -> "L2.N0"' in g.source
    True
    """
    if show not in ("values", "gradients", "both"):
        raise ValueError(f"The 'show' parameter of network_graph must be one of "
                         f"['values', 'gradients', 'both']. Got {show!r} instead.")
    if isinstance(max_edges, bool) or not isinstance(max_edges, (int, np.integer)) \
            or max_edges < 1:
        raise ValueError(f"The 'max_edges' parameter of network_graph must be a positive "
                         f"integer. Got {max_edges!r} instead.")
    if event is not None and not (hasattr(source, "steps") and hasattr(source, "series")):
        raise ValueError("network_graph: 'event' needs a Trace (t.events(step) are its events).")
    if hasattr(source, "steps") and hasattr(source, "series"):
        snap = _snapshot_from_trace(check_trace(source, "viz.network_graph"), step, sample, event)
    elif hasattr(source, "parameters") and hasattr(source, "sizes"):
        if step is not None:
            raise ValueError("network_graph: 'step' needs a Trace; a network has only its "
                             "current state.")
        snap = _snapshot_from_network(source, sample)
    else:
        raise TypeError(f"network_graph expects a Trace, NeuralNetwork or VectorizedNetwork, "
                        f"got {type(source).__name__}.")
    values, grads = show in ("values", "both"), show in ("gradients", "both")
    missing = "" if event is not None else "?"
    nxt = snap.get("next")

    def f(v):
        return _fmt(v, digits, missing)
    sizes, acts = snap["sizes"], snap["activations"]
    edges, kept, hidden = _choose_edges(snap, show, max_edges, top_k, min_weight)
    labels = 40 if labels is None else labels
    with_labels = kept <= labels
    grid = sizes[0] > max_inputs

    g = Digraph(name="network", comment=f"neurotrace: network {sizes}")
    caption = [snap["title"]] + snap["notes"]
    notes = [hidden] if hidden else []
    if not with_labels:
        notes.append(f"edge labels hidden above {labels} edges (hover an edge in the SVG)")
    if grid:
        cols = math.ceil(math.sqrt(sizes[0]))
        rows = math.ceil(sizes[0] / cols)
        notes.append(f"the {sizes[0]} inputs drawn as one {rows}x{cols} grid (darker = larger)")
    caption += notes
    caption.append("blue > 0, red < 0; width ~ |" + ("dL/dw" if show == "gradients" else "w")
                   + "|")
    g.attr(rankdir="LR", label="\\n".join(caption), labelloc="t", fontname=FONT,
           fontsize="12", nodesep="0.25" if max(sizes) <= 12 else "0.06", ranksep="1.4")
    g.attr("node", fontname=FONT, fontsize="10")
    g.attr("edge", fontname=FONT, fontsize="8", arrowsize="0.5")

    # Inputs.
    x = snap["x"]
    with g.subgraph(name="inputs") as sub:
        sub.attr(rank="same")
        if grid:
            sub.node("inputs", _grid_label(x, sizes[0], digits), shape="plaintext")
        else:
            for i in range(sizes[0]):
                value = "" if x is None else "\\n" + f(x[i])
                sub.node(f"x{i}", f"x{i}{value}", shape="circle", fixedsize="false",
                         style="filled", fillcolor="#f0f0f0", tooltip=f"input x{i}")

    # Neurons, one rank per layer.
    big = max(sizes) > 12
    for l, n_out in enumerate(sizes[1:]):
        compact = n_out > 12
        with g.subgraph(name=names.layer(l)) as sub:
            sub.attr(rank="same")
            for j in range(n_out):
                name = names.neuron(l, j)
                n = snap["neurons"].get(name)
                if n is None:
                    sub.node(name, f"{name}\\nnot recorded", shape="box", style="dashed")
                    continue
                parts = []
                if values:
                    parts += [f"z = {f(n['z'])}", f"a = {f(n['a'])}"]
                if grads:
                    parts.append(f"δ = {f(n['delta'])}")
                if values and n["b"] is not None and not compact:
                    parts.append(f"b = {f(n['b'])}")
                sep = "  " if compact else "\\n"
                label = f"{name}{sep}" + sep.join(parts)
                tip = (f"{name} ({acts[l]}): z={f(n['z'])} a={f(n['a'])} δ={f(n['delta'])} "
                       f"b={f(n['b'])} dL/db={f(n['gb'])}")
                small = ({"fontsize": "8", "height": "0.2", "margin": "0.04,0.02"}
                         if compact else {})
                fill = "#fff5e0" if l < len(sizes) - 2 else "#e8f4e8"
                if nxt is not None and nxt.node == name:          # the next event's neuron
                    small = {**small, "penwidth": "3", "color": "#b8860b"}
                    fill = HIGHLIGHT
                sub.node(name, label, shape="box", style="rounded,filled",
                         fillcolor=fill, tooltip=tip, **small)
            if big:   # keep N0, N1, ... in order from top to bottom
                for j in range(n_out - 1):
                    sub.edge(names.neuron(l, j), names.neuron(l, j + 1), style="invis")

    # Weight edges.
    for l, layer in enumerate(edges):
        preds = _predecessor_names(sizes, l)
        neurons = [snap["neurons"].get(names.neuron(l, j)) for j in range(sizes[l + 1])]
        scale_key = "gw" if show == "gradients" else "w"
        biggest = max([float(np.max(np.abs(n[scale_key]))) for n in neurons
                       if n is not None and n[scale_key] is not None and len(n[scale_key])]
                      + [0.0])
        for j, kept_inputs in enumerate(layer):
            n = neurons[j]
            for i in kept_inputs:
                w = None if n is None or n["w"] is None else float(n["w"][i])
                gw = None if n is None or n["gw"] is None else float(n["gw"][i])
                key = gw if show == "gradients" else w
                tail = f"inputs:x{i}:e" if (l == 0 and grid) else preds[i]
                color = _sign_color(key) + ("99" if big else "")   # translucent when crowded
                attrs = {"color": color,
                         "tooltip": f"{preds[i]} -> L{l + 1}.N{j}: w={f(w)} dL/dw={f(gw)}"}
                if key is not None and biggest > 0:
                    low, high = (0.4, 2.0) if big else (0.6, 4.0)
                    attrs["penwidth"] = f"{low + (high - low) * abs(key) / biggest:.2f}"
                if with_labels:
                    text = []
                    if values:
                        text.append(f"w {f(w)}")
                    if grads:
                        text.append(f"dL/dw {f(gw)}")
                    attrs["label"] = "\\n".join(text)
                    attrs["fontcolor"] = _sign_color(key)
                g.edge(tail, names.neuron(l, j), **attrs)

    # The loss.
    if snap["loss"] is not None or snap["targets"] is not None:
        label = f"loss ({snap['loss_name'] or '?'})\\n{f(snap['loss'])}"
        if snap["targets"] is not None and len(snap["targets"]) <= 4:
            label += "\\ny = " + ", ".join(f(v) for v in snap["targets"])
        loss_next = {"fillcolor": HIGHLIGHT, "penwidth": "3"} \
            if nxt is not None and nxt.node == "loss" else {"fillcolor": "#fde0dd"}
        g.node("loss", label, shape="doubleoctagon", style="filled",
               tooltip="the loss of this step", **loss_next)
        for j in range(sizes[-1]):
            name = names.neuron(len(sizes) - 2, j)
            n = snap["neurons"].get(name) or {}
            attrs = {}
            if grads and with_labels and n.get("dL_da") is not None:
                attrs = {"label": f"dL/da {f(n['dL_da'])}", "fontcolor": "#666666"}
            g.edge(name, "loss", color="#999999", style="dashed", **attrs)
    return g


def _grid_label(x, n, digits):
    """An HTML-like table: one cell (and port ``x{i}``) per input, shaded by its value."""
    cols = math.ceil(math.sqrt(n))
    rows = math.ceil(n / cols)
    if x is not None:
        lo, hi = float(np.min(x)), float(np.max(x))
        span = hi - lo if hi > lo else 1.0
    cells = [f'<TR><TD COLSPAN="{cols}" BORDER="0">inputs x0..x{n - 1}</TD></TR>']
    for r in range(rows):
        row = []
        for c in range(cols):
            i = r * cols + c
            if i >= n:
                row.append('<TD BORDER="0"></TD>')
                continue
            shade = 255 if x is None else int(round(255 * (1 - (x[i] - lo) / span)))
            title = f"x{i}" if x is None else f"x{i} = {_fmt(x[i], digits)}"
            row.append(f'<TD PORT="x{i}" BGCOLOR="#{shade:02x}{shade:02x}{shade:02x}" '
                       f'WIDTH="24" HEIGHT="24" FIXEDSIZE="TRUE" TITLE="{_html(title)}"></TD>')
        cells.append("<TR>" + "".join(row) + "</TR>")
    return ('<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="0">'
            + "".join(cells) + "</TABLE>>")


# --- writing files -------------------------------------------------------------------------

def render(graph, path, format="svg", missing="raise"):
    """Write ``path.dot`` (always) and ``path.<format>`` (when Graphviz's ``dot`` is installed).

    Parameters
    ----------
    graph : graphviz.Digraph
    path : str or Path
        Without extension (``out/network``); a ``.dot``/``.svg``/``.png``/... suffix is
        dropped.
    format : str or list of str, default="svg"
        One or more Graphviz output formats, e.g. ``"svg"`` or ``("svg", "png")``.
    missing : {"raise", "warn"}, default="raise"
        Without ``dot``: raise :class:`GraphvizNotFound` or warn, after saving
        the DOT source. Either way the message says how to install Graphviz.

    Returns
    -------
    list of Path
        The files written, the ``.dot`` file first.

    Raises
    ------
    GraphvizNotFound
        With ``missing="raise"``, when ``dot`` is not installed (after the DOT source
        was written).
    ValueError
        If ``missing`` is not ``"raise"`` or ``"warn"``.

    Examples
    --------
    >>> import os, tempfile, neurotrace as nt
    >>> g = nt.viz.network_graph(nt.NeuralNetwork([2, 2, 1], seed=0))
    >>> files = nt.viz.render(g, os.path.join(tempfile.mkdtemp(), "net"), missing="warn")
    >>> files[0].name
    'net.dot'
    """
    if missing not in ("raise", "warn"):
        raise ValueError(f"The 'missing' parameter of render must be one of ['raise', 'warn']. "
                         f"Got {missing!r} instead.")
    formats = [format] if isinstance(format, str) else list(format)
    path = Path(path)
    if path.suffix.lower() in {".dot", ".gv", *("." + fmt for fmt in formats)}:
        path = path.with_suffix("")
    path.parent.mkdir(parents=True, exist_ok=True)
    dot_path = path.with_name(path.name + ".dot")
    # Every file is written atomically: a failed write leaves the previous file as it was.
    atomic_write(dot_path, lambda f: f.write(graph.source), binary=False)
    written = [dot_path]
    for fmt in formats:
        try:
            data = graph.pipe(format=fmt)
        except graphviz.ExecutableNotFound:
            message = f"Saved the DOT source to {dot_path}, but could not draw {fmt.upper()}: " \
                      f"{INSTALL_HINT} Then run: dot -T{fmt} {dot_path} -o {path}.{fmt}"
            if missing == "raise":
                raise GraphvizNotFound(message) from None
            warnings.warn(message, GraphvizWarning, stacklevel=2)
            return written
        out = path.with_name(f"{path.name}.{fmt}")
        atomic_write(out, lambda f, data=data: f.write(data))
        written.append(out)
    return written


def have_dot():
    """Whether Graphviz's ``dot`` program is on the ``PATH`` (so graphs can be drawn).

    Returns
    -------
    bool
        True when ``dot`` is found; without it :func:`render` writes only the DOT source.

    Examples
    --------
    >>> import neurotrace as nt
    >>> formats = ["svg", "png"] if nt.viz.have_dot() else []
    """
    import shutil
    return shutil.which("dot", path=os.environ.get("PATH")) is not None
