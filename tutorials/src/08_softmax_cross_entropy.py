# %% [markdown]
# # 08 Softmax and cross-entropy
#
# To classify into $K$ classes a network ends in $K$ neurons, and **softmax** turns their
# outputs $z_1 \dots z_K$ (the *logits*) into probabilities
# $p_k = e^{z_k} / \sum_j e^{z_j}$. The loss is the **cross-entropy**
# $L = -\frac1n \sum_i \sum_k y_{ik} \log p_{ik}$ with one-hot targets $y$.
#
# This notebook follows two exercise sets of a university machine-learning course
# (Kjersti Stangeland et al., 2025) and the notes on *Neural Networks from Scratch*
# (Kinsley & Kukieła):
#
# 1. the week-42 exercises' advice: do not differentiate softmax and cross-entropy
#    separately, their product simplifies to **prediction − target**. We watch it happen.
# 2. the week-41 exercises' batched "softmax", which normalises over the **batch** instead
#    of over the classes, and the accuracy 0.5666666666666667 it prints;
# 3. the notes' spiral and vertical data, learned with softmax.

# %%
import autograd
import autograd.numpy as anp
import matplotlib.pyplot as plt
import numpy as np
import neurotrace as nt
from sklearn.datasets import load_iris

np.set_printoptions(precision=8, suppress=True)

# %% [markdown]
# ## 1. The output delta is p − y
#
# Softmax couples the output neurons (each $p_k$ depends on every $z_j$), so neurotrace
# treats it as a layer-level activation. With the cross-entropy loss it uses the fused
# gradient $\partial L / \partial z_k = (p_k - y_k)/n$: the $1/p$ of the logarithm cancels
# the $p$ of softmax's derivative. A 4-3-3 network on three flowers, one of each species:

# %%
X_iris, Y_iris = nt.datasets.iris(test_size=None)          # standardized, one-hot
X3, Y3 = X_iris[::50], Y_iris[::50]                         # flowers 0, 50, 100
net = nt.NeuralNetwork([4, 3, 3], activation="tanh", output_activation="softmax", seed=0)
stepper_net = nt.NeuralNetwork([4, 3, 3], activation="tanh", output_activation="softmax", seed=0)
s = nt.step_through(stepper_net, X3, Y3, loss="cross_entropy", optimizer=nt.SGD(lr=0.1))
print(s)

# %% [markdown]
# Step through one training step on these three flowers (`nt.step_through`, a copy of the
# network made with the same seed). The forward events of the output neurons compute
# their logit $z$ but no $a$ yet: softmax needs the whole layer. The **loss event**
# computes the probabilities $p$, the loss, and where backward starts, for each flower:

# %%
loss_event = s.run_to("loss")
print(loss_event)
print("p − y, each row a flower:\n", loss_event.values["a"] - loss_event.values["y"])
print("dL/dz at the logits, as the loss event hands it on:\n", loss_event.values["delta"])

# %% [markdown]
# Row by row, $\partial L/\partial z = (p - y)/3$: the probability minus the one-hot
# target, divided by the 3 flowers of the batch. The next event, output neuron `L2.N0`'s
# backward, takes its $\delta$ straight from the loss node: it has no
# $\partial L / \partial a$ or $f'(z)$ of its own.

# %%
print(next(s))
_ = s.run()                     # the rest of the step: the updates

# %% [markdown]
# The tracer records the same step, and `t.explain` writes the output delta of `L2.N0`
# flower by flower:

# %%
with nt.trace(net) as t:
    net.backprop(X3, Y3, loss="cross_entropy")
print(t.explain("L2.N0", "delta", step=0))

# %% [markdown]
# And the whole output layer, against $(p - y)/3$ computed from the recorded
# probabilities:

# %%
P = t[0].probabilities
deltas = np.stack([t[0].backward[f"L2.N{k}"]["delta"] for k in range(3)], axis=-1)
print("p\n", P)
print("y\n", Y3)
print("delta = dL/dz\n", deltas)
print("(p - y) / 3\n", (P - Y3) / 3)

