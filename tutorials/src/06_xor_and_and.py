# %% [markdown]
# # 06 XOR and AND
#
# This notebook follows the hands-on *Coding a full neural network from scratch using
# Python* (Universidad Politécnica de Madrid). Its first task is **XOR**: the output is 1 when the two inputs
# differ and 0 when they are equal. No single straight line separates the 1s from the
# 0s, so one neuron cannot do it: we need a hidden layer.
#
# The hand-out's set-up, which we keep:
#
# * a **2-2-1** network: 2 inputs, 2 hidden neurons, 1 output neuron, all **sigmoid**;
# * initial weights drawn uniformly from $[-1, 1]$;
# * **one sample per step**, in the same order every epoch (no shuffling);
# * the error $-(\text{target} - \text{output})$, which is the gradient of the loss
#   `"sse"`, $L = \frac12 \sum (a - y)^2$;
# * plain gradient descent (SGD) with learning rate 0.5, for 10 000 epochs.
#
# We record the first and the last epoch with the tracer, explain the long plateau with
# each sample's share of the gradient (`t.contributions`), look at one step in detail,
# draw the network, see starts that never learn and ask `nt.diagnose` about them, train
# AND with the right number of one-hot outputs, and end with an experiment on
# **vanishing gradients**.

# %%
import os

import matplotlib.pyplot as plt
import numpy as np
import neurotrace as nt

EPOCHS = 3000 if "CI" in os.environ else 10000    # CI runs a shorter version; every check still holds

# %%
X, Y = nt.datasets.xor()
print(" x0  x1   y")
print(np.hstack([X, Y]))

# %% [markdown]
# ## 1. The network, and a check of its gradients
#
# Each neuron gets its own weights; the names say where it sits: `L1.N0` and `L1.N1` are
# the hidden neurons, `L2.N0` the output. We start where the hand-out starts: it calls
# `np.random.seed(42)` and each neuron draws its weights, then its bias, from
# `uniform(-1, 1)`. (Notebook 05 ran the hand-out's own code from here.)

# %%
def handout_start():
    """The hand-out's initial 2-2-1 network: np.random.seed(42), uniform(-1, 1) per neuron."""
    np.random.seed(42)
    (w0, b0), (w1, b1), (w2, b2) = [(np.random.uniform(-1, 1, 2), np.random.uniform(-1, 1))
                                    for _ in range(3)]
    return nt.NeuralNetwork.from_weights([np.column_stack([w0, w1]), w2.reshape(2, 1)],
                                         [np.array([b0, b1]), np.array([b2])], activation="sigmoid")


net = handout_start()
for name in ["L1.N0", "L1.N1", "L2.N0"]:
    print(f"{name}: weights {net[name].weights}, bias {net[name].bias:.4f}")

# %% [markdown]
# Before training, make sure backpropagation is right for this network: `nt.gradcheck`
# compares every gradient with a finite-difference estimate (nudge the parameter both
# ways, measure the loss). A relative error around $10^{-8}$ means they agree.

# %%
error = nt.gradcheck(net, X, Y, loss="sse")
print("largest relative error:", error)

# %% [markdown]
# ## 2. Training, with the first and last epoch traced
#
# A **step** is one sample: forward, loss, backward, update. With 4 samples per epoch,
# epoch $e$ is steps $4e$ to $4e + 3$. Recording all of them is possible, but we only
# want to compare the beginning with the end, so `steps=` limits the trace to the first
# and the last epoch (the trace counts the steps it skipped).

# %% tags=["skip-compare"]
n_steps = EPOCHS * len(X)
first_epoch = list(range(len(X)))
last_epoch = list(range(n_steps - len(X), n_steps))

with nt.trace(net, steps=first_epoch + last_epoch) as t:
    history = nt.fit(net, X, Y, loss="sse", optimizer=nt.SGD(lr=0.5), epochs=EPOCHS,
                     batch_size=1, shuffle=False, progress=False)

print(t)
print("recorded steps:", t.steps, " skipped:", t.skipped)

