"""Step through one training step, one neuron at a time: ``nt.step_through(net, x, y)``.

Each ``next(s)`` makes one neuron do one thing on the real network and returns
that :class:`~neurotrace.events.Event`. On a :class:`~neurotrace.NeuralNetwork`
the stepper calls each neuron's own ``forward`` and ``backward`` at its event,
so what has not happened yet has not been computed yet. After the last event
the parameters are exactly (bit for bit) those one ``fit`` step with the same
settings gives.

On a :class:`~neurotrace.VectorizedNetwork` a layer is one matrix product: the
stepper runs a layer's forward at its first neuron's event and the loss and the
whole backward pass (one ``backprop`` call) at the loss event, then shows the
neurons one at a time. Its ``state`` still says "not yet computed" for what the
events so far have not shown.

The optimizer updates every parameter in one call (as in every framework): the
stepper makes that call at the first ``update`` event, and the update events
show it neuron by neuron.
"""
import numpy as np

from . import activations, losses
from .events import (PHASES, backward_event, event_plan, forward_event, loss_event,
                     optimizer_info, planned_quantities, predecessors, update_event, state_order)
from .vectorized import VectorizedNetwork
from .network import NeuralNetwork
from .optimizers import SGD

__all__ = ["step_through", "Stepper", "NodeState", "NotYetComputed"]


class NotYetComputed(KeyError):
    """Asked for a value the step has not computed yet (a ``KeyError``).

    Examples
    --------
    >>> import neurotrace as nt
    >>> s = nt.step_through(nt.NeuralNetwork([2, 2, 1], seed=0), [0.0, 1.0], [1.0])
    >>> try:
    ...     s.state("L1.N0")["delta"]
    ... except nt.NotYetComputed as error:
    ...     print(error)
    delta of L1.N0 is not yet computed (0 of 10 events done): backward L1.N0 computes it.
    """

    def __str__(self):
        return self.args[0]


def step_through(network, x, y, loss="mse", optimizer=None, *, step=None, digits=4):
    """A stepper that runs one training step on ``network``, one event per ``next()``.

    Parameters
    ----------
    network : NeuralNetwork or VectorizedNetwork
        Changed in place, as ``fit`` would change it.
    x : array-like of shape (n_inputs,) or (n_samples, n_inputs)
        One sample or a batch.
    y : array-like of shape (n_outputs,) or (n_samples, n_outputs)
    loss : str or Loss, default="mse"
    optimizer : Optimizer, default=SGD(lr=0.1)
        Its state carries over from step to step, as in ``fit``.
    step : int, optional
        The step number the events carry (default: how many steps the
        optimizer has made).
    digits : int, default=4
        Significant digits in the printed equations.

    Returns
    -------
    Stepper
        ``next(s)``, ``s.run_to(phase, node)``, ``s.state(node)``, ``for ev in s``,
        ``print(s)``.

    Examples
    --------
    >>> import neurotrace as nt
    >>> X, Y = nt.datasets.xor()
    >>> net = nt.NeuralNetwork([2, 2, 1], seed=0)
    >>> s = nt.step_through(net, X[1], Y[1], loss="sse", optimizer=nt.SGD(lr=0.5))
    >>> next(s).key
    ('forward', 'L1.N0')
    >>> "z" in s.state("L2.N0")          # not yet computed: state["z"] raises NotYetComputed
    False
    >>> s.run_to("backward", "L1.N0").key
    ('backward', 'L1.N0')
    >>> len(s.run())            # the rest of the step
    4
    """
    return Stepper(network, x, y, loss, optimizer, step, digits)


