"""Backpropagation checked against two independent references.

For every activation x every loss, on networks of several shapes, for one
sample and for a batch:

* central finite differences (``nt.numerical_gradients``, what ``nt.gradcheck``
  uses), which only evaluate the loss;
* autograd, differentiating a forward pass written here from scratch in
  ``autograd.numpy`` from the network's parameters (the seeds' own reference).

bce and cross_entropy need outputs in (0, 1), so they are paired with sigmoid
and softmax output layers (every activation is still tested in the hidden
layers); on identity outputs they must fail clearly (see test_errors.py).
"""
import autograd
import autograd.numpy as anp
import numpy as np
import pytest

import neurotrace as nt

ACTIVATIONS = ["identity", "sigmoid", "tanh", "relu", "leaky_relu"]
LOSSES = ["mse", "sse", "bce", "cross_entropy"]
SHAPES = [[3, 1], [2, 4, 3], [4, 5, 5, 2]]
N_SAMPLES = 5          # the batch size; None below means one sample of shape (n_inputs,)


# --- the independent reference: the same function, written for autograd ----------------
def reference_activation(name, Z):
    if name == "identity":
        return Z
    if name == "sigmoid":
        return 1.0 / (1.0 + anp.exp(-Z))
    if name == "tanh":
        return anp.tanh(Z)
    if name == "relu":
        return anp.where(Z > 0, Z, 0.0)
    if name == "leaky_relu":
        return anp.where(Z > 0, Z, 0.01 * Z)
    if name == "softmax":                       # across the last axis (the layer)
        E = anp.exp(Z)
        return E / anp.sum(E, axis=-1, keepdims=True)
    raise AssertionError(name)


def reference_loss(name, A, Y):
    if name == "mse":
        return anp.mean((A - Y) ** 2)
    if name == "sse":
        return 0.5 * anp.sum((A - Y) ** 2)
    if name == "bce":
        return anp.mean(-(Y * anp.log(A) + (1.0 - Y) * anp.log(1.0 - A)))
    if name == "cross_entropy":
        n_samples = A.shape[0] if A.ndim == 2 else 1
        return -anp.sum(Y * anp.log(A)) / n_samples
    raise AssertionError(name)


def reference_forward(params, X, names):
    A = X
    for (W, b), name in zip(params, names):
        A = reference_activation(name, anp.dot(A, W) + b)    # z = x W + b, a = f(z)
    return A


def reference_gradients(net, X, Y, loss):
    """autograd's ``[(dW_1, db_1), ...]`` at the network's current parameters."""
    params = [(W.copy(), b.copy()) for W, b in net.parameters()]
    names = list(net.activation_names)

    def L(params):
        return reference_loss(loss, reference_forward(params, X, names), Y)
    return autograd.grad(L)(params)


# --- random problems that stay away from the kinks of relu / leaky_relu ----------------
def make_targets(loss, output, shape, rng):
    if loss in ("mse", "sse"):
        return rng.normal(size=shape)
    if loss == "bce" or output == "sigmoid":      # independent outputs in (0, 1)
        return rng.uniform(0.05, 0.95, size=shape)
    # cross_entropy on a softmax layer: one-hot for one sample, distributions for a batch
    if len(shape) == 1:
        return np.eye(shape[-1])[rng.integers(shape[-1])]
    Y = rng.uniform(size=shape)
    return Y / Y.sum(axis=1, keepdims=True)


def make_problem(sizes, hidden, output, loss, n_samples, backend=nt.NeuralNetwork):
    """A network, inputs and targets; the seed is the first that keeps every relu ``|z| > 1e-3``.

    The search is deterministic, so each test always sees the same problem. It
    also insists that most gradients are non-zero, so that a dead network cannot
    pass the comparison trivially, and that sigmoid / softmax outputs are not
    saturated (``1 - a`` of an output within 1e-11 of 1 has lost five digits,
    and finite differences of such a loss measure rounding, not the slope).
    """
    for seed in range(200):
        rng = np.random.default_rng(seed)
        net = backend(sizes, activation=hidden, output_activation=output, seed=seed)
        X = rng.normal(size=(sizes[0],) if n_samples is None else (n_samples, sizes[0]))
        out_shape = (sizes[-1],) if n_samples is None else (n_samples, sizes[-1])
        Y = make_targets(loss, output, out_shape, rng)
        if kinks_are_far(net, X) and not_saturated(net, X) and mostly_alive(net, X, Y, loss):
            return net, X, Y
    raise AssertionError("no seed keeps the relu inputs away from 0")


