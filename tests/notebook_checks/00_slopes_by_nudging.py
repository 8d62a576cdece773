# ruff: noqa: F821  (these cells run after the notebook's own cells, in its kernel)
# Checks of tutorials/00_slopes_by_nudging: run by tests/test_tutorials.py.

# %% the neuron of the notes on Neural Networks from Scratch: L = a^2 = 36, slope 12
assert L0 == 36.0
assert abs((loss_with_w0(-3.0 + 1e-3) - L0) / 1e-3 - 12.001) < 1e-9       # forward: 12 + h
assert abs((loss_with_w0(-3.0 + 1.0) - loss_with_w0(-3.0 - 1.0)) / 2 - 12.0) < 1e-12

# %% numerical (nudging) and analytic (backprop) gradients agree; a dead region has slope 0
np.testing.assert_allclose(analytic, [12.0, -24.0, 36.0, 12.0], rtol=0, atol=0)
np.testing.assert_allclose(numeric, analytic, rtol=1e-8)
assert nt.gradcheck(net, x, no_target, loss=a_squared) < 1e-9
assert loss_with_w0(-10.0) == 0.0 and loss_with_w0(-10.0 + 1e-3) == 0.0

# %% the homework's problem 1: grad ||x||^2 = 2x; the mean minimises the squared distances
np.testing.assert_allclose(measured, 2 * point, rtol=0, atol=1e-8)
np.testing.assert_allclose(mu, points.mean(axis=0), rtol=0, atol=1e-9)

# %% the homework's problem 3 b: grad sum (y - f)^2 = -2 sum (y - f) grad f
np.testing.assert_allclose(left, right, rtol=0, atol=1e-13)
assert np.abs(left).max() > 0.01

# %% the homework's problem 2: L1 trains with its subgradient
assert history.loss[-1] < history.loss[0] / 3
np.testing.assert_allclose(linear["L1.N0"].weights, [1.5, -0.5], atol=0.2)

# %% what_if: the re-run step's loss change is (12 + h) h, the gradient predicts 12 h
assert t[0].loss == 36.0 and t[0].backward["L1.N0"]["grad_weights"][0] == 12.0
for h, nudge in nudges.items():
    assert nudge.loss_before == 36.0 and nudge.predicted == 12.0 * h
    assert abs(nudge.change - (12.0 + h) * h) < 1e-9
    assert abs(nudge.loss_after - loss_with_w0(-3.0 + h)) < 1e-12      # the same as nudging by hand