# %% [markdown]
# Did it learn XOR? The hand-out measures a *total error*, $\sum (y - a)^2$ over the four
# samples. The `sse` loss that `fit` reports per epoch is half of that.

# %% tags=["skip-compare"]
predictions = net.predict(X)
total_error = float(np.sum((Y - predictions) ** 2))      # the hand-out's "Total Error"

for x_i, y_i, a_i in zip(X, Y, predictions):
    print(f"input {x_i}  target {y_i[0]:.0f}  output {a_i[0]:.4f}")
print(f"total error {total_error:.4f}; sse loss {history.loss[-1]:.4f} (half of it)")


# %% [markdown]
# Done correctly from the hand-out's start, the total error at epoch 9000 is 0.0017 and
# the outputs are 0.0205, 0.9816, 0.9827, 0.0189 (notebook 05 compares them with the
# hand-out's printed 0.0029 and 0.0238, 0.9726, 0.9732, 0.0221).
#
# The loss curve tells the story of XOR: a slow start (the total error goes from 1.00 to
# 0.68 in the first 2000 epochs and sits there: a **plateau**), then a fast drop once
# the hidden neurons have found two useful lines (0.04 at epoch 3000), then a long, slow
# polish. The y axis switches to a log scale when the loss spans more than a factor of 50.

# %% tags=["skip-compare"]
fig = nt.viz.loss_curve(history, ylabel="sse loss on the 4 samples")

# %% [markdown]
# ### Why a plateau: four samples pulling apart
#
# On the plateau the network is not standing still for lack of gradient. Each sample has
# its own gradient, its **share** of the epoch's update, and the shares pull in opposite
# directions. Stop a copy of the network in the middle of the plateau (after 1500 epochs),
# and record one full-batch step on the four samples: with the `sse` loss the step's
# gradient is the sum of the four samples' gradients, and `t.contributions(name,
# quantity)` gives each sample's share, $\delta_s \cdot x_s$ (or $\delta_s$ for a bias).

# %%
plateau = handout_start()
nt.fit(plateau, X, Y, loss="sse", optimizer=nt.SGD(lr=0.5), epochs=1500, batch_size=1,
       shuffle=False, progress=False)
PARAMETERS = [(name, q) for name in ["L1.N0", "L1.N1", "L2.N0"] for q in ["w0", "w1", "b"]]


def shares_of_one_batch_step(network):
    """Record one full-batch step of a copy of `network`; return its trace and every share."""
    copy = nt.NeuralNetwork.from_weights([W.copy() for W, _ in network.parameters()],
                                         [b.copy() for _, b in network.parameters()], activation="sigmoid")
    with nt.trace(copy) as t_batch:
        nt.fit(copy, X, Y, loss="sse", optimizer=nt.SGD(lr=0.5), epochs=1, batch_size=None,
               shuffle=False, progress=False, warn=False)
    shares = np.column_stack([t_batch.contributions(name, q, step=0) for name, q in PARAMETERS])
    return t_batch, shares                       # shares[s, k]: sample s's share of parameter k


t_plateau, shares = shares_of_one_batch_step(plateau)
print("outputs on the plateau:", plateau.predict(X).ravel().round(3), " total error",
      round(float(np.sum((Y - plateau.predict(X)) ** 2)), 4))
print(f"{'parameter':10}" + "".join(f"{str(x.astype(int)):>12}" for x in X) + f"{'sum':>12}")
for k, (name, q) in enumerate(PARAMETERS):
    print(f"{name + '.' + q:10}" + "".join(f"{v:12.5f}" for v in shares[:, k]) + f"{shares[:, k].sum():12.5f}")

# %% [markdown]
# `nt.viz.contributions_plot` draws the shares of one gradient as bars, one per sample,
# with their sum (samples 0 to 3 are $[0, 0]$, $[0, 1]$, $[1, 0]$, $[1, 1]$): here the
# bias of the output neuron and the bias of the hidden neuron `L1.N1`.

# %%
fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.4))
nt.viz.contributions_plot(t_plateau, "L2.N0", "b", ax=left)
nt.viz.contributions_plot(t_plateau, "L1.N1", "b", ax=right)
fig.tight_layout()

