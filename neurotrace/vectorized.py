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

    ``dtype=np.float32`` trades precision for speed (the default is float64).

    Examples
    --------
    >>> import neurotrace as nt
    >>> net = nt.NeuralNetwork([2, 3, 1], seed=0)
    >>> vec = VectorizedNetwork([2, 3, 1], seed=0)      # the same seed, the same weights
    >>> bool(np.all(vec.flat_parameters == net.flat_parameters))
    True
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
        """A network with explicit ``weights[l]`` ``(n_inputs, n_neurons)`` and ``biases[l]``."""
        weights, biases = check_weights(weights, biases, "VectorizedNetwork.from_weights")
        sizes = [weights[0].shape[0]] + [w.shape[1] for w in weights]
        acts = parse_activations(len(weights), activation, output_activation,
                                  "VectorizedNetwork.from_weights")
        net = cls.__new__(cls)
        net._build(sizes, acts, weights, biases, dtype)
        return net

    @classmethod
    def from_layers(cls, layers):
        """Adopt ready-made :class:`Layer` objects (their parameters move into the network)."""
        for l, layer in enumerate(layers, start=1):
            if not isinstance(layer, Layer):
                raise TypeError(f"VectorizedNetwork: L{l} must be a Layer, got {layer!r}.")
            if l > 1 and layer.n_inputs != layers[l - 2].n_neurons:
                raise ValueError(f"VectorizedNetwork: L{l} expected {layers[l - 2].n_neurons} "
                                 f"inputs (the size of L{l - 1}), but has {layer.n_inputs}.")
            if layer._owned:
                raise ValueError(f"VectorizedNetwork: layer {layer.name} already belongs to a "
                                 f"network.")
        acts = [layer.activation_name for layer in layers]
        parse_activations(len(layers), acts, None, "VectorizedNetwork")
        net = cls.__new__(cls)
        net._adopt([layers[0].n_inputs] + [layer.n_neurons for layer in layers], list(layers))
        return net

    def _build(self, sizes, acts, weights, biases, dtype):
        layers = [Layer(W.shape[0], W.shape[1], name, weights=W, bias=b, dtype=dtype)
                  for name, W, b in zip(acts, weights, biases)]
        self._adopt(sizes, layers)

    def _adopt(self, sizes, layers):
        self._allocate(sizes, layers[0].dtype)
        self.layers = layers
        self.activation_names = [layer.activation_name for layer in layers]
        for l, layer in enumerate(layers):
            self._blocks[l][...] = layer._block
            layer._bind(self._blocks[l], self._grad_blocks[l])
            layer.name, layer._owned = names.layer(l), True
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
        return self._params.dtype

    def _forward(self, X):
        recorder = self.recorder
        for l, layer in enumerate(self.layers):
            X = layer._forward(X)
            if recorder is not None:
                recorder.record(self, "forward", layer=l, a=X)
        self.output = X
        return X

    def _output_z(self):
        return self.layers[-1].Z

    def _backward(self, dL_dA, delta=None, to_inputs=True):
        recorder = self.recorder
        for l in range(len(self.layers) - 1, -1, -1):
            dL_dA = self.layers[l]._backward(dL_dA, delta, to_inputs or l > 0)
            if recorder is not None:
                recorder.record(self, "backward", layer=l)
            delta = None
        return dL_dA