# %% [markdown]
# Is the shortcut right? `nt.gradcheck` nudges every weight and bias both ways and
# compares the change of the loss with the backpropagated gradient:

# %%
print("largest relative error against finite differences:",
      nt.gradcheck(net, X3, Y3, loss="cross_entropy"))

# %% [markdown]
# ## 2. The week-41 "softmax"
#
# The week-41 exercises define a batched softmax for rows of scores. Here it is, as
# written (material code):

# %%
def week41_softmax(z):
    """Compute softmax values for each set of scores in the rows of the matrix z (as written)."""
    e_z = np.exp(z - np.max(z, axis=0))
    return e_z / np.sum(e_z, axis=1)[:, np.newaxis]


# %% [markdown]
# It subtracts `np.max(z, axis=0)`: the maximum of each **column**, over the whole batch.
# A softmax is unchanged when one number is subtracted from a whole *row* (that is what
# the usual `axis=1, keepdims=True` does, for safety against overflow), but not when each
# column gets its own shift. Each row still sums to 1, so nothing looks wrong, but a
# flower's probabilities now depend on the other flowers in the batch:

# %%
z = np.array([[2.0, 1.0, 0.0],
              [0.0, 3.0, 1.0],
              [1.0, 1.0, 5.0]])
layer = nt.NeuralNetwork.from_weights([np.eye(3)], [np.zeros(3)], activation="identity",
                                      output_activation="softmax")   # a true softmax of z
print("week-41, row 0 in this batch: ", week41_softmax(z)[0])
print("week-41, row 0 alone:         ", week41_softmax(z[:1])[0])
print("true softmax, in the batch:   ", layer.forward(z)[0])
print("true softmax, alone:          ", layer.forward(z[:1])[0])

# %% [markdown]
# Alone, every flower gets exactly 1/3 for each class: $z - \max(z)$ over a batch of one
# row is all zeros.
#
# ### Exercise 5 c: 1000 random inputs
#
# The exercises draw from `np.random.seed(2024)`, exercise after exercise. We repeat the
# draws to reach exercise 5's 4-12-10-3 network (ReLU, ReLU, softmax) and its 1000 random
# inputs, run the hidden layers in neurotrace, and give the logits to both softmaxes.

# %%
def create_layers_batch(network_input_size, layer_output_sizes):     # material code
    layers, i_size = [], network_input_size
    for layer_output_size in layer_output_sizes:
        W = np.random.randn(layer_output_size, i_size).T
        b = np.random.randn(layer_output_size)
        layers.append((W, b))
        i_size = layer_output_size
    return layers


def create_layers(network_input_size, layer_output_sizes):            # exercises 3 and 4
    return [(W.T, b) for W, b in create_layers_batch(network_input_size, layer_output_sizes)]


np.random.seed(2024)
np.random.randn(2), np.random.randn(4, 2), np.random.randn(4)           # exercise 1
np.random.randn(8, 4), np.random.randn(8)                               # exercise 2
np.random.rand(8), create_layers(8, [10, 16, 6, 2])                     # exercise 3
create_layers(8, [5, 8, 2]), np.random.randn(8)                         # exercise 4 b
create_layers(8, [5, 8, 2]), np.random.randn(8)                         # exercise 4 c
inputs = np.random.rand(1000, 4)                                        # exercise 5
layers5 = create_layers_batch(4, [12, 10, 3])
np.random.randn(4)                                                      # its unused x
layers6 = create_layers_batch(4, [8, 3])                                # exercise 6


def logits_network(layers, hidden):
    """The exercise's layers in neurotrace, with the last layer's logits as the output."""
    return nt.VectorizedNetwork.from_weights([W for W, b in layers], [b for W, b in layers],
                                             activation=[hidden] * (len(layers) - 1) + ["identity"])


