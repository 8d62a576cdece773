# %% [markdown]
# # 02 A layer and its shapes
#
# A layer is several neurons reading the same input. Each neuron keeps its own weights
# and computes its own gradients; written as matrices, the layer's gradient is those
# neurons' gradients stacked side by side. This notebook checks that claim number by
# number on the exercises of a university course (the week-41 and week-42 exercises,
# Kjersti Stangeland et al., 2025) and on the notes on *Neural Networks from Scratch*
# (Kinsley & Kukieła):
#
# 1. shapes: a layer's weights, its gradients, and why the course writes them transposed;
# 2. the week-41 first layer, forward, with its printed activations;
# 3. the week-42 one-layer gradient: $dC/da$, $\sigma'(z)$, $dC/dW$, $dC/db$ as printed;
# 4. $dC/dW$ assembled from each neuron's $\delta \cdot x$; what a layer sends back;
# 5. the notes' layer of three ReLU neurons: two runs of the same code that print
#    different digits, and which one is right;
# 6. the notes' `Layer_Dense` classes beside neurotrace's.

# %%
import numpy as np
import neurotrace as nt

# %% [markdown]
# ## 1. Shapes
#
# The week-42 exercise 2 a) asks: if a layer's weights and bias have shapes `(10, 4)` and
# `(10,)`, what are the shapes of the gradients? A gradient has one number per parameter,
# so the gradient has **the shape of the parameter**: `(10, 4)` and `(10,)`.
#
# The course writes a layer as $z = W x + b$ with $W$ of shape `(n_neurons, n_inputs)`:
# row $j$ is neuron $j$'s weights. neurotrace follows the batch convention of numpy,
# scikit-learn and PyTorch's data, $z = x W + b$ with `weights` of shape
# `(n_inputs, n_neurons)`: **column** $j$ is neuron $j$'s weights. Same numbers,
# transposed. A layer of 10 neurons reading 4 inputs:

# %%
net = nt.NeuralNetwork([4, 10], activation="sigmoid", seed=0)
(dW, db), = net.gradients(np.ones(4), np.zeros(10))
print("weights", net.parameters()[0][0].shape, " gradient", dW.shape)
print("bias   ", net.parameters()[0][1].shape, "  gradient", db.shape)
print("neuron L1.N3 holds column 3:", np.array_equal(net["L1.N3"].weights, net.parameters()[0][0][:, 3]))
print("the course's W (10, 4) is our weights transposed:", net.parameters()[0][0].T.shape)

# %% [markdown]
# ## 2. The week-41 first layer
#
# The week-41 exercise 1 seeds numpy's random numbers with 2024 and draws an input $x$
# (2 numbers), the weights $W_1$ (4 × 2) and the bias $b_1$ (4) of a ReLU layer. We draw
# the same numbers the same way, and give neurotrace $W_1$ transposed.

# %%
np.random.seed(2024)                   # the course's own random stream, to get its numbers
x41 = np.random.randn(2)
W1_41 = np.random.randn(4, 2)
b1_41 = np.random.randn(4)

layer41 = nt.NeuralNetwork.from_weights([W1_41.T], [b1_41], activation="relu")
a1 = layer41.forward(x41)
print("printed by the course:  [0.60610368, 4.0076268, 0.0, 0.56469864]  shape (4,)")
print("neurotrace:            ", np.round(a1, 8).tolist(), " shape", a1.shape)

# %% [markdown]
# The same to the printed 8 decimals. Its exercise 2 adds a second ReLU layer of 8
# neurons. Its input is $a_1$, so its weights are `(8, 4)` in the course's layout and
# `(4, 8)` in ours. The course checks the output's length with
# `np.allclose(np.exp(len(a2)), 2980.9579870417283)`, i.e. $e^8$:

# %%
W2_41, b2_41 = np.random.randn(8, 4), np.random.randn(8)
two_layers = nt.NeuralNetwork.from_weights([W1_41.T, W2_41.T], [b1_41, b2_41], activation="relu")
a2 = two_layers.forward(x41)
print("a2 shape:", a2.shape, "  exp(len(a2)) = ", np.exp(len(a2)),
      "  the course's check:", np.allclose(np.exp(len(a2)), 2980.9579870417283))

# %% [markdown]
# ## 3. The week-42 one-layer gradient
#
# The week-42 exercises 2 and 3 take one sigmoid layer of 3 neurons with 2 inputs and the
# cost $C = \mathrm{mse}(a, y) = \frac1n \sum_i (a_i - y_i)^2$, seeded with 314. They compute
# the gradient twice, with autograd and by hand through
# $\frac{dC}{dW} = \frac{dC}{da}\frac{da}{dz}\frac{dz}{dW}$, and print every factor.
# neurotrace's neurons compute the same factors in their `backward`; we read them off.

