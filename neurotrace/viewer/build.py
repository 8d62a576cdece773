"""Build the viewer page: one HTML file with the trace's numbers embedded as JSON.

The page (``viewer.html``, ``viewer.css``, ``viewer.js`` next to this file) is
plain JavaScript and inline SVG: no library, no network request, no server, no
Graphviz. Everything it shows comes from the data written here:

* every kept step's values, one block per layer and quantity, as the raw bytes
  of the float64 numbers (base64, little-endian), so the page shows exactly the
  recorded numbers (``data-value`` attributes round-trip to the same bits);
  identical blocks are stored once (the weights after one step are the weights
  before the next);
* each kept step's events (``t.events(step)``: phase, node, printed equations)
  and chain-rule explanations (``t.explain(...)``), as text made by Python,
  so the page's text is the library's text;
* the loss at every recorded step, for the loss curve.

The file size is bounded: past ``max_steps`` steps or ``max_bytes`` bytes, only
evenly spaced steps are kept (the first and last always), and the page says so.
"""
import base64
import gzip
import hashlib
import html
import json
import math
from importlib import resources

import numpy as np

__all__ = ["DEFAULT_MAX_BYTES", "DEFAULT_MAX_STEPS", "page"]

DEFAULT_MAX_STEPS = 200
DEFAULT_MAX_BYTES = 6 * 2 ** 20
DEFAULT_MAX_EXPLAIN = 1000          # chain-rule explanations embedded, at most
MAX_EDGES = 200                     # as network_graph: beyond it, top-k edges per neuron
FORWARD_Q = ("z", "a")
BACKWARD_Q = ("dL_da", "da_dz", "delta")


class _Blobs:
    """Float64 arrays as base64 strings, each distinct array stored once."""

    def __init__(self):
        self.items, self.index, self.nbytes = [], {}, 0

    def add(self, array):
        array = np.ascontiguousarray(np.asarray(array, dtype="<f8"))
        raw = array.tobytes()
        key = hashlib.sha1(raw).hexdigest() + str(array.shape)
        if key not in self.index:
            self.index[key] = len(self.items)
            self.items.append(base64.b64encode(raw).decode("ascii"))
            self.nbytes += 4 * math.ceil(len(raw) / 3)
        return {"r": self.index[key], "shape": list(array.shape)}


def _stack(records, quantity):
    """The neurons' values of one quantity stacked along the last axis, or None if missing."""
    if not all(quantity in r for r in records):
        return None
    return np.stack([np.asarray(r[quantity], dtype=np.float64) for r in records], axis=-1)


def _step_blocks(t, step, blobs):
    """One step's numbers: per layer, per quantity, a reference to a blob."""
    layers = []
    for l, names in enumerate(t.node_names()):
        if not all(name in step.forward for name in names):
            layers.append(None)             # a layer the trace did not record (limits)
            continue
        fwd = [step.forward[name] for name in names]
        bwd = [step.backward[name] for name in names]
        upd = [step.update[name] for name in names]
        out = {}
        for q, records in [(q, fwd) for q in FORWARD_Q] + [(q, bwd) for q in BACKWARD_Q]:
            block = _stack(records, q)
            if block is not None:
                out[q] = blobs.add(block)
        # Parameters: (n_neurons, n_inputs) weights and (n_neurons,) biases.
        for key, records, q in (("w", upd, "weights_before"), ("b", upd, "bias_before"),
                                ("gw", bwd, "grad_weights"), ("gb", bwd, "grad_bias"),
                                ("wa", upd, "weights_after"), ("ba", upd, "bias_after")):
            block = _stack(records, q)
            if block is not None:
                out[key] = blobs.add(block.T if block.ndim == 2 else block)
        # The optimizer's state (e.g. momentum's velocity) after the update.
        for state in sorted(q[:-len("_weights")] for q in upd[0] if q.endswith("_weights")
                            and q not in ("weights_before", "weights_after")):
            w, b = _stack(upd, f"{state}_weights"), _stack(upd, f"{state}_bias")
            if w is not None and b is not None:
                out.setdefault("state", {})[state] = {"w": blobs.add(w.T), "b": blobs.add(b)}
        if l == 0 and "x" in fwd[0]:
            out["x"] = blobs.add(fwd[0]["x"])
        layers.append(out)
    return layers


