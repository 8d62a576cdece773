"""Diagnose a traced run: dead ReLUs, saturated neurons, vanishing or exploding gradients, a stall.

``nt.diagnose(t)`` reads the recorded numbers and returns findings, each with a
``kind``, the ``nodes`` and ``steps`` it concerns, and a sentence a student
understands. A healthy run gives none. ``fit(..., warn=True)`` (the default)
warns with them at the end of training when a trace is active.

The rules (thresholds are module constants):

* ``dead_relu``  a ReLU neuron whose output is 0 for every sample in every
  recorded step from some step to the last (at least a quarter of the steps, and
  at least ``MIN_STEPS``):
  no gradient reaches its weights, so it never comes back.
* ``saturated``  a sigmoid or tanh neuron whose ``f'(z)`` is below
  ``SATURATED`` times its largest possible value for every sample over the
  last half of the steps: gradients through it are nearly 0.
* ``vanishing`` / ``exploding``  the first layer's gradients are, at the
  median step, smaller (larger) than the last layer's by a factor of
  ``RATIO`` or more; ``exploding`` also when the gradients (of the first and
  the last layer) over the last quarter of the steps are ``GROWTH`` times their
  size over the first quarter (medians), or NaN or inf: a network whose every
  layer's gradients grow alike, as a deep ReLU network with large initial
  weights does on its way to diverging.
* ``stalled``  the loss (per epoch, when the steps came from ``fit``) changed
  by less than ``STALL`` (relative) over the second half of the run while it
  is still more than half its first value.
"""
import numpy as np

from . import activations
from .training import NeurotraceWarning

__all__ = ["diagnose", "Finding", "NeurotraceWarning"]

SATURATED = 1e-4          # f'(z) below this fraction of its maximum: saturated
RATIO = 1e4               # first layer vs last layer gradient size: vanishing / exploding
GROWTH = 1e4              # gradients this many times their first size: exploding
STALL = 1e-4              # relative change of the loss over the second half: stalled
MIN_STEPS = 5             # dead and saturated neurons are judged over at least this many steps
KINDS = ("dead_relu", "saturated", "vanishing", "exploding", "stalled")
_MAX_DERIVATIVE = {"sigmoid": 0.25, "tanh": 1.0}


class Finding:
    """One problem :func:`diagnose` found.

    Parameters
    ----------
    kind : str
        ``"dead_relu"``, ``"saturated"``, ``"vanishing"``, ``"exploding"`` or ``"stalled"``.
    nodes : list of str
        The neurons concerned (``[]`` for the loss).
    steps : list of int
        The steps it concerns.
    message : str
        A sentence a student understands.

    Examples
    --------
    >>> f = Finding("stalled", [], [3, 4], "The loss stalled.")
    >>> str(f)
    'The loss stalled.'
    """

    def __init__(self, kind, nodes, steps, message):
        self.kind, self.nodes, self.steps, self.message = kind, list(nodes), list(steps), message

    def __str__(self):
        return self.message

    def __repr__(self):
        return f"Finding({self.kind!r}, nodes={self.nodes}, steps {_span(self.steps)})"


def _span(steps):
    return f"{steps[0]}..{steps[-1]}" if len(steps) > 1 else f"{steps[0]}" if steps else "-"


def diagnose(trace):
    """Look for the usual ways training goes wrong in a trace.

    Parameters
    ----------
    trace : Trace
        Needs ``a`` and ``z`` (dead and saturated neurons), ``grad_weights``
        (vanishing, exploding) and ``loss`` (stalled); what was not recorded
        is not diagnosed.

    Returns
    -------
    list of Finding
        Empty for a healthy run.

    Examples
    --------
    >>> import neurotrace as nt
    >>> X, Y = nt.datasets.xor()
    >>> net = nt.NeuralNetwork([2, 2, 1], seed=0)
    >>> with nt.trace(net) as t:
    ...     _ = nt.fit(net, X, Y, loss="mse", optimizer=nt.SGD(lr=100), epochs=30,
    ...                batch_size=1, progress=False, warn=False)
    >>> sorted({f.kind for f in nt.diagnose(t)})
    ['saturated', 'stalled']
    """
    steps = trace.steps
    if not steps:
        return []
    findings = []
    findings += _dead_relus(trace, steps)
    findings += _saturated(trace, steps)
    findings += _gradient_sizes(trace, steps)
    findings += _stalled(trace, steps)
    return findings


