"""The chain rule for one weight or bias, written out with the numbers a trace recorded.

For a weight ``w_i`` of a neuron with input ``x_i``::

    dL/dw_i = dL/da * da/dz * dz/dw_i = dL/da * f'(z) * x_i

and ``dL/da`` is itself the sum of what the neuron's successors sent back,
``sum_k delta_k * w_k``, or, at the output layer, the loss's gradient. With a
fused softmax + cross-entropy (or sigmoid + bce) output, ``dL/dz = (p - y)/n``
directly. For a batch, the gradient is the sum of every sample's term.
"""
import numbers

import numpy as np

from . import names

__all__ = ["explain", "Explanation"]


class Explanation(str):
    """The explanation as text; ``.value`` is the gradient it arrives at (a float).

    A ``str``, so it prints and compares like one; Jupyter shows it as Markdown.

    Parameters
    ----------
    text : str
        The explanation.
    value : float
        The gradient the explanation arrives at.

    Examples
    --------
    >>> e = Explanation("dL/db = 0.5", 0.5)
    >>> print(e)
    dL/db = 0.5
    >>> e.value
    0.5
    """

    def __new__(cls, text, value):
        self = super().__new__(cls, text)
        self.value = value
        return self

    def _repr_markdown_(self):
        return str(self)


_SYMBOLS = {
    "text": {"dot": " · ", "d": lambda a, b: f"dL/d{b}" if a == "L" else f"d{a}/d{b}",
             "sub": lambda s, i: f"{s}{i}", "sum": "Σ", "delta": "δ", "wrap": lambda s: s},
    "markdown": {"dot": " · ", "d": lambda a, b: f"∂{a}/∂{b}", "sub": lambda s, i: f"{s}<sub>{i}</sub>",
                 "sum": "Σ", "delta": "δ", "wrap": lambda s: s},
    "latex": {"dot": r" \cdot ", "d": lambda a, b: rf"\frac{{\partial {a}}}{{\partial {b}}}",
              "sub": lambda s, i: f"{s}_{{{i}}}", "sum": r"\sum", "delta": r"\delta",
              "wrap": lambda s: f"$${s}$$"},
}