class Stepper:
    """One training step, run one event at a time; made by :func:`step_through`.

    Parameters
    ----------
    network : NeuralNetwork or VectorizedNetwork
    x : array-like of shape (n_inputs,) or (n_samples, n_inputs)
    y : array-like of shape (n_outputs,) or (n_samples, n_outputs)
    loss : str or Loss, default="mse"
    optimizer : Optimizer, optional
    step : int, optional
    digits : int, default=4
        See :func:`step_through`.

    Attributes
    ----------
    events : list of Event
        The events done so far, in order.
    plan : list of (str, str)
        ``(phase, node)`` of every event of the step, in order.

    Examples
    --------
    >>> import neurotrace as nt
    >>> s = Stepper(nt.NeuralNetwork([2, 2, 1], seed=0), [0.0, 1.0], [1.0], loss="sse")
    >>> print(s)                                     # doctest: +ELLIPSIS
    step 0 of NeuralNetwork([2, 2, 1], activation='sigmoid', output_activation='sigmoid') ...
      next ->  forward   L1.N0
      not yet  forward   L1.N1 L2.N0
      not yet  loss      loss
      not yet  backward  L2.N0 L1.N0 L1.N1
      not yet  update    L1.N0 L1.N1 L2.N0
      0 of 10 events done
    """

    def __init__(self, network, x, y, loss="mse", optimizer=None, step=None, digits=4):
        if not isinstance(network, (NeuralNetwork, VectorizedNetwork)):
            raise TypeError(f"step_through needs a NeuralNetwork or VectorizedNetwork, got "
                            f"{type(network).__name__}.")
        if network.recorder is not None:
            raise RuntimeError("step_through: this network is being traced (inside "
                               "nt.trace). Step through outside the trace, or replay a "
                               "recorded step with t.events(k).")
        if isinstance(network, VectorizedNetwork) and network.dtype != np.float64:
            raise ValueError("step_through: the network is float32; step through a float64 "
                             "network (events show float64 numbers).")
        self.network = network
        self.x, self.y = _check_data(network, x, y)
        self.loss = losses.get(loss)
        self.optimizer = SGD(lr=0.1) if optimizer is None else optimizer
        self.step = self.optimizer.steps if step is None else int(step)
        self.digits = digits
        self.batch = self.x.ndim == 2
        self.softmax = network.activation_names[-1] == "softmax"
        self.given_delta = _fused(network, self.loss, self.y)
        self.plan = event_plan(network.sizes)
        self.events = []
        self._known = {}
        for l, (W, b) in enumerate(network.parameters()):
            for j in range(W.shape[1]):
                self._known[f"L{l + 1}.N{j}"] = {"w": W[:, j].copy(), "b": float(b[j])}
        self._known["loss"] = {}
        if isinstance(network, VectorizedNetwork):
            self._run = self._run_layers()
        else:
            self._run = self._run_neurons()

    # --- moving ---------------------------------------------------------------------------
    def __iter__(self):
        return self

    def __next__(self):
        """Do the next event and return it (StopIteration after the last one)."""
        if self.finished:
            raise StopIteration
        event = next(self._run)
        assert event.key == self.plan[len(self.events)], (event.key, self.plan)
        self.events.append(event)
        for node, values in event.reveals.items():
            self._known.setdefault(node, {}).update(values)
        return event

    @property
    def finished(self):
        """True once every event of the step has happened."""
        return len(self.events) == len(self.plan)

    @property
    def next(self):
        """``(phase, node)`` of the event ``next(s)`` will do, or None at the end."""
        return None if self.finished else self.plan[len(self.events)]

    def run_to(self, phase, node="loss"):
        """Advance until the event ``(phase, node)`` has happened; return that event.

        Parameters
        ----------
        phase : str
            ``"forward"``, ``"loss"``, ``"backward"`` or ``"update"``.
        node : str, default="loss"
            The neuron, e.g. ``"L1.N0"`` (or ``"loss"``).

        Returns
        -------
        Event
            That event (already done: returned without moving).
        """
        key = (phase, node)
        if key not in self.plan:
            if phase not in PHASES:
                raise ValueError(f"The 'phase' parameter of run_to must be one of "
                                 f"{list(PHASES)}. Got {phase!r} instead.")
            raise KeyError(f"No event {phase} {node!r} in this step; its {phase} events are "
                           f"for {[n for p, n in self.plan if p == phase]}.")
        for event in self.events:
            if event.key == key:
                return event
        for event in self:
            if event.key == key:
                return event

    def run(self):
        """Do every remaining event.

        Returns
        -------
        list of Event
            The events done by this call.
        """
        return list(self)

    # --- what is known ----------------------------------------------------------------------
    def state(self, node):
        """What is known about ``node`` now, and what is not yet computed.

        Returns a :class:`NodeState`: ``state["z"]`` is a value the step has
        computed, and raises :class:`NotYetComputed` (a ``KeyError``) for one
        it has not, naming the event that will compute it.

        Parameters
        ----------
        node : str
            A neuron (``"L1.N0"``) or ``"loss"``.

        Returns
        -------
        NodeState
        """
        names = {n for _, n in self.plan}
        if node not in names:
            raise KeyError(f"No node {node!r} in this step; nodes are {sorted(names)}.")
        known = dict(self._known.get(node, {}))
        pending = {}
        for i in range(len(self.events), len(self.plan)):
            phase, name = self.plan[i]
            quantities = self._quantities(phase, name) if name == node else []
            if phase == "loss" and self.softmax and node in self._output_names():
                quantities = ["a"]                     # softmax: the loss node computes a
            for q in quantities:
                if q not in known:
                    pending.setdefault(q, (phase, name))
        return NodeState(node, known, pending, len(self.events), len(self.plan))

    def _quantities(self, phase, node):
        q = planned_quantities(self.network.sizes, phase, node, self.softmax, self.given_delta)
        if phase == "update":
            q = q[:4] + self._state_names() + q[4:]
        return q

    def _state_names(self):
        names = {"SGD": ["velocity"] if getattr(self.optimizer, "momentum", 0) else [],
                 "Adam": ["m", "v"]}.get(type(self.optimizer).__name__, [])
        return list(state_order({f"{n}_{p}{s}": 0 for n in names for p in ("weights", "bias")
                                  for s in ("_before", "")}))

    def _output_names(self):
        return [f"L{self.network.n_layers}.N{j}" for j in range(self.network.n_outputs)]

    # --- printing -------------------------------------------------------------------------
    def __str__(self):
        n_done = len(self.events)
        samples = f"a batch of {len(self.x)} samples" if self.batch else "one sample"
        lines = [f"step {self.step} of {self.network!r} on {samples}; loss "
                 f"{getattr(self.loss, 'name', self.loss)}, {self.optimizer!r}"]
        rows = []
        for i, (phase, node) in enumerate(self.plan):
            status = "done" if i < n_done else "next ->" if i == n_done else "not yet"
            if rows and rows[-1][0] == status and rows[-1][1] == phase:
                rows[-1][2].append(node)
            else:
                rows.append([status, phase, [node]])
        for status, phase, nodes in rows:
            shown = " ".join(nodes) if len(nodes) <= 8 else \
                " ".join(nodes[:6]) + f" … ({len(nodes)} neurons)"
            lines.append(f"  {status:<8} {phase:<9} {shown}")
        lines.append(f"  {n_done} of {len(self.plan)} events done")
        return "\n".join(lines)

    def __repr__(self):
        return f"<Stepper: step {self.step}, {len(self.events)} of {len(self.plan)} events done>"

    def _repr_html_(self):
        return "<pre>" + str(self).replace("&", "&amp;").replace("<", "&lt;") + "</pre>"

    # --- the computation, one event per yield -------------------------------------------------
    def _run_neurons(self):
        """A network of neuron objects: each event calls that neuron's forward or backward."""
        net, sizes, digits, k = self.network, self.network.sizes, self.digits, self.step
        L = net.n_layers
        inputs = self.x
        z_out, a_out = [], []
        xs = []                                     # each layer's input, as the events show it
        for l, layer in enumerate(net.layers):
            xs.append(np.array(inputs, copy=True))
            z_layer, a_layer = [], []
            for neuron in layer:
                w, b = neuron.weights.copy(), neuron.bias
                a = neuron.forward(inputs)               # z = x·w + b, a = f(z)
                z = _value(neuron.z)
                a = _value(a)
                z_layer.append(z)
                a_layer.append(a)
                softmax_neuron = self.softmax and l == L - 1
                yield forward_event(k, len(self.events), neuron.name, predecessors(sizes, l),
                                    xs[l], w, b, z, None if softmax_neuron else a,
                                    net.activation_names[l], digits)
            inputs = np.array(a_layer) if not self.batch else np.stack(a_layer, axis=-1)
            z_out, a_out = z_layer, inputs
        Z = np.array(z_out) if not self.batch else np.stack(z_out, axis=-1)
        A = activations.softmax(Z) if self.softmax else a_out
        value, dL_dA, delta_out, fused = _output_step(net, self.loss, Z, A, self.y)
        yield loss_event(k, len(self.events), self.loss.name, _formula(self.loss), value, Z, A,
                         self.y, dL_dA, delta_out, self.softmax, fused,
                         self._output_names(), digits)
        received = None                  # what each neuron of layer l got from layer l + 1
        for l in range(L - 1, -1, -1):
            layer, sent = net.layers[l], []
            act = "identity" if self.softmax and l == L - 1 else net.activation_names[l]
            for j, neuron in enumerate(layer):
                x, w = xs[l], neuron.weights.copy()
                if l == L - 1 and delta_out is not None:
                    # The loss node gave delta = dL/dz (softmax, or a fused loss): no f'(z).
                    to_predecessors = np.array(neuron.backward(delta=delta_out[..., j]), copy=True)
                    grad_w, grad_b = neuron.grad_weights.copy(), float(neuron.grad_bias)
                    dL_da = None if dL_dA is None else _value(dL_dA[..., j])   # softmax: dL/dp
                    neuron.dL_da = dL_da
                    da_dz = None
                    delta = _value(neuron.delta)
                    origin = ("given", None)
                else:
                    dL_da = _value(dL_dA[..., j])
                    to_predecessors = np.array(neuron.backward(dL_da), copy=True)
                    da_dz, delta = _value(neuron.da_dz), _value(neuron.delta)
                    grad_w, grad_b = neuron.grad_weights.copy(), float(neuron.grad_bias)
                    origin = ("loss", None) if l == L - 1 else ("successors", received[j])
                sent.append(to_predecessors)
                yield backward_event(
                    k, len(self.events), neuron.name, act, self._known[neuron.name]["z"],
                    self._known[neuron.name].get("a"), x, w, dL_da, da_dz, delta, grad_w,
                    grad_b, [_value(to_predecessors[..., i]) for i in range(sizes[l])],
                    origin, predecessors(sizes, l), digits)
            # Each predecessor receives one error from every neuron of this layer: add them up.
            dL_dA = np.stack(sent).sum(axis=0)
            received = self._received(l, layer, sent)
        yield from self._updates()

    def _received(self, l, layer, sent):
        """For each neuron of layer ``l - 1``: (successor, delta, weight, sent) of layer ``l``."""
        if l == 0:
            return None
        out = []
        for i in range(self.network.sizes[l]):
            terms = []
            for j, name in enumerate(f"L{l + 1}.N{n}" for n in range(len(sent))):
                known = self._known[name]
                terms.append((name, known["delta"], known["w"][i], _value(sent[j][..., i])))
            out.append(terms)
        return out

    def _run_layers(self):
        """A vectorized network: a layer computes all its neurons in one matrix product."""
        net, sizes, digits, k = self.network, self.network.sizes, self.digits, self.step
        L = net.n_layers
        inputs, xs, params = self.x, [], [(W.copy(), b.copy()) for W, b in net.parameters()]
        for l, layer in enumerate(net.layers):
            xs.append(np.array(inputs, copy=True))
            A = layer.forward(inputs)                    # Z = X W + b, A = f(Z): the whole layer
            Z = np.array(layer.Z, copy=True)
            A = np.array(A, copy=True)
            for j in range(layer.n_neurons):
                softmax_neuron = self.softmax and l == L - 1
                yield forward_event(k, len(self.events), f"L{l + 1}.N{j}",
                                    predecessors(sizes, l), xs[l], params[l][0][:, j].copy(),
                                    float(params[l][1][j]), _value(Z[..., j]),
                                    None if softmax_neuron else _value(A[..., j]),
                                    net.activation_names[l], digits)
            inputs = A
        value = net.backprop(self.x, self.y, self.loss)  # loss and the whole backward pass
        out = net.layers[-1]
        fused = self.given_delta
        given = fused or self.softmax
        dL_dA = None if fused else np.array(out.dL_da, copy=True)
        yield loss_event(k, len(self.events), self.loss.name, _formula(self.loss), value,
                         np.array(out.Z, copy=True), np.array(out.A, copy=True), self.y, dL_dA,
                         np.array(out.delta, copy=True) if given else None, self.softmax,
                         fused, self._output_names(), digits)
        grads = [(dW.copy(), db.copy()) for dW, db in net.parameter_gradients()]
        for l in range(L - 1, -1, -1):
            layer = net.layers[l]
            act = "identity" if self.softmax and l == L - 1 else net.activation_names[l]
            for j in range(layer.n_neurons):
                name = f"L{l + 1}.N{j}"
                w, delta = params[l][0][:, j], _value(layer.delta[..., j])
                sent = np.multiply.outer(delta, w) if self.batch else delta * w
                if l == L - 1:
                    origin = ("given", None) if given else ("loss", None)
                else:
                    origin = ("successors", [
                        (f"L{l + 2}.N{m}", self._known[f"L{l + 2}.N{m}"]["delta"],
                         params[l + 1][0][j, m], self._known[f"L{l + 2}.N{m}"][f"sent:{name}"])
                        for m in range(sizes[l + 2])])
                yield backward_event(
                    k, len(self.events), name, act, _value(layer.Z[..., j]),
                    _value(layer.A[..., j]), xs[l], w,
                    None if (l == L - 1 and fused) else _value(layer.dL_da[..., j]),
                    None if (l == L - 1 and given) else _value(layer.da_dz[..., j]), delta,
                    grads[l][0][:, j].copy(), float(grads[l][1][j]),
                    [_value(sent[..., i]) for i in range(sizes[l])], origin,
                    predecessors(sizes, l), digits)
        yield from self._updates()

    def _updates(self):
        """The optimizer's one update of every parameter, shown neuron by neuron."""
        net, opt, sizes = self.network, self.optimizer, self.network.sizes
        before = net.flat_parameters.copy()
        grads = net.flat_gradients.copy()
        state_before = {name: value.copy() for name, value in opt.state.items()}
        opt.step(net)                                    # every parameter, in one call
        after = net.flat_parameters
        info = optimizer_info(opt)
        start = 0
        for l in range(net.n_layers):
            n_in = sizes[l] + 1
            for j in range(sizes[l + 1]):
                cut = slice(start, start + n_in)
                state = {}
                for name, value in opt.state.items():
                    old = state_before.get(name, np.zeros_like(value))[cut]
                    state[f"{name}_weights_before"] = old[:-1].copy()
                    state[f"{name}_bias_before"] = float(old[-1])
                    state[f"{name}_weights"] = value[cut][:-1].copy()
                    state[f"{name}_bias"] = float(value[cut][-1])
                yield update_event(self.step, len(self.events), f"L{l + 1}.N{j}", info,
                                   before[cut][:-1].copy(), float(before[cut][-1]),
                                   grads[cut][:-1].copy(), float(grads[cut][-1]),
                                   state_order(state), after[cut][:-1].copy(),
                                   float(after[cut][-1]), self.digits)
                start += n_in


