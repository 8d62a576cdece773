"""Input checks shared by the engine: fail early, name the culprit, say what was expected."""
import numbers

import numpy as np

from .names import closest, neuron


def check_size(value, what, owner):
    """``value`` as a positive int, or a ValueError naming ``what`` and ``owner``."""
    if (isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral)
            or value < 1):
        raise ValueError(f"{owner}: {what} must be a positive integer, got {value!r}.")
    return int(value)


def check_finite(array, what, owner):
    """Raise if ``array`` holds NaN or inf, saying where the first one is."""
    if not np.all(np.isfinite(array)):
        bad = np.argwhere(~np.isfinite(array))[0]
        where = f" at index {tuple(int(i) for i in bad)}" if array.ndim else ""
        raise ValueError(f"{owner}: {what} contain NaN or inf{where} "
                         f"(value {array[tuple(bad)].item()!r}); expected finite numbers.")


def as_float_array(data, what, owner, dtype=np.float64, copy=False):
    """``data`` as a float array (a new one if ``copy``), or a ValueError naming ``what``."""
    if np.iscomplexobj(data):
        raise ValueError(f"{owner}: {what} must be real numbers, got complex numbers "
                         f"(e.g. {np.asarray(data).flat[0]!r}); pass the real part (.real) "
                         f"if that is what you mean.")
    try:
        return np.array(data, dtype=dtype, copy=True) if copy else np.asarray(data, dtype=dtype)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{owner}: {what} must be numbers, got {type(data).__name__} "
                         f"({error}).") from None


def check_inputs(X, n_inputs, owner, dtype=np.float64, copy=False):
    """``X`` as a float array of shape ``(n_inputs,)`` or ``(n_samples, n_inputs)``.

    ``copy=True`` returns a new array, so that a caller who changes ``X`` later
    (``X *= 10``) changes nothing the engine remembers.
    """
    X = as_float_array(X, "inputs", owner, dtype, copy)
    if X.ndim == 2 and X.shape[0] == 0 and X.shape[1] == n_inputs:
        raise ValueError(f"{owner} got an empty batch, shape {X.shape}: expected at least one "
                         f"sample, an array of shape (n_samples, {n_inputs}) with "
                         f"n_samples >= 1.")
    if X.ndim not in (1, 2) or X.shape[-1] != n_inputs or X.shape[0] == 0:
        raise ValueError(f"{owner} expected {n_inputs} inputs: an array of shape ({n_inputs},) "
                         f"or (n_samples, {n_inputs}), got array of shape {X.shape}.")
    check_finite(X, "inputs", owner)
    return X


def check_targets(Y, output_shape, owner, dtype=np.float64):
    """``Y`` shaped like the network's output ``output_shape``.

    A 1-D ``Y`` of length n_samples is accepted for a one-output network fed a
    batch, and reshaped to ``(n_samples, 1)``: that is unambiguous.
    """
    Y = as_float_array(Y, "targets", owner, dtype)
    if Y.shape != output_shape and len(output_shape) == 2 and output_shape[1] == 1 \
            and Y.shape == output_shape[:1]:
        Y = Y.reshape(output_shape)
    if Y.shape != output_shape:
        raise ValueError(f"{owner}: targets must have the shape of the outputs, "
                         f"{output_shape}, got array of shape {Y.shape}.")
    check_finite(Y, "targets", owner)
    return Y


def unknown_name(parameter, value, choices, owner, extra=""):
    """The ValueError for a name that is not one of ``choices``, with "did you mean".

    >>> print(unknown_name("activation", "ReLU", ["relu", "tanh"], "Neuron"))
    The 'activation' parameter of Neuron must be one of ['relu', 'tanh']. Got 'ReLU' ...
    """
    choices = list(choices)
    guess = closest(value, choices)
    hint = f" Did you mean {guess!r}?" if guess is not None else ""
    of = f" of {owner}" if owner else ""
    return ValueError(f"The {parameter!r} parameter{of} must be one of {choices}{extra}. "
                      f"Got {value!r} instead.{hint}")


