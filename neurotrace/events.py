"""Events: one training step as an ordered list of "one neuron does one thing".

A step is, in this order:

* ``forward``  each neuron, layer by layer: ``z = x·w + b``, ``a = f(z)``;
* ``loss``     the loss node: ``L`` and where backward starts (``dL/da``, or
  ``dL/dz`` for a fused softmax + cross-entropy / sigmoid + bce output);
* ``backward`` each neuron, the output layer first: ``dL/da`` (what its
  successors sent, added up), ``f'(z)``, ``delta = dL/da · f'(z)``,
  ``dL/dw = delta · x``, ``dL/db = delta`` and ``delta · w_i`` sent to each
  predecessor ``i``;
* ``update``   each neuron, layer by layer: its weights and bias before, the
  gradient, the optimizer's state, and after.

The live stepper (:func:`neurotrace.step_through`) and a recorded trace
(``t.events(k)``) build their events with the same functions below, so the
same step gives the same events with the same numbers.

Names of the values (``event.values``), one number for one sample or one
value per sample (a leading axis) for a batch:

=========  ==================================================================
forward    ``x`` (the neuron's inputs), ``w``, ``b``, ``z``, ``a`` (a softmax
           neuron has no ``a`` yet: softmax needs the whole layer, so the
           loss event computes it)
loss       ``loss``, ``z`` and ``a`` of the output layer, ``y``, ``dL_da``
           and/or ``delta`` (``dL/dz``, for softmax or a fused output)
backward   ``dL_da``, ``da_dz`` (both absent where ``delta`` is given by the
           loss node), ``delta``, ``grad_weights``, ``grad_bias``,
           ``sent:<predecessor>`` for each predecessor (``sent:x0``, ``sent:L1.N0``)
update     ``weights_before``, ``bias_before``, ``grad_weights``, ``grad_bias``,
           the optimizer's state (``velocity_weights_before``,
           ``velocity_weights``, ... for momentum; ``m_...`` and ``v_...`` for
           Adam), ``weights_after``, ``bias_after``
=========  ==================================================================
"""
import numpy as np

from . import activations, losses

__all__ = ["Event", "step_events"]

PHASES = ("forward", "loss", "backward", "update")


class Event:
    """One neuron doing one thing in one step; prints as its equations with the numbers.

    Events are made by :func:`neurotrace.step_through` and ``Trace.events``;
    you rarely make one yourself.

    Parameters
    ----------
    phase : str
        ``"forward"``, ``"loss"``, ``"backward"`` or ``"update"``.
    node : str
        The neuron (``"L1.N0"``) or ``"loss"``.
    step : int
        The step it belongs to.
    values : dict
        Quantity name -> number or per-sample array.
    lines : list of str
        The equations, one per line, with the numbers filled in.
    index : int, default=0
        Its position in the step.
    reveals : dict, optional
        Node name -> values this event makes known (default ``{node: values}``).
    info : dict, optional
        What is not a number (the loss's name, the optimizer); see ``info`` below.

    Attributes
    ----------
    phase : str
        ``"forward"``, ``"loss"``, ``"backward"`` or ``"update"``.
    node : str
        The neuron (``"L1.N0"``) or ``"loss"``.
    step : int
        The step it belongs to.
    index : int
        Its position in the step (0 for the first event).
    values : dict
        Quantity name -> float (one sample) or array (a leading axis of samples
        for a batch; per-weight arrays have a last axis of weights).
    equation : str
        The event's equations with its numbers filled in.
    reveals : dict
        Node name -> the values this event makes known about that node.
        Usually ``{node: values}``; the loss event also gives each softmax
        output neuron its ``a``.
    info : dict
        What is not a number: the loss event's ``loss`` (its name) and
        ``fused``; an update event's ``optimizer`` (name, lr, hyperparameters).

    Examples
    --------
    >>> import neurotrace as nt
    >>> net = nt.NeuralNetwork.from_weights([np.array([[2.0], [-1.0]])], [np.array([0.5])],
    ...                                     "identity")
    >>> s = nt.step_through(net, [1.0, 3.0], [0.0], loss="sse", optimizer=nt.SGD(lr=0.1))
    >>> print(next(s))
    step 0 · forward · L1.N0
      z = x0·w0 + x1·w1 + b
        = 1·2 + 3·(-1) + 0.5 = -0.5
      a = identity(z) = identity(-0.5) = -0.5
    """

    def __init__(self, phase, node, step, values, lines, index=0, reveals=None, info=None):
        if phase not in PHASES:
            raise ValueError(f"The 'phase' parameter of Event must be one of {list(PHASES)}. "
                             f"Got {phase!r} instead.")
        self.phase, self.node, self.step, self.index = phase, node, step, index
        self.values = values
        self.equation = "\n".join(lines)
        self.reveals = {node: values} if reveals is None else reveals
        self.info = {} if info is None else info

    @property
    def key(self):
        """``(phase, node)``, e.g. ``("backward", "L1.N0")``."""
        return self.phase, self.node

    def __str__(self):
        body = "\n".join("  " + line for line in self.equation.splitlines())
        return f"step {self.step} · {self.phase} · {self.node}\n{body}"

    def __repr__(self):
        return f"<Event {self.index}: {self.phase} {self.node} (step {self.step})>"

    def _repr_markdown_(self):
        return f"**step {self.step} · {self.phase} · {self.node}**\n\n```\n{self.equation}\n```"


