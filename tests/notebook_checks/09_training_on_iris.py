# ruff: noqa: F821  (these cells run after the notebook's own cells, in its kernel)
# Checks of tutorials/09_training_on_iris: run by tests/test_tutorials.py.

# %%
assert bug == printed                                     # every printed line, with the material's mistake
assert right[0] == printed[0] and right[499] == (0.0855, 0.973)

# %%
assert len(t_bug) == len(t_right) == 500
moved_bug = np.ptp(t_bug.series("L3.N0", "bias_after"))
moved_right = np.ptp(t_right.series("L3.N0", "bias_after"))
assert moved_right > 20 * moved_bug

# %%
first_difference = comparison.first
assert (first_difference.step, first_difference.phase, first_difference.node,
        first_difference.quantity) == (0, "update", "L1.N0", "bias_after")
assert comparison.table["grad_bias"][0] == 0 and comparison.table["grad_weights"][0] == 0
check = update.check()
bias_before = t_first_bug[0].update["L1.N0"]["bias_before"]
grad_bias = t_first_bug[0].backward["L1.N0"]["grad_bias"]
np.testing.assert_allclose(update.value, bias_before - 0.01 * grad_bias / 150, rtol=1e-14)
np.testing.assert_allclose(first_difference.value2, bias_before - 0.01 * grad_bias, rtol=1e-14)
assert check.rel_error > 1e-3

# %%
assert all(momentum_bug[e] == printed_momentum[e] for e in momentum_bug)
assert momentum_right[0] == (2.7757, 0.62)
if not CI:
    assert momentum_right[999] == (0.0551, 0.98)

# %%
for (dW, db), (rW, rb) in zip(ours, theirs):
    np.testing.assert_allclose(dW, rW, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(db, rb, rtol=1e-9, atol=1e-12)

# %%
assert [e for e, a in enumerate(accuracy41, 1) if abs(a - 0.68) < 1e-12] == [91, 92, 93, 94, 95]

# %%
assert conflicts == [] and len(rows) == 149
assert hist.accuracy[-1] == 1.0
assert nt.accuracy(held.predict(Xte), Yte) >= 0.9

# %%
assert strict >= 0.9 and nt.accuracy(outputs, Yte) >= strict