# %% [markdown]
# On the plateau the network already answers $[1, 0]$ (about 0.92) but gives the other
# three samples about 1/3: the mean of their targets 0, 1, 0, the best it can do while it
# cannot tell them apart. Look at the output neuron's bias: $[0, 1]$ (target 1) pulls the
# output up (a negative share, about −0.15), $[0, 0]$ and $[1, 1]$ (target 0) pull it
# down (about +0.07 each). The shares nearly cancel, and the sum, what an epoch actually
# moves, is more than ten times smaller than the largest share: the network creeps. The
# hidden neuron `L1.N1` is pulled both ways too: up by $[1, 0]$, down by $[0, 0]$ and
# $[1, 1]$. It escapes once a hidden neuron has drifted far enough to separate $[0, 1]$ from the
# other two; then the shares stop cancelling and the loss drops within a few hundred
# epochs.

# %% [markdown]
# ## 3. One step, every number
#
# `print(t[k])` is a table of step $k$: one row per neuron, with its $z$, $a$, the
# gradient it received $\partial L / \partial a$, its local derivative $f'(z)$, its
# error $\delta$ and its bias gradient. Step 0 is the sample $[0, 0]$ with target 0.

# %% tags=["skip-compare"]
print(t[0])
print()
print(t[n_steps - 1])

# %% [markdown]
# Compare the output neuron's $\delta$ at the first and last step: at the start the
# network is wrong about every sample, at the end it is nearly right, so the errors
# flowing back are much smaller.
#
# Now one **hidden** weight. At step 0 the input is $[0, 0]$, and a weight whose input
# is 0 gets gradient $\delta \cdot 0 = 0$: it does not learn from that sample. Step 2
# is the sample $[1, 0]$ (target 1), where $w_0$ of `L1.N0` multiplies $x_0 = 1$.

# %%
explanation = t.explain("L1.N0", "w0", step=2)
print(explanation)

# %% [markdown]
# The last line is the heart of backpropagation: a hidden neuron's
# $\partial L / \partial a$ is what the next layer sends back, $\delta \cdot w$ of the
# output neuron. Let us redo the whole chain by hand, from nothing but the **forward**
# values the trace recorded, the target, and the output neuron's weight:

# %%
s = t[2]
x0 = s.forward["L1.N0"]["x"][0]                 # input 0 of the hidden neuron
a_hidden = s.forward["L1.N0"]["a"]
a_out = s.forward["L2.N0"]["a"]
y = s.targets[0]
w_out = s.update["L2.N0"]["weights_before"][0]  # the output neuron's weight on L1.N0

delta_out = (a_out - y) * a_out * (1 - a_out)   # sse: dL/da = a - y;  sigmoid: f'(z) = a (1 - a)
dL_da_hidden = delta_out * w_out                # sent back from L2.N0 to L1.N0
delta_hidden = dL_da_hidden * a_hidden * (1 - a_hidden)
by_hand = delta_hidden * x0                     # dL/dw0 = delta * x0

print("by hand:", by_hand)
print("explain:", explanation.value)
print("used by the update:", s.backward["L1.N0"]["grad_weights"][0])

# %% [markdown]
# The same step as a picture of the hidden neuron. Every box reads, top to bottom: name,
# value, gradient. On the right is the output neuron `L2.N0`, with its weight on this
# neuron and the error $\delta \cdot w$ it sends back, which is this neuron's
# $\partial L / \partial a$.

# %%
nt.viz.neuron_graph(t, "L1.N0", step=2)

# %% [markdown]
# ## 4. The whole network at the first and the last step
#
# `nt.viz.network_graph` draws every neuron with its values ($z$, $a$) and its error
# ($\delta$), and every weight as an edge labelled with $w$ and its gradient
# $\partial L / \partial w$. Blue is positive, red negative, and thicker is larger.
#
# At step 0 the input is $[0, 0]$: look at the first layer's edges, whose gradients are
# all 0 for the reason above.

