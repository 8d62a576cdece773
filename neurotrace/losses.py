"""Loss functions: a value ``L(a, y)`` and its gradient ``dL/da``.

``a`` and ``y`` have the same shape, ``(n_outputs,)`` for one sample or
``(n_samples, n_outputs)`` for a batch. A batch loss is the batch mean unless
its definition says otherwise, and the ``1/n`` is already inside ``dL/da``.

Two output layers have a shortcut where the gradient at the logits ``z`` is
simpler (and safer) than going through ``dL/da``:

* softmax + ``cross_entropy``: ``dL/dz = (p - y) / n_samples``;
* sigmoid + ``bce``:           ``dL/dz = (a - y) / a.size``.

Both are exact: the ``1/p`` of the loss cancels the ``p`` of the activation's
derivative. They also never take ``log(0)``: the loss value is computed from
``z`` with a log-softmax / log-sigmoid, which stays finite for ``|z|`` up to 1e4.

A loss of your own is any object with ``value(a, y)`` and ``gradient(a, y)``
(and optionally a ``name``); :class:`Loss` makes one from two functions.
"""
import numpy as np

from .activations import did_you_mean

__all__ = ["Loss", "get", "NAMES", "mse", "sse", "bce", "cross_entropy"]


class Loss:
    """A named loss: ``value(a, y) -> float`` and ``gradient(a, y) -> dL/da``.

    Parameters
    ----------
    name : str
        How it is printed and looked up (``"mse"``).
    value : callable
        ``value(a, y)``: the loss, a number, for outputs ``a`` and targets ``y`` of one shape.
    gradient : callable
        ``gradient(a, y)``: ``dL/da``, an ndarray of ``a``'s shape.
    formula : str, default=None
        The loss as text (``"L = mean((a - y)^2)"``); None uses ``name``.
    value_and_gradient : callable, default=None
        ``value_and_gradient(a, y) -> (value, dL/da)``, when computing both at once
        saves work; None calls ``value`` and ``gradient``.

    Examples
    --------
    >>> square_sum = Loss("(sum a)^2", lambda a, y: np.sum(a) ** 2,
    ...                   lambda a, y: 2 * np.sum(a) * np.ones_like(a))
    >>> square_sum.value(np.array([1.0, 2.0]), None)
    9.0
    >>> square_sum.gradient(np.array([1.0, 2.0]), None).tolist()
    [6.0, 6.0]
    >>> mse.value(np.array([1.0, 3.0]), np.array([0.0, 0.0])), mse.formula
    (5.0, 'L = mean((a - y)^2)')
    """

    def __init__(self, name, value, gradient, formula=None, value_and_gradient=None):
        self.name = name
        self._value = value
        self._gradient = gradient
        self._both = value_and_gradient
        self.formula = formula or name

    def value(self, a, y):
        """The loss of outputs ``a`` against targets ``y``.

        Parameters
        ----------
        a : ndarray of shape (n_outputs,) or (n_samples, n_outputs)
            The network's outputs.
        y : ndarray of the same shape as ``a``
            The targets.

        Returns
        -------
        L : float

        Raises
        ------
        ValueError
            For ``bce``, if an output is not strictly between 0 and 1; for
            ``cross_entropy``, if an output it takes the log of (``y != 0``) is 0 or below.
        """
        return float(self._value(a, y))

    def gradient(self, a, y):
        """``dL/da``: how the loss changes with each output (the batch's ``1/n`` included).

        Parameters
        ----------
        a : ndarray of shape (n_outputs,) or (n_samples, n_outputs)
            The network's outputs.
        y : ndarray of the same shape as ``a``
            The targets.

        Returns
        -------
        dL_da : ndarray of the same shape as ``a``

        Raises
        ------
        ValueError
            For ``bce``, if an output is not strictly between 0 and 1; for
            ``cross_entropy``, if an output is 0 or below.

        Examples
        --------
        >>> sse.gradient(np.array([0.8]), np.array([1.0])).round(6).tolist()  # a - y
        [-0.2]
        """
        return self._gradient(a, y)

    def value_and_gradient(self, a, y):
        """Both at once (built-in losses share the work: ``a - y`` is computed once).

        Parameters
        ----------
        a : ndarray of shape (n_outputs,) or (n_samples, n_outputs)
            The network's outputs.
        y : ndarray of the same shape as ``a``
            The targets.

        Returns
        -------
        L : float
        dL_da : ndarray of the same shape as ``a``

        Examples
        --------
        >>> mse.value_and_gradient(np.array([1.0, 3.0]), np.array([0.0, 0.0]))
        (5.0, array([1., 3.]))
        """
        if self._both is None:
            return self.value(a, y), self.gradient(a, y)
        value, gradient = self._both(a, y)
        return float(value), gradient

    def __repr__(self):
        return f"Loss({self.name!r})"


