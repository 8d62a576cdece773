# ruff: noqa: F821  (these cells run after the notebook's own cells, in its kernel)
# Checks of tutorials/04_chain_rule: run by tests/test_tutorials.py.


def assert_printed(actual, printed, decimals=8):
    np.testing.assert_allclose(actual, printed, rtol=0, atol=0.5 * 10.0 ** -decimals + 1e-15)


# %% the week-42 exercise 4: two sigmoid layers
assert_printed(dW1.T, [[0.00113143, 0.00028436], [0.00150824, 0.00037906], [0.00212856, 0.00053496]])
assert_printed(db1, [0.00406726, 0.00542184, 0.00765174])
assert_printed(dW2.T, [[0.01028658, 0.00774165, 0.00780708], [0.00811599, 0.00610807, 0.00615969],
                       [0.01307522, 0.00984038, 0.00992354], [0.00810123, 0.00609697, 0.00614849]])
assert_printed(db2, [0.0138624, 0.01093727, 0.01762043, 0.01091738])
assert t.explain("L1.N0", "w0", step=0).value == dW1[0, 0]

# %% the week-42 exercise 4 b: dC/da1 = W2.T dC/dz2, the shares add up
assert abs(sum(shares.values()) - step.backward["L1.N0"]["dL_da"]) < 1e-16
deltas2 = np.array([step.backward[k]["delta"] for k in shares])
np.testing.assert_allclose([step.backward[f"L1.N{j}"]["dL_da"] for j in range(3)], W2.T @ deltas2, rtol=1e-14)

# %% the week-42 exercise 5: [sigmoid, ReLU]; the 0 is a ReLU with z < 0
assert_printed(db5_1, [-0.11125824, 0.03187236, -0.02959392])
assert_printed(db5_2, [-0.42867566, 0.0, 0.06622488, 0.28263845])
assert t5[0].forward["L2.N1"]["z"] < 0 and db5_2[1] == 0.0 and np.all(dW5_2[:, 1] == 0)
np.testing.assert_array_equal(b["grad_weights"], b["delta"] * x_in)
assert list(b["to_predecessors"]) == ["L1.N0", "L1.N1", "L1.N2"]
np.testing.assert_allclose(sent_back, b["delta"] * w_in, rtol=1e-15)

# %% a student's homework, problem 3 d), at x = 2 and y = 4
np.testing.assert_array_equal(hw.backward["L2.N0"]["grad_weights"], [0.0, -42.0, -14.0, 0.0])
assert hw.backward["L2.N0"]["grad_bias"] == -14.0
assert [hw.backward[f"L1.N{i}"]["grad_weights"][0] for i in range(4)] == [0.0, 28.0, 28.0, 0.0]
assert [hw.backward[f"L1.N{i}"]["grad_bias"] for i in range(4)] == [0.0, 14.0, 14.0, 0.0]
assert student_output_w == 56.0 and student_hidden_w == -56.0
assert max(errors.values()) < 1e-7

# %% stepping: the fork's four shares are what L1.N0 received; stepper and trace agree
assert list(shares) == ["L2.N0", "L2.N1", "L2.N2", "L2.N3"]
np.testing.assert_allclose(list(shares.values()), deltas2 * W2[:, 0], rtol=1e-15)
assert received.value == step.backward["L1.N0"]["dL_da"]
assert received.check().rel_error < 1e-6                # finite differences of the loss
assert stepper.finished and nt.compare([stepper], t).first is None
assert half_done.index == 11 and rest[0].key == ("backward", "L1.N1")

# %% what_if: the loss change follows the gradient's prediction
assert nudge.predicted == dW1[0, 0] * 0.01
assert abs(nudge.change - nudge.predicted) < 0.01 * abs(nudge.predicted)
assert page.name == "neurotrace_week42_step.html" and page.stat().st_size < 200_000
assert fork_event.index == 12
