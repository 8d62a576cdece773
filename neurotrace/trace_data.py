"""A recorded trace: query it by step and neuron name, print it, save it, load it.

A trace holds, per recorded step and per layer, one array per quantity (``z``
of shape ``(n_neurons,)`` or ``(n_samples, n_neurons)``, parameter blocks of
shape ``(n_neurons, n_inputs + 1)``, ...). Asking for ``t[k].forward["L1.N0"]``
slices neuron ``N0`` out of layer ``L1``'s arrays.
"""
import json
import os
import zipfile
import zlib

import numpy as np

from . import names
from ._files import MAX_LOAD_BYTES, NeurotraceFileError, atomic_write, read_npz
from .events import step_events
from .explain import contributions, explain
from .whatif import what_if

__all__ = ["Trace", "Step", "QUANTITIES", "check_trace"]

FORWARD = ["x", "z", "a"]
BACKWARD = ["dL_da", "da_dz", "delta", "grad_weights", "grad_bias", "to_predecessors"]
UPDATE = ["weights_before", "weights_after", "bias_before", "bias_after", "optimizer_state"]
STEP = ["loss", "targets", "probabilities"]
QUANTITIES = FORWARD + BACKWARD + UPDATE + STEP
FORMAT = "neurotrace-trace"
VERSION = 1


