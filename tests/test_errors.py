"""Bad input fails early, with a message that names the culprit and says what was expected.

One test per case. Each checks the message, not only the exception type: a
student reads it, so it must name the layer or neuron (``L1``, ``L2.N1``) and
the expected shape, value or list of names.
"""
import re

import numpy as np
import pytest

import neurotrace as nt

BACKENDS = [pytest.param(nt.NeuralNetwork, id="neurons"),
            pytest.param(nt.VectorizedNetwork, id="vectorized")]
ACTIVATION_NAMES = r"\['identity', 'leaky_relu', 'relu', 'sigmoid', 'tanh', 'softmax'\]"


@pytest.fixture(params=BACKENDS)
def net(request):
    """A 3-4-2 tanh network on either backend."""
    return request.param([3, 4, 2], activation="tanh", seed=0)


# --- inputs ----------------------------------------------------------------------------
def test_network_input_of_the_wrong_width_names_L1_and_the_expected_count(net):
    with pytest.raises(ValueError, match=r"\(layer L1\) expected 3 inputs: an array of shape "
                                         r"\(3,\) or \(n_samples, 3\), got array of shape \(2,\)"):
        net.forward(np.ones(2))


def test_network_batch_of_the_wrong_width_names_L1_and_the_expected_count(net):
    with pytest.raises(ValueError, match=r"\(layer L1\) expected 3 inputs.*got array of shape "
                                         r"\(5, 2\)"):
        net.gradients(np.ones((5, 2)), np.ones((5, 2)))


def test_neuron_input_of_the_wrong_width_names_the_neuron_and_the_expected_count():
    with pytest.raises(ValueError, match=r"^neuron expected 3 inputs.*got array of shape \(2,\)"):
        nt.Neuron(3).forward(np.ones(2))


def test_neuron_of_a_network_given_the_wrong_width_says_which_neuron():
    net = nt.NeuralNetwork([3, 4, 2], activation="tanh", seed=0)
    with pytest.raises(ValueError, match=r"^L2\.N1 expected 4 inputs.*got array of shape \(3,\)"):
        net["L2.N1"].forward(np.ones(3))


def test_inputs_that_are_neither_one_sample_nor_a_batch(net):
    with pytest.raises(ValueError, match=r"expected 3 inputs.*got array of shape \(2, 2, 3\)"):
        net.forward(np.ones((2, 2, 3)))


def test_an_empty_batch(net):
    with pytest.raises(ValueError, match=r"L1\) got an empty batch, shape \(0, 3\): expected at least one"):
        net.forward(np.ones((0, 3)))


def test_inputs_that_are_not_numbers(net):
    with pytest.raises(ValueError, match=r"\(layer L1\): inputs must be numbers, got str"):
        net.forward("abc")


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf], ids=["nan", "inf", "-inf"])
def test_nan_or_inf_in_inputs_says_where(net, bad):
    with pytest.raises(ValueError, match=r"\(layer L1\): inputs contain NaN or inf at index "
                                         r"\(1,\) \(value -?(nan|inf)\); expected finite numbers"):
        net.forward([0.5, bad, 0.5])


def test_nan_in_a_batch_says_which_sample_and_input(net):
    X = np.zeros((4, 3))
    X[2, 1] = np.nan
    with pytest.raises(ValueError, match=r"inputs contain NaN or inf at index \(2, 1\)"):
        net.gradients(X, np.zeros((4, 2)))


def test_nan_in_a_neurons_input():
    with pytest.raises(ValueError, match=r"^neuron: inputs contain NaN or inf at index \(0,\)"):
        nt.Neuron(2).forward([np.nan, 1.0])


# --- targets ---------------------------------------------------------------------------
def test_target_of_the_wrong_shape_names_the_output_layer_and_the_shape(net):
    with pytest.raises(ValueError, match=r"\(output layer L2\): targets must have the shape of "
                                         r"the outputs, \(2,\), got array of shape \(3,\)"):
        net.gradients(np.ones(3), np.ones(3))


def test_batch_targets_of_the_wrong_shape(net):
    with pytest.raises(ValueError, match=r"\(output layer L2\): targets must have the shape of "
                                         r"the outputs, \(5, 2\), got array of shape \(5,\)"):
        net.gradients(np.ones((5, 3)), np.ones(5))


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf], ids=["nan", "inf", "-inf"])
def test_nan_or_inf_in_targets_says_where(net, bad):
    with pytest.raises(ValueError, match=r"\(output layer L2\): targets contain NaN or inf at "
                                         r"index \(1,\) \(value -?(nan|inf)\)"):
        net.gradients(np.ones(3), [0.0, bad])


