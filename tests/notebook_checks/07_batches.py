# ruff: noqa: F821  (these cells run after the notebook's own cells, in its kernel)
# Checks of tutorials/07_batches: run by tests/test_tutorials.py.

# %%
np.testing.assert_allclose(dW1, printed_autograd, rtol=0, atol=5e-9)      # printed to 8 decimals
np.testing.assert_allclose(dW1 / 10, printed_manual, rtol=0, atol=5e-9)   # the mean taken twice

# %%
assert first.key == ("forward", "L1.N0") and first.values["z"].shape == (10,)
np.testing.assert_allclose(first.values["z"], X @ W1[:, 0] + b1[0], rtol=1e-14)
np.testing.assert_allclose(back.values["grad_weights"], back.values["delta"] @ X, rtol=1e-12)
np.testing.assert_allclose(back.values["grad_weights"], dW1[:, 0], rtol=1e-12)
assert s.finished
np.testing.assert_allclose(s.network["L1.N0"].weights, W1[:, 0] - 0.1 * dW1[:, 0], rtol=1e-14)

# %%
explanation = t.explain("L1.N0", "w0", step=0)
assert explanation.value == dW1[0, 0] or np.isclose(explanation.value, dW1[0, 0], rtol=1e-12)
np.testing.assert_allclose(shares.sum(), dW1[0, 0], rtol=1e-12)
np.testing.assert_allclose(shares, g[:, 0, 0] / len(X), rtol=1e-12)
np.testing.assert_allclose(t.explain("L1.N0", "w0", step=0, sample=3).value, shares[3], rtol=1e-12)

# %%
np.testing.assert_allclose(g.mean(axis=0), dW1, rtol=1e-12, atol=1e-16)
np.testing.assert_allclose(g_half_mean, dW1_half, rtol=1e-12, atol=1e-16)

# %%
np.testing.assert_allclose(neuron.delta @ X, neuron.grad_weights, rtol=1e-12)
assert neuron.z.shape == (10,)
assert np.allclose(Z_batch, Z_one, rtol=1e-14)

# %%
for (W, b), (Wv, bv), (Wn, bn) in zip(layers, speedy.parameters(), neurons.parameters()):
    np.testing.assert_allclose(Wv, W, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(bv, b, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(Wn, Wv, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(bn, bv, rtol=1e-12, atol=1e-15)
