"""The exercises of tutorials 00-06 (from one slope to the hand-out's bug).

Each right answer is computed here with neurotrace from the exercise's data, when it is
checked; each known mistake is computed the same way, so a hint appears exactly when the
learner made that mistake.
"""
import numpy as np

from .. import losses
from ..network import NeuralNetwork
from ..neuron import Neuron
from ..optimizers import SGD
from ..training import fit
from . import Exercise, Mistake, register

# --------------------------------------------------------------------------------------
# 00 Slopes by nudging
# --------------------------------------------------------------------------------------
# The ReLU neuron of the notes on *Neural Networks from Scratch*: L = a^2.
NNFS_X = np.array([1.0, -2.0, 3.0])
NNFS_W = np.array([-3.0, -1.0, 2.0])
NNFS_B = 1.0


def _nnfs_gradient():
    """dL/dw of L = a^2 for the notes' neuron, by its own backward pass."""
    neuron = Neuron(3, "relu", weights=NNFS_W, bias=NNFS_B)
    a = neuron.forward(NNFS_X)
    neuron.backward(2 * a)                               # dL/da = 2a
    return neuron.grad_weights


register(Exercise(
    "00.1", "dL/dw1 of the neuron with L = a^2 is -24.",
    answer=lambda: _nnfs_gradient()[1],
    factors={0.5: "half the right value: L = a^2, so dL/da = 2a, not a.",
             1 / 12: "that is dz/dw1 times f'(z) = x1 * 1: multiply by dL/da = 2a = 12 too."},
    hint="nudge w1 both ways by h and divide the change of L by 2h."))

# The points of exercise 00.2 (mu minimises the sum of squared distances to them).
POINTS = np.array([[1.0, 2.0], [3.0, -1.0], [-2.0, 0.5], [4.0, 1.5]])


def _sum_of_squares_gradient(mu):
    """d/dmu of sum_i ||x_i - mu||^2, from an identity layer whose bias is mu.

    With zero inputs and zero weights the outputs are mu for every sample, and the
    loss "sse" (1/2 sum of squares) has twice the gradient of the sum of squares.
    """
    net = NeuralNetwork.from_weights([np.zeros((1, 2))], [np.asarray(mu, dtype=float)],
                                     activation="identity")
    (dW, db), = net.gradients(np.zeros((len(POINTS), 1)), POINTS, loss="sse")
    return 2 * db                                        # (dL/db of L1.N0, of L1.N1)


register(Exercise(
    "00.2", "d/dmu sum_i ||x_i - mu||^2 at mu = 0 is -2 sum_i x_i.",
    answer=lambda: _sum_of_squares_gradient([0.0, 0.0]),
    factors={1 / len(POINTS): "that is the gradient of the mean: the loss here is a sum, "
                              "so do not divide by the number of points.",
             0.5: "half the right value: the derivative of (x - mu)^2 is -2 (x - mu)."},
    hint="the derivative of (x - mu)^2 with respect to mu is -2 (x - mu); add it up over the points."))

# Exercise 00.3: one bias trained with the L1 loss |a - y|.
L1_TARGETS = np.array([[0.0], [1.0], [2.0], [3.0], [10.0]])
L1 = losses.Loss("L1", value=lambda a, y: np.sum(np.abs(a - y)),
                 gradient=lambda a, y: np.sign(a - y), formula="L = sum |a - y|")


def _l1_bias_goes_to():
    """Train one identity neuron's bias under L1; name the statistic it ends closest to."""
    net = NeuralNetwork.from_weights([np.zeros((1, 1))], [np.zeros(1)], activation="identity")
    fit(net, np.zeros((len(L1_TARGETS), 1)), L1_TARGETS, loss=L1, optimizer=SGD(lr=0.01),
        epochs=400, batch_size=None, progress=False)
    b = net["L1.N0"].bias
    candidates = {"median": np.median(L1_TARGETS), "mean": np.mean(L1_TARGETS)}
    return min(candidates, key=lambda name: abs(candidates[name] - b))


