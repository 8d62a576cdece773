"""Recording: ``with neurotrace.trace(net) as t:`` keeps every number of every step.

The engine knows nothing about this module. It calls one hook,
``network.recorder.record(network, event, ...)``, when ``network.recorder`` is
set (it is ``None`` outside a trace, so the engine pays one attribute test per
layer). The events are:

* ``"step"``     fit starts a batch (epoch, step, the batch's sample indices);
* ``"forward"``  layer ``l`` has computed its outputs: the engine hands over ``x``,
  ``z``, ``a`` (one array each, neurons on the last axis) and the layer's parameters;
* ``"loss"``     the loss value, the targets, and whether a fused gradient is used;
* ``"backward"`` layer ``l`` has its gradients: ``dL_da``, ``da_dz``, ``delta`` and the
  layer's gradient and parameter blocks;
* ``"update"``   the optimizer is about to change the parameters (``phase="before"``)
  or has just done so (``phase="after"``).

The engine hands over the values it already holds (see docs/architecture.md, "The
recording protocol"); the recorder copies what it needs, *per layer* (one array per
quantity), and the :class:`~neurotrace.trace_data.Trace` slices those arrays into
neurons when it is asked. Both backends therefore give the same trace.
"""
import contextlib
import warnings

import numpy as np

from .diagnose import diagnose
from .events import optimizer_info
from .trace_data import QUANTITIES, Trace
from .vectorized import VectorizedNetwork

__all__ = ["trace", "DEFAULT_MAX_BYTES"]

DEFAULT_MAX_BYTES = 64 * 2 ** 20
FLOAT64 = np.dtype(np.float64)


@contextlib.contextmanager
def trace(network, *, steps=None, every=1, neurons=None, quantities=None,
          max_bytes=DEFAULT_MAX_BYTES):
    """Record everything that happens to ``network`` inside the ``with`` block.

    Parameters
    ----------
    network : NeuralNetwork or VectorizedNetwork
        The network to record; while the block runs, ``network.recorder`` is set.
    steps : range, slice or iterable of int, optional
        Which steps to keep (a step is one forward pass and what follows it;
        inside ``fit``, one batch). Default: all.
    every : int, default=1
        Keep every ``every``-th step.
    neurons : list of str, optional
        Neuron or layer names to keep (``["L1.N0", "L2"]``). Default: all.
    quantities : list of str, optional
        Which of :data:`neurotrace.trace_data.QUANTITIES` to keep. Default: all.
    max_bytes : int, default=64 MiB
        A cap on memory. When reached, every other kept step is dropped and
        only every other step is kept from then on; the trace says so in
        ``t.thinned`` and warns once.

    Yields
    ------
    Trace
        Filled while the block runs; complete when it ends.

    Raises
    ------
    RuntimeError
        If ``network`` is already being traced (traces do not nest).
    ValueError
        If ``every`` is not a positive int, or ``quantities`` names an unknown quantity.
    KeyError
        If ``neurons`` names a neuron or layer the network does not have.

    Examples
    --------
    >>> import neurotrace as nt
    >>> X, Y = nt.datasets.xor()
    >>> net = nt.NeuralNetwork([2, 2, 1], seed=0)
    >>> with nt.trace(net) as t:
    ...     _ = nt.fit(net, X, Y, loss="sse", epochs=1, batch_size=1, shuffle=False,
    ...                progress=False)
    >>> t.steps
    [0, 1, 2, 3]
    """
    if not hasattr(network, "flat_parameters") or not hasattr(network, "recorder"):
        raise TypeError(f"trace expects a NeuralNetwork or VectorizedNetwork, got "
                        f"{type(network).__name__}.")
    if isinstance(max_bytes, bool) or not isinstance(max_bytes, (int, np.integer)) \
            or max_bytes < 1:
        raise ValueError(f"The 'max_bytes' parameter of trace must be a positive integer (a "
                         f"number of bytes, e.g. 64 * 2**20 for 64 MiB). Got {max_bytes!r} "
                         f"instead.")
    if network.recorder is not None:
        raise RuntimeError("This network is already being traced; traces do not nest.")
    recorder = Recorder(network, steps, every, neurons, quantities, max_bytes)
    network.recorder = recorder
    try:
        yield recorder.trace
    finally:
        network.recorder = None
        recorder.finish()