def pre_activations(net, X):
    """``Z`` of every layer, by the reference forward pass (independent of the engine)."""
    Zs, A = [], X
    for (W, b), name in zip(net.parameters(), net.activation_names):
        Z = A @ W + b
        Zs.append(Z)
        A = reference_activation(name, Z)
    return Zs


def kinks_are_far(net, X):
    return all(np.min(np.abs(Z)) > 1e-3
               for Z, name in zip(pre_activations(net, X), net.activation_names)
               if name in ("relu", "leaky_relu"))


def not_saturated(net, X):
    if net.activation_names[-1] not in ("sigmoid", "softmax"):
        return True
    A = reference_forward(net.parameters(), X, net.activation_names)
    return np.min(A) > 1e-4 and np.max(A) < 1 - 1e-4


def mostly_alive(net, X, Y, loss):
    grads = reference_gradients(net, X, Y, loss)
    flat = np.concatenate([np.concatenate([dW.ravel(), db]) for dW, db in grads])
    return np.count_nonzero(np.abs(flat) > 1e-12) >= 0.5 * flat.size


def cases():
    """(sizes, hidden activation, output activation, loss), without duplicates."""
    seen, out = set(), []
    for act in ACTIVATIONS:
        for loss in LOSSES:
            if loss in ("mse", "sse"):
                outputs = [act, "softmax"]
            else:                                 # bce / cross_entropy need (0, 1)
                outputs = ["sigmoid", "softmax"]
            for output in outputs:
                for sizes in SHAPES:
                    if output == "softmax" and sizes[-1] == 1:
                        sizes = [sizes[0], 2]     # a one-output softmax is constant 1
                    hidden = act if len(sizes) > 2 else output
                    key = (tuple(sizes), hidden, output, loss)
                    if key not in seen:
                        seen.add(key)
                        out.append(pytest.param(
                            list(sizes), hidden, output, loss,
                            id=f"{'-'.join(map(str, sizes))}-{hidden}-{output}-{loss}"))
    return out


CASES = cases()
BATCHES = [pytest.param(None, id="one"), pytest.param(N_SAMPLES, id="batch")]


def flat(grads):
    return np.concatenate([np.concatenate([np.ravel(dW), np.ravel(db)]) for dW, db in grads])


def assert_matches_finite_differences(net, X, Y, loss):
    """Every parameter's gradient within 1e-6 (relative) of central differences.

    Central differences carry a rounding error of about 1e-16 * L / eps in each
    entry, whatever its size, so entries far smaller than the largest one
    (leaky_relu's 0.01 slope makes many) get an absolute allowance of 1e-7 of
    the largest gradient; the autograd comparison checks every entry to 1e-10.
    """
    numeric = nt.numerical_gradients(net, X, Y, loss=loss)
    net.backprop(X, Y, loss=loss)
    analytic = net.flat_gradients.copy()
    scale = np.max(np.abs(analytic))
    assert scale > 1e-6
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-7 * scale)


# --- the tests ----------------------------------------------------------------------------
@pytest.mark.parametrize("n_samples", BATCHES)
@pytest.mark.parametrize("sizes, hidden, output, loss", CASES)
def test_backprop_matches_finite_differences(sizes, hidden, output, loss, n_samples):
    net, X, Y = make_problem(sizes, hidden, output, loss, n_samples)
    assert_matches_finite_differences(net, X, Y, loss)


@pytest.mark.parametrize("backend", [nt.NeuralNetwork, nt.VectorizedNetwork],
                         ids=["neurons", "vectorized"])
