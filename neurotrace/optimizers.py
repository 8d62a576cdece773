"""Optimizers, in order of increasing complexity: they change the parameters, backward never does.

An optimizer reads ``network.flat_gradients`` and updates
``network.flat_parameters`` in place: one vector holding every weight and bias
of either backend (see :class:`~neurotrace.NeuralNetwork`). Its per-parameter state
(``velocity`` for momentum, ``m`` and ``v`` for Adam) is laid out the same way,
so ``optimizer.state["velocity"]`` can be read neuron by neuron, like the
parameters themselves.

Both optimizers can clip the gradient first: by value (every entry into
``[-clip_value, clip_value]``, as the hands-on does) or by global norm (the whole
gradient vector scaled down to length ``clip_norm`` when it is longer). The
clipped gradient is what the update uses; the network's stored gradients stay
what backprop computed, and ``optimizer.last_clip`` says what clipping did.

An optimizer's state belongs to one network: the first ``step`` binds it to that
network (``optimizer.network``), and stepping another network with state still held
raises a ValueError, because the first network's velocity (or Adam's moments) would
silently push the second one. ``optimizer.reset()`` drops the state and the binding.
"""
import inspect
import math

import numpy as np

from .names import closest

__all__ = ["Optimizer", "SGD", "Adam"]


def _check_number(value, name, owner, low=None, high=None, low_open=True, high_open=True,
                  optional=False):
    if value is None and optional:
        return None
    ok = isinstance(value, (int, float, np.floating, np.integer)) and not isinstance(value, bool) \
        and math.isfinite(value)
    if ok and low is not None:
        ok = value > low if low_open else value >= low
    if ok and high is not None:
        ok = value < high if high_open else value <= high
    if not ok:
        lo = "" if low is None else ("(" if low_open else "[") + f"{low}, "
        hi = "inf)" if high is None else f"{high}" + (")" if high_open else "]")
        raise ValueError(f"The '{name}' parameter of {owner} must be a number in "
                         f"{lo or '(-inf, '}{hi}. Got {value!r} instead.")
    return float(value)


# Other libraries' names for the same hyperparameters (Keras, PyTorch, scikit-learn).
_SYNONYMS = {"learning_rate": "lr", "learning_rate_init": "lr", "alpha": "lr",
             "epsilon": "eps", "clipvalue": "clip_value", "clipnorm": "clip_norm",
             "max_norm": "clip_norm", "betas": "beta1"}


