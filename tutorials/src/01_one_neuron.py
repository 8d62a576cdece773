# %% [markdown]
# # 01 One neuron
#
# This notebook follows the notes on *Neural Networks from Scratch* (Kinsley & Kukieła),
# "Backpropagation of a Single Neuron": **one ReLU neuron** with three inputs, the loss $L = a^2$, and
# 200 small steps of gradient descent. We take it one step at a time:
#
# 1. the **forward pass** by hand: from the inputs to the output $a$;
# 2. the **slope** of the loss by finite differences: nudge a weight, watch the loss;
# 3. the neuron's own **backward pass** (the chain rule), and the check that it agrees;
# 4. **200 steps of gradient descent**, reproducing the numbers the notes printed;
# 5. the same neuron inside neurotrace's training loop, **traced**: every number of every
#    step recorded, the chain rule written out with them, and a picture;
# 6. activation functions and their derivatives, computed from the output alone;
# 7. a **dead** ReLU neuron, and what its picture shows.
#
# Along the way, the first exercises of the hands-on *Coding a full neural network from
# scratch using Python* (Universidad Politécnica de Madrid), whose `Neuron` class is
# built like neurotrace's.
#
# The symbols are the same everywhere in neurotrace: $x$ inputs, $w$ weights, $b$ bias,
# $z$ the weighted sum (pre-activation), $a$ the activation (output),
# $\delta = \partial L / \partial z$.

# %%
import numpy as np
import neurotrace as nt

# %% [markdown]
# ## 1. The forward pass by hand
#
# A neuron multiplies each input by its weight, adds the products and the bias, and
# passes the sum through its activation function:
#
# $$z = x_0 w_0 + x_1 w_1 + x_2 w_2 + b, \qquad a = \mathrm{relu}(z) = \max(0, z)$$
#
# The notes' neuron has weights $[-3, -1, 2]$, bias $1$, and reads the input $[1, -2, 3]$.

# %%
x = np.array([1.0, -2.0, 3.0])     # inputs x0, x1, x2
w = np.array([-3.0, -1.0, 2.0])    # weights w0, w1, w2
b = 1.0                            # bias

products = x * w                   # x_i * w_i: [-3, 2, 6]
z = products.sum() + b             # z = sum of the products + b
relu = nt.activations.get("relu")
a = float(relu(z))                 # a = relu(z)

print("x * w =", products)
print("z =", z)
print("a =", a, "   because", relu.formula)

# %% [markdown]
# A neurotrace `Neuron` does exactly this. It owns its weights and bias, and its
# `forward` remembers `x`, `z` and `a`, because the backward pass will need them.

# %%
neuron = nt.Neuron(3, "relu", weights=w, bias=b)
neuron.forward(x)
print(neuron)                 # its weights and bias, and what forward remembered: x, z, a

# %% [markdown]
# ### The hand-out's neuron
#
# The hands-on writes the same neuron as a class with a `forward` method:
#
# ```python
# class Neuron:
#     def __init__(self, n_inputs, activation_function):
#         self.weights = np.random.uniform(-1, 1, n_inputs)
#         self.bias = np.random.uniform(-1, 1)
#         self.activation_function = activation_function
#
#     def forward(self, inputs):
#         self.inputs = inputs
#         z = np.dot(self.weights, inputs) + self.bias
#         self.output = self.activation_function(z)
#         return self.output
# ```
#
# Its exercise 1 asks to write line `z = np.dot(...)` without NumPy: the dot product is
# the sum of the products, one per input.

# %%
z_by_loop = 0.0
for x_i, w_i in zip(x, w):
    z_by_loop += x_i * w_i          # the dot product, one term at a time
z_by_loop += b
print("sum of x_i * w_i + b:", z_by_loop, "  np.dot(w, x) + b:", np.dot(w, x) + b, "  neuron.z:", neuron.z)

# %% [markdown]
# Its exercise 3 runs a two-input sigmoid neuron on $[1, 2]$ and $[1, -2]$, and printed
# `0.6346325032155706` and `0.31907088859242594`. Run it again and the numbers change:
# the weights are drawn by `np.random.uniform` **without a seed**, so nobody can
# reproduce them. neurotrace draws initial weights from `numpy.random.default_rng(seed)`:
# the same `seed` gives the same neuron, every time.