@pytest.mark.parametrize("n_samples", BATCHES)
@pytest.mark.parametrize("sizes, hidden, output, loss", CASES)
def test_backprop_matches_autograd(sizes, hidden, output, loss, n_samples, backend):
    net, X, Y = make_problem(sizes, hidden, output, loss, n_samples, backend)
    ours = net.gradients(X, Y, loss=loss)
    ref = reference_gradients(net, X, Y, loss)
    for (dW, db), (W, b), (rW, rb) in zip(ours, net.parameters(), ref):
        assert dW.shape == W.shape and db.shape == b.shape
        assert rW.shape == W.shape and rb.shape == b.shape
    scale = max(np.max(np.abs(flat(ref))), 1e-300)
    np.testing.assert_allclose(flat(ours), flat(ref), rtol=1e-10, atol=1e-12 * scale)


@pytest.mark.parametrize("n_samples", BATCHES)
@pytest.mark.parametrize("output", ACTIVATIONS + ["softmax"])
@pytest.mark.parametrize("hidden", ACTIVATIONS)
def test_error_sent_to_the_inputs_matches_autograd(hidden, output, n_samples):
    """``net.backward(dL/da)`` returns dL/dx, the error the inputs receive."""
    net, X, Y = make_problem([3, 4, 2], hidden, output, "mse", n_samples)
    out = net.forward(X)
    dx = net.backward(nt.losses.mse.gradient(out, Y))
    params = [(W.copy(), b.copy()) for W, b in net.parameters()]
    names = list(net.activation_names)
    ref = autograd.grad(lambda X: reference_loss("mse", reference_forward(params, X, names), Y))(X)
    assert dx.shape == X.shape
    np.testing.assert_allclose(dx, ref, rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("n_samples", BATCHES)
@pytest.mark.parametrize("output", ["softmax", "sigmoid"])
def test_cross_entropy_with_targets_that_do_not_sum_to_one(output, n_samples):
    """Soft targets whose rows do not sum to 1: the (p - y)/n shortcut does not apply.

    Then dL/dz = p * sum(y) - y; the engine must not use the shortcut there
    (it did, and nt.gradcheck reported a relative error of 1.0).
    """
    rng = np.random.default_rng(7)
    net = nt.NeuralNetwork([3, 4, 3], activation="tanh", output_activation=output,
                           init="normal", seed=3)
    X = rng.normal(size=(3,) if n_samples is None else (n_samples, 3))
    Y = rng.uniform(0.1, 0.9, size=net.forward(X).shape)
    assert_matches_finite_differences(net, X, Y, "cross_entropy")
    np.testing.assert_allclose(flat(net.gradients(X, Y, "cross_entropy")),
                               flat(reference_gradients(net, X, Y, "cross_entropy")),
                               rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("n_samples", BATCHES)
def test_user_defined_loss_matches_finite_differences_and_autograd(n_samples):
    """A loss of one's own: log-cosh, its gradient tanh(a - y) / a.size."""
    log_cosh = nt.Loss("log_cosh", lambda a, y: np.mean(np.log(np.cosh(a - y))),
                       lambda a, y: np.tanh(a - y) / a.size)
    net, X, Y = make_problem([4, 5, 2], "tanh", "identity", "mse", n_samples)
    assert_matches_finite_differences(net, X, Y, log_cosh)
    params = [(W.copy(), b.copy()) for W, b in net.parameters()]
    names = list(net.activation_names)
    ref = autograd.grad(lambda p: anp.mean(anp.log(anp.cosh(reference_forward(p, X, names) - Y))))(
        params)
    np.testing.assert_allclose(flat(net.gradients(X, Y, log_cosh)), flat(ref),
                               rtol=1e-10, atol=1e-14)


def test_gradcheck_catches_a_wrong_gradient():
    """The checker is a test only if it fails on a wrong gradient."""
    wrong = nt.Loss("mse with a wrong gradient", lambda a, y: np.mean((a - y) ** 2),
                    lambda a, y: (a - y) / a.size)          # missing the factor 2
    net, X, Y = make_problem([2, 3, 1], "tanh", "identity", "mse", N_SAMPLES)
    assert nt.gradcheck(net, X, Y, loss=wrong) > 0.1
    assert nt.gradcheck(net, X, Y, loss="mse") < 1e-6
