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

# %% the hand-out's start; the correct run's outputs after 10 000 epochs (not in the CI run)
np.testing.assert_allclose(handout_start()["L2.N0"].weights, [-0.88383278, 0.73235229], atol=5e-9)
if EPOCHS == 10000:
    np.testing.assert_allclose(net.predict(X)[:, 0], [0.02052829, 0.98156027, 0.9827203, 0.01888614],
                               atol=5e-9)

# %% the plateau: per-sample shares add up to the gradient of the epoch's loss, and nearly cancel
(gW1, gb1), (gW2, gb2) = plateau.gradients(X, Y, loss="sse")
whole = np.concatenate([np.append(gW1[:, 0], gb1[0]), np.append(gW1[:, 1], gb1[1]),
                        np.append(gW2[:, 0], gb2[0])])
np.testing.assert_allclose(shares.sum(axis=0), whole, rtol=1e-12, atol=1e-15)
assert abs(shares[:, 8].sum()) < np.abs(shares[:, 8]).max() / 10
assert 0.6 < float(np.sum((Y - plateau.predict(X)) ** 2)) < 0.75

# %% the stuck start: large shares, a sum near zero, outputs near 2/3
assert np.abs(stuck_shares).max() > 0.1 and np.abs(stuck_shares.sum(axis=0)).max() < 0.01
np.testing.assert_allclose(stuck.predict(X).ravel()[1:], 2 / 3, atol=0.05)

# %% AND with two one-hot outputs
assert P_and.shape == (4, 2) and nt.accuracy(P_and, Y_and) == 1.0

# %% contributions: the recorded batch step's shares add up to its gradient
for k, (name, q) in enumerate(PARAMETERS):
    used = t_plateau[0].backward[name]["grad_bias" if q == "b" else "grad_weights"]
    used = used if q == "b" else used[int(q[1:])]
    assert abs(shares[:, k].sum() - used) < 1e-15
assert shares[1, 8] < 0 < shares[0, 8] and shares[3, 8] > 0   # [0,1] pulls the bias up, [0,0], [1,1] down

# %% diagnose: nothing on the stuck sigmoid network; a dead ReLU and a stall on ReLU seed 9; nothing on seed 1
assert nt.diagnose(t_stuck) == []
found = nt.diagnose(relu_runs[9])
assert [f.kind for f in found] == ["dead_relu", "stalled"] and found[0].nodes == ["L1.N0"]
assert found[0].steps[0] == 0
assert np.all(relu_runs[9].series("L1.N0", "a") == 0)
assert nt.diagnose(relu_runs[1]) == []
