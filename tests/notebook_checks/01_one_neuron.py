# ruff: noqa: F821  (these cells run after the notebook's own cells, in its kernel)
# Checks of tutorials/01_one_neuron: run by tests/test_tutorials.py.

# %%
assert z == 6.0 and a == 6.0

# %%
assert neuron.z == z and neuron.a == a

# %%
np.testing.assert_allclose(numeric, [12.0, -24.0, 36.0, 12.0], rtol=1e-6)

# %%
np.testing.assert_allclose(analytic, numeric, rtol=1e-6)
assert neuron.delta == neuron.dL_da * neuron.da_dz
np.testing.assert_array_equal(neuron.grad_weights, neuron.delta * x)
np.testing.assert_array_equal(dL_dx, neuron.delta * w)
np.testing.assert_array_equal(neuron.weights, w)       # backward changed nothing

# %%
assert losses[0] == 36.0
np.testing.assert_allclose(learner.weights, [-3.3990955, -0.20180899, 0.80271349],
                           rtol=0, atol=5e-8)          # half a unit of the last printed digit
np.testing.assert_allclose(learner.bias, 0.6009045, rtol=0, atol=5e-8)
assert all(later < earlier for earlier, later in zip(losses, losses[1:]))   # always downhill

# %%
assert np.isclose(losses[1], 33.8724, rtol=1e-12)
assert abs(losses[1] - 33.872397424621624) / 33.8724 < 1e-7     # float32's rounding, no more

# %%
assert error < 1e-7

# %%
np.testing.assert_allclose(t.series("loss"), losses, rtol=1e-12, atol=0)
np.testing.assert_allclose(net["L1.N0"].weights, learner.weights, rtol=1e-12, atol=0)
np.testing.assert_allclose(net["L1.N0"].bias, learner.bias, rtol=1e-12, atol=0)

# %%
assert step0.forward["L1.N0"]["z"] == 6.0 and step0.backward["L1.N0"]["delta"] == 12.0
np.testing.assert_allclose(step0.update["L1.N0"]["weights_after"],
                           w - 0.001 * np.array([12.0, -24.0, 36.0]), rtol=1e-15)

# %%
assert explanation.value == step0.backward["L1.N0"]["grad_weights"][0]
assert np.isclose(explanation.value, numeric[0], rtol=1e-6)     # = the measured slope

# %%
assert 0 < last.value < explanation.value / 100

# %%
assert '"L1.N0.w0"' in graph.source

# %% the stepped step: the hand computation, event by event
assert [e.key for e in events] == [("forward", "L1.N0"), ("loss", "loss"), ("backward", "L1.N0"),
                                   ("update", "L1.N0")]
assert events[0].values["z"] == 6.0 and events[1].values["loss"] == 36.0
assert events[2].values["delta"] == 12.0
np.testing.assert_array_equal(events[2].values["grad_weights"], [12.0, -24.0, 36.0])
np.testing.assert_array_equal(events[3].values["weights_after"], step0.update["L1.N0"]["weights_after"])
assert stepper.state("L1.N0")["delta"] == neuron.delta

# %% the hand-out's sigmoid neuron, explained: z as the sum of products, f'(z) = a (1 - a)
h0 = t_handout[0]
assert t_handout.explain("L1.N0", "z", step=0).value == h0.forward["L1.N0"]["z"]
np.testing.assert_allclose(h0.forward["L1.N0"]["z"], seeded.weights @ [1.0, 2.0] + seeded.bias, rtol=1e-15)
a_h = h0.forward["L1.N0"]["a"]
assert np.isclose(t_handout.explain("L1.N0", "da_dz", step=0).value, a_h * (1 - a_h), rtol=1e-15)
assert np.isclose(t_handout.explain("L1.N0", "w0", step=0).value, (a_h - 1) * a_h * (1 - a_h) * 1.0,
                  rtol=1e-14)                                     # (a - y) f'(z) x0, x0 = 1
for q in ["z", "da_dz", "delta", "w0"]:
    assert t_handout.explain("L1.N0", q, step=0).check().rel_error < 1e-6

# %% the dead neuron: delta and every gradient are 0
assert t_dead.explain("L1.N0", "delta", step=0).value == 0.0
assert t_dead.explain("L1.N0", "w0", step=0).value == 0.0
