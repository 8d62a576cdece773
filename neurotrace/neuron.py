"""One artificial neuron that owns its weights and backpropagates its own error."""
import numpy as np

from . import activations
from ._checks import as_float_array, check_finite, check_inputs, check_size
from .init import initialize, make_rng

__all__ = ["Neuron", "with_ones"]


def with_ones(x):
    """``[x, 1]``: the inputs with a 1 appended to each sample, as a neuron keeps them.

    Then ``z = x1 . [w, b]`` is one dot product (see :attr:`Neuron.x1`). A batch is
    stored column by column (Fortran order), so that a network can fill one layer's
    outputs neuron by neuron, row by row of the transpose; every batch a neuron sees
    has that layout, so every pass sums in the same order.

    Parameters
    ----------
    x : ndarray of shape (n_inputs,) or (n_samples, n_inputs)

    Returns
    -------
    x1 : ndarray of shape (n_inputs + 1,) or (n_samples, n_inputs + 1)

    Examples
    --------
    >>> with_ones(np.array([[2.0, 3.0], [4.0, 5.0]])).tolist()
    [[2.0, 3.0, 1.0], [4.0, 5.0, 1.0]]
    """
    if x.ndim == 1:
        x1 = np.empty(len(x) + 1)
        x1[:-1] = x
        x1[-1] = 1.0
        return x1
    x1T = np.empty((x.shape[1] + 1, x.shape[0]))
    x1T[:-1] = x.T
    x1T[-1] = 1.0
    return x1T.T


