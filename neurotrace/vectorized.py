"""The vectorized backend: a network of :class:`~neurotrace.Layer` objects.

It computes exactly what the neuron objects of :class:`~neurotrace.NeuralNetwork`
compute, one matrix product per layer. Column ``j`` of a layer's ``weights`` is
neuron ``j``'s weights, so the two backends convert into each other by copying
numbers (:meth:`~neurotrace.VectorizedNetwork.from_network`,
:meth:`~neurotrace.NeuralNetwork.from_network`).
"""
import numpy as np

from . import names
from ._base import NetworkBase, check_sizes, check_weights, parse_activations
from .init import initialize, make_rng
from .layer import Layer

__all__ = ["VectorizedNetwork"]


class VectorizedNetwork(NetworkBase, backend="vectorized"):
    """A network of :class:`Layer` objects; the same methods as :class:`NeuralNetwork`.

    Each layer computes all its neurons with one matrix product; the numbers are
    those of :class:`NeuralNetwork` (to 1e-12 in float64), and the same seed gives
    the same weights.

    Parameters
    ----------
    sizes : list of int
        ``[n_inputs, n_hidden_1, ..., n_outputs]``, e.g. ``[2, 4, 4, 1]``.
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
    dtype : {numpy.float64, numpy.float32}, default=numpy.float64
        ``np.float32`` trades precision for speed.

    Attributes
    ----------
    layers : list of Layer
        ``layers[l]`` is the layer called ``f"L{l + 1}"``; ``vec["L1"]`` is ``vec.layers[0]``.

    Raises
    ------
    ValueError
        If ``sizes``, an activation, ``init`` or ``dtype`` is not valid.

    Examples
    --------
    >>> import neurotrace as nt
    >>> net = nt.NeuralNetwork([2, 3, 1], seed=0)
    >>> vec = VectorizedNetwork([2, 3, 1], seed=0)      # the same seed, the same weights
    >>> bool(np.all(vec.flat_parameters == net.flat_parameters))
    True
    >>> vec["L1"].weights.shape
    (2, 3)
    """

    def __init__(self, sizes, activation="sigmoid", output_activation=None, *,
                 init="xavier", seed=None, rng=None, dtype=np.float64):
        sizes = check_sizes(sizes, "VectorizedNetwork")
        acts = parse_activations(len(sizes) - 1, activation, output_activation,
                                  "VectorizedNetwork")
        rng = make_rng(seed, rng)
        drawn = [initialize(init, n_in, n_out, rng, "VectorizedNetwork")
                 for n_in, n_out in zip(sizes[:-1], sizes[1:])]
        self._build(sizes, acts, [w for w, b in drawn], [b for w, b in drawn], dtype)

    @classmethod
    def from_weights(cls, weights, biases, activation="sigmoid", output_activation=None,
                     dtype=np.float64):
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
        dtype : {numpy.float64, numpy.float32}, default=numpy.float64
            The float type of the network.

        Returns
        -------
        VectorizedNetwork
            Its parameters are copies of ``weights`` and ``biases``.

        Raises
        ------
        ValueError
            If the shapes do not fit together (the message names the layer), a value is
            NaN or inf, or an activation is not valid.

        Examples
        --------
        >>> vec = VectorizedNetwork.from_weights([np.ones((2, 1))], [np.zeros(1)], "identity")
        >>> vec.forward([[1.0, 2.0]])
        array([[3.]])
        """
        weights, biases = check_weights(weights, biases, "VectorizedNetwork.from_weights")
        sizes = [weights[0].shape[0]] + [w.shape[1] for w in weights]
        acts = parse_activations(len(weights), activation, output_activation,
                                  "VectorizedNetwork.from_weights")
        net = cls.__new__(cls)
        net._build(sizes, acts, weights, biases, dtype)
        return net

    @classmethod
    def from_layers(cls, layers):
        """A network of ready-made :class:`Layer` objects (their parameters move into the network).

        Parameters
        ----------
        layers : list of Layer
            Layer ``l + 1`` reads the outputs of layer ``l``; each may belong to no other
            network. They are renamed ``"L1"``, ``"L2"``, ...

        Returns
        -------
        VectorizedNetwork

        Raises
        ------
        TypeError
            If an item is not a :class:`Layer`.
        ValueError
            If a layer's ``n_inputs`` is not the size of the layer before, a layer
            already belongs to a network, or a softmax layer is not the last.

        Examples
        --------
        >>> hidden = Layer(2, 3, "relu", weights=np.ones((2, 3)), bias=np.zeros(3))
        >>> output = Layer(3, 1, "identity", weights=np.ones((3, 1)), bias=np.zeros(1))
        >>> vec = VectorizedNetwork.from_layers([hidden, output])
        >>> vec.forward([1.0, 1.0]), hidden.name
        (array([6.]), 'L1')
        """
        for l, layer in enumerate(layers, start=1):
            if not isinstance(layer, Layer):
                raise TypeError(f"VectorizedNetwork: L{l} must be a Layer, got {layer!r}.")
            if l > 1 and layer.n_inputs != layers[l - 2].n_neurons:
                raise ValueError(f"VectorizedNetwork: L{l} expected {layers[l - 2].n_neurons} "
                                 f"inputs (the size of L{l - 1}), but has {layer.n_inputs}.")
            if layer.network is not None:
                raise ValueError(f"VectorizedNetwork: layer {layer.name} already belongs to a "
                                 f"network.")
        acts = [layer.activation_name for layer in layers]
        parse_activations(len(layers), acts, None, "VectorizedNetwork")
        net = cls.__new__(cls)
        net._adopt([layers[0].n_inputs] + [layer.n_neurons for layer in layers], list(layers))
        return net

    def _build(self, sizes, acts, weights, biases, dtype):
        layers = [Layer(W.shape[0], W.shape[1], act, weights=W, bias=b, dtype=dtype,
                        name=names.layer(l))                  # errors name the layer
                  for l, (act, W, b) in enumerate(zip(acts, weights, biases))]
        self._adopt(sizes, layers)

    def _adopt(self, sizes, layers):
        self._allocate(sizes, layers[0].dtype)
        self.layers = layers
        self.activation_names = [layer.activation_name for layer in layers]
        for l, layer in enumerate(layers):
            layer.use_storage(self._blocks[l], self._grad_blocks[l])
            layer.name, layer.network = names.layer(l), self
        self.output = None

    def __getitem__(self, name):
        """The layer called ``name``, e.g. ``vec["L1"]``."""
        try:
            return self.layers[names.parse_layer(name, len(self.layers))]
        except KeyError:
            raise KeyError(f"No layer {name!r}: this network has layers L1..L{len(self.layers)} "
                           f"(neurons are rows of a layer; use to_neurons() to get Neuron "
                           f"objects).") from None

    @property
    def dtype(self):
        """The float type of the parameters and of every computation (float64 or float32)."""
        return self._params.dtype

    # Every layer runs its own public forward and backward (see Layer).
    def _forward(self, X):
        recorder = self.recorder
        for l, layer in enumerate(self.layers):
            A = layer.forward(X, check=False)
            if recorder is not None:
                recorder.record(self, "forward", layer=l, x=X, z=layer.Z, a=A,
                                parameters=self._blocks[l])
            X = A
        self.output = X
        return X

    def _output_z(self):
        return self.layers[-1].Z

    def _backward(self, dL_dA, delta=None, to_inputs=True):
        recorder = self.recorder
        for l in range(len(self.layers) - 1, -1, -1):
            layer = self.layers[l]
            dL_dA = layer.backward(dL_dA, delta=delta, send=to_inputs or l > 0, check=False)
            if recorder is not None:
                recorder.record(self, "backward", layer=l, dL_da=layer.dL_da,
                                da_dz=layer.da_dz, delta=layer.delta,
                                gradients=self._grad_blocks[l], parameters=self._blocks[l])
            delta = None
        return dL_dA