# %%
nt.viz.network_graph(t, step=0)

# %% [markdown]
# At the last step (sample $[1, 1]$, target 0) the weights have grown large: the hidden
# neurons are now confident detectors, and the output is close to its target.

# %% tags=["skip-compare"]
graph = nt.viz.network_graph(t, step=n_steps - 1)
graph

# %% [markdown]
# ## 5. What the network learned
#
# `nt.viz.decision_boundary` colours the plane of inputs by the network's output. Each
# hidden neuron draws one line (where its $z = 0$); the output neuron combines the two, so
# the region of "1" is a band between two lines: something one neuron alone could never
# draw. The black curve is where the output is 0.5.

# %% tags=["skip-compare"]
fig = nt.viz.decision_boundary(net, X, Y)

# %% [markdown]
# ## 6. Not every start works
#
# Train the same network from other initial weights, say `seed=0`. It gets stuck: it
# learns to tell $[0, 0]$ apart from the other three inputs, but not $[1, 1]$ from
# $[0, 1]$ and $[1, 0]$. For those three it outputs the same value, their average
# target $2/3$, the best it can do without telling them apart. From there, the
# gradients of the three samples pull in opposite directions and cancel out: a *local
# minimum*. With an output near 0 for $[0, 0]$, its total error is about
# $(1/3)^2 + (1/3)^2 + (2/3)^2 = 2/3$: the 0.67 that the hand-out printed at epoch 2000,
# before its network escaped.
# Shuffling, momentum, or a few more hidden neurons make getting stuck less likely:
# try them.

# %%
def traced_run(network, epochs):
    """Train on XOR as the hand-out does, every step traced."""
    with nt.trace(network) as t_run:
        nt.fit(network, X, Y, loss="sse", optimizer=nt.SGD(lr=0.5), epochs=epochs, batch_size=1,
               shuffle=False, progress=False, warn=False)
    return t_run


stuck = nt.NeuralNetwork([2, 2, 1], activation="sigmoid", init="uniform", seed=0)
t_stuck = traced_run(stuck, 2000)
stuck_outputs = stuck.predict(X).ravel()
stuck_error = float(np.sum((Y.ravel() - stuck_outputs) ** 2))
print("after 2000 epochs, outputs:", stuck_outputs.round(3), " total error:", round(stuck_error, 4))

# %% [markdown]
# ### The stuck network, sample by sample
#
# Its shares of the gradient, as on the plateau above: large shares of both signs that
# sum to (nearly) zero. That is a flat point of the loss that is not a good solution,
# and training more does not leave it.

# %%
t_stuck_batch, stuck_shares = shares_of_one_batch_step(stuck)
print("largest share of one sample:", np.abs(stuck_shares).max().round(4),
      "  largest sum over the 4 samples:", np.abs(stuck_shares.sum(axis=0)).max().round(6))

# %% [markdown]
# ### Asking `nt.diagnose`
#
# `nt.diagnose(t)` reads a trace and looks for the usual ways training goes wrong: dead
# ReLUs, saturated sigmoids, gradients that vanish or explode on the way back, a loss that
# has stopped moving. On this stuck network it finds nothing: no neuron is dead or
# saturated, and the loss still creeps down (0.46 to 0.35 over the second half of the
# run, slower and slower towards $1/3$), so it has not stalled either. A flat region where
# the samples' shares cancel is not one of its rules; the shares above are what explain it.

# %%
print("findings on the stuck sigmoid network:", nt.diagnose(t_stuck))

# %% [markdown]
# With ReLU hidden neurons a start can get stuck in a way `diagnose` does see. The same
# 2-2-1 network with ReLU hidden neurons and He initialization, from two seeds: seed 9
# ends with the same three outputs near $2/3$; seed 1 learns XOR.

# %%
relu_runs = {}
for seed in [9, 1]:
    relu_net = nt.NeuralNetwork([2, 2, 1], activation="relu", output_activation="sigmoid", init="he",
                                seed=seed)
    relu_runs[seed] = traced_run(relu_net, 1000)
    print(f"seed {seed}: outputs {relu_net.predict(X).ravel().round(3)}")
    for finding in nt.diagnose(relu_runs[seed]) or ["no findings: a healthy run"]:
        print("  ", finding)