# --- numbers as the equations show them ----------------------------------------------------

def format_number(value, digits=4):
    """``value`` with ``digits`` significant digits; never ``-0``.

    >>> format_number(-0.0), format_number(0.123456), format_number(-1e-20, 3)
    ('0', '0.1235', '-1e-20')
    """
    value = float(value)
    text = f"{value:.{digits}g}"
    if float(text) == 0.0:
        return "0"
    return text


def _n(value, digits=4):
    """A number inside a product: negative numbers in parentheses."""
    text = format_number(value, digits)
    return f"({text})" if text.startswith("-") else text


def _vector(values, digits=4, limit=6):
    values = np.ravel(values)
    shown = ", ".join(format_number(v, digits) for v in values[:limit])
    more = f", … ({values.size} values)" if values.size > limit else ""
    return f"[{shown}{more}]"


def _terms(parts, limit=6):
    """Join terms with ' + ', keeping the first ``limit`` and saying how many are left out."""
    if len(parts) <= limit:
        return " + ".join(parts)
    return " + ".join(parts[:limit]) + f" + … ({len(parts) - limit} more terms)"


class _Sample:
    """Picks one sample's value out of per-sample arrays (or passes one sample's through)."""

    def __init__(self, batch, k=0):
        self.batch, self.k = batch, k

    def __call__(self, value):
        return value[self.k] if self.batch else value

    @property
    def prefix(self):
        return f"sample {self.k}: " if self.batch else ""


def _batch_note(values, name, digits):
    """For a batch: the per-sample values of ``name`` in one line."""
    return f"{name} for every sample: {_vector(values, digits)}"


# --- the order of a step ------------------------------------------------------------------------

def event_plan(sizes, softmax=False, given_delta=False):
    """The ``(phase, node)`` of every event of one step, in order.

    ``sizes`` is ``[n_inputs, n_1, ..., n_L]``.

    >>> event_plan([2, 2, 1])[:4]
    [('forward', 'L1.N0'), ('forward', 'L1.N1'), ('forward', 'L2.N0'), ('loss', 'loss')]
    """
    names = [[f"L{l}.N{j}" for j in range(n)] for l, n in enumerate(sizes[1:], start=1)]
    plan = [("forward", name) for layer in names for name in layer]
    plan.append(("loss", "loss"))
    plan += [("backward", name) for layer in reversed(names) for name in layer]
    plan += [("update", name) for layer in names for name in layer]
    return plan


def predecessors(sizes, l):
    """Names of what feeds layer ``l`` (0-based): ``x0, x1, ...`` or ``L{l}.N0, ...``."""
    return [f"x{i}" for i in range(sizes[0])] if l == 0 else \
        [f"L{l}.N{i}" for i in range(sizes[l])]