class NodeState:
    """What a stepper knows about one node now: computed values, and what is not yet computed.

    ``state["delta"]`` is a computed value; a value not yet computed raises
    :class:`NotYetComputed` instead of giving a stale or zero number.
    ``state.values`` holds the computed values, ``state.pending`` maps each
    quantity not yet computed to the ``(phase, node)`` event that computes it.

    Parameters
    ----------
    node : str
    values : dict
        Quantity -> value, for what is computed.
    pending : dict
        Quantity -> ``(phase, node)`` of the event that will compute it.
    n_done, n_events : int
        How many events of the step are done, of how many.

    Examples
    --------
    >>> import neurotrace as nt
    >>> s = nt.step_through(nt.NeuralNetwork([2, 2, 1], seed=0), [0.0, 1.0], [1.0])
    >>> _ = next(s)
    >>> state = s.state("L1.N0")
    >>> round(state["a"], 4), state.pending["delta"]
    (0.2452, ('backward', 'L1.N0'))
    """

    def __init__(self, node, values, pending, n_done, n_events):
        self.node, self.values, self.pending = node, values, pending
        self.n_done, self.n_events = n_done, n_events

    def __getitem__(self, quantity):
        if quantity in self.values:
            return self.values[quantity]
        if quantity in self.pending:
            phase, node = self.pending[quantity]
            raise NotYetComputed(f"{quantity} of {self.node} is not yet computed ({self.n_done} "
                                 f"of {self.n_events} events done): {phase} {node} computes it.")
        raise KeyError(f"{self.node} has no quantity {quantity!r}; it has "
                       f"{sorted(self.values) + sorted(self.pending)}.")

    def __contains__(self, quantity):
        return quantity in self.values

    def get(self, quantity, default=None):
        """The value of ``quantity`` if computed, else ``default`` (never a stale value).

        Parameters
        ----------
        quantity : str
        default : object, optional

        Returns
        -------
        float, ndarray or ``default``
        """
        return self.values.get(quantity, default)

    def __str__(self):
        lines = [f"{self.node} after {self.n_done} of {self.n_events} events"]
        for q, v in self.values.items():
            shown = np.array2string(np.asarray(v), precision=4, threshold=8) \
                if np.ndim(v) else f"{float(v):.6g}"
            lines.append(f"  {q:<24} {shown}")
        for q, (phase, node) in self.pending.items():
            lines.append(f"  {q:<24} not yet computed ({phase} {node})")
        return "\n".join(lines)

    def __repr__(self):
        return f"<NodeState {self.node}: {len(self.values)} known, {len(self.pending)} not yet computed>"


