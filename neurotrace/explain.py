"""Explain any recorded number: the equation that made it, with the recorded numbers in it.

``t.explain(name, quantity, step=k)`` works for every quantity a trace records
of a neuron: ``z``, ``a``, ``dL_da``, ``da_dz``, ``delta``, the gradients
``w0``, ``w1``, ... and ``b``, the error ``sent:<predecessor>`` it sends back,
and its new parameters ``update:w<i>`` and ``update:b``; and for the
``loss``. The chain rule for a weight ``w_i`` with input ``x_i`` is::

    dL/dw_i = dL/da * da/dz * dz/dw_i = dL/da * f'(z) * x_i

where ``dL/da`` is the sum of what the neuron's successors sent back,
``sum_k delta_k * w_k``, or, at the output layer, the loss's gradient. With a
fused softmax + cross-entropy (or sigmoid + bce) output, ``dL/dz = (p - y)/n``
directly. For a batch, the gradient is the sum of every sample's term.

``.value`` is the recorded number itself; ``.check()`` recomputes it
independently: by central finite differences of the loss, at that step's
parameters, for a derivative; by the forward pass or the optimizer's formula
for the others.
"""
import numbers

import numpy as np

from . import activations, losses, names
from .events import format_number

__all__ = ["explain", "contributions", "Explanation", "Check", "QUANTITIES"]

#: What ``explain`` accepts for a neuron (``w<i>``, ``sent:<name>`` and ``update:w<i>``
#: stand for every weight and predecessor).
QUANTITIES = ["z", "a", "dL_da", "da_dz", "delta", "w<i>", "b", "sent:<predecessor>",
              "update:w<i>", "update:b"]
FORMATS = ("text", "markdown", "latex")
MAX_SAMPLES = 4          # a batch explanation writes out this many samples


class Check(tuple):
    """The result of :meth:`Explanation.check`: ``(numeric, recorded, rel_error)``.

    ``numeric`` is the independent recomputation, ``recorded`` the trace's
    number, ``rel_error`` the largest ``|numeric - recorded| / max(|numeric|,
    |recorded|, 1e-8)`` (an absolute error below 1e-8 counts as relative to 1e-8).

    Parameters
    ----------
    numeric, recorded : float or ndarray
    method : str
        How ``numeric`` was obtained.

    Examples
    --------
    >>> c = Check(1.0000001, 1.0, "finite differences")
    >>> c.rel_error < 1e-6
    True
    """

    def __new__(cls, numeric, recorded, method):
        numeric, recorded = np.asarray(numeric, float), np.asarray(recorded, float)
        scale = np.maximum(np.maximum(np.abs(numeric), np.abs(recorded)), 1e-8)
        rel = float(np.max(np.abs(numeric - recorded) / scale)) if numeric.size else 0.0
        self = super().__new__(cls, (_plain(numeric), _plain(recorded), rel))
        self.method = method
        return self

    numeric = property(lambda self: self[0], doc="The independent recomputation.")
    recorded = property(lambda self: self[1], doc="The recorded number.")
    rel_error = property(lambda self: self[2], doc="Their largest relative error.")

    def __repr__(self):
        return (f"Check(numeric={self.numeric!r}, recorded={self.recorded!r}, "
                f"rel_error={self.rel_error:.3g}, method={self.method!r})")


def _plain(a):
    return float(a) if a.ndim == 0 else a


class Explanation(str):
    """An explanation: a ``str`` (text, Markdown or LaTeX) with ``.value`` and ``.check()``.

    Parameters
    ----------
    text : str
    value : float or ndarray
        The recorded number explained (for a batch, per-sample quantities give
        one value per sample unless one sample was asked for).
    format : str
        ``"text"``, ``"markdown"`` or ``"latex"``.
    checker : callable
        Returns a :class:`Check`.

    Examples
    --------
    >>> e = Explanation("z = 1 + 2 = 3", 3.0, "text", lambda: Check(3.0, 3.0, "forward"))
    >>> e.value, e.check().rel_error
    (3.0, 0.0)
    """

    def __new__(cls, text, value, format="text", checker=None):
        self = super().__new__(cls, text)
        self.value, self.format, self._checker = value, format, checker
        return self

    def check(self):
        """Recompute the number independently of the trace.

        Returns
        -------
        Check
            ``(numeric, recorded, rel_error)``; finite differences for a
            derivative, the forward pass or the optimizer's formula otherwise.
        """
        return self._checker()

    def _repr_markdown_(self):
        if self.format == "text":
            return "```text\n" + str(self) + "\n```"
        return str(self)


# --- writing in three formats -------------------------------------------------------------------