Z5 = logits_network(layers5, "relu").forward(inputs)
true5 = nt.VectorizedNetwork.from_weights([W for W, b in layers5], [b for W, b in layers5],
                                          activation="relu", output_activation="softmax").forward(inputs)
printed5 = np.array([[0.41938167, 0.16304261, 0.41757572], [0.54359295, 0.27391737, 0.18248969],
                     [0.04282971, 0.05088938, 0.90628091], [0.17210491, 0.78782673, 0.04006837],
                     [0.42757407, 0.53580191, 0.03662402], [0.25239892, 0.21009272, 0.53750836]])
rows = [0, 1, 2, 997, 998, 999]
print("printed (rows 0, 1, 2, 997, 998, 999)\n", printed5)
print("week-41 softmax of neurotrace's logits\n", week41_softmax(Z5)[rows])
print("true softmax (neurotrace)\n", true5[rows])

# %% [markdown]
# The printed rows are the week-41 function's, to every digit; a true softmax gives other
# numbers. (The week-41 result *is* a softmax, of shifted logits $z - m$ where $m$ holds
# each class's maximum over the batch: as if each output neuron's bias were lowered by
# that maximum.)
#
# ### Exercise 6: iris, and the accuracy 0.5666666666666667
#
# Exercise 6 builds a 4-8-3 network (sigmoid, then softmax) and evaluates it, untrained,
# on all 150 flowers (raw measurements, as the exercise does):

# %%
iris = load_iris()
Z6 = logits_network(layers6, "sigmoid").forward(iris.data)
P_week41 = week41_softmax(Z6)
P_true = nt.VectorizedNetwork.from_weights([W for W, b in layers6], [b for W, b in layers6],
                                           activation="sigmoid",
                                           output_activation="softmax").forward(iris.data)
accuracy_week41 = np.mean(P_week41.argmax(axis=1) == iris.target)
accuracy_true = np.mean(P_true.argmax(axis=1) == iris.target)
print("shape", P_week41.shape)
print("printed rows 0 and 50:  [0.35533043 0.33833531 0.30633426]  [0.3990314 0.15302865 0.44793994]")
print("week-41 rows 0 and 50: ", P_week41[0], P_week41[50])
print("printed accuracy:       0.5666666666666667")
print("week-41 accuracy:      ", accuracy_week41)
print("true softmax accuracy: ", accuracy_true, "  predicted classes:", np.bincount(P_true.argmax(axis=1), minlength=3))

# %% [markdown]
# With a true softmax this untrained network calls every flower class 2, and the accuracy
# is exactly 1/3 (50 of each species). The printed 0.5666666666666667 comes from the batch
# shift, which lowers class 2's logit by its largest value over the 150 flowers and so
# moves many flowers to class 0. It is not a property of the network: evaluated on a
# different batch (say, the flowers one at a time) the same network would score
# differently.

# %%
one_at_a_time = np.array([week41_softmax(z_row[None, :])[0] for z_row in Z6])
print("week-41 softmax, one flower at a time: accuracy",
      np.mean(one_at_a_time.argmax(axis=1) == iris.target), "(every row is [1/3, 1/3, 1/3]: argmax 0)")

# %% [markdown]
# ### Exercise 7 b: the gradient of the week-41 cost
#
# Exercise 7 differentiates the cost $\sum -y \log p$ (a **sum** over the flowers, with the
# week-41 softmax) with autograd and prints the gradient of the first layer's weights.
# neurotrace can backpropagate any loss of the outputs: we give it that cost as a loss of
# the logits (its gradient with respect to the logits from autograd, as the exercise
# does), and neurotrace carries it back through the sigmoid layer.

# %%
def week41_cost(Z, T):
    e = anp.exp(Z - anp.max(Z, axis=0))
    return anp.sum(-T * anp.log(e / anp.sum(e, axis=1)[:, None]))


