# %% [markdown]
# # 11 Initialization and gradients
#
# Whether a network trains often depends on its first weights and on the size of its
# gradients. The hands-on *Coding a full neural network from scratch using Python*
# (Universidad Politécnica de Madrid) introduces Xavier, He and LeCun initialization,
# momentum and gradient clipping; a student's homework initializes a 784-32-32-10
# network from $N(0, 1/n)$. This notebook looks at the numbers behind them:
#
# 1. the spread of $z$, layer by layer, for each initializer;
# 2. gradient norms per layer: vanishing gradients;
# 3. exploding gradients, and what clipping really cures;
# 4. the hands-on's momentum-and-clipping neuron, and momentum and Adam on one problem;
# 5. `nt.diagnose` finding these failures in a recorded run.

# %%
import os

import matplotlib.pyplot as plt
import numpy as np
import neurotrace as nt

CI = "CI" in os.environ

# %% [markdown]
# ## 1. Three initializers, and the spread of z
#
# For a layer with $n_\text{in}$ inputs and $n_\text{out}$ neurons:
#
# | name | weights | meant for |
# |---|---|---|
# | `xavier` (Glorot) | $U(-l, l)$, $l = \sqrt{6/(n_\text{in}+n_\text{out})}$ | sigmoid, tanh |
# | `he` | $N(0, 2/n_\text{in})$ | ReLU |
# | `lecun` | $N(0, 1/n_\text{in})$ | sigmoid, tanh, the homework's $N(0, 1/n)$ |
# | `normal` | $N(0, 1)$, `randn` (the week-41/42 exercises) | small networks only |
# | `uniform` | $U(-1, 1)$ (the hands-on's default) | small networks only |
#
# The hands-on's own `xavier_init` uses $l = \sqrt{6/n_\text{in}}$, a larger limit than
# Glorot's, and its vectorized `Layer` calls "xavier" what is LeCun's normal,
# `randn * sqrt(1/n_in)`. neurotrace follows the papers:

# %%
n_in, n_out = 400, 200
for init, expected in [("xavier", np.sqrt(2 / (n_in + n_out))), ("he", np.sqrt(2 / n_in)),
                       ("lecun", np.sqrt(1 / n_in))]:
    (W, b), = nt.VectorizedNetwork([n_in, n_out], init=init, seed=0).parameters()
    print(f"{init:>7}: std of the weights {W.std():.4f}, the paper's {expected:.4f}")
print(f"Glorot's limit sqrt(6/(n_in+n_out)) = {np.sqrt(6 / (n_in + n_out)):.4f}; "
      f"the hands-on's sqrt(6/n_in) = {np.sqrt(6 / n_in):.4f}")

# %% [markdown]
# Why the $1/n_\text{in}$? $z = \sum_i w_i x_i$ adds $n_\text{in}$ terms: its variance is
# $n_\text{in}\,\mathrm{Var}(w)\,\mathrm{Var}(x)$. With $\mathrm{Var}(w) = 1/n_\text{in}$ the
# spread of $z$ stays that of $x$ from layer to layer; ReLU zeroes half of its inputs,
# which He makes up for with the 2. Through 8 layers of 64 ReLU neurons, 256 random
# samples:

# %%
rng = np.random.default_rng(0)
X_random = rng.normal(size=(256, 64))
depth = 8
fig, axes = plt.subplots(1, 4, figsize=(12, 3), sharey=True)
spreads = {}
for ax, init in zip(axes, ["normal", "lecun", "he", "xavier"]):
    deep = nt.VectorizedNetwork([64] * (depth + 1), activation="relu", init=init, seed=0)
    deep.forward(X_random)
    spreads[init] = [float(deep[f"L{l}"].Z.std()) for l in range(1, depth + 1)]
    for l in (1, 4, 8):
        z = deep[f"L{l}"].Z.ravel()
        ax.hist(z / z.std(), bins=40, range=(-4, 4), histtype="step", density=True,
                label=f"L{l}: std {z.std():.3g}")
    ax.set(title=init, xlabel="z / std(z)")
    ax.legend(fontsize=7)