class Recorder:
    """Receives the engine's events and keeps copies in a :class:`Trace`."""

    def __init__(self, network, steps, every, neurons, quantities, max_bytes):
        if isinstance(every, bool) or not isinstance(every, int) or every < 1:
            raise ValueError(f"The 'every' parameter of trace must be a positive integer. "
                             f"Got {every!r} instead.")
        if quantities is not None:
            unknown = sorted(set(quantities) - set(QUANTITIES))
            if unknown:
                raise ValueError(f"The 'quantities' parameter of trace must list names from "
                                 f"{QUANTITIES}. Got {unknown} instead.")
        self.want = want = set(QUANTITIES if quantities is None else quantities)
        self.keep_grad = bool(want & {"grad_weights", "grad_bias"})
        self.keep_sent = "to_predecessors" in want
        self.keep_before = bool(want & {"weights_before", "bias_before"})
        self.keep_after = bool(want & {"weights_after", "bias_after"})
        self.backward_names_batch = want & {"dL_da", "da_dz", "delta"}
        if self.keep_sent:
            self.backward_names_batch.add("delta")
        self.backward_names = set(self.backward_names_batch)
        if self.keep_grad:
            self.backward_names.add("delta")
        self.recorded_rows = _select_neurons(network, neurons)
        self.steps_wanted = None if steps is None else _as_step_filter(steps)
        self.every, self.max_bytes = every, max_bytes
        self.vectorized = isinstance(network, VectorizedNetwork)
        self.trace = Trace(network.sizes, network.activation_names, self.recorded_rows,
                           sorted(self.want), backend=type(network).__name__,
                           limits={"steps": None if steps is None else repr(steps),
                                   "every": every,
                                   "neurons": None if neurons is None else list(neurons),
                                   "quantities": None if quantities is None else list(quantities),
                                   "max_bytes": max_bytes})
        self.next_id = 0
        self.current = None          # the step being recorded (a dict), or None if skipped
        self.open = False            # a "step" event opened a step that has no forward yet
        self.bytes = 0
        self.in_fit = False          # the current step was started by fit
        self.follows = False         # ... right after the step recorded last, in one fit call
        self.current_id = None       # the number of the step recorded last
        self.thin = 1                # after thinning: keep one in `thin` of the wanted steps
        self.wanted = 0              # how many steps passed the steps/every limits so far
        self.last_block = {}         # per layer, the last parameter block copied (shared)
        self.step_bytes = 0
        self.state_before = {}       # the optimizer's state before the update being recorded

    # --- the one hook the engine calls ----------------------------------------------------
    def record(self, network, event, layer=None, **info):
        if event == "forward":
            if layer == 0 and not self.open:
                self._start({})
            self.open = False
            if self.current is not None and layer in self.recorded_rows:
                self._forward(layer, info)
        elif event == "step":
            self._start(info)
            self.open = True
        elif self.current is None:
            return
        elif event == "backward":
            if layer in self.recorded_rows:
                self._backward(network, layer, info)
        elif event == "update":
            self._update(network, info)
        elif event == "loss":
            self._loss(network, info)

    # --- steps, limits, memory ------------------------------------------------------------
    def _start(self, info):
        self._close()
        step_id, self.next_id = self.next_id, self.next_id + 1
        keep = step_id % self.every == 0 and (self.steps_wanted is None
                                              or self.steps_wanted(step_id))
        if keep:
            # Thinning counts among the wanted steps, so it never drops all of them.
            keep, self.wanted = self.wanted % self.thin == 0, self.wanted + 1
        if not keep:
            self.trace.note_skipped(step_id)
            self.current = None
            return
        # Inside one call of fit nothing but fit touches the weights, so a step that
        # follows the step recorded last, in the same call, starts from the weights that
        # step ended with (kept as "after"): no need to compare them (see _parameters).
        first_of_fit = info.get("epoch") == 0 and info.get("step") == 0
        self.follows = ("epoch" in info and self.in_fit and not first_of_fit
                        and self.current_id == step_id - 1 and self.keep_after)
        self.current = {"id": step_id, "layers": {l: {} for l in self.recorded_rows}}
        self.current_id = step_id
        self.step_bytes = 0
        self.in_fit = "epoch" in info            # a step of fit, not one made by hand
        if self.in_fit:
            self.current["epoch"] = info["epoch"]
            self.current["batch_step"] = info["step"]
            batch = info["batch"]                  # fit's sample number(s) in this step
            if not isinstance(batch, np.ndarray):
                self.current["batch"] = int(batch)
            else:                                  # a slice of fit's order, never changed
                self._keep(self.current, "batch", np.asarray(batch, dtype=np.int64))

    def _keep(self, store, key, array):
        """Store a fresh copy and count its bytes toward the cap."""
        store[key] = array
        self.step_bytes += array.nbytes
        return array

    def _close(self):
        """Hand the finished step to the trace; thin the trace when over the cap."""
        if self.current is None:
            return
        self.trace.add_step(self.current)
        self.bytes += self.step_bytes
        self.current = None
        if self.bytes > self.max_bytes:
            self.thin *= 2
            self.bytes = self.trace.thin_out()
            self.last_block = {}                  # dropped steps' copies: not shared
            cap = (f"{self.max_bytes / 2**20:.0f} MiB" if self.max_bytes >= 2**20
                   else f"{self.max_bytes} bytes")
            message = (f"neurotrace.trace: the trace reached its memory cap of "
                       f"{cap}; it now keeps one in {self.thin} of "
                       f"the steps it was asked for (see t.thinned). Pass max_bytes=... or "
                       f"limit steps, neurons or quantities to keep more.")
            if not self.trace.thinned:
                warnings.warn(message, RuntimeWarning, stacklevel=4)
            self.trace.thinned.append(message)

    def finish(self):
        self._close()

    def findings(self):
        """What :func:`neurotrace.diagnose` finds in the trace so far (fit warns with it)."""
        self._close()                     # the step in progress is finished: hand it over
        return diagnose(self.trace)

    # --- what each event keeps ---------------------------------------------------------------
    def _forward(self, l, info):
        rows, store, want = self.recorded_rows[l], self.current["layers"][l], self.want
        if "x" in want or self.keep_grad:
            before = self.current["layers"].get(l - 1, {})
            if "a" in before and self.recorded_rows[l - 1] is None:   # (l - 1 recorded)
                store["x"] = before["a"]          # a layer's input is the layer before's output
            else:
                self._keep(store, "x", _take(info["x"], None))  # a copy: the data may change
        if "z" in want:
            self._keep(store, "z", _cols(info["z"], rows))
        if "a" in want:
            self._keep(store, "a", _cols(info["a"], rows))

    def _loss(self, network, info):
        step = self.current
        if "loss" in self.want:
            step["loss"] = float(info["value"])
            step["loss_name"] = str(getattr(info["loss"], "name", info["loss"]))
            step["loss_function"] = info["loss"]   # kept in memory only (see Step)
        if "targets" in self.want:
            self._keep(step, "targets", np.array(info["targets"], dtype=np.float64))
        step["fused"] = bool(info["fused"])
        if network.has_softmax_output and "probabilities" in self.want:
            self._keep(step, "probabilities", np.array(network.output, dtype=np.float64))

    def _backward(self, network, l, info):
        rows, store = self.recorded_rows[l], self.current["layers"][l]
        one_sample = network.output.ndim == 1
        # delta is kept too when the sent errors or one sample's dL/dw derive from it
        names = self.backward_names if one_sample else self.backward_names_batch
        for name in ("dL_da", "da_dz", "delta"):
            value = info[name]
            if name in names and value is not None:
                store[name] = value = _cols(value, rows)
                self.step_bytes += value.nbytes
        if self.keep_grad and not one_sample:
            # A batch: dL/dw sums over the samples; keep the engine's sums. (For one
            # sample, dL/dw = delta * x is multiplied out by the trace when asked.)
            self._keep(store, "grad", _take(info["gradients"], rows))
        if self.keep_sent:
            # Neuron j sends delta_j * w_j back. Keep the weights of this pass; the
            # trace multiplies them out when asked (the product the engine computes).
            store["w"] = self._parameters(network, l)

    def _parameters(self, network, l, changed=False):
        """A copy of layer ``l``'s parameter block, shared with the last copy when equal.

        The weights of a forward pass, the weights before the update and, for the
        next step, the weights after it are usually the same numbers: one copy.
        """
        rows, block, last = self.recorded_rows[l], network.parameter_blocks[l], self.last_block.get(l)
        if not changed and rows is None and last is not None \
                and (self.follows or last.tobytes() == block.tobytes()):   # the same bits
            return last
        copy = _take(block, rows)
        self.step_bytes += copy.nbytes
        if rows is None:
            self.last_block[l] = copy
        return copy

    def _update(self, network, info):
        optimizer = info["optimizer"]
        if info["phase"] == "before" and "optimizer_state" in self.want:
            # The state is changed in place by the update: keep what it was before.
            self.state_before = {name: flat.copy() for name, flat in optimizer.state.items()}
        for l in self.recorded_rows:
            store = self.current["layers"][l]
            if info["phase"] == "before":
                if self.keep_before and self.in_fit and "w" in store:
                    # Inside fit nothing touches the weights between backward and the
                    # update: the weights before it are the ones backward used.
                    store["before"] = store["w"]
                elif self.keep_before:
                    store["before"] = self._parameters(network, l)
            else:
                if self.keep_after:
                    store["after"] = self._parameters(network, l, changed=True)
                if "optimizer_state" in self.want:
                    for name, flat in optimizer.state.items():
                        shape = network.parameter_blocks[l].shape
                        block = flat[_block_slice(network, l)].reshape(shape)
                        self._keep(store, "state:" + name, _take(block, self.recorded_rows[l]))
                        # Before the update (zeros on the optimizer's first step).
                        old = self.state_before.get(name)
                        old = np.zeros_like(flat) if old is None else old
                        block = old[_block_slice(network, l)].reshape(network.parameter_blocks[l].shape)
                        self._keep(store, "state_before:" + name, _take(block, self.recorded_rows[l]))
        if info["phase"] == "after":
            self.current["optimizer"] = optimizer_info(optimizer)