cost = nt.Loss("week-41 cost", week41_cost, autograd.grad(week41_cost))
targets = nt.datasets.one_hot(iris.target)
(dW1_7b, _), _ = logits_network(layers6, "sigmoid").gradients(iris.data, targets, loss=cost)
printed_7b_row0 = np.array([6.15771988e+00, 1.32178600e+01, -3.37513790e-01, 7.34124061e-01,
                            1.74363807e+01, -2.51379562e+01, -1.56517758e+01, 6.07447280e-01])
print("printed layers_grad[0][0], row 0:\n", printed_7b_row0)
print("neurotrace, row 0:\n", dW1_7b[0])

# %% [markdown]
# They agree to the 9 digits printed. These gradients are large (the cost is a sum over
# 150 flowers, not a mean), which matters for the learning rate in notebook 09.
#
# ## 3. Spiral and vertical data
#
# The notes on *Neural Networks from Scratch* use two generated data sets:
# `spiral_data` (one arm per class, wound around each other) and `vertical_data` (one
# blob per class). `nt.datasets.spiral` and `nt.datasets.vertical` make the same kinds.

# %%
fig, axes = plt.subplots(1, 2, figsize=(8, 3.5))
for ax, (name, make) in zip(axes, [("vertical", nt.datasets.vertical), ("spiral", nt.datasets.spiral)]):
    Xd, yd = make(samples=100, seed=0, one_hot=False)
    ax.scatter(Xd[:, 0], Xd[:, 1], c=yd, cmap="brg", s=10)
    ax.set_title(f"{name}: 3 classes, 100 points each")
fig.tight_layout()

# %% [markdown]
# A softmax layer alone draws straight boundaries: enough for the blobs, not for the
# spiral. A hidden layer of 64 ReLU neurons bends them.

# %%
EPOCHS = 300
Xv, yv = nt.datasets.vertical(samples=100, seed=0, one_hot=False)
Xs, ys = nt.datasets.spiral(samples=100, seed=0, one_hot=False)
runs = {}
for name, Xd, yd, sizes in [("vertical, no hidden layer", Xv, yv, [2, 3]),
                            ("spiral, no hidden layer", Xs, ys, [2, 3]),
                            ("spiral, 64 hidden", Xs, ys, [2, 64, 3])]:
    model = nt.VectorizedNetwork(sizes, activation="relu", output_activation="softmax",
                                 init="he", seed=0)
    nt.fit(model, Xd, nt.datasets.one_hot(yd), loss="cross_entropy", optimizer=nt.Adam(lr=0.02),
           epochs=EPOCHS, batch_size=None, shuffle=False, progress=False)
    runs[name] = (model, Xd, yd)

# %% tags=["skip-compare"]
fig, axes = plt.subplots(1, 3, figsize=(12, 3.6))
for ax, (name, (model, Xd, yd)) in zip(axes, runs.items()):
    nt.viz.decision_boundary(model, Xd, yd, ax=ax, resolution=120)
    acc = nt.accuracy(model.predict(Xd), nt.datasets.one_hot(yd))
    ax.set_title(f"{name}: accuracy {acc:.2f}", fontsize=9)
fig.tight_layout()

# %% [markdown]
# ## Your turn
#
# **08.1** One flower, three classes: the network outputs $p = [0.7, 0.2, 0.1]$ and the
# flower is of class 0. What is $\partial L / \partial z$ at the three output neurons,
# for the cross-entropy loss of this batch of one? Answer with an array of 3 numbers.

# %% tags=["exercise"]
answer = ...
nt.exercises.check("08.1", answer)

# %% [markdown]
# **08.2** Evaluate the week-41 iris network of exercise 6 with a **true** softmax. What
# accuracy does it get on the 150 flowers?

# %% tags=["exercise"]
answer = ...
nt.exercises.check("08.2", answer)

# %% [markdown]
# **08.3** An untrained network that outputs $p = [1/3, 1/3, 1/3]$ for every flower: what
# is its cross-entropy loss (neurotrace's `"cross_entropy"`, natural logarithm, mean over
# the flowers)?

# %% tags=["exercise"]
answer = ...
nt.exercises.check("08.3", answer)
