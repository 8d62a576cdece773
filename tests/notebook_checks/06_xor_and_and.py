# ruff: noqa: F821  (these cells run after the notebook's own cells, in its kernel)
# Checks of tutorials/06_xor_and_and: run by tests/test_tutorials.py.

# %%
assert error < 1e-6

# %%
assert t.steps == first_epoch + last_epoch

# %%
assert total_error < 0.05
np.testing.assert_array_equal(np.round(predictions), Y)  # every sample on the right side of 0.5
assert np.isclose(history.loss[-1], total_error / 2)

# %%
assert history.loss[-1] < history.loss[0] / 10

# %%
assert np.isclose(by_hand, explanation.value, rtol=1e-12, atol=0)
assert np.isclose(by_hand, s.backward["L1.N0"]["grad_weights"][0], rtol=1e-12, atol=0)
np.testing.assert_allclose(s.update["L1.N0"]["weights_after"][0],
                           s.update["L1.N0"]["weights_before"][0] - 0.5 * by_hand, rtol=1e-12)

# %%
assert '"L1.N0" -> "L2.N0"' in graph.source

# %%
assert stuck_error > 0.3
np.testing.assert_allclose(stuck_outputs[1:], 2 / 3, atol=0.05)   # [0,1], [1,0], [1,1] alike

# %%
assert np.all(np.diff(sigmoid) > 0)         # with sigmoid, every layer back is smaller
assert sigmoid[-1] / sigmoid[0] > 100       # three orders of magnitude lost on the way
assert tanh[-1] / tanh[0] < 20              # with tanh, the first layer still learns