def _same_shape(a, y, loss):
    """Refuse ``a`` and ``y`` of different shapes: numpy would broadcast them silently."""
    if np.shape(a) != np.shape(y):
        raise ValueError(f"The {loss} loss needs outputs a and targets y of the same shape; "
                         f"got a of shape {np.shape(a)} and y of shape {np.shape(y)}.")


def _check_unit_targets(y, loss):
    """Targets of bce and cross-entropy are probabilities: in [0, 1]."""
    if np.any(y < 0.0) or np.any(y > 1.0):
        raise ValueError(
            f"The {loss} loss needs targets in [0, 1] (probabilities, 0/1 labels or one-hot "
            f"rows); got values in [{np.min(y):.6g}, {np.max(y):.6g}]. Outside [0, 1] the loss "
            f"can be negative and training pushes the outputs the wrong way. Rescale the "
            f"targets, or use mse/sse for real-valued targets.")


def _n_samples(a):
    return a.shape[0] if a.ndim == 2 else 1


def _squares(d):
    """The sum of squares of the entries of ``d``, as one dot product."""
    flat = d.reshape(-1)
    return flat @ flat


# --- mse: mean of (a - y)^2 over all elements, dL/da = 2 (a - y) / a.size -----------
def _mse_both(a, y):
    _same_shape(a, y, "mse")
    d = a - y
    return _squares(d) / d.size, 2.0 * d / d.size


def _mse_value(a, y):
    _same_shape(a, y, "mse")
    return _squares(a - y) / a.size


def _mse_gradient(a, y):
    _same_shape(a, y, "mse")
    return 2.0 * (a - y) / a.size


mse = Loss("mse", _mse_value, _mse_gradient,
           "L = mean((a - y)^2)", _mse_both)


# --- sse: 1/2 sum of (a - y)^2, dL/da = a - y (the hands-on's -(target - output)) --------
def _sse_both(a, y):
    _same_shape(a, y, "sse")
    d = a - y
    return 0.5 * _squares(d), d


def _sse_value(a, y):
    _same_shape(a, y, "sse")
    return 0.5 * _squares(a - y)


def _sse_gradient(a, y):
    _same_shape(a, y, "sse")
    return a - y


sse = Loss("sse", _sse_value, _sse_gradient,
           "L = 1/2 sum((a - y)^2)", _sse_both)


# --- bce: mean of -[y log a + (1 - y) log(1 - a)] -----------------------------------
def _check_open_unit(a, loss):
    if np.any(a <= 0.0) or np.any(a >= 1.0):
        raise ValueError(
            f"The {loss} loss needs outputs strictly between 0 and 1; got values in "
            f"[{np.min(a):.6g}, {np.max(a):.6g}]. Use a sigmoid output layer (for bce) or a "
            f"softmax output layer (for cross_entropy), where the fused gradient is used.")


def _bce_value(a, y):
    _same_shape(a, y, "bce")
    _check_unit_targets(y, "bce")
    _check_open_unit(a, "bce")
    return np.mean(-(y * np.log(a) + (1.0 - y) * np.log1p(-a)))