class Trace:
    """Everything recorded by :func:`neurotrace.trace`, step by step.

    ``t.steps`` lists the recorded step numbers; ``t[k]`` is a :class:`Step`
    (``t[-1]`` the last one); ``t.series("L1.N0", "delta")`` is one quantity across
    all recorded steps. Made by :func:`neurotrace.trace` (or :meth:`load`), not by hand.

    Parameters
    ----------
    sizes : list of int
        The traced network's ``[n_inputs, ..., n_outputs]``.
    activation_names : list of str
        One activation name per layer.
    rows : dict of int to list of int or None
        Per recorded layer (0-based), the neurons recorded (None: all of them).
    quantities : list of str
        The quantities recorded (see :data:`QUANTITIES`).
    backend : str
        ``"NeuralNetwork"`` or ``"VectorizedNetwork"``.
    limits : dict
        What the recording was limited to (steps, neurons, ...), for messages.

    Attributes
    ----------
    thinned : list of str
        One message per time the memory cap dropped every other step.
    skipped : int
        Steps seen but not kept.

    Examples
    --------
    >>> import neurotrace as nt
    >>> X, Y = nt.datasets.xor()
    >>> net = nt.NeuralNetwork([2, 2, 1], seed=0)
    >>> with nt.trace(net) as t:
    ...     _ = nt.fit(net, X, Y, epochs=1, batch_size=1, shuffle=False, progress=False)
    >>> t
    Trace(4 steps of a NeuralNetwork [2, 2, 1], 0.00 MiB)
    >>> t.steps
    [0, 1, 2, 3]
    >>> t[1].forward["L1.N0"]["x"].tolist()     # step 1 saw XOR's second row
    [0.0, 1.0]
    """

    def __init__(self, sizes, activation_names, rows, quantities, backend, limits):
        self.sizes = list(sizes)
        self.activation_names = list(activation_names)
        self.recorded_rows = {int(l): r for l, r in rows.items()}
        self.quantities = list(quantities)
        self.backend = backend
        self.limits = limits
        self.thinned = []            # messages, one per time the memory cap thinned the trace
        self.skipped = 0             # steps seen but not kept (limits and thinning)
        self._steps = {}

    # --- filled in by the recorder (neurotrace.tracer), the only caller of these three ---
    def add_step(self, step):
        """Keep ``step`` (a dict the recorder filled), under its number ``step["id"]``.

        Parameters
        ----------
        step : dict
        """
        self._steps[step["id"]] = step

    def note_skipped(self, step_id):
        """Count a step that was seen but not kept.

        Parameters
        ----------
        step_id : int
        """
        self.skipped += 1

    def thin_out(self):
        """Drop every other kept step (the 2nd, 4th, ...).

        Returns
        -------
        nbytes : int
            The bytes the steps left hold.
        """
        for k in self.steps[1::2]:
            del self._steps[k]
            self.skipped += 1
        return _nbytes(self._steps.values())

    # --- query ----------------------------------------------------------------------------
    @property
    def steps(self):
        """The recorded step numbers, in order."""
        return sorted(self._steps)

    def __len__(self):
        return len(self._steps)

    def __iter__(self):
        return (self[k] for k in self.steps)

    def __getitem__(self, k):
        """The step numbered ``k``; ``t[-1]`` is the last recorded step, as for a list."""
        if isinstance(k, int) and k < 0 and -len(self) <= k:
            k = self.steps[k]
        if k not in self._steps:
            why = " (the trace was thinned: see t.thinned)" if self.thinned else ""
            shown = self.steps if len(self) <= 10 else f"{self.steps[:5]} ... {self.steps[-3:]}"
            raise KeyError(f"Step {k!r} was not recorded{why}; recorded steps: {shown}.")
        return Step(self, self._steps[k])

    def gradient_rms(self, layer):
        """The root mean square of layer ``layer``'s dL/dw at every recorded step.

        How big a layer's weight gradients are, one number per step (what
        :func:`~neurotrace.diagnose` compares between the first and the last layer).
        Computed for all the steps at once: for one sample per step, dL/dw is the
        outer product ``delta x^T``, whose root mean square is ``rms(delta) * rms(x)``,
        so it is never multiplied out. No overflow for a diverged run's values (1e200).

        Parameters
        ----------
        layer : int
            The layer, counted from 0 (``L1`` is 0).

        Returns
        -------
        rms : ndarray of shape (n_steps,), or None
            One value per recorded step, in order; None when the weight gradients of
            that layer were not recorded.

        Examples
        --------
        >>> import neurotrace as nt
        >>> X, Y = nt.datasets.xor()
        >>> net = nt.NeuralNetwork([2, 3, 1], seed=0)
        >>> with nt.trace(net) as t:
        ...     _ = nt.fit(net, X, Y, epochs=1, batch_size=1, shuffle=False, progress=False)
        >>> rms = t.gradient_rms(0)
        >>> rms.shape
        (4,)
        >>> g = t[1].layer_grad_weights(0)
        >>> bool(np.isclose(rms[1], np.sqrt(np.mean(g ** 2)), rtol=1e-14))
        True
        """
        if "grad_weights" not in self.quantities:
            return None
        stores = [self._steps[k]["layers"].get(layer) for k in self.steps]
        if None in stores:
            return None
        if not stores:                                     # no step recorded (yet)
            return np.empty(0)
        if all("grad" not in s and "delta" in s and "x" in s and s["x"].ndim == 1
               for s in stores):
            deltas = np.concatenate([s["delta"] for s in stores]).reshape(len(stores), -1)
            inputs = np.concatenate([s["x"] for s in stores]).reshape(len(stores), -1)
            return _rms_rows(deltas) * _rms_rows(inputs)
        values = []
        for store in stores:
            grad = _grad_weights(store, slice(None))
            if grad is None:
                return None
            values.append(_rms(grad))
        return np.array(values, dtype=float)

    def per_step(self, key):
        """One number of every recorded step, in order: ``"loss"``, ``"epoch"`` or ``"batch"``.

        The same values as ``[t[k].loss for k in t.steps]``, without making a :class:`Step`
        of each (what :func:`~neurotrace.diagnose` reads).

        Parameters
        ----------
        key : {"loss", "epoch", "batch"}

        Returns
        -------
        values : list
            One value per recorded step; None where the step has none (a forward pass
            without a loss, a step not made by ``fit``).

        Raises
        ------
        KeyError
            If ``key`` is not one of the three.

        Examples
        --------
        >>> import neurotrace as nt
        >>> X, Y = nt.datasets.xor()
        >>> net = nt.NeuralNetwork([2, 2, 1], seed=0)
        >>> with nt.trace(net) as t:
        ...     _ = nt.fit(net, X, Y, epochs=2, batch_size=2, shuffle=False, progress=False)
        >>> t.per_step("epoch")
        [0, 0, 1, 1]
        """
        if key not in ("loss", "epoch", "batch"):
            raise KeyError(f"Trace.per_step: {key!r} is not a number of a step; use "
                           f"'loss', 'epoch' or 'batch'.")
        return [self._steps[k].get(key) for k in self.steps]

    @property
    def nbytes(self):
        """Memory held by the recorded arrays."""
        return _nbytes(self._steps.values())

    def node_names(self):
        """The names of the traced network's neurons, one list per layer.

        Returns
        -------
        names : list of list of str
            ``[["L1.N0", ...], ["L2.N0", ...], ...]``.

        Examples
        --------
        >>> import neurotrace as nt
        >>> X, Y = nt.datasets.xor()
        >>> net = nt.NeuralNetwork([2, 2, 1], seed=0)
        >>> with nt.trace(net) as t:
        ...     _ = nt.fit(net, X, Y, epochs=1, batch_size=1, shuffle=False, progress=False)
        >>> t.node_names()
        [['L1.N0', 'L1.N1'], ['L2.N0']]
        """
        return names.neuron_names(self.sizes)

    def _where(self, name):
        """``"L2.N1"`` -> (layer index, row in the recorded arrays)."""
        try:
            l, j = names.parse_neuron(name, self.sizes)
        except KeyError:
            raise KeyError(f"No neuron {name!r} in the traced network (layers L1..L"
                           f"{len(self.sizes) - 1}, sizes {self.sizes}).") from None
        if l not in self.recorded_rows:
            raise KeyError(f"Neuron {name!r} was not recorded (trace limited to neurons "
                           f"{self.limits['neurons']}).")
        rows = self.recorded_rows[l]
        if rows is None:
            return l, j
        if j not in rows:
            raise KeyError(f"Neuron {name!r} was not recorded (trace limited to neurons "
                           f"{self.limits['neurons']}).")
        return l, rows.index(j)

    def series(self, name, quantity=None):
        """One quantity of one neuron over every recorded step, as an array.

        Parameters
        ----------
        name : str
            A neuron (``"L1.N0"``), or ``"loss"`` for the loss of every step.
        quantity : str, optional
            A recorded quantity of that neuron (``"z"``, ``"delta"``, ``"grad_weights"``,
            ...); not needed for ``"loss"``.

        Returns
        -------
        values : ndarray of shape (n_steps,) or (n_steps, ...)
            Scalars give shape ``(n_steps,)``; per-sample or per-weight values add
            their own axes (``grad_weights``: ``(n_steps, n_inputs)``).

        Raises
        ------
        KeyError
            If the neuron, the loss or the quantity was not recorded.
        TypeError
            If ``quantity`` is missing for a neuron.

        Examples
        --------
        >>> import neurotrace as nt
        >>> X, Y = nt.datasets.xor()
        >>> net = nt.NeuralNetwork([2, 2, 1], seed=0)
        >>> with nt.trace(net) as t:
        ...     _ = nt.fit(net, X, Y, epochs=1, batch_size=1, shuffle=False, progress=False)
        >>> t.series("L1.N0", "grad_weights").shape
        (4, 2)
        >>> t.series("loss").shape
        (4,)
        """
        if name == "loss":
            if "loss" not in self.quantities:
                raise KeyError(f"The loss was not recorded (trace limited to quantities "
                               f"{self.quantities}).")
            missing = [k for k in self.steps if self._steps[k].get("loss") is None]
            if missing:
                raise KeyError(f"No loss was computed at step(s) {missing[:10]} (a forward pass "
                               f"without a loss, e.g. net.forward alone); t.series('loss') needs "
                               f"a loss at every recorded step. Use [t[k].loss for k in t.steps] "
                               f"for a list with None where there was none.")
            return np.array([self._steps[k]["loss"] for k in self.steps])
        if quantity is None:
            raise TypeError(f"series({name!r}) needs a quantity, e.g. "
                            f"t.series({name!r}, 'delta').")
        values = []
        for step in self:
            for part in (step.forward, step.backward, step.update):
                record = part[name]
                if quantity in record:
                    values.append(record[quantity])
                    break
            else:
                raise KeyError(f"Quantity {quantity!r} was not recorded for {name} at step "
                               f"{step.id}; recorded: {sorted(step.record(name))}.")
        first = np.shape(values[0]) if values else ()
        odd = [i for i, v in enumerate(values) if np.shape(v) != first]
        if odd:
            raise ValueError(
                f"series({name!r}, {quantity!r}): the steps hold values of different shapes "
                f"({first} at step {self.steps[0]}, {np.shape(values[odd[0]])} at step "
                f"{self.steps[odd[0]]}), e.g. batches of different sizes (the last batch of "
                f"an epoch is smaller when batch_size does not divide n_samples). Use "
                f"[t[k].record({name!r})[{quantity!r}] for k in t.steps] for a list, or a "
                f"batch_size that divides the number of samples.")
        return np.array(values)

    def records(self):
        """Tidy records: one dict per step x node x quantity.

        Returns
        -------
        records : list of dict
            ``{"step": int, "node": str, "quantity": str, "value": ...}``; the loss has
            node ``"loss"``. The value is a float or an array, as recorded.

        Examples
        --------
        >>> import neurotrace as nt
        >>> X, Y = nt.datasets.xor()
        >>> net = nt.NeuralNetwork([2, 2, 1], seed=0)
        >>> with nt.trace(net) as t:
        ...     _ = nt.fit(net, X, Y, epochs=1, batch_size=1, shuffle=False, progress=False)
        >>> t.records()[0]
        {'step': 0, 'node': 'loss', 'quantity': 'loss', 'value': ...}
        """
        rows = []
        for step in self:
            if step.loss is not None:
                rows.append({"step": step.id, "node": "loss", "quantity": "loss",
                             "value": step.loss})
            for layer in self.node_names():
                for name in layer:
                    try:
                        record = step.record(name)
                    except KeyError:
                        continue
                    for quantity, value in record.items():
                        rows.append({"step": step.id, "node": name, "quantity": quantity,
                                     "value": value})
        return rows

    def to_dataframe(self):
        """The tidy records of :meth:`records` as a pandas DataFrame (needs pandas).

        Returns
        -------
        pandas.DataFrame
            Columns ``step``, ``node``, ``quantity``, ``value``.

        Raises
        ------
        ImportError
            If pandas is not installed.

        Examples
        --------
        >>> import neurotrace as nt
        >>> X, Y = nt.datasets.xor()
        >>> net = nt.NeuralNetwork([2, 2, 1], seed=0)
        >>> with nt.trace(net) as t:
        ...     _ = nt.fit(net, X, Y, epochs=1, batch_size=1, shuffle=False, progress=False)
        >>> df = t.to_dataframe()
        >>> list(df.columns)
        ['step', 'node', 'quantity', 'value']
        """
        try:
            import pandas as pd
        except ImportError:
            raise ImportError("Trace.to_dataframe needs pandas (pip install pandas); "
                              "Trace.records() gives the same rows as dicts.") from None
        return pd.DataFrame(self.records())

    def events(self, step=None, digits=4):
        """The recorded step ``step`` (default: the first) as a list of :class:`~neurotrace.events.Event`.

        The same events, with the same values, as :func:`neurotrace.step_through`
        gives while that step happens: ``forward`` (layer by layer), ``loss``,
        ``backward`` (output layer first), ``update``.

        Parameters
        ----------
        step : int, optional
            A recorded step (default: the first).
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
        ...     _ = nt.fit(net, X, Y, loss="sse", batch_size=1, shuffle=False, progress=False)
        >>> [ev.key for ev in t.events(0)][:4]
        [('forward', 'L1.N0'), ('forward', 'L1.N1'), ('forward', 'L2.N0'), ('loss', 'loss')]
        """
        return step_events(self[self.steps[0] if step is None else step], digits)

    def explain(self, name, quantity=None, step=None, sample=None, format="text", digits=4):
        """Explain one recorded number: its equation with the recorded numbers filled in.

        Parameters
        ----------
        name : str
            A neuron (``"L1.N0"``) or ``"loss"``.
        quantity : str, optional
            For a neuron: ``z``, ``a``, ``dL_da``, ``da_dz``, ``delta``, the
            gradients ``w0``, ``w1``, ... and ``b``, ``sent:<predecessor>``,
            ``update:w<i>`` or ``update:b``. Not needed for ``"loss"``.
        step : int, optional
            A recorded step (default: the first).
        sample : int, optional
            For a batch step, one sample (for ``w<i>``/``b``: its share).
        format : {"text", "markdown", "latex"}, default="text"
        digits : int, default=4

        Returns
        -------
        Explanation
            A ``str`` with ``.value`` (the recorded number, exactly) and
            ``.check()`` (finite differences, or the forward pass / the
            optimizer's formula).

        Raises
        ------
        KeyError
            If the neuron has no such quantity, or the step did not record what
            the explanation needs.
        ValueError
            For an unknown ``format``, ``sample`` on a one-sample step or out of the
            batch's range, or a trace that recorded no steps.
        TypeError
            If ``parameter`` is not a name (``0`` instead of ``"w0"``).

        Examples
        --------
        >>> import neurotrace as nt
        >>> X, Y = nt.datasets.xor()
        >>> net = nt.NeuralNetwork([2, 2, 1], seed=0)
        >>> with nt.trace(net) as t:
        ...     _ = nt.fit(net, X, Y, loss="sse", batch_size=1, shuffle=False, progress=False)
        >>> print(t.explain("L2.N0", "w1", step=0))
        dL/dw1 = dL/da · da/dz · dz/dw1
        = (0.7363) · (0.1942) · (0.5) = 0.07148
        dL/da = gradient of the sse loss at a = 0.7363, y = 0: 0.7363
        """
        if step is None and len(self) == 0:
            raise ValueError("explain: the trace recorded no steps, so there is nothing to "
                             "explain. Run forward/backward (or fit) inside "
                             "`with nt.trace(net) as t:`.")
        return explain(self, name, quantity, self.steps[0] if step is None else step,
                       sample, format, digits)

    def to_html(self, path, **options):
        """Write the step-through viewer of this trace: one self-contained HTML file.

        Parameters
        ----------
        path : str or Path
            Where to write, e.g. ``"run.html"``; open it in any current browser.
        **options
            ``steps``, ``max_steps``, ``max_bytes``, ``max_explain``, ``title``: see
            :func:`neurotrace.viewer.page`.

        Returns
        -------
        Path
        """
        from .viewer import to_html
        return to_html(self, path, **options)

    def show(self, **options):
        """Show the viewer inline in Jupyter (an iframe); elsewhere open it in a browser.

        Parameters
        ----------
        **options
            ``height`` and the options of :meth:`to_html`.

        Returns
        -------
        None or Path
            None in Jupyter, else the temporary file opened in the browser.
        """
        from .viewer import show
        return show(self, **options)


    def _repr_html_(self):
        from .viewer import Viewer
        return Viewer(self)._repr_html_()

    def __repr__(self):
        thinned = f", thinned {len(self.thinned)}x" if self.thinned else ""
        return (f"Trace({len(self)} steps of a {self.backend} {self.sizes}, "
                f"{self.nbytes / 2**20:.2f} MiB{thinned})")

    def what_if(self, name, parameter, by, step=None, steps=0):
        """Re-run a recorded step with one parameter changed by ``by``; see what follows.

        Parameters
        ----------
        name : str
            The neuron, e.g. ``"L1.N0"``.
        parameter : str
            ``"w0"``, ``"w1"``, ... or ``"b"``.
        by : float
            How much to add to the parameter.
        step : int, optional
            A recorded step (default: the first).
        steps : int, default=0
            Continue training this many more steps on the recorded run's next
            batches, and return both loss curves.

        Returns
        -------
        WhatIf
            ``.step`` (the changed step, like ``t[k]``), ``.loss_before``,
            ``.loss_after``, ``.predicted`` (gradient · by), ``.changes``,
            ``.curves``.

        Examples
        --------
        >>> import neurotrace as nt
        >>> X, Y = nt.datasets.xor()
        >>> net = nt.NeuralNetwork([2, 2, 1], seed=0)
        >>> with nt.trace(net) as t:
        ...     _ = nt.fit(net, X, Y, loss="sse", batch_size=None, progress=False)
        >>> w = t.what_if("L1.N0", "w1", by=0.1)
        >>> w.loss_before == t[0].loss, len(w.changes) > 0
        (True, True)
        """
        return what_if(self, name, parameter, by, self.steps[0] if step is None else step,
                       steps, make_trace=type(self).from_events)

    def contributions(self, name, quantity, step=None):
        """Each sample's share of a gradient of a batch step; the shares add up to it.

        Parameters
        ----------
        name : str
            The neuron, e.g. ``"L1.N0"``.
        quantity : str
            ``"w0"``, ``"w1"``, ... or ``"b"``.
        step : int, optional
            A recorded step (default: the first).

        Returns
        -------
        ndarray of shape (n_samples,)
            ``delta_s · x_s`` (or ``delta_s`` for ``b``); the loss's ``1/n`` is
            already inside ``delta``.

        Examples
        --------
        >>> import neurotrace as nt
        >>> X, Y = nt.datasets.xor()
        >>> net = nt.NeuralNetwork([2, 2, 1], seed=0)
        >>> with nt.trace(net) as t:
        ...     _ = nt.fit(net, X, Y, loss="mse", batch_size=None, progress=False)
        >>> shares = t.contributions("L1.N0", "w1")
        >>> bool(abs(shares.sum() - t[0].backward["L1.N0"]["grad_weights"][1]) < 1e-15)
        True
        """
        return contributions(self, name, quantity, self.steps[0] if step is None else step)

    @classmethod
    def from_events(cls, steps, sizes, activation_names, backend="NeuralNetwork"):
        """A trace made of stepped events: each item of ``steps`` is one step's events.

        What :func:`neurotrace.step_through` gives becomes a trace that can be
        queried, explained, compared and drawn like a recorded one.

        Parameters
        ----------
        steps : list of list of Event
            One list of events per step (a finished stepper's ``events``).
        sizes : list of int
            ``[n_inputs, n_1, ..., n_L]``.
        activation_names : list of str
            One per layer.
        backend : str, default="NeuralNetwork"

        Returns
        -------
        Trace

        Examples
        --------
        >>> import neurotrace as nt
        >>> net = nt.NeuralNetwork([2, 2, 1], seed=0)
        >>> s = nt.step_through(net, [0.0, 1.0], [1.0], loss="sse")
        >>> t = Trace.from_events([s.run()], net.sizes, net.activation_names)
        >>> t[0].loss == s.state("loss")["loss"]
        True
        """
        t = cls(sizes, activation_names, {l: None for l in range(len(sizes) - 1)},
                sorted(QUANTITIES), backend, {"from_events": True})
        for events in steps:
            t.add_step(_step_from_events(events, sizes))
        return t

    # --- save and load (npz + JSON, no pickle) ----------------------------------------
    def save(self, path):
        """Write the trace to ``path`` (``.npz``: arrays, plus the rest as a JSON string).

        The write is atomic: a temporary file replaces ``path`` when complete.
        :func:`neurotrace.save` does the same.

        Parameters
        ----------
        path : str or path-like
            The file to write; its name must end in ``.npz`` (the content is an npz
            archive, and :func:`neurotrace.load` tells a file's format by its extension).

        Raises
        ------
        NeurotraceFileError
            If ``path`` does not end in ``.npz`` (nothing is written then).

        Examples
        --------
        >>> import os, tempfile
        >>> import neurotrace as nt
        >>> X, Y = nt.datasets.xor()
        >>> net = nt.NeuralNetwork([2, 2, 1], seed=0)
        >>> with nt.trace(net) as t:
        ...     _ = nt.fit(net, X, Y, epochs=1, batch_size=1, shuffle=False, progress=False)
        >>> path = os.path.join(tempfile.mkdtemp(), "xor.npz")
        >>> t.save(path)
        >>> Trace.load(path).steps
        [0, 1, 2, 3]
        """
        path = os.fspath(path)
        stem, extension = os.path.splitext(path)
        if extension.lower() != ".npz":
            raise NeurotraceFileError(
                f"Cannot save the trace to {path!r}: a trace is saved as an .npz archive, and "
                f"neurotrace.load tells a file's format by its extension, so the name must end "
                f"in '.npz'; got the extension {extension or 'none'!r}. Use e.g. "
                f"{os.path.basename(stem) + '.npz'!r}.")
        arrays, meta_steps = {}, []
        for k in self.steps:
            meta = {}
            for key, value in self._steps[k].items():
                if key == "loss_function":
                    continue                        # a function: a file keeps its name only
                if key == "layers":
                    meta["layers"] = {}
                    for l, store in value.items():
                        meta["layers"][str(l)] = sorted(store)
                        for q, array in store.items():
                            arrays[f"s{k}/L{l}/{q}"] = array
                elif isinstance(value, np.ndarray):
                    arrays[f"s{k}/{key}"] = value
                    meta.setdefault("arrays", []).append(key)
                else:
                    meta[key] = value
            meta_steps.append(meta)
        header = {"format": FORMAT, "version": VERSION, "sizes": self.sizes,
                  "activation_names": self.activation_names,
                  "rows": {str(l): r for l, r in self.recorded_rows.items()},
                  "quantities": self.quantities, "backend": self.backend,
                  "limits": self.limits, "thinned": self.thinned, "skipped": self.skipped,
                  "steps": meta_steps}
        arrays["__header__"] = np.array(json.dumps(header, default=_json_default))
        atomic_write(path, lambda f: np.savez_compressed(f, **arrays))

    @classmethod
    def load(cls, path, max_bytes=MAX_LOAD_BYTES):
        """Read a trace written by :meth:`save` (never unpickles anything).

        :func:`neurotrace.load` does the same for a trace file. Every array's size is
        checked before it is allocated (at most ``max_bytes`` in all), and the header
        is checked against the arrays: a damaged or edited file fails here, naming the
        file, not later in a query.

        Parameters
        ----------
        path : str or path-like
            An ``.npz`` file written by :meth:`save`.
        max_bytes : int, default=128 MiB
            The most the arrays may take in memory, all together.

        Returns
        -------
        Trace

        Raises
        ------
        FileNotFoundError
            If there is no file at ``path``.
        NeurotraceFileError
            If the file is not a readable neurotrace trace, is damaged, its header
            does not fit its arrays, or its arrays need more than ``max_bytes``.

        Examples
        --------
        >>> import os, tempfile
        >>> import neurotrace as nt
        >>> X, Y = nt.datasets.xor()
        >>> net = nt.NeuralNetwork([2, 2, 1], seed=0)
        >>> with nt.trace(net) as t:
        ...     _ = nt.fit(net, X, Y, epochs=1, batch_size=1, shuffle=False, progress=False)
        >>> path = os.path.join(tempfile.mkdtemp(), "xor.npz")
        >>> t.save(path)
        >>> Trace.load(path)[3].loss == t[3].loss
        True
        """
        unreadable = (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile, zlib.error)
        try:
            if not os.path.exists(path):
                raise FileNotFoundError(f"No trace file {os.fspath(path)!r}: there is no such file.")
            if not zipfile.is_zipfile(path):
                raise ValueError("not an .npz archive")
            arrays = read_npz(path, max_bytes, "neurotrace trace")
            if "__header__" not in arrays:
                raise ValueError(f"no '__header__' entry, only {sorted(arrays)[:5]}")
            header = json.loads(str(arrays.pop("__header__")))
        except (FileNotFoundError, NeurotraceFileError):
            raise
        except unreadable as error:
            raise NeurotraceFileError(f"{path}: not a readable neurotrace trace ({error}). Traces are "
                             f".npz files written by Trace.save; pickles are never loaded.") \
                from None
        if not isinstance(header, dict) or header.get("format") != FORMAT:
            got = header.get("format") if isinstance(header, dict) else type(header).__name__
            raise NeurotraceFileError(f"{path}: not a neurotrace trace (format {got!r}).")
        try:
            t = cls(header["sizes"], header["activation_names"],
                    {int(l): r for l, r in header["rows"].items()}, header["quantities"],
                    header["backend"], header["limits"])
            t.thinned, t.skipped = header["thinned"], header["skipped"]
            for meta in header["steps"]:
                k = meta["id"]
                step = {key: value for key, value in meta.items()
                        if key not in ("layers", "arrays")}
                for key in meta.get("arrays", []):
                    step[key] = arrays[f"s{k}/{key}"]
                step["layers"] = {int(l): {q: arrays[f"s{k}/L{l}/{q}"] for q in stored}
                                  for l, stored in meta["layers"].items()}
                t._steps[k] = step
            problem = _check_loaded(t, header)
        except (KeyError, TypeError, ValueError, AttributeError, IndexError) as error:
            raise NeurotraceFileError(f"{path}: a damaged neurotrace trace (missing or malformed "
                             f"{error}).") from None
        if problem:
            raise NeurotraceFileError(f"{path}: a damaged neurotrace trace: {problem}.")
        return t