def _choose_steps(t, steps, max_steps):
    """The steps to embed: the ones asked for, evenly thinned to at most ``max_steps``."""
    recorded = t.steps
    if steps is not None:
        wanted, have = [int(k) for k in steps], set(recorded)
        missing = [k for k in wanted if k not in have]
        if missing:
            raise KeyError(f"Steps {missing[:5]} were not recorded; recorded steps: "
                           f"{recorded[:5]}{' ...' if len(recorded) > 5 else ''}.")
        recorded = sorted(set(wanted))
    if len(recorded) <= max_steps:
        return recorded
    return _evenly(recorded, max_steps)


def _evenly(items, n):
    """``n`` items spread evenly over ``items``, the first and the last included."""
    if n >= len(items):
        return list(items)
    if n == 1:
        return [items[0]]
    picks = sorted({round(i * (len(items) - 1) / (n - 1)) for i in range(n)})
    return [items[i] for i in picks]


def _events(t, k):
    """Step ``k``'s events as ``[phase, node, text, reveals]``, in the order they happen."""
    if not hasattr(t, "events"):
        # Until t.events (the step-through issue) is part of the package: the order of
        # DESIGN.md, without the equations; the page then goes by phases.
        names = [name for layer in t.node_names() for name in layer]
        return ([["forward", name, "", {}] for name in names] + [["loss", "loss", "", {}]]
                + [["backward", name, "", {}] for layer in t.node_names()[::-1]
                   for name in layer]
                + [["update", name, "", {}] for name in names])
    # What each event makes known, by node: the page shows the rest as not yet computed.
    return [[ev.phase, ev.node, str(ev), {node: sorted(values) for node, values in
                                          ev.reveals.items()}] for ev in t.events(k)]


def _drawn_inputs(t, step, l, j, top_k):
    """The inputs of neuron ``j`` of layer ``l`` whose edges the page draws (as viewer.js)."""
    n_in = t.sizes[l]
    if top_k is None or n_in <= top_k:
        return range(n_in)
    update = step.update[f"L{l + 1}.N{j}"]
    if "weights_before" not in update:
        return range(n_in)
    w = np.abs(update["weights_before"])
    return sorted(np.argsort(-w, kind="stable")[:top_k].tolist())