def planned_quantities(sizes, phase, node, softmax=False, given_delta=False):
    """The names of the values an event will have (for "not yet computed" lists)."""
    if phase == "loss":
        return ["loss", "z", "a", "y"] + ([] if given_delta and not softmax else ["dL_da"]) \
            + (["delta"] if given_delta or softmax else [])
    l = int(node.split(".")[0][1:]) - 1
    output = l == len(sizes) - 2
    if phase == "forward":
        return ["x", "w", "b", "z"] + ([] if output and softmax else ["a"])
    if phase == "backward":
        fused = output and given_delta
        given = output and (softmax or given_delta)
        sent = [f"sent:{p}" for p in predecessors(sizes, l)]
        return ([] if fused else ["dL_da"]) + ([] if given else ["da_dz"]) \
            + ["delta", "grad_weights", "grad_bias"] + sent
    return ["weights_before", "bias_before", "grad_weights", "grad_bias", "weights_after",
            "bias_after"]


# --- the four kinds of event ------------------------------------------------------------------

def forward_event(step, index, node, inputs, x, w, b, z, a, activation, digits=4):
    """``z = x·w + b`` and ``a = f(z)`` of one neuron (``a=None`` for a softmax neuron)."""
    batch = np.ndim(z) == 1
    pick = _Sample(batch)
    terms = [f"{name}·w{i}" for i, name in enumerate(inputs)]
    lines = [f"{pick.prefix}z = {_terms(terms)} + b"]
    if x is not None and w is not None and b is not None:
        numbers = [f"{_n(xi, digits)}·{_n(wi, digits)}" for xi, wi in zip(pick(x), w)]
        lines.append(" " * len(pick.prefix) + f"  = {_terms(numbers)} + {_n(b, digits)} = "
                     f"{format_number(pick(z), digits)}")
    else:                               # the trace did not record the weights or the inputs
        lines.append(" " * len(pick.prefix) + f"  = {format_number(pick(z), digits)}")
    values = {q: v for q, v in (("x", x), ("w", w), ("b", b)) if v is not None}
    values["z"] = z
    if a is None:
        lines.append("a = softmax over the whole layer: computed by the loss node once every "
                     "z of the layer is known")
    else:
        values["a"] = a
        lines.append(f"{pick.prefix}a = {activation}(z) = {activation}"
                     f"({format_number(pick(z), digits)}) = {format_number(pick(a), digits)}")
    if batch:
        lines.append(_batch_note(z, "z", digits))
        if a is not None:
            lines.append(_batch_note(a, "a", digits))
    return Event("forward", node, step, values, lines, index)


def loss_event(step, index, loss_name, formula, value, z, a, y, dL_da, delta, softmax, fused,
               output_names, digits=4):
    """The loss node: ``L`` and the gradient backward starts from."""
    batch = np.ndim(a) == 2
    pick = _Sample(batch)
    n = a.shape[0] if batch else 1
    lines = []
    if softmax:
        lines.append(f"{pick.prefix}a = softmax(z) = softmax({_vector(pick(z), digits)}) = "
                     f"{_vector(pick(a), digits)}")
    lines.append(formula if formula.startswith("L =") else f"L = {formula}")
    lines.append(f"  = {format_number(value, digits)}   ({loss_name}, "
                 + (f"the mean over {n} samples" if batch and loss_name != "sse" else
                    f"summed over {n} samples" if batch else "one sample") + ")")
    values = {"loss": value, "z": z, "a": a, "y": y}
    if dL_da is not None:
        values["dL_da"] = dL_da
        lines.append(f"{pick.prefix}dL/da = gradient of the {loss_name} loss at a = "
                     f"{_vector(pick(a), digits)}, y = {_vector(pick(y), digits)}: "
                     f"{_vector(pick(dL_da), digits)}")
    if delta is not None:
        values["delta"] = delta
        if fused:
            kind = "softmax + cross-entropy" if softmax else "sigmoid + bce"
            size = n if softmax else np.size(a)
            lines.append(f"{pick.prefix}dL/dz = (a - y) / {size} = {_vector(pick(delta), digits)}"
                         f"   [fused {kind}: the 1/a of the loss cancels the a of f'(z)]")
        else:
            lines.append(f"{pick.prefix}dL/dz = a·(dL/da - Σ_k a_k·dL/da_k) = "
                         f"{_vector(pick(delta), digits)}   [softmax's Jacobian: the outputs "
                         f"are coupled]")
    reveals = {"loss": values}
    if softmax:
        for j, name in enumerate(output_names):
            reveals[name] = {"a": _column(a, j)}
    return Event("loss", "loss", step, values, lines, index, reveals,
                 {"loss": loss_name, "fused": bool(fused)})


