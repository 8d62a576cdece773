# %% [markdown]
# # 03 Forward through layers
#
# A network is layers of neurons, each layer reading the outputs of the one before. The
# forward pass carries an input from left to right, one layer at a time. This notebook
# follows three pieces of course material through it:
#
# 1. a student's homework: a 1-4-1 ReLU network evaluated by hand at $x = 2$, drawn as a
#    network graph that reproduces the student's table;
# 2. the hands-on *Coding a full neural network from scratch using Python* (Universidad
#    Politécnica de Madrid): the forward pass as a loop over lists of neurons, and as a class;
# 3. the week-41 exercises of a university course (Kjersti Stangeland et al., 2025):
#    deeper networks, one activation per layer, with their printed outputs;
# 4. why a network needs activations at all: without them, the layers collapse into one.

# %%
import numpy as np
import neurotrace as nt

# %% [markdown]
# ## 1. The homework's 1-4-1 network at $x = 2$
#
# The student's network has one input, four ReLU hidden neurons and one linear output.
# Its hidden weights are $(-1, 1, 1, -1)$ with biases $(1, 1, -1, 1)$; the output
# weights are $(0, -1, -1, 0)$ with bias $1$. The student worked $x = 2$ through by hand:
#
# | | $z$ | ReLU |
# |---|---|---|
# | hidden neurons 1–4 | $-1, 3, 1, -1$ | $0, 3, 1, 0$ |
# | output | $-4$ after the sum, $-3$ after the bias | |
#
# In neurotrace, layer 1 has the weights as a `(1, 4)` matrix (one input, four neurons),
# layer 2 as `(4, 1)`.

# %%
homework = nt.NeuralNetwork.from_weights(
    [np.array([[-1.0, 1.0, 1.0, -1.0]]), np.array([[0.0], [-1.0], [-1.0], [0.0]])],
    [np.array([1.0, 1.0, -1.0, 1.0]), np.array([1.0])],
    activation=["relu", "identity"])
output = homework.forward(np.array([2.0]))
hidden = homework.layers[0]
print("hidden z    :", [float(n.z) for n in hidden], "   the student: -1, 3, 1, -1")
print("hidden a    :", [float(n.a) for n in hidden], "       the student: 0, 3, 1, 0")
print("output sum  :", homework["L2.N0"].weights @ [n.a for n in hidden], "                the student: -4")
print("output      :", output[0], "                the student: -3")

# %% [markdown]
# Every number agrees. `nt.viz.network_graph` draws the network with the values of its
# last forward pass: inside each neuron its $z$ and $a$, on each edge its weight (blue
# positive, red negative, wider is larger). It is the student's table, laid out as the
# network:

# %%
nt.viz.network_graph(homework, show="values")

# %% [markdown]
# The student's working, line by line, is what `nt.step_through` prints: it runs a
# training step one **event** at a time, and the first five are the forward pass, one
# neuron each, with its equation and the numbers in it. (A step needs a target; take the
# homework's data set value at $x = 2$, $y = 4$, as notebook 04 does. The forward pass does
# not read it.)

# %%
stepper = nt.step_through(homework, np.array([2.0]), np.array([4.0]), loss="sse")
forward_events = [next(stepper) for _ in range(5)]
for event in forward_events:
    print(event)

# %% [markdown]
# The student also evaluated $x = 0, 1, 3$ ($0, -1, -5$): a batch of four samples
# goes through in one call, one row per sample.

# %%
print(homework.forward(np.array([[0.0], [1.0], [2.0], [3.0]])).ravel())

# %% [markdown]
# ## 2. The forward pass as a loop, and as a class
#
# The hands-on builds a 2-4-4-1 sigmoid network as lists of neurons (one list per layer)
# and runs the forward pass as a loop: each layer's outputs become the next layer's
# inputs. It prints what goes in and out of every layer:
#
# ```
# -> Input data for the layer 0 is: [1 2]
# <- Output data for the layer 0 is: [0.09022574 0.6179164 0.13711332 0.68847486]
# ...
# <- Output data for the output layer is: [0.55422363]
# ```
#
# Its weights are drawn with `np.random.uniform(-1, 1)` **without a seed**, so these
# numbers cannot be reproduced (not by the hand-out either: every run prints others). A
# seeded neurotrace network with the same initialisation (`init="uniform"`) shows the
# same flow with numbers anyone can reproduce:

# %%
net = nt.NeuralNetwork([2, 4, 4, 1], activation="sigmoid", init="uniform", seed=0)
input_data = np.array([1.0, 2.0])
for i, layer in enumerate(net.layers):
    print(f"-> input of layer L{i + 1}:  {input_data}")
    input_data = np.array([neuron.forward(input_data) for neuron in layer])   # the hand-out's loop
    print(f"<- output of layer L{i + 1}: {input_data}")
print("net.forward([1, 2]) =", net.forward(np.array([1.0, 2.0])))

# %% [markdown]
# The loop over `net.layers`, calling each neuron's own `forward`, is exactly what
# `net.forward` does; the hand-out's `NeuralNetwork` class makes the same point (its
# "for-loop approach" and "neural network" outputs are equal, `[0.27758912]`, again
# unseeded). With the tracer on, `nt.trace` records every neuron's $x$, $z$ and $a$;
# the table of a recorded step lists them, layer by layer (with the backward values,
# which notebook 04 is about):

# %%
with nt.trace(net) as t:
    net.backprop(np.array([1.0, 2.0]), np.array([1.0]), loss="sse")
print(t[0])

# %% [markdown]
# ## 3. Deeper networks, one activation per layer (the week-41 exercises)
#
# The week-41 exercises seed numpy with 2024 and draw every layer with
# `np.random.randn(n_out, n_in)` and `np.random.randn(n_out)`. Reproducing their
# outputs means drawing the same numbers in the same order, cell by cell; the helper
# below does that and hands each layer to neurotrace transposed.

# %%
def create_layers(n_inputs, sizes):
    """The week-41 `create_layers`: W (n_out, n_in) and b (n_out,) per layer, from np.random."""
    layers = []
    for n_out in sizes:
        layers.append((np.random.randn(n_out, n_inputs), np.random.randn(n_out)))
        n_inputs = n_out
    return layers


def to_neurotrace(layers, activation):
    return nt.NeuralNetwork.from_weights([W.T for W, b in layers], [b for W, b in layers],
                                         activation=activation)


np.random.seed(2024)                    # the week-41 random stream, cell by cell
np.random.randn(2), np.random.randn(4, 2), np.random.randn(4)     # exercise 1: x, W1, b1
np.random.randn(8, 4), np.random.randn(8)                          # exercise 2: W2, b2

x3 = np.random.rand(8)                                             # exercise 3 c
relu_net = to_neurotrace(create_layers(8, [10, 16, 6, 2]), "relu")
print("3 c) 8-10-16-6-2, all ReLU         printed [5.36337158 0.        ]   neurotrace",
      np.round(relu_net.forward(x3), 8))

layers4b = create_layers(8, [5, 8, 2])                             # exercise 4 b
x4b = np.random.randn(8)
net4b = to_neurotrace(layers4b, ["relu", "relu", "sigmoid"])
print("4 b) [ReLU, ReLU, sigmoid]         printed [0.99536949 0.99825477]   neurotrace",
      np.round(net4b.forward(x4b), 8))

layers4c = create_layers(8, [5, 8, 2])                             # exercise 4 c
x4c = np.random.randn(8)
net4c = to_neurotrace(layers4c, ["sigmoid", "sigmoid", "relu"])
print("4 c) [sigmoid, sigmoid, ReLU]      printed [0.        0.2621146]    neurotrace",
      np.round(net4c.forward(x4c), 8))

# %% [markdown]
# All three agree to the printed 8 decimals. The zeros are ReLUs whose $z$ is negative:
# in 3 c) the second output neuron, in 4 c) the first. A zero output is not an error,
# but a neuron whose $z$ is negative for *every* input never passes a gradient back
# (notebook 01's dead neuron).

