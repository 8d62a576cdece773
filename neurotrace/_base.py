"""What both backends share: layer sizes, the parameter vector, the loss at the output.

Both :class:`~neurotrace.NeuralNetwork` (neuron objects) and
:class:`~neurotrace.VectorizedNetwork` (one matrix per layer) keep every
parameter in ONE flat vector, laid out the same way: layer after layer, neuron
after neuron, ``[w_0, ..., w_{n_inputs-1}, b]``. Layer ``l`` is a block of shape
``(n_neurons, n_inputs + 1)`` of that vector; neuron ``j`` is row ``j`` of it.
So the two backends convert into each other by copying one vector, and an
optimizer updates all parameters of either backend with one array operation.
"""
import numpy as np

from . import activations, losses, names
from ._checks import (as_float_array, check_finite, check_inputs, check_loss_result,
                      check_parameters, check_size,
                      check_targets)

__all__ = ["NetworkBase", "check_sizes", "check_weights", "parse_activations"]


def parse_activations(n_layers, activation, output_activation, owner):
    """One activation name (or object) per layer, softmax only on the last."""
    if isinstance(activation, (list, tuple)):
        acts = list(activation)
        if output_activation is not None and len(acts) == n_layers - 1:
            acts.append(output_activation)
        elif len(acts) != n_layers:
            raise ValueError(f"{owner}: 'activation' must be one name or one per layer "
                             f"({n_layers} layers), got {len(acts)}: {acts!r}.")
        elif output_activation is not None:
            acts[-1] = output_activation
    else:
        last = activation if output_activation is None else output_activation
        acts = [activation] * (n_layers - 1) + [last]
    for l, name in enumerate(acts, start=1):
        if name == "softmax":
            if l != n_layers:
                raise ValueError(f"{owner}: softmax is only allowed on the output layer "
                                 f"L{n_layers}, but layer L{l} asked for it.")
        else:
            activations.get(name, owner)
    return acts


def check_sizes(sizes, owner):
    if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__") or len(sizes) < 2:
        raise ValueError(f"{owner}: 'sizes' must list the input width and at least one layer, "
                         f"e.g. [2, 4, 1]; got {sizes!r}.")
    return [check_size(s, f"sizes[{i}]", owner) for i, s in enumerate(sizes)]


