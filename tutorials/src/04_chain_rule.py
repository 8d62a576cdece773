# %% [markdown]
# # 04 The chain rule with real numbers
#
# Backpropagation is the chain rule, applied one neuron at a time from the loss back to
# the inputs. Every neuron does the same four things: it receives $\partial L/\partial a$
# from the neurons it feeds, multiplies by its local derivative $f'(z)$ to get its error
# $\delta$, computes its own gradients $\delta \cdot x$ and $\delta$, and sends
# $\delta \cdot w$ back to each neuron that feeds it. This notebook walks through that
# with the numbers of the week-42 exercises of a university course (Kjersti Stangeland et
# al., 2025), of the hands-on *Coding a full neural network from scratch using Python*
# (Universidad Politécnica de Madrid) and of a student's homework:
#
# 1. two sigmoid layers, backwards, against the week-42 printed gradients; `what_if`
#    confirms what a gradient predicts;
# 2. the same step walked event by event with `nt.step_through`, backwards neuron by
#    neuron: at a fork a hidden neuron that feeds four neurons receives four errors and
#    adds them (the events, `explain` and a picture of the half-done step show it); the
#    same step in the interactive viewer;
# 3. three patterns worth knowing by heart (add distributes, multiply swaps, max routes),
#    on a sigmoid-then-ReLU network whose printed gradients contain a telling 0;
# 4. the homework's unfinished problem, finished.

# %%
import numpy as np
import neurotrace as nt

# %% [markdown]
# ## 1. Two sigmoid layers, backwards
#
# The week-42 exercise 4 continues the random stream of exercises 2–3 (seeded with 314)
# and builds a 2-3-4 network, sigmoid everywhere, with the mse cost. The first draws
# belong to the earlier exercises, so we draw them too, in the same order.

# %%
np.random.seed(314)                                  # the week-42 random stream
np.random.rand(2), np.random.rand(3), np.random.randn(3, 2), np.random.randn(3)   # exercises 2-3
x = np.random.rand(2)
target = np.random.rand(4)
W1, b1 = np.random.rand(3, 2), np.random.rand(3)
W2, b2 = np.random.rand(4, 3), np.random.rand(4)

net = nt.NeuralNetwork.from_weights([W1.T, W2.T], [b1, b2], activation="sigmoid")
(dW1, db1), (dW2, db2) = net.gradients(x, target, loss="mse")     # the gradients, for later

# One training step (plain SGD, lr 0.1), traced: every value of the step is recorded,
# with the weights before and after the update.
with nt.trace(net) as t:
    nt.fit(net, x[None], target[None], loss="mse", optimizer=nt.SGD(lr=0.1), epochs=1,
           batch_size=1, progress=False)
step = t[0]

# %% [markdown]
# The backward pass starts at the output layer. Each output neuron $k$ receives
# $\partial C/\partial a_k = 2(a_k - y_k)/4$ from the loss (the mse averages over the 4
# outputs), multiplies by $\sigma'(z_k) = a_k(1 - a_k)$, and has its $\delta_k$. The
# table lists, neuron by neuron in the order backprop visits them, what each one
# received, its local derivative, its error, and its bias gradient:

# %%
print(f"{'neuron':8} {'dC/da':>12} {'f_prime(z)':>12} {'delta':>12}   dC/db = delta")
for name in ["L2.N0", "L2.N1", "L2.N2", "L2.N3", "L1.N0", "L1.N1", "L1.N2"]:
    b = step.backward[name]
    print(f"{name:8} {b['dL_da']:12.8f} {b['da_dz']:12.8f} {b['delta']:12.8f}")

# %% [markdown]
# The week-42 exercise printed the gradients of both layers (in its layout, each row a
# neuron). Side by side:

# %%
print("dC/dW1 printed [[0.00113143 0.00028436]")
print("                [0.00150824 0.00037906]")
print("                [0.00212856 0.00053496]]")
print("       ours  ", np.round(dW1.T, 8).tolist())
print("dC/db1 printed [0.00406726 0.00542184 0.00765174]")
print("       ours  ", np.round(db1, 8))
print("dC/dW2 printed [[0.01028658 0.00774165 0.00780708] ...")
print("       ours  ", np.round(dW2.T, 8).tolist())
print("dC/db2 printed [0.0138624  0.01093727 0.01762043 0.01091738]")
print("       ours  ", np.round(db2, 8))