def _bce_gradient(a, y):
    _same_shape(a, y, "bce")
    _check_unit_targets(y, "bce")
    _check_open_unit(a, "bce")
    return (a - y) / (a * (1.0 - a)) / a.size


bce = Loss("bce", _bce_value, _bce_gradient, "L = mean(-[y log a + (1 - y) log(1 - a)])")


# --- cross_entropy: -sum y log p / n_samples ----------------------------------------
def _ce_value(p, y):
    # 0 log 0 counts as 0: only entries with y != 0 contribute.
    _same_shape(p, y, "cross_entropy")
    _check_unit_targets(y, "cross_entropy")
    used = y != 0
    if np.any(p[used] <= 0.0):
        _check_open_unit(p, "cross_entropy")
    return -np.sum(y[used] * np.log(p[used])) / _n_samples(p)


def _ce_gradient(p, y):
    _same_shape(p, y, "cross_entropy")
    _check_unit_targets(y, "cross_entropy")
    if np.any(p <= 0.0):
        _check_open_unit(p, "cross_entropy")
    return -(y / p) / _n_samples(p)


cross_entropy = Loss("cross_entropy", _ce_value, _ce_gradient, "L = -sum(y log p) / n_samples")

_LOSSES = {loss.name: loss for loss in (mse, sse, bce, cross_entropy)}
NAMES = sorted(_LOSSES)


# --- the fused output shortcuts, computed from the logits z ---------------------------
def log_softmax(Z):
    """``log p`` computed from the logits without ever taking ``log(0)``."""
    shifted = Z - np.max(Z, axis=-1, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))


def softmax_cross_entropy(Z, y):
    """Value of cross-entropy on ``softmax(Z)``, from the logits."""
    _check_unit_targets(y, "cross_entropy")
    return float(-np.sum(y * log_softmax(Z)) / _n_samples(Z))


def sigmoid_bce(Z, y):
    """Value of bce on ``sigmoid(Z)``, from the logits.

    ``-log(sigmoid(z)) = log(1 + exp(-z))`` and ``-log(1 - sigmoid(z)) = log(1 + exp(z))``,
    each computed as ``max(0, t) + log1p(exp(-|t|))`` so nothing overflows.
    """
    def softplus(t):
        return np.maximum(t, 0.0) + np.log1p(np.exp(-np.abs(t)))
    _check_unit_targets(y, "bce")
    return float(np.mean(y * softplus(-Z) + (1.0 - y) * softplus(Z)))


def get(loss, owner=None):
    """The loss called ``loss``, or ``loss`` itself if it has ``value`` and ``gradient``.

    Parameters
    ----------
    loss : str or object
        A name from :data:`NAMES`, or any object with ``value(a, y)`` and
        ``gradient(a, y)`` methods (a :class:`Loss`, for one), returned as is.
    owner : str, optional
        Who asks, for the error message (e.g. ``"fit"``).

    Returns
    -------
    Loss or object

    Raises
    ------
    ValueError
        If ``loss`` is neither a known name nor such an object.

    Examples
    --------
    >>> get("mse").name
    'mse'
    >>> get(sse) is sse
    True
    >>> get("mae")
    Traceback (most recent call last):
    ...
    ValueError: The 'loss' parameter must be one of ['bce', 'cross_entropy', 'mse', 'sse'] or ...
    """
    if isinstance(loss, str):
        if loss in _LOSSES:
            return _LOSSES[loss]
    elif hasattr(loss, "value") and hasattr(loss, "gradient"):
        return loss
    of = f" of {owner}" if owner else ""
    raise ValueError(
        f"The 'loss' parameter{of} must be one of {NAMES} or an object with value(a, y) and "
        f"gradient(a, y) methods. Got {loss!r} instead.{did_you_mean(loss, NAMES)}")