def check_seed(seed, owner):
    """``seed`` as given if numpy's ``default_rng`` takes it, else a ValueError that says why.

    >>> check_seed(0, "NeuralNetwork")
    0
    >>> check_seed("42", "NeuralNetwork")
    Traceback (most recent call last):
    ValueError: The 'seed' parameter of NeuralNetwork must be a non-negative integer or None. ...
    """
    if seed is None or (isinstance(seed, (numbers.Integral, np.integer))
                        and not isinstance(seed, (bool, np.bool_)) and seed >= 0):
        return seed
    if isinstance(seed, (np.random.SeedSequence, np.random.BitGenerator,
                         np.random.Generator)):
        return seed
    if isinstance(seed, (list, tuple, np.ndarray)) and len(seed) and all(
            isinstance(s, (numbers.Integral, np.integer)) and not isinstance(s, bool) and s >= 0
            for s in np.ravel(seed)):
        return seed
    of = f" of {owner}" if owner else ""
    raise ValueError(f"The 'seed' parameter{of} must be a non-negative integer or None. "
                     f"Got {seed!r} ({type(seed).__name__}) instead.")


def check_parameters(network, owner=None):
    """Raise if any of ``network``'s parameters is NaN or inf, naming the first such one.

    One dot product decides (``p @ p`` is finite only when every entry is); only
    when it is not is the culprit looked for. Both backends keep every parameter
    in ``flat_parameters``, laid out layer by layer, neuron by neuron,
    ``[w_0, ..., w_{n_inputs-1}, b]``.

    >>> import neurotrace as nt
    >>> net = nt.NeuralNetwork([2, 1], seed=0)
    >>> net.parameters()[0][0][1, 0] = float("nan")
    >>> check_parameters(net)
    Traceback (most recent call last):
    ValueError: NeuralNetwork: parameter L1.N0.w1 is nan; a network's weights and biases ...
    """
    p = network.flat_parameters
    with np.errstate(over="ignore", invalid="ignore"):
        if np.isfinite(p @ p):
            return
    bad = int(np.flatnonzero(~np.isfinite(p))[0])
    sizes, start = network.sizes, 0
    for l, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        stop = start + (n_in + 1) * n_out
        if bad < stop:
            j, i = divmod(bad - start, n_in + 1)
            where = f"{neuron(l, j)}.{'b' if i == n_in else f'w{i}'}"
            break
        start = stop
    owner = owner or type(network).__name__
    raise ValueError(f"{owner}: parameter {where} is {float(p[bad])!r}; a network's "
                     f"weights and biases must be finite. Something wrote it into the live "
                     f"arrays (parameters(), flat_parameters or a neuron's weights): set it to a "
                     f"finite number, or build the network again.")


def check_loss_result(loss, value, gradient, a):
    """Raise if a (user-defined) loss gave a NaN or inf value or gradient, naming the loss.

    Built-in losses stay finite where their outputs are valid; a loss of the user's
    own may not, and a NaN gradient would otherwise spread to every parameter.
    """
    name = getattr(loss, "name", None) or type(loss).__name__
    if not np.isfinite(value):
        raise ValueError(f"Loss {name!r}: value(a, y) returned {value!r}; expected a finite "
                         f"number (outputs a in [{np.min(a):.6g}, {np.max(a):.6g}]). Check the "
                         f"loss's formula (a log of 0? a division by 0?).")
    if not np.all(np.isfinite(gradient)):
        bad = tuple(int(i) for i in np.argwhere(~np.isfinite(gradient))[0])
        raise ValueError(f"Loss {name!r}: gradient(a, y) contains {float(gradient[bad])!r} at "
                         f"index {bad} (where a = {float(a[bad])!r}); expected finite numbers of the shape "
                         f"of a. Check the gradient's formula.")