register(Exercise(
    "00.3", "under the L1 loss a bias settles at the median of its targets.",
    answer=_l1_bias_goes_to,
    mistakes=[Mistake(lambda: "mean",
                      "the mean is where the squared error is smallest. Under L1 every error "
                      "pulls with the same strength (its sign), however large it is.")],
    hint="answer 'mean' or 'median': train it and look where the bias stops."))

# --------------------------------------------------------------------------------------
# 06 XOR and AND
# --------------------------------------------------------------------------------------
def _and_classes():
    """The number of classes of AND: the distinct targets of its truth table."""
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    return float(len(np.unique(np.logical_and(X[:, 0], X[:, 1]))))


register(Exercise(
    "06.1", "AND has two classes (0 and 1), so one-hot AND needs 2 output neurons.",
    answer=_and_classes,
    mistakes=[Mistake(lambda: 4.0, "the hand-out asks for 4 outputs, one per row of the truth "
                                   "table; one-hot outputs are one per class, and AND's outputs "
                                   "take only two values.")],
    factors={0.5: "one sigmoid output can answer 0 or 1, but one-hot means one output per class."},
    hint="count the different values the AND column takes."))


def _stuck_value():
    """What a network that cannot tell [0,1], [1,0], [1,1] apart outputs for them.

    One output value c for the three samples: the squared error sum (y_i - c)^2 is
    smallest at the mean of their targets (notebook 00); found here by training a bias.
    """
    from .. import datasets
    X, Y = datasets.xor()
    targets = Y[1:]                                   # [0,1] -> 1, [1,0] -> 1, [1,1] -> 0
    net = NeuralNetwork.from_weights([np.zeros((1, 1))], [np.zeros(1)], activation="identity")
    fit(net, np.zeros((len(targets), 1)), targets, loss="sse", optimizer=SGD(lr=0.1),
        epochs=200, batch_size=None, progress=False)
    return net["L1.N0"].bias


register(Exercise(
    "06.2", "stuck, the network outputs the mean of the three targets, 2/3, for all three.",
    answer=_stuck_value, rtol=0.03,
    mistakes=[Mistake(lambda: 0.5, "0.5 is halfway between 0 and 1, but two of the three "
                                   "targets are 1: a squared error is smallest at the mean.")],
    hint="one value c for targets 1, 1, 0: which c makes (1-c)^2 + (1-c)^2 + (0-c)^2 smallest?"))

def _plateau_network():
    """The hand-out's XOR start (np.random.seed(42), uniform(-1, 1)) after 1500 epochs of SGD."""
    from .. import datasets
    X, Y = datasets.xor()
    draw = np.random.RandomState(42)                  # the numbers np.random.seed(42) gives
    (w0, b0), (w1, b1), (w2, b2) = [(draw.uniform(-1, 1, 2), draw.uniform(-1, 1)) for _ in range(3)]
    net = NeuralNetwork.from_weights([np.column_stack([w0, w1]), w2.reshape(2, 1)],
                                     [np.array([b0, b1]), np.array([b2])], activation="sigmoid")
    fit(net, X, Y, loss="sse", optimizer=SGD(lr=0.5), epochs=1500, batch_size=1, shuffle=False,
        progress=False, warn=False)
    return net, X, Y


def _plateau_bias_gradient(sample=None):
    """dL/db of L2.N0 for the full batch on the plateau (or one sample's share of it)."""
    net, X, Y = _plateau_network()
    if sample is not None:
        X, Y = X[sample:sample + 1], Y[sample:sample + 1]
    (_, _), (_, db) = net.gradients(X, Y, loss="sse")
    return float(db[0])


