# ruff: noqa: F821  (these cells run after the notebook's own cells, in its kernel)
# Checks of tutorials/10_fitting_functions: run by tests/test_tutorials.py.

# %%
assert int(np.sum(trial_d2.forward(x2)[:, 0] == D2)) == 7           # the student's "7/11"
assert int(np.sum(trial_d1.forward(x1)[:, 0] == D1)) == 2           # and "2/13"
np.testing.assert_array_equal(exact_d1.forward(x1)[:, 0], D1)
np.testing.assert_array_equal(exact_d2.forward(x2)[:, 0], D2)

# %%
for name, D in [("D1", D1), ("D2", D2)]:
    run_net, run_hist, _ = runs[name]
    np.testing.assert_array_equal(np.round(run_net.predict(np.arange(len(D), dtype=float)[:, None])[:, 0]), D)
    assert run_hist.loss[-1] < 0.01 < run_hist.loss[0]
t_d1 = runs["D1"][2]
kinks = sorted(-t_d1.series(f"L1.N{j}", "bias_after")[-1] / t_d1.series(f"L1.N{j}", "weights_after")[-1, 0]
               for j in range(4))
np.testing.assert_allclose(kinks[1:], [4, 6, 8], atol=0.05)

# %%
raw, scaled = surfaces["targets as they are"], surfaces["targets scaled into [0, 1]"]
assert raw.predict(X_q).max() < 1 < Y_raw.max()
assert np.sum((scaled.predict(X_q) - Y_q) ** 2) < 0.1

# %%
assert np.isclose(np.sum((Ytr - house.predict(Xtr)) ** 2), 2 * hist.loss[-1], rtol=1e-12)
assert hist.loss[-1] < hist.loss[0]

# %%
for k in shown_steps:                        # the rebuilt network is the one the trace recorded
    u = t[k].update
    before = relu_141([u[f"L1.N{j}"]["weights_before"][0] for j in range(4)],
                      [u[f"L1.N{j}"]["bias_before"] for j in range(4)],
                      u["L2.N0"]["weights_before"], u["L2.N0"]["bias_before"])
    np.testing.assert_allclose(before.loss(x1, D1[:, None], "mse"), t[k].loss, rtol=1e-12)
    np.testing.assert_allclose(network_at(t, k)["L2.N0"].weights, u["L2.N0"]["weights_after"], rtol=0)
html = page.read_text(encoding="utf-8")
assert "D1 fitted by a 1-4-1 ReLU network" in html and html.count("data-control=") >= 6
