"""Activation functions: a value, a derivative, and a printable formula for both.

Each activation is an :class:`Activation` looked up by name with :func:`get`.
The derivative is written as a function of ``z`` *and* ``a = f(z)`` because for
sigmoid and tanh it is cheaper from the output: ``f'(z) = a (1 - a)`` and
``f'(z) = 1 - a**2``.

Every function stays finite for ``|z|`` up to 1e4 without overflow warnings.
For one number, sigmoid never evaluates ``exp`` of a positive number; for an
array it computes ``1 / (1 + exp(-z))``, where ``exp(-z) = inf`` (z < -709)
gives exactly 0, the right value, and that overflow is silenced.

``softmax`` is special: it couples all the neurons of a layer, so it is applied
by the layer (or the network), never by one neuron alone. It is only allowed on
the output layer.
"""
import difflib
import math

import numpy as np


__all__ = ["Activation", "get", "softmax", "NAMES", "FEW_SAMPLES"]

#: Up to this many samples, :meth:`Activation.on_samples` uses Python's math on each
#: number (measured: 0.6 µs for 2 samples against 1.2 µs for numpy's four calls; even at 7).
FEW_SAMPLES = 6


class Activation:
    """A named activation: ``value(z)``, ``derivative(z, a)`` and their formulas.

    ``scalar`` and ``scalar_derivative`` are the same functions on one Python
    float; the per-neuron engine uses them for one sample at a time, where
    ``math`` is several times faster than numpy on a single number. Calling the
    activation, ``f(z)``, applies ``value`` to an array and gives a float for a number.

    Parameters
    ----------
    name : str
        The name it is looked up by and printed as (``"sigmoid"``).
    value : callable
        ``value(z) -> a``: the activation of an ndarray ``z``, an ndarray of the same shape.
    derivative : callable
        ``derivative(z, a) -> f'(z)``: an ndarray of ``z``'s shape, given ``z`` and ``a = f(z)``
        (whichever is cheaper to use).
    scalar : callable
        ``scalar(z) -> a`` on one Python float.
    scalar_derivative : callable
        ``scalar_derivative(z, a) -> f'(z)`` on Python floats.
    value_unguarded : callable, optional
        ``value`` without silencing numpy's floating-point warnings (sigmoid's ``exp``
        overflows, harmlessly, for z below -709), for callers that silence them once for a
        whole pass: ``np.errstate`` costs about a microsecond, more than the work on a small
        batch. Defaults to ``value``.
    formula, derivative_formula : str
        The value and the derivative as plain text (``"f(z) = max(0, z)"``).
    latex, derivative_latex : str
        The same formulas in LaTeX, for plot titles.

    Examples
    --------
    >>> get("sigmoid")(0.0)
    0.5
    >>> get("relu")(np.array([-1.0, 2.0])).tolist()
    [0.0, 2.0]
    >>> square = Activation("square", lambda z: z * z, lambda z, a: 2 * z,
    ...                     lambda z: z * z, lambda z, a: 2 * z,
    ...                     "f(z) = z^2", "f'(z) = 2 z", "f(z) = z^2", "f'(z) = 2z")
    >>> square(3.0), square.scalar_derivative(3.0, 9.0)
    (9.0, 6.0)
    """

    def __init__(self, name, value, derivative, scalar, scalar_derivative,
                 formula, derivative_formula, latex, derivative_latex, *, value_unguarded=None):
        self.name = name
        self.value = value
        self.value_unguarded = value if value_unguarded is None else value_unguarded
        self.derivative = derivative
        self.scalar = scalar
        self.scalar_derivative = scalar_derivative
        self.formula = formula
        self.derivative_formula = derivative_formula
        self.latex = latex
        self.derivative_latex = derivative_latex

    def on_samples(self, z, out=None):
        """``f`` of a 1-D array holding one ``z`` per sample, as the engine computes it.

        The same numbers as :attr:`value`, with two differences that make the engine fast:
        numpy's floating-point warnings are the caller's to silence (the networks and layers
        do it once per pass, see :attr:`value_unguarded`), and for a handful of samples
        Python's ``math`` on each number is used (:attr:`scalar`, as for one sample):
        numpy's fixed cost per call is larger than the work there.

        Parameters
        ----------
        z : ndarray of shape (n_samples,)
        out : ndarray of shape (n_samples,), optional
            Where to write ``a`` (a network passes its row of the layer's outputs).

        Returns
        -------
        a : ndarray of shape (n_samples,)
            ``out`` when it is given.

        Examples
        --------
        >>> get("relu").on_samples(np.array([-1.0, 2.0])).tolist()
        [0.0, 2.0]
        """
        if len(z) <= FEW_SAMPLES:
            a = map(self.scalar, z.tolist())
            if out is None:
                return np.fromiter(a, float, len(z))
            out[...] = list(a)
            return out
        if out is None:
            return self.value_unguarded(z)
        np.copyto(out, self.value_unguarded(z))
        return out

    def __call__(self, z):
        z = np.asarray(z, dtype=float)
        return self.value(z) if z.ndim else float(self.value(z.reshape(1))[0])

    def __repr__(self):
        return f"Activation({self.name!r})"

    def __reduce__(self):
        # A built-in activation is copied (and pickled, e.g. by joblib inside
        # scikit-learn) by its name, so a copy is the very same object.
        if _ACTIVATIONS.get(self.name) is self:
            return get, (self.name,)
        return super().__reduce__()


