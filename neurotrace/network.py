"""A network of neuron objects: each neuron computes its own values and sends its error back."""
from operator import attrgetter

import numpy as np

from . import activations, names
from ._base import NetworkBase, check_sizes, check_weights, parse_activations
from .init import initialize, make_rng
from .neuron import Neuron, with_ones

__all__ = ["NeuralNetwork"]

GETTERS = {name: attrgetter(name) for name in ("z", "da_dz")}   # for the recorder



class NeuralNetwork(NetworkBase, backend="neurons"):
    """Layers of :class:`Neuron` objects, layer ``l`` feeding layer ``l + 1``.

    Every neuron owns its weights and runs its own :meth:`Neuron.forward` and
    :meth:`Neuron.backward`; the network passes values from layer to layer and adds
    up the errors sent back. All parameters live in one vector,
    :attr:`flat_parameters`, that each neuron's ``weights`` and ``bias`` are views into.

    Parameters
    ----------
    sizes : list of int, or list of list of Neuron
        ``[n_inputs, n_hidden_1, ..., n_outputs]``, e.g. ``[2, 4, 4, 1]``; or lists of
        ready-made neurons, one list per layer (``[[n1, n2], [n3]]``), whose weights
        the network then holds (``activation``, ``init``, ``seed`` and ``rng`` are not used).
    activation : str or list of str, default="sigmoid"
        One name for every layer, or one per layer.
    output_activation : str, optional
        The output layer's activation (``"softmax"`` is allowed only here).
        Defaults to ``activation``.
    init : str, default="xavier"
        ``uniform``, ``normal``, ``xavier``, ``he`` or ``lecun`` (see :mod:`neurotrace.init`).
    seed : int, optional
        The same seed always gives the same network (on either backend).
    rng : numpy.random.Generator, optional
        Draw the initial weights from this generator instead (``seed`` is then not used).

    Attributes
    ----------
    layers : list of list of Neuron
        ``layers[l][j]`` is the neuron called ``f"L{l + 1}.N{j}"``.
    sizes : list of int
        ``[n_inputs, n_hidden_1, ..., n_outputs]``.
    activation_names : list of str
        One activation name per layer.
    output : ndarray or None
        The outputs of the last forward pass.

    Raises
    ------
    ValueError
        If ``sizes``, an activation or ``init`` is not valid; the message says what is
        expected.

    Examples
    --------
    >>> net = NeuralNetwork([2, 3, 1], activation="tanh", seed=0)
    >>> net.forward(np.array([0.5, -1.0])).shape
    (1,)
    >>> net["L1.N2"] is net.layers[0][2]
    True
    >>> net
    NeuralNetwork([2, 3, 1], activation='tanh', output_activation='tanh')
    """

    def __init__(self, sizes, activation="sigmoid", output_activation=None, *,
                 init="xavier", seed=None, rng=None):
        if len(sizes) and all(isinstance(layer, (list, tuple)) for layer in sizes):
            self._build_from_neurons(sizes, output_activation)
            return
        sizes = check_sizes(sizes, "NeuralNetwork")
        acts = parse_activations(len(sizes) - 1, activation, output_activation, "NeuralNetwork")
        rng = make_rng(seed, rng)
        drawn = [initialize(init, n_in, n_out, rng)
                 for n_in, n_out in zip(sizes[:-1], sizes[1:])]
        self._build(sizes, acts, [w for w, b in drawn], [b for w, b in drawn])

    @classmethod
    def from_weights(cls, weights, biases, activation="sigmoid", output_activation=None):
        """A network with explicit parameters, e.g. to reproduce an exercise's numbers.

        Parameters
        ----------
        weights : list of array-like
            ``weights[l]`` of shape ``(n_inputs, n_neurons)``: column ``j`` holds neuron
            ``j``'s weights. Each layer's ``n_inputs`` is the size of the layer before.
        biases : list of array-like
            ``biases[l]`` of shape ``(n_neurons,)``.
        activation : str or list of str, default="sigmoid"
            One name for every layer, or one per layer.
        output_activation : str, optional
            The output layer's activation; defaults to ``activation``.

        Returns
        -------
        NeuralNetwork
            Its parameters are copies of ``weights`` and ``biases``.

        Raises
        ------
        ValueError
            If the shapes do not fit together (the message names the layer), a value is
            NaN or inf, or an activation is not valid.

        Examples
        --------
        >>> net = NeuralNetwork.from_weights([np.ones((2, 1))], [np.zeros(1)], "identity")
        >>> float(net.forward(np.array([1.0, 2.0]))[0])
        3.0
        """
        weights, biases = check_weights(weights, biases, "NeuralNetwork.from_weights")
        sizes = [weights[0].shape[0]] + [w.shape[1] for w in weights]
        net = cls.__new__(cls)
        acts = parse_activations(len(weights), activation, output_activation,
                                  "NeuralNetwork.from_weights")
        net._build(sizes, acts, weights, biases)
        return net

    def _build(self, sizes, acts, weights, biases):
        self._allocate(sizes)
        self.activation_names = [getattr(a, "name", a) for a in acts]
        self.layers = []
        for l, (name, W, b) in enumerate(zip(acts, weights, biases), start=1):
            act = "identity" if name == "softmax" else name
            layer = [Neuron(W.shape[0], act, weights=W[:, j], bias=b[j], name=names.neuron(l - 1, j))
                     for j in range(W.shape[1])]
            self.layers.append(layer)
        self._adopt_neurons()

    def _build_from_neurons(self, layers, output_activation):
        """Adopt lists of ready-made neurons: ``NeuralNetwork([[n1, n2], [n3]])``."""
        n_in = None
        for l, layer in enumerate(layers, start=1):
            if not layer:
                raise ValueError(f"NeuralNetwork: layer L{l} has no neurons.")
            for j, n in enumerate(layer):
                if not isinstance(n, Neuron):
                    raise TypeError(f"NeuralNetwork: L{l}.N{j} must be a Neuron, got {n!r}.")
                if n.network is not None:
                    raise ValueError(f"NeuralNetwork: neuron {n.name} already belongs to a "
                                     f"network; make a new Neuron for L{l}.N{j}.")
                expected = n_in if n_in is not None else layer[0].n_inputs
                if n.n_inputs != expected:
                    raise ValueError(f"NeuralNetwork: L{l}.N{j} expected {expected} inputs "
                                     f"(the size of the layer before), but has {n.n_inputs}.")
            n_in = len(layer)
        sizes = [layers[0][0].n_inputs] + [len(layer) for layer in layers]
        acts = [layer[0].activation.name for layer in layers]
        for l, layer in enumerate(layers, start=1):
            if any(n.activation.name != acts[l - 1] for n in layer):
                raise ValueError(f"NeuralNetwork: all neurons of layer L{l} must share one "
                                 f"activation, got {[n.activation.name for n in layer]}.")
        if output_activation is not None:
            if output_activation == "softmax" and acts[-1] != "identity":
                raise ValueError("NeuralNetwork: a softmax output layer needs neurons with the "
                                 "'identity' activation (softmax is applied across the layer).")
            acts[-1] = parse_activations(len(layers), acts[:-1], output_activation,
                                          "NeuralNetwork")[-1]
        self._allocate(sizes)
        self.activation_names = acts
        self.layers = [list(layer) for layer in layers]
        self._adopt_neurons()

    def _adopt_neurons(self):
        """Hand every neuron its row of the network's parameter and gradient vectors."""
        for l, layer in enumerate(self.layers):
            for j, neuron in enumerate(layer):
                neuron.use_storage(self._blocks[l][j], self._grad_blocks[l][j])
                neuron.name, neuron.network = names.neuron(l, j), self
        self.output = None

    # --- lookup -------------------------------------------------------------------------
    def __getitem__(self, name):
        """The neuron called ``name``, e.g. ``net["L2.N0"]``."""
        l, j = self.locate(name)
        return self.layers[l][j]

    def neurons(self):
        """Every neuron, layer by layer.

        Returns
        -------
        neurons : list of Neuron
            ``L1.N0, L1.N1, ..., L2.N0, ...``.

        Examples
        --------
        >>> [n.name for n in NeuralNetwork([2, 2, 1], seed=0).neurons()]
        ['L1.N0', 'L1.N1', 'L2.N0']
        """
        return [n for layer in self.layers for n in layer]

    # --- forward and backward -------------------------------------------------------
    # Every neuron runs its own public forward and backward (see Neuron); the network
    # only passes values from layer to layer and adds up the errors sent back.
    def _forward(self, X):
        recorder = self.recorder
        one = X.ndim == 1
        X1 = with_ones(X)                             # [x, 1] per sample (see Neuron.x1)
        for l, layer in enumerate(self.layers):
            if one:                                   # a float per neuron: [a, 1]
                values = [neuron.forward(X1, check=False) for neuron in layer]  # a = f(x.w + b)
                values.append(1.0)
                A1 = np.array(values)
                A = A1[:-1]
            else:                                     # an array per neuron: [a, 1] per sample
                A1T = np.empty((len(layer) + 1, len(X1)))
                for neuron, row in zip(layer, A1T):  # row j: neuron j's a, one per sample
                    neuron.forward(X1, check=False, out=row)                    # a = f(x.w + b)
                A1T[-1] = 1.0
                A1 = A1T.T                            # (n_samples, n_neurons + 1), a view
                A = A1[:, :-1]
            if l == len(self.layers) - 1 and self.has_softmax_output:
                A = activations.softmax(A)                # the layer: p = softmax(z)
                for j, neuron in enumerate(layer):
                    neuron.a = A[..., j]
            if recorder is not None:
                recorder.record(self, "forward", layer=l, x=X1[..., :-1],
                                z=self._layer_values(layer, "z"), a=A,
                                parameters=self._blocks[l])
            X1 = A1
        self.output = A
        return A

    def _output_z(self):
        return self._layer_values(self.layers[-1], "z")

    @staticmethod
    def _layer_values(layer, name):
        """One layer-level array of the neurons' ``name`` (z, da_dz, ...), neurons last."""
        get = GETTERS[name]
        first = get(layer[0])
        if first is None:
            return None
        if isinstance(first, float):                  # one sample: a float per neuron
            return np.fromiter(map(get, layer), np.float64, len(layer))
        return np.array(list(map(get, layer))).T

    def _backward(self, dL_dA, delta=None, to_inputs=True):
        """Backward from ``dL/da`` at the outputs (or ``delta = dL/dz`` when given)."""
        recorder = self.recorder
        one = self.output.ndim == 1
        for l in range(len(self.layers) - 1, -1, -1):
            layer = self.layers[l]
            send = to_inputs or l > 0
            # Row j receives what neuron j sends back; a new buffer each pass, so the
            # errors a caller kept (neuron.to_predecessors) never change under them.
            shape = (len(layer), self.sizes[l]) if one else (len(layer),) + self.output.shape[:1] \
                + (self.sizes[l],)
            sent = np.empty(shape) if send else [None] * len(layer)
            # One sample: plain floats are the fastest numbers for each neuron's scalar math.
            given = delta if delta is not None else dL_dA
            given = given.tolist() if one else given.T
            if delta is None:                             # each neuron: delta = dL/da * f'(z)
                for neuron, dL_da, out in zip(layer, given, sent):
                    neuron.backward(dL_da, out=out, send=send, check=False)
            else:                                         # softmax or fused: dL/dz is given
                dL_da = [None] * len(layer) if dL_dA is None else \
                    (dL_dA.tolist() if one else dL_dA.T)
                for neuron, d, g, out in zip(layer, given, dL_da, sent):
                    neuron.backward(delta=d, out=out, send=send, check=False)
                    neuron.dL_da = g
            if recorder is not None:
                da_dz = None if delta is not None else self._layer_values(layer, "da_dz")
                recorder.record(self, "backward", layer=l, dL_da=dL_dA, da_dz=da_dz,
                                # delta = dL/da * f'(z): each neuron's very multiplication
                                delta=delta if delta is not None else dL_dA * da_dz,
                                gradients=self._grad_blocks[l], parameters=self._blocks[l])
            # Each predecessor receives one error from every neuron of this layer: add them up.
            dL_dA = sent.sum(axis=0) if send else None
            delta = None
        return dL_dA
