"""One artificial neuron that owns its weights and backpropagates its own error."""
import numpy as np

from . import activations
from ._checks import as_float_array, check_finite, check_inputs, check_size
from .init import initialize, make_rng

__all__ = ["Neuron"]


class Neuron:
    """A neuron: ``z = x @ weights + bias``, ``a = f(z)``.

    Parameters
    ----------
    n_inputs : int
        How many inputs the neuron reads.
    activation : str or Activation, default="sigmoid"
        One of ``identity, sigmoid, tanh, relu, leaky_relu``.
    weights : array-like of shape (n_inputs,), optional
        Explicit weights; drawn with ``init`` otherwise.
    bias : float, optional
        Explicit bias; drawn with ``init`` otherwise.
    init : str, default="xavier"
        Initializer (see :mod:`neurotrace.init`) for what is not given.
    rng : numpy.random.Generator, optional
        Where random numbers come from (``default_rng()`` if not given).
    name : str, default="neuron"
        Its name in messages and pictures; a network names it ``L{l}.N{j}``.

    Attributes
    ----------
    weights : ndarray of shape (n_inputs,)
        ``w``, one per input (a live view: changing it changes the neuron).
    bias : float
        ``b``.
    x : ndarray of shape (n_inputs,) or (n_samples, n_inputs)
        The input of the last forward pass.
    z : float or ndarray of shape (n_samples,)
        The pre-activation of the last forward pass, ``z = x @ w + b``.
    a : float or ndarray of shape (n_samples,)
        The activation (the neuron's output), ``a = f(z)``.
    dL_da : float or ndarray of shape (n_samples,)
        The upstream gradient the last backward pass received: how the loss
        changes with this neuron's output.
    da_dz : float or ndarray of shape (n_samples,)
        The local derivative ``f'(z)`` at the last forward pass.
    delta : float or ndarray of shape (n_samples,)
        ``delta = dL/dz = dL_da * da_dz``.
    grad_weights : ndarray of shape (n_inputs,)
        ``dL/dw = delta * x`` (summed over the samples of a batch).
    grad_bias : float
        ``dL/db = delta`` (summed over the samples of a batch).
    to_predecessors : ndarray of shape (n_inputs,) or (n_samples, n_inputs)
        The error sent back, ``delta * w``: entry ``i`` goes to the neuron (or
        input) that feeds input ``i``.

    Values not computed yet (before the first forward or backward) are ``None``.
    ``print(neuron)`` shows the weights, the bias and the last values.

    Examples
    --------
    >>> n = Neuron(3, "relu", weights=[-3.0, -1.0, 2.0], bias=1.0)
    >>> a = n.forward(np.array([1.0, -2.0, 3.0]))
    >>> a
    6.0
    >>> n.backward(2 * a).tolist()   # dL/dx for L = a**2
    [-36.0, -12.0, 24.0]
    >>> n.grad_weights.tolist(), n.grad_bias
    ([12.0, -24.0, 36.0], 12.0)
    """

    def __init__(self, n_inputs, activation="sigmoid", *, weights=None, bias=None,
                 init="xavier", rng=None, name="neuron"):
        self.name = name
        owner = "Neuron" if name == "neuron" else f"Neuron {name}"   # not "Neuron neuron"
        self.n_inputs = check_size(n_inputs, "n_inputs", owner)
        if activation == "softmax":
            raise ValueError(
                f"{owner}: softmax couples all the neurons of a layer, so one neuron "
                f"cannot apply it. Use NeuralNetwork(..., output_activation='softmax').")
        self.activation = activations.get(activation, owner)
        self._f, self._df = self.activation.scalar, self.activation.scalar_derivative
        w0, b0 = (None, None)
        if weights is None or bias is None:
            w0, b0 = initialize(init, self.n_inputs, 1, make_rng(rng=rng), owner)
        # Parameters and gradients live in one array each, [w_0 ... w_{n-1}, b], so that
        # a network can hold all its neurons' parameters in one flat vector (see _bind).
        self._bind(np.empty(self.n_inputs + 1), np.zeros(self.n_inputs + 1))
        self.weights = w0[:, 0] if weights is None else weights
        self.bias = b0[0] if bias is None else bias
        self._owned = False
        self.forget()

    @property
    def _owner(self):
        """How error messages name this neuron: ``Neuron L2.N1``, or just ``Neuron``."""
        return "Neuron" if self.name == "neuron" else f"Neuron {self.name}"

    def _bind(self, params, grads):
        """Keep parameters in ``params`` and gradients in ``grads`` (views, not copies)."""
        self._params, self._grads = params, grads
        self._w, self._gw = params[:-1], grads[:-1]

    def forget(self):
        """Drop what the last forward and backward passes remembered."""
        self._x = self._x1 = self.z = self.a = None
        self.dL_da = self.da_dz = self.delta = self.to_predecessors = None

    @property
    def x(self):
        """The input of the last forward pass: ``(n_inputs,)`` or ``(n_samples, n_inputs)``."""
        x1 = self._x1
        return self._x if x1 is None else x1[:-1]

    # --- parameters --------------------------------------------------------------
    @property
    def weights(self):
        """The weights, shape ``(n_inputs,)`` (a live view: changing it changes the neuron)."""
        return self._w

    @weights.setter
    def weights(self, value):
        value = as_float_array(value, "weights", self._owner)
        if value.shape != (self.n_inputs,):
            raise ValueError(f"{self._owner} expected weights of shape ({self.n_inputs},), "
                             f"got array of shape {value.shape}.")
        check_finite(value, "weights", self._owner)
        self._w[...] = value

    @property
    def bias(self):
        return float(self._params[-1])

    @bias.setter
    def bias(self, value):
        value = as_float_array(value, "bias", self._owner)
        if value.size != 1:
            raise ValueError(f"{self._owner} expected one bias, got shape {value.shape}.")
        check_finite(value, "bias", self._owner)
        self._params[-1] = value.item()

    @property
    def grad_weights(self):
        """dL/dw from the last backward pass, shape ``(n_inputs,)``."""
        return self._gw

    @property
    def grad_bias(self):
        """dL/db from the last backward pass."""
        return float(self._grads[-1])

    # --- forward ---------------------------------------------------------------
    def forward(self, x):
        """``a = f(x @ weights + bias)``: a float for one sample, ``(n_samples,)`` for a batch."""
        x = check_inputs(x, self.n_inputs, self.name)
        if x.ndim == 2:
            return self._forward_batch(x)
        # float(): relu's a is numpy's float64 on this path; one sample gives a plain float.
        return float(self._forward_one(np.append(x, 1.0)))

    def _forward_one(self, x1):
        """One sample, given as ``x1 = [x, 1]``: z and a are single floats.

        With a 1 appended to the input, the bias is just the weight of that constant
        input, so ``z = [x, 1] . [w, b]`` is one dot product with the neuron's
        parameters, and one product gives both gradients in backward.
        """
        self._x1 = x1
        self.z = z = x1.dot(self._params)                  # z = sum_i w_i x_i + b * 1
        self.a = a = self._f(z)                            # a = f(z)
        return a

    def _forward_batch(self, X):
        """A batch: one value of z and a per sample, in one call."""
        self._x, self._x1 = X, None
        self.z = z = X.dot(self._w) + self._params[-1]    # z = X w + b
        self.a = a = self.activation.value(z)              # a = f(z)
        return a

    # --- backward --------------------------------------------------------------
    def backward(self, dL_da):
        """Store ``delta``, ``grad_weights``, ``grad_bias``; return dL/dx for the predecessors.

        It never changes the weights (that is the optimizer's job). The error it
        sends back is ``delta * weights`` with the weights as they are now: change
        them between forward and backward and that error is no longer the gradient.
        """
        if self.a is None:
            raise RuntimeError(f"{self._owner}: call forward before backward.")
        dL_da = as_float_array(dL_da, "dL/da", self._owner)
        if dL_da.shape != np.shape(self.a):
            raise ValueError(f"{self._owner}: dL/da must have the shape of a, "
                             f"{np.shape(self.a)}, got {dL_da.shape}.")
        check_finite(dL_da, "dL/da", self._owner)
        if dL_da.ndim == 0:
            return self._backward_one(float(dL_da), np.empty(self.n_inputs))
        return self._backward_batch(dL_da, np.empty(self.x.shape))

    def _backward_one(self, dL_da, out):
        """One sample. ``out`` receives the error for the predecessors (None: not needed)."""
        self.dL_da = dL_da
        self.da_dz = da_dz = self._df(self.z, self.a)     # f'(z)
        return self._send_one(dL_da * da_dz, out)          # delta = dL/da * f'(z)

    def _send_one(self, delta, out):
        self.delta = delta
        np.multiply(self._x1, delta, out=self._grads)      # dL/dw = delta * x, dL/db = delta * 1
        if out is not None:
            np.multiply(self._w, delta, out=out)           # sent back: dL/dx = delta * w
        self.to_predecessors = out
        return out

    def _backward_batch(self, dL_da, out):
        """A batch: ``dL_da`` and ``delta`` have one value per sample."""
        self.dL_da = dL_da
        self.da_dz = da_dz = self.activation.derivative(self.z, self.a)   # f'(z)
        return self._send_batch(dL_da * da_dz, out)                       # delta = dL/da * f'(z)

    def _send_batch(self, delta, out):
        self.delta = delta
        np.dot(delta, self._x, out=self._gw)               # dL/dw = sum over samples of delta x
        self._grads[-1] = delta.sum()                      # dL/db = sum over samples of delta
        if out is not None:
            np.multiply.outer(delta, self._w, out=out)     # sent back, per sample: delta * w
        self.to_predecessors = out
        return out

    def __repr__(self):
        return f"Neuron({self.n_inputs}, {self.activation.name!r}, name={self.name!r})"

    def __str__(self):
        """The neuron with its weights, its bias and the values of the last passes.

        >>> n = Neuron(2, "relu", weights=[0.5, -1.0], bias=0.25, name="L1.N0")
        >>> print(n)
        Neuron L1.N0 (2 inputs, relu)
          weights w: [ 0.5 -1. ]
          bias b:    0.25
        >>> _ = n.forward(np.array([2.0, 0.5])); _ = n.backward(1.0)
        >>> print(n)
        Neuron L1.N0 (2 inputs, relu)
          weights w: [ 0.5 -1. ]
          bias b:    0.25
          forward:   x = [2.  0.5]  z = 0.75  a = 0.75
          backward:  dL/da = 1  f'(z) = 1  delta = 1  dL/dw = [2.  0.5]  dL/db = 1
        """
        def show(value):
            return np.array2string(np.asarray(value), precision=4, threshold=8) \
                if np.ndim(value) else f"{float(value):.4g}"
        title = "Neuron" if self.name == "neuron" else f"Neuron {self.name}"   # unnamed: no name
        lines = [f"{title} ({self.n_inputs} inputs, {self.activation.name})",
                 f"  weights w: {show(self.weights)}", f"  bias b:    {show(self.bias)}"]
        if self.a is not None:
            lines.append(f"  forward:   x = {show(self.x)}  z = {show(self.z)}  a = {show(self.a)}")
        if self.delta is not None:
            lines.append(f"  backward:  dL/da = {show(self.dL_da)}  f'(z) = {show(self.da_dz)}  "
                         f"delta = {show(self.delta)}  dL/dw = {show(self.grad_weights)}  "
                         f"dL/db = {show(self.grad_bias)}")
        return "\n".join(lines)