# --- identity: f(z) = z, f'(z) = 1 -------------------------------------------------
def _identity(z):
    return z


def _identity_derivative(z, a):
    return np.ones_like(z)


def _identity_scalar_derivative(z, a):
    return 1.0


# Speed device: the number 1 as a 0-d array of the array's own float type. numpy subtracts
# an array from it in about two thirds of the time it takes with the Python float 1.0
# (which it converts first, on every call), and the result keeps the array's type.
_ONE = {np.dtype(t): np.ones((), t) for t in (np.float64, np.float32)}


def _float_type(z):
    """``z``'s own float type (float32 stays float32), float64 for anything else."""
    return z.dtype if z.dtype in _ONE else np.float64


def _one(a):
    """1 for ``1 - a``: a 0-d array of ``a``'s float type (see _ONE), else the float 1.0."""
    return _ONE.get(getattr(a, "dtype", None), 1.0)


# --- sigmoid: f(z) = 1 / (1 + exp(-z)), f'(z) = a (1 - a) ------------------------
def _sigmoid_unguarded(z):
    # Computed step by step in one array, so a big batch needs no temporary arrays.
    # For z < -709, exp(-z) overflows to inf and 1 / (1 + inf) = 0, which is sigmoid's
    # value there to double precision: numpy reports that overflow unless told not to
    # (see Activation.value_unguarded).
    a = np.negative(z)                                # -z
    np.exp(a, out=a)                                  # exp(-z)
    a += 1.0                                          # 1 + exp(-z)
    return np.divide(1.0, a, out=a)                   # 1 / (1 + exp(-z))


def _sigmoid(z):
    with np.errstate(over="ignore"):                  # the expected overflow: not reported
        return _sigmoid_unguarded(z)


def _sigmoid_derivative(z, a):
    d = _one(a) - a                                   # 1 - a
    d *= a                                            # a (1 - a), in the same array
    return d


def _sigmoid_scalar(z):
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def _sigmoid_scalar_derivative(z, a):
    return a * (1.0 - a)


# --- tanh: f'(z) = 1 - a^2 --------------------------------------------------------
def _tanh_derivative(z, a):
    return _one(a) - a * a


# --- relu: f(z) = max(0, z), f'(z) = 1 if z > 0 else 0 (0 at z = 0) ----------------
def _relu(z):
    return np.maximum(z, 0.0)


def _relu_derivative(z, a):
    return (z > 0).astype(_float_type(z))


def _relu_scalar(z):
    return z if z > 0 else 0.0


def _relu_scalar_derivative(z, a):
    return 1.0 if z > 0 else 0.0


# --- leaky relu: f(z) = z if z > 0 else alpha z ----------------------------------
LEAKY_SLOPE = 0.01


def _leaky(z):
    return np.where(z > 0, z, LEAKY_SLOPE * z)


def _leaky_derivative(z, a):
    return np.where(z > 0, 1.0, LEAKY_SLOPE).astype(_float_type(z), copy=False)


def _leaky_scalar(z):
    return z if z > 0 else LEAKY_SLOPE * z


def _leaky_scalar_derivative(z, a):
    return 1.0 if z > 0 else LEAKY_SLOPE