# --- names: activations, losses, initializers ----------------------------------------------
@pytest.mark.parametrize("backend", BACKENDS)
def test_unknown_activation_lists_the_known_names(backend):
    with pytest.raises(ValueError, match=rf"The 'activation' parameter of {backend.__name__} must "
                                         rf"be one of {ACTIVATION_NAMES}\. Got .rleu. instead\. "
                                         rf"Did you mean .relu.\?"):
        backend([3, 4, 2], activation="rleu")


def test_unknown_output_activation_lists_the_known_names():
    with pytest.raises(ValueError, match=rf"must be one of {ACTIVATION_NAMES}\. Got 'sofmax'"):
        nt.NeuralNetwork([3, 4, 2], activation="relu", output_activation="sofmax")


def test_unknown_activation_of_a_neuron_lists_the_known_names():
    with pytest.raises(ValueError, match=rf"of Neuron must be one of {ACTIVATION_NAMES}\. "
                                         rf"Got 'rleu' instead\. Did you mean 'relu'\?"):
        nt.Neuron(3, "rleu")


def test_unknown_loss_lists_the_known_names(net):
    with pytest.raises(ValueError, match=r"The 'loss' parameter must be one of \['bce', "
                                         r"'cross_entropy', 'mse', 'sse'\] or an object with "
                                         r"value\(a, y\) and gradient\(a, y\).*Got 'mae' instead"):
        net.gradients(np.ones(3), np.ones(2), loss="mae")


def test_a_loss_that_is_neither_a_name_nor_a_loss_object(net):
    with pytest.raises(ValueError, match=r"The 'loss' parameter must be one of"):
        net.gradients(np.ones(3), np.ones(2), loss=42)


def test_a_user_loss_whose_gradient_has_the_wrong_shape(net):
    bad = nt.Loss("bad", lambda a, y: 0.0, lambda a, y: np.ones(5))
    with pytest.raises(ValueError, match=r"Loss 'bad': gradient\(a, y\) must have the shape of a, "
                                         r"\(2,\), got \(5,\)"):
        net.gradients(np.ones(3), np.ones(2), loss=bad)


@pytest.mark.parametrize("backend", BACKENDS)
def test_unknown_init_lists_the_known_names(backend):
    with pytest.raises(ValueError, match=rf"The 'init' parameter of {backend.__name__} must be one "
                                         r"of \['he', 'lecun', 'normal', 'uniform', 'xavier'\]\. "
                                         r"Got 'glorot' instead\."):
        backend([3, 4, 2], init="glorot")


# --- sizes ----------------------------------------------------------------------------------
@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("size", [0, -1], ids=["zero", "negative"])
def test_non_positive_layer_size(backend, size):
    with pytest.raises(ValueError, match=rf"^{backend.__name__}: sizes\[1\] must be a positive "
                                         rf"integer, got {size}\.$"):
        backend([3, size, 2])


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("size", [2.5, "4", True], ids=["float", "str", "bool"])
def test_non_integer_layer_size(backend, size):
    with pytest.raises(ValueError, match=rf"sizes\[1\] must be a positive integer, got "
                                         rf"{re.escape(repr(size))}\."):
        backend([3, size, 2])


@pytest.mark.parametrize("backend", BACKENDS)
def test_sizes_without_a_layer(backend):
    with pytest.raises(ValueError, match=r"'sizes' must list the input width and at least one "
                                         r"layer, e.g. \[2, 4, 1\]; got \[3\]"):
        backend([3])


def test_activation_list_of_the_wrong_length():
    with pytest.raises(ValueError, match=r"'activation' must be one name or one per layer "
                                         r"\(2 layers\), got 3"):
        nt.NeuralNetwork([3, 4, 2], activation=["tanh", "tanh", "tanh"])


@pytest.mark.parametrize("n_inputs", [0, 2.5], ids=["zero", "float"])
def test_neuron_with_a_bad_number_of_inputs(n_inputs):
    with pytest.raises(ValueError, match=rf"Neuron: n_inputs must be a positive integer, "
                                         rf"got {n_inputs}\."):
        nt.Neuron(n_inputs)


# --- softmax ---------------------------------------------------------------------------------
@pytest.mark.parametrize("backend", BACKENDS)
def test_softmax_on_a_hidden_layer(backend):
    with pytest.raises(ValueError, match=r"softmax is only allowed on the output layer L3, but "
                                         r"layer L1 asked for it"):
        backend([3, 4, 4, 2], activation=["softmax", "tanh", "tanh"])