class _Writer:
    """The same equations written as plain text, Markdown (HTML subscripts) or LaTeX."""

    def __init__(self, format, digits):
        if format not in FORMATS:
            raise ValueError(f"The 'format' parameter of explain must be one of "
                             f"{list(FORMATS)}. Got {format!r} instead.")
        self.format, self.digits = format, digits
        self.latex = format == "latex"
        self.dot = r" \cdot " if self.latex else " · "

    def d(self, a, b):
        """The derivative of ``a`` with respect to ``b``."""
        if self.latex:
            return rf"\frac{{\partial {a}}}{{\partial {b}}}"
        if self.format == "markdown":
            return f"∂{a}/∂{b}"
        return f"dL/d{b}" if a == "L" else f"d{a}/d{b}"

    def sub(self, symbol, i):
        if self.latex:
            return f"{symbol}_{{{i}}}"
        if self.format == "markdown":
            return f"{symbol}<sub>{i}</sub>"
        return f"{symbol}{i}"

    def name(self, node):
        """A node name such as ``L2.N0`` inside an equation."""
        return rf"\mathrm{{{node}}}" if self.latex else node

    def delta(self, node=None):
        """``δ``, or the delta of ``node``: ``δ[L2.N0]`` (text), a subscript otherwise."""
        if node is None:
            return r"\delta" if self.latex else "δ"
        if self.format == "text":
            return f"δ[{node}]"
        return self.sub(r"\delta" if self.latex else "δ", self.name(node))

    def sum(self, over):
        if self.latex:
            return rf"\sum_{{{over}}}"
        return f"Σ<sub>{over}</sub>" if self.format == "markdown" else f"Σ_{over}"

    def text(self, words):
        if not words:
            return ""
        return rf"\;\text{{{words}}}\;" if self.latex else words

    def num(self, value):
        """A number, never ``-0``."""
        return format_number(value, self.digits)

    def factor(self, value):
        """A number inside a product, in parentheses: ``(0.25)``."""
        return f"({self.num(value)})"

    def fn(self, name):
        return rf"\mathrm{{{name}}}" if self.latex else name

    def join(self, lines):
        if self.latex:
            return "\n".join(line if line.startswith("…") else f"$${line}$$" for line in lines)
        if self.format == "markdown":
            return "\n\n".join(lines)          # one paragraph per line
        return "\n".join(lines)


# --- what a trace recorded about one neuron at one step ---------------------------------------

class _Facts:
    """One neuron's recorded values at one step, and its place in the network."""

    def __init__(self, trace, name, step, sample):
        self.trace, self.name = trace, name
        self.s = trace[step]
        self.step = self.s.id
        sizes = trace.sizes
        try:
            layer, neuron = name.split(".")
            self.l, self.j = int(layer[1:]) - 1, int(neuron[1:])
        except (ValueError, AttributeError):
            self.s.forward[name]                   # raises the trace's helpful KeyError
            raise
        self.fwd, self.bwd, self.upd = (self.s.forward[name], self.s.backward[name],
                                        self.s.update[name])
        self.n_in = sizes[self.l]
        self.output = self.l == len(sizes) - 2
        self.softmax = trace.activation_names[-1] == "softmax"
        self.act = "identity" if (self.output and self.softmax) else \
            trace.activation_names[self.l]
        self.n_samples = self.s.n_samples
        self.batch = self.n_samples is not None
        if sample is not None:
            if not self.batch:
                raise ValueError(f"Step {self.step} is one sample; pass sample=None.")
            if not isinstance(sample, (int, np.integer)) or not 0 <= sample < self.n_samples:
                raise ValueError(f"Step {self.step} is a batch of {self.n_samples} samples; "
                                 f"'sample' must be an integer in [0, {self.n_samples - 1}], "
                                 f"got {sample!r}.")
        self.sample = sample
        self.samples = [None] if not self.batch else \
            [sample] if sample is not None else list(range(self.n_samples))
        self.preds = [f"x{i}" for i in range(self.n_in)] if self.l == 0 else \
            [f"L{self.l}.N{i}" for i in range(self.n_in)]

    def get(self, part, quantity):
        record = {"forward": self.fwd, "backward": self.bwd, "update": self.upd}[part]
        if quantity not in record:
            raise KeyError(f"explain needs {quantity!r} of {self.name}, which step {self.step} "
                           f"did not record (recorded: {sorted(record)}).")
        return record[quantity]

    def pick(self, value, k):
        """Sample ``k``'s value (``k`` None: one sample, the value itself)."""
        return value if k is None else value[k]

    def selected(self, value):
        """What ``.value`` is for a per-sample quantity: all samples or the one asked for."""
        return value if self.sample is None else value[self.sample]

    def where(self, k):
        return "" if k is None else f"sample {k}: "


def explain(trace, name, quantity, step, sample=None, format="text", digits=4):
    """Explain one recorded number of a trace: its equation with the recorded numbers.

    Parameters
    ----------
    trace : Trace
    name : str
        A neuron (``"L1.N0"``) or ``"loss"``.
    quantity : str or None
        For a neuron one of ``z, a, dL_da, da_dz, delta, w<i>, b, sent:<predecessor>,
        update:w<i>, update:b``; ignored for ``"loss"``.
    step : int
        A recorded step.
    sample : int, optional
        For a batch step: explain sample ``sample`` only (for ``w<i>`` and
        ``b``: that sample's share of the gradient).
    format : {"text", "markdown", "latex"}, default="text"
    digits : int, default=4
        Significant digits of the numbers shown.

    Returns
    -------
    Explanation
        A ``str`` with ``.value`` (the recorded number, exactly) and ``.check()``.

    Examples
    --------
    >>> import neurotrace as nt
    >>> X, Y = nt.datasets.xor()
    >>> net = nt.NeuralNetwork([2, 2, 1], seed=0)
    >>> with nt.trace(net) as t:
    ...     _ = nt.fit(net, X, Y, loss="sse", batch_size=1, shuffle=False, progress=False)
    >>> e = t.explain("L1.N0", "delta", step=1)
    >>> e.value == t[1].backward["L1.N0"]["delta"]
    True
    >>> e.check().rel_error < 1e-6
    True
    """
    W = _Writer(format, digits)
    if len(trace) == 0:
        raise ValueError("explain: the trace recorded no steps, so there is nothing to explain. "
                         "Run forward/backward (or fit) inside `with nt.trace(net) as t:`.")
    if name == "loss":
        return _explain_loss(trace, trace[step], W)
    _check_arguments(trace, name, quantity, step, sample)
    f = _Facts(trace, name, step, sample)
    q = quantity
    if q == "z":
        return _explain_z(f, W)
    if q == "a":
        return _explain_a(f, W)
    if q == "dL_da":
        return _explain_dL_da(f, W)
    if q == "da_dz":
        return _explain_da_dz(f, W)
    if q == "delta":
        return _explain_delta(f, W)
    if q.startswith("sent:"):
        return _explain_sent(f, W, q[5:])
    if q.startswith("update:"):
        return _explain_update(f, W, _parameter_index(f, q[7:], quantity))
    return _explain_gradient(f, W, _parameter_index(f, q, quantity))