def _layers(trace, kinds):
    """``(l, activation, names of its recorded neurons)`` for each recorded layer whose
    activation is one of ``kinds``; the rules read a whole layer per step."""
    for l, layer in enumerate(trace.node_names()):
        act = trace.activation_names[l]
        if act in kinds and l in trace.recorded_rows:
            rows = trace.recorded_rows[l]
            yield l, act, (layer if rows is None else [layer[j] for j in rows])


def _samples(values):
    """The sample axes of a layer's values: () for one sample, (0,) for a batch."""
    return tuple(range(np.ndim(values) - 1))


def _dead_relus(trace, steps):
    if "a" not in trace.quantities:
        return []
    need = max(MIN_STEPS, len(steps) // 4)
    out = []
    for l, _, names in _layers(trace, ("relu",)):
        dead, since = np.ones(len(names), bool), np.full(len(names), -1)   # -1: never dead
        for k in reversed(steps):             # back from the last step while some stay at 0
            a = trace[k].layer_values(l, "a")
            dead &= ~np.any(np.asarray(a) != 0, axis=_samples(a))
            if not dead.any():
                break
            since[dead] = k
        for name, first in zip(names, since.tolist()):
            if first < 0:
                continue
            stretch = [k for k in steps if k >= first]
            if len(stretch) >= need:
                out.append(Finding("dead_relu", [name], stretch,
                                   f"{name} output 0 for every sample since step {first}: its "
                                   f"ReLU is dead (z <= 0 for every input), no gradient reaches "
                                   f"its weights, so it cannot come back. Try a smaller learning "
                                   f"rate, He initialization or leaky_relu."))
    return out


def _saturated(trace, steps):
    if not {"z", "a"} <= set(trace.quantities):
        return []
    late = steps[len(steps) // 2:]
    if len(steps) < MIN_STEPS:
        return []
    names, kinds = [], set()
    for l, act, layer in _layers(trace, _MAX_DERIVATIVE):
        fn, flat = activations.get(act), np.ones(len(layer), bool)
        for k in late:                        # a whole layer per step; most stop at the first
            step = trace[k]
            z, a = step.layer_values(l, "z"), step.layer_values(l, "a")
            slope = fn.derivative(np.asarray(z, float), np.asarray(a, float))
            flat &= ~np.any(slope >= SATURATED * _MAX_DERIVATIVE[act], axis=_samples(slope))
            if not flat.any():
                break
        names += [name for name, f in zip(layer, flat) if f]
        if flat.any():
            kinds.add(act)
    if not names:
        return []
    which = " and ".join(sorted(kinds))
    return [Finding("saturated", names, late,
                    f"{', '.join(names)}: {which} saturated for every sample since step "
                    f"{late[0]} (f'(z) below {SATURATED:g} of its largest value, |z| large): "
                    f"gradients through {'it are' if len(names) == 1 else 'them are'} nearly 0, "
                    f"so {'its' if len(names) == 1 else 'their'} weights barely change. Try a "
                    f"smaller learning rate, smaller initial weights or scaled inputs.")]


def _gradient_sizes(trace, steps):
    if "grad_weights" not in trace.quantities or len(trace.sizes) < 3:
        return []
    layers = trace.node_names()
    L = len(layers)
    first, last = trace.gradient_rms(0), trace.gradient_rms(L - 1)
    if first is None or last is None:
        return []
    sizes = np.maximum(first, last)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        usable = (first > 0) & (last > 0) & np.isfinite(first) & np.isfinite(last)
        ratios = first[usable] / last[usable]
    # Growth: the last quarter of the steps against the first quarter, as medians (one
    # sample's gradient can be 1e4 times another's in a healthy run; a quarter evens that).
    q = max(1, len(sizes) // 4)
    early, late = _median(sizes[:q]), _median(sizes[-q:])
    if len(sizes) >= 2 and (not np.isfinite(late) or (early > 0 and late >= GROWTH * early)):
        how = "became NaN or inf" if not np.isfinite(late) else \
            f"grew to {late:.3g}, {late / early:.3g} times"
        span = f"step {steps[0]}" if q == 1 else f"steps {steps[0]}..{steps[q - 1]}"
        return [Finding("exploding", layers[0] + layers[-1], steps[-q:],
                        f"Exploding gradients: the gradients (root mean square of L1's and "
                        f"L{L}'s dL/dw) {how} their size at {span} ({early:.3g}) by step "
                        f"{steps[-q]}. Each layer multiplies the error by f'(z)·w on its way "
                        f"back, and large weights make every layer's share large. Try smaller "
                        f"initial weights (he or xavier), a smaller learning rate or gradient "
                        f"clipping.")]
    if not ratios.size:
        return []
    ratio = _median(ratios)
    if ratio < 1 / RATIO:
        return [Finding("vanishing", layers[0], steps,
                        f"Vanishing gradients: the first layer's gradients (L1) are {1 / ratio:.3g} "
                        f"times smaller than the last layer's (L{L}) at the median step, so L1 "
                        f"barely learns. Each layer multiplies the error by f'(z)·w on its way "
                        f"back (at most 0.25·w for sigmoid). Try relu, fewer layers or another "
                        f"initialization.")]
    if ratio > RATIO:
        return [Finding("exploding", layers[0], steps,
                        f"Exploding gradients: the first layer's gradients (L1) are {ratio:.3g} "
                        f"times larger than the last layer's (L{L}) at the median step. Try "
                        f"smaller initial weights, a smaller learning rate or gradient "
                        f"clipping.")]
    return []


def _median(values):
    """``np.median`` of a 1-D array, NaN when one is NaN, without what np.median's first
    call costs: it imports numpy.ma, 30 ms, the whole of diagnose on a short trace."""
    values = np.sort(values)                       # NaN sorts last
    n = values.size
    if n == 0 or np.isnan(values[-1]):
        return float("nan")
    middle = values[(n - 1) // 2: n // 2 + 1]      # one number, or the middle two
    with np.errstate(over="ignore"):               # two near 1e308: inf, as np.median
        return float(middle.sum() / middle.size)


def _stalled(trace, steps):
    if "loss" not in trace.quantities:
        return []
    epochs = trace.per_step("epoch")
    losses = np.array(trace.per_step("loss"), float)
    if all(e is not None for e in epochs) and len(set(epochs)) >= 3:
        keys = sorted(set(epochs))
        curve = np.array([losses[[e == key for e in epochs]].mean() for key in keys])
        label = "epoch"
    elif len(steps) >= 3:
        curve, keys, label = losses, steps, "step"
    else:
        return []
    first, middle, last = curve[0], curve[len(curve) // 2], curve[-1]
    if not np.isfinite(last) or middle == 0:
        return []
    change = abs(last - middle) / abs(middle)
    if change < STALL and last > 0.5 * first:
        since = steps[[e == keys[len(keys) // 2] for e in epochs].index(True)] \
            if label == "epoch" else keys[len(keys) // 2]
        return [Finding("stalled", [], [k for k in steps if k >= since],
                        f"Training stalled: the loss per {label} stayed at {last:.6g} since "
                        f"step {since} (relative change {change:.2g}) while still "
                        f"{last / first:.0%} of where it started. Look for saturated or dead "
                        f"neurons, or change the learning rate.")]
    return []