class Step:
    """One recorded step: ``forward``, ``backward`` and ``update`` by neuron name, and the loss.

    ``step.forward["L1.N0"]`` is ``{"x": ..., "z": ..., "a": ...}``;
    ``step.backward["L1.N0"]`` has ``dL_da``, ``da_dz``, ``delta``, ``grad_weights``,
    ``grad_bias`` and ``to_predecessors`` (``{"x0": ..., ...}``: the error sent to
    each predecessor); ``step.update["L1.N0"]`` has ``weights_before``,
    ``weights_after``, ``bias_before``, ``bias_after`` and the optimizer's state.
    For a batch every value has a leading axis of samples. Made by a
    :class:`Trace` (``t[k]``), not by hand.

    Parameters
    ----------
    trace : Trace
        The trace the step belongs to.
    data : dict
        What the recorder stored for the step.

    Attributes
    ----------
    id : int
        The step number.
    loss : float or None
        The loss at this step; ``loss_name`` names the loss.
    loss_function : Loss or None
        The loss itself, in a trace recorded in this session (a saved trace keeps
        its name only): what :meth:`Trace.what_if` and ``explain(...).check()``
        compute with, so a loss of your own works there too.
    epoch : int or None
        The epoch, when the step was made by :func:`~neurotrace.fit`.
    targets, probabilities : ndarray or None
        The targets and (softmax output) probabilities, when recorded.

    Examples
    --------
    >>> import neurotrace as nt
    >>> X, Y = nt.datasets.xor()
    >>> net = nt.NeuralNetwork([2, 2, 1], seed=0)
    >>> with nt.trace(net) as t:
    ...     _ = nt.fit(net, X, Y, epochs=1, batch_size=1, shuffle=False, progress=False)
    >>> s = t[0]
    >>> s.id, s.epoch, s.n_samples
    (0, 0, None)
    >>> sorted(s.forward["L1.N0"])
    ['a', 'x', 'z']
    """

    def __init__(self, trace, data):
        self.trace, self.data = trace, data
        self.id = data["id"]
        self.loss = data.get("loss")
        self.loss_name = data.get("loss_name")
        self.loss_function = data.get("loss_function")
        self.targets = data.get("targets")
        self.probabilities = data.get("probabilities")
        self.fused = data.get("fused", False)
        self.epoch = data.get("epoch")
        self.batch = data.get("batch")
        self.optimizer = data.get("optimizer")
        self.forward = _ByName(self, _forward)
        self.backward = _ByName(self, _backward)
        self.update = _ByName(self, _update)

    @property
    def n_samples(self):
        """The batch size, or None for one sample (1-D values)."""
        for store in self.data["layers"].values():
            for q in ("x", "z", "a", "dL_da", "da_dz", "delta"):
                if q in store:
                    return None if store[q].ndim == 1 else store[q].shape[0]
        return None

    def layer_grad_weights(self, l):
        """dL/dw of every recorded neuron of layer ``l`` (from 0) at this step, in one array.

        The same numbers as ``step.backward[name]["grad_weights"]`` for each neuron of the
        layer, without going neuron by neuron (what :func:`~neurotrace.diagnose` reads).

        Parameters
        ----------
        l : int
            The layer, counted from 0 (``L1`` is 0).

        Returns
        -------
        grad_weights : ndarray of shape (n_neurons, n_inputs), or None
            Row ``j`` is the ``j``-th recorded neuron's dL/dw; None when the weight
            gradients of that layer were not recorded.

        Examples
        --------
        >>> import neurotrace as nt
        >>> X, Y = nt.datasets.xor()
        >>> net = nt.NeuralNetwork([2, 3, 1], seed=0)
        >>> with nt.trace(net) as t:
        ...     _ = nt.fit(net, X, Y, epochs=1, batch_size=1, shuffle=False, progress=False)
        >>> t[1].layer_grad_weights(0).shape
        (3, 2)
        >>> bool((t[1].layer_grad_weights(0)[2] == t[1].backward["L1.N2"]["grad_weights"]).all())
        True
        """
        store = self.data["layers"].get(l)
        if store is None or "grad_weights" not in self.trace.quantities:
            return None
        return _grad_weights(store, slice(None))

    def layer_values(self, l, quantity):
        """``quantity`` of every recorded neuron of layer ``l`` (from 0) at this step, in one array.

        The same numbers as ``step.forward[name][quantity]`` (or ``step.backward``) for each
        neuron of the layer, without going neuron by neuron (what
        :func:`~neurotrace.diagnose` reads).

        Parameters
        ----------
        l : int
            The layer, counted from 0 (``L1`` is 0).
        quantity : {"z", "a", "dL_da", "da_dz", "delta"}

        Returns
        -------
        values : ndarray of shape (n_neurons,) or (n_samples, n_neurons), or None
            Column ``j`` (the last axis) is the ``j``-th recorded neuron's; None when the
            quantity was not recorded for that layer.

        Examples
        --------
        >>> import neurotrace as nt
        >>> X, Y = nt.datasets.xor()
        >>> net = nt.NeuralNetwork([2, 3, 1], seed=0)
        >>> with nt.trace(net) as t:
        ...     _ = nt.fit(net, X, Y, epochs=1, batch_size=2, shuffle=False, progress=False)
        >>> t[1].layer_values(0, "z").shape
        (2, 3)
        >>> bool((t[1].layer_values(0, "z")[:, 2] == t[1].forward["L1.N2"]["z"]).all())
        True
        """
        if quantity not in ("z", "a", "dL_da", "da_dz", "delta"):
            raise KeyError(f"Step.layer_values: {quantity!r} is not a value per neuron; use "
                           f"'z', 'a', 'dL_da', 'da_dz' or 'delta'.")
        if quantity not in self.trace.quantities:
            return None
        return self.data["layers"].get(l, {}).get(quantity)

    def record(self, name):
        """Everything recorded for neuron ``name`` at this step, in one dict.

        Parameters
        ----------
        name : str
            A neuron, e.g. ``"L1.N0"``.

        Returns
        -------
        record : dict
            The forward, backward and update values together; asking it for a
            quantity that was not recorded raises a KeyError that lists what was.

        Raises
        ------
        KeyError
            If the neuron is not in the network or was not recorded.

        Examples
        --------
        >>> import neurotrace as nt
        >>> X, Y = nt.datasets.xor()
        >>> net = nt.NeuralNetwork([2, 2, 1], seed=0)
        >>> with nt.trace(net) as t:
        ...     _ = nt.fit(net, X, Y, epochs=1, batch_size=1, shuffle=False, progress=False)
        >>> record = t[0].record("L2.N0")
        >>> record["delta"] == t[0].backward["L2.N0"]["delta"]
        True
        """
        return _Record({**self.forward[name], **self.backward[name], **self.update[name]},
                       name, self.id, "forward, backward, update")

    def table(self, sample=0, digits=4):
        """A readable table: one row per neuron, its forward and backward values.

        Parameters
        ----------
        sample : int, default=0
            For a batch step, whose values to show.
        digits : int, default=4
            Significant digits.

        Returns
        -------
        table : str
            A title line (step, epoch, loss), a header and one line per recorded
            neuron with ``z``, ``a``, ``dL_da``, ``da_dz``, ``delta`` and ``grad_bias``.

        Examples
        --------
        >>> import neurotrace as nt
        >>> X, Y = nt.datasets.xor()
        >>> net = nt.NeuralNetwork([2, 2, 1], seed=0)
        >>> with nt.trace(net) as t:
        ...     _ = nt.fit(net, X, Y, epochs=1, batch_size=1, shuffle=False, progress=False)
        >>> print(t[0].table().splitlines()[1])
        neuron             z           a       dL_da       da_dz       delta   grad_bias
        """
        columns = ["z", "a", "dL_da", "da_dz", "delta", "grad_bias"]
        batch = self.n_samples is not None
        lines = [f"step {self.id}" + (f" (epoch {self.epoch})" if self.epoch is not None else "")
                 + (f", sample {sample} of a batch of {self.n_samples}" if batch else "")
                 + ("" if self.loss is None else f", {self.loss_name} loss = {self.loss:.{digits}g}")
                 + (", fused softmax/sigmoid gradient" if self.fused else "")]
        header = f"{'neuron':<8}" + "".join(f"{c:>12}" for c in columns)
        lines += [header, "-" * len(header)]
        for layer in self.trace.node_names():
            for name in layer:
                try:
                    record = self.record(name)
                except KeyError:
                    continue
                cells = []
                for c in columns:
                    value = record.get(c)
                    if value is not None and batch and c != "grad_bias":
                        value = value[sample]
                    cells.append("" if value is None else f"{float(value):>12.{digits}g}")
                lines.append(f"{name:<8}" + "".join(f"{c:>12}" for c in cells))
        return "\n".join(lines)

    def __str__(self):
        return self.table()

    def __repr__(self):
        return f"<Step {self.id} of {self.trace!r}>"

    def _repr_html_(self):
        return "<pre>" + self.table().replace("&", "&amp;").replace("<", "&lt;") + "</pre>"