def _parameter_index(f, p, quantity):
    """``"w2"`` -> 2, ``"b"`` -> None, or a KeyError that lists what there is."""
    if p == "b":
        return None
    if p.startswith("w") and p[1:].isdigit() and int(p[1:]) < f.n_in:
        return int(p[1:])
    raise KeyError(f"{f.name} has weights w0..w{f.n_in - 1} and a bias b; got {quantity!r}. "
                   f"Quantities: {QUANTITIES}.")


def _check_arguments(trace, name, quantity, step, sample):
    """Refuse what explain cannot use, saying what it expects (before any lookup fails)."""
    l, _ = names.parse_neuron(name, trace.sizes)            # KeyError listing the neurons
    n_in = trace.sizes[l]
    if not isinstance(quantity, str):
        hint = f" For weight {quantity} pass 'w{quantity}'." if isinstance(
            quantity, numbers.Integral) and 0 <= quantity < n_in else ""
        raise TypeError(f"explain: the quantity must be a name, one of {QUANTITIES} "
                        f"('w0'..'w{n_in - 1}' are the weights of {name}, 'b' its bias); got "
                        f"{quantity!r} ({type(quantity).__name__}).{hint}")
    s = trace[step]                                         # KeyError listing the steps
    if sample is not None and s.n_samples is not None:
        if isinstance(sample, bool) or not isinstance(sample, numbers.Integral) \
                or not 0 <= sample < s.n_samples:
            raise ValueError(f"explain: step {s.id} is a batch of {s.n_samples} samples; "
                             f"'sample' must be an integer in 0..{s.n_samples - 1} (or None for "
                             f"the whole batch), got {sample!r}.")


# --- forward ---------------------------------------------------------------------------------

def _explain_z(f, W):
    x, z = f.get("forward", "x"), f.get("forward", "z")
    w, b = f.get("update", "weights_before"), f.get("update", "bias_before")
    terms = [f"{W.sub('x', i)}{W.dot}{W.sub('w', i)}" for i in range(f.n_in)]
    lines = [f"z = {_cut(terms, W)} + b"]
    for k in f.samples[:MAX_SAMPLES]:
        xs = f.pick(x, k)
        numbers = [f"{W.factor(xs[i])}{W.dot}{W.factor(w[i])}" for i in range(f.n_in)]
        lines.append(f"{W.text(f.where(k))}= {_cut(numbers, W)} + {W.factor(b)} = "
                     f"{W.num(f.pick(z, k))}")
    _more(lines, f, W)
    return Explanation(W.join(lines), f.selected(z), W.format,
                       lambda: Check(f.selected(_Replay(f).forward()[0][f.l][..., f.j]),
                                     f.selected(z), "forward pass at this step's parameters"))


def _explain_a(f, W):
    z, a = f.get("forward", "z"), f.get("forward", "a")
    lines = []
    if f.output and f.softmax:
        lines.append(f"a = softmax(z){W.text(' of ' + f.name)} = exp(z) / "
                     f"{W.sum('k')} exp({W.sub('z', 'k')})")
        names = f.trace.node_names()[f.l]
        for k in f.samples[:MAX_SAMPLES]:
            zs = [f.pick(f.s.forward[n]["z"], k) for n in names]
            m = max(zs)
            total = sum(np.exp(v - m) for v in zs)
            lines.append(f"{W.text(f.where(k))}= exp({W.num(f.pick(z, k))} - {W.num(m)}) / "
                         f"{W.num(total)} = {W.num(f.pick(a, k))}")
    else:
        act = activations.get(f.act)
        formula = act.latex if W.latex else act.formula
        lines.append(f"a = f(z), {formula}")
        for k in f.samples[:MAX_SAMPLES]:
            lines.append(f"{W.text(f.where(k))}= {W.fn(f.act)}({W.num(f.pick(z, k))}) = "
                         f"{W.num(f.pick(a, k))}")
    _more(lines, f, W)
    return Explanation(W.join(lines), f.selected(a), W.format,
                       lambda: Check(f.selected(_Replay(f).forward()[1][f.l][..., f.j]),
                                     f.selected(a), "forward pass at this step's parameters"))


