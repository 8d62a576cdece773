"""Input checks shared by the engine: fail early, name the culprit, say what was expected."""
import numbers

import numpy as np


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
