# ruff: noqa: F821  (these cells run after the notebook's own cells, in its kernel)
# Checks of tutorials/02_layer_shapes: run by tests/test_tutorials.py.


def assert_printed(actual, printed, decimals=8):
    np.testing.assert_allclose(actual, printed, rtol=0, atol=0.5 * 10.0 ** -decimals + 1e-15)


# %% the week-42 exercise 2 a): gradients have their parameter's shape
assert dW.shape == (2, 3) and net.gradients(np.ones(4), np.zeros(10))[0][0].shape == (4, 10)

# %% the week-41 exercises 1 and 2
assert_printed(a1, [0.60610368, 4.0076268, 0.0, 0.56469864])
assert a2.shape == (8,) and np.allclose(np.exp(len(a2)), 2980.9579870417283)

# %% the week-42 exercises 2 c), 3 b), 3 c), 3 f)
assert_printed(dC_da, [0.22071046, -0.21208637, -0.07439771])
assert_printed(da_dz, [0.24076221, 0.2487803, 0.15611628])
assert_printed(dW.T, [[0.0487215, 0.03127437], [-0.04837692, -0.03105318], [-0.01064921, -0.00683573]])
assert_printed(db, [0.05313874, -0.05276291, -0.01161469])
assert t.explain("L1.N0", "w1", step=0).value == dW[1, 0]

# %% the week-42 exercise 3 e): dW is the neurons' delta * x stacked; dC/dx = weights @ delta
np.testing.assert_array_equal(stacked, dW)
np.testing.assert_array_equal(np.outer(deltas, x), dW.T)
np.testing.assert_array_equal(db, deltas)
numeric_dx = [(layer.loss(x + e, target, "mse") - layer.loss(x - e, target, "mse")) / 2e-6
              for e in 1e-6 * np.eye(2)]
np.testing.assert_allclose(np.sum(sent, axis=0), numeric_dx, rtol=1e-7)

# %% the notes' layer of three ReLU neurons: cell [13] (float64) and cell [5] (float32 dot)
assert notes_losses[0] == 466.56000000000006
assert repr(float(notes_losses[20])) == "5.32959636083938"
np.testing.assert_allclose(notes_losses[::20][:10],
                           [466.56000000000006, 5.32959636083938, 0.41191523404899866,
                            0.031836212079467595, 0.002460565465389601, 0.000190172825660145,
                            1.4698126966451542e-05, 1.1359926717815175e-06, 8.779889800154524e-08,
                            6.7858241357822796e-09], rtol=1e-10)
assert_printed(relu_layer.parameters()[0][0].T, [[-0.00698895, -0.01397789, -0.02096684, -0.02795579],
                                                 [0.25975286, 0.11950572, -0.02074143, -0.16098857],
                                                 [0.53548461, 0.27096922, 0.00645383, -0.25806156]])
assert_printed(relu_layer.parameters()[0][1], [-0.00698895, -0.04024714, -0.06451539])
assert cell5[0][20] == 5.329595763793193 and cell5[0][40] == 0.41191524253483786
assert_printed(cell5[1][0], [-0.00698895, -0.0139779, -0.02096685, -0.0279558])
assert cell13[0][20] == 5.32959636083938

# %% the notes' classes: same probabilities and loss
assert np.max(np.abs(ours_p - notes_p)) < 1e-15
assert abs(categorical_cross_entropy(notes_p, y_spiral)
           - ours.loss(X_spiral, nt.datasets.one_hot(y_spiral, 3), "cross_entropy")) < 1e-12

# %% the stepped layer: each backward event's dL/dw is one column of dW (one row of the course's)
for j, event in enumerate(backward_events):
    assert event.key == ("backward", f"L1.N{j}")
    np.testing.assert_array_equal(event.values["grad_weights"], dW[:, j])
    assert event.values["grad_bias"] == db[j] and event.values["delta"] == deltas[j]
