# ruff: noqa: F821  (these cells run after the notebook's own cells, in its kernel)
# Checks of tutorials/05_the_handouts_bug: run by tests/test_tutorials.py.

# %% the hand-out's exercise 5 (target 0): 0.48814507 as the hand-out does it, 0.48609721 correctly
assert [round(n.weights[0], 8) for n in handout.hidden_layers[0]] == [0.48814507, 0.48814507]
assert [round(correct[f"L1.N{j}"].weights[0], 8) for j in range(2)] == [0.48609721, 0.48609721]
np.testing.assert_allclose(handout.output_layer[0].weights, correct["L2.N0"].weights, rtol=1e-15)
sent_correct = np.array(list(s.backward["L2.N0"]["to_predecessors"].values()))
np.testing.assert_allclose(sent_correct, delta_out * w_before, rtol=1e-15)
assert not np.allclose(sent_correct, delta_out * w_after)

# %% the hand-out's XOR totals (as many as this run made) and the correct ones
printed_totals = ["1.0047", "0.7280", "0.6700", "0.0292", "0.0122", "0.0075", "0.0054", "0.0042",
                  "0.0035", "0.0029"]
correct_totals = ["1.0046", "0.7262", "0.6798", "0.0386", "0.0085", "0.0047", "0.0032", "0.0025",
                  "0.0020", "0.0017"]
assert [f"{v:.4f}" for v in handout_totals] == printed_totals[:len(handout_totals)]
assert [f"{v:.4f}" for v in right_totals] == correct_totals[:len(right_totals)]
assert len(handout_totals) == EPOCHS // 1000

# %% after all 10 000 epochs (not in the shortened CI run): the printed and the correct outputs
if EPOCHS == 10000:
    outputs_handout = [handout_xor.forward(x)[0] for x in X]
    outputs_right = right.predict(X)[:, 0]
    np.testing.assert_allclose(outputs_handout, [0.02384224, 0.97261673, 0.97321771, 0.02207986],
                               rtol=0, atol=5e-9)
    np.testing.assert_allclose(outputs_right, [0.02052829, 0.98156027, 0.9827203, 0.01888614],
                               rtol=0, atol=5e-9)

# %% a wrong gradient: the hand-out's hidden step is not the slope; backprop's is
assert not np.allclose(handout_grad, numeric[:2], rtol=1e-3)
assert nt.gradcheck(fresh, X[2:3], Y[2:3], loss="sse") < 1e-7

# %% nt.compare: the first difference is what the output neuron sends back, at step 0
first = comparison.first
assert (first.step, first.index, first.phase, first.node, first.quantity) == \
    (0, 4, "backward", "L2.N0", "sent:L1.N0")
w_forward = correct_steps[0][2].values["w"][0]               # forward L2.N0: its weights
delta0 = correct_steps[0][4].values["delta"]
assert first.value1 == delta0 * w_forward
assert np.isclose(first.value2, delta0 * (w_forward - 0.5 * correct_steps[0][4].values["grad_weights"][0]),
                  rtol=1e-15)
for e1, e2 in zip(correct_steps[0][:4], handout_steps[0][:4]):        # forward and loss: identical
    assert all(np.array_equal(e1.values[q], e2.values[q]) for q in e1.values)
assert comparison.table["z"][0] == 0 and comparison.table["z"][1] > 0
# the stepped HandoutNeuron network is the hand-out's own code, to rounding
for a, b in zip(replayed, stepped_w):
    np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)
# and the correct stepped run is neurotrace's fit from the same start
fit_net = xor_network(nt.Neuron)
nt.fit(fit_net, X, Y, loss="sse", optimizer=nt.SGD(lr=0.5), epochs=5, batch_size=1, shuffle=False,
       progress=False)
for name in ["L1.N0", "L1.N1", "L2.N0"]:
    np.testing.assert_array_equal(fit_net[name].weights, correct_net[name].weights)