fig.tight_layout()
for init, s in spreads.items():
    print(f"{init:>7}: std of z in layers 1..8:", " ".join(f"{v:.3g}" for v in s))

# %% [markdown]
# The shapes of the histograms are alike (each is drawn on its own scale); their widths
# are not. With $N(0,1)$ the spread of $z$ grows about $\sqrt{64/2} \approx 5.7$ times per
# layer; with LeCun it shrinks by $1/\sqrt 2$ per ReLU layer; He keeps it. The homework's
# $N(0, 1/n)$ is LeCun's; for its 784-32-32-10 network $1/\max(n_\text{in}, n_\text{out})$
# is $1/n_\text{in}$ in every layer:

# %%
homework = nt.VectorizedNetwork([784, 32, 32, 10], activation="sigmoid", output_activation="softmax",
                                init="lecun", seed=80085)
for l, ((W, b), n) in enumerate(zip(homework.parameters(), [784, 32, 32]), start=1):
    print(f"L{l}: weights {W.shape}, std {W.std():.4f}, 1/sqrt(n_in) = {1 / np.sqrt(n):.4f}, biases 0: {not b.any()}")

# %% [markdown]
# ## 2. Gradient norms per layer: vanishing gradients
#
# Backpropagation multiplies, layer by layer, by $f'(z)$ and by the weights. A sigmoid's
# $f'(z)$ is at most 0.25, so in a deep sigmoid network the gradient shrinks on its way
# back to the first layers. The tracer records every layer's gradients;
# `nt.viz.gradient_norms` draws their size per layer over training. A 6-layer sigmoid
# network and a 6-layer ReLU network (He) on the moons data:

# %%
Xm, Ym = nt.datasets.moons(n_samples=200, test_size=None)
norms = {}
fig, axes = plt.subplots(1, 2, figsize=(12, 3.8), sharey=True)
for ax, (activation, init) in zip(axes, [("sigmoid", "xavier"), ("relu", "he")]):
    deep = nt.VectorizedNetwork([2] + [16] * 6 + [2], activation=activation, output_activation="softmax",
                                init=init, seed=0)
    with nt.trace(deep, quantities=["grad_weights"]) as t_deep:
        nt.fit(deep, Xm, Ym, loss="cross_entropy", optimizer=nt.SGD(lr=0.1), epochs=5,
               batch_size=50, shuffle=False, progress=False)
    first = t_deep[0]
    norms[activation] = [np.sqrt(sum(np.sum(first.backward[f"L{l}.N{j}"]["grad_weights"] ** 2)
                                     for j in range(len(layer))))
                         for l, layer in enumerate(t_deep.node_names(), start=1)]
    nt.viz.gradient_norms(t_deep, ax=ax)
    ax.set_title(f"{activation}: |dL/dW| per layer, 20 steps")
for activation, n in norms.items():
    print(f"{activation:>7}, step 0, |dL/dW| of layers 1..7:", " ".join(f"{v:.2g}" for v in n))

# %% [markdown]
# With sigmoid the first layer's gradient is hundreds of times smaller than the last's:
# the first layers barely learn. With ReLU and He the sizes stay within a small factor.
#
# ## 3. Exploding gradients, and what clipping cures
#
# The opposite failure: with $N(0, 1)$ weights, the ReLU network's $z$ grow by ~5.7
# per layer (section 1), and so do the gradients on their way back. A plain SGD step then
# throws the weights far away and training breaks down; neurotrace stops it with a
# `TrainingDiverged` error that says what happened.

# %%
def exploding_network():
    return nt.VectorizedNetwork([2] + [64] * 6 + [2], activation="relu", output_activation="softmax",
                                init="normal", seed=0)


plain = exploding_network()
try:
    with np.errstate(over="ignore"):        # numpy's own overflow warning; the error below says more
        nt.fit(plain, Xm, Ym, loss="cross_entropy", optimizer=nt.SGD(lr=0.01), epochs=10,
               batch_size=50, shuffle=False, progress=False)
    print("trained; loss", plain.loss(Xm, Ym, "cross_entropy"))