# --- helpers ----------------------------------------------------------------------------------

def _value(v):
    """A float for one sample's number, a fresh array for a batch's."""
    return float(v) if np.ndim(v) == 0 else np.array(v, copy=True)


def _fused(network, loss, Y):
    """True when the loss node gives dL/dz directly (softmax + cross-entropy, sigmoid + bce)."""
    last = network.activation_names[-1]
    if last == "softmax" and loss is losses.cross_entropy:
        return bool(np.all(np.abs(np.sum(Y, axis=-1) - 1.0) <= 1e-12))
    return last == "sigmoid" and loss is losses.bce


def _output_step(network, loss, Z, A, Y):
    """The loss value and where backward starts: ``(value, dL/da, delta, fused)``.

    The same arithmetic as the network's own loss step (see ``NetworkBase.backprop``).
    """
    n_samples = A.shape[0] if A.ndim == 2 else 1
    if _fused(network, loss, Y):
        if network.activation_names[-1] == "softmax":
            # Softmax + cross-entropy: dL/dz = (p - y) / n_samples.
            return losses.softmax_cross_entropy(Z, Y), None, (A - Y) / n_samples, True
        # Sigmoid + bce: dL/dz = (a - y) / a.size.
        return losses.sigmoid_bce(Z, Y), None, (A - Y) / A.size, True
    if hasattr(loss, "value_and_gradient"):
        value, dL_dA = loss.value_and_gradient(A, Y)
    else:
        value, dL_dA = loss.value(A, Y), loss.gradient(A, Y)
    dL_dA = np.array(dL_dA, dtype=np.float64)
    if dL_dA.shape != A.shape:
        raise ValueError(f"Loss {getattr(loss, 'name', loss)!r}: gradient(a, y) must have the "
                         f"shape of a, {A.shape}, got {dL_dA.shape}.")
    delta = activations.softmax_vjp(A, dL_dA) if network.activation_names[-1] == "softmax" \
        else None
    return value, dL_dA, delta, False


def _formula(loss):
    return getattr(loss, "formula", getattr(loss, "name", "loss"))


def _check_data(network, x, y):
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    n_in, n_out = network.n_inputs, network.n_outputs
    if x.ndim not in (1, 2) or x.shape[-1] != n_in:
        raise ValueError(f"step_through: x must have shape ({n_in},) for one sample or "
                         f"(n_samples, {n_in}) for a batch (layer L1 has {n_in} inputs), got "
                         f"shape {x.shape}.")
    want = (n_out,) if x.ndim == 1 else (x.shape[0], n_out)
    if y.shape != want:
        raise ValueError(f"step_through: y must have shape {want} (output layer "
                         f"L{network.n_layers} has {n_out} neurons), got shape {y.shape}.")
    for what, v in (("x", x), ("y", y)):
        if not np.all(np.isfinite(v)):
            raise ValueError(f"step_through: {what} contains NaN or inf.")
    return x, y