# %%
for attempt in range(2):
    seeded = nt.Neuron(2, "sigmoid", init="uniform", rng=np.random.default_rng(3))
    print(f"attempt {attempt}: weights {seeded.weights}, bias {seeded.bias:.6f} ->",
          [round(float(seeded.forward(np.array(v))), 6) for v in ([1.0, 2.0], [1.0, -2.0])])

# %% [markdown]
# The printed outputs still tell us something about the hand-out's unknown neuron. The
# sigmoid can be undone, $z = \ln\big(a / (1 - a)\big)$, and the two inputs differ only in
# $x_1$ (by 4), so $w_1 = (z_{[1,2]} - z_{[1,-2]}) / 4$ whatever $w_0$ and $b$ were
# (exercise 01.3 asks for it).


# %% [markdown]
# ## 2. The loss, and its slope by finite differences
#
# The notes want the output to be $0$, and measures how far it is with
# $L = (a - 0)^2 = a^2$. Right now $L = 36$. To make $L$ smaller we need to know which
# way to move each weight: the **slope** of $L$ with respect to that weight.
#
# The most direct way to find a slope needs no calculus: nudge the weight by a small
# $h$ and see how much the loss changes,
# $\;\partial L / \partial w_0 \approx \big(L(w_0 + h) - L(w_0)\big) / h$.

# %%
def loss_at(weights, bias):
    """L = a**2 for a neuron with these parameters, reading x."""
    a = nt.Neuron(3, "relu", weights=weights, bias=bias).forward(x)
    return a ** 2

L = loss_at(w, b)
print("L =", L)
for h in [0.1, 0.01, 0.001]:
    nudged = w + np.array([h, 0.0, 0.0])          # w0 + h, the others unchanged
    print(f"h = {h:<6} (L(w0 + h) - L(w0)) / h = {(loss_at(nudged, b) - L) / h:.6f}")

# %% [markdown]
# The estimates approach **12**, and the leftover is exactly $h$: here $L = z^2$ and
# $z$ grows by $h \cdot x_0 = h$, so $L(w_0 + h) = (6 + h)^2 = 36 + 12h + h^2$.
# Nudging both ways, $\big(L(w_0 + h) - L(w_0 - h)\big) / 2h$ (a *central* difference),
# cancels the $h^2$ terms. Doing that for every weight and the bias gives the whole
# gradient, numerically:

# %%
h = 1e-6
numeric = []
for i in range(3):
    e = np.zeros(3)
    e[i] = h                                       # nudge weight i only
    numeric.append((loss_at(w + e, b) - loss_at(w - e, b)) / (2 * h))
numeric.append((loss_at(w, b + h) - loss_at(w, b - h)) / (2 * h))
numeric = np.array(numeric)

print("dL/dw0, dL/dw1, dL/dw2, dL/db ≈", numeric)

# %% [markdown]
# ## 3. The backward pass: the chain rule, one factor at a time
#
# Finite differences cost two forward passes per parameter: fine for 4 parameters,
# hopeless for a million. The chain rule gets every slope from **one** backward pass.
# $L$ depends on $w_0$ through a chain $w_0 \to z \to a \to L$, so the slope is the
# product of the slope of each link:
#
# $$\frac{\partial L}{\partial w_0} = \frac{\partial L}{\partial a}
#   \cdot \frac{\partial a}{\partial z} \cdot \frac{\partial z}{\partial w_0}
#   = 2a \cdot \mathrm{relu}'(z) \cdot x_0$$
#
# * $\partial L / \partial a = 2a = 12$: the loss's gradient, what the neuron receives;
# * $f'(z) = \mathrm{relu}'(z) = 1$, because $z = 6 > 0$ (it would be 0 for $z < 0$);
# * $\delta = \partial L / \partial z = \partial L / \partial a \cdot f'(z)$: the
#   neuron's own error, computed once and shared by all its parameters;
# * $\partial L / \partial w_i = \delta \cdot x_i$ and $\partial L / \partial b = \delta$;
# * $\partial L / \partial x_i = \delta \cdot w_i$: the error the neuron sends back to
#   whatever feeds it (in a network, the neurons of the layer before).
#
# We give the neuron $\partial L / \partial a$; its `backward` does the rest.