def _column(array, j):
    value = array[..., j]
    return float(value) if np.ndim(value) == 0 else value


_LEAKY_SLOPE = activations.get("leaky_relu").derivative_formula.split()[-1]
_DERIVATIVE = {
    "sigmoid": lambda z, a, d: f"a·(1 - a) = {_n(a, d)}·(1 - {_n(a, d)})",
    "tanh": lambda z, a, d: f"1 - a² = 1 - {_n(a, d)}²",
    "relu": lambda z, a, d: f"1 if z > 0 else 0, z = {format_number(z, d)}",
    "leaky_relu": lambda z, a, d: f"1 if z > 0 else {_LEAKY_SLOPE}, z = {format_number(z, d)}",
    "identity": lambda z, a, d: "1",
}


def backward_event(step, index, node, activation, z, a, x, w, dL_da, da_dz, delta, grad_weights,
                   grad_bias, sent, origin, inputs, digits=4):
    """One neuron's backward: ``delta``, its gradients and the errors it sends back.

    ``origin`` says where ``dL/da`` came from: ``("loss", None)`` for an output
    neuron, ``("given", text)`` when the loss node gave ``delta`` directly, or
    ``("successors", [(name, delta_k, w_kj, sent_kj), ...])`` for a hidden neuron.
    """
    batch = np.ndim(delta) == 1
    pick = _Sample(batch)
    p, pad = pick.prefix, " " * len(pick.prefix)
    lines, values = [], {}
    kind, detail = origin
    if dL_da is not None:
        values["dL_da"] = dL_da
        if kind == "successors":
            symbols = [f"δ[{name}]·w{node.split('.N')[1]}[{name}]" for name, *_ in detail]
            numbers = [f"{_n(pick(d), digits)}·{_n(wk, digits)}" for _, d, wk, _ in detail]
            lines.append(f"{p}dL/da = Σ over successors δ·w = {_terms(symbols)}")
            lines.append(f"{pad}      = {_terms(numbers)} = {format_number(pick(dL_da), digits)}")
        else:
            lines.append(f"{p}dL/da = {format_number(pick(dL_da), digits)}   (from the loss node)")
    if da_dz is not None:
        values["da_dz"] = da_dz
        rule = _DERIVATIVE.get(activation)
        middle = f" = {rule(pick(z), pick(a), digits)}" if rule else ""
        lines.append(f"{p}f'(z){middle} = {format_number(pick(da_dz), digits)}")
        values["delta"] = delta
        lines.append(f"{p}delta = dL/da · f'(z) = {_n(pick(dL_da), digits)}·"
                     f"{_n(pick(da_dz), digits)} = {format_number(pick(delta), digits)}")
    else:
        values["delta"] = delta
        lines.append(f"{p}delta = dL/dz = {format_number(pick(delta), digits)}   "
                     f"(given by the loss node{'' if detail is None else ': ' + detail})")
    if grad_weights is not None:
        values["grad_weights"], values["grad_bias"] = grad_weights, grad_bias
    if batch and grad_weights is not None:
        lines.append(_batch_note(delta, "delta", digits))
        lines.append(f"dL/dw = Σ_s delta_s · x_s = {_vector(grad_weights, digits)}")
        lines.append(f"dL/db = Σ_s delta_s = {format_number(grad_bias, digits)}")
    elif grad_weights is not None:
        lines.append(f"dL/dw = delta · x = {_n(delta, digits)}·{_vector(x, digits)} = "
                     f"{_vector(grad_weights, digits)}")
        lines.append(f"dL/db = delta = {format_number(grad_bias, digits)}")
    parts = []
    for i, name in enumerate(inputs):
        if sent[i] is None:
            continue
        values[f"sent:{name}"] = sent[i]
        product = "" if w is None else f"{_n(pick(delta), digits)}·{_n(w[i], digits)} = "
        parts.append(f"to {name}: {product}{format_number(pick(sent[i]), digits)}")
    shown = parts if len(parts) <= 6 else parts[:6] + [f"… ({len(parts) - 6} more)"]
    if shown:
        lines.append(f"{p}sends delta·w " + "; ".join(shown))
    return Event("backward", node, step, values, lines, index)