except nt.TrainingDiverged as error:
    print("TrainingDiverged:", error)
print("gradient norm at the start:", np.linalg.norm(exploding_network().gradients(Xm, Ym, "cross_entropy")[0][0]))

# %% [markdown]
# **Clipping** caps the gradient before the step: by value (each number into
# $[-c, c]$) or by norm (the whole gradient scaled down to length $c$ if longer). With
# `clip_norm=1.0` the same network takes bounded steps, and its loss falls instead of
# blowing up:

# %%
clipped = exploding_network()
opt_clip = nt.SGD(lr=0.01, clip_norm=1.0)
hist_clip = nt.fit(clipped, Xm, Ym, loss="cross_entropy", optimizer=opt_clip, epochs=20,
                   batch_size=50, shuffle=False, progress=False)
print(f"with clip_norm=1: loss {hist_clip.loss[0]:.3g} -> {hist_clip.loss[-1]:.3g}; "
      f"last step's gradient norm {opt_clip.last_clip['norm']:.3g}, scaled by {opt_clip.last_clip['scale']:.2g}")
he_net = nt.VectorizedNetwork([2] + [64] * 6 + [2], activation="relu", output_activation="softmax",
                              init="he", seed=0)
hist_he = nt.fit(he_net, Xm, Ym, loss="cross_entropy", optimizer=nt.SGD(lr=0.01), epochs=20,
                 batch_size=50, shuffle=False, progress=False)
print(f"He initialization, no clipping: loss {hist_he.loss[0]:.3g} -> {hist_he.loss[-1]:.3g}")

# %% [markdown]
# Clipping treats the symptom: the steps stay bounded, but a network whose outputs start
# in the tens of thousands still has a long way to go. The cause was the initialization;
# with He's, the same network trains without any clipping.
#
# The hands-on offers clipping as a cure for **vanishing** gradients ("this can prevent the
# gradients from becoming too small"). It cannot: clipping only ever makes a gradient
# smaller. Section 2's sigmoid network's first-layer gradients, clipped at 1.0:

# %%
tiny = np.array([3e-7, -1e-6, 2e-7])
print("clip_value=1.0:", nt.SGD(clip_value=1.0).clip(tiny), "  clip_norm=1.0:", nt.SGD(clip_norm=1.0).clip(tiny))

# %% [markdown]
# Unchanged. Vanishing gradients are cured by what keeps $f'(z)$ and the weights' scale
# near 1: ReLU-like activations, He or LeCun initialization, normalization layers,
# residual connections.
#
# ## 4. Momentum and clipping in the hands-on, and Adam
#
# The hands-on's improved `Neuron` clips its two gradients to $[-1, 1]$ and keeps a
# velocity per weight: $v \leftarrow 0.5\,v - \text{lr}\,g$, $w \leftarrow w + v$. Here is
# its update for one sigmoid neuron (material code), against `nt.SGD(momentum=0.5,
# clip_value=1.0)` on the same neuron, with inputs large enough that the clipping acts:

# %%
def handout_neuron_steps(w, b, x, t, lr, steps, momentum=0.5, clip_value=1.0):
    """The hands-on's Neuron.backpropagate with momentum and clipping (material code)."""
    delta_weights, delta_bias = 0.0, 0.0
    for _ in range(steps):
        output = 1 / (1 + np.exp(-(np.dot(x, w) + b)))
        d_2 = -(t - output) * output * (1 - output)
        d_4 = np.clip(d_2 * x, -clip_value, clip_value)
        d_3 = np.clip(d_2, -clip_value, clip_value)
        delta_weights = momentum * delta_weights - lr * d_4
        w = w + delta_weights
        delta_bias = momentum * delta_bias - lr * d_3
        b = b + delta_bias
    return w, b