# --- backward ---------------------------------------------------------------------------------

def _explain_dL_da(f, W):
    dL_da = f.get("backward", "dL_da")
    lines = []
    if f.output:
        lines += _loss_gradient_lines(f, W)
    else:
        lines += _successor_lines(f, W)
    _more(lines, f, W)
    return Explanation(W.join(lines), f.selected(dL_da), W.format,
                       lambda: _fd_check(f, "a", None, f.selected(dL_da)))


def _loss_gradient_lines(f, W):
    """dL/da of an output neuron: the loss's gradient, with the numbers."""
    s, j = f.s, f.j
    a, dL_da = f.get("forward", "a"), f.get("backward", "dL_da")
    y = s.targets
    name = s.loss_name
    n = f.n_samples or 1
    size = n * f.trace.sizes[-1]
    rule = {"sse": ("a - y", lambda a_, y_: f"{W.factor(a_)} - {W.factor(y_)}"),
            "mse": (f"2(a - y) / {size}",
                    lambda a_, y_: f"2{W.dot}({W.num(a_)} - {W.factor(y_)}) / {size}"),
            "bce": (f"(a - y) / (a(1 - a)) / {size}",
                    lambda a_, y_: f"({W.num(a_)} - {W.factor(y_)}) / ({W.num(a_)}{W.dot}"
                                   f"(1 - {W.num(a_)})) / {size}"),
            "cross_entropy": (f"-y / (a{W.dot}{n})",
                              lambda a_, y_: f"-{W.factor(y_)} / ({W.num(a_)}{W.dot}{n})")}
    lines = []
    if name in rule and y is not None:
        symbolic, numbers = rule[name]
        lines.append(f"{W.d('L', 'a')} = {symbolic}   {W.text('(the ' + name + ' loss)')}")
        for k in f.samples[:MAX_SAMPLES]:
            a_k, y_k = f.pick(a, k), f.pick(y, k)[..., j] if k is not None else y[j]
            lines.append(f"{W.text(f.where(k))}= {numbers(a_k, y_k)} = "
                         f"{W.num(f.pick(dL_da, k))}")
    else:
        for k in f.samples[:MAX_SAMPLES]:
            lines.append(f"{W.text(f.where(k))}{W.d('L', 'a')} = "
                         f"{W.num(f.pick(dL_da, k))}   "
                         f"{W.text('(the gradient of the ' + str(name) + ' loss at a)')}")
    return lines


def _successor_lines(f, W):
    """dL/da of a hidden neuron: the sum of delta_k * w_k over its successors k."""
    succ = f.trace.node_names()[f.l + 1]
    j = f.j
    deltas, weights = [], []
    for k_name in succ:
        deltas.append(f.s.backward[k_name]["delta"])
        weights.append(f.s.update[k_name]["weights_before"][j] if "weights_before"
                       in f.s.update[k_name] else None)
    dL_da = f.get("backward", "dL_da")
    symbols = [f"{W.delta(k)}{W.dot}{W.sub('w', j)}^{{{W.name(k)}}}" if W.latex else
               f"{W.delta(k)}{W.dot}{W.sub('w', j)}[{k}]" for k in succ]
    lines = [f"{W.d('L', 'a')} = {W.sum('k')} {W.delta('k')}{W.dot}{W.sub('w', j)}"
             f"{'^{k}' if W.latex else '[k]'} {W.text('over the successors k')} = "
             f"{_cut(symbols, W)}"]
    for k in f.samples[:MAX_SAMPLES]:
        numbers = [f"{W.factor(f.pick(d, k))}{W.dot}{W.factor(w)}" if w is not None else
                   W.factor(f.pick(f.s.backward[n]['to_predecessors'][f.name], k))
                   for n, d, w in zip(succ, deltas, weights)]
        lines.append(f"{W.text(f.where(k))}= {_cut(numbers, W)} = {W.num(f.pick(dL_da, k))}")
    return lines


def _explain_da_dz(f, W):
    if "da_dz" not in f.bwd:
        raise KeyError(f"{f.name} has no recorded f'(z) at step {f.step}: the loss node gave "
                       f"its delta = dL/dz directly (softmax or a fused output). Explain "
                       f"'delta' instead.")
    z, a, da_dz = f.get("forward", "z"), f.get("forward", "a"), f.bwd["da_dz"]
    act = activations.get(f.act)
    lines = [act.derivative_latex if W.latex else act.derivative_formula]
    for k in f.samples[:MAX_SAMPLES]:
        z_k, a_k = f.pick(z, k), f.pick(a, k)
        middle = {"sigmoid": f"{W.factor(a_k)}{W.dot}(1 - {W.factor(a_k)})",
                  "tanh": f"1 - {W.factor(a_k)}^2",
                  "relu": f"{'1' if z_k > 0 else '0'}   {W.text('(z = ' + W.num(z_k) + ')')}",
                  "leaky_relu": f"{W.num(f.pick(da_dz, k))}   "
                                f"{W.text('(z = ' + W.num(z_k) + ')')}",
                  "identity": "1"}.get(f.act, "")
        lines.append(f"{W.text(f.where(k))}f'({W.num(z_k)}) = {middle} = "
                     f"{W.num(f.pick(da_dz, k))}")
    _more(lines, f, W)
    value = f.selected(da_dz)

    def check():
        zs = np.asarray(f.selected(z), float)
        fn = activations.get(f.act)
        numeric = _central(lambda h: fn(zs + h), 1e-4)
        return Check(numeric, value, "central finite differences of f at z")
    return Explanation(W.join(lines), value, W.format, check)