register(Exercise(
    "06.3", "on the plateau the batch step's dL/db of L2.N0 is the sum of the four shares, "
            "about -0.0054.",
    answer=_plateau_bias_gradient,
    mistakes=[Mistake(lambda: _plateau_bias_gradient(sample=1),
                      "that is the share of the sample [0, 1] alone, the largest one: the "
                      "batch step adds the shares of all four samples.")],
    factors={0.25: "that is the mean of the shares: the sse loss sums over the samples, so "
                   "the batch gradient is their sum."},
    rtol=2e-3,                                        # the table prints it to 5 decimals
    hint="t_plateau.contributions(\"L2.N0\", \"b\", step=0) gives the four shares; the step "
         "uses what they add up to."))

# --------------------------------------------------------------------------------------
# 01 One neuron
# --------------------------------------------------------------------------------------
SIGMOID_W = np.array([0.5, -0.5])
SIGMOID_B = 0.1
SIGMOID_X = np.array([1.0, 2.0])
SIGMOID_Y = 1.0


def _sigmoid_neuron_gradient(without_derivative=False):
    """dL/dw of the sse loss for the exercise's sigmoid neuron (or with f'(z) left out)."""
    neuron = Neuron(2, "sigmoid", weights=SIGMOID_W, bias=SIGMOID_B)
    a = neuron.forward(SIGMOID_X)
    neuron.backward(a - SIGMOID_Y)                        # sse: dL/da = a - y
    if without_derivative:
        return (a - SIGMOID_Y) * SIGMOID_X
    return neuron.grad_weights


def _sigmoid_derivative_of_z():
    """The mistake of using z (1 - z) for sigmoid'(z) instead of a (1 - a)."""
    neuron = Neuron(2, "sigmoid", weights=SIGMOID_W, bias=SIGMOID_B)
    a = neuron.forward(SIGMOID_X)
    return (a - SIGMOID_Y) * neuron.z * (1 - neuron.z) * SIGMOID_X


register(Exercise(
    "01.1", "dL/dw = (a - y) * a (1 - a) * x.",
    answer=_sigmoid_neuron_gradient,
    mistakes=[Mistake(lambda: _sigmoid_neuron_gradient(without_derivative=True),
                      "you left out the local derivative: delta = dL/da * f'(z), and for a "
                      "sigmoid f'(z) = a (1 - a)."),
              Mistake(_sigmoid_derivative_of_z,
                      "the sigmoid's derivative is a (1 - a) with a = sigmoid(z), not z (1 - z).")],
    factors={2.0: "twice the right value: the sse loss has a 1/2, so dL/da = a - y, not 2 (a - y)."},
    hint="delta = (a - y) * a * (1 - a), then dL/dw = delta * x."))


def _dead_neuron_learns():
    """Whether the notes' neuron with bias -7 gets any non-zero gradient from its input."""
    neuron = Neuron(3, "relu", weights=NNFS_W, bias=-7.0)
    a = neuron.forward(NNFS_X)
    neuron.backward(2 * a)
    return bool(np.any(neuron.grad_weights != 0) or neuron.grad_bias != 0)


register(Exercise(
    "01.2", "with bias -7, z = -2 < 0: relu'(z) = 0, so delta = 0 and every gradient is 0.",
    answer=_dead_neuron_learns,
    mistakes=[Mistake(lambda: True,
                      "compute z first: x . w - 7 = -2. Below 0 the ReLU's slope is 0, so "
                      "delta = dL/da * 0 = 0, and dL/dw = delta * x is 0 too.")],
    hint="answer True or False."))

# --------------------------------------------------------------------------------------
# 02 A layer and its shapes
# --------------------------------------------------------------------------------------
def _week42_layer():
    """The week-42 exercise 2 layer: legacy stream seeded 314, W (3, 2) as the course writes it."""
    stream = np.random.RandomState(314)                 # the course's np.random.seed(314)
    x, target = stream.rand(2), stream.rand(3)
    W, b = stream.randn(3, 2), stream.randn(3)
    layer = NeuralNetwork.from_weights([W.T], [b], activation="sigmoid")
    layer.gradients(x, target, loss="mse")
    return layer, x, W


