"""Optimizers: each update equals its formula written out here, on both backends.

The gradients come from the engine (they are checked elsewhere against finite
differences); what is checked here is what the optimizer does with them:
SGD ``w -= lr g``, momentum ``v = m v - lr g; w += v``, Adam with bias correction,
and clipping by value and by norm.
"""
import math

import numpy as np
import pytest

import neurotrace as nt

BACKENDS = ["neurons", "vectorized"]


def make_network(backend, sizes=(3, 4, 2), activation="tanh", output_activation="sigmoid"):
    net = nt.NeuralNetwork(list(sizes), activation, output_activation, seed=0)
    return net if backend == "neurons" else net.to_vectorized()


def batches(n_steps, n_inputs=3, n_outputs=2, n_samples=5, seed=0):
    """A different batch for every step, so that the gradient changes from step to step."""
    rng = np.random.default_rng(seed)
    return [(rng.normal(size=(n_samples, n_inputs)), rng.uniform(size=(n_samples, n_outputs)))
            for _ in range(n_steps)]


def gradient(net, X, Y, loss="mse"):
    """dL/d(every parameter) at the current parameters, laid out like flat_parameters."""
    net.backprop(X, Y, loss)
    return net.flat_gradients.copy()


@pytest.mark.parametrize("backend", BACKENDS)
def test_sgd_is_w_minus_lr_times_g(backend):
    net, lr = make_network(backend), 0.3
    w = net.flat_parameters.copy()
    opt = nt.SGD(lr=lr)
    for X, Y in batches(4):
        g = gradient(net, X, Y)
        opt.step(net)
        w = w - lr * g
        np.testing.assert_allclose(net.flat_parameters, w, rtol=1e-15, atol=1e-15)
    assert opt.steps == 4
    assert opt.state == {}                       # plain SGD keeps no state


@pytest.mark.parametrize("backend", BACKENDS)
def test_momentum_is_v_equals_m_v_minus_lr_g(backend):
    net, lr, m = make_network(backend), 0.2, 0.9
    w, v = net.flat_parameters.copy(), np.zeros(net.flat_parameters.size)
    opt = nt.SGD(lr=lr, momentum=m)
    for t, (X, Y) in enumerate(batches(5), start=1):
        g = gradient(net, X, Y)
        opt.step(net)
        v = m * v - lr * g                       # the velocity remembers past steps
        w = w + v
        np.testing.assert_allclose(opt.state["velocity"], v, rtol=1e-14, atol=1e-16)
        np.testing.assert_allclose(net.flat_parameters, w, rtol=1e-14, atol=1e-16)
        assert opt.steps == t
    # The velocity is laid out like the parameters: row j of layer l's block is neuron j.
    assert opt.state["velocity"].shape == net.flat_parameters.shape
    # Momentum made a difference: plain SGD on the same batches ends elsewhere.
    plain = make_network(backend)
    for X, Y in batches(5):
        gradient(plain, X, Y)
        nt.SGD(lr=lr).step(plain)
    assert np.max(np.abs(plain.flat_parameters - net.flat_parameters)) > 1e-3


@pytest.mark.parametrize("backend", BACKENDS)
def test_adam_is_the_formula_with_bias_correction(backend):
    net, lr, b1, b2, eps = make_network(backend), 0.01, 0.8, 0.95, 1e-7
    w = net.flat_parameters.copy()
    m, v = np.zeros_like(w), np.zeros_like(w)
    opt = nt.Adam(lr=lr, beta1=b1, beta2=b2, eps=eps)
    for t, (X, Y) in enumerate(batches(5), start=1):
        g = gradient(net, X, Y)
        opt.step(net)
        m = b1 * m + (1 - b1) * g                # first moment
        v = b2 * v + (1 - b2) * g ** 2           # second moment
        m_hat = m / (1 - b1 ** t)                # bias corrections
        v_hat = v / (1 - b2 ** t)
        w = w - lr * m_hat / (np.sqrt(v_hat) + eps)
        np.testing.assert_allclose(opt.state["m"], m, rtol=1e-14, atol=1e-18)
        np.testing.assert_allclose(opt.state["v"], v, rtol=1e-14, atol=1e-18)
        np.testing.assert_allclose(net.flat_parameters, w, rtol=1e-14, atol=1e-16)
        assert opt.steps == t


