# %% [markdown]
# # 07 Batches
#
# So far every step saw one sample. Real training feeds a **batch** of samples through
# the network at once and takes one step for the whole batch. This notebook follows the
# week-42 exercises of a university machine-learning course (exercise sets by Kjersti
# Stangeland et al., 2025), whose exercise 6 computes the gradient of a batch twice, by
# hand and with autograd, and prints two answers that differ by a factor of 10.
#
# We find out which one is right and why, and along the way:
#
# 1. **one neuron object processing a whole batch**, stepped through event by event;
# 2. the batch gradient as the sum of **per-sample shares**, drawn as bars;
# 3. **sum**, **mean** and **mean taken twice**: the factor 10 is the number of samples;
# 4. the **batched layout** of the weights (the week-41 exercises), and the hand-out's
#    vectorized `Layer` (the hands-on *Coding a full neural network from scratch using
#    Python*, Universidad Politécnica de Madrid), which is neurotrace's `fit` with a batch.

# %%
import numpy as np
import neurotrace as nt

# %% [markdown]
# ## 1. The week-42 batched exercise
#
# The exercises draw all their numbers from `np.random.seed(314)`, one exercise after
# the other. To get exercise 6's numbers we make the same draws in the same order
# (the earlier exercises' draws are thrown away). Exercise 6 builds a 2-3-4 network,
# sigmoid then ReLU, and 10 random samples with 4 targets each, with the weights
# already in the *batched layout* `(n_inputs, n_neurons)` (section 4).

# %%
np.random.seed(314)                                   # the material's draws, in its order
np.random.rand(2), np.random.rand(3), np.random.randn(3, 2), np.random.randn(3)    # exercise 2
np.random.rand(2), np.random.rand(4), np.random.rand(3, 2), np.random.rand(3)      # exercise 4
np.random.rand(4, 3), np.random.rand(4)
np.random.randn(3, 2), np.random.randn(3), np.random.randn(4, 3), np.random.randn(4)  # exercise 5
np.random.rand(2), np.random.rand(4)
layers = [(np.random.randn(2, 3), np.random.randn(3)),                            # exercise 6
          (np.random.randn(3, 4), np.random.randn(4))]
X = np.random.rand(10, 2)
Y = np.random.rand(10, 4)

net = nt.NeuralNetwork.from_weights([W for W, b in layers], [b for W, b in layers],
                                    activation=["sigmoid", "relu"])
print(net)
print("inputs", X.shape, " targets", Y.shape)

# %% [markdown]
# The loss is the exercises' `mse`: the mean of $(a - y)^2$ over **all** 10 × 4 numbers,
# so its gradient with respect to one output is $2(a - y) / 40$. neurotrace's loss
# `"mse"` is the same. Here is the gradient of the first layer's weights, beside the
# two answers the material printed:

# %%
(dW1, db1), (dW2, db2) = net.gradients(X, Y, loss="mse")

printed_manual = np.array([[0.00705068, 0.01351109, -0.00382829],
                           [0.00723994, 0.01273161, -0.00414871]])
printed_autograd = np.array([[0.07050681, 0.13511092, -0.03828287],
                             [0.07239938, 0.12731607, -0.0414871]])
np.set_printoptions(precision=8, suppress=True)
print("neurotrace dW1\n", dW1)
print("printed by autograd\n", printed_autograd)
print("printed by the manual code\n", printed_manual)
print("agree with autograd to 8 decimals:", np.allclose(dW1, printed_autograd, atol=5e-9))
print("neurotrace / manual:\n", dW1 / printed_manual)

# %% [markdown]
# neurotrace agrees with **autograd** to every printed digit, and is **10 times** the
# manual answer (the ratios above stray from 10 only in the digits the printout rounded
# away). Autograd differentiates the loss the exercise defines, so it is
# right by construction; and neurotrace's gradients are checked against finite
# differences on every network in its test suite. So the manual code is wrong. Where?

# %% [markdown]
# ## 2. One training step on the batch, one neuron at a time
#
# `nt.step_through` runs one training step of the real network, one event per `next()`:
# each neuron's forward, then the loss, then each neuron's backward (the output layer
# first), then the updates. Nothing is computed before its event. We step through a copy
# of the network (the step changes the weights it runs on), on all 10 samples at once:

# %%
def copy_of(network):
    """A fresh network with the same weights (stepping changes the weights it runs on)."""
    return nt.NeuralNetwork.from_weights([W for W, b in network.parameters()],
                                         [b for W, b in network.parameters()],
                                         activation=["sigmoid", "relu"])


s = nt.step_through(copy_of(net), X, Y, loss="mse", optimizer=nt.SGD(lr=0.1))
print(s)

# %% [markdown]
# The plan has one forward event per neuron, not one per sample: **one neuron object
# processes the whole batch**. Its first event, neuron `L1.N0`'s forward, holds a value
# per sample:

# %%
first = next(s)
print(first)
print("shapes:", {name: np.shape(value) for name, value in first.values.items()})