class Neuron:
    """A neuron: ``z = x @ weights + bias``, ``a = f(z)``.

    :meth:`forward` and :meth:`backward` carry the equations, top to bottom, and a
    :class:`~neurotrace.NeuralNetwork` runs exactly these two methods for every
    neuron, for one sample and for a batch. (The network checks its inputs once and
    passes ``check=False``; called on its own, a neuron checks what it is given.)

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
        # f and f' on one number (Python floats: much faster than numpy on one value)
        self.f, self.df = self.activation.scalar, self.activation.scalar_derivative
        w0, b0 = (None, None)
        if weights is None or bias is None:
            w0, b0 = initialize(init, self.n_inputs, 1, make_rng(rng=rng), owner)
        self.use_storage(np.empty(self.n_inputs + 1), np.zeros(self.n_inputs + 1))
        self.weights = w0[:, 0] if weights is None else weights
        self.bias = b0[0] if bias is None else bias
        self.network = None               # the network this neuron belongs to, if any
        self.forget()

    @property
    def _owner(self):
        """How error messages name this neuron: ``Neuron L2.N1``, or just ``Neuron``."""
        return "Neuron" if self.name == "neuron" else f"Neuron {self.name}"

    def use_storage(self, parameters, gradients):
        """Keep ``[w_0, ..., w_{n-1}, b]`` in ``parameters`` and dL/d of them in ``gradients``.

        Both are used as they are (not copied): a network hands every neuron its row
        of the network's one parameter vector, so an optimizer updates all neurons at
        once. The current values are copied in.

        Parameters
        ----------
        parameters, gradients : ndarray of shape (n_inputs + 1,)
        """
        parameters[...] = getattr(self, "parameters", parameters)
        self.parameters, self.gradients = parameters, gradients
        # Speed device 1, views made once: `_w` is the weights part of `parameters`
        # (`weights` without the property's call) and `_gw` that of `gradients`.
        self._w, self._gw = parameters[:-1], gradients[:-1]
        # Speed device 2, a 0-d array for delta: numpy multiplies an array by a 0-d
        # array about twice as fast as by a Python float (which it must convert first).
        self._delta = np.empty(())

    def forget(self):
        """Drop what the last forward and backward passes remembered."""
        self._x = self.z = self.a = None
        self.dL_da = self.da_dz = self.delta = self.to_predecessors = None

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
        """The bias ``b``, a float (setting it changes the neuron's parameters).

        Returns
        -------
        bias : float
        """
        return float(self.parameters[-1])

    @bias.setter
    def bias(self, value):
        value = as_float_array(value, "bias", self._owner)
        if value.size != 1:
            raise ValueError(f"{self._owner} expected one bias, got shape {value.shape}.")
        check_finite(value, "bias", self._owner)
        self.parameters[-1] = value.item()

    @property
    def grad_weights(self):
        """dL/dw from the last backward pass, shape ``(n_inputs,)``: a copy, yours to keep."""
        return self._gw.copy()

    @property
    def grad_bias(self):
        """dL/db from the last backward pass."""
        return float(self.gradients[-1])

    # --- forward -----------------------------------------------------------------
    def forward(self, x, *, check=True, out=None):
        """``a = f(x @ weights + bias)``: a float for one sample, ``(n_samples,)`` for a batch.

        Parameters
        ----------
        x : ndarray of shape (n_inputs,) or (n_samples, n_inputs)
        check : bool, default=True
            Check ``x`` (shape, numbers, finite). A network passes ``False``: it has
            checked its inputs once, and every layer's input is the layer before's
            output; it then gives ``x`` with a 1 appended to each sample (see :attr:`x1`),
            and silences numpy's floating-point warnings once for the whole pass.
        out : ndarray of shape (n_samples,), optional
            For a batch, where to write ``a`` (a network passes its row of the layer's
            outputs).

        Returns
        -------
        a : float or ndarray of shape (n_samples,)
            The activation: a float for one sample, one value per sample for a batch.
        """
        if check:
            x = check_inputs(x, self.n_inputs, self.name, copy=True)
            x = with_ones(x)
            with np.errstate(over="ignore"):      # see Activation.value_unguarded
                return self.forward(x, check=False, out=out)
        self._x = x
        if x.ndim == 1:        # one sample: z and a are numbers
            self.z = z = float(x.dot(self.parameters))      # z = x . w + b * 1   (x is [x, 1])
            self.a = a = self.f(z)                          # a = f(z)
        else:                  # a batch: one z and one a per sample
            self.z = z = x.dot(self.parameters)             # z = x . w + b * 1, per sample
            self.a = a = self.activation.on_samples(z, out)  # a = f(z), per sample
        return a

    @property
    def x(self):
        """The input of the last forward pass: ``(n_inputs,)`` or ``(n_samples, n_inputs)``."""
        x = self._x
        return None if x is None else x[..., :-1]

    @property
    def x1(self):
        """Speed device 3, the bias as the weight of an input that is always 1.

        The neuron keeps its input as ``x1 = [x_0, ..., x_{n-1}, 1]`` (one such row per
        sample of a batch): then ``z = x1 . [w, b]`` is one dot product with
        :attr:`parameters`, and ``dL/d[w, b] = delta * x1`` (summed over a batch's
        samples) one product.
        """
        return self._x

    # --- backward ----------------------------------------------------------------
    def backward(self, dL_da=None, *, delta=None, out=None, send=True, check=True):
        """Store ``delta``, ``grad_weights``, ``grad_bias``; return dL/dx for the predecessors.

        It never changes the weights (that is the optimizer's job). The error it
        sends back is ``delta * weights`` with the weights as they are now: change
        them between forward and backward and that error is no longer the gradient.

        Parameters
        ----------
        dL_da : float or ndarray of shape (n_samples,)
            The gradient of the loss with respect to this neuron's output ``a``.
        delta : float or ndarray of shape (n_samples,), optional
            ``dL/dz`` itself, when the layer already knows it (a softmax output layer,
            or the fused softmax + cross-entropy and sigmoid + bce gradients); then
            ``dL_da`` and ``f'(z)`` are not used.
        out : ndarray of shape like ``x``, optional
            Where to write the error sent back (a network passes its buffer's row).
        send : bool, default=True
            ``False``: compute no error for the predecessors (the first layer in
            training, whose inputs are data); returns None.
        check : bool, default=True
            Check ``dL_da`` (a network passes ``False``: it made it).

        Returns
        -------
        sent : ndarray of shape (n_inputs,) or (n_samples, n_inputs), or None
            ``delta * weights``, the error sent to each predecessor (None when not ``send``).
        """
        if check:
            dL_da, delta = self.check_backward(dL_da, delta)
        x = self._x                                        # [x, 1]: see x1
        self.dL_da = dL_da
        if x.ndim == 1:                                    # one sample: numbers
            if delta is None:
                self.da_dz = da_dz = self.df(self.z, self.a)                # f'(z)
                delta = dL_da * da_dz                                   # delta = dL/da * f'(z)
            else:
                self.da_dz = None                                       # dL/dz was given
            d = self._delta
            d[()] = delta                                               # (see use_storage)
            np.multiply(x, d, self.gradients)           # dL/dw = delta * x, dL/db = delta * 1
            sent = np.multiply(self._w, d, out) if send else None       # sent back: delta * w
        else:                                              # a batch: one number per sample
            if delta is None:
                self.da_dz = da_dz = self.activation.derivative(self.z, self.a)     # f'(z)
                delta = dL_da * da_dz                                   # delta = dL/da * f'(z)
            else:
                self.da_dz = None                                       # dL/dz was given
            delta.dot(x, self.gradients)        # dL/dw = sum of delta * x, dL/db = sum of delta
            sent = np.multiply(delta[:, None], self._w, out) if send else None   # delta * w, per sample
        self.delta = delta
        self.to_predecessors = sent
        return sent

    def check_backward(self, dL_da, delta=None):
        """``dL_da`` (or ``delta``) checked against the last forward pass, or an error that says why.

        Parameters
        ----------
        dL_da : float or array-like of shape (n_samples,), or None
        delta : float or array-like of shape (n_samples,), optional
            Exactly one of the two is given.

        Returns
        -------
        dL_da, delta : float, ndarray (a copy) or None
        """
        if self.a is None:
            raise RuntimeError(f"{self._owner}: call forward before backward.")
        given = [("dL/da", dL_da), ("delta", delta)]
        if (dL_da is None) == (delta is None):
            raise ValueError(f"{self._owner}: backward needs dL/da (or, when dL/dz is "
                             f"known, delta=...), exactly one of them.")
        what, value = given[0] if delta is None else given[1]
        value = as_float_array(value, what, self._owner)
        if value.shape != np.shape(self.a):
            raise ValueError(f"{self._owner}: {what} must have the shape of a, "
                             f"{np.shape(self.a)}, got {value.shape}.")
        check_finite(value, what, self._owner)
        value = float(value) if value.ndim == 0 else value.copy()
        return (value, None) if delta is None else (None, value)

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
        title = "Neuron" if self.name == "neuron" else self._owner   # unnamed: no name
        lines = [f"{title} ({self.n_inputs} inputs, {self.activation.name})",
                 f"  weights w: {show(self.weights)}", f"  bias b:    {show(self.bias)}"]
        if self.a is not None:
            lines.append(f"  forward:   x = {show(self.x)}  z = {show(self.z)}  a = {show(self.a)}")
        if self.delta is not None:
            lines.append(f"  backward:  dL/da = {show(self.dL_da)}  f'(z) = {show(self.da_dz)}  "
                         f"delta = {show(self.delta)}  dL/dw = {show(self.grad_weights)}  "
                         f"dL/db = {show(self.grad_bias)}")
        return "\n".join(lines)
