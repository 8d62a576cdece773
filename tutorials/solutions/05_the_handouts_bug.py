# %% [markdown]
# # 05 The hand-out's bug: solutions

# %%
answer = s.backward["L2.N0"]["delta"] * s.update["L2.N0"]["weights_before"]
nt.exercises.check("05.1", answer)

# %%
class FixedNeuron(Neuron):
    """The hand-out's neuron, sending its error with the weights of the forward pass."""

    def backpropagate(self, d_error, learning_rate):
        d_2 = d_error * self.activation_derivative(self.output)
        forward_weights = self.weights.copy()          # the weights the loss was computed with
        self.weights -= learning_rate * d_2 * self.inputs
        self.bias -= learning_rate * d_2
        return d_2 * forward_weights


def fixed(num_inputs):
    neuron = FixedNeuron(num_inputs, sigmoid, sigmoid_derivative)
    neuron.weights, neuron.bias = np.full(num_inputs, 0.5), 0.0
    return neuron


repaired = NeuralNetwork([[fixed(1), fixed(1)]], [fixed(2)])
repaired.backpropagate(np.array([1.0]), np.array([0.0]), learning_rate=0.8)
answer = repaired.hidden_layers[0][0].weights[0]
nt.exercises.check("05.2", answer)

# %%
answer = False          # d_4 = d_2 * inputs is computed before the update: its own step is right
nt.exercises.check("05.3", answer)