# %%
np.random.seed(314)                    # the week-42 exercises' random stream
x = np.random.rand(2)
target = np.random.rand(3)
W = np.random.randn(3, 2)
b = np.random.randn(3)

layer = nt.NeuralNetwork.from_weights([W.T], [b], activation="sigmoid")
(dW, db), = layer.gradients(x, target, loss="mse")
neurons = layer.layers[0]                          # [L1.N0, L1.N1, L1.N2]

dC_da = np.array([n.dL_da for n in neurons])
da_dz = np.array([n.da_dz for n in neurons])
print("dC/da  printed [ 0.22071046 -0.21208637 -0.07439771]")
print("       ours   ", np.round(dC_da, 8))
print("σ'(z)  printed [0.24076221 0.2487803 0.15611628]")
print("       ours   ", np.round(da_dz, 8))
print("dC/dW  printed [[ 0.0487215   0.03127437]")
print("                [-0.04837692 -0.03105318]")
print("                [-0.01064921 -0.00683573]]")
print("       ours (the course's layout, dW.T):")
print(np.round(dW.T, 8))
print("dC/db  printed [ 0.05313874 -0.05276291 -0.01161469]")
print("       ours   ", np.round(db, 8))

# %% [markdown]
# Every printed number agrees, to the 8 printed decimals. Note $dC/da = 2(a - y)/n$ with
# $n = 3$: the mean over the outputs is inside the loss's gradient.
#
# `t.explain` writes one of these gradients out as the chain rule, with the numbers:

# %%
with nt.trace(layer) as t:
    layer.backprop(x, target, loss="mse")
print(t.explain("L1.N0", "w1", step=0))

# %% [markdown]
# ## 4. The matrix is the neurons, stacked
#
# The week-42 exercise 3 e) derives $dz/dW = x^\top$ and $dz/db = I$, and so
# $dC/dW = $ `np.outer(dC_dz, x)`, $dC/db = dC/dz$. In the neurons' words: neuron $j$
# has its error $\delta_j = dC/dz_j$, and its weight gradient is $\delta_j \cdot x$ (one
# number per input). Stack the neurons' gradients as columns and you have neurotrace's
# `dW`; as rows, the course's `np.outer(dC_dz, x)`.
#
# `nt.step_through` shows it happen: it runs a training step of a fresh copy of the layer
# one event at a time, and each neuron's backward event prints its row,
# $dC/dw = \delta \cdot x$, with the numbers, and what it sends back to the inputs.

# %%
stepper = nt.step_through(nt.NeuralNetwork.from_weights([W.T], [b], activation="sigmoid"),
                          x, target, loss="mse")
backward_events = [stepper.run_to("backward", n.name) for n in neurons]
for event in backward_events:
    print(event)

# %% [markdown]
# The same rows, read off the neurons of `layer`, stacked into the matrix:

# %%
for n in neurons:
    print(f"{n.name}: delta = {n.delta: .8f}   delta * x = {np.round(n.delta * x, 8)}"
          f"   its grad_weights = {np.round(n.grad_weights, 8)}")

stacked = np.column_stack([n.grad_weights for n in neurons])
deltas = np.array([n.delta for n in neurons])
print("\nneurons stacked as columns equal dW:         ", np.array_equal(stacked, dW))
print("np.outer(delta, x) equals dW transposed:     ", np.array_equal(np.outer(deltas, x), dW.T))
print("each bias gradient is its delta (dz/db = I): ", np.array_equal(db, deltas))

# %% [markdown]
# Backprop needs one more thing from a layer: the error it sends to whatever feeds it.
# Input $x_k$ reaches every neuron, through weight $w_{jk}$, so it receives
# $\frac{dC}{dx_k} = \sum_j \delta_j \, w_{jk}$: each neuron sends $\delta_j w_j$ and the
# contributions add up. The notes on *Neural Networks from Scratch* write the same sum as
# $dL/dx = \sum_i \delta_i w_{i}$ (their section "Gradients of the Loss with Respect to
# Inputs"). In matrix form it is `weights @ delta`:

# %%
sent = [n.delta * n.weights for n in neurons]          # what each neuron sends back
for n, s in zip(neurons, sent):
    print(f"{n.name} sends delta * w = {np.round(s, 8)}")