_ACTIVATIONS = {
    "identity": Activation(
        "identity", _identity, _identity_derivative, float, _identity_scalar_derivative,
        "f(z) = z", "f'(z) = 1", r"f(z) = z", r"f'(z) = 1"),
    "sigmoid": Activation(
        "sigmoid", _sigmoid, _sigmoid_derivative, _sigmoid_scalar, _sigmoid_scalar_derivative,
        "f(z) = 1 / (1 + exp(-z))", "f'(z) = f(z) * (1 - f(z))",
        r"f(z) = \frac{1}{1 + e^{-z}}", r"f'(z) = f(z)\,(1 - f(z))",
        value_unguarded=_sigmoid_unguarded),
    "tanh": Activation(
        "tanh", np.tanh, _tanh_derivative, math.tanh, _tanh_derivative,
        "f(z) = tanh(z)", "f'(z) = 1 - f(z)^2",
        r"f(z) = \tanh z", r"f'(z) = 1 - f(z)^2"),
    "relu": Activation(
        "relu", _relu, _relu_derivative, _relu_scalar, _relu_scalar_derivative,
        "f(z) = max(0, z)", "f'(z) = 1 if z > 0 else 0",
        r"f(z) = \max(0, z)", r"f'(z) = [z > 0]"),
    "leaky_relu": Activation(
        "leaky_relu", _leaky, _leaky_derivative, _leaky_scalar, _leaky_scalar_derivative,
        f"f(z) = z if z > 0 else {LEAKY_SLOPE} * z", f"f'(z) = 1 if z > 0 else {LEAKY_SLOPE}",
        rf"f(z) = \max({LEAKY_SLOPE} z, z)", rf"f'(z) = 1 \text{{ if }} z > 0 \text{{ else }} {LEAKY_SLOPE}"),
}


def softmax(Z):
    """Softmax over the last axis: ``p_j = exp(z_j - max z) / sum_k exp(z_k - max z)``.

    Subtracting the maximum changes nothing mathematically and keeps every
    ``exp`` at most 1, so it never overflows.

    Parameters
    ----------
    Z : ndarray of shape (n_classes,) or (n_samples, n_classes)
        The logits, one row per sample.

    Returns
    -------
    P : ndarray of the same shape as ``Z``
        The probabilities; each row sums to 1.

    Examples
    --------
    >>> softmax(np.array([1.0, 1.0])).tolist()
    [0.5, 0.5]
    >>> P = softmax(np.array([[0.0, 1000.0], [2.0, 2.0]]))
    >>> P.tolist()
    [[0.0, 1.0], [0.5, 0.5]]
    """
    e = np.exp(Z - np.max(Z, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)


def softmax_vjp(P, dL_dP):
    """The gradient at the logits given the gradient at the softmax outputs.

    The Jacobian is ``dp_i/dz_j = p_i (delta_ij - p_j)``, so
    ``dL/dz_j = p_j (dL/dp_j - sum_i dL/dp_i p_i)``.
    """
    return P * (dL_dP - np.sum(dL_dP * P, axis=-1, keepdims=True))


SOFTMAX_FORMULA = "p_j = exp(z_j) / sum_k exp(z_k)"
SOFTMAX_DERIVATIVE_FORMULA = "dp_i/dz_j = p_i * (1[i == j] - p_j)"
NAMES = sorted(_ACTIVATIONS) + ["softmax"]


def get(activation, owner="Neuron"):
    """The :class:`Activation` called ``activation`` (or ``activation`` itself).

    Parameters
    ----------
    activation : str or Activation
        A name from :data:`NAMES` other than ``"softmax"`` (softmax couples a whole
        layer, so it is not an :class:`Activation`), or an :class:`Activation`, returned as is.
    owner : str, default="Neuron"
        Who asked, for the error message.

    Returns
    -------
    Activation

    Raises
    ------
    ValueError
        If ``activation`` is neither an :class:`Activation` nor one of the names.

    Examples
    --------
    >>> get("relu").formula
    'f(z) = max(0, z)'
    >>> get("tanh").derivative_formula
    "f'(z) = 1 - f(z)^2"
    >>> get("rleu")
    Traceback (most recent call last):
    ...
    ValueError: The 'activation' parameter of Neuron must be one of [...]...
    """
    if isinstance(activation, Activation):
        return activation
    if isinstance(activation, str) and activation in _ACTIVATIONS:
        return _ACTIVATIONS[activation]
    if activation == "softmax":
        raise ValueError(f"{owner}: softmax couples all the neurons of a layer, so it is applied "
                         f"by the network's output layer, never by one neuron: use "
                         f"output_activation='softmax'.")
    raise ValueError(
        f"The 'activation' parameter of {owner} must be one of {NAMES}. "
        f"Got {activation!r} instead.{did_you_mean(activation, NAMES)}")


def did_you_mean(name, names):
    """`` Did you mean 'relu'?`` for a name close to one of ``names`` (else ``""``).

    >>> did_you_mean("ReLU", NAMES), did_you_mean("sigmod", NAMES), did_you_mean(3, NAMES)
    (" Did you mean 'relu'?", " Did you mean 'sigmoid'?", '')
    """
    if not isinstance(name, str):
        return ""
    lower = {n.lower(): n for n in names}
    close = difflib.get_close_matches(name.lower(), list(lower), n=1, cutoff=0.6)
    return f" Did you mean {lower[close[0]]!r}?" if close else ""
