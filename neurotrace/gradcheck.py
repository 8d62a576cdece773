"""Check backpropagation against central finite differences, parameter by parameter."""
import math

import numpy as np

from . import losses

#: Below this fraction of max(|L|, 1), a difference between the two gradients is rounding:
#: central differences lose about (machine epsilon) * |L| / eps to it, about 1e-10 at eps=1e-6.
ROUNDING = 1e-3

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
    loss = losses.get(loss, "numerical_gradients")
    eps = _check_eps(eps, "numerical_gradients")
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

    The error of one parameter is ``|g - n| / max(|g| + |n|, 1e-3 * max(|L|, 1))``
    where ``g`` is backprop's gradient, ``n`` the numerical one and ``L`` the loss:
    relative where the gradient is large enough to measure, absolute (scaled by
    the loss) where it is so small that finite differences only see rounding
    (their rounding error is about ``1e-16 * |L| / eps``). A correct gradient in
    float64 gives about 1e-7 or less (checked on thousands of random networks,
    away from ReLU's kink at 0); a wrong one gives 1e-3 or more.

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
    eps : float in (0, 0.1], default=1e-6
        The step of the central difference (anything else raises a ValueError).
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
    loss = losses.get(loss, "gradcheck")
    eps = _check_eps(eps, "gradcheck")
    value = network.backprop(X, Y, loss)
    analytic = network.flat_gradients.copy()
    numeric = numerical_gradients(network, X, Y, loss, eps)
    floor = ROUNDING * max(abs(value), 1.0)
    errors = np.abs(analytic - numeric) / np.maximum(np.abs(analytic) + np.abs(numeric), floor)
    if not per_parameter:
        return float(errors.max())
    return dict(zip(parameter_names(network), errors.tolist()))


def _check_eps(eps, owner):
    """The step of the finite differences: a positive number small enough to mean a slope."""
    if isinstance(eps, bool) or not isinstance(eps, (int, float, np.floating, np.integer)) \
            or not math.isfinite(eps) or not 0 < eps <= 0.1:
        raise ValueError(f"The 'eps' parameter of {owner} must be a number in (0, 0.1], the "
                         f"step of the finite differences (1e-6 is a good choice in float64). "
                         f"Got {eps!r} instead.")
    return float(eps)


def parameter_names(network):
    """``["L1.N0.w0", "L1.N0.w1", "L1.N0.b", ...]`` in the order of ``flat_parameters``."""
    return [f"{neuron}.{p}" for layer, n_in in zip(network.node_names(), network.sizes)
            for neuron in layer for p in [f"w{i}" for i in range(n_in)] + ["b"]]