def test_adam_first_step_moves_every_parameter_by_about_lr():
    # With bias correction, m_hat / sqrt(v_hat) = g / |g| on step 1: each w moves by ~lr.
    net = make_network("vectorized")
    before = net.flat_parameters.copy()
    (X, Y), = batches(1)
    g = gradient(net, X, Y)
    nt.Adam(lr=0.01, eps=1e-12).step(net)
    step = net.flat_parameters - before
    moved = np.abs(g) > 1e-8
    np.testing.assert_allclose(step[moved], -0.01 * np.sign(g[moved]), rtol=1e-6)


@pytest.mark.parametrize("make_optimizer", [lambda: nt.SGD(lr=0.1),
                                            lambda: nt.SGD(lr=0.1, momentum=0.5),
                                            lambda: nt.Adam(lr=0.05),
                                            lambda: nt.SGD(lr=0.1, clip_value=0.05),
                                            lambda: nt.Adam(lr=0.05, clip_norm=0.1)],
                         ids=["sgd", "momentum", "adam", "clip_value", "clip_norm"])
def test_both_backends_get_the_same_updates(make_optimizer):
    nets = [make_network(b) for b in BACKENDS]
    opts = [make_optimizer() for _ in BACKENDS]
    for X, Y in batches(5):
        for net, opt in zip(nets, opts):
            gradient(net, X, Y)
            opt.step(net)
    np.testing.assert_allclose(nets[0].flat_parameters, nets[1].flat_parameters,
                               rtol=0, atol=1e-12)
    for key in opts[0].state:
        np.testing.assert_allclose(opts[0].state[key], opts[1].state[key], rtol=0, atol=1e-12)


# --- clipping -----------------------------------------------------------------------------
def steep_network(backend):
    """Identity outputs and far-away targets: gradients much larger than 1."""
    net = make_network(backend, activation="tanh", output_activation="identity")
    X, Y = batches(1)[0]
    return net, X, 50.0 + 10 * Y


@pytest.mark.parametrize("backend", BACKENDS)
def test_clip_value_bounds_every_entry_of_the_update(backend):
    lr, clip = 0.1, 1.0
    net, X, Y = steep_network(backend)
    before = net.flat_parameters.copy()
    g = gradient(net, X, Y)
    assert np.max(np.abs(g)) > 10 * clip                 # so that clipping has work to do
    opt = nt.SGD(lr=lr, clip_value=clip)
    opt.step(net)
    dw = net.flat_parameters - before
    assert np.max(np.abs(dw)) <= lr * clip * (1 + 1e-12)
    big = np.abs(g) > clip
    np.testing.assert_allclose(dw[big], -lr * clip * np.sign(g[big]), rtol=1e-12)
    np.testing.assert_allclose(dw[~big], -lr * g[~big], rtol=1e-12, atol=1e-16)
    assert opt.last_clip == {"kind": "value", "n_clipped": int(np.count_nonzero(big))}
    # Backprop's gradients are not changed: only the update uses the clipped ones.
    np.testing.assert_array_equal(net.flat_gradients, g)


@pytest.mark.parametrize("backend", BACKENDS)
def test_clip_norm_bounds_the_norm_of_the_update(backend):
    lr, clip = 0.1, 2.0
    net, X, Y = steep_network(backend)
    before = net.flat_parameters.copy()
    g = gradient(net, X, Y)
    norm = math.sqrt(float(np.sum(g ** 2)))
    assert norm > 10 * clip
    opt = nt.SGD(lr=lr, clip_norm=clip)
    opt.step(net)
    dw = net.flat_parameters - before
    assert np.linalg.norm(dw) <= lr * clip * (1 + 1e-12)
    # The direction is kept: the gradient is scaled down to length clip_norm.
    np.testing.assert_allclose(dw, -lr * g * (clip / norm), rtol=1e-12, atol=1e-16)
    assert opt.last_clip["kind"] == "norm"
    assert opt.last_clip["norm"] == pytest.approx(norm, rel=1e-12)
    assert opt.last_clip["scale"] == pytest.approx(clip / norm, rel=1e-12)