# %% [markdown]
# One weight vector `w` of shape `(2,)`, the batch's inputs `x` of shape `(10, 2)`, and a
# `z` and an `a` for each of the 10 samples. Run on to `L1.N0`'s backward event: its
# $\delta$ has one value per sample too, and its weight gradient is the **sum over the
# samples** of $\delta_s \, x_s$:

# %%
back = s.run_to("backward", "L1.N0")
print(back)
print(s)

# %% [markdown]
# What the step knows about `L1.N0` now, and what it does not know yet (its update
# comes after every backward event):

# %%
state = s.state("L1.N0")
print("delta, one per sample:", state["delta"])
try:
    state["weights_after"]
except nt.NotYetComputed as error:
    print("NotYetComputed:", error)
s.run()
print("after the last event, L1.N0's weights:", s.network["L1.N0"].weights)

# %% [markdown]
# ## 3. Per-sample shares: where the 1/n belongs
#
# A batch loss is an average over samples, so its gradient is an average too: each
# sample contributes its own gradient, divided by the number of samples $n$. The tracer
# records a batch step with every sample's numbers; `t.contributions` gives each
# sample's **share** $\delta_s \, x_s$ of one gradient, and `explain` writes one share
# out as the chain rule.

# %%
with nt.trace(net) as t:
    net.backprop(X, Y, loss="mse")
shares = t.contributions("L1.N0", "w0", step=0)
print("shares of dL/dw0 of L1.N0:", shares)
print("their sum:", shares.sum(), "  the batch gradient:", dW1[0, 0])
print(t.explain("L1.N0", "w0", step=0, sample=3))

# %% [markdown]
# The share of sample 3 is its $\partial L/\partial a$ (which already holds the 1/n: the
# loss divides by 40), times $f'(z)$, times its input. Drawn as bars, the shares add up
# to the batch gradient:

# %%
fig = nt.viz.contributions_plot(t, "L1.N0", "w0", step=0)

# %% [markdown]
# Is a share really one sample's gradient divided by 10? Independently of the tracer:
# each sample's own gradient (`net.gradients` on that sample alone, its `mse` averaging
# over its 4 outputs), divided by 10:

# %%
g = np.array([net.gradients(x, y, loss="mse")[0][0] for x, y in zip(X, Y)])   # one g_i per sample
print("g_i / 10:", g[:, 0, 0] / len(X))
print("largest difference from the shares:", np.abs(g[:, 0, 0] / len(X) - shares).max())

# %% [markdown]
# Some samples pull the weight up, some down; the batch step follows their sum.
#
# ## 4. Sum, mean, and the mean taken twice
#
# Three ways to combine the per-sample gradients $g_i$:
#
# | combination | formula | what it is |
# |---|---|---|
# | sum | $\sum_i g_i$ | the gradient of a **summed** loss (the hand-out's `sse`) |
# | mean | $\frac1n \sum_i g_i$ | the gradient of the **mean** loss, `mse`: autograd's answer |
# | mean taken twice | $\frac1{n^2} \sum_i g_i$ | the manual code's answer |
#
# The manual code's `mse_der` already returns $2(a - y)/a.\text{size}$, which contains
# the $1/n$. Then it computes `dC_dW = layer_input.T @ dC_dz / n_samples` and
# `dC_db = np.mean(dC_dz, axis=0)`: a second $1/n$. The traced shares make the three
# from the same numbers: $g_i = n \cdot$ share$_i$.

# %%
n = len(X)
for name, value in [("sum", (n * shares).sum()), ("mean", shares.sum()),
                    ("mean taken twice", shares.sum() / n)]:
    print(f"{name:>17}: {value:.8f}")
print(f"{'printed autograd':>17}: {printed_autograd[0, 0]:.8f}")
print(f"{'printed manual':>17}: {printed_manual[0, 0]:.8f}")

# %% [markdown]
# The factor is not "10" by accident: it is the **number of samples**. With the first 5
# samples the manual code would be 5 times too small:

# %%
(dW1_half, _), _ = net.gradients(X[:5], Y[:5], loss="mse")
g_half_mean = np.mean([net.gradients(x, y, loss="mse")[0][0] for x, y in zip(X[:5], Y[:5])], axis=0)
print("batch of 5, gradient:       ", dW1_half[0])
print("mean of the 5 sample grads: ", g_half_mean[0])
print("mean taken twice:           ", g_half_mean[0] / 5, " (5x too small)")

# %% [markdown]
# Outside a stepper, the same neuron object also keeps the batch's numbers after a
# `backprop`: `neuron.z` and `neuron.delta` have one entry per sample, and
# `grad_weights` is their sum $\sum_s \delta_s x_s$.

# %%
neuron = net["L1.N0"]
net.backprop(X, Y, loss="mse")
print("z     ", neuron.z.shape, neuron.z[:4], "...")
print("delta ", neuron.delta.shape, neuron.delta[:4], "...")
print("dL/dw = sum_i delta_i x_i:", neuron.delta @ X, "  grad_weights:", neuron.grad_weights)