def _block_slice(network, l):
    blocks = network.parameter_blocks
    start = sum(b.size for b in blocks[:l])
    return slice(start, start + blocks[l].size)


def _cols(value, rows):
    """The recorded neurons' columns of z, a, delta, ... (the last axis).

    These arrays are made anew by every pass and never changed afterwards, so a
    float64 one is kept as it is; only a selection or a float32 array is copied.
    """
    if value.dtype is not FLOAT64:                     # a float32 network
        value = value.astype(np.float64)
    return value if rows is None else value[..., rows]


def _take(value, rows):
    """A copy of the recorded neurons' rows of a parameter or gradient block, in float64."""
    if value.dtype is not FLOAT64:                     # a float32 network
        value = value.astype(np.float64)
    return value.copy() if rows is None else value[rows]


def _select_neurons(network, neurons):
    """``{layer: None (all) or [neuron indices]}`` for the names asked for."""
    if neurons is None:
        return {l: None for l in range(network.n_layers)}
    rows = {}
    for name in neurons:
        if "." in str(name):
            l, j = network.locate(name)
            if rows.get(l, []) is not None:
                rows.setdefault(l, []).append(j)
        else:
            l, _ = network.locate(f"{name}.N0")
            rows[l] = None
    return {l: (None if r is None else sorted(set(r))) for l, r in sorted(rows.items())}


def _as_step_filter(steps):
    if isinstance(steps, slice):
        start, stop, stride = steps.start or 0, steps.stop, steps.step or 1
        return lambda k: k >= start and (stop is None or k < stop) and (k - start) % stride == 0
    if isinstance(steps, range):
        return steps.__contains__                 # no set of a possibly huge range
    wanted = set(int(k) for k in steps)
    return wanted.__contains__
