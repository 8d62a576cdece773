# %% [markdown]
# # 00 Slopes by nudging
#
# Training a neural network means changing its weights so that a number, the **loss**,
# gets smaller. To know which way to change a weight we need the **slope** of the loss
# with respect to that weight: how much the loss changes when the weight moves a little.
#
# This notebook measures slopes with no calculus at all, by **nudging**: move one number
# by a small $h$, recompute the loss, divide the change by $h$. Then it checks the
# derivatives that a student's homework and the notes on *Neural Networks from Scratch*
# (Kinsley & Kukieła) worked out by hand, and it looks at a loss with a kink.
#
# 1. one neuron, its loss, and the slope of the loss measured by nudging one weight;
# 2. the slope drawn as the tangent of the loss curve;
# 3. nudging every parameter ("numerical") against the chain rule ("analytic");
# 4. the homework's derivatives: $\nabla \lVert x \rVert^2 = 2x$, the mean minimises the
#    squared distances, $\nabla \sum (y_i - f)^2 = -2 \sum (y_i - f) \nabla f$;
# 5. the L1 loss: a kink, and why gradient descent still works.
#
# Symbols, the same in every notebook: $x$ inputs, $w$ weights, $b$ bias, $z = x \cdot w + b$,
# $a = f(z)$ the neuron's output, $L$ the loss.

# %%
import numpy as np
import neurotrace as nt

# %% [markdown]
# ## 1. One neuron and the slope of its loss
#
# The notes on *Neural Networks from Scratch* start from one ReLU neuron with weights
# $[-3, -1, 2]$ and bias $1$, reading the input $[1, -2, 3]$, and a loss $L = a^2$ (they
# want the output to be 0). In neurotrace a network of one neuron is built from its weight
# matrix, of shape `(n_inputs, n_neurons)` = `(3, 1)`; the neuron is called `L1.N0`
# (layer 1, neuron 0). The loss $a^2$ is not a built-in one, so we define it: a value and
# its gradient $\partial L / \partial a = 2a$.

# %%
x = np.array([[1.0, -2.0, 3.0]])                 # one sample, shape (1, 3)
w = np.array([-3.0, -1.0, 2.0])
net = nt.NeuralNetwork.from_weights([w.reshape(3, 1)], [np.array([1.0])], activation="relu")
no_target = np.zeros((1, 1))                     # a^2 needs no target; fit and friends want one

a_squared = nt.Loss("a^2", value=lambda a, y: np.sum(a ** 2),
                    gradient=lambda a, y: 2 * a, formula="L = a^2")

print("z =", x[0] @ w + 1.0, "  a = relu(z) =", net.predict(x)[0, 0])
print("L =", net.loss(x, no_target, a_squared))

# %% [markdown]
# Now nudge $w_0$ by $h$ and watch $L$. The **forward difference**
# $\big(L(w_0 + h) - L(w_0)\big) / h$ approaches the slope as $h$ shrinks:

# %%
def loss_with_w0(value):
    """L when w0 of L1.N0 is `value` and everything else is unchanged."""
    nudged = nt.NeuralNetwork.from_weights([np.array([[value], [-1.0], [2.0]])], [np.array([1.0])],
                                           activation="relu")
    return nudged.loss(x, no_target, a_squared)


L0 = loss_with_w0(-3.0)
for h in [1.0, 0.1, 0.01, 0.001]:
    forward = (loss_with_w0(-3.0 + h) - L0) / h
    central = (loss_with_w0(-3.0 + h) - loss_with_w0(-3.0 - h)) / (2 * h)
    print(f"h = {h:<6}  forward difference {forward:10.6f}   central difference {central:10.6f}")

# %% [markdown]
# The forward difference is off by exactly $h$: here $z = 6 + h$ after the nudge, so
# $L = (6 + h)^2 = 36 + 12h + h^2$ and $(L - 36)/h = 12 + h$. Nudging **both ways** (the
# central difference) cancels the $h^2$ terms: it gives 12 for every $h$, because this
# loss is a parabola in $w_0$. In general the central difference's error shrinks like
# $h^2$, the forward one's like $h$. The slope is
# $\partial L / \partial w_0 = 12$: raising $w_0$ by 0.001 raises $L$ by about 0.012.