# %% [markdown]
# All equal to the printed 8 decimals. `t.explain` writes any of these as the chain rule
# with the recorded numbers. For a first-layer weight the chain is longest: the loss,
# through all four output neurons, into `L1.N0`, through its sigmoid, to the weight.

# %%
print(t.explain("L1.N0", "w0", step=0))

# %% [markdown]
# A gradient is a prediction: raise $w_0$ of `L1.N0` by a small amount and the loss
# should rise by about $\partial C/\partial w_0$ times that amount. `t.what_if` checks
# it: it re-runs the recorded step with the weight changed and reports the loss it gets,
# the first-order prediction, and every value that changed along the way.

# %%
nudge = t.what_if("L1.N0", "w0", by=0.01, step=0)
print(f"dC/dw0 = {dW1[0, 0]:.8f}, so the prediction is dC/dw0 * 0.01 = {nudge.predicted:.6e}")
print(f"the loss re-computed with w0 + 0.01 changes by      {nudge.change:.6e}")
print(nudge.table(limit=6))

# %% [markdown]
# The two agree to about three digits (the rest is the curvature of the loss, which a
# first-order prediction leaves out). The table shows the change spreading forward:
# `L1.N0`'s $z$ and $a$, then every output neuron that reads $a$.

# %% [markdown]
# ## 2. Stepping backward, and a fork where the errors add up
#
# `nt.step_through` runs the same training step on a fresh copy of the network, one
# **event** per `next()`: one neuron doing one thing (forward, the loss, backward,
# update). Each event prints its equations with the numbers filled in, and nothing is
# computed before its event. Printing the stepper shows the plan of the step:

# %%
stepper = nt.step_through(nt.NeuralNetwork.from_weights([W1.T, W2.T], [b1, b2], activation="sigmoid"),
                          x, target, loss="mse", optimizer=nt.SGD(lr=0.1))
print(stepper)

# %% [markdown]
# Run the forward pass and the loss in one go (`run_to`), and look at the loss event: the
# mse over the 4 outputs, and the gradient it hands to each output neuron,
# $\partial C/\partial a_k = 2(a_k - y_k)/4$.

# %%
print(stepper.run_to("loss"))

# %% [markdown]
# The backward pass starts at the output layer. The first output neuron, `L2.N0`,
# multiplies what it received by $\sigma'(z) = a(1 - a)$, has its $\delta$ and its
# gradients, and sends $\delta \cdot w$ back to each of the three hidden neurons:

# %%
print(next(stepper))

# %% [markdown]
# Has `L1.N0` got its $\partial C/\partial a$ now? Not yet: three more neurons feed on
# its output, and their shares have not been sent. The stepper says so rather than
# showing a 0 or a partial sum:

# %%
try:
    stepper.state("L1.N0")["dL_da"]
except nt.NotYetComputed as message:
    print(message)

# %% [markdown]
# ### A fork
#
# `L1.N0` feeds all four output neurons, so a change of its output $a$ changes the loss
# along four paths. The chain rule adds the four: what `L1.N0` receives is
#
# $$\frac{\partial C}{\partial a_{1,0}} = \sum_k \delta_{2,k} \, w_{2,k0}$$
#
# the week-42 exercise 4 b) in one neuron's words ($dC/da_1 = W_2^\top \, dC/dz_2$ in the
# course's matrix form), and the hands-on's `NeuralNetwork.backpropagate`, which sums the
# errors coming from the next layer. Step the other three output neurons and collect what
# each sends to `L1.N0` (the event's value `sent:L1.N0`):

# %%
for _ in range(3):
    next(stepper)
shares = {e.node: e.values["sent:L1.N0"] for e in stepper.events
          if e.phase == "backward" and e.node.startswith("L2.")}
for k, share in shares.items():
    print(f"{k} sends delta * w = {share:.8f}")
print(f"sum of the four shares       = {sum(shares.values()):.8f}")
print(stepper)

# %% [markdown]
# The picture of the step at this moment: `nt.viz.network_graph(..., event=...)` draws a
# recorded step only up to one event. Here the four output neurons have their $\delta$
# and their weights their gradients, the hidden neurons' $\delta$ are still empty, and
# `L1.N0`, whose event comes next, is highlighted. (The picture is drawn from the trace
# `t` of the same step; `t.events(0)` are its events, the same as the stepper's.)

# %%
half_done = [e for e in t.events(0) if e.key == ("backward", "L2.N3")][0]
nt.viz.network_graph(t, step=0, show="gradients", event=half_done)

# %% [markdown]
# Now `L1.N0`'s own event. Its first line is the sum: four products, one per successor.

