"""Weight initializers: how a layer's first weights and biases are drawn.

Every initializer draws the whole layer at once, ``weights`` of shape
``(n_inputs, n_neurons)`` and then ``bias`` of shape ``(n_neurons,)``, from a
``numpy.random.Generator``. Both backends call it the same way, so the same
``seed`` gives the same network whichever backend builds it.

=======  ==============================================  ========
name     weights                                         bias
=======  ==============================================  ========
uniform  U(-1, 1) (the hands-on's hand-out)              U(-1, 1)
normal   N(0, 1), ``randn`` (the week-41/42 exercises)   N(0, 1)
xavier   U(-l, l), l = sqrt(6 / (n_inputs + n_neurons))  0
he       N(0, 2 / n_inputs)                              0
lecun    N(0, 1 / n_inputs)                              0
=======  ==============================================  ========
"""
import numpy as np

from ._checks import check_seed, unknown_name

__all__ = ["initialize", "NAMES"]


def _uniform(rng, n_inputs, n_neurons):
    return rng.uniform(-1.0, 1.0, (n_inputs, n_neurons)), rng.uniform(-1.0, 1.0, n_neurons)


def _normal(rng, n_inputs, n_neurons):
    return rng.standard_normal((n_inputs, n_neurons)), rng.standard_normal(n_neurons)


def _xavier(rng, n_inputs, n_neurons):
    limit = np.sqrt(6.0 / (n_inputs + n_neurons))
    return rng.uniform(-limit, limit, (n_inputs, n_neurons)), np.zeros(n_neurons)


def _he(rng, n_inputs, n_neurons):
    return rng.normal(0.0, np.sqrt(2.0 / n_inputs), (n_inputs, n_neurons)), np.zeros(n_neurons)


def _lecun(rng, n_inputs, n_neurons):
    return rng.normal(0.0, np.sqrt(1.0 / n_inputs), (n_inputs, n_neurons)), np.zeros(n_neurons)


_INITIALIZERS = {"uniform": _uniform, "normal": _normal, "xavier": _xavier,
                 "he": _he, "lecun": _lecun}
NAMES = sorted(_INITIALIZERS)


def initialize(init, n_inputs, n_neurons, rng, owner="NeuralNetwork"):
    """A layer's first weights and biases, drawn by the initializer called ``init``.

    Parameters
    ----------
    init : {"uniform", "normal", "xavier", "he", "lecun"}
        The initializer (the table in this module's docstring).
    n_inputs : int
        The layer's input width (its predecessors).
    n_neurons : int
        The number of neurons in the layer.
    rng : numpy.random.Generator
        Where the random numbers come from; the weights are drawn first, then the bias.
    owner : str, default="NeuralNetwork"
        Who asked, for the error message.

    Returns
    -------
    weights : ndarray of shape (n_inputs, n_neurons)
        Column ``j`` holds neuron ``j``'s weights.
    bias : ndarray of shape (n_neurons,)

    Raises
    ------
    ValueError
        If ``init`` is not one of :data:`NAMES`.

    Examples
    --------
    >>> w, b = initialize("he", 3, 2, np.random.default_rng(0))
    >>> w.shape, b.shape
    ((3, 2), (2,))
    >>> b.tolist()
    [0.0, 0.0]
    >>> initialize("zeros", 3, 2, np.random.default_rng(0))
    Traceback (most recent call last):
    ...
    ValueError: The 'init' parameter of NeuralNetwork must be one of [...]. Got 'zeros' instead.
    """
    if not isinstance(init, str) or init not in _INITIALIZERS:
        raise unknown_name("init", init, NAMES, owner)
    return _INITIALIZERS[init](rng, n_inputs, n_neurons)


def make_rng(seed=None, rng=None, owner=None):
    """``rng`` if given, else ``numpy.random.default_rng(seed)``."""
    if rng is not None:
        if not isinstance(rng, np.random.Generator):
            raise ValueError(f"The 'rng' parameter must be a numpy.random.Generator (e.g. "
                             f"numpy.random.default_rng(0)) or None. Got {rng!r} instead.")
        return rng
    return np.random.default_rng(check_seed(seed, owner))