def explain(trace, name, parameter, step, sample=None, format="text", digits=4):
    """The chain rule for one weight or bias of one neuron, with the numbers a trace recorded.

    The first line is the rule in symbols, the next the recorded factors and their
    product (per sample for a batch, up to four, then the sum), the last where
    ``dL/da`` (or ``dL/dz``) came from: the loss, or the successors' ``delta * w``.
    :meth:`Trace.explain <neurotrace.Trace.explain>` is the same with the first
    recorded step as the default.

    Parameters
    ----------
    trace : Trace
        A trace that recorded ``x``, ``delta`` and the gradients at ``step``.
    name : str
        The neuron, e.g. ``"L1.N0"``.
    parameter : str
        ``"w0"``, ``"w1"``, ... (the weight on input ``i``) or ``"b"``, the bias.
    step : int
        A recorded step.
    sample : int, optional
        For a batch step, explain only this sample's share of the gradient.
    format : {"text", "markdown", "latex"}, default="text"
        Plain text with ``dL/dw``, Markdown with ``∂L/∂w`` and subscripts, or LaTeX
        (each equation wrapped in ``$$``).
    digits : int, default=4
        Significant digits of the numbers.

    Returns
    -------
    Explanation
        The text; its ``.value`` is the gradient used at that step (the sum over
        the batch), or with ``sample`` that sample's share.

    Raises
    ------
    KeyError
        If ``step`` was not recorded, ``name`` is not a recorded neuron,
        ``parameter`` is not one of its weights or its bias, or a quantity the
        explanation needs was not recorded.
    ValueError
        If ``format`` is not one of the three, or ``sample`` is given for a step
        of one sample.

    Examples
    --------
    >>> import neurotrace as nt
    >>> X, Y = nt.datasets.xor()
    >>> net = nt.NeuralNetwork([2, 2, 1], seed=0)
    >>> with nt.trace(net) as t:
    ...     _ = net.backprop(X[1], Y[1])          # one sample: x = [0, 1], y = 1
    >>> e = explain(t, "L1.N0", "w1", step=0)
    >>> print(e)
    dL/dw1 = dL/da · da/dz · dz/dw1
    = (-0.1585) · (0.1851) · (1) = -0.02933
    dL/da = Σ over successors = δL2.N0 · w0[L2.N0] = (-0.1789) · (0.8861) = -0.1585
    >>> bool(np.isclose(e.value, t[0].backward["L1.N0"]["grad_weights"][1]))
    True
    """
    if format not in _SYMBOLS:
        raise ValueError(f"The 'format' parameter of explain must be one of "
                         f"{sorted(_SYMBOLS)}. Got {format!r} instead.")
    _check_arguments(trace, name, parameter, step, sample)
    S = _SYMBOLS[format]
    s = trace[step]
    fwd, bwd = s.forward[name], s.backward[name]
    l = int(name.split(".")[0][1:]) - 1
    n_in = trace.sizes[l]
    if parameter == "b":
        i, var = None, "b"
    elif parameter.startswith("w") and parameter[1:].isdigit() and int(parameter[1:]) < n_in:
        i, var = int(parameter[1:]), S["sub"]("w", parameter[1:])
    else:
        raise KeyError(f"{name} has weights w0..w{n_in - 1} and a bias b; got {parameter!r}.")
    for q in ("x", "delta", "grad_weights", "grad_bias"):
        if q not in fwd and q not in bwd:
            raise KeyError(f"explain needs {q!r}, which step {step} did not record for {name}.")
    def num(v):
        return f"({v:.{digits}g})"
    dot, d = S["dot"], S["d"]
    x = fwd["x"][..., i] if i is not None else None
    used = bwd["grad_bias"] if i is None else float(bwd["grad_weights"][i])
    batch = np.ndim(bwd["delta"]) == 1
    # Softmax and fused outputs record no f'(z): the chain starts at delta = dL/dz.
    fused_here = "da_dz" not in bwd or "dL_da" not in bwd
    lines = []

    # The rule itself, symbols only.
    local = [] if i is None else [d("z", var)]
    if fused_here:
        rule = [d("L", "z")] + local
    else:
        rule = [d("L", "a"), d("a", "z")] + local
    lines.append(f"{d('L', var)} = " + dot.join(rule) + (dot + "1" if i is None else ""))

    # The same with the recorded numbers, per sample.
    samples = range(len(bwd["delta"])) if batch else [None]
    if sample is not None:
        if not batch:
            raise ValueError(f"Step {step} is one sample; pass sample=None.")
        samples = [sample]
    terms = []
    for k in samples:
        pick = (lambda v: v) if k is None else (lambda v, k=k: v[k])
        factors = [pick(bwd["delta"])] if fused_here else [pick(bwd["dL_da"]), pick(bwd["da_dz"])]
        if i is not None:
            factors.append(pick(x))
        terms.append((k, factors, float(np.prod(factors))))
    for k, factors, value in terms[:4]:
        where = "" if k is None else f"sample {k}: "
        lines.append(f"{where}= " + dot.join(num(f) for f in factors) + f" = {value:.{digits}g}")
    if len(terms) > 4:
        lines.append(f"... ({len(terms) - 4} more samples)")
    total = float(sum(v for _, _, v in terms))
    if batch and sample is None:
        over = (rf"_{{s=1}}^{{{len(terms)}}} \text{{(samples)}}" if format == "latex"
                else f" over the {len(terms)} samples")
        lines.append(f"{d('L', var)} = {S['sum']}{over} = {total:.{digits}g}")
    elif batch:
        lines.append(f"(sample {sample}'s share; the gradient used, summed over the "
                     f"{len(bwd['delta'])} samples, is {used:.{digits}g})")

    # Where dL/da (or dL/dz) came from.
    k0 = None if not batch else (sample if sample is not None else 0)
    pick = (lambda v: v) if k0 is None else (lambda v: v[k0])
    which = "" if k0 is None else f" (sample {k0})"
    if l == len(trace.sizes) - 2:
        lines += _output_origin(s, trace, name, pick, which, d, S, digits)
    else:
        lines.append(_hidden_origin(s, trace, name, l, pick, which, d, num, dot, S, digits))
    text = "\n".join(lines)
    if format == "latex":
        text = "\n".join(S["wrap"](line) if "=" in line and not line.startswith("...") else line
                         for line in lines)
    # sample=None: the gradient used (the sum over the batch); sample=k: sample k's share.
    return Explanation(text, total)