# %%
print(next(stepper))

# %% [markdown]
# The fork inside one picture: `nt.viz.neuron_graph` of `L1.N0` drawn up to this event.
# On the right its four successors, each with its weight on $a$, its $\delta$ and the
# share $\delta \cdot w$ it sends back; these four add up to the $\partial C/\partial a$
# in the box of $a$, which flows on through $f'(z)$ to $z$, the sum, the bias and the
# weights.

# %%
fork_event = [e for e in t.events(0) if e.key == ("backward", "L1.N0")][0]
nt.viz.neuron_graph(t, "L1.N0", step=0, event=fork_event)

# %% [markdown]
# `t.explain` writes any recorded number as the equation that made it, here what
# `L1.N0` received, $\partial C/\partial a$, with the four terms:

# %%
received = t.explain("L1.N0", "dL_da", step=0)
print(received)
print(f"W2.T @ delta2 (the course)    = {(W2.T @ [step.backward[k]['delta'] for k in shares])[0]:.8f}")

# %% [markdown]
# Finish the step (`run()` does the remaining events: the last two hidden neurons, then
# every update) and check that the stepper and the traced `fit` computed the same step:
# `nt.compare` goes through both event by event and reports the first value that differs.

# %%
rest = stepper.run()
print([e.key for e in rest][:3], "...", len(rest), "events")
print(nt.compare([stepper], t))


# %% [markdown]
# The finished backward pass in a picture: `nt.viz.network_graph` with `show="gradients"`
# labels each neuron with its $\delta$ and each edge with its $\partial C/\partial w$;
# edges are as wide as their gradient.

# %%
nt.viz.network_graph(t, step=0, show="gradients")

# %% [markdown]
# ### The step in the viewer
#
# The same events drive neurotrace's interactive viewer: one self-contained HTML page
# (no server, no internet, no Graphviz) with the network, a button to step event by
# event, the equations of each event and the explanation of any number you click.
# `t.to_html(path)` writes it; open the file in any browser. Here it goes to the
# temporary folder; `t.to_html("week42_step.html")` would put it next to the notebook.

# %%
import tempfile
from pathlib import Path

page = t.to_html(Path(tempfile.gettempdir()) / "neurotrace_week42_step.html")
print(f"wrote {page.name}: {page.stat().st_size / 1024:.0f} KiB; open it in a browser")

# %% [markdown]
# In Jupyter, `t.show()` shows the same page inside the notebook (below, if your notebook
# viewer runs the page's script; JupyterLab and VS Code do, GitHub's preview does not).
# It opens at the last event; step back with "◀ event" (or the ← key) to event 13, the
# backward pass of `L1.N0`, and click the neuron: its $\partial C/\partial a$ is there
# only from that event on, once all four successors have sent their share.

# %%
t.show(height=560)

# %% [markdown]
# ## 3. Three patterns: add, multiply, max
#
# Inside one neuron the chain rule meets only three kinds of operation, and each treats
# the gradient in a way worth knowing by heart (the patterns of Stanford's CS231n notes):
#
# * **add distributes**: $z = \sum_i x_i w_i + b$ passes its gradient $\delta$ unchanged
#   to every term, so $\partial C/\partial b = \delta$ and each product $x_i w_i$ gets $\delta$;
# * **multiply swaps**: a product $x_i w_i$ gives the weight the gradient times the
#   *other* factor, $\partial C/\partial w_i = \delta x_i$, and the input
#   $\partial C/\partial x_i = \delta w_i$;
# * **max routes**: $\mathrm{relu}(z) = \max(0, z)$ passes the gradient through where $z > 0$
#   and stops it where $z < 0$.
#
# The week-42 exercise 5 has all three. It builds a 2-3-4 network with a sigmoid layer
# and then a **ReLU** layer (`create_layers(2, [3, 4])`, drawing `randn`), and prints the
# bias gradients, one of them exactly 0:

# %%
layers5 = [(np.random.randn(3, 2), np.random.randn(3)), (np.random.randn(4, 3), np.random.randn(4))]
x5, target5 = np.random.rand(2), np.random.rand(4)
net5 = nt.NeuralNetwork.from_weights([W.T for W, b in layers5], [b for W, b in layers5],
                                     activation=["sigmoid", "relu"])
(dW5_1, db5_1), (dW5_2, db5_2) = net5.gradients(x5, target5, loss="mse")
with nt.trace(net5) as t5:
    nt.fit(net5, x5[None], target5[None], loss="mse", optimizer=nt.SGD(lr=0.1), epochs=1,
           batch_size=1, progress=False)