class _ByName:
    """A read-only mapping ``name -> dict`` that slices a step's layer arrays lazily."""

    def __init__(self, step, getter):
        self.step, self.getter = step, getter

    def __getitem__(self, name):
        l, row = self.step.trace._where(name)
        values = self.getter(self.step, self.step.data["layers"][l], l, row)
        return _Record(values, name, self.step.id, self.getter.__name__[1:])

    def keys(self):
        """The names of the recorded neurons."""
        return [name for layer in self.step.trace.node_names() for name in layer
                if name in self]

    def __iter__(self):
        return iter(self.keys())

    def __contains__(self, name):
        try:
            self.step.trace._where(name)
            return True
        except KeyError:
            return False


class _Record(dict):
    """One neuron's values at one step; asking for one that was not recorded says so."""

    def __init__(self, values, name, step, part):
        super().__init__(values)
        self.where = f"{name} at step {step} ({part})"

    def __missing__(self, key):
        raise KeyError(f"{key!r} was not recorded for {self.where}; recorded: {sorted(self)}.")


def _forward(step, store, l, row):
    # The recorder may keep more than was asked for (to multiply gradients out): show only that.
    out, shown = {}, step.trace.quantities
    if "x" in store and "x" in shown:
        out["x"] = store["x"]
    for q in ("z", "a"):
        if q in store and q in shown:
            out[q] = _scalar(store[q][..., row])
    return out