print("summed per input:          ", np.round(np.sum(sent, axis=0), 8))
print("weights @ delta:           ", np.round(layer.parameters()[0][0] @ deltas, 8))
print("by finite differences:     ", np.round(
    [(layer.loss(x + e, target, "mse") - layer.loss(x - e, target, "mse")) / 2e-6
     for e in 1e-6 * np.eye(2)], 8))

# %% [markdown]
# ## 5. The notes' layer of three ReLU neurons, run twice
#
# The notes on *Neural Networks from Scratch* train a layer of three ReLU neurons with 4
# inputs and the loss $(\sum_j a_j)^2$ for 200 steps of learning rate 0.001. They run the
# same loop twice, in cells [5] and [13] (the second after renaming the variables), and
# the two printouts disagree in the 7th digit:
#
# | | cell [5] | cell [13] |
# |---|---|---|
# | loss at iteration 20 | `5.329595763793193` | `5.32959636083938` |
# | final weight $W_{01}$ | `-0.0139779` | `-0.01397789` |
# | final biases | `[-0.00698895 -0.04024714 -0.06451539]` | the same |
#
# neurotrace, with the loss defined as a `Loss` of our own:

# %%
square_of_sum = nt.Loss("(sum a)^2", value=lambda a, y: np.sum(a) ** 2,
                        gradient=lambda a, y: 2 * np.sum(a) * np.ones_like(a), formula="L = (sum a)^2")
W_notes = np.array([[0.1, 0.2, 0.3, 0.4], [0.5, 0.6, 0.7, 0.8], [0.9, 1.0, 1.1, 1.2]])
relu_layer = nt.NeuralNetwork.from_weights([W_notes.T], [np.array([0.1, 0.2, 0.3])], activation="relu")
x_notes, no_target = np.array([[1.0, 2.0, 3.0, 4.0]]), np.zeros((1, 3))

with nt.trace(relu_layer, quantities=["loss"]) as t_notes:
    nt.fit(relu_layer, x_notes, no_target, loss=square_of_sum, optimizer=nt.SGD(lr=0.001),
           epochs=200, batch_size=1, progress=False)
notes_losses = t_notes.series("loss")
print("loss at iteration 20:", repr(float(notes_losses[20])))
print("final weights (the notes' layout):")
print(relu_layer.parameters()[0][0].T)
print("final biases:", relu_layer.parameters()[0][1])

# %% [markdown]
# neurotrace agrees with cell [13] to every printed digit (`5.32959636083938`,
# `-0.01397789`; the losses of cell [13] to about 10 significant digits). Cell [5] is
# off because the notes start with `nnfs.init()`, which makes `np.dot` return
# **float32**. Cell [13] computes $Z$ with `np.dot` too but was run in a fresh kernel
# where it returned float64. Rounding the dot product to float32, and keeping the rest
# of the notes' own code, reproduces cell [5] exactly:

# %%
def notes_cell(dot):
    """The notes' training loop (cells [5] and [13]), with the dot product given."""
    inputs = np.array([1, 2, 3, 4])
    weights, biases = W_notes.copy(), np.array([0.1, 0.2, 0.3])
    printed = {}
    for iteration in range(200):
        neuron_outputs = dot(weights, inputs) + biases
        relu_outputs = np.maximum(0, neuron_outputs)
        final_output = np.sum(relu_outputs)
        dL_dneuron_output = 2 * final_output * np.where(neuron_outputs > 0, 1, 0)
        weights -= 0.001 * np.outer(inputs, dL_dneuron_output).T
        biases -= 0.001 * dL_dneuron_output
        if iteration % 20 == 0:
            printed[iteration] = final_output ** 2
    return printed, weights, biases


cell5 = notes_cell(lambda a, b: np.dot(a, b).astype(np.float32))   # what nnfs.init() does
cell13 = notes_cell(np.dot)
print("            cell [5], float32 dot       cell [13], float64")
print(f"loss @ 20   {float(cell5[0][20])!r:<27} {float(cell13[0][20])!r}")
print(f"W[0, 1]     {np.round(cell5[1][0, 1], 8)!s:<27} {np.round(cell13[1][0, 1], 8)}")

# %% [markdown]
# One more remark of the notes needs a correction. They say that "the weight gradient
# matrix has the same column vector for N number of neurons". Here it does: with the
# loss $(\sum_j a_j)^2$ every active neuron receives the same $dL/da_j = 2\sum a$, so every
# $\delta_j$ is equal and every neuron's $\delta_j x$ is the same vector. That is a
# property of this loss, not a rule: with the week-42 mse above, the three columns of
# `dW` (section 4) are all different.