def _explain_delta(f, W):
    delta = f.get("backward", "delta")
    lines = []
    if "da_dz" in f.bwd:
        dL_da, da_dz = f.bwd["dL_da"], f.bwd["da_dz"]
        lines.append(f"{W.delta()} = {W.d('L', 'z')} = {W.d('L', 'a')}{W.dot}f'(z)")
        for k in f.samples[:MAX_SAMPLES]:
            lines.append(f"{W.text(f.where(k))}= {W.factor(f.pick(dL_da, k))}{W.dot}"
                         f"{W.factor(f.pick(da_dz, k))} = {W.num(f.pick(delta, k))}")
    else:
        lines += _given_delta_lines(f, W)
    _more(lines, f, W)
    return Explanation(W.join(lines), f.selected(delta), W.format,
                       lambda: _fd_check(f, "z", None, f.selected(delta)))


def _given_delta_lines(f, W):
    """delta of an output neuron given by the loss node (fused, or softmax's Jacobian)."""
    s, j = f.s, f.j
    a, delta = f.get("forward", "a"), f.bwd["delta"]
    n = f.n_samples or 1
    lines = []
    if s.fused:
        size = n if f.softmax else n * f.trace.sizes[-1]
        kind = "softmax + cross-entropy" if f.softmax else "sigmoid + bce"
        lines.append(f"{W.delta()} = {W.d('L', 'z')} = (a - y) / {size}   "
                     f"{W.text('[fused ' + kind + ' gradient]')}")
        for k in f.samples[:MAX_SAMPLES]:
            y_k = None if s.targets is None else f.pick(s.targets, k)[..., j]
            middle = "" if y_k is None else \
                f"({W.num(f.pick(a, k))} - {W.factor(y_k)}) / {size} = "
            lines.append(f"{W.text(f.where(k))}= {middle}{W.num(f.pick(delta, k))}")
    else:
        dL_da = f.bwd.get("dL_da")
        lines.append(f"{W.delta()} = {W.d('L', 'z')} = a{W.dot}({W.d('L', 'a')} - "
                     f"{W.sum('k')} {W.sub('a', 'k')}{W.dot}{W.d('L', W.sub('a', 'k'))})   "
                     f"{W.text(chr(91) + 'softmax' + chr(39) + 's Jacobian: the outputs are coupled]')}")
        for k in f.samples[:MAX_SAMPLES]:
            a_k, d_k = f.pick(a, k), f.pick(delta, k)
            inner = f.pick(dL_da, k) - d_k / a_k if dL_da is not None and a_k else None
            middle = "" if inner is None else \
                f"{W.factor(a_k)}{W.dot}({W.num(f.pick(dL_da, k))} - {W.factor(inner)}) = "
            lines.append(f"{W.text(f.where(k))}= {middle}{W.num(d_k)}")
    return lines


def _explain_sent(f, W, pred):
    if pred not in f.preds:
        raise KeyError(f"{f.name} sends its error to {f.preds}; got 'sent:{pred}'.")
    i = f.preds.index(pred)
    sent = f.get("backward", "to_predecessors")[pred]
    delta = f.get("backward", "delta")
    w = f.get("update", "weights_before")[i]
    lines = [f"{W.text('sent to ' + pred)} = {W.delta()}{W.dot}{W.sub('w', i)}"]
    for k in f.samples[:MAX_SAMPLES]:
        lines.append(f"{W.text(f.where(k))}= {W.factor(f.pick(delta, k))}{W.dot}{W.factor(w)} = "
                     f"{W.num(f.pick(sent, k))}")
    _more(lines, f, W)
    return Explanation(W.join(lines), f.selected(sent), W.format,
                       lambda: _fd_check(f, "input", i, f.selected(sent)))


def _explain_gradient(f, W, i):
    """The chain rule for dL/dw_i (or dL/db), with the recorded numbers."""
    bwd = f.bwd
    var = "b" if i is None else W.sub("w", i)
    used = f.get("backward", "grad_bias") if i is None else \
        float(f.get("backward", "grad_weights")[i])
    delta = f.get("backward", "delta")
    x = None if i is None else f.get("forward", "x")[..., i]
    given = "da_dz" not in bwd or "dL_da" not in bwd
    local = [] if i is None else [W.d("z", var)]
    rule = ([W.d("L", "z")] if given else [W.d("L", "a"), W.d("a", "z")]) + local
    lines = [f"{W.d('L', var)} = " + W.dot.join(rule) + (W.dot + "1" if i is None else "")]
    terms = []
    for k in f.samples:
        factors = [f.pick(delta, k)] if given else [f.pick(bwd["dL_da"], k),
                                                   f.pick(bwd["da_dz"], k)]
        if i is not None:
            factors.append(f.pick(x, k))
        terms.append((k, factors, float(np.prod(factors))))
    for k, factors, value in terms[:MAX_SAMPLES]:
        lines.append(f"{W.text(f.where(k))}= " + W.dot.join(W.factor(v) for v in factors)
                     + f" = {W.num(value)}")
    if len(terms) > MAX_SAMPLES:
        lines.append(f"... ({len(terms) - MAX_SAMPLES} more samples)")
    if f.batch and f.sample is None:
        over = (rf"\sum_{{s=1}}^{{{len(terms)}}}" if W.latex else
                f"Σ over the {len(terms)} samples")
        lines.append(f"{W.d('L', var)} = {over} = {W.num(used)}")
    elif f.batch:
        lines.append(W.text(f"(sample {f.sample}'s share; the gradient used, summed over the "
                            f"{f.n_samples} samples, is {W.num(used)})"))
    # Where dL/da (or dL/dz) came from, for one sample.
    k0 = None if not f.batch else (f.sample if f.sample is not None else 0)
    origin = _Facts(f.trace, f.name, f.step, k0)
    if W.format == "text":
        lines += _text_origin(f, k0, W.digits)
    elif given:
        lines += _given_delta_lines(origin, W)[:2]
    elif f.output:
        lines += _loss_gradient_lines(origin, W)[:2]
    else:
        lines += _successor_lines(origin, W)[:2]
    value = used if f.sample is None else terms[0][2]
    return Explanation(W.join(lines), value, W.format,
                       lambda: _fd_check(f, "param", i, value))