# %%
dL_da = 2 * a                          # L = a**2, so dL/da = 2a
dL_dx = neuron.backward(dL_da)         # the rest of the chain rule, inside the neuron

print("dL/da =", neuron.dL_da)
print("f'(z) =", neuron.da_dz)
print("delta =", neuron.delta, "        = dL/da * f'(z)")
print("dL/dw =", neuron.grad_weights, " = delta * x")
print("dL/db =", neuron.grad_bias, "        = delta")
print("dL/dx =", dL_dx, " = delta * w, sent back to the inputs")

# %% [markdown]
# Does the chain rule agree with the slopes we measured? It must, to about six
# digits (finite differences are only an approximation). And `backward` only
# computes gradients: the weights are still the ones of the forward pass.

# %%
analytic = np.append(neuron.grad_weights, neuron.grad_bias)
print("backward agrees with the finite differences:", analytic)

# %% [markdown]
# ## 4. Gradient descent: 200 small steps
#
# The gradient points to where $L$ grows fastest, so we step the other way:
# $w \leftarrow w - \text{lr} \cdot \partial L / \partial w$, with the notes'
# learning rate $\text{lr} = 0.001$. Forward, loss, backward, update, 200 times: that is
# all training is. The update is written out here on purpose; in section 5 neurotrace's
# optimizer `nt.SGD` does the same.

# %%
lr = 0.001
learner = nt.Neuron(3, "relu", weights=w, bias=b)   # start again from the notes' weights
losses = []
for step in range(200):
    a_k = learner.forward(x)                         # forward
    losses.append(a_k ** 2)                          # loss L = a**2
    learner.backward(2 * a_k)                         # backward, from dL/da = 2a
    learner.weights = learner.weights - lr * learner.grad_weights    # update
    learner.bias = learner.bias - lr * learner.grad_bias

print("loss at iterations 1, 2, 3:", losses[:3])
print("loss at iteration 200:", losses[-1])
print("final weights:", learner.weights)
print("final bias:", learner.bias)

# %% [markdown]
# The notes printed `Iteration 1, Loss: 36.0`, then
# `Final weights: [-3.3990955  -0.20180899  0.80271349]` and `Final bias: 0.6009045`.
# We get the same, to every printed digit:

# %%
print("               printed by the notes                     neurotrace")
print("final weights  [-3.3990955  -0.20180899  0.80271349]   ",
      np.array2string(learner.weights, precision=8))
print("final bias     0.6009044964517248                      ", learner.bias)

# %% [markdown]
# One detail is worth a look. The notes print `Iteration 2, Loss: 33.872397424621624`,
# and we get $33.8724$. By hand: the first step moves $w$ by
# $-0.001 \cdot [12, -24, 36]$ and $b$ by $-0.001 \cdot 12$, so $z = 5.82$ and
# $L = 5.82^2 = 33.8724$ exactly. The notes are off in the 8th digit because it calls
# `nnfs.init()`, which replaces `np.dot` with a version that returns **float32**;
# neurotrace computes in float64. The final weights agree anyway, to the digits printed.

# %%
w1, b1 = w - lr * np.array([12.0, -24.0, 36.0]), b - lr * 12.0
z1 = x @ w1 + b1
print("z after one step =", z1, "  L =", z1 ** 2, "  our loss at iteration 2:", losses[1])

# %% [markdown]
# ## 5. The same neuron in neurotrace, traced
#
# Now let the library run the loop. A network of **one** neuron:
# `NeuralNetwork.from_weights` takes each layer's weights as a matrix of shape
# `(n_inputs, n_neurons)` (here `(3, 1)`) and biases of shape `(n_neurons,)`. Its only
# neuron is called `L1.N0` (layer 1, neuron 0).
#
# The notes' loss is $(a - y)^2$ with the target $y = 0$. We define it as an `nt.Loss`:
# a value and its gradient $\partial L / \partial a$. (For one output and one sample it
# equals the built-in `"mse"`; the built-in `"sse"` is $\frac12 (a - y)^2$, which has
# half the gradient and would need twice the learning rate.)