# %%
print("3 c) output layer z:", np.round([n.z for n in relu_net.layers[-1]], 4))
print("4 c) output layer z:", np.round([n.z for n in net4c.layers[-1]], 4))

# %% [markdown]
# ## 4. Without activations, the layers collapse into one
#
# The week-41 exercise 3 d) asks why we need activation functions. Answer with numbers:
# take the 3 c) network and make every layer linear (`activation="identity"`). Then each
# layer computes $x W_l + b_l$, and composing linear maps gives a linear map:
#
# $$\big((x W_1 + b_1) W_2 + b_2\big) W_3 + \dots = x \,(W_1 W_2 W_3 W_4) + b$$
#
# One layer with the product of the weight matrices, and the bias pushed through the
# later layers, computes **the same function** as all four:

# %%
weights = [W for W, b in relu_net.parameters()]
biases = [b for W, b in relu_net.parameters()]
linear_net = nt.NeuralNetwork.from_weights(weights, biases, activation="identity")

W_one, b_one = np.eye(8), np.zeros(8)
for W, b in zip(weights, biases):
    W_one, b_one = W_one @ W, b_one @ W + b            # compose: (x W_one + b_one) W + b
one_layer = nt.NeuralNetwork.from_weights([W_one], [b_one], activation="identity")

X_test = np.random.default_rng(0).normal(size=(5, 8))
print("four linear layers:", linear_net.forward(X_test).round(6).tolist())
print("one layer          :", one_layer.forward(X_test).round(6).tolist())
print("largest difference :", np.max(np.abs(linear_net.forward(X_test) - one_layer.forward(X_test))))

# %% [markdown]
# Four layers of linear neurons can only draw straight lines (planes), however many
# there are; XOR (notebook 06) needs a bend. The activation between layers is what
# makes depth worth anything. With the ReLUs back, no single layer reproduces the network:
# the best linear fit to it leaves a visible error.

# %%
X_many = np.random.default_rng(1).normal(size=(400, 8))
Y_relu = relu_net.forward(X_many)
design = np.hstack([X_many, np.ones((400, 1))])
coef, *_ = np.linalg.lstsq(design, Y_relu, rcond=None)
print("best single linear layer vs the ReLU network, largest error:",
      np.round(np.max(np.abs(design @ coef - Y_relu)), 3))

# %% [markdown]
# ## What we did
#
# * Reproduced the student's hand-computed table at $x = 2$ and drew it as a network.
# * Ran the hands-on's forward loop over lists of neurons: it is `net.forward`.
# * Reproduced the week-41 outputs of three deeper networks to the printed digits.
# * Showed numerically that linear layers collapse into one layer.
#
# Next, **04 The chain rule with real numbers**: the same network, backwards.

# %% [markdown]
# ## Your turn
#
# **03.1** Evaluate the student's network (`homework`) at $x = 5$ by hand, layer by
# layer, then check with `homework.forward`. What does it output?

# %% tags=["exercise"]
answer = ...
nt.exercises.check("03.1", answer)

# %% [markdown]
# **03.2** Collapse the homework network into one linear layer with the formula of
# section 4 (the product of its weight matrices, the bias pushed through), ignoring that
# its hidden layer is ReLU. Does the collapsed layer give the same output as the network
# at $x = 0$? Answer `True` or `False`.

# %% tags=["exercise"]
answer = ...
nt.exercises.check("03.2", answer)

# %% [markdown]
# **03.3** Two linear layers, $W_1$ of shape `(3, 4)`, $b_1$ = `[1, 0, -1, 2]`, then
# $W_2$ of shape `(4, 1)`, $b_2 = 0.5$, with `W1 = np.arange(12.0).reshape(3, 4) / 10` and
# `W2 = np.array([[1.0], [-1.0], [0.5], [2.0]])`. What is the bias $b$ of the single
# equivalent layer (shape `(1,)`)?

# %% tags=["exercise"]
W1 = np.arange(12.0).reshape(3, 4) / 10
W2 = np.array([[1.0], [-1.0], [0.5], [2.0]])
answer = ...
nt.exercises.check("03.3", answer)