def update_event(step, index, node, optimizer, before_w, before_b, grad_w, grad_b, state,
                 after_w, after_b, digits=4):
    """One neuron's update by the optimizer (``optimizer``: a dict, see :func:`optimizer_info`).

    ``state`` maps names such as ``velocity_weights_before`` to this neuron's slice.
    """
    values = {"weights_before": before_w, "bias_before": before_b,
              "grad_weights": grad_w, "grad_bias": grad_b, **state,
              "weights_after": after_w, "bias_after": after_b}
    name, lr = optimizer.get("name"), optimizer.get("lr")
    v, f = (lambda a: _vector(a, digits)), (lambda a: format_number(a, digits))
    lines = []
    clip = optimizer.get("clip")
    g_w, g_b = "dL/dw", "dL/db"
    if clip:
        if clip.get("kind") == "norm":
            note = (f"gradient clipped by norm: every gradient scaled by "
                    f"{f(clip['scale'])} (global norm {f(clip['norm'])})")
        else:
            note = (f"gradient clipped by value to ±{f(optimizer.get('clip_value', np.nan))} "
                    f"({clip.get('n_clipped')} entries clipped in the network)")
        lines.append(note)
        g_w, g_b = "g_w", "g_b"
    momentum = optimizer.get("momentum") or 0.0
    if name == "Adam":
        t = optimizer.get("steps")
        lines.append(f"m = β1·m + (1 - β1)·g,  v = β2·v + (1 - β2)·g²   (β1 = "
                     f"{f(optimizer.get('beta1'))}, β2 = {f(optimizer.get('beta2'))}, t = {t})")
        for key, label in (("weights", "w"), ("bias", "b")):
            if f"m_{key}" in state:
                lines.append(f"{label}: m = {v(state[f'm_{key}'])}, v = {v(state[f'v_{key}'])}")
        lines.append(f"w = w - lr·m̂/(√v̂ + ε), m̂ = m/(1 - β1^t), v̂ = v/(1 - β2^t), "
                     f"lr = {f(lr)}")
    elif momentum:
        lines.append(f"v = m·v - lr·{g_w} = {f(momentum)}·"
                     f"{v(state.get('velocity_weights_before', np.zeros_like(before_w)))} - "
                     f"{f(lr)}·{v(grad_w)} = {v(state.get('velocity_weights', []))}")
        lines.append(f"w = w + v = {v(before_w)} + {v(state.get('velocity_weights', []))}")
        lines.append(f"v_b = m·v_b - lr·{g_b} = {f(momentum)}·"
                     f"{_n(state.get('velocity_bias_before', 0.0), digits)} - {f(lr)}·"
                     f"{_n(grad_b, digits)} = {f(state.get('velocity_bias', np.nan))}")
        lines.append(f"b = b + v_b = {f(before_b)} + {_n(state.get('velocity_bias', np.nan), digits)}")
    else:
        lines.append(f"w = w - lr·{g_w} = {v(before_w)} - {f(lr)}·{v(grad_w)}")
        lines.append(f"b = b - lr·{g_b} = {f(before_b)} - {f(lr)}·{_n(grad_b, digits)}")
    lines.append(f"  → w = {v(after_w)}, b = {f(after_b)}")
    return Event("update", node, step, values, lines, index, info={"optimizer": optimizer})


def optimizer_info(optimizer):
    """What the update events need to know of an optimizer, as a plain dict.

    Its name, learning rate, hyperparameters (``momentum``, ``beta1``, ...),
    step count and what clipping did.
    """
    info = {"name": type(optimizer).__name__}
    for key, value in vars(optimizer).items():
        if key not in ("state", "last_clip") and (value is None or isinstance(value, (int, float))):
            info[key] = value
    info["clip"] = optimizer.last_clip
    return info


# --- a recorded step, as events --------------------------------------------------------------