def _grad_weights(store, rows):
    """dL/dw of neuron ``rows`` (or of the layer, ``slice(None)``) from a step's layer store.

    A batch: the engine's sums, as recorded. One sample: ``delta * x``, multiplied out
    here (the recorder keeps delta and x, not their product). None when not recorded.
    """
    if "grad" in store:
        return store["grad"][rows, :-1]
    if "delta" in store and "x" in store and store["x"].ndim == 1:
        return np.multiply.outer(store["delta"][rows], store["x"])     # dL/dw = delta * x
    return None


def _backward(step, store, l, row):
    out, shown = {}, step.trace.quantities
    for q in ("dL_da", "da_dz", "delta"):
        if q in store and q in shown:
            out[q] = _scalar(store[q][..., row])
    grad_weights = _grad_weights(store, row)
    if grad_weights is not None and "grad_weights" in shown:
        out["grad_weights"] = grad_weights
    if grad_weights is not None and "grad_bias" in shown:
        # a batch: the engine's sum; one sample: dL/db = delta
        out["grad_bias"] = float(store["grad"][row, -1] if "grad" in store else store["delta"][row])
    if "w" in store and "delta" in store and "to_predecessors" in shown:
        preds = names.predecessors(step.trace.sizes, l)
        # The error this neuron sent to each predecessor i: delta * w_i (per sample).
        sent = np.multiply.outer(store["delta"][..., row], store["w"][row, :-1])
        out["to_predecessors"] = {n: _scalar(sent[..., i]) for i, n in enumerate(preds)}
    return out