class Optimizer:
    """What every optimizer shares: the learning rate, clipping, and the state vectors.

    A subclass implements ``_update(params, g)``, the update rule on the flat
    parameter vector given the (clipped) flat gradient.

    Parameters
    ----------
    lr : float > 0
        The learning rate.
    clip_value : float > 0, default=None
        Clip every gradient entry into ``[-clip_value, clip_value]`` before the update.
    clip_norm : float > 0, default=None
        Scale the whole gradient vector down to length ``clip_norm`` when it is longer
        (after ``clip_value``, when both are given).
    unknown : dict, optional
        Keywords the subclass did not know; any is refused with a TypeError that
        names the closest parameter (``learning_rate`` -> ``lr``).

    Attributes
    ----------
    state : dict of str to ndarray of shape (n_parameters,)
        Per-parameter state vectors, laid out like ``network.flat_parameters``.
    steps : int
        Updates made so far.
    last_clip : dict or None
        What the last :meth:`clip` did: ``{"kind": "value", "n_clipped": int}`` or
        ``{"kind": "norm", "norm": float, "scale": float}`` (the norm's when both
        are set); None without clipping.

    Raises
    ------
    ValueError
        If ``lr``, ``clip_value`` or ``clip_norm`` is not a finite number > 0.

    Examples
    --------
    >>> opt = SGD(lr=0.1, clip_value=1.0)
    >>> opt.clip(np.array([0.5, -3.0, 2.0])).tolist()
    [0.5, -1.0, 1.0]
    >>> opt.last_clip
    {'kind': 'value', 'n_clipped': 2}
    """

    def __init__(self, lr, clip_value=None, clip_norm=None, unknown=None):
        owner = type(self).__name__
        if unknown:
            accepted = [p for p in inspect.signature(type(self)).parameters
                        if p not in ("unknown", "kwargs")]
            name = next(iter(unknown))
            guess = _SYNONYMS.get(name.lower()) or closest(name, accepted)
            hint = f" Did you mean {guess!r}?" if guess else ""
            raise TypeError(f"{owner} has no parameter {name!r}.{hint} Its parameters are "
                            f"{accepted}.")
        self.lr = _check_number(lr, "lr", owner, low=0)
        self.clip_value = _check_number(clip_value, "clip_value", owner, low=0, optional=True)
        self.clip_norm = _check_number(clip_norm, "clip_norm", owner, low=0, optional=True)
        self.state = {}
        self.steps = 0
        self.last_clip = None
        self.network = None          # the network the state belongs to (set by the first step)

    def bind(self, network):
        """Declare that the state belongs to ``network``; refuse if it belongs to another.

        ``step`` calls this; so does :func:`neurotrace.load` for an optimizer saved with
        its network.

        Parameters
        ----------
        network : NeuralNetwork or VectorizedNetwork
            The network this optimizer updates from now on.

        Raises
        ------
        ValueError
            When this optimizer already holds state (velocity, Adam's moments) for
            another network.
        """
        if self.network is network:
            return
        if self.network is not None and self.state:
            raise ValueError(
                f"{type(self).__name__}: this optimizer holds state ({', '.join(self.state)}) "
                f"for another network; stepping {network!r} with it would carry that state "
                f"into this one. Use one optimizer per network, or call optimizer.reset() "
                f"first.")
        self.network = network

    def reset(self):
        """Forget the state (velocity, moments, step count) and the network it belonged to."""
        self.state, self.steps, self.last_clip, self.network = {}, 0, None, None

    def _state(self, name, params):
        """The state vector ``name``, made with ``zeros_like`` on the first step."""
        if name not in self.state:
            self.state[name] = np.zeros_like(params)
        elif self.state[name].shape != params.shape:
            raise ValueError(f"{type(self).__name__}: this optimizer already holds state for a "
                             f"network with {self.state[name].size} parameters; this one has "
                             f"{params.size}. Use one optimizer per network.")
        return self.state[name]

    def clip(self, grads):
        """The gradient the update will use (clipped if asked; ``grads`` itself is not changed).

        Parameters
        ----------
        grads : ndarray of shape (n_parameters,)
            The flat gradient, ``network.flat_gradients``.

        Returns
        -------
        grads : ndarray of shape (n_parameters,)
            Clipped by value, then by norm, as asked; ``grads`` itself when nothing
            is asked. :attr:`last_clip` says what was done.

        Examples
        --------
        >>> opt = SGD(clip_norm=1.0)
        >>> opt.clip(np.array([3.0, 4.0])).tolist(), opt.last_clip["norm"]
        ([0.6000000000000001, 0.8], 5.0)
        """
        self.last_clip = None
        if self.clip_value is not None:
            clipped = np.clip(grads, -self.clip_value, self.clip_value)
            self.last_clip = {"kind": "value", "n_clipped": int(np.count_nonzero(clipped != grads))}
            grads = clipped
        if self.clip_norm is not None:
            norm = float(np.sqrt(np.dot(grads, grads)))
            scale = min(1.0, self.clip_norm / norm) if norm > 0 else 1.0
            self.last_clip = {"kind": "norm", "norm": norm, "scale": scale}
            if scale < 1.0:
                grads = grads * scale
        return grads

    def step(self, network):
        """Update ``network``'s parameters in place from its gradients (after ``backward``).

        A trace recording ``network`` gets the parameters before and after.

        Parameters
        ----------
        network : NeuralNetwork or VectorizedNetwork
            Its ``flat_parameters`` change; its ``flat_gradients`` are read (and
            not changed, even when clipped).

        Raises
        ------
        ValueError
            If this optimizer holds state (velocity, Adam's moments) for another
            network: use one optimizer per network, or call :meth:`reset` first.
        """
        self.bind(network)
        params = network.flat_parameters
        recorder = network.recorder
        if recorder is not None:
            recorder.record(network, "update", phase="before", optimizer=self)
        self.steps += 1
        self._update(params, self.clip(network.flat_gradients))
        if recorder is not None:
            recorder.record(network, "update", phase="after", optimizer=self)

    def __repr__(self):
        extra = "".join(f", {k}={getattr(self, k)}" for k in ("clip_value", "clip_norm")
                        if getattr(self, k) is not None)
        return f"{type(self).__name__}(lr={self.lr}{extra})"