def _text_origin(f, k, digits):
    """Where dL/da (or dL/dz) came from, in plain text, for sample ``k`` (None: one sample)."""
    s, trace, name = f.s, f.trace, f.name
    pick = (lambda v: v) if k is None else (lambda v: v[k])
    which = "" if k is None else f" (sample {k})"
    j = f.j
    delta = pick(s.backward[name]["delta"])
    if f.output:
        a = pick(s.forward[name]["a"])
        y = None if s.targets is None else pick(s.targets)[..., j]
        if s.fused:
            kind = "softmax + cross-entropy" if f.softmax else "sigmoid + bce"
            n = s.n_samples or 1
            n = n if f.softmax else n * trace.sizes[-1]
            numbers = "" if y is None else f" = ({a:.{digits}g} - {y:.{digits}g}) / {n}"
            return [f"dL/dz{which} = (a - y) / {n}{numbers} = {format_number(delta, digits)}"
                    f"   [fused {kind} gradient]"]
        dL_da = pick(s.backward[name]["dL_da"])
        target = "" if y is None else f", y = {y:.{digits}g}"
        lines = [f"dL/da{which} = gradient of the {s.loss_name} loss at a = {a:.{digits}g}"
                 f"{target}: {format_number(dL_da, digits)}"]
        if f.softmax:
            coupled = dL_da - delta / a
            lines.append(f"dL/dz{which} = a · (dL/da - Σ_k a_k dL/da_k) = ({a:.{digits}g}) · "
                         f"(({dL_da:.{digits}g}) - ({coupled:.{digits}g})) = "
                         f"{format_number(delta, digits)}   [softmax's Jacobian: the layer's "
                         f"outputs are coupled]")
        return lines
    parts, values = [], []
    for successor in trace.node_names()[f.l + 1]:
        b, u = s.backward[successor], s.update[successor]
        d_k = pick(b["delta"])
        w = u["weights_before"][j] if "weights_before" in u else None
        sent = pick(b["to_predecessors"][name]) if "to_predecessors" in b else None
        parts.append(f"δ{successor} · w{j}[{successor}]" if w is not None else successor)
        values.append(f"({d_k:.{digits}g}) · ({w:.{digits}g})" if w is not None
                      else f"({sent:.{digits}g})")
    dL_da = pick(s.backward[name]["dL_da"])
    return [f"dL/da{which} = Σ over successors = " + " + ".join(parts) + " = "
            + " + ".join(values) + f" = {format_number(dL_da, digits)}"]


