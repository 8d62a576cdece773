# ruff: noqa: F821  (these cells run after the notebook's own cells, in its kernel)
# Checks of tutorials/08_softmax_cross_entropy: run by tests/test_tutorials.py.

# %%
np.testing.assert_allclose(loss_event.values["delta"], (loss_event.values["a"] - Y3) / 3, rtol=1e-12)
np.testing.assert_allclose(loss_event.values["a"], P, rtol=1e-12)      # the stepper and the trace agree
np.testing.assert_allclose(t.explain("L2.N0", "delta", step=0).value, deltas[:, 0], rtol=1e-12)
assert s.finished

# %%
assert t[0].fused
np.testing.assert_allclose(deltas, (P - Y3) / 3, rtol=1e-12, atol=1e-17)
assert nt.gradcheck(net, X3, Y3, loss="cross_entropy") < 1e-6

# %%
np.testing.assert_array_equal(week41_softmax(z[:1]), [[1 / 3, 1 / 3, 1 / 3]])
np.testing.assert_allclose(layer.forward(z)[0], layer.forward(z[:1])[0], rtol=1e-15)

# %%
np.testing.assert_allclose(week41_softmax(Z5)[rows], printed5, rtol=0, atol=5e-9)
assert not np.allclose(true5[rows], printed5, atol=1e-3)

# %%
assert P_week41.shape == (150, 3)
np.testing.assert_allclose(P_week41[[0, 50]], [[0.35533043, 0.33833531, 0.30633426],
                                               [0.3990314, 0.15302865, 0.44793994]], rtol=0, atol=5e-9)
assert accuracy_week41 == 0.5666666666666667
assert accuracy_true == 1 / 3

# %%
np.testing.assert_allclose(dW1_7b[0], printed_7b_row0, rtol=5e-9)

# %%
accuracies = {name: nt.accuracy(m.predict(Xd), nt.datasets.one_hot(yd)) for name, (m, Xd, yd) in runs.items()}
assert accuracies["vertical, no hidden layer"] > 0.9
assert accuracies["spiral, no hidden layer"] < 0.6
assert accuracies["spiral, 64 hidden"] > 0.75