def _week42(quantity):
    layer, x, W = _week42_layer()
    neurons = layer.layers[0]
    dC_da = np.array([n.dL_da for n in neurons])
    delta = np.array([n.delta for n in neurons])
    return {"dW_course": np.outer(delta, x), "dW_no_derivative": np.outer(dC_da, x),
            "sent": W.T @ delta, "sent_no_derivative": W.T @ dC_da}[quantity]


register(Exercise(
    "02.1", "dW has the shape of neurotrace's weights, (n_inputs, n_neurons) = (3, 5).",
    answer=lambda: np.array(NeuralNetwork([3, 5], seed=0).gradients(np.ones(3), np.zeros(5))[0][0].shape,
                            dtype=float),
    mistakes=[Mistake(lambda: np.array([5.0, 3.0]),
                      "(5, 3) is the course's layout (n_neurons, n_inputs). neurotrace stores "
                      "weights as (n_inputs, n_neurons), and a gradient has its parameter's shape."),
              Mistake(lambda: np.array([5.0]), "(5,) is the shape of the bias gradient.")],
    hint="a gradient has the shape of its parameter."))

register(Exercise(
    "02.2", "dC/dW = np.outer(dC_da * da_dz, x) in the course's layout.",
    answer=lambda: _week42("dW_course"),
    mistakes=[Mistake(lambda: _week42("dW_no_derivative"),
                      "you multiplied dC/da by x directly: delta = dC/da * sigma'(z) comes first.")],
    factors={3.0: "3x too large: the mse averages over the 3 outputs, so dC/da = 2 (a - y) / 3, "
                  "and dC_da already holds that 1/3.",
             1 / 3: "3x too small: dC_da already holds the mse's 1/3; do not divide again."},
    hint="delta = dC_da * da_dz (one number per neuron), then row j is delta_j * x."))

register(Exercise(
    "02.3", "dC/dx = sum_j delta_j w_j = W.T @ delta.",
    answer=lambda: _week42("sent"),
    mistakes=[Mistake(lambda: _week42("sent_no_derivative"),
                      "each neuron sends delta_j * w_j, with delta = dC/da * sigma'(z), not dC/da.")],
    hint="each neuron j sends delta_j times its weights; add what the two inputs receive."))

# --------------------------------------------------------------------------------------
# 03 Forward through layers
# --------------------------------------------------------------------------------------
def _homework_network(hidden="relu"):
    """A student's hand-built 1-4-1 network (hidden ReLU, linear output)."""
    return NeuralNetwork.from_weights(
        [np.array([[-1.0, 1.0, 1.0, -1.0]]), np.array([[0.0], [-1.0], [-1.0], [0.0]])],
        [np.array([1.0, 1.0, -1.0, 1.0]), np.array([1.0])], activation=[hidden, "identity"])


def _collapse(net):
    """One linear layer (W, b) equal to ``net`` with every activation removed."""
    (W1, b1), (W2, b2) = net.parameters()
    return W1 @ W2, b1 @ W2 + b2


def _collapsed_matches_at_zero():
    net = _homework_network()
    W, b = _collapse(net)
    one = NeuralNetwork.from_weights([W], [b], activation="identity")
    x = np.array([0.0])
    return bool(np.allclose(one.forward(x), net.forward(x)))


register(Exercise(
    "03.1", "at x = 5 the hidden layer gives 0, 6, 4, 0 and the output -6 - 4 + 1 = -9.",
    answer=lambda: _homework_network().forward(np.array([5.0]))[0],
    mistakes=[Mistake(lambda: _homework_network().forward(np.array([5.0]))[0] - 1.0,
                      "you left out the output neuron's bias (+1).")],
    hint="hidden z_j = w_j * 5 + b_j, a_j = max(0, z_j); output = sum_j a_j * w_out_j + 1."))