# %% [markdown]
# For seed 9 the hidden neuron `L1.N0` outputs 0 for every input from the very first
# step: $z < 0$ everywhere, so $f'(z) = 0$ and no gradient ever reaches its weights
# (notebook 01's dead neuron). The network is left with one hidden neuron, which cannot
# draw XOR's two lines, and the loss stops moving. Seed 1's run has nothing to report.

# %% [markdown]
# ## 7. AND, with one-hot outputs
#
# The hand-out's exercise 6 trains the network on **AND** and asks for an output "composed
# of 4 neurons ... where the correct one has higher output than the others": one-hot
# encoding. One-hot means one output per **class**, and AND has two classes, 0 and 1, so
# the right number of outputs is 2 (four would be one per *row* of the truth table). With
# two classes, a softmax output layer and the cross-entropy loss are the natural choice:

# %%
X_and, Y_and = nt.datasets.and_(one_hot=True)
print(np.hstack([X_and, Y_and]))
and_net = nt.NeuralNetwork([2, 2, 2], activation="sigmoid", output_activation="softmax",
                           init="uniform", seed=0)
and_history = nt.fit(and_net, X_and, Y_and, loss="cross_entropy", optimizer=nt.SGD(lr=0.5),
                     epochs=500, batch_size=1, shuffle=False, progress=False)
P_and = and_net.predict(X_and)
for x_i, p in zip(X_and, P_and):
    print(f"input {x_i.astype(int)}  P(0) = {p[0]:.3f}  P(1) = {p[1]:.3f}  -> class {p.argmax()}")
print("accuracy:", nt.accuracy(P_and, Y_and))

# %% [markdown]
# With four outputs, as the hand-out asks, two of them would never be the right answer for
# any row: training only teaches them to stay near 0. They cost weights and say nothing.

# %% [markdown]
# ## 8. Vanishing gradients
#
# The hand-out warns about **vanishing gradients**: in a deep network the error can shrink
# on its way back, until the first layers hardly learn. Why? Going back through one
# sigmoid layer multiplies the error by $f'(z) = a(1 - a)$, which is **at most 0.25**
# (and by the weights). Five sigmoid layers can shrink it by $0.25^5 \approx 0.001$.
#
# The experiment: a deeper network, five hidden layers of four neurons, trained on XOR
# for 50 epochs (200 steps), once with sigmoid hidden layers and once with tanh hidden
# layers (whose derivative $1 - a^2$ is 1 at $z = 0$). The output neuron stays sigmoid.
# We trace only the gradients.

# %%
deep_sizes = [2, 4, 4, 4, 4, 4, 1]
traces = {}
for hidden in ["sigmoid", "tanh"]:
    deep = nt.NeuralNetwork(deep_sizes, activation=hidden, output_activation="sigmoid",
                            init="uniform", seed=0)
    with nt.trace(deep, quantities=["grad_weights", "grad_bias", "loss"]) as t_deep:
        nt.fit(deep, X, Y, loss="sse", optimizer=nt.SGD(lr=0.5), epochs=50, batch_size=1,
               shuffle=False, progress=False)
    traces[hidden] = t_deep

# %% [markdown]
# `nt.viz.gradient_norms` plots, for every layer and every step, the size (norm) of the
# layer's gradient $\lVert \partial L / \partial W \rVert$ on a log scale. Layer `L1`
# is the first hidden layer, `L6` the output.

# %%
fig, axes = plt.subplots(1, 2, figsize=(12, 4), sharey=True)
for ax, (hidden, t_deep) in zip(axes, traces.items()):
    nt.viz.gradient_norms(t_deep, ax=ax)
    ax.set_title(f"{hidden} hidden layers")

# %% [markdown]
# The same in numbers: the median over the 200 steps of each layer's gradient norm,
# read from the trace with `t.series` (one row per step: the neuron's $\partial L /
# \partial w$; its $\partial L / \partial b$ alongside).