def _explain_update(f, W, i):
    """The new value of a parameter, through the optimizer's formula and state."""
    opt = f.s.optimizer
    if opt is None:
        raise KeyError(f"Step {f.step} has no update (no optimizer step was recorded).")
    key = "weights" if i is None else "weights"
    before = f.get("update", "bias_before") if i is None else \
        float(f.get("update", "weights_before")[i])
    after = f.get("update", "bias_after") if i is None else \
        float(f.get("update", "weights_after")[i])
    grad = f.get("backward", "grad_bias") if i is None else \
        float(f.get("backward", "grad_weights")[i])
    del key
    p = "b" if i is None else W.sub("w", i)
    part = "bias" if i is None else "weights"

    def state(name, when=""):
        value = f.upd.get(f"{name}_{part}{when}")
        return None if value is None else (float(value) if i is None else float(value[i]))
    lr = opt["lr"]
    lines, g, g_sym = [], grad, W.d("L", p)
    clip = opt.get("clip")
    if clip:
        if clip.get("kind") == "norm":
            g = grad * clip["scale"]
            lines.append(f"g = {W.d('L', p)}{W.dot}{W.text('scale')} = {W.factor(grad)}{W.dot}"
                         f"{W.factor(clip['scale'])} = {W.num(g)}   "
                         f"{W.text('(gradient clipped by norm)')}")
        else:
            c = opt.get("clip_value")
            g = float(np.clip(grad, -c, c))
            lines.append(f"g = clip({W.d('L', p)}, ±{W.num(c)}) = {W.num(g)}")
        g_sym = "g"
    if opt["name"] == "Adam":
        b1, b2, eps, t = opt["beta1"], opt["beta2"], opt["eps"], opt["steps"]
        m0, v0, m, v = state("m", "_before"), state("v", "_before"), state("m"), state("v")
        m_hat, v_hat = m / (1 - b1 ** t), v / (1 - b2 ** t)
        lines += [f"m = β1{W.dot}m + (1 - β1){W.dot}{g_sym} = {W.num(b1)}{W.dot}{W.factor(m0)} "
                  f"+ {W.num(1 - b1)}{W.dot}{W.factor(g)} = {W.num(m)}",
                  f"v = β2{W.dot}v + (1 - β2){W.dot}{g_sym}^2 = {W.num(b2)}{W.dot}{W.factor(v0)} "
                  f"+ {W.num(1 - b2)}{W.dot}{W.factor(g)}^2 = {W.num(v)}",
                  f"{p}' = {p} - lr{W.dot}m̂ / (√v̂ + ε), m̂ = m / (1 - β1^{t}) = {W.num(m_hat)}, "
                  f"v̂ = v / (1 - β2^{t}) = {W.num(v_hat)}",
                  f"= {W.num(before)} - {W.num(lr)}{W.dot}{W.factor(m_hat)} / "
                  f"(√{W.num(v_hat)} + {W.num(eps)}) = {W.num(after)}"]
        if W.latex:
            lines = [line.replace("β", r"\beta ").replace("m̂", r"\hat m")
                     .replace("v̂", r"\hat v").replace("√", r"\sqrt").replace("ε", r"\epsilon")
                     for line in lines]

        def numeric():
            return before - lr * m_hat / (np.sqrt(v_hat) + eps)
    elif opt.get("momentum"):
        mom, v0, v = opt["momentum"], state("velocity", "_before"), state("velocity")
        lines += [f"v = m{W.dot}v - lr{W.dot}{g_sym} = {W.num(mom)}{W.dot}{W.factor(v0)} - "
                  f"{W.num(lr)}{W.dot}{W.factor(g)} = {W.num(v)}",
                  f"{p}' = {p} + v = {W.num(before)} + {W.factor(v)} = {W.num(after)}"]

        def numeric():
            return before + (mom * v0 - lr * g)
    else:
        lines.append(f"{p}' = {p} - lr{W.dot}{g_sym} = {W.num(before)} - {W.num(lr)}{W.dot}"
                     f"{W.factor(g)} = {W.num(after)}")

        def numeric():
            return before - lr * g
    return Explanation(W.join(lines), after, W.format,
                       lambda: Check(numeric(), after, f"{opt['name']}'s update formula"))


def _explain_loss(trace, s, W):
    if s.loss is None:
        raise KeyError(f"The loss was not recorded at step {s.id}.")
    name = s.loss_name
    formula = losses.get(name).formula if name in losses.NAMES else f"L = {name}(a, y)"
    lines = [formula if not W.latex else W.text(formula)]
    out = trace.node_names()[-1]
    if all(n in s.forward and "a" in s.forward[n] for n in out) and s.targets is not None:
        a = np.stack([np.asarray(s.forward[n]["a"]) for n in out], axis=-1)
        lines.append(f"a = {_vec(a, W)}, y = {_vec(s.targets, W)}")
    lines.append(f"L = {W.num(s.loss)}")

    def check():
        f = _Facts(trace, out[0], s.id, None)
        return Check(_Replay(f).loss(), s.loss, "forward pass at this step's parameters")
    return Explanation(W.join(lines), s.loss, W.format, check)


# --- helpers ---------------------------------------------------------------------------------

def _cut(parts, W, limit=6):
    if len(parts) <= limit:
        return " + ".join(parts)
    return " + ".join(parts[:limit]) + f" + … {W.text(f'({len(parts) - limit} more terms)')}"


def _more(lines, f, W):
    if len(f.samples) > MAX_SAMPLES:
        lines.append(f"… ({len(f.samples) - MAX_SAMPLES} more samples)")


def _vec(a, W):
    a = np.ravel(a)
    shown = ", ".join(W.num(v) for v in a[:6])
    return f"[{shown}{', …' if a.size > 6 else ''}]"


def _central(g, h):
    """Central differences with one Richardson step: error O(h^4)."""
    d1 = (np.asarray(g(h)) - np.asarray(g(-h))) / (2 * h)
    d2 = (np.asarray(g(h / 2)) - np.asarray(g(-h / 2))) / h
    return (4 * d2 - d1) / 3