def _update(step, store, l, row):
    out = {}
    for when in ("before", "after"):
        if when in store:
            if f"weights_{when}" in step.trace.quantities:
                out[f"weights_{when}"] = store[when][row, :-1]
            if f"bias_{when}" in step.trace.quantities:
                out[f"bias_{when}"] = float(store[when][row, -1])
    for key, block in store.items():
        if key.startswith("state:"):
            out[f"{key[6:]}_weights"] = block[row, :-1]
            out[f"{key[6:]}_bias"] = float(block[row, -1])
        elif key.startswith("state_before:"):
            out[f"{key[13:]}_weights_before"] = block[row, :-1]
            out[f"{key[13:]}_bias_before"] = float(block[row, -1])
    return out


def _step_from_events(events, sizes):
    """One step's storage (layer arrays, as the recorder keeps them) from its events."""
    by_key = {e.key: e for e in events}
    step = {"id": events[0].step, "layers": {}}
    loss = by_key.get(("loss", "loss"))
    if loss is not None:
        step.update(loss=float(loss.values["loss"]), loss_name=loss.info.get("loss"),
                    targets=np.asarray(loss.values["y"], dtype=np.float64),
                    fused=bool(loss.info.get("fused")))
    for l in range(len(sizes) - 1):
        names = [f"L{l + 1}.N{j}" for j in range(sizes[l + 1])]
        store = step["layers"][l] = {}
        fwd = [by_key.get(("forward", n)) for n in names]
        bwd = [by_key.get(("backward", n)) for n in names]
        upd = [by_key.get(("update", n)) for n in names]

        def stack(evs, q):
            if all(e is not None and q in e.values for e in evs):
                return np.stack([np.asarray(e.values[q], dtype=np.float64) for e in evs], -1)
            return None

        def block(evs, w, b):
            if all(e is not None and w in e.values for e in evs):
                return np.array([np.append(e.values[w], e.values[b]) for e in evs])
            return None
        if fwd[0] is not None:
            store["x"] = np.asarray(fwd[0].values["x"], dtype=np.float64)
        for q in ("z", "a"):
            value = stack(fwd, q)
            if q == "a" and value is None and loss is not None and l == len(sizes) - 2:
                value = np.asarray(loss.values["a"], dtype=np.float64)   # softmax's a
                step["probabilities"] = value
            if value is not None:
                store[q] = value
        for q in ("dL_da", "da_dz", "delta"):
            value = stack(bwd, q)
            if value is not None:
                store[q] = value
        for key, (w, b) in (("grad", ("grad_weights", "grad_bias")), ("w", ("w", "b"))):
            value = block(bwd if key == "grad" else fwd, w, b)
            if value is not None:
                store[key] = value
        for key, w, b in (("before", "weights_before", "bias_before"),
                          ("after", "weights_after", "bias_after")):
            value = block(upd, w, b)
            if value is not None:
                store[key] = value
        if upd[0] is not None:
            for q in upd[0].values:
                if q.endswith("_weights_before") or (q.endswith("_weights") and
                                                     q != "grad_weights"):
                    before = q.endswith("_before")
                    name = q[:-len("_weights_before")] if before else q[:-len("_weights")]
                    bias = f"{name}_bias" + ("_before" if before else "")
                    store[("state_before:" if before else "state:") + name] = \
                        block(upd, q, bias)
            step["optimizer"] = upd[0].info.get("optimizer")
    return step