def _check_arguments(trace, name, parameter, step, sample):
    """Refuse what explain cannot use, saying what it expects (before any lookup fails)."""
    if len(trace) == 0:
        raise ValueError("explain: the trace recorded no steps, so there is nothing to explain. "
                         "Run forward/backward (or fit) inside `with nt.trace(net) as t:`.")
    l, _ = names.parse_neuron(name, trace.sizes)            # KeyError listing the neurons
    n_in = trace.sizes[l]
    if not isinstance(parameter, str):
        hint = f" For weight {parameter} pass 'w{parameter}'." if isinstance(
            parameter, numbers.Integral) and 0 <= parameter < n_in else ""
        raise TypeError(f"explain: 'parameter' must be a name, one of 'w0'..'w{n_in - 1}' "
                        f"(weights of {name}) or 'b' (its bias); got {parameter!r} "
                        f"({type(parameter).__name__}).{hint}")
    s = trace[step]                                         # KeyError listing the steps
    if sample is not None and s.n_samples is not None:
        if isinstance(sample, bool) or not isinstance(sample, numbers.Integral) \
                or not 0 <= sample < s.n_samples:
            raise ValueError(f"explain: step {s.id} is a batch of {s.n_samples} samples; "
                             f"'sample' must be an integer in 0..{s.n_samples - 1} (or None for "
                             f"the whole batch), got {sample!r}.")


def _output_origin(s, trace, name, pick, which, d, S, digits):
    j = int(name.split(".")[1][1:])
    a = pick(s.forward[name]["a"])
    y = None if s.targets is None else pick(s.targets)[..., j]
    delta = pick(s.backward[name]["delta"])
    softmax = trace.activation_names[-1] == "softmax"
    if s.fused:
        kind = "softmax + cross-entropy" if softmax else "sigmoid + bce"
        # (p - y) / n_samples for softmax + cross-entropy, (a - y) / a.size for sigmoid + bce
        n = s.n_samples or 1
        n = n if softmax else n * trace.sizes[-1]
        numbers = "" if y is None else f" = ({a:.{digits}g} - {y:.{digits}g}) / {n}"
        return [f"{d('L', 'z')}{which} = (a - y) / {n}{numbers} "
                f"= {delta:.{digits}g}   [fused {kind} gradient]"]
    dL_da = pick(s.backward[name]["dL_da"])
    target = "" if y is None else f", y = {y:.{digits}g}"
    lines = [f"{d('L', 'a')}{which} = gradient of the {s.loss_name} loss at a = "
             f"{a:.{digits}g}{target}: {dL_da:.{digits}g}"]
    if softmax:
        # Softmax couples the layer: dL/dz_j = a_j (dL/da_j - sum_k a_k dL/da_k).
        coupled = dL_da - delta / a
        lines.append(f"{d('L', 'z')}{which} = a{S['dot']}({d('L', 'a')} - {S['sum']}_k a_k "
                     f"{d('L', 'a_k')}) = ({a:.{digits}g}){S['dot']}(({dL_da:.{digits}g}) - "
                     f"({coupled:.{digits}g})) = {delta:.{digits}g}   "
                     f"[softmax's Jacobian: the layer's outputs are coupled]")
    return lines


def _hidden_origin(s, trace, name, l, pick, which, d, num, dot, S, digits):
    """dL/da of a hidden neuron = sum of delta_k * w_k over the successors k."""
    parts, values = [], []
    for successor in trace.node_names()[l + 1]:
        try:
            b = s.backward[successor]
        except KeyError:
            return (f"{d('L', 'a')}{which} = {pick(s.backward[name]['dL_da']):.{digits}g}, the sum "
                    f"of what the next layer sent back (not all of it was recorded)")
        sent = pick(b["to_predecessors"][name]) if "to_predecessors" in b else None
        delta = pick(b["delta"])
        upd = s.update[successor] if successor in s.update else {}
        j = int(name.split(".")[1][1:])
        w = upd["weights_before"][j] if "weights_before" in upd else None
        if w is None and sent is not None and delta != 0:
            w = sent / delta
        weight = S["sub"]("w", j) + (f"^{{{successor}}}" if S is _SYMBOLS["latex"] else f"[{successor}]")
        parts.append(f"{S['sub'](S['delta'], successor)}{dot}{weight}" if w is not None else successor)
        values.append(f"{num(delta)}{dot}{num(w)}" if w is not None else num(sent))
    dL_da = pick(s.backward[name]["dL_da"])
    over = r"_{k \in \text{successors}}" if S is _SYMBOLS["latex"] else " over successors"
    return (f"{d('L', 'a')}{which} = {S['sum']}{over} = " + " + ".join(parts)
            + " = " + " + ".join(values) + f" = {dL_da:.{digits}g}")