def step_events(step, digits=4):
    """The events of a recorded :class:`~neurotrace.trace_data.Step`, in order.

    The same events, with the same values, as :func:`neurotrace.step_through`
    gives while the step happens. Quantities the trace did not record are
    missing from the events' values. ``t.events(k)`` calls this.

    Parameters
    ----------
    step : Step
        A recorded step, ``t[k]``.
    digits : int, default=4
        Significant digits in the printed equations.

    Returns
    -------
    list of Event

    Examples
    --------
    >>> import neurotrace as nt
    >>> X, Y = nt.datasets.xor()
    >>> net = nt.NeuralNetwork([2, 2, 1], seed=0)
    >>> with nt.trace(net) as t:
    ...     loss = net.backprop(X, Y, "mse")
    >>> [ev.phase for ev in step_events(t[0])]   # no optimizer step: no update events
    ['forward', 'forward', 'forward', 'loss', 'backward', 'backward', 'backward']
    """
    t = step.trace
    sizes, acts = t.sizes, t.activation_names
    softmax = acts[-1] == "softmax"
    names = t.node_names()
    L = len(names)
    events = []

    def record(part, name):
        try:
            return part[name]
        except KeyError:
            return {}

    fwd = {n: record(step.forward, n) for layer in names for n in layer}
    bwd = {n: record(step.backward, n) for layer in names for n in layer}
    upd = {n: record(step.update, n) for layer in names for n in layer}
    for l, layer in enumerate(names):
        act = acts[l]
        for name in layer:
            f = fwd[name]
            if not f:
                continue
            out_softmax = softmax and l == L - 1
            events.append(forward_event(
                step.id, len(events), name, predecessors(sizes, l), f.get("x"),
                upd[name].get("weights_before"), upd[name].get("bias_before"), f.get("z"),
                None if out_softmax else f.get("a"), act, digits))
    out = names[-1]
    if step.loss is not None and all(fwd[n] for n in out):
        def stack(part, q):
            if not all(q in part[n] for n in out):
                return None
            return np.stack([np.asarray(part[n][q]) for n in out], axis=-1)
        given = step.fused or softmax
        events.append(loss_event(
            step.id, len(events), step.loss_name, _loss_formula(step.loss_name), step.loss,
            stack(fwd, "z"), stack(fwd, "a"), step.targets,
            None if step.fused else stack(bwd, "dL_da"),
            stack(bwd, "delta") if given else None, softmax, step.fused, out, digits))
    for l in range(L - 1, -1, -1):
        act = "identity" if softmax and l == L - 1 else acts[l]
        inputs = predecessors(sizes, l)
        for j, name in enumerate(names[l]):
            b = bwd[name]
            if "delta" not in b:
                continue
            w = upd[name].get("weights_before")
            sent = b.get("to_predecessors", {})
            if l == L - 1:
                given = step.fused or softmax
                origin = ("given", None) if given else ("loss", None)
            else:
                origin = ("successors", [
                    (k, bwd[k].get("delta"), upd[k].get("weights_before", [np.nan] * (j + 1))[j],
                     bwd[k].get("to_predecessors", {}).get(name))
                    for k in names[l + 1]])
            events.append(backward_event(
                step.id, len(events), name, act, fwd[name].get("z"), fwd[name].get("a"),
                fwd[name].get("x"), w, b.get("dL_da"), b.get("da_dz"), b["delta"],
                b.get("grad_weights"), b.get("grad_bias"), [sent.get(i) for i in inputs],
                origin, inputs, digits))
    if step.optimizer is not None:
        for layer in names:
            for name in layer:
                u = upd[name]
                if "weights_after" not in u:
                    continue
                state = {k: u[k] for k in u
                         if k not in ("weights_before", "weights_after", "bias_before",
                                      "bias_after")}
                events.append(update_event(
                    step.id, len(events), name, step.optimizer, u.get("weights_before"),
                    u.get("bias_before"), bwd[name].get("grad_weights"),
                    bwd[name].get("grad_bias"), state_order(state), u["weights_after"],
                    u.get("bias_after"), digits))
    return events


def state_order(state):
    """Optimizer state values in a fixed order: by name, ``_before`` first."""
    return {k: state[k] for k in sorted(state, key=lambda k: (k.replace("_before", ""),
                                                              not k.endswith("_before")))}


def _loss_formula(name):
    return losses.get(name).formula if name in losses.NAMES else f"{name}(a, y)"