def test_clip_norm_leaves_a_short_gradient_alone():
    net = make_network("neurons")
    before = net.flat_parameters.copy()
    (X, Y), = batches(1)
    g = gradient(net, X, Y)
    opt = nt.SGD(lr=0.1, clip_norm=1e6)
    opt.step(net)
    np.testing.assert_array_equal(net.flat_parameters, before - 0.1 * g)
    assert opt.last_clip["scale"] == 1.0


def test_clipping_feeds_the_clipped_gradient_into_momentum():
    lr, m, clip = 0.1, 0.9, 0.5
    net, X, Y = steep_network("vectorized")
    opt = nt.SGD(lr=lr, momentum=m, clip_value=clip)
    v = np.zeros(net.flat_parameters.size)
    for _ in range(3):
        g = gradient(net, X, Y)
        opt.step(net)
        v = m * v - lr * np.clip(g, -clip, clip)
    np.testing.assert_allclose(opt.state["velocity"], v, rtol=1e-14)


def test_no_clipping_reports_none():
    net = make_network("neurons")
    (X, Y), = batches(1)
    gradient(net, X, Y)
    opt = nt.SGD(lr=0.1)
    opt.step(net)
    assert opt.last_clip is None


# --- bad hyperparameters ------------------------------------------------------------------
@pytest.mark.parametrize("make, name", [
    (lambda: nt.SGD(lr=0), "lr"),
    (lambda: nt.SGD(lr=-0.1), "lr"),
    (lambda: nt.SGD(lr=float("nan")), "lr"),
    (lambda: nt.SGD(lr=float("inf")), "lr"),
    (lambda: nt.SGD(lr="0.1"), "lr"),
    (lambda: nt.SGD(lr=None), "lr"),
    (lambda: nt.SGD(lr=True), "lr"),
    (lambda: nt.Adam(lr=0.0), "lr"),
    (lambda: nt.SGD(lr=0.1, momentum=1.0), "momentum"),
    (lambda: nt.SGD(lr=0.1, momentum=-0.1), "momentum"),
    (lambda: nt.SGD(lr=0.1, momentum="0.9"), "momentum"),
    (lambda: nt.Adam(beta1=1.0), "beta1"),
    (lambda: nt.Adam(beta1=-0.1), "beta1"),
    (lambda: nt.Adam(beta2=1.5), "beta2"),
    (lambda: nt.Adam(beta2=float("nan")), "beta2"),
    (lambda: nt.Adam(eps=0), "eps"),
    (lambda: nt.Adam(eps=-1e-8), "eps"),
    (lambda: nt.SGD(lr=0.1, clip_value=0), "clip_value"),
    (lambda: nt.SGD(lr=0.1, clip_value=-1.0), "clip_value"),
    (lambda: nt.SGD(lr=0.1, clip_value="1"), "clip_value"),
    (lambda: nt.Adam(clip_norm=0.0), "clip_norm"),
    (lambda: nt.Adam(clip_norm=-5), "clip_norm"),
])
def test_bad_hyperparameters_raise_naming_the_parameter(make, name):
    with pytest.raises(ValueError, match=rf"The '{name}' parameter of (SGD|Adam) must be"):
        make()


def test_good_edge_hyperparameters_are_accepted():
    assert nt.SGD(lr=1e-6, momentum=0.0).momentum == 0.0
    assert nt.SGD(lr=1, momentum=0.99).lr == 1.0
    assert nt.Adam(beta1=0.0, beta2=0.0).beta2 == 0.0


def test_one_optimizer_per_network():
    opt = nt.SGD(lr=0.1, momentum=0.9)
    small, large = make_network("neurons"), make_network("neurons", sizes=(3, 5, 2))
    gradient(small, *batches(1)[0])
    opt.step(small)
    gradient(large, *batches(1)[0])
    with pytest.raises(ValueError, match="one optimizer per network"):
        opt.step(large)