# %% [markdown]
# ## 5. The batched layout, and the hand-out's `Layer`
#
# The week-41 exercises (exercise 5) "flip a couple of things around" to process many
# inputs at once: the weights become the transpose, `(n_inputs, n_neurons)`, so that
# `X @ W + b` gives one row per sample. That is the layout of neurotrace's layers: column
# $j$ of a layer's weights is neuron $j$'s weight vector.

# %%
W1, b1 = net.parameters()[0]
print("W1 shape", W1.shape, "(n_inputs, n_neurons)")
print("column 0 of W1:", W1[:, 0], " = L1.N0's weights:", net["L1.N0"].weights)
Z_batch = X @ W1 + b1                                   # all samples, all neurons
Z_one = np.array([W1.T @ x + b1 for x in X])            # one sample at a time
print("same z either way:", np.allclose(Z_batch, Z_one, rtol=1e-14))

# %% [markdown]
# The hand-out's performance section goes further: a `Layer` holds the weight matrix and
# does a whole layer in one matrix product, and `SpeedyNeuralNetwork` trains on
# mini-batches of 16 with the error $-(t - y)$ summed over the batch, "going from minutes
# to few seconds". In neurotrace that is `VectorizedNetwork` (the same network, one
# matrix per layer) trained by `fit` with `loss="sse"` and `batch_size=16`. Below, the
# hand-out's own code takes three steps on 48 digits, and so does `fit`; both backends
# land on the same weights.

# %%
def handout_speedy_step(layers, X, T, lr):
    """The hand-out's SpeedyNeuralNetwork.backpropagate, as it writes it (material code)."""
    inputs, outputs, a = [], [], X
    for W, b in layers:                                  # Layer.forward, layer by layer
        inputs.append(a)
        a = 1 / (1 + np.exp(-(np.dot(a, W) + b)))       # sigmoid
        outputs.append(a)
    d_error = -(T - a)                                   # the error of the summed loss
    for i in reversed(range(len(layers))):               # Layer.backpropagate
        W, b = layers[i]
        d_z = d_error * outputs[i] * (1 - outputs[i])
        d_weights, d_biases = np.dot(inputs[i].T, d_z), np.sum(d_z, axis=0)
        d_error = np.dot(d_z, W.T)
        layers[i] = (W - lr * d_weights, b - lr * d_biases)
    return layers


digits_X, digits_T = nt.datasets.digits(test_size=None, scale="minmax")
digits_X, digits_T = digits_X[:48], digits_T[:48]
speedy = nt.VectorizedNetwork([64, 32, 10], activation="sigmoid", init="lecun", seed=0)
neurons = speedy.to_neurons()                           # the same weights, one object per neuron
layers = [(W.copy(), b.copy()) for W, b in speedy.parameters()]

for network in (speedy, neurons):
    nt.fit(network, digits_X, digits_T, loss="sse", optimizer=nt.SGD(lr=0.01), epochs=1,
           batch_size=16, shuffle=False, progress=False)
for start in range(0, 48, 16):
    layers = handout_speedy_step(layers, digits_X[start:start + 16], digits_T[start:start + 16], 0.01)

for (W, b), (Wv, bv), (Wn, bn) in zip(layers, speedy.parameters(), neurons.parameters()):
    print(f"largest difference: hand-out vs vectorized {np.abs(W - Wv).max():.1e}, "
          f"vectorized vs neurons {np.abs(Wv - Wn).max():.1e}")

# %% [markdown]
# The same three steps, to the last few bits: the hand-out's batched code, neurotrace's
# matrix backend and neurotrace's neuron objects compute one function. How much faster
# the matrix form is, and why, is measured live in notebook 12.
#
# ## Your turn
#
# Each exercise ends with `nt.exercises.check(...)`: replace the `...` with your answer
# and run the cell. A wrong answer gets a hint.
#
# **07.1** Four samples give these per-sample gradients of one weight (each sample's own
# `mse`): `g = [0.3, -0.1, 0.4, 0.2]`. What is the gradient of the batch's `mse` loss
# with respect to that weight?

# %% tags=["exercise"]
g_exercise = np.array([0.3, -0.1, 0.4, 0.2])
answer = ...
nt.exercises.check("07.1", answer)

# %% [markdown]
# **07.2** The hand-out trains its digits network (10 outputs) on batches of 16 with the
# summed loss `sse` and `lr=0.01`. You switch to `loss="mse"` (the mean of $(a-y)^2$ over
# the 16 × 10 numbers). Which learning rate takes exactly the same steps?

# %% tags=["exercise"]
answer = ...
nt.exercises.check("07.2", answer)

# %% [markdown]
# **07.3** Section 1's network has a first layer of 3 neurons on 2 inputs. In the batched
# layout, what is the shape of `dW1`, the gradient of its weights, for a batch of 10?
# Answer with a tuple.

# %% tags=["exercise"]
answer = ...
nt.exercises.check("07.3", answer)