# %%
medians = {}
for hidden, t_deep in traces.items():
    per_layer = []
    for names in t_deep.node_names():            # [["L1.N0", ..., "L1.N3"], ..., ["L6.N0"]]
        grads = np.hstack([np.column_stack([t_deep.series(n, "grad_weights"),
                                            t_deep.series(n, "grad_bias")]) for n in names])
        per_layer.append(np.median(np.linalg.norm(grads, axis=1)))   # one norm per step
    medians[hidden] = np.array(per_layer)

print("layer      " + "".join(f"{f'L{l}':>10}" for l in range(1, len(deep_sizes))))
for hidden, m in medians.items():
    print(f"{hidden:<11}" + "".join(f"{v:>10.2g}" for v in m))
for hidden, m in medians.items():
    print(f"{hidden}: the output layer's gradient is {m[-1] / m[0]:.0f}x the first layer's")

sigmoid, tanh = medians["sigmoid"], medians["tanh"]

# %% [markdown]
# With sigmoid hidden layers the gradient shrinks at every layer on its way back: the
# first layer's gradient is thousands of times smaller than the output layer's, so with
# the same learning rate it barely moves. With tanh the first layer's gradient is about
# as large as the last one's.
#
# What helps against vanishing gradients:
#
# * activations whose derivative is not small where the neurons work: tanh
#   ($f'(0) = 1$), ReLU ($f'(z) = 1$ for $z > 0$);
# * initial weights scaled to the layer's width, so that $z$ stays in the range where
#   $f'$ is large: `init="xavier"` for sigmoid and tanh, `init="he"` for ReLU;
# * fewer layers, when the problem allows it.
#
# The hand-out suggests **gradient clipping** against vanishing gradients. That does not
# work: clipping (`nt.SGD(..., clip_value=...)` or `clip_norm=...`) caps gradients that
# are too *large*, which is the cure for the opposite problem, **exploding** gradients. It
# cannot make a small gradient bigger.
#
# ## What we did
#
# * Trained the hand-out's 2-2-1 sigmoid network on XOR, one sample per step, and traced
#   the first and last epoch.
# * Read one step's numbers as a table, explained one hidden weight's gradient with the
#   chain rule, and recomputed it by hand from the forward values alone.
# * Drew the network at the first and last step, the loss curve, and the decision
#   boundary.
# * Explained the plateau (and a start that stays stuck) with each sample's share of the
#   gradient, `t.contributions` and `nt.viz.contributions_plot`: large shares that cancel.
# * Asked `nt.diagnose`: nothing on the stuck sigmoid network (no rule covers cancelling
#   shares), a dead ReLU and a stalled loss on a stuck ReLU start, nothing on a healthy run.
# * Trained AND with one output per class: two, not the hand-out's four.
# * Measured how the gradient shrinks layer by layer in a deep sigmoid network, and how
#   tanh avoids it.

# %% [markdown]
# ## Your turn
#
# Each exercise ends with `nt.exercises.check(...)`: replace the `...` with your answer
# and run the cell. The check says whether it is right, and if not, what looks wrong.
#
# **06.1** The hand-out's last exercise trains AND with one-hot outputs. How many output
# neurons does a one-hot AND network need?

# %% tags=["exercise"]
answer = ...
nt.exercises.check("06.1", answer)

# %% [markdown]
# **06.2** The stuck network of section 6 gives the same output for $[0, 1]$, $[1, 0]$
# and $[1, 1]$. Which value does a squared error push it to? (A number; reading it off
# the stuck network's outputs is close enough.)

# %% tags=["exercise"]
answer = ...
nt.exercises.check("06.2", answer)

# %% [markdown]
# **06.3** On the plateau (section 2), the output neuron's bias gets one share of the
# gradient from each sample. What gradient $\partial L/\partial b$ of `L2.N0` does the
# full-batch step use? (A number; `t_plateau.contributions` gives the shares.)

# %% tags=["exercise"]
answer = ...
nt.exercises.check("06.3", answer)