def _explain_plan(t, k, rich):
    """The ``(node, quantity)`` pairs whose explanation step ``k`` embeds.

    Every neuron's bias and weights (their gradients), or only the drawn edges'
    weights when the network has more than 200 (then the top-k edges into each
    neuron). With ``rich`` (a ``t.explain`` that explains every quantity) also
    ``z``, ``a``, ``dL_da``, ``da_dz``, ``delta`` and the updates, for networks of
    at most 200 weights.
    """
    sizes = t.sizes
    total = sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))
    top_k = max(1, MAX_EDGES // sum(sizes[1:])) if total > MAX_EDGES else None
    every = rich and top_k is None
    step, plan = t[k], []
    for l, names in enumerate(t.node_names()):
        for j, name in enumerate(names):
            if name not in step.forward:
                continue                        # not recorded (the trace's neuron limits)
            if every:
                plan += [(name, q) for q in ("z", "a", "dL_da", "da_dz", "delta")]
            weights = [f"w{i}" for i in _drawn_inputs(t, step, l, j, top_k)]
            plan += [(name, q) for q in ["b"] + weights]
            if every:
                plan += [(name, f"update:{q}") for q in ["b"] + weights]
    return plan


def _explains_everything(t, k):
    """Does ``t.explain`` explain every quantity (z, a, ..., updates), or only gradients?"""
    try:
        t.explain(t.node_names()[0][0], "z", step=k)
    except (KeyError, ValueError):
        return False
    return True


def _explanations(t, chosen, max_explain):
    """``{step: {node: {quantity: text}}}`` for as many steps as ``max_explain`` texts allow.

    A step gets all of its explanations or none: the first and the last step
    first, then evenly spaced steps in between.
    """
    ends = list(dict.fromkeys([chosen[0], chosen[-1]]))
    rich = _explains_everything(t, chosen[0])
    plans = {k: _explain_plan(t, k, rich) for k in ends}
    per_step = max(1, max(len(plan) for plan in plans.values()))
    room = max(0, max_explain // per_step - len(ends))
    order = ends + (_evenly(chosen[1:-1], room) if room else [])
    out, left = {}, max_explain
    for k in order:
        plan = plans[k] if k in plans else _explain_plan(t, k, rich)
        if len(plan) > left:
            break
        texts = {}
        for name, q in plan:
            try:
                texts.setdefault(name, {})[q] = str(t.explain(name, q, step=k))
            except (KeyError, ValueError):
                continue                            # not recorded at this step
        out[k] = texts
        left -= len(plan)
    return out


def _num(value):
    """A float for JSON: finite numbers as numbers, the others as strings JavaScript reads."""
    if value is None:
        return None
    value = float(value)
    if math.isfinite(value):
        return value
    return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")


def _loss_curve(t):
    try:
        loss = t.series("loss")
    except KeyError:
        return None
    return [_num(v) for v in loss]


def _gzip_json(value):
    """``value`` as JSON, gzip-compressed (no time stamp: the same trace, the same bytes), base64."""
    raw = json.dumps(value, separators=(",", ":"), allow_nan=False).encode("utf-8")
    return base64.b64encode(gzip.compress(raw, mtime=0)).decode("ascii")


def _step_events(t, k, reveal_sets, failed):
    """Step ``k``'s events, each reveals list replaced by its index in ``reveal_sets``."""
    try:
        events = _events(t, k)
    except (KeyError, TypeError, ValueError) as error:   # t.events could not replay it
        failed.append(f"{k} ({type(error).__name__}: {error})")
        return []
    for event in events:
        key = json.dumps(event[3], sort_keys=True)
        event[3] = reveal_sets.setdefault(key, len(reveal_sets))
    return events


def _data(t, steps=None, max_steps=DEFAULT_MAX_STEPS, max_bytes=DEFAULT_MAX_BYTES,
          max_explain=DEFAULT_MAX_EXPLAIN, title=None):
    """Everything the page shows, as a JSON-ready dict."""
    if len(t) == 0:
        raise ValueError("This trace recorded no steps: nothing to view. Train or run a "
                         "forward pass inside the 'with nt.trace(net) as t:' block.")
    for name, value, least in (("max_steps", max_steps, 1), ("max_bytes", max_bytes, 1),
                               ("max_explain", max_explain, 0)):
        if isinstance(value, bool) or not isinstance(value, int) or value < least:
            kind = "positive" if least else "non-negative"
            raise ValueError(f"The '{name}' parameter of to_html must be a {kind} integer. "
                             f"Got {value!r} instead.")
    chosen = _choose_steps(t, steps, max_steps)
    notes = list(t.thinned)
    if t.skipped:
        notes.append(f"The trace itself skipped {t.skipped} steps (its limits: every="
                     f"{t.limits.get('every')}, steps={t.limits.get('steps')}).")
    asked = len(t.steps) if steps is None else len(set(steps))
    blobs, reveal_sets, failed = _Blobs(), {}, []
    # Size the steps on the first one (its numbers and its compressed events), then keep
    # as many as fit in max_bytes.
    first = _step_blocks(t, t[chosen[0]], blobs)
    first_events = _step_events(t, chosen[0], reveal_sets, failed)
    per_step = max(blobs.nbytes + len(_gzip_json(first_events)), 1)
    fit = max(2, int(max_bytes // per_step))
    if len(chosen) > fit:
        chosen = _evenly(chosen, fit)
    if len(chosen) < asked:
        notes.append(f"This page shows {len(chosen)} of the {asked} recorded steps, evenly "
                     f"spaced (first and last included), to keep the file near "
                     f"{max_bytes / 2**20:.0f} MiB; t.to_html(steps=[...]) picks others.")
    explanations = _explanations(t, chosen, max_explain)
    if len(explanations) < len(chosen):
        notes.append(f"Chain-rule explanations are embedded for {len(explanations)} of the "
                     f"{len(chosen)} steps shown (max_explain={max_explain}); "
                     f"t.explain(...) gives any other in Python.")
    out_steps, events = [], []
    for k in chosen:
        s = t[k]
        layers = first if k == chosen[0] else _step_blocks(t, s, blobs)
        events.append(first_events if k == chosen[0]
                      else _step_events(t, k, reveal_sets, failed))
        entry = {"id": s.id, "epoch": s.epoch, "loss": _num(s.loss), "loss_name": s.loss_name,
                 "n": s.n_samples, "fused": bool(s.fused), "optimizer": s.optimizer,
                 "layers": layers, "explained": k in explanations}
        if s.targets is not None:
            entry["y"] = blobs.add(s.targets)
        out_steps.append(entry)
    if failed:
        notes.append(f"The events of {len(failed)} steps could not be replayed from this "
                     f"trace, e.g. step {failed[0]}; those steps show their values only.")
    # The texts (events, explanations) are long and repetitive: gzip them (the page
    # inflates them with the browser's DecompressionStream).
    texts = {"events": events, "reveals": [json.loads(key) for key in reveal_sets],
             "explain": [explanations.get(k, {}) for k in chosen]}
    return {
        "format": "neurotrace-viewer", "version": 1,
        "title": title or f"{t.backend} {t.sizes}",
        "sizes": t.sizes, "activations": t.activation_names, "backend": t.backend,
        "recorded": t.steps, "loss": _loss_curve(t), "steps": out_steps, "blobs": blobs.items,
        "texts": _gzip_json(texts), "notes": notes,
    }


def _asset(name):
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def page(t, *, steps=None, max_steps=DEFAULT_MAX_STEPS, max_bytes=DEFAULT_MAX_BYTES,
         max_explain=DEFAULT_MAX_EXPLAIN, title=None):
    """The viewer page of trace ``t``: one self-contained HTML document, as a string.

    Parameters
    ----------
    t : Trace
    steps : iterable of int, optional
        Which recorded steps to show (default: all, thinned as below).
    max_steps : int, default=200
        Show at most this many steps, evenly spaced, the first and last included.
    max_bytes : int, default=6 MiB
        Roughly the most bytes of numbers to embed; fewer steps are shown past it.
    max_explain : int, default=1000
        At most this many chain-rule explanations (``t.explain`` texts) are
        embedded, whole steps at a time: the first and last step, then evenly
        spaced ones. The page says which steps have them.
    title : str, optional
        The page's title (default: the backend and the layer sizes).

    Returns
    -------
    str

    Examples
    --------
    >>> import neurotrace as nt
    >>> X, Y = nt.datasets.xor()
    >>> net = nt.NeuralNetwork([2, 2, 1], seed=0)
    >>> with nt.trace(net) as t:
    ...     _ = nt.fit(net, X, Y, loss="sse", epochs=1, batch_size=1, progress=False)
    >>> html = page(t)
    >>> html.startswith("<!DOCTYPE html>") and 'data-control="step"' in html
    True
    """
    data = _data(t, steps, max_steps, max_bytes, max_explain, title)
    # JSON inside <script>: escape what could end the element or start a comment.
    payload = (json.dumps(data, separators=(",", ":"), allow_nan=False)
               .replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e"))
    template = _asset("viewer.html")
    return (template.replace("{{TITLE}}", html.escape(data["title"]))
            .replace("/*{{CSS}}*/", _asset("viewer.css"))
            .replace("{{DATA}}", payload)
            .replace("/*{{JS}}*/", _asset("viewer.js")))