_PER_SAMPLE = ("z", "a", "dL_da", "da_dz", "delta")
_BLOCKS = ("grad", "w", "before", "after")


def _check_loaded(t, header):
    """What is wrong with a loaded trace's header against its arrays, or None."""
    sizes = t.sizes
    if len(sizes) < 2 or not all(type(s) is int and s >= 1 for s in sizes):
        return f"'sizes' must be at least two positive integers, got {sizes!r}"
    n_layers = len(sizes) - 1
    if len(t.activation_names) != n_layers or not all(
            isinstance(a, str) for a in t.activation_names):
        return f"'activation_names' must name one activation per layer ({n_layers}), got " \
               f"{t.activation_names!r}"
    unknown = sorted(set(t.quantities) - set(QUANTITIES))
    if unknown:
        return f"unknown quantities {unknown}"
    for l, rows in t.recorded_rows.items():
        if not 0 <= l < n_layers:
            return f"'rows' names layer index {l}; the network has {n_layers} layers"
        if rows is not None and (not isinstance(rows, list) or len(set(rows)) != len(rows)
                                 or not all(type(j) is int and 0 <= j < sizes[l + 1]
                                            for j in rows)):
            return (f"'rows' of L{l + 1} must list distinct neurons 0..{sizes[l + 1] - 1}, "
                    f"got {rows!r}")
    ids = [meta["id"] for meta in header["steps"]]
    if len(set(ids)) != len(ids) or not all(type(k) is int for k in ids):
        return f"step ids must be distinct integers, got {ids[:10]}"
    for k, step in t._steps.items():
        if step["layers"].keys() - t.recorded_rows.keys():
            return f"step {k} holds layers {sorted(step['layers'])} but only {sorted(t.recorded_rows)} " \
                   f"were recorded"
        n_samples = set()
        for l, store in step["layers"].items():
            n_rows = sizes[l + 1] if t.recorded_rows[l] is None else len(t.recorded_rows[l])
            for q, array in store.items():
                if q == "x":
                    ok, want = array.ndim in (1, 2) and array.shape[-1] == sizes[l], \
                        f"(..., {sizes[l]})"
                elif q in _PER_SAMPLE:
                    ok, want = array.ndim in (1, 2) and array.shape[-1] == n_rows, \
                        f"(..., {n_rows})"
                elif q in _BLOCKS or q.startswith(("state:", "state_before:")):
                    ok, want = array.shape == (n_rows, sizes[l] + 1), f"{(n_rows, sizes[l] + 1)}"
                else:
                    return f"step {k}, layer L{l + 1} holds an unknown array {q!r}"
                if not ok:
                    return (f"step {k}, layer L{l + 1}: {q!r} has shape {array.shape}, expected "
                            f"{want} for sizes {sizes}")
                if q == "x" or q in _PER_SAMPLE:
                    n_samples.add(array.shape[0] if array.ndim == 2 else None)
        if len(n_samples) > 1:
            return f"step {k} mixes batches of different sizes {sorted(map(str, n_samples))}"
        targets = step.get("targets")
        if targets is not None and np.shape(targets)[-1:] != (sizes[-1],):
            return f"step {k}: 'targets' has shape {np.shape(targets)}, expected (..., {sizes[-1]})"
        loss = step.get("loss")
        if loss is not None and not isinstance(loss, (int, float)):
            return f"step {k}: 'loss' must be a number, got {loss!r}"
    return None