# %%
squared_error = nt.Loss("squared error",
                        value=lambda a, y: np.sum((a - y) ** 2),    # L = (a - y)^2
                        gradient=lambda a, y: 2 * (a - y),         # dL/da = 2 (a - y)
                        formula="L = (a - y)^2")

net = nt.NeuralNetwork.from_weights([w.reshape(3, 1)], [np.array([b])], activation="relu")
X = x.reshape(1, 3)          # the one sample, as a data set of one row
Y = np.zeros((1, 1))         # its target: 0
print(net, "  L1.N0 weights", net["L1.N0"].weights, " bias", net["L1.N0"].bias)

# %% [markdown]
# `nt.gradcheck` does section 2 and 3 for a whole network in one call: it compares
# backpropagation with central differences for every parameter and returns the
# largest relative error.

# %%
error = nt.gradcheck(net, X, Y, loss=squared_error)
print("largest relative error, backprop vs finite differences:", error)

# %% [markdown]
# ### One step, event by event
#
# `nt.step_through` makes one training step on the network, one **event** at a time: the
# neuron's forward pass, the loss, its backward pass, its update. Each event prints its
# equations with the numbers filled in: sections 1, 3 and 4 in four prints. (It steps a
# network of its own, so that `net` starts the training below from the notes' weights.)

# %%
one_step = nt.NeuralNetwork.from_weights([w.reshape(3, 1)], [np.array([b])], activation="relu")
stepper = nt.step_through(one_step, X[0], Y[0], loss=squared_error, optimizer=nt.SGD(lr=0.001))
print(stepper)
print()
events = list(stepper)                  # forward, loss, backward, update
for event in events:
    print(event)
    print()

# %% [markdown]
# Every number we computed by hand is there: $z = 6$, $L = 36$, $\partial L/\partial a =
# 12$, $f'(z) = 1$, $\delta = 12$, $\partial L/\partial w = [12, -24, 36]$, and the new
# weights $[-3.012, -0.976, 1.964]$. `stepper.state("L1.N0")` lists everything the step
# now knows about the neuron; before an event, what it computes is "not yet computed".
#
# Train for 200 steps (one sample per step, so 200 epochs of one step each) with
# `nt.SGD(lr=0.001)`, inside `with nt.trace(net) as t:`. The trace records, at every
# step, the forward values, the backward values and the update.

# %%
with nt.trace(net) as t:
    history = nt.fit(net, X, Y, loss=squared_error, optimizer=nt.SGD(lr=0.001),
                     epochs=200, batch_size=1, shuffle=False, progress=False)
print(t)
print("loss at the first steps:", t.series("loss")[:3])
print("final weights:", net["L1.N0"].weights, " bias:", net["L1.N0"].bias)

# The library's loop and our hand-written one computed the same 200 steps.

# %% [markdown]
# ### Step 0 under the microscope
#
# `print(t[0])` shows the first step as a table: the neuron's $z$ and $a$, the gradient it
# received $\partial L / \partial a$, its local derivative $f'(z)$, its error $\delta$
# and its bias gradient. The same numbers we computed by hand.

# %%
step0 = t[0]
print(step0)
print()
print("weights before the update:", step0.update["L1.N0"]["weights_before"])
print("dL/dw                    :", step0.backward["L1.N0"]["grad_weights"])
print("weights after the update :", step0.update["L1.N0"]["weights_after"])


# %% [markdown]
# `t.explain` writes the chain rule for one parameter at one step, with the recorded
# numbers filled in. Its `.value` is the gradient the update actually used.

# %%
explanation = t.explain("L1.N0", "w0", step=0)
print(explanation)

# %% [markdown]
# And at the last step: the output is now close to 0, so $\partial L / \partial a = 2a$
# is small, and so is every gradient. That is why the loss curve flattens out: the steps
# get smaller as the neuron gets closer to its goal.

# %%
last = t.explain("L1.N0", "w0", step=t.steps[-1])
print(last)

# %% [markdown]
# ### The neuron as a picture
#
# `nt.viz.neuron_graph` draws the neuron's arithmetic at one step, left to right: inputs
# and weights, their products, the sum, $+ b$, $z$, the activation, $a$, and the loss.
# Each box reads, top to bottom: name, value, gradient. The forward pass fills in the
# values, the backward pass the gradients. Follow the gradient from the loss back to
# $w_0$: $\partial L / \partial a = 12$, times $f'(z) = 1$ gives $\delta = 12$, which
# flows unchanged through the sum to each product, and $\delta \cdot x_0 = 12$.

