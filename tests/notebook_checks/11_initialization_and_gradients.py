# ruff: noqa: F821  (these cells run after the notebook's own cells, in its kernel)
# Checks of tutorials/11_initialization_and_gradients: run by tests/test_tutorials.py.

# %%
assert spreads["normal"][-1] / spreads["normal"][0] > 1e4
assert 0.5 < spreads["he"][-1] / spreads["he"][0] < 2
assert spreads["lecun"][-1] / spreads["lecun"][0] < 0.2

# %%
for (W, b), n in zip(homework.parameters(), [784, 32, 32]):
    assert abs(W.std() * np.sqrt(n) - 1) < 0.1 and not b.any()

# %%
assert norms["sigmoid"][-1] / norms["sigmoid"][0] > 100      # vanishing on the way back
assert norms["relu"][-1] / norms["relu"][0] < 20

# %%
assert not np.isfinite(plain.loss(Xm, Ym, "cross_entropy")) or plain.loss(Xm, Ym, "cross_entropy") > 1
assert hist_clip.loss[-1] < hist_clip.loss[0]
assert opt_clip.last_clip["kind"] == "norm"
assert hist_he.loss[-1] < 0.5 < 1000 < hist_clip.loss[-1]

# %%
np.testing.assert_allclose(one["L1.N0"].weights, w_handout, rtol=1e-12)
assert np.isclose(one["L1.N0"].bias, b_handout, rtol=1e-12) and n_clipped > 0

# %%
assert shuffle_runs[True].loss[-1] < shuffle_runs[False].loss[-1]

# %%
final = {name: loss[-1] for name, loss in curves.items()}
assert final["Adam lr 0.01"] < final["SGD lr 0.05"]
assert final["SGD lr 0.05, momentum 0.9"] < final["SGD lr 0.05"]

# %%
assert [f.kind for f in findings["vanishing"]] == ["vanishing", "stalled"]
assert [f.kind for f in findings["saturated"]] == ["saturated"]
assert [f.kind for f in findings["exploding"]] == ["exploding"]
assert "their size at step 0" in str(findings["exploding"][0])
assert findings["healthy"] == []
deep = nt.VectorizedNetwork([2] + [16] * 8 + [2], activation="sigmoid", output_activation="softmax",
                            init="xavier", seed=0)
grads = deep.gradients(Xm[:50], Ym[:50], "cross_entropy")        # step 0, independently of the trace
assert np.sqrt(np.mean(grads[-1][0] ** 2)) / np.sqrt(np.mean(grads[0][0] ** 2)) > 1e4
assert min(exploding_rms) > 100 and 0.1 < exploding_rms[0] / exploding_rms[-1] < 10