register(Exercise(
    "03.2", "at x = 0 the third neuron's ReLU cuts z = -1 to 0, so the linear collapse is wrong there.",
    answer=_collapsed_matches_at_zero,
    mistakes=[Mistake(lambda: True,
                      "compute both at x = 0: the third hidden neuron has z = -1, its ReLU outputs 0, "
                      "while the collapsed linear layer passes -1 on. Collapsing only holds where no "
                      "ReLU bends.")],
    hint="answer True or False."))


def _two_linear_layers_bias():
    """b of one layer equal to two linear layers: their output at x = 0."""
    W1 = np.arange(12.0).reshape(3, 4) / 10
    W2 = np.array([[1.0], [-1.0], [0.5], [2.0]])
    net = NeuralNetwork.from_weights([W1, W2], [np.array([1.0, 0.0, -1.0, 2.0]), np.array([0.5])],
                                     activation="identity")
    return net.forward(np.zeros(3))


register(Exercise(
    "03.3", "b = b1 @ W2 + b2 = 5.0.",
    answer=_two_linear_layers_bias,
    mistakes=[Mistake(lambda: np.array([2.5]),
                      "the first layer's bias goes through the second layer's weights too: "
                      "b = b1 @ W2 + b2, not sum(b1) + b2."),
              Mistake(lambda: np.array([0.5]), "b1 does not vanish: it is multiplied by W2.")],
    hint="feed x = 0 through both layers: what comes out is the bias."))

# --------------------------------------------------------------------------------------
# 04 The chain rule with real numbers
# --------------------------------------------------------------------------------------
def _week42_two_layers():
    """The week-42 exercise 4 network (the legacy stream seeded 314, after exercises 2-3)."""
    stream = np.random.RandomState(314)
    stream.rand(2), stream.rand(3), stream.randn(3, 2), stream.randn(3)       # exercises 2-3
    x, target = stream.rand(2), stream.rand(4)
    W1, b1, W2, b2 = stream.rand(3, 2), stream.rand(3), stream.rand(4, 3), stream.rand(4)
    net = NeuralNetwork.from_weights([W1.T, W2.T], [b1, b2], activation="sigmoid")
    net.gradients(x, target, loss="mse")
    return net


def _received_by_l1n2(part="all"):
    net = _week42_two_layers()
    outputs = net.layers[1]
    if part == "first":
        return outputs[0].delta * outputs[0].weights[2]
    if part == "no_derivative":
        return sum(n.dL_da * n.weights[2] for n in outputs)
    return net["L1.N2"].dL_da


register(Exercise(
    "04.1", "L1.N2 receives the sum over the four output neurons of delta_k * w_k2.",
    answer=_received_by_l1n2,
    mistakes=[Mistake(lambda: _received_by_l1n2("first"),
                      "that is one output neuron's share. L1.N2 feeds all four output neurons: "
                      "add the four delta_k * w_k2."),
              Mistake(lambda: _received_by_l1n2("no_derivative"),
                      "each output neuron sends delta_k * w_k2 with delta_k = dC/da_k * sigma'(z_k), "
                      "not dC/da_k.")],
    hint="sum over k of step.backward[f'L2.N{k}']['delta'] * weights_before[2]."))

HOMEWORK_LOSS = losses.Loss("sum (y - f)^2", value=lambda a, y: np.sum((y - a) ** 2),
                            gradient=lambda a, y: -2 * (y - a))


def _homework_gradients(which):
    """Gradients of the homework network at x = 2, y = 4 (right, or as the student's formulas give)."""
    net = _homework_network()
    (dW1, db1), (dW2, db2) = net.gradients(np.array([2.0]), np.array([4.0]), loss=HOMEWORK_LOSS)
    f = net.forward(np.array([2.0]))[0]
    relu_out = np.array([n.a for n in net.layers[0]])
    student_dL_dy = 2 * (4.0 - f)                      # the student's sign
    return {"output": dW2[:, 0], "hidden": dW1[0],
            "student_output": np.full(4, student_dL_dy * relu_out.sum()),
            "student_hidden": np.full(4, student_dL_dy * net["L2.N0"].weights.sum() * max(0.0, 2.0))}[which]


