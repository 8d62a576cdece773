"""Check backpropagation against central finite differences, parameter by parameter."""
import numpy as np

from . import losses

__all__ = ["gradcheck", "numerical_gradients"]


def numerical_gradients(network, X, Y, loss="mse", eps=1e-6):
    """dL/d(every parameter) by central differences: ``(L(p + eps) - L(p - eps)) / (2 eps)``.

    Laid out like ``network.flat_parameters``. The network's parameters are
    restored exactly afterwards.
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

    With ``per_parameter=True`` returns ``{"L1.N0.w0": err, ..., "L1.N0.b": err}``.

    >>> import neurotrace as nt
    >>> net = nt.NeuralNetwork([2, 3, 1], activation="tanh", seed=0)
    >>> nt.gradcheck(net, [[0.5, -1.0]], [[0.2]]) < 1e-6
    True
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
