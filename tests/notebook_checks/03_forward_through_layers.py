# ruff: noqa: F821  (these cells run after the notebook's own cells, in its kernel)
# Checks of tutorials/03_forward_through_layers: run by tests/test_tutorials.py.


def assert_printed(actual, printed, decimals=8):
    np.testing.assert_allclose(actual, printed, rtol=0, atol=0.5 * 10.0 ** -decimals + 1e-15)


# %% a student's homework, problem 3 c: Z -1, 3, 1, -1 -> 0, 3, 1, 0 -> -4 -> -3
homework.forward(np.array([2.0]))
assert [n.z for n in homework.layers[0]] == [-1.0, 3.0, 1.0, -1.0]
assert [n.a for n in homework.layers[0]] == [0.0, 3.0, 1.0, 0.0]
assert homework["L2.N0"].weights @ [n.a for n in homework.layers[0]] == -4.0
assert homework.forward(np.array([2.0])).tolist() == [-3.0]
assert homework.forward(np.array([[0.0], [1.0], [2.0], [3.0]])).ravel().tolist() == [0.0, -1.0, -3.0, -5.0]
graph = nt.viz.network_graph(homework, show="values")
assert '"L1.N1"' in graph.source and "3" in graph.source

# %% the hands-on's loop over lists of neurons is net.forward
loop = np.array([1.0, 2.0])
for layer in net.layers:
    loop = np.array([neuron.forward(loop) for neuron in layer])
np.testing.assert_array_equal(loop, net.forward(np.array([1.0, 2.0])))
np.testing.assert_array_equal(t[0].forward["L3.N0"]["a"], net.forward(np.array([1.0, 2.0]))[0])

# %% the week-41 exercises 3 c, 4 b, 4 c
assert_printed(relu_net.forward(x3), [5.36337158, 0.0])
assert_printed(net4b.forward(x4b), [0.99536949, 0.99825477])
assert_printed(net4c.forward(x4c), [0.0, 0.2621146])

# %% the week-41 exercise 3 d: linear layers collapse into one; ReLU layers do not
np.testing.assert_allclose(linear_net.forward(X_test), one_layer.forward(X_test), rtol=1e-12, atol=1e-12)
assert np.max(np.abs(design @ coef - Y_relu)) > 0.5

# %% the homework's table, event by event: z and a of every neuron at x = 2, weights unchanged
assert [e.key for e in forward_events] == [("forward", f"L1.N{j}") for j in range(4)] + [("forward", "L2.N0")]
assert [e.values["z"] for e in forward_events] == [-1.0, 3.0, 1.0, -1.0, -3.0]
assert [e.values["a"] for e in forward_events] == [0.0, 3.0, 1.0, 0.0, -3.0]
np.testing.assert_array_equal(homework["L2.N0"].weights, [0.0, -1.0, -1.0, 0.0])   # no update was made
