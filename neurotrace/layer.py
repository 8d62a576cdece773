"""The vectorized backend: a whole layer is one matrix product, ``Z = X @ W + b``.

It computes exactly what the neuron objects compute. Column ``j`` of a layer's
``weights`` is neuron ``j``'s weights, so :meth:`NeuralNetwork.to_vectorized`
and :meth:`VectorizedNetwork.to_neurons` convert by copying numbers.
"""
import numpy as np

from . import activations
from ._checks import as_float_array, check_finite, check_inputs, check_size
from ._network import NetworkBase, check_sizes, parse_activations
from .init import initialize, make_rng
from .network import check_weights

__all__ = ["Layer", "VectorizedNetwork"]


class Layer:
    """``n_neurons`` neurons as matrices: ``weights`` ``(n_inputs, n_neurons)``, ``bias`` ``(n_neurons,)``.

    Examples
    --------
    >>> layer = Layer(2, 3, "relu", weights=np.ones((2, 3)), bias=np.zeros(3))
    >>> layer.forward(np.array([[1.0, 2.0]])).tolist()
    [[3.0, 3.0, 3.0]]
    """

    def __init__(self, n_inputs, n_neurons, activation="sigmoid", *, weights=None, bias=None,
                 init="xavier", rng=None, dtype=np.float64, name="layer"):
        self.name = name
        self.n_inputs = check_size(n_inputs, "n_inputs", f"Layer {name}")
        self.n_neurons = check_size(n_neurons, "n_neurons", f"Layer {name}")
        if activation != "softmax":
            activation = activations.get(activation, f"Layer {name}")
        self.activation = activation
        self.dtype = np.dtype(dtype)
        if self.dtype not in (np.float64, np.float32):
            raise ValueError(f"Layer {name}: dtype must be float64 or float32, got {dtype!r}.")
        shape = (self.n_neurons, self.n_inputs + 1)
        self._bind(np.empty(shape, self.dtype), np.zeros(shape, self.dtype))
        if weights is None or bias is None:
            w0, b0 = initialize(init, self.n_inputs, self.n_neurons, make_rng(rng=rng),
                                f"Layer {name}")
        self.weights = w0 if weights is None else weights
        self.bias = b0 if bias is None else bias
        self._owned = False
        self.forget()

    def _bind(self, block, grad_block):
        """Keep parameters in ``block`` (row j = neuron j's ``[w, b]``) and gradients in ``grad_block``."""
        self._block, self._grad_block = block, grad_block
        self._W, self._b = block[:, :-1].T, block[:, -1]
        self._gW, self._gb = grad_block[:, :-1].T, grad_block[:, -1]

    def forget(self):
        """Drop what the last forward and backward passes remembered."""
        self.X = self.Z = self.A = None
        self.dL_da = self.da_dz = self.delta = None

    @property
    def softmax(self):
        return self.activation == "softmax"

    @property
    def activation_name(self):
        return "softmax" if self.softmax else self.activation.name

    # --- parameters --------------------------------------------------------------------
    @property
    def weights(self):
        """Shape ``(n_inputs, n_neurons)``; column ``j`` is neuron ``j`` (a live view)."""
        return self._W

    @weights.setter
    def weights(self, value):
        self._set(self._W, value, "weights")

    @property
    def bias(self):
        """Shape ``(n_neurons,)`` (a live view)."""
        return self._b

    @bias.setter
    def bias(self, value):
        self._set(self._b, value, "bias")

    def _set(self, target, value, what):
        value = as_float_array(value, what, f"Layer {self.name}", self.dtype)
        if value.shape != target.shape:
            raise ValueError(f"Layer {self.name} expected {what} of shape {target.shape}, "
                             f"got array of shape {value.shape}.")
        check_finite(value, what, f"Layer {self.name}")
        target[...] = value

    @property
    def grad_weights(self):
        return self._gW

    @property
    def grad_bias(self):
        return self._gb

    # --- forward and backward -------------------------------------------------------------
    def forward(self, X):
        """``A = f(X @ weights + bias)``: ``(n_neurons,)`` or ``(n_samples, n_neurons)``."""
        return self._forward(check_inputs(X, self.n_inputs, f"Layer {self.name}", self.dtype))

    def _forward(self, X):
        self.X = X
        Z = X @ self._W                                   # Z = X W + b, all neurons at once
        Z += self._b
        if self.softmax:
            A = activations.softmax(Z)                    # P = softmax(Z), across the layer
        else:
            A = self.activation.value(Z)                  # A = f(Z)
        self.Z, self.A = Z, A
        return A

    def backward(self, dL_da):
        """Store the gradients; return dL/dX for the layer before."""
        if self.A is None:
            raise RuntimeError(f"Layer {self.name}: call forward before backward.")
        dL_da = as_float_array(dL_da, "dL/da", f"Layer {self.name}", self.dtype)
        if dL_da.shape != self.A.shape:
            raise ValueError(f"Layer {self.name}: dL/da must have the shape of A, "
                             f"{self.A.shape}, got {dL_da.shape}.")
        check_finite(dL_da, "dL/da", f"Layer {self.name}")
        delta = activations.softmax_vjp(self.A, dL_da) if self.softmax else None
        return self._backward(dL_da, delta)

    def _backward(self, dL_da, delta=None, to_inputs=True):
        self.dL_da = dL_da
        if delta is None:
            self.da_dz = self.activation.derivative(self.Z, self.A)   # f'(Z)
            delta = dL_da * self.da_dz                                # delta = dL/da * f'(Z)
        else:
            self.da_dz = None                             # softmax or fused: delta is given
        self.delta = delta
        X = self.X
        if X.ndim == 1:
            np.multiply.outer(X, delta, out=self._gW)     # dL/dW = x delta^T
            self._gb[...] = delta                         # dL/db = delta
        else:
            np.matmul(X.T, delta, out=self._gW)           # dL/dW = X^T delta, summed over samples
            self._gb[...] = delta.sum(axis=0)             # dL/db = delta summed over samples
        if not to_inputs:
            return None
        return delta @ self._W.T                          # dL/dX = delta W^T: every error sent, added up

    def __repr__(self):
        return f"Layer({self.n_inputs}, {self.n_neurons}, {self.activation_name!r}, name={self.name!r})"


