"""Check backpropagation against central finite differences, parameter by parameter."""
import numpy as np

from . import losses

__all__ = ["gradcheck", "numerical_gradients"]


def numerical_gradients(network, X, Y, loss="mse", eps=1e-6):
    """dL/d(every parameter) by central differences: ``(L(p + eps) - L(p - eps)) / (2 eps)``.

    Two forward passes per parameter, so use it on small networks and batches.
    The network's parameters are restored exactly afterwards, and no trace
    records the passes.

    Parameters
    ----------
    network : NeuralNetwork or VectorizedNetwork
        The network; its parameters are changed one at a time and restored exactly.
    X : array-like of shape (n_samples, n_inputs) or (n_inputs,)
        The inputs.
    Y : array-like of shape (n_samples, n_outputs) or (n_outputs,)
        The targets, shaped like the network's outputs for ``X``.
    loss : str or Loss, default="mse"
        The loss, by name (see :data:`neurotrace.losses.NAMES`) or a :class:`~neurotrace.Loss`.
    eps : float, default=1e-6
        The step of the central difference.

    Returns
    -------
    numeric : ndarray of shape (n_parameters,)
        Laid out like ``network.flat_parameters``: layer after layer, neuron after
        neuron, ``[w_0, ..., w_{n_inputs-1}, b]``.

    Examples
    --------
    >>> import neurotrace as nt
    >>> net = nt.NeuralNetwork([2, 1], activation="identity", seed=0)
    >>> numeric = nt.numerical_gradients(net, [[1.0, 2.0]], [[0.0]])
    >>> _ = net.gradients([[1.0, 2.0]], [[0.0]])      # backprop fills net.flat_gradients
    >>> bool(np.allclose(numeric, net.flat_gradients))
    True
    >>> numeric.shape == net.flat_parameters.shape
    True
    """
    loss = losses.get(loss)
    params = network.flat_parameters
    numeric = np.empty_like(params)
    for i in range(params.size):
        saved = params[i]
        params[i] = saved + eps
        up = network.loss(X, Y, loss)
        params[i] = saved - eps
        down = network.loss(X, Y, loss)
        params[i] = saved
        numeric[i] = (up - down) / (2 * eps)
    return numeric


def gradcheck(network, X, Y, loss="mse", eps=1e-6, per_parameter=False):
    """The largest relative error between backprop and finite differences.

    The relative error of one parameter is ``|g - n| / max(|g| + |n|, 1e-8)``
    where ``g`` is backprop's gradient and ``n`` the numerical one. A correct
    gradient in float64 gives about 1e-7 or less.

    Parameters
    ----------
    network : NeuralNetwork or VectorizedNetwork
        The network; its parameters are changed one at a time and restored exactly.
    X : array-like of shape (n_samples, n_inputs) or (n_inputs,)
        The inputs.
    Y : array-like of shape (n_samples, n_outputs) or (n_outputs,)
        The targets, shaped like the network's outputs for ``X``.
    loss : str or Loss, default="mse"
        The loss, by name (see :data:`neurotrace.losses.NAMES`) or a :class:`~neurotrace.Loss`.
    eps : float, default=1e-6
        The step of the central difference.
    per_parameter : bool, default=False
        Return every parameter's relative error, by name, instead of the largest.

    Returns
    -------
    error : float, or dict of str to float with ``per_parameter=True``
        The largest relative error; or ``{"L1.N0.w0": err, ..., "L1.N0.b": err, ...}``
        in the order of ``network.flat_parameters``.

    Examples
    --------
    >>> import neurotrace as nt
    >>> net = nt.NeuralNetwork([2, 3, 1], activation="tanh", seed=0)
    >>> nt.gradcheck(net, [[0.5, -1.0]], [[0.2]]) < 1e-6
    True
    >>> errors = nt.gradcheck(net, [[0.5, -1.0]], [[0.2]], per_parameter=True)
    >>> list(errors)[:3], len(errors)
    (['L1.N0.w0', 'L1.N0.w1', 'L1.N0.b'], 13)
    """
    network.backprop(X, Y, loss)
    analytic = network.flat_gradients.copy()
    numeric = numerical_gradients(network, X, Y, loss, eps)
    errors = np.abs(analytic - numeric) / np.maximum(np.abs(analytic) + np.abs(numeric), 1e-8)
    if not per_parameter:
        return float(errors.max())
    return dict(zip(parameter_names(network), errors.tolist()))


def parameter_names(network):
    """``["L1.N0.w0", "L1.N0.w1", "L1.N0.b", ...]`` in the order of ``flat_parameters``."""
    return [f"{neuron}.{p}" for layer, n_in in zip(network.node_names(), network.sizes)
            for neuron in layer for p in [f"w{i}" for i in range(n_in)] + ["b"]]