x_big, t_one = np.array([8.0, -6.0, 0.5]), 1.0
w_start, b_start = np.array([0.05, 0.05, 0.1]), -0.2
one = nt.NeuralNetwork.from_weights([w_start[:, None]], [[b_start]], activation="sigmoid")
opt_one, n_clipped = nt.SGD(lr=0.8, momentum=0.5, clip_value=1.0), 0
for _ in range(20):
    one.backprop(x_big, [t_one], "sse")
    opt_one.step(one)
    n_clipped += opt_one.last_clip["n_clipped"]
w_handout, b_handout = handout_neuron_steps(w_start, b_start, x_big, t_one, lr=0.8, steps=20)
print("hands-on:  ", w_handout, b_handout)
print("neurotrace:", one["L1.N0"].weights, one["L1.N0"].bias, f"({n_clipped} gradient entries clipped)")

# %% [markdown]
# ### Shuffling, and a loss plot
#
# The hands-on's improved `train` shuffles the samples every epoch and plots the loss,
# saying that always feeding the samples in the same order "can lead to overfitting".
# It cannot: the order changes the path gradient descent takes, not what the network can
# memorise. Overfitting is a gap between the loss on the training data and on data the
# network has not seen, which only held-out data shows. What a fixed order does is
# make consecutive steps pull in the same directions (here the samples come sorted by
# class); shuffling makes every stretch of steps a fair sample. One sample per step on
# 100 moons, with and without shuffling, with a held-out set:

# %%
Xs_tr, Xs_te, Ys_tr, Ys_te = nt.datasets.moons(n_samples=120, test_size=20 / 120)
order = np.argsort(Ys_tr[:, 1], kind="stable")                   # class 0 first, then class 1
Xs_tr, Ys_tr = Xs_tr[order], Ys_tr[order]
shuffle_runs = {}
for shuffle in (False, True):
    model = nt.VectorizedNetwork([2, 8, 2], activation="tanh", output_activation="softmax",
                                 init="xavier", seed=0)
    shuffle_runs[shuffle] = nt.fit(model, Xs_tr, Ys_tr, loss="cross_entropy", optimizer=nt.SGD(lr=0.05),
                                   epochs=15, batch_size=1, shuffle=shuffle, seed=0,
                                   validation_data=(Xs_te, Ys_te), progress=False)
fig, ax = plt.subplots(figsize=(6, 3.2))
for shuffle, h in shuffle_runs.items():
    label = "shuffled" if shuffle else "sorted by class"
    ax.plot(h.loss, label=f"{label}: training")
    ax.plot(h.val_loss, "--", label=f"{label}: held out")
ax.set(xlabel="epoch", ylabel="cross-entropy", title="one sample per step, 100 moons")
ax.legend(fontsize=8)
fig.tight_layout()

# %% [markdown]
# Momentum and Adam on one problem: the moons data, a 2-16-16-2 tanh network, the same
# start, 150 epochs of mini-batches of 20.

# %%
EPOCHS = 60 if CI else 150
curves = {}
for name, optimizer in [("SGD lr 0.05", nt.SGD(lr=0.05)),
                        ("SGD lr 0.05, momentum 0.9", nt.SGD(lr=0.05, momentum=0.9)),
                        ("Adam lr 0.01", nt.Adam(lr=0.01))]:
    model = nt.VectorizedNetwork([2, 16, 16, 2], activation="tanh", output_activation="softmax",
                                 init="xavier", seed=0)
    curves[name] = nt.fit(model, Xm, Ym, loss="cross_entropy", optimizer=optimizer, epochs=EPOCHS,
                          batch_size=20, seed=0, progress=False).loss

# %% tags=["skip-compare"]
fig, ax = plt.subplots(figsize=(6, 3.5))
for name, loss in curves.items():
    ax.plot(loss, label=f"{name}: {loss[-1]:.3f}")
ax.set(xlabel="epoch", ylabel="cross-entropy", yscale="log", title="the same network, three optimizers")
ax.legend(fontsize=8)
fig.tight_layout()

# %% [markdown]
# Momentum keeps going in directions the gradients agree on, and Adam also scales each
# weight's step by the size of its recent gradients: both get far lower than plain SGD in
# the same number of steps.