# %% [markdown]
# ### The tracer nudges too: `what_if`
#
# neurotrace can make this experiment on a recorded training step. Record one step of
# gradient descent inside `with nt.trace(...) as t:` (on a copy of the neuron, so that
# `net` keeps its weights), then ask `t.what_if("L1.N0", "w0", by=h, step=0)`: it re-runs
# that step with $w_0$ changed by $h$ and returns the loss it gets, and the change the
# gradient predicts, $\partial L/\partial w_0 \cdot h$ (a straight line: the tangent).
# `what_if` re-runs the step with the trace's loss by its name, so we record it with the
# built-in `"mse"`: with one output and the target 0 it is $(a - 0)^2 = a^2$, our loss.

# %%
recorded = nt.NeuralNetwork.from_weights([w.reshape(3, 1)], [np.array([1.0])], activation="relu")
with nt.trace(recorded) as t:
    nt.fit(recorded, x, no_target, loss="mse", optimizer=nt.SGD(lr=0.001), epochs=1,
           batch_size=1, progress=False)
print("the recorded step's loss:", t[0].loss, " its dL/dw0:", t[0].backward["L1.N0"]["grad_weights"][0])

print("h        loss change   predicted dL/dw0 * h   change / h   central difference")
nudges = {}
for h in [1.0, 0.1, 0.01, 0.001]:
    nudges[h] = t.what_if("L1.N0", "w0", by=h, step=0)
    central = (loss_with_w0(-3.0 + h) - loss_with_w0(-3.0 - h)) / (2 * h)
    print(f"{h:<6} {nudges[h].change:13.6f} {nudges[h].predicted:20.6f} {nudges[h].change / h:12.6f}"
          f" {central:18.6f}")

# %% [markdown]
# The loss change divided by $h$ is the forward difference again ($12 + h$), and the
# prediction is exactly $12h$: the gradient the step recorded is the central difference's
# 12. The prediction misses the real change by $h^2$, which vanishes faster than $h$: that
# is what "the gradient is the best straight-line fit near the point" means. `print`
# shows what else the nudge changed, event by event:

# %%
print(nudges[0.1])

# %% [markdown]
# ## 2. The slope is the tangent
#
# `nt.viz.loss_slice` sweeps one parameter and draws the loss, with a line through the
# current point whose slope is the gradient backpropagation computes. The line touches
# the curve: that is what a derivative is. The sweep goes far enough left to show
# something else: below $w_0 = -9$, $z < 0$, the ReLU outputs 0, and the loss is flat.
# There the slope is 0, and gradient descent cannot move the weight at all
# (notebook 01 comes back to such a *dead* neuron).

# %%
fig = nt.viz.loss_slice(net, x, no_target, "L1.N0", "w0", loss=a_squared, span=8)

# %% [markdown]
# ## 3. Nudging every parameter, and the chain rule
#
# The notes say they "use numerical differentiation to approximate the gradient", but
# their code multiplies derivatives written out by hand (the chain rule): that is
# *analytic* differentiation. Numerical differentiation is what we just did. Both are
# worth having, and they must agree:
#
# * `nt.numerical_gradients` nudges every parameter both ways (two forward passes each);
# * `net.gradients` runs one backward pass (the chain rule; notebook 01 opens it up).

# %%
numeric = nt.numerical_gradients(net, x, no_target, loss=a_squared)
(dW, db), = net.gradients(x, no_target, loss=a_squared)
analytic = np.append(dW[:, 0], db)

print("parameters           w0, w1, w2, b")
print("numerical (nudging) ", numeric)
print("analytic (backprop) ", analytic)
print("largest relative error:", nt.gradcheck(net, x, no_target, loss=a_squared))

# %% [markdown]
# They agree to about ten digits. The numerical way costs two forward passes per
# parameter (8 here, two million for a network of a million weights); the analytic way
# costs one backward pass for all of them. That is why networks train with backprop and
# are *checked* with nudging: `nt.gradcheck` does the check in one call.

# %% [markdown]
# ## 4. The homework's derivatives, measured
#
# A student's homework derives three gradients by hand. Measuring them takes a few lines.
#
# **The squared norm.** $F(x) = \lVert x \rVert_2^2 = \sum_i x_i^2$ has the gradient
# $\nabla F = 2x$ (the homework writes $\partial / \partial x = 2x$). Nudge each coordinate
# of a random point:

# %%
rng = np.random.default_rng(0)
point = rng.normal(size=5)


def squared_norm(v):
    return float(np.sum(v ** 2))


h = 1e-6
measured = np.array([(squared_norm(point + h * e) - squared_norm(point - h * e)) / (2 * h)
                     for e in np.eye(len(point))])
print("point      ", point)
print("measured   ", measured)
print("2 x        ", 2 * point)
print("largest difference:", np.max(np.abs(measured - 2 * point)))

# %% [markdown]
# **The mean minimises the squared distances.** The homework sets the derivative of
# $\sum_i \lVert x_i - \mu \rVert^2$ to zero and finds $\mu = \frac1n \sum_i x_i$, the mean
# (its intermediate line $\partial/\partial x = 2(x - \mu)$ differentiates with respect to
# $x$; with respect to $\mu$ it is $-2(x_i - \mu)$, and the sign does not change where the
# sum is zero). Gradient descent finds the same point without the algebra. Make $\mu$ the
# bias of two identity neurons whose inputs are all 0: each outputs its bias for every
# sample, so training them on the points with a squared error moves the biases to where
# the loss is smallest.

# %%
points = rng.normal(loc=[2.0, -1.0], scale=1.5, size=(20, 2))
centre = nt.NeuralNetwork.from_weights([np.zeros((1, 2))], [np.zeros(2)], activation="identity")
history = nt.fit(centre, np.zeros((20, 1)), points, loss="sse", optimizer=nt.SGD(lr=0.02),
                 epochs=200, batch_size=None, progress=False)
mu = np.array([centre["L1.N0"].bias, centre["L1.N1"].bias])
print("mu found by gradient descent:", mu)
print("mean of the points          :", points.mean(axis=0))

# %% [markdown]
# **The gradient of the sum of squared errors.** For a model $f(x, \theta)$ and the loss
# $L(\theta) = \sum_i (y_i - f(x_i, \theta))^2$, the homework writes
# $\nabla L = -2 \sum_i (y_i - f(x_i, \theta)) \nabla f(x_i, \theta)$. Both sides can be
# computed for a real network. The left side is the gradient of the loss; for the right
# side, $\nabla f(x_i, \theta)$ is the gradient of the network's *output* at one sample,
# which backprop gives with a "loss" equal to the output itself ($\partial L / \partial a = 1$).

# %%
model = nt.NeuralNetwork([1, 3, 1], activation="tanh", output_activation="identity", seed=1)
xs = np.linspace(-1, 1, 6).reshape(-1, 1)
ys = xs ** 2
sum_of_squares = nt.Loss("sum (y - f)^2", value=lambda a, y: np.sum((y - a) ** 2),
                         gradient=lambda a, y: -2 * (y - a))
output_itself = nt.Loss("f", value=lambda a, y: np.sum(a), gradient=lambda a, y: np.ones_like(a))

left = np.concatenate([np.append(dW.ravel(), db) for dW, db in model.gradients(xs, ys, sum_of_squares)])
right = 0
for x_i, y_i in zip(xs, ys):
    grad_f = np.concatenate([np.append(dW.ravel(), db)
                             for dW, db in model.gradients(x_i[None], y_i[None], output_itself)])
    right = right - 2 * (y_i[0] - model.predict(x_i[None])[0, 0]) * grad_f
print("gradient of the loss        :", np.round(left, 6))
print("-2 sum (y_i - f) grad f     :", np.round(right, 6))
print("largest difference:", np.max(np.abs(left - right)))

# %% [markdown]
# (The parameters are in the order of `gradients`: each layer's weight matrix row by row,
# then its biases.) The homework's formula is right, to the last digit.

# %% [markdown]
# ## 5. A loss with a kink: L1
#
# The homework's second problem is linear regression with the L1 loss
# $L(w) = \lVert Xw - y \rVert_1 = \sum_i |x_i \cdot w - y_i|$. It answers that L1
# "isn't differentiable at zero therefore gradient optimization cannot be used" and that
# it is "non-convex there". Both claims are worth a measurement.
#
# * $|u|$ has a kink at $u = 0$: its slope is $-1$ on the left and $+1$ on the right.
#   The L1 loss is a sum of such V shapes, so it is **convex** (every V is, and sums of
#   convex functions are): a straight line between two points of its graph never passes
#   below the graph.
# * At a kink any slope between $-1$ and $1$ is a valid *subgradient*; using $\mathrm{sign}(u)$
#   (0 exactly at the kink) is the usual choice, and gradient descent with it works,
#   because the kinks are a few isolated points.
#
# Define L1 as a loss of our own and sweep one weight of a linear neuron:

# %%
l1 = nt.Loss("L1", value=lambda a, y: np.sum(np.abs(a - y)),
             gradient=lambda a, y: np.sign(a - y), formula="L = sum |a - y|")

X2 = rng.normal(size=(30, 2))
y2 = X2 @ np.array([1.5, -0.5]) + 0.3 + rng.laplace(scale=0.2, size=30)
linear = nt.NeuralNetwork.from_weights([np.zeros((2, 1))], [np.zeros(1)], activation="identity")
fig = nt.viz.loss_slice(linear, X2, y2[:, None], "L1.N0", "w0", loss=l1, span=3)

# %% [markdown]
# A chain of straight pieces, with a kink wherever one sample's error changes sign, and
# convex. Is it trainable? Gradient descent with the subgradient:

# %%
history = nt.fit(linear, X2, y2[:, None], loss=l1, optimizer=nt.SGD(lr=0.002), epochs=300,
                 batch_size=None, progress=False)
print(f"L1 loss: {history.loss[0]:.3f} before, {history.loss[-1]:.3f} after 300 steps")
print("weights:", linear["L1.N0"].weights, " bias:", round(linear["L1.N0"].bias, 4))
print("(the data were made with weights [1.5, -0.5] and bias 0.3, plus noise)")
fig = nt.viz.loss_curve(history, ylabel="L1 loss")

# %% [markdown]
# It trains. Near the minimum the steps do not shrink (the subgradient keeps its size
# $|\mathrm{sign}| = 1$ per sample), so the loss jitters a little around the bottom; a
# smaller learning rate, or one that decays, settles it. Which of the homework's claims
# holds? L1 is convex, and a subgradient optimises it: what it does not have is a slope
# that fades as you approach the minimum.

# %% [markdown]
# ## What we did
#
# * A slope can be **measured** by nudging: $\big(L(p + h) - L(p - h)\big) / 2h$.
# * The slope is the tangent of the loss curve; where the curve is flat (a dead ReLU)
#   the slope is 0 and nothing moves.
# * Backprop's analytic gradient and the numerical one agree; `nt.gradcheck` checks it.
# * The homework's derivatives hold: $\nabla \lVert x \rVert^2 = 2x$; the mean minimises the
#   squared distances; $\nabla \sum (y_i - f)^2 = -2 \sum (y_i - f) \nabla f$.
# * L1 has kinks but is convex, and trains with its subgradient.
#
# Next, **01 One neuron**: the chain rule inside a neuron, factor by factor.

# %% [markdown]
# ## Your turn
#
# Each exercise ends with `nt.exercises.check(...)`: replace the `...` with your answer
# and run the cell. The check says whether it is right, and if not, what looks wrong.
#
# **00.1** For the neuron of section 1 (loss $a^2$), measure $\partial L / \partial w_1$
# by nudging $w_1$ both ways. (Write a `loss_with_w1` like `loss_with_w0`.)

# %% tags=["exercise"]
answer = ...
nt.exercises.check("00.1", answer)

# %% [markdown]
# **00.2** Four points and a centre $\mu$:
# `POINTS = [[1, 2], [3, -1], [-2, 0.5], [4, 1.5]]`. What is the gradient of
# $\sum_i \lVert x_i - \mu \rVert^2$ with respect to $\mu$ at $\mu = (0, 0)$? (An array of
# shape `(2,)`; work it out by hand or by nudging.)

# %% tags=["exercise"]
POINTS = np.array([[1.0, 2.0], [3.0, -1.0], [-2.0, 0.5], [4.0, 1.5]])
answer = ...
nt.exercises.check("00.2", answer)

# %% [markdown]
# **00.3** Train the bias of one identity neuron (inputs all 0, as in section 4) on the
# targets $0, 1, 2, 3, 10$ with the L1 loss `l1` instead of a squared error. Where does
# the bias end up: at the `"mean"` of the targets or at their `"median"`?

# %% tags=["exercise"]
answer = ...
nt.exercises.check("00.3", answer)