def test_softmax_for_every_layer():
    with pytest.raises(ValueError, match=r"softmax is only allowed on the output layer L2, but "
                                         r"layer L1 asked for it"):
        nt.NeuralNetwork([3, 4, 2], activation="softmax")


def test_softmax_in_from_weights_on_a_hidden_layer():
    with pytest.raises(ValueError, match=r"NeuralNetwork.from_weights: softmax is only allowed on "
                                         r"the output layer L2, but layer L1 asked for it"):
        nt.NeuralNetwork.from_weights([np.ones((3, 4)), np.ones((4, 2))],
                                      [np.zeros(4), np.zeros(2)], activation=["softmax", "tanh"])


def test_softmax_on_one_neuron():
    with pytest.raises(ValueError, match=r"Neuron: softmax couples all the neurons of a "
                                         r"layer.*output_activation='softmax'"):
        nt.Neuron(3, "softmax")


# --- explicit weights ------------------------------------------------------------------------
@pytest.mark.parametrize("backend", BACKENDS)
def test_from_weights_with_a_layer_that_does_not_fit_the_one_before(backend):
    with pytest.raises(ValueError, match=rf"{backend.__name__}.from_weights: weights of L2 must "
                                         r"have shape \(4, n_neurons\) — L1 has 4 neurons — got "
                                         r"shape \(3, 2\)"):
        backend.from_weights([np.ones((3, 4)), np.ones((3, 2))], [np.zeros(4), np.zeros(2)])


@pytest.mark.parametrize("backend", BACKENDS)
def test_from_weights_with_biases_of_the_wrong_shape(backend):
    with pytest.raises(ValueError, match=r"from_weights: biases of L2 must have shape \(2,\), got "
                                         r"shape \(3,\)"):
        backend.from_weights([np.ones((3, 4)), np.ones((4, 2))], [np.zeros(4), np.zeros(3)])


def test_from_weights_with_a_vector_instead_of_a_matrix():
    with pytest.raises(ValueError, match=r"weights of L1 must be a matrix of shape \(n_inputs, "
                                         r"n_neurons\), got shape \(3,\)"):
        nt.NeuralNetwork.from_weights([np.ones(3)], [np.zeros(1)])


def test_from_weights_with_more_biases_than_weights():
    with pytest.raises(ValueError, match=r"need one bias vector per weight matrix, got 1 weight "
                                         r"matrices and 2 bias vectors"):
        nt.NeuralNetwork.from_weights([np.ones((3, 4))], [np.zeros(4), np.zeros(2)])


def test_from_weights_with_nan_names_the_neuron():
    W = np.ones((3, 2))
    W[1, 1] = np.nan
    with pytest.raises(ValueError, match=r"Neuron L1\.N1: weights contain NaN or inf at index "
                                         r"\(1,\)"):
        nt.NeuralNetwork.from_weights([W], [np.zeros(2)])


def test_neuron_given_weights_of_the_wrong_shape():
    with pytest.raises(ValueError, match=r"Neuron expected weights of shape \(3,\), got "
                                         r"array of shape \(2,\)"):
        nt.Neuron(3, weights=[1.0, 2.0], bias=0.0)


def test_neuron_given_more_than_one_bias():
    with pytest.raises(ValueError, match=r"Neuron expected one bias, got shape \(2,\)"):
        nt.Neuron(3, weights=[1.0, 2.0, 3.0], bias=[1.0, 2.0])


def test_setting_a_network_neurons_weights_to_the_wrong_shape_names_it():
    net = nt.NeuralNetwork([3, 4, 2], seed=0)
    with pytest.raises(ValueError, match=r"Neuron L2\.N0 expected weights of shape \(4,\)"):
        net["L2.N0"].weights = np.ones(3)


def test_layer_given_weights_of_the_wrong_shape():
    with pytest.raises(ValueError, match=r"Layer expected weights of shape \(3, 4\), got "
                                         r"array of shape \(4, 3\)"):
        nt.Layer(3, 4, weights=np.ones((4, 3)), bias=np.zeros(4))


# --- building from neurons -------------------------------------------------------------------
def test_neurons_that_do_not_fit_the_layer_before():
    with pytest.raises(ValueError, match=r"L2\.N0 expected 2 inputs \(the size of the layer "
                                         r"before\), but has 3"):
        nt.NeuralNetwork([[nt.Neuron(3), nt.Neuron(3)], [nt.Neuron(3)]])


def test_a_neuron_in_two_networks():
    n = nt.Neuron(3)
    nt.NeuralNetwork([[n]])
    with pytest.raises(ValueError, match=r"neuron L1\.N0 already belongs to a network"):
        nt.NeuralNetwork([[n]])