class _Replay:
    """The network of one recorded step rebuilt from the trace, in plain numpy.

    ``loss(nudge)`` is the step's loss with one number nudged by ``h``: a
    parameter (for one sample only, when asked), a ``z``, an ``a``, or one
    input as one neuron sees it.
    """

    def __init__(self, f):
        t, s = f.trace, f.s
        self.f = f
        if any(rows is not None for rows in t.recorded_rows.values()) \
                or len(t.recorded_rows) != len(t.sizes) - 1:
            raise ValueError("check() needs a trace of every neuron (this one was limited to "
                             f"neurons {t.limits.get('neurons')}).")
        self.W, self.b = [], []
        for layer in t.node_names():
            cols = [f_upd(s, n) for n in layer]
            self.W.append(np.stack([w for w, _ in cols], axis=1))
            self.b.append(np.array([b for _, b in cols]))
        first = s.forward[t.node_names()[0][0]]
        if "x" not in first or s.targets is None or s.loss_name is None:
            raise ValueError(f"check() needs the inputs, the targets and the loss of step "
                             f"{s.id}; the trace did not record them.")
        self.lossf = step_loss(s, "check()")
        self.X, self.Y = np.asarray(first["x"], float), np.asarray(s.targets, float)
        self.acts = t.activation_names

    def forward(self, nudge=None):
        """``(Z, A)`` per layer; ``nudge = (kind, l, j, i, sample, h)``."""
        kind, nl, nj, ni, ns, h = nudge if nudge else (None,) * 6
        rows = slice(None) if ns is None else ns
        A, Zs, As = self.X, [], []
        for l, (W, b) in enumerate(zip(self.W, self.b)):
            Z = A @ W + b
            if kind == "param" and l == nl:
                W2, b2 = W.copy(), b.copy()
                if ni is None:
                    b2[nj] += h
                else:
                    W2[ni, nj] += h
                Z2 = A @ W2 + b2
                Z = Z.copy()
                Z[..., nj] = Z2[..., nj] if ns is None else _set(Z[..., nj], ns, Z2[..., nj])
            if kind == "input" and l == nl:
                A2 = np.array(A, float)
                A2[(rows, ni) if A2.ndim == 2 else ni] += h
                Z = Z.copy()
                Z[..., nj] = (A2 @ W + b)[..., nj]
            if kind == "z" and l == nl:
                Z = np.array(Z, float)
                Z[(rows, nj) if Z.ndim == 2 else nj] += h
            if self.acts[l] == "softmax":
                A = activations.softmax(Z)
            else:
                A = activations.get(self.acts[l]).value(np.array(Z, float))
            if kind == "a" and l == nl:
                A = np.array(A, float)
                A[(rows, nj) if A.ndim == 2 else nj] += h
            Zs.append(Z)
            As.append(A)
        return Zs, As

    def loss(self, nudge=None):
        return self.lossf.value(self.forward(nudge)[1][-1], self.Y)


def _set(column, k, values):
    out = np.array(column, float)
    out[k] = values[k]
    return out


def f_upd(s, name):
    u = s.update[name]
    if "weights_before" not in u:
        raise ValueError(f"check() needs the weights of every neuron at step {s.id}; "
                         f"{name}'s were not recorded.")
    return u["weights_before"], u["bias_before"]


def _fd_check(f, kind, i, recorded):
    """dL/d(something) at this step by central finite differences."""
    replay = _Replay(f)
    h = 1e-3
    samples = f.samples
    if kind == "param":
        # The whole gradient, or one sample's share (the parameter nudged for that sample only).
        ns = f.sample
        numeric = _central(lambda d: replay.loss(("param", f.l, f.j, i, ns, d)), h)
        return Check(numeric, recorded, "central finite differences of the loss")
    values = []
    for k in samples:
        if kind == "input":
            nudge = ("input", f.l, f.j, i, k)
        else:
            nudge = (kind, f.l, f.j, None, k)
        values.append(_central(lambda d, nudge=nudge: replay.loss(nudge + (d,)), h))
    numeric = values[0] if not f.batch or f.sample is not None else np.array(values)
    return Check(numeric, recorded, "central finite differences of the loss")


def contributions(trace, name, quantity, step):
    """Each sample's share of the gradient ``quantity`` (``"w<i>"`` or ``"b"``) of a batch step.

    Parameters
    ----------
    trace : Trace
    name : str
        The neuron, e.g. ``"L1.N0"``.
    quantity : str
        ``"w0"``, ``"w1"``, ... or ``"b"``.
    step : int
        A recorded batch step.

    Returns
    -------
    ndarray of shape (n_samples,)
        ``delta_s · x_s,i`` (``delta_s`` for ``b``). They add up to the recorded
        gradient: the loss's ``1/n`` is already inside ``delta``.

    Examples
    --------
    >>> import neurotrace as nt
    >>> X, Y = nt.datasets.xor()
    >>> net = nt.NeuralNetwork([2, 2, 1], seed=0)
    >>> with nt.trace(net) as t:
    ...     _ = nt.fit(net, X, Y, loss="mse", batch_size=None, progress=False)
    >>> contributions(t, "L2.N0", "b", 0).shape
    (4,)
    """
    f = _Facts(trace, name, step, None)
    i = _parameter_index(f, quantity, quantity)
    delta = np.asarray(f.get("backward", "delta"), dtype=np.float64)
    if not f.batch:
        delta = delta.reshape(1)
    if i is None:
        return delta.copy()
    x = np.asarray(f.get("forward", "x"), dtype=np.float64)
    return delta * np.atleast_2d(x)[:, i]


def step_loss(step, who):
    """The loss a recorded step used, to compute with: the function itself when the trace
    kept it, else the built-in loss of that name; an error that says why otherwise."""
    if step.loss_function is not None:
        return step.loss_function
    if step.loss_name in losses.NAMES:
        return losses.get(step.loss_name)
    raise ValueError(f"{who} needs the loss of step {step.id}, {step.loss_name!r}, which is a "
                     f"loss of your own: a saved trace keeps only its name (a function is not "
                     f"saved). Use the trace recorded in this session, or a built-in loss "
                     f"{list(losses.NAMES)}.")
