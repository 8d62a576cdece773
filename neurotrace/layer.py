"""A whole layer of neurons as matrices: ``Z = X @ W + b`` in one matrix product.

It computes exactly what that many :class:`~neurotrace.Neuron` objects compute:
column ``j`` of ``weights`` is neuron ``j``'s weights. A network of layers is a
:class:`~neurotrace.VectorizedNetwork`.
"""
import numpy as np

from . import activations
from ._checks import as_float_array, check_finite, check_inputs, check_size
from .init import initialize, make_rng

__all__ = ["Layer"]


class Layer:
    """``n_neurons`` neurons as matrices: ``weights`` ``(n_inputs, n_neurons)``, ``bias`` ``(n_neurons,)``.

    Parameters
    ----------
    n_inputs : int
        How many inputs every neuron of the layer reads.
    n_neurons : int
        How many neurons the layer has.
    activation : str or Activation, default="sigmoid"
        One of ``identity, sigmoid, tanh, relu, leaky_relu``, or ``"softmax"``
        (applied across the layer; for an output layer only).
    weights : array-like of shape (n_inputs, n_neurons), optional
        Explicit weights (column ``j`` is neuron ``j``'s); drawn with ``init`` otherwise.
    bias : array-like of shape (n_neurons,), optional
        Explicit biases; drawn with ``init`` otherwise.
    init : str, default="xavier"
        Initializer (see :mod:`neurotrace.init`) for what is not given.
    rng : numpy.random.Generator, optional
        Where random numbers come from (``default_rng()`` if not given).
    dtype : {numpy.float64, numpy.float32}, default=numpy.float64
        The float type of the parameters and of everything computed.
    name : str, default="layer"
        How errors name it; a network renames its layers ``"L1"``, ``"L2"``, ...

    Attributes
    ----------
    X, Z, A : ndarray
        The last forward pass: inputs ``(n_samples, n_inputs)`` (or ``(n_inputs,)``),
        ``Z`` and ``A`` of shape ``(n_samples, n_neurons)`` (or ``(n_neurons,)``).
    dL_da, da_dz, delta : ndarray of the shape of ``A``
        The last backward pass (``da_dz`` is None when ``delta`` was given).

    Raises
    ------
    ValueError
        If a size is not a positive int, the activation or ``dtype`` is not valid
        (softmax needs at least two neurons), or ``weights`` / ``bias`` have the wrong
        shape or hold NaN or inf.

    Examples
    --------
    >>> layer = Layer(2, 3, "relu", weights=np.ones((2, 3)), bias=np.zeros(3))
    >>> layer.forward(np.array([[1.0, 2.0]])).tolist()
    [[3.0, 3.0, 3.0]]
    >>> layer.backward(np.ones((1, 3))).tolist()      # dL/dX = delta W^T
    [[3.0, 3.0]]
    >>> layer.grad_weights.tolist()                   # dL/dW = X^T delta
    [[1.0, 1.0, 1.0], [2.0, 2.0, 2.0]]
    """

    def __init__(self, n_inputs, n_neurons, activation="sigmoid", *, weights=None, bias=None,
                 init="xavier", rng=None, dtype=np.float64, name="layer"):
        self.name = name
        owner = self._owner
        self.n_inputs = check_size(n_inputs, "n_inputs", owner)
        self.n_neurons = check_size(n_neurons, "n_neurons", owner)
        if activation != "softmax":
            activation = activations.get(activation, owner)
        elif self.n_neurons == 1:
            # Softmax over one output is exp(z) / exp(z) = 1 whatever z is: every gradient 0.
            output = f"{name}.N0" if name != "layer" else "(n_neurons=1)"
            raise ValueError(
                f"{owner}: softmax over a single output {output} is always 1.0 "
                f"(exp(z) / exp(z)), so every gradient would be 0. For two classes use one "
                f"sigmoid output (with bce), or two softmax outputs.")
        self.activation = activation
        self.dtype = np.dtype(dtype)
        if self.dtype not in (np.float64, np.float32):
            raise ValueError(f"{owner}: dtype must be float64 or float32, got {dtype!r}.")
        shape = (self.n_neurons, self.n_inputs + 1)
        self.use_storage(np.empty(shape, self.dtype), np.zeros(shape, self.dtype))
        if weights is None or bias is None:
            w0, b0 = initialize(init, self.n_inputs, self.n_neurons, make_rng(rng=rng),
                                owner)
        self.weights = w0 if weights is None else weights
        self.bias = b0 if bias is None else bias
        self.network = None               # the network this layer belongs to, if any
        self.forget()

    def use_storage(self, block, grad_block):
        """Keep parameters in ``block`` (row j = neuron j's ``[w, b]``) and gradients in ``grad_block``.

        Both are used as they are (a network hands each layer its block of the one
        parameter vector). The current values are copied in.

        Parameters
        ----------
        block, grad_block : ndarray of shape (n_neurons, n_inputs + 1)
        """
        if hasattr(self, "block"):
            block[...] = self.block
        self.block, self.grad_block = block, grad_block
        self._W, self._b = block[:, :-1].T, block[:, -1]
        self._gW, self._gb = grad_block[:, :-1].T, grad_block[:, -1]

    def forget(self):
        """Drop what the last forward and backward passes remembered."""
        self.X = self.Z = self.A = None
        self.dL_da = self.da_dz = self.delta = None

    @property
    def is_softmax(self):
        """True when this layer applies softmax across its neurons (an output layer only)."""
        return self.activation == "softmax"

    @property
    def activation_name(self):
        """The activation's name, ``"softmax"`` included."""
        return "softmax" if self.is_softmax else self.activation.name

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
        value = as_float_array(value, what, self._owner, self.dtype)
        if value.shape != target.shape:
            raise ValueError(f"{self._owner} expected {what} of shape {target.shape}, "
                             f"got array of shape {value.shape}.")
        check_finite(value, what, self._owner)
        target[...] = value

    @property
    def grad_weights(self):
        """dL/dweights from the last backward pass, shape ``(n_inputs, n_neurons)`` (a live view)."""
        return self._gW

    @property
    def grad_bias(self):
        """dL/dbias from the last backward pass, shape ``(n_neurons,)`` (a live view)."""
        return self._gb

    # --- forward and backward -------------------------------------------------------------
    def forward(self, X, *, check=True):
        """``A = f(X @ weights + bias)``: ``(n_neurons,)`` or ``(n_samples, n_neurons)``.

        Parameters
        ----------
        X : ndarray of shape (n_inputs,) or (n_samples, n_inputs)
            One sample or a batch.
        check : bool, default=True
            ``False``: ``X`` is not checked (a network checks its inputs once, and
            silences numpy's floating-point warnings once for the whole pass).

        Returns
        -------
        A : ndarray of shape (n_neurons,) or (n_samples, n_neurons)
            The layer's activations (softmax across the layer for a softmax layer).
        """
        if check:
            X = check_inputs(X, self.n_inputs, self._owner, self.dtype, copy=True)
            with np.errstate(over="ignore"):              # see Activation.value_unguarded
                return self.forward(X, check=False)
        self.X = X
        Z = X @ self._W                                   # Z = X W + b, all neurons at once
        Z += self._b
        if self.is_softmax:
            A = activations.softmax(Z)                    # P = softmax(Z), across the layer
        else:
            A = self.activation.value_unguarded(Z)        # A = f(Z)
        self.Z, self.A = Z, A
        return A

    def backward(self, dL_da=None, *, delta=None, send=True, check=True):
        """Store the gradients; return dL/dX for the layer before (None if not ``send``).

        Parameters
        ----------
        dL_da : ndarray shaped like ``A``, optional
            The gradient of the loss with respect to the layer's outputs.
        delta : ndarray shaped like ``A``, optional
            dL/dZ itself, when known (the fused output gradients); then ``dL_da`` is
            not used.
        send : bool, default=True
            ``False``: compute no dL/dX (the first layer in training).
        check : bool, default=True
            ``False``: ``dL_da`` is not checked (a network made it).

        Returns
        -------
        dL_dX : ndarray of shape (n_inputs,) or (n_samples, n_inputs), or None
            ``delta @ weights.T``, what the layer before receives (None when not ``send``).
        """
        if check:
            if self.A is None:
                raise RuntimeError(f"{self._owner}: call forward before backward.")
            dL_da = as_float_array(dL_da, "dL/da", self._owner, self.dtype, copy=True)
            if dL_da.shape != self.A.shape:
                raise ValueError(f"{self._owner}: dL/da must have the shape of A, "
                                 f"{self.A.shape}, got {dL_da.shape}.")
            check_finite(dL_da, "dL/da", self._owner)
            if self.is_softmax:
                delta = activations.softmax_vjp(self.A, dL_da)
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
            np.add.reduce(delta, axis=0, out=self._gb)    # dL/db = delta summed over samples
        if not send:
            return None
        return delta @ self._W.T                          # dL/dX = delta W^T: every error sent, added up

    @property
    def _owner(self):
        """How error messages name this layer: ``Layer L2``, or just ``Layer``."""
        return "Layer" if self.name == "layer" else f"Layer {self.name}"

    def __repr__(self):
        return f"Layer({self.n_inputs}, {self.n_neurons}, {self.activation_name!r}, name={self.name!r})"