# %% [markdown]
# ## 5. `nt.diagnose`: finding these failures in a trace
#
# `nt.diagnose(t)` reads a recorded run and names the usual failures: dead ReLUs,
# saturated sigmoid or tanh neurons, vanishing or exploding gradients (the first layer's
# gradients against the last layer's), a stalled loss. (`fit` also warns with its
# findings at the end of a traced run; `warn=False` keeps that quiet here, to print them.)
# Three runs, each traced in full:
#
# * **vanishing**: section 2's sigmoid network made two layers deeper (8 hidden layers);
# * **saturated**: a 2-16-2 sigmoid network trained with a far too large learning rate,
#   100, which throws its hidden neurons' $z$ far out where $f'(z) \approx 0$;
# * **exploding**: section 3's network with $N(0, 1)$ weights, traced up to the step where
#   `fit` stops it with `TrainingDiverged` (the trace keeps every step it saw);
# * **healthy**: section 4's tanh network with Adam.

# %%
def diagnosed_run(network, optimizer, epochs):
    with nt.trace(network) as t_run:
        try:
            with np.errstate(over="ignore"):
                nt.fit(network, Xm, Ym, loss="cross_entropy", optimizer=optimizer,
                       epochs=epochs, batch_size=50, shuffle=False, progress=False, warn=False)
        except nt.TrainingDiverged as error:
            print(f"(training stopped at epoch {error.epoch}, step {error.step})")
    return nt.diagnose(t_run)


findings = {
    "vanishing": diagnosed_run(nt.VectorizedNetwork([2] + [16] * 8 + [2], activation="sigmoid",
                                                    output_activation="softmax", init="xavier", seed=0),
                               nt.SGD(lr=0.1), epochs=5),
    "saturated": diagnosed_run(nt.VectorizedNetwork([2, 16, 2], activation="sigmoid",
                                                    output_activation="softmax", init="xavier", seed=0),
                               nt.SGD(lr=100), epochs=10),
    "exploding": diagnosed_run(exploding_network(), nt.SGD(lr=0.01), epochs=10),
    "healthy": diagnosed_run(nt.VectorizedNetwork([2, 16, 16, 2], activation="tanh",
                                                  output_activation="softmax", init="xavier", seed=0),
                             nt.Adam(lr=0.01), epochs=20),
}
for run, found in findings.items():
    print(f"--- {run}: {len(found)} finding(s)")
    for finding in found:
        print(f"{finding.kind}: {finding}")

# %% [markdown]
# The deep sigmoid network's first layer gets gradients more than $10^4$ times smaller
# than its last layer's, and its loss stalls near $\ln 2$, a coin toss. The learning rate
# of 100 leaves five hidden neurons saturated for every sample. The healthy run gives
# nothing to report.
#
# The exploding run is found differently: its first layer's gradients are not far larger
# than its last layer's (every layer's gradients are huge alike, the forward values grow as
# fast as the errors on their way back), so `diagnose` also watches the gradients' size
# over the steps, and here they grew more than $10^4$ times within the first steps, before
# `fit` stopped the run. Its gradients at the start, layer by layer (the first batch of
# 50), show the ratio that is near 1:

# %%
exploding_grads = exploding_network().gradients(Xm[:50], Ym[:50], "cross_entropy")
exploding_rms = [float(np.sqrt(np.mean(dW ** 2))) for dW, db in exploding_grads]
print("rms of dL/dW, layers 1..7:", " ".join(f"{v:.3g}" for v in exploding_rms))
print(f"first layer / last layer: {exploding_rms[0] / exploding_rms[-1]:.2f}")

# %% [markdown]
# ## Your turn
#
# **11.1** A ReLU layer has 50 inputs and 20 neurons. What standard deviation does He
# initialization give its weights?

# %% tags=["exercise"]
answer = ...
nt.exercises.check("11.1", answer)

# %% [markdown]
# **11.2** An optimizer with `clip_value=1.0` receives the gradient `[3.0, -0.5, 0.2]`.
# What gradient does its update use?

# %% tags=["exercise"]
answer = ...
nt.exercises.check("11.2", answer)