register(Exercise(
    "04.2", "dL/dw0i = dL/df * a_i = -14 * (0, 3, 1, 0).",
    answer=lambda: _homework_gradients("output"),
    mistakes=[Mistake(lambda: _homework_gradients("student_output"),
                      "that is the homework's formula: dy/dw0i is a_i, the output of neuron i "
                      "alone, not the sum of all z_i (and dL/df = -2 (y - f), with a minus).")],
    factors={-1.0: "check the sign: L = (y - f)^2, so dL/df = -2 (y - f) = 2 (f - y)."},
    hint="f(2) = -3 and y = 4, so dL/df = -2 (4 - (-3)) = -14; multiply by each a_i."))

register(Exercise(
    "04.3", "dL/dw_hi = dL/df * w0i * relu'(z_i) * x = (0, 28, 28, 0).",
    answer=lambda: _homework_gradients("hidden"),
    mistakes=[Mistake(lambda: _homework_gradients("student_hidden"),
                      "that is the homework's formula: use neuron i's own output weight w0i (not "
                      "their sum) and relu'(z_i), 0 or 1, times x (not max(0, x)).")],
    factors={-1.0: "check the sign: L = (y - f)^2, so dL/df = -2 (y - f) = 2 (f - y)."},
    hint="dL/df = -14; neuron i: -14 * w0i * (1 if z_i > 0 else 0) * 2."))

def _bias_nudge(actual=False):
    """The loss change when b of L1.N2 rises by 0.01: first order (dC/db * 0.01), or actual."""
    net = _week42_two_layers()
    predicted = float(net["L1.N2"].grad_bias) * 0.01
    if not actual:
        return predicted
    stream = np.random.RandomState(314)
    stream.rand(2), stream.rand(3), stream.randn(3, 2), stream.randn(3)
    x, target = stream.rand(2), stream.rand(4)
    (W1, b1), (W2, b2) = [(W.copy(), b.copy()) for W, b in net.parameters()]
    before = net.loss(x, target, "mse")
    b1[2] += 0.01
    nudged = NeuralNetwork.from_weights([W1, W2], [b1, b2], activation="sigmoid")
    return nudged.loss(x, target, "mse") - before


register(Exercise(
    "04.4", "to first order the loss changes by dC/db of L1.N2 times 0.01, about 7.65e-05.",
    answer=_bias_nudge,
    mistakes=[Mistake(lambda: _bias_nudge(actual=True),
                      "that is the actual change (what_if's .change); the first-order "
                      "prediction is the gradient times 0.01 (its .predicted). They differ in "
                      "the 4th digit: the curvature of the loss.")],
    factors={100.0: "that is the gradient dC/db itself: multiply by the change, 0.01."},
    hint="the gradient is db1[2] (or step.backward['L1.N2']['grad_bias']); t.what_if"
         "('L1.N2', 'b', by=0.01, step=0) shows both numbers."))

# --------------------------------------------------------------------------------------
# 05 The hand-out's bug
# --------------------------------------------------------------------------------------
def _exercise5_step():
    """The hand-out's exercise 5 network (1-2-1, w 0.5, b 0), one correct SGD step, x [1], y 0.

    Returns the network after the step and, of the step, the output neuron's delta, its
    weights before and after, and the hidden neurons' a (all needed by the hints).
    """
    net = NeuralNetwork.from_weights([np.full((1, 2), 0.5), np.full((2, 1), 0.5)],
                                     [np.zeros(2), np.zeros(1)], activation="sigmoid")
    x, y = np.array([[1.0]]), np.array([[0.0]])
    net.backprop(x[0], y[0], loss="sse")
    out = net["L2.N0"]
    delta, w_before = out.delta, out.weights.copy()
    sent = out.to_predecessors.copy()
    hidden = [(n.a, n.da_dz) for n in net.layers[0]]
    fit(net, x, y, loss="sse", optimizer=SGD(lr=0.8), epochs=1, batch_size=1, progress=False)
    return net, delta, w_before, out.weights.copy(), sent, hidden