class SGD(Optimizer):
    """Stochastic gradient descent, with optional momentum.

    Without momentum: ``w -= lr * g``. With momentum ``m`` (as in the week-42
    exercises and the hands-on): ``v = m * v - lr * g; w += v``, with the
    velocity ``v`` kept in ``state["velocity"]``.

    Parameters
    ----------
    lr : float > 0, default=0.1
        The learning rate.
    momentum : float in [0, 1), default=0.0
        How much of the last step is kept; 0 is plain gradient descent.
    clip_value : float > 0, default=None
        Clip every gradient entry into ``[-clip_value, clip_value]`` before the update.
    clip_norm : float > 0, default=None
        Scale the whole gradient vector down to length ``clip_norm`` when it is longer
        (after ``clip_value``, when both are given).
    **unknown
        Any other keyword is refused with a TypeError that names the closest
        parameter (``SGD(learning_rate=0.1)``: did you mean ``lr``?).

    Raises
    ------
    ValueError
        If a number is out of its range; the message names the parameter.

    Examples
    --------
    >>> import neurotrace as nt
    >>> net = nt.NeuralNetwork([1, 1], "identity", seed=0)
    >>> before = net.flat_parameters.copy()
    >>> _ = net.backprop([[1.0]], [[0.0]], "sse")
    >>> nt.SGD(lr=0.1).step(net)
    >>> bool(np.allclose(net.flat_parameters, before - 0.1 * net.flat_gradients))
    True
    """

    def __init__(self, lr=0.1, momentum=0.0, clip_value=None, clip_norm=None, **unknown):
        super().__init__(lr, clip_value, clip_norm, unknown)
        self.momentum = _check_number(momentum, "momentum", "SGD", low=0, high=1, low_open=False)

    def _update(self, params, g):
        if self.momentum == 0.0:
            params -= self.lr * g                         # w = w - lr * g
        else:
            v = self._state("velocity", params)
            v *= self.momentum                            # v = m * v - lr * g
            v -= self.lr * g
            params += v                                   # w = w + v

    def __repr__(self):
        return super().__repr__().replace("lr=", f"momentum={self.momentum}, lr=", 1) \
            if self.momentum else super().__repr__()


class Adam(Optimizer):
    """Adam (Kingma & Ba, 2015): momentum on the gradient and on its square, bias-corrected.

    ``m = b1 m + (1 - b1) g``, ``v = b2 v + (1 - b2) g^2``,
    ``w -= lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)``.

    ``m`` and ``v`` are kept in ``state["m"]`` and ``state["v"]``; ``t`` is :attr:`steps`.

    Parameters
    ----------
    lr : float > 0, default=0.001
        The learning rate.
    beta1 : float in [0, 1), default=0.9
        Decay of the gradient's running mean ``m``.
    beta2 : float in [0, 1), default=0.999
        Decay of the squared gradient's running mean ``v``.
    eps : float > 0, default=1e-8
        Added to ``sqrt(v_hat)`` so the step never divides by zero.
    clip_value : float > 0, default=None
        Clip every gradient entry into ``[-clip_value, clip_value]`` before the update.
    clip_norm : float > 0, default=None
        Scale the whole gradient vector down to length ``clip_norm`` when it is longer
        (after ``clip_value``, when both are given).
    **unknown
        Any other keyword is refused with a TypeError that names the closest
        parameter (``SGD(learning_rate=0.1)``: did you mean ``lr``?).

    Raises
    ------
    ValueError
        If a number is out of its range; the message names the parameter.

    Examples
    --------
    >>> import neurotrace as nt
    >>> net = nt.NeuralNetwork([1, 1], "identity", seed=0)
    >>> before = net.flat_parameters.copy()
    >>> _ = net.backprop([[1.0]], [[0.0]], "sse")
    >>> adam = nt.Adam(lr=0.01)
    >>> adam.step(net)
    >>> np.abs(net.flat_parameters - before).round(6).tolist()  # the first step is lr per parameter
    [0.01, 0.01]
    >>> sorted(adam.state), adam.steps
    (['m', 'v'], 1)
    """

    def __init__(self, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, clip_value=None,
                 clip_norm=None, **unknown):
        super().__init__(lr, clip_value, clip_norm, unknown)
        self.beta1 = _check_number(beta1, "beta1", "Adam", low=0, high=1, low_open=False)
        self.beta2 = _check_number(beta2, "beta2", "Adam", low=0, high=1, low_open=False)
        self.eps = _check_number(eps, "eps", "Adam", low=0)

    def _update(self, params, g):
        m, v, t = self._state("m", params), self._state("v", params), self.steps
        m *= self.beta1                                   # m = b1 m + (1 - b1) g
        m += (1 - self.beta1) * g
        v *= self.beta2                                   # v = b2 v + (1 - b2) g^2
        v += (1 - self.beta2) * (g * g)
        m_hat = m / (1 - self.beta1 ** t)                 # bias corrections
        v_hat = v / (1 - self.beta2 ** t)
        params -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)