class NetworkBase:
    """Shared machinery; see NeuralNetwork and VectorizedNetwork for the user's view."""

    recorder = None          # set by neurotrace.trace(); None means nothing is recorded
    backends = {}            # "neurons" -> NeuralNetwork, "vectorized" -> VectorizedNetwork

    def __init_subclass__(cls, backend=None, **kwargs):
        """Each backend registers itself, so either converts to the other without importing it."""
        super().__init_subclass__(**kwargs)
        if backend is not None:
            NetworkBase.backends[backend] = cls

    def _allocate(self, sizes, dtype=np.float64):
        """One flat vector for all parameters, one for all gradients, and per-layer blocks."""
        self.sizes = list(sizes)
        n = sum((n_in + 1) * n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))
        self._params, self._grads = np.zeros(n, dtype), np.zeros(n, dtype)
        self._blocks, self._grad_blocks, start = [], [], 0
        for n_in, n_out in zip(sizes[:-1], sizes[1:]):
            stop = start + (n_in + 1) * n_out
            self._blocks.append(self._params[start:stop].reshape(n_out, n_in + 1))
            self._grad_blocks.append(self._grads[start:stop].reshape(n_out, n_in + 1))
            start = stop

    # --- facts about the network ----------------------------------------------------
    @property
    def n_inputs(self):
        """The number of inputs, ``sizes[0]``."""
        return self.sizes[0]

    @property
    def n_outputs(self):
        """The number of outputs, the size of the last layer."""
        return self.sizes[-1]

    @property
    def n_layers(self):
        """The number of layers of neurons (the inputs are not a layer)."""
        return len(self.sizes) - 1

    @property
    def activation_names(self):
        """One activation name per layer, ``["sigmoid", ..., "softmax"]``."""
        return self._activation_names

    @activation_names.setter
    def activation_names(self, value):
        # Softmax over one output is exp(z) / exp(z) = 1 whatever z is: every gradient 0.
        if value[-1] == "softmax" and self.sizes[-1] == 1:
            raise ValueError(
                f"{type(self).__name__}: softmax over a single output L{len(self.sizes) - 1}.N0 "
                f"is always 1.0 (exp(z) / exp(z)), so every gradient would be 0. For two "
                f"classes use one sigmoid output (with bce), or two softmax outputs.")
        self._activation_names = value

    @property
    def has_softmax_output(self):
        """True when the output layer is a softmax (applied across the layer)."""
        return self.activation_names[-1] == "softmax"

    @property
    def flat_parameters(self):
        """Every parameter in one vector, shape ``(n_parameters,)``: a live view optimizers update.

        Layer after layer, neuron after neuron, ``[w_0, ..., w_{n_inputs-1}, b]`` (see
        :mod:`neurotrace._base`); writing into it changes the network.
        """
        return self._params

    @property
    def flat_gradients(self):
        """dL/d(every parameter) from the last backward pass, shape ``(n_parameters,)``.

        Laid out like :attr:`flat_parameters`; a live view the next backward pass overwrites.
        """
        return self._grads

    @property
    def parameter_blocks(self):
        """Per layer, its parameters as one block ``(n_neurons, n_inputs + 1)`` (live views).

        Row ``j`` is neuron ``j``'s ``[w_0, ..., w_{n_inputs-1}, b]``: the layout of
        :attr:`flat_parameters`, layer by layer (see the module's docstring).
        """
        return self._blocks

    @property
    def gradient_blocks(self):
        """dL/d :attr:`parameter_blocks` from the last backward pass (live views)."""
        return self._grad_blocks

    def node_names(self):
        """The names of the neurons, one list per layer.

        Returns
        -------
        names : list of list of str
            ``[["L1.N0", ...], ["L2.N0", ...], ...]``.

        Examples
        --------
        >>> import neurotrace as nt
        >>> nt.NeuralNetwork([2, 3, 1], seed=0).node_names()
        [['L1.N0', 'L1.N1', 'L1.N2'], ['L2.N0']]
        """
        return names.neuron_names(self.sizes)

    def input_names(self):
        """The names of the inputs.

        Returns
        -------
        names : list of str
            ``["x0", "x1", ...]``, one name per input.

        Examples
        --------
        >>> import neurotrace as nt
        >>> nt.NeuralNetwork([2, 3, 1], seed=0).input_names()
        ['x0', 'x1']
        """
        return names.predecessors(self.sizes, 0)

    def locate(self, name):
        """``"L2.N1"`` -> ``(1, 1)``: the 0-based layer and neuron indices of a neuron.

        Parameters
        ----------
        name : str
            A neuron's name, ``"L{l}.N{j}"``.

        Returns
        -------
        l, j : int
            0-based layer index and neuron index.

        Raises
        ------
        KeyError
            If the network has no such neuron; the message lists its neurons.

        Examples
        --------
        >>> import neurotrace as nt
        >>> net = nt.NeuralNetwork([2, 3, 1], seed=0)
        >>> net.locate("L1.N2")
        (0, 2)
        >>> net.locate("L3.N0")
        Traceback (most recent call last):
        ...
        KeyError: "No neuron 'L3.N0' in this network: L1 has N0..N2, L2 has N0..N0."
        """
        return names.parse_neuron(name, self.sizes)

    # --- the other backend -------------------------------------------------------------
    @classmethod
    def from_network(cls, network, **kwargs):
        """A copy of ``network`` (either backend) on this class's backend, weights copied exactly.

        Parameters
        ----------
        network : NeuralNetwork or VectorizedNetwork
            The network to copy.
        **kwargs
            Passed to :meth:`from_weights` (e.g. ``dtype`` for a VectorizedNetwork).

        Returns
        -------
        network : same type as ``cls``

        Examples
        --------
        >>> import neurotrace as nt
        >>> net = nt.NeuralNetwork([2, 3, 1], seed=0)
        >>> vec = nt.VectorizedNetwork.from_network(net)
        >>> bool((vec.flat_parameters == net.flat_parameters).all())
        True
        """
        W = [w.copy() for w, b in network.parameters()]
        b = [b.copy() for w, b in network.parameters()]
        return cls.from_weights(W, b, network.activation_names[:-1],
                                network.activation_names[-1], **kwargs)

    def to_vectorized(self, dtype=np.float64):
        """The same network as a :class:`~neurotrace.VectorizedNetwork` (weights copied exactly).

        Parameters
        ----------
        dtype : numpy dtype, default=numpy.float64
            The new network's float type (``np.float32`` trades precision for speed).

        Returns
        -------
        VectorizedNetwork
            Same sizes, activations and parameters; no state is shared.

        Examples
        --------
        >>> import neurotrace as nt
        >>> net = nt.NeuralNetwork([2, 3, 1], seed=0)
        >>> vec = net.to_vectorized()
        >>> bool(np.allclose(vec.forward([[1.0, 2.0]]), net.forward([[1.0, 2.0]]), rtol=0, atol=1e-12))
        True
        """
        return NetworkBase.backends["vectorized"].from_network(self, dtype=dtype)

    def to_neurons(self):
        """The same network as a :class:`~neurotrace.NeuralNetwork` of neuron objects, weights copied.

        Returns
        -------
        NeuralNetwork
            Same sizes, activations and parameters; no state is shared.

        Raises
        ------
        ValueError
            If this network is not float64 (neuron objects compute in float64).

        Examples
        --------
        >>> import neurotrace as nt
        >>> vec = nt.VectorizedNetwork([2, 3, 1], seed=0)
        >>> net = vec.to_neurons()
        >>> net["L1.N0"].weights.tolist() == vec.parameters()[0][0][:, 0].tolist()
        True
        """
        if self.flat_parameters.dtype != np.float64:
            raise ValueError(f"{type(self).__name__}.to_neurons: neuron objects compute in "
                             f"float64; this network is {self.flat_parameters.dtype}. Convert "
                             f"from a float64 network.")
        return NetworkBase.backends["neurons"].from_network(self)

    def parameters(self):
        """Every layer's weights and bias, as live views into :attr:`flat_parameters`.

        Returns
        -------
        parameters : list of tuple of ndarray
            ``[(weights_1, bias_1), ...]``, one pair per layer: ``weights_l`` of shape
            ``(n_inputs, n_neurons)`` (column ``j`` is neuron ``j``'s weights) and
            ``bias_l`` of shape ``(n_neurons,)``. Writing into them changes the network.

        Examples
        --------
        >>> import neurotrace as nt
        >>> net = nt.NeuralNetwork([2, 3, 1], seed=0)
        >>> [(W.shape, b.shape) for W, b in net.parameters()]
        [((2, 3), (3,)), ((3, 1), (1,))]
        """
        return [(b[:, :-1].T, b[:, -1]) for b in self._blocks]

    def parameter_gradients(self):
        """``[(dW_1, db_1), ...]`` from the last backward pass, shaped like :meth:`parameters`.

        Copies, yours to keep: the next backward pass does not change them.

        Returns
        -------
        gradients : list of (ndarray of shape (n_inputs, n_neurons), ndarray of shape (n_neurons,))
            One pair per layer, dL/dW and dL/db.
        """
        return [(g[:, :-1].T.copy(), g[:, -1].copy()) for g in self._grad_blocks]

    # --- the computation ----------------------------------------------------------------
    def forward(self, X):
        """Outputs: ``(n_outputs,)`` for one sample, ``(n_samples, n_outputs)`` for a batch.

        Remembers what backward needs (a copy of ``X``: changing ``X`` afterwards
        changes nothing here).

        Parameters
        ----------
        X : array-like of shape (n_inputs,) or (n_samples, n_inputs)
            One sample, or a batch with one sample per row.

        Returns
        -------
        outputs : ndarray of shape (n_outputs,) or (n_samples, n_outputs)
        """
        check_parameters(self)          # NaN written into the live weights: say so, here
        X = self.check_inputs(X, copy=True)
        with np.errstate(over="ignore"):  # see Activation.value_unguarded
            return self._forward(X)

    def predict(self, X):
        """The network's outputs for ``X``, like :meth:`forward`, but never recorded by a trace.

        It is still a forward pass: what the last forward pass remembered is replaced.

        Parameters
        ----------
        X : array-like of shape (n_inputs,) or (n_samples, n_inputs)
            One sample, or a batch with one sample per row.

        Returns
        -------
        outputs : ndarray of shape (n_outputs,) or (n_samples, n_outputs)
            A new array, yours to keep.

        Raises
        ------
        ValueError
            If ``X`` is not of either shape, or holds NaN or inf.

        Examples
        --------
        >>> import neurotrace as nt
        >>> net = nt.NeuralNetwork([2, 2, 1], seed=0)
        >>> X, Y = nt.datasets.xor()
        >>> net.predict(X).shape
        (4, 1)
        """
        recorder, self.recorder = self.recorder, None
        try:
            return np.array(self.forward(X), copy=True)
        finally:
            self.recorder = recorder

    def backward(self, dL_da):
        """Backpropagate ``dL/da`` at the outputs; return dL/dx at the inputs.

        Stores every parameter's gradient (see :meth:`parameter_gradients` and
        :attr:`flat_gradients`); the parameters do not change (that is the optimizer's job).
        A trace recording this network records the pass.

        Parameters
        ----------
        dL_da : array-like of shape (n_outputs,) or (n_samples, n_outputs)
            The loss's gradient at the outputs of the last :meth:`forward`, shaped like them.

        Returns
        -------
        dL_dx : ndarray of shape (n_inputs,) or (n_samples, n_inputs)
            The gradient at the inputs.

        Raises
        ------
        RuntimeError
            If :meth:`forward` was not called first.
        ValueError
            If ``dL_da`` is not shaped like the outputs, or holds NaN or inf.

        Examples
        --------
        >>> import neurotrace as nt
        >>> net = nt.NeuralNetwork.from_weights([np.array([[2.0], [3.0]])], [np.zeros(1)], "identity")
        >>> net.forward([1.0, 1.0])
        array([5.])
        >>> net.backward([1.0])                     # dL/dx = w for L = a
        array([2., 3.])
        >>> net.parameter_gradients()[0][0].ravel()  # dL/dw = x
        array([1., 1.])
        """
        if self.output is None:
            raise RuntimeError(f"{type(self).__name__}: call forward before backward.")
        dL_da = as_float_array(dL_da, "dL/da", type(self).__name__, self._params.dtype,
                               copy=True)         # a copy: the caller may change theirs
        if dL_da.shape != self.output.shape:
            raise ValueError(f"{type(self).__name__}: dL/da must have the shape of the outputs "
                             f"{self.output.shape}, got {dL_da.shape}.")
        check_finite(dL_da, "dL/da", f"{type(self).__name__}")
        delta = activations.softmax_vjp(self.output, dL_da) if self.has_softmax_output else None
        return self._backward(dL_da, delta)

    def loss(self, X, Y, loss="mse"):
        """The loss of the current parameters on ``(X, Y)``; a forward pass no trace records.

        Parameters
        ----------
        X : array-like of shape (n_inputs,) or (n_samples, n_inputs)
            The inputs.
        Y : array-like shaped like the outputs
            The targets.
        loss : str or Loss, default="mse"
            ``"mse"``, ``"sse"``, ``"bce"``, ``"cross_entropy"`` or a loss of your own.

        Returns
        -------
        loss : float
        """
        X = self.check_inputs(X)
        recorder, self.recorder = self.recorder, None
        try:
            with np.errstate(over="ignore"):      # see Activation.value_unguarded
                self._forward(X)
            return self._output_step(self.check_targets(Y), losses.get(loss))[0]
        finally:
            self.recorder = recorder

    def gradients(self, X, Y, loss="mse"):
        """Every layer's gradient of ``loss`` at ``(X, Y)``: one backprop, copies of the results.

        Parameters
        ----------
        X : array-like of shape (n_inputs,) or (n_samples, n_inputs)
            One sample, or a batch with one sample per row.
        Y : array-like of shape (n_outputs,) or (n_samples, n_outputs)
            The targets, shaped like the outputs for ``X``.
        loss : str or Loss, default="mse"
            A name from :data:`neurotrace.losses.NAMES`, or a loss of your own.

        Returns
        -------
        gradients : list of tuple of ndarray
            ``[(dW_1, db_1), ...]``, shaped like :meth:`parameters`: ``dW_l`` of shape
            ``(n_inputs, n_neurons)``, ``db_l`` of shape ``(n_neurons,)``.

        Raises
        ------
        ValueError
            If ``X`` or ``Y`` does not have the shape the network needs, or holds NaN or inf.

        Examples
        --------
        >>> import neurotrace as nt
        >>> net = nt.NeuralNetwork([2, 3, 1], seed=0)
        >>> [dW.shape for dW, db in net.gradients([[0.0, 1.0]], [[1.0]])]
        [(2, 3), (3, 1)]
        """
        self.backprop(X, Y, loss)
        return self.parameter_gradients()

    def backprop(self, X, Y, loss="mse", to_inputs=True, check=True):
        """Forward, loss, backward: fills every gradient and returns the loss value.

        Parameters
        ----------
        X : ndarray of shape (n_inputs,) or (n_samples, n_inputs)
        Y : ndarray shaped like the outputs
        loss : str or Loss, default="mse"
        to_inputs : bool, default=True
            ``False``: skip dL/dX at the inputs (training needs only the parameters').
        check : bool, default=True
            Check ``X`` and ``Y`` (copies are kept). :func:`~neurotrace.fit` checks the
            whole data set once (:meth:`check_inputs`, :meth:`check_targets`), then
            passes ``False`` for each of its batches, inside one ``np.errstate`` for
            the epoch (see :attr:`Activation.value_unguarded
            <neurotrace.activations.Activation>`).

        Returns
        -------
        loss : float
            The loss value at ``(X, Y)`` before any update.
        """
        if check:
            X = self.check_inputs(X, copy=True)
            with np.errstate(over="ignore"):
                self._forward(X)
            Y = self.check_targets(Y)
        else:
            self._forward(X)
        return self._loss_backward(Y, losses.get(loss), to_inputs)

    def _loss_backward(self, Y, loss, to_inputs=True):
        value, dL_da, delta, fused = self._output_step(Y, loss)
        if self.recorder is not None:
            self.recorder.record(self, "loss", value=value, targets=Y, dL_da=dL_da,
                                 delta=delta, fused=fused, loss=loss)
        self._backward(dL_da, delta, to_inputs)
        return value

    def _output_step(self, Y, loss):
        """The loss value and where backward starts: ``(value, dL/da, delta or None, fused)``."""
        A = self.output
        n_samples = A.shape[0] if A.ndim == 2 else 1
        if self.has_softmax_output and loss is losses.cross_entropy \
                and np.all(np.abs(np.sum(Y, axis=-1) - 1.0) <= 1e-12):
            # Softmax + cross-entropy: dL/dz = (p - y) / n_samples (the 1/p of the loss
            # cancels the p of softmax's derivative), and L itself from log-softmax.
            # Exact only when each target row sums to 1 (one-hot or a distribution);
            # other targets take the general path below (softmax's Jacobian).
            return (losses.softmax_cross_entropy(self._output_z(), Y), None, (A - Y) / n_samples,
                    True)
        if self.activation_names[-1] == "sigmoid" and loss is losses.bce:
            # Sigmoid + bce: dL/dz = (a - y) / a.size, the same cancellation.
            return losses.sigmoid_bce(self._output_z(), Y), None, (A - Y) / A.size, True
        if hasattr(loss, "value_and_gradient"):
            value, dL_da = loss.value_and_gradient(A, Y)
        else:
            value, dL_da = loss.value(A, Y), loss.gradient(A, Y)
        # A loss of the user's own may hand back an array it changes later: keep a copy.
        builtin = loss in (losses.mse, losses.sse, losses.bce, losses.cross_entropy)
        dL_da = np.asarray(dL_da, dtype=A.dtype) if builtin else np.array(dL_da, dtype=A.dtype)
        if dL_da.shape != A.shape:
            raise ValueError(f"Loss {getattr(loss, 'name', loss)!r}: gradient(a, y) must have "
                             f"the shape of a, {A.shape}, got {dL_da.shape}.")
        if not builtin:                  # a user's loss: say so if it hands back NaN or inf
            check_loss_result(loss, value, dL_da, A)
        # Softmax with any other loss: its Jacobian-vector product gives dL/dz.
        delta = activations.softmax_vjp(A, dL_da) if self.has_softmax_output else None
        return value, dL_da, delta, False

    # --- checks -------------------------------------------------------------------------
    def check_inputs(self, X, copy=False):
        """``X`` as an array of shape ``(n_inputs,)`` or ``(n_samples, n_inputs)``, or an error.

        Parameters
        ----------
        X : array-like of shape (n_inputs,) or (n_samples, n_inputs)
        copy : bool, default=False
            Return a new array in any case (nothing the caller changes later reaches it).

        Returns
        -------
        X : ndarray of the network's dtype

        Raises
        ------
        ValueError
            Naming the layer that reads the inputs (L1) and the shape expected: wrong
            width, an empty batch, complex numbers, NaN or inf.

        Examples
        --------
        >>> import neurotrace as nt
        >>> nt.NeuralNetwork([2, 1], seed=0).check_inputs([[1, 2]]).dtype
        dtype('float64')
        """
        return check_inputs(X, self.n_inputs, f"{type(self).__name__} (layer L1)",
                            self._params.dtype, copy)

    def check_targets(self, Y, n_samples=None):
        """``Y`` shaped like the outputs, or an error naming the output layer.

        Parameters
        ----------
        Y : array-like of shape (n_outputs,) or (n_samples, n_outputs)
        n_samples : int, optional
            Targets for a batch of that many samples; otherwise the outputs of the
            last forward pass give the shape.

        Returns
        -------
        Y : ndarray of the network's dtype

        Examples
        --------
        >>> import neurotrace as nt
        >>> nt.NeuralNetwork([2, 1], seed=0).check_targets([0.0, 1.0], n_samples=2).shape
        (2, 1)
        """
        shape = self.output.shape if n_samples is None else (n_samples, self.n_outputs)
        return check_targets(Y, shape, f"{type(self).__name__} (output layer "
                             f"L{self.n_layers})", self._params.dtype)

    def __repr__(self):
        acts = self.activation_names
        same = all(a == acts[0] for a in acts[:-1])
        act = repr(acts[0]) if same else repr(acts[:-1])
        return (f"{type(self).__name__}({self.sizes}, activation={act}, "
                f"output_activation={acts[-1]!r})")