# %% [markdown]
# ## 6. The notes' classes and neurotrace's
#
# The notes build their network from small classes: `Layer_Dense` (weights
# `0.01 * np.random.randn(n_inputs, n_neurons)`, so the same `(n_inputs, n_neurons)`
# layout as neurotrace), `Activation_ReLU`, `Activation_Softmax` (subtracting each row's
# maximum first) and `Loss_CategoricalCrossEntropy`, which clips the probabilities to
# $[10^{-7}, 1 - 10^{-7}]$ before the log. neurotrace's equivalent is one network with a
# softmax output and the loss `"cross_entropy"`. Here is the notes' forward pass,
# written as they write it, on their spiral data, beside neurotrace's with the same weights:

# %%
class Layer_Dense:
    def __init__(self, n_inputs, n_neurons, rng):
        self.weights = 0.01 * rng.standard_normal((n_inputs, n_neurons))
        self.biases = np.zeros((1, n_neurons))

    def forward(self, inputs):
        self.output = np.dot(inputs, self.weights) + self.biases


def softmax_rows(inputs):
    exp_values = np.exp(inputs - np.max(inputs, axis=1, keepdims=True))
    return exp_values / np.sum(exp_values, axis=1, keepdims=True)


def categorical_cross_entropy(y_pred, y_true):
    y_pred_clipped = np.clip(y_pred, 1e-7, 1 - 1e-7)
    return np.mean(-np.log(y_pred_clipped[range(len(y_pred)), y_true]))


X_spiral, y_spiral = nt.datasets.spiral(samples=100, classes=3, seed=0, one_hot=False)
rng = np.random.default_rng(0)
dense1, dense2 = Layer_Dense(2, 3, rng), Layer_Dense(3, 3, rng)
dense1.forward(X_spiral)
dense2.forward(np.maximum(0, dense1.output))
notes_p = softmax_rows(dense2.output)

ours = nt.NeuralNetwork.from_weights([dense1.weights, dense2.weights],
                                     [dense1.biases[0], dense2.biases[0]],
                                     activation="relu", output_activation="softmax")
ours_p = ours.forward(X_spiral)
print("largest difference of the probabilities:", np.max(np.abs(ours_p - notes_p)))
print("the notes' loss:", categorical_cross_entropy(notes_p, y_spiral))
print("neurotrace's:   ", ours.loss(X_spiral, nt.datasets.one_hot(y_spiral, 3), "cross_entropy"))

# %% [markdown]
# The same numbers (an untrained network gives every class about 1/3, so the loss is
# about $\ln 3 \approx 1.0986$). The clip only matters when a probability falls below
# $10^{-7}$: there the notes' loss stops at $-\ln 10^{-7} \approx 16.1$ and its gradient
# vanishes, while neurotrace computes the loss from the logits with a log-softmax, which
# stays exact and finite without clipping.

# %% [markdown]
# ## What we did
#
# * A gradient has the shape of its parameter; the course's `(n_neurons, n_inputs)` is
#   neurotrace's `(n_inputs, n_neurons)` transposed.
# * The week-41 activations and the week-42 one-layer gradient, reproduced to every
#   printed digit, factor by factor.
# * `dW` is each neuron's $\delta_j x$, stacked; `db` is the $\delta$s; what a layer sends
#   back is $\sum_j \delta_j w_j$.
# * The notes' two runs differ because one computed its dot products in float32;
#   float64 (cell [13], and neurotrace) is right.
#
# Next, **03 Forward through layers**.

# %% [markdown]
# ## Your turn
#
# **02.1** A layer in the course's layout has weights of shape `(5, 3)` (5 neurons,
# 3 inputs). What is the shape of neurotrace's `dW` for it? Answer with a tuple.

# %% tags=["exercise"]
answer = ...
nt.exercises.check("02.1", answer)

# %% [markdown]
# **02.2** For the week-42 layer of section 3, compute $dC/dW$ **in the course's layout**
# (shape `(3, 2)`) yourself, from `dC_da`, `da_dz` and `x`, without `layer.gradients`.

# %% tags=["exercise"]
answer = ...
nt.exercises.check("02.2", answer)

# %% [markdown]
# **02.3** For the same layer, what does it send back to its inputs: $dC/dx$, shape `(2,)`?

# %% tags=["exercise"]
answer = ...
nt.exercises.check("02.3", answer)