class VectorizedNetwork(NetworkBase):
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
        names = parse_activations(len(sizes) - 1, activation, output_activation,
                                  "VectorizedNetwork")
        rng = make_rng(seed, rng)
        drawn = [initialize(init, n_in, n_out, rng, "VectorizedNetwork")
                 for n_in, n_out in zip(sizes[:-1], sizes[1:])]
        self._build(sizes, names, [w for w, b in drawn], [b for w, b in drawn], dtype)

    @classmethod
    def from_weights(cls, weights, biases, activation="sigmoid", output_activation=None,
                     dtype=np.float64):
        """A network with explicit ``weights[l]`` ``(n_inputs, n_neurons)`` and ``biases[l]``."""
        weights, biases = check_weights(weights, biases, "VectorizedNetwork.from_weights")
        sizes = [weights[0].shape[0]] + [w.shape[1] for w in weights]
        names = parse_activations(len(weights), activation, output_activation,
                                  "VectorizedNetwork.from_weights")
        net = cls.__new__(cls)
        net._build(sizes, names, weights, biases, dtype)
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
        names = [layer.activation_name for layer in layers]
        parse_activations(len(layers), names, None, "VectorizedNetwork")
        net = cls.__new__(cls)
        net._adopt([layers[0].n_inputs] + [layer.n_neurons for layer in layers], list(layers))
        return net

    def _build(self, sizes, names, weights, biases, dtype):
        layers = [Layer(W.shape[0], W.shape[1], name, weights=W, bias=b, dtype=dtype)
                  for name, W, b in zip(names, weights, biases)]
        self._adopt(sizes, layers)

    def _adopt(self, sizes, layers):
        self._allocate(sizes, layers[0].dtype)
        self.layers = layers
        self.activation_names = [layer.activation_name for layer in layers]
        for l, layer in enumerate(layers):
            self._blocks[l][...] = layer._block
            layer._bind(self._blocks[l], self._grad_blocks[l])
            layer.name, layer._owned = f"L{l + 1}", True
        self.output = None

    def __getitem__(self, name):
        """The layer called ``name``, e.g. ``vec["L1"]``."""
        try:
            l = int(name[1:]) - 1
            if name[0] != "L" or not 0 <= l < len(self.layers):
                raise ValueError
        except (ValueError, TypeError, IndexError):
            raise KeyError(f"No layer {name!r}: this network has layers "
                           f"L1..L{len(self.layers)} (neurons are rows of a layer; use "
                           f"to_neurons() to get Neuron objects).") from None
        return self.layers[l]

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

    def to_neurons(self):
        """The same network as a :class:`NeuralNetwork` of neuron objects (weights copied exactly)."""
        from .network import NeuralNetwork
        if self.dtype != np.float64:
            raise ValueError("VectorizedNetwork.to_neurons: neuron objects compute in float64; "
                             "this network is float32. Convert from a float64 network.")
        W = [w.copy() for w, b in self.parameters()]
        b = [b.copy() for w, b in self.parameters()]
        return NeuralNetwork.from_weights(W, b, self.activation_names[:-1],
                                          self.activation_names[-1])