print("db1 printed [-0.11125824  0.03187236 -0.02959392]")
print("    ours   ", np.round(db5_1, 8))
print("db2 printed [-0.42867566  0.          0.06622488  0.28263845]")
print("    ours   ", np.round(db5_2, 8) + 0.0)
print("z of the ReLU layer:", np.round([t5[0].forward[k]["z"] for k in ["L2.N0", "L2.N1", "L2.N2", "L2.N3"]], 4))

# %% [markdown]
# `L2.N1` has $z < 0$: its ReLU **routes** nothing back, so its $\delta$, its bias
# gradient and its weight gradients are all 0, and it sends 0 to the first layer. Its
# explanation says so, factor by factor:

# %%
print(t5.explain("L2.N1", "b", step=0))

# %% [markdown]
# The other patterns on `L2.N2`, whose ReLU is open: **add** gives its bias the gradient
# $\delta$ unchanged, **multiply** gives each weight $\delta$ times its input (the first
# layer's output) and sends each input $\delta$ times the weight:

# %%
b = t5[0].backward["L2.N2"]
x_in = t5[0].forward["L2.N2"]["x"]
w_in = t5[0].update["L2.N2"]["weights_before"]
print("delta              =", round(b["delta"], 8))
print("dC/db  (add)       =", round(b["grad_bias"], 8))
print("dC/dw  (multiply)  =", np.round(b["grad_weights"], 8), " = delta * x =", np.round(b["delta"] * x_in, 8))
sent_back = np.array(list(b["to_predecessors"].values()))      # to L1.N0, L1.N1, L1.N2
print("sent back          =", np.round(sent_back, 8), " = delta * w =", np.round(b["delta"] * w_in, 8))

# %% [markdown]
# The picture of one neuron's arithmetic shows all three at once. Each box reads, top to
# bottom: name, value, gradient. Follow the gradient from $a$ back: through $f$ (ReLU,
# $f'(z) = 1$: routed), through $+b$ and $\Sigma$ (added: each box below gets the same
# $\delta$), into each product (multiplied: the weight gets $\delta x$, the input $\delta w$).

# %%
nt.viz.neuron_graph(t5, "L2.N2", step=0)

# %% [markdown]
# ## 4. The homework's problem 3 d), finished
#
# A student's homework asks for $\partial L/\partial w$ and $\partial L/\partial b$ of the
# 1-4-1 ReLU network of notebook 03 at $x = 2$, with the loss of its problem 3 b),
# $L = \sum_i (y_i - f(x_i))^2$. The student left it unfinished ("not sure what the
# parameters are supposed to be"), with formulas that have three slips:
#
# * $\partial y/\partial w_0 = \sum_i z_i$: the derivative of the output with respect to
#   **one** output weight $w_{0i}$ is that neuron's output alone, $a_i$ (after its ReLU);
# * $\max(0, x)$ in place of the ReLU's derivative $\mathrm{relu}'(z_i)$ (0 or 1) times $x$,
#   and $\sum_i w_{0i}$ in place of the one weight $w_{0i}$ that connects neuron $i$ to the output;
# * $\partial L/\partial y = 2 \sum (y_0 - f)$: the sign is lost; problem 3 b) had it right,
#   $-2\sum(y_i - f)$.
#
# The homework gives no target. Take the data set of its problem 3 a) (dataset 1), whose
# value at $x = 2$ is $y = 4$. With the loss defined as a `Loss` and the tracer on, every
# gradient is one `explain` away:

# %%
homework = nt.NeuralNetwork.from_weights(
    [np.array([[-1.0, 1.0, 1.0, -1.0]]), np.array([[0.0], [-1.0], [-1.0], [0.0]])],
    [np.array([1.0, 1.0, -1.0, 1.0]), np.array([1.0])], activation=["relu", "identity"])
squared_errors = nt.Loss("sum (y - f)^2", value=lambda a, y: np.sum((y - a) ** 2),
                         gradient=lambda a, y: -2 * (y - a), formula="L = sum (y - f)^2")
with nt.trace(homework) as t_hw:
    nt.fit(homework, np.array([[2.0]]), np.array([[4.0]]), loss=squared_errors,
           optimizer=nt.SGD(lr=0.01), epochs=1, batch_size=1, progress=False)