def check_weights(weights, biases, owner, dtype=np.float64):
    """Explicit weights ``(n_inputs, n_neurons)`` and biases ``(n_neurons,)`` that fit together."""
    if len(weights) == 0 or len(weights) != len(biases):
        raise ValueError(f"{owner}: need one bias vector per weight matrix, got "
                         f"{len(weights)} weight matrices and {len(biases)} bias vectors.")
    W = [as_float_array(w, f"weights of L{l}", owner, dtype) for l, w in enumerate(weights, 1)]
    b = [as_float_array(v, f"biases of L{l}", owner, dtype) for l, v in enumerate(biases, 1)]
    for l, (w, v) in enumerate(zip(W, b), start=1):
        if w.ndim != 2:
            raise ValueError(f"{owner}: weights of L{l} must be a matrix of shape "
                             f"(n_inputs, n_neurons), got shape {w.shape}.")
        if l > 1 and w.shape[0] != W[l - 2].shape[1]:
            raise ValueError(f"{owner}: weights of L{l} must have shape "
                             f"({W[l - 2].shape[1]}, n_neurons) — L{l - 1} has "
                             f"{W[l - 2].shape[1]} neurons — got shape {w.shape}.")
        if v.shape != (w.shape[1],):
            raise ValueError(f"{owner}: biases of L{l} must have shape ({w.shape[1]},), "
                             f"got shape {v.shape}.")
    return W, b