def _exercise5(which):
    net, delta, w_before, w_after, sent, hidden = _exercise5_step()
    if which == "sent":
        return sent
    if which == "sent_updated":
        return delta * w_after                       # the hint's case: sent with updated weights
    if which == "hidden_w":
        return net["L1.N0"].weights[0]
    if which == "hidden_w_updated":                  # the hint's case: the hidden step that follows
        (a, da_dz) = hidden[0]
        return 0.5 - 0.8 * (delta * w_after[0]) * da_dz * 1.0
    return w_after


register(Exercise(
    "05.1", "sent back correctly: delta * w with the forward-pass weights, delta * [0.5, 0.5].",
    answer=lambda: _exercise5("sent"),
    mistakes=[Mistake(lambda: _exercise5("sent_updated"),
                      "that is what the hand-out sends: delta times the weights after the update. "
                      "The loss was computed with the weights of the forward pass (0.5).")],
    hint="delta of L2.N0 times its weights before the update."))

register(Exercise(
    "05.2", "with the error sent from the forward-pass weights the hidden weight becomes 0.48609721.",
    answer=lambda: _exercise5("hidden_w"),
    mistakes=[Mistake(lambda: _exercise5("hidden_w_updated"),
                      "0.48814507 is the hand-out's value: the fix must keep a copy of the weights "
                      "before the update and return d_2 times that copy.")],
    hint="in backpropagate, save w = self.weights.copy() first, update, then return d_2 * w."))

def _bug_changes_own_update():
    """Whether the output neuron's correct step differs from the hand-out's w - lr * d_2 * inputs."""
    net, delta, w_before, w_after, sent, hidden = _exercise5_step()
    handout_step = w_before - 0.8 * delta * np.array([a for a, _ in hidden])
    return not bool(np.allclose(w_after, handout_step, rtol=1e-12, atol=0))


register(Exercise(
    "05.3", "no: the output neuron computes d_4 = d_2 * inputs before updating, so its own step is right.",
    answer=lambda: _bug_changes_own_update(),
    mistakes=[Mistake(lambda: True,
                      "look at the order in backpropagate: d_4 = d_2 * self.inputs is computed "
                      "before the update, so the neuron's own gradient is right; only what it "
                      "sends back uses the new weights.")],
    hint="answer True or False."))

# The hand-out's exercise 3 printed these two outputs of one unseeded sigmoid neuron.
PRINTED_OUTPUTS = (0.6346325032155706, 0.31907088859242594)     # inputs [1, 2] and [1, -2]


def _logit(a):
    return np.log(a / (1 - a))                       # z such that sigmoid(z) = a


register(Exercise(
    "01.3", "w1 = (z at [1, 2] - z at [1, -2]) / 4, with z = ln(a / (1 - a)).",
    answer=lambda: (_logit(PRINTED_OUTPUTS[0]) - _logit(PRINTED_OUTPUTS[1])) / 4,
    mistakes=[Mistake(lambda: (PRINTED_OUTPUTS[0] - PRINTED_OUTPUTS[1]) / 4,
                      "undo the sigmoid first: the outputs are sigmoid(z); z = ln(a / (1 - a)) "
                      "is linear in the weights.")],
    factors={2.0: "twice the right value: x1 goes from -2 to 2, a difference of 4, not 2."},
    hint="z = w0 * 1 + w1 * x1 + b; subtract the two z's: w0 and b cancel."))