# %%
graph = nt.viz.neuron_graph(t, "L1.N0", step=0)
graph

# %% [markdown]
# ## 6. Activation functions, and their derivatives from the output
#
# The hands-on's exercise 2 asks for three activation functions besides the sigmoid, and
# its exercise 4 for their derivatives written in terms of the **output** $a$ (its
# backpropagation receives the neuron's output, not $z$): $\sigma' = a(1 - a)$,
# $\tanh' = 1 - a^2$, $\mathrm{relu}' = 1$ where $a > 0$. neurotrace's activations carry
# their formula and derivative; the derivative takes both $z$ and $a$ and uses whichever
# is cheaper. Both ways agree:

# %%
import matplotlib.pyplot as plt

zs = np.linspace(-4, 4, 161)
fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.6))
for name in ["sigmoid", "tanh", "relu", "leaky_relu"]:
    f = nt.activations.get(name)
    a_values = f(zs)
    left.plot(zs, a_values, label=name)
    right.plot(zs, f.derivative(zs, a_values), label=name)
left.set_title("f(z)"), right.set_title("f'(z)")
for ax in (left, right):
    ax.set_xlabel("z"), ax.grid(True, alpha=0.3), ax.legend()
fig.tight_layout()

a_s = nt.activations.get("sigmoid")(zs)
a_t = nt.activations.get("tanh")(zs)
a_r = nt.activations.get("relu")(zs)
print("sigmoid'(z) = a (1 - a):  ", np.allclose(nt.activations.get("sigmoid").derivative(zs, a_s), a_s * (1 - a_s)))
print("tanh'(z)    = 1 - a^2:    ", np.allclose(nt.activations.get("tanh").derivative(zs, a_t), 1 - a_t ** 2))
print("relu'(z)    = 1 where a > 0:", np.array_equal(nt.activations.get("relu").derivative(zs, a_r), (a_r > 0) * 1.0))
for name in ["sigmoid", "tanh", "relu", "leaky_relu"]:
    print(f"{name:11}", nt.activations.get(name).formula)

# %% [markdown]
# ### The hand-out's sigmoid neuron, explained
#
# The hand-out's exercises 1, 3 and 4 in one neuron: the seeded two-input sigmoid neuron
# of section 1 reads $[1, 2]$ (exercise 3's first input), gets the target 1 and the loss
# `"sse"`, and makes one traced step. `t.explain` writes how each number was made: $z$ as
# the sum of the products (exercise 1's loop), $f'(z)$ from the output $a$ (exercise 4),
# then $\delta$ and the gradient of $w_0$.

# %%
handout_net = nt.NeuralNetwork.from_weights([seeded.weights.reshape(2, 1)], [np.array([seeded.bias])],
                                            activation="sigmoid")
with nt.trace(handout_net) as t_handout:
    nt.fit(handout_net, np.array([[1.0, 2.0]]), np.array([[1.0]]), loss="sse",
           optimizer=nt.SGD(lr=0.5), epochs=1, batch_size=1, progress=False)
for quantity in ["z", "da_dz", "delta", "w0"]:
    print(t_handout.explain("L1.N0", quantity, step=0))
    print()

# %% [markdown]
# Each explanation can check itself against something independent: `.check()` recomputes
# a derivative by nudging (finite differences of the loss) and a value by the forward
# pass, and returns the relative error:

# %%
for quantity in ["z", "da_dz", "delta", "w0"]:
    check = t_handout.explain("L1.N0", quantity, step=0).check()
    print(f"{quantity:6} recorded {check.recorded: .10f}  recomputed {check.numeric: .10f}"
          f"  relative error {check.rel_error:.0e}  ({check.method})")

# %% [markdown]
# The sigmoid's derivative is at most 0.25 (at $z = 0$) and nearly 0 for $|z| > 5$: a
# saturated sigmoid passes almost no gradient back. ReLU's is exactly 1 or 0, which is
# the next section's story.