hw = t_hw[0]
print("f(2) =", hw.forward["L2.N0"]["a"], "  y = 4   L =", hw.loss, "  dL/df = -2 (y - f) =", hw.backward["L2.N0"]["dL_da"])
print("output weights: dL/dw0 =", hw.backward["L2.N0"]["grad_weights"] + 0.0, "  dL/db0 =", hw.backward["L2.N0"]["grad_bias"])
print("hidden weights: dL/dw  =", [float(hw.backward[f"L1.N{i}"]["grad_weights"][0]) + 0.0 for i in range(4)])
print("hidden biases:  dL/db  =", [float(hw.backward[f"L1.N{i}"]["grad_bias"]) + 0.0 for i in range(4)])
print()
print(t_hw.explain("L1.N1", "w0", step=0))

# %% [markdown]
# What the student's formulas would give, for comparison: $\partial L/\partial w_{0i} =
# 2 \sum_i z_i \cdot \sum(y_0 - f)$ is the same number for all four output weights, and
# the hidden formula is the same number for all four hidden weights:

# %%
relu_out = np.array([hw.forward[f"L1.N{i}"]["a"] for i in range(4)])
student_output_w = 2 * relu_out.sum() * (4.0 - hw.forward["L2.N0"]["a"])
student_hidden_w = 2 * hw.update["L2.N0"]["weights_before"].sum() * max(0.0, 2.0) * (4.0 - hw.forward["L2.N0"]["a"])
print("the student's dL/dw0i for every i:", student_output_w, "   right:",
      hw.backward["L2.N0"]["grad_weights"] + 0.0)
print("the student's dL/dw_hi for every i:", student_hidden_w, "   right:",
      [float(hw.backward[f"L1.N{i}"]["grad_weights"][0]) + 0.0 for i in range(4)])

# %% [markdown]
# Are the right values really the slopes of the loss? `nt.gradcheck` nudges every
# parameter both ways (notebook 00) and compares with backprop: the relative errors,
# parameter by parameter, are at the level of rounding.

# %%
before = nt.NeuralNetwork.from_weights(
    [np.array([[-1.0, 1.0, 1.0, -1.0]]), np.array([[0.0], [-1.0], [-1.0], [0.0]])],
    [np.array([1.0, 1.0, -1.0, 1.0]), np.array([1.0])], activation=["relu", "identity"])
errors = nt.gradcheck(before, np.array([[2.0]]), np.array([[4.0]]), loss=squared_errors, per_parameter=True)
print({name: f"{err:.1e}" for name, err in errors.items()})

# %% [markdown]
# ## What we did
#
# * Walked the week-42 two-layer network backwards, neuron by neuron, and matched every
#   printed gradient.
# * Saw a hidden neuron add the errors of the four neurons it feeds.
# * Add distributes, multiply swaps, max routes: the printed 0 of the week-42 exercise 5
#   is a ReLU routing nothing back.
# * Finished the homework's problem 3 d) with the right formulas, checked by nudging.
#
# Next, **05 The hand-out's bug**: what happens when a neuron updates its weights before
# sending its error back.

# %% [markdown]
# ## Your turn
#
# **04.1** In the week-42 network of section 1, what does the hidden neuron `L1.N2`
# receive, $\partial C / \partial a$? Compute it from the output neurons' $\delta$s and
# weights (`step.backward[...]["delta"]`, `step.update[...]["weights_before"]`), not by reading
# `step.backward["L1.N2"]["dL_da"]`.

# %% tags=["exercise"]
answer = ...
nt.exercises.check("04.1", answer)

# %% [markdown]
# **04.2** For the homework network at $x = 2$, $y = 4$: what are the gradients of the
# four **output** weights, $\partial L / \partial w_{0i}$ (shape `(4,)`)? Work them out by
# hand: $\partial L/\partial f \cdot a_i$.

# %% tags=["exercise"]
answer = ...
nt.exercises.check("04.2", answer)

# %% [markdown]
# **04.3** Same network: the gradients of the four **hidden** weights
# $\partial L / \partial w_{hi}$ (shape `(4,)`), by hand:
# $\partial L/\partial f \cdot w_{0i} \cdot \mathrm{relu}'(z_i) \cdot x$.

# %% tags=["exercise"]
answer = ...
nt.exercises.check("04.3", answer)

# %% [markdown]
# **04.4** In the week-42 network of section 1, raise the bias of `L1.N2` by 0.01. By how
# much does the loss change, to first order (the gradient's prediction)? Then check your
# number with `t.what_if`.

# %% tags=["exercise"]
answer = ...
nt.exercises.check("04.4", answer)