def check_trace(obj, who, need_steps=True):
    """``obj`` if it is a :class:`Trace` (with at least one step), else an error that says so.

    The pictures call this first, so that a network passed by mistake, or an empty
    trace, gets a sentence instead of an AttributeError or an empty figure.

    Parameters
    ----------
    obj : object
        What the caller was given.
    who : str
        The caller, for the message (``"viz.gradient_norms"``).
    need_steps : bool, default=True
        Also refuse a trace that recorded no steps.

    Returns
    -------
    Trace
        ``obj`` itself.

    Raises
    ------
    TypeError
        ``obj`` is not a Trace.
    ValueError
        The trace recorded no steps (with ``need_steps``).

    Examples
    --------
    >>> check_trace("not a trace", "viz.gradient_norms")
    Traceback (most recent call last):
    TypeError: viz.gradient_norms expects a Trace (from `with nt.trace(net) as t: ...`), got str.
    """
    if not isinstance(obj, Trace):
        what = type(obj).__name__
        hint = (" To picture a network's training, record it: `with nt.trace(net) as t:` "
                "around fit, then pass t." if hasattr(obj, "flat_parameters") else "")
        raise TypeError(f"{who} expects a Trace (from `with nt.trace(net) as t: ...`), got "
                        f"{what}.{hint}")
    if need_steps and len(obj) == 0:
        raise ValueError(f"{who}: the trace recorded no steps (was anything run inside the "
                         f"`with nt.trace(net) as t:` block? were the steps filtered out?).")
    return obj


def _rms(values):
    """Root mean square of the numbers in ``values``; no overflow for a diverged run's (1e200)."""
    if not np.size(values):
        return 0.0
    flat = np.ravel(values)
    with np.errstate(over="ignore"):              # overflow is handled below
        squares = float(flat @ flat)
    if np.isfinite(squares):
        return float(np.sqrt(squares / flat.size))
    largest = float(np.max(np.abs(flat)))          # overflowed: scale by the largest first
    if not np.isfinite(largest):
        return largest
    return largest * float(np.sqrt(np.mean(np.square(flat / largest))))


def _rms_rows(rows):
    """The root mean square of each row of a 2-D array; no overflow (see _rms)."""
    with np.errstate(over="ignore", invalid="ignore"):
        result = np.sqrt(np.einsum("ij,ij->i", rows, rows) / rows.shape[1])
    for i in np.flatnonzero(~np.isfinite(result)):
        result[i] = _rms(rows[i])                     # overflowed (or inf, NaN): row by row
    return result


def _scalar(value):
    return float(value) if np.ndim(value) == 0 else value


def _nbytes(steps, seen=None):
    """Memory held by the steps' arrays, each array counted once (steps share some)."""
    seen = set() if seen is None else seen
    total = 0
    for step in steps:
        arrays = [a for store in step["layers"].values() for a in store.values()]
        arrays += [v for v in step.values() if isinstance(v, np.ndarray)]
        for a in arrays:
            if id(a) not in seen:
                seen.add(id(a))
                total += a.nbytes
    return total


def _json_default(value):
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return float(value)
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(f"cannot save {type(value).__name__} in a trace header")