# %% [markdown]
# ## 7. A dead ReLU neuron
#
# Give the notes' neuron the bias $-7$ instead of $1$: then $z = 5 - 7 = -2 < 0$, the ReLU
# outputs 0, and its derivative is 0. Every gradient of the neuron is a product with that
# 0, so one step of training changes nothing. The picture of the step shows where the
# chain breaks: the loss sends $\partial L/\partial a$, the box $f$ shows $f'(z) = 0$, and
# every box to its left carries a zero gradient.

# %%
dead = nt.NeuralNetwork.from_weights([w.reshape(3, 1)], [np.array([-7.0])], activation="relu")
with nt.trace(dead) as t_dead:
    nt.fit(dead, x.reshape(1, 3), np.ones((1, 1)), loss=squared_error, optimizer=nt.SGD(lr=0.001),
           epochs=1, batch_size=1, progress=False)
print(t_dead[0])
nt.viz.neuron_graph(t_dead, "L1.N0", step=0)

# %% [markdown]
# `explain` says the same in one line per factor: the error $\delta$ of the dead neuron,
# and the gradient of $w_0$, both a product with $f'(z) = 0$.

# %%
print(t_dead.explain("L1.N0", "delta", step=0))
print()
print(t_dead.explain("L1.N0", "w0", step=0))

# %% [markdown]
# Here the target is 1, so the loss $(a - 1)^2 = 1$ would like $a$ to grow, and
# $\partial L/\partial a = -2$ says so. The ReLU blocks the message: $\delta = -2 \cdot 0 = 0$.
# On every input where $z < 0$ this neuron is deaf; if that is every input of the data,
# it never learns again. Such a neuron is called **dead**. Causes: a large negative bias,
# a learning rate large enough to throw $z$ far below 0 in one step. Cures: smaller
# learning rates, `leaky_relu` (its slope is 0.01 below 0, never exactly 0), or an
# initialization that starts $z$ around 0.

# %% [markdown]
# ## What we did
#
# * The forward pass is arithmetic: $z = x \cdot w + b$, $a = f(z)$.
# * A slope can be *measured* (finite differences) or *computed* (the chain rule); they
#   agree, and `nt.gradcheck` checks that for any network.
# * Backpropagation through one neuron: receive $\partial L / \partial a$, multiply by
#   $f'(z)$ to get $\delta$, then $\partial L / \partial w = \delta x$,
#   $\partial L / \partial b = \delta$, and send $\delta w$ back.
# * Gradient descent repeats forward, backward, update; 200 steps took the loss from 36
#   to about 0.0002, exactly as in the notes.
# * Activation derivatives can be computed from the output; ReLU's is 0 below 0, and a
#   neuron stuck there is dead: no gradient reaches its weights.
#
# Next, **02 A layer and its shapes**: several neurons reading the same input.

# %% [markdown]
# ## Your turn
#
# Each exercise ends with `nt.exercises.check(...)`: replace the `...` with your answer
# and run the cell. The check says whether it is right, and if not, what looks wrong.
#
# **01.1** A sigmoid neuron with weights $[0.5, -0.5]$ and bias $0.1$ reads $x = [1, 2]$;
# its target is $y = 1$ and the loss is `"sse"`, $L = \frac12 (a - y)^2$, so
# $\partial L / \partial a = a - y$. What is $\partial L / \partial w$ (shape `(2,)`)?
# Compute it by hand with the chain rule, then compare with the neuron's `backward`.

# %% tags=["exercise"]
answer = ...
nt.exercises.check("01.1", answer)

# %% [markdown]
# **01.2** Give the neuron of section 1 the bias $-7$ instead of $1$. Can it learn
# anything from the input $[1, -2, 3]$ (does any of its gradients differ from 0)?
# Answer `True` or `False`.

# %% tags=["exercise"]
answer = ...
nt.exercises.check("01.2", answer)

# %% [markdown]
# **01.3** The hand-out's exercise 3 printed `0.6346325032155706` for the input $[1, 2]$
# and `0.31907088859242594` for $[1, -2]$, from one sigmoid neuron with unknown weights.
# What was its weight $w_1$?

# %% tags=["exercise"]
answer = ...
nt.exercises.check("01.3", answer)