def test_neurons_of_one_layer_with_different_activations():
    with pytest.raises(ValueError, match=r"all neurons of layer L1 must share one activation, got "
                                         r"\['relu', 'tanh'\]"):
        nt.NeuralNetwork([[nt.Neuron(3, "relu"), nt.Neuron(3, "tanh")]])


# --- node names ------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["L9.N0", "L1.N7", "L0.N0", "hello"])
def test_unknown_node_name_lists_the_neurons(name):
    net = nt.NeuralNetwork([3, 4, 2], seed=0)
    with pytest.raises(KeyError, match=rf"No neuron '{re.escape(name)}' in this network: L1 has "
                                       r"N0\.\.N3, L2 has N0\.\.N1"):
        net[name]


def test_unknown_layer_name_of_a_vectorized_network():
    vec = nt.VectorizedNetwork([3, 4, 2], seed=0)
    with pytest.raises(KeyError, match=r"No layer 'L1\.N0': this network has layers L1\.\.L2 "
                                       r"\(neurons are rows of a layer; use to_neurons\(\)"):
        vec["L1.N0"]


# --- order of calls --------------------------------------------------------------------------
def test_neuron_backward_before_forward():
    with pytest.raises(RuntimeError, match=r"Neuron: call forward before backward"):
        nt.Neuron(3).backward(1.0)


@pytest.mark.parametrize("backend", BACKENDS)
def test_network_backward_before_forward(backend):
    with pytest.raises(RuntimeError, match=rf"{backend.__name__}: call forward before backward"):
        backend([3, 4, 2]).backward(np.ones(2))


def test_layer_backward_before_forward():
    with pytest.raises(RuntimeError, match=r"Layer: call forward before backward"):
        nt.Layer(3, 2).backward(np.ones(2))


def test_network_backward_with_dL_da_of_the_wrong_shape(net):
    net.forward(np.ones(3))
    with pytest.raises(ValueError, match=r"dL/da must have the shape of the outputs \(2,\), got "
                                         r"\(3,\)"):
        net.backward(np.ones(3))


def test_neuron_backward_with_dL_da_of_the_wrong_shape():
    n = nt.Neuron(3)
    n.forward(np.ones((4, 3)))
    with pytest.raises(ValueError, match=r"Neuron: dL/da must have the shape of a, \(4,\), "
                                         r"got \(2,\)"):
        n.backward(np.ones(2))


def test_neuron_backward_with_nan():
    n = nt.Neuron(3)
    n.forward(np.ones(3))
    with pytest.raises(ValueError, match=r"Neuron: dL/da contain NaN or inf \(value nan\)"):
        n.backward(np.nan)


# --- losses that need outputs in (0, 1) ------------------------------------------------------
@pytest.mark.parametrize("backend", BACKENDS)
def test_bce_on_outputs_outside_0_1(backend):
    net = backend([3, 4, 2], activation="tanh", output_activation="identity", seed=0)
    with pytest.raises(ValueError, match=r"The bce loss needs outputs strictly between 0 and 1; "
                                         r"got values in \[.*\]\. Use a sigmoid output layer"):
        net.gradients(np.array([1.0, 2.0, 3.0]), np.array([0.0, 1.0]), loss="bce")


@pytest.mark.parametrize("backend", BACKENDS)
def test_cross_entropy_on_outputs_outside_0_1(backend):
    net = backend([3, 4, 2], activation="tanh", output_activation="identity", seed=0)
    with pytest.raises(ValueError, match=r"The cross_entropy loss needs outputs strictly between "
                                         r"0 and 1.*softmax output layer"):
        net.gradients(np.array([1.0, 2.0, 3.0]), np.array([0.0, 1.0]), loss="cross_entropy")


def test_bce_on_relu_outputs_that_are_exactly_0():
    net = nt.NeuralNetwork.from_weights([-np.ones((2, 1))], [np.zeros(1)], activation="relu")
    with pytest.raises(ValueError, match=r"The bce loss needs outputs strictly between 0 and 1; "
                                         r"got values in \[0, 0\]"):
        net.gradients(np.array([1.0, 1.0]), np.array([1.0]), loss="bce")


# --- dtypes ----------------------------------------------------------------------------------
def test_float32_network_to_neurons():
    vec = nt.VectorizedNetwork([3, 2], seed=0, dtype=np.float32)
    with pytest.raises(ValueError, match=r"to_neurons: neuron objects compute in float64; this "
                                         r"network is float32"):
        vec.to_neurons()


def test_integer_dtype_for_a_layer():
    with pytest.raises(ValueError, match=r"Layer: dtype must be float64 or float32"):
        nt.Layer(3, 2, dtype=np.int32)
