"""The exercises of tutorials 07-12 (batches, softmax, iris, fitting, initialization, speed).

Each right answer is computed here with neurotrace from the exercise's data when it is
checked; each known mistake is computed the same way, so its hint appears exactly when
the learner made that mistake.
"""
import numpy as np

from .. import datasets
from ..vectorized import VectorizedNetwork
from ..network import NeuralNetwork
from ..neuron import Neuron
from ..optimizers import SGD
from . import Exercise, Mistake, register

# --------------------------------------------------------------------------------------
# 07 Batches
# --------------------------------------------------------------------------------------
SHARES_G = np.array([0.3, -0.1, 0.4, 0.2])        # per-sample gradients of one weight


def _batch_gradient(per_sample):
    """dL/dw of the batch mse for per-sample gradients ``per_sample`` of one weight.

    An identity neuron a = b (its input is 0) with the mse loss has, for one sample,
    dL/db = 2 (b - t); at b = 0 the target t_i = -g_i / 2 gives sample i the gradient
    g_i. The batch's mse gradient is then what neurotrace computes for the whole batch.
    """
    targets = -np.asarray(per_sample, dtype=float)[:, None] / 2
    net = NeuralNetwork.from_weights([np.zeros((1, 1))], [np.zeros(1)], activation="identity")
    (_, db), = net.gradients(np.zeros((len(targets), 1)), targets, loss="mse")
    return float(db[0])


register(Exercise(
    "07.1", "the batch gradient of a mean loss is the mean of the per-sample gradients.",
    answer=lambda: _batch_gradient(SHARES_G),
    mistakes=[Mistake(lambda: SHARES_G.sum(),
                      "that is the sum of the per-sample gradients, the gradient of a summed "
                      "loss. mse is a mean over the samples: divide by their number."),
              Mistake(lambda: SHARES_G.mean() / len(SHARES_G),
                      "that is 4x too small: you divided by the number of samples twice, like "
                      "the week-42 manual code (its dC/da already held the 1/n).")],
    factors={0.5: "half the right value: each g_i is already a full derivative of (a - y)^2, "
                  "the 2 included."},
    hint="each sample's share is g_i / n; the batch gradient is the sum of the shares."))


def _same_step_lr(n_samples=16, n_outputs=10, lr_sse=0.01):
    """The lr for mse that takes the steps sse takes with ``lr_sse``: ratio of their gradients."""
    rng = np.random.default_rng(0)
    X, Y = rng.random((n_samples, 3)), rng.random((n_samples, n_outputs))
    net = VectorizedNetwork([3, n_outputs], activation="sigmoid", seed=0)
    (g_sse, _), = net.gradients(X, Y, loss="sse")
    (g_mse, _), = net.gradients(X, Y, loss="mse")
    return lr_sse * float(np.mean(g_sse / g_mse))


register(Exercise(
    "07.2", "mse's gradient is sse's times 2 / (16 * 10), so lr = 0.01 * 160 / 2 = 0.8.",
    answer=_same_step_lr,
    mistakes=[Mistake(lambda: 0.01 * 16 / 2,
                      "mse averages over every number of the batch, 16 samples times 10 "
                      "outputs, not over the samples only."),
              Mistake(lambda: 0.01 * 16,
                      "mse averages over all 16 x 10 numbers, and (a - y)^2 has the derivative "
                      "2 (a - y) while sse = 1/2 sum (a - y)^2 has (a - y)."),
              Mistake(lambda: 0.01 * 160,
                      "almost: sse = 1/2 sum (a - y)^2 has the derivative (a - y), mse's terms "
                      "(a - y)^2 have 2 (a - y). Account for the 2."),
              Mistake(lambda: 0.01 / 160,
                      "the other way round: mse's gradient is the smaller one, so its "
                      "learning rate must be larger.")],
    hint="write both gradients with respect to one output: sse gives (a - y), mse gives "
         "2 (a - y) / (number of samples x number of outputs)."))


def _dW1_shape():
    """The shape of the first layer's weight gradient in notebook 07's network, for 10 samples."""
    net = NeuralNetwork([2, 3, 4], activation=["sigmoid", "relu"], seed=0)
    (dW1, _), _ = net.gradients(np.zeros((10, 2)), np.zeros((10, 4)), loss="mse")
    return np.array(dW1.shape, dtype=float)


register(Exercise(
    "07.3", "a gradient has the shape of what it is the gradient of: W1 is (2, 3).",
    answer=_dW1_shape,
    mistakes=[Mistake(lambda: (3.0, 2.0),
                      "that is the per-sample layout (n_neurons, n_inputs) of the week-41 "
                      "exercises; the batched layout is (n_inputs, n_neurons)."),
              Mistake(lambda: (10.0, 3.0),
                      "that is the shape of z (one row per sample). The batch is summed out of "
                      "the weight gradient: it has the shape of the weights.")],
    hint="dW1 has one entry per weight of the first layer."))

# --------------------------------------------------------------------------------------
# 08 Softmax and cross-entropy
# --------------------------------------------------------------------------------------
P_08 = np.array([0.7, 0.2, 0.1])
Y_08 = np.array([1.0, 0.0, 0.0])


def _softmax_delta(p, y):
    """dL/dz of cross-entropy for one sample whose softmax output is ``p``: from neurotrace,
    with logits log p (their softmax is p) fed through an identity-weight softmax layer."""
    net = NeuralNetwork.from_weights([np.eye(len(p))], [np.zeros(len(p))], activation="identity",
                                     output_activation="softmax")
    net.backprop(np.log(p)[None, :], y[None, :], "cross_entropy")
    return np.array([n.delta[0] for n in net.layers[0]])


register(Exercise(
    "08.1", "with softmax and cross-entropy, dL/dz = p - y: [-0.3, 0.2, 0.1].",
    answer=lambda: _softmax_delta(P_08, Y_08),
    mistakes=[Mistake(lambda: P_08, "that is p alone: subtract the one-hot target y."),
              Mistake(lambda: (P_08 - Y_08) * P_08 * (1 - P_08),
                      "no f'(z) to multiply by: softmax's derivative and the log's 1/p cancel, "
                      "leaving p - y (the week-42 advice: do not differentiate them "
                      "separately)."),
              Mistake(lambda: (P_08 - Y_08) / 3,
                      "divided by the number of classes; the loss averages over samples, "
                      "and this batch has one.")],
    hint="the fused gradient of softmax + cross-entropy is prediction - target, per class."))


def _week41_true_softmax_accuracy():
    """Exercise 6's untrained 4-8-3 network with a true softmax, on all of iris."""
    from sklearn.datasets import load_iris
    rs = np.random.RandomState(2024)        # the material's legacy stream, kept local

    def create(n_in, sizes):
        out = []
        for n_out in sizes:
            out.append((rs.randn(n_out, n_in).T, rs.randn(n_out)))
            n_in = n_out
        return out
    rs.randn(2), rs.randn(4, 2), rs.randn(4)
    rs.randn(8, 4), rs.randn(8)
    rs.rand(8), create(8, [10, 16, 6, 2])
    create(8, [5, 8, 2]), rs.randn(8), create(8, [5, 8, 2]), rs.randn(8)
    rs.rand(1000, 4), create(4, [12, 10, 3]), rs.randn(4)
    layers = create(4, [8, 3])
    iris = load_iris()
    net = VectorizedNetwork.from_weights([W for W, b in layers], [b for W, b in layers],
                                         activation="sigmoid", output_activation="softmax")
    return float(np.mean(net.forward(iris.data).argmax(axis=1) == iris.target))


register(Exercise(
    "08.2", "with a true softmax every flower is called class 2: accuracy 1/3.",
    answer=_week41_true_softmax_accuracy,
    mistakes=[Mistake(lambda: 0.5666666666666667,
                      "that is the printed accuracy, from the week-41 function that subtracts "
                      "each column's maximum over the batch. Use a true softmax "
                      "(output_activation=\"softmax\").")],
    hint="build the network with output_activation=\"softmax\" and compare argmax with iris.target."))


def _uniform_cross_entropy(n_classes=3, n_samples=150):
    """neurotrace's cross-entropy of equal logits (p = 1/K) on any one-hot targets."""
    net = NeuralNetwork.from_weights([np.zeros((1, n_classes))], [np.zeros(n_classes)],
                                     activation="identity", output_activation="softmax")
    Y = datasets.one_hot(np.arange(n_samples) % n_classes, n_classes)
    return net.loss(np.zeros((n_samples, 1)), Y, "cross_entropy")


register(Exercise(
    "08.3", "a uniform guess over 3 classes has cross-entropy ln 3 = 1.0986.",
    answer=_uniform_cross_entropy,
    mistakes=[Mistake(lambda: np.log10(3.0), "that is log10; the cross-entropy uses the natural "
                                             "logarithm (np.log)."),
              Mistake(lambda: 150 * np.log(3.0), "that is the sum over the 150 flowers (the week-41 "
                                                  "cost); neurotrace's cross_entropy is the mean."),
              Mistake(lambda: 1 / 3, "that is p itself; the loss is -log p of the true class.")],
    hint="each flower contributes -log p of its true class, and p = 1/3 for every class."))

# --------------------------------------------------------------------------------------
# 09 Training on iris
# --------------------------------------------------------------------------------------
def _bias_bug_factor(batch_size=8):
    """True bias gradient / the week-42 code's np.mean(dC_dz): neurotrace's dL/db against
    the mean over the batch of its own output deltas (which already hold the 1/n)."""
    rng = np.random.default_rng(0)
    X, labels = rng.normal(size=(batch_size, 4)), np.arange(batch_size) % 3
    net = NeuralNetwork([4, 3], activation="softmax", seed=0)
    (_, db), = net.gradients(X, datasets.one_hot(labels, 3), "cross_entropy")
    week42_db = np.mean(np.stack([n.delta for n in net.layers[0]], axis=-1), axis=0)
    return float(np.mean(db / week42_db))


register(Exercise(
    "09.1", "np.mean over a dC/dz that already holds 1/8 divides by 8 twice: 8x too small.",
    answer=_bias_bug_factor,
    mistakes=[Mistake(lambda: 1 / 8, "the other way round: the exercise's bias gradient is the "
                                      "smaller one; give how many times it is too small."),
              Mistake(lambda: 150.0, "150 is the factor of the full-batch run; the momentum run "
                                     "averages over batches of 8."),
              Mistake(lambda: 64.0, "one 1/8 is right (it is in dC/dz); only the second one is "
                                    "extra.")],
    hint="dC/dz = (p - y) / 8 already averages; np.mean divides by the batch size once more."))


def _iris_best_training_accuracy():
    """1.0 when no two flowers with identical measurements are of different species."""
    from sklearn.datasets import load_iris
    iris = load_iris()
    rows, inverse = np.unique(iris.data, axis=0, return_inverse=True)
    inverse = inverse.ravel()
    clashes = sum(len(set(iris.target[inverse == k])) > 1 for k in range(len(rows)))
    return 1.0 - clashes / len(iris.target)


register(Exercise(
    "09.2", "no two identical flowers differ in species, so 100 % of the training flowers.",
    answer=_iris_best_training_accuracy,
    mistakes=[Mistake(lambda: 0.973, "that is what the week-42 runs reached, not the limit. What "
                                     "could stop a large enough network from fitting every "
                                     "training flower?"),
              Mistake(lambda: 0.98, "that is the corrected momentum run, not the limit: train a "
                                    "larger network for longer."),
              Mistake(lambda: 0.68, "that is the week-41 loop's printed accuracy after a few "
                                    "epochs, far from the limit.")],
    hint="only two identical measurements with different species could make 100 % impossible: "
         "look for them with np.unique(X, axis=0, return_inverse=True)."))

# --------------------------------------------------------------------------------------
# 10 Fitting functions
# --------------------------------------------------------------------------------------
def _kink(w=2.0, b=-6.0):
    """Where the ReLU neuron max(0, w x + b) starts to output more than 0, found with neurotrace."""
    neuron = Neuron(1, "relu", weights=[w], bias=b)
    xs = np.linspace(-20, 20, 400001)
    return float(xs[np.argmax(neuron.forward(xs[:, None]) > 0)])


register(Exercise(
    "10.1", "the kink of max(0, w x + b) is at x = -b / w = 3.",
    answer=_kink, atol=1e-3,
    mistakes=[Mistake(lambda: -3.0, "wrong sign: w x + b = 0 at x = -b / w."),
              Mistake(lambda: 6.0, "that is -b; the kink is where w x + b = 0, so divide by w too."),
              Mistake(lambda: -6.0, "that is the bias; the kink is where w x + b = 0.")],
    hint="solve w x + b = 0 for x."))


def _total_error_of(sse_loss=0.5385):
    """The hands-on's sum (t - y)^2 for a network whose sse loss is ``sse_loss``."""
    net = NeuralNetwork.from_weights([np.zeros((1, 1))], [np.zeros(1)], activation="identity")
    T = np.array([[np.sqrt(2 * sse_loss)]])            # one sample whose sse is sse_loss
    return float(np.sum((T - net.predict(np.zeros((1, 1)))) ** 2))


register(Exercise(
    "10.2", "the hands-on's Total Error sum (t - y)^2 is twice sse = 1/2 sum (t - y)^2: 1.0770.",
    answer=_total_error_of, rtol=1e-4,
    mistakes=[Mistake(lambda: 0.5385, "sse = 1/2 sum (t - y)^2 carries a 1/2 the printed Total "
                                      "Error does not have."),
              Mistake(lambda: 0.5385 / 2, "the other way round: the Total Error has no 1/2, so it "
                                          "is the larger one.")],
    hint="-(t - y) is the gradient of 1/2 sum (t - y)^2; the printout sums (t - y)^2."))

# --------------------------------------------------------------------------------------
# 11 Initialization and gradients
# --------------------------------------------------------------------------------------
def _he_std(n_inputs=50, n_neurons=20):
    """He's standard deviation sqrt(2 / n_inputs), measured on a large draw of the initializer
    and rounded to the formula's value (the check's tolerance is 1 %)."""
    (W, _), = VectorizedNetwork([n_inputs, 2000 * n_neurons], init="he", seed=0).parameters()
    return float(W.std())


register(Exercise(
    "11.1", "He initialization draws from N(0, 2 / n_in): std sqrt(2 / 50) = 0.2.",
    answer=_he_std, rtol=0.01,
    mistakes=[Mistake(lambda: 2 / 50, "that is the variance 2 / n_in; the standard deviation is "
                                      "its square root."),
              Mistake(lambda: np.sqrt(1 / 50), "that is LeCun's sqrt(1 / n_in); He doubles the "
                                               "variance because ReLU zeroes half of z."),
              Mistake(lambda: np.sqrt(2 / 70), "He uses n_in only; n_in + n_out is Glorot's "
                                               "(xavier) denominator."),
              Mistake(lambda: np.sqrt(2 / 20), "n is the number of inputs of the layer (50), the "
                                               "number of terms summed into each z.")],
    hint="He: weights from N(0, 2 / n_in); answer the standard deviation."))


def _clipped(grad=(3.0, -0.5, 0.2), clip_value=1.0):
    return SGD(lr=0.1, clip_value=clip_value).clip(np.array(grad))


register(Exercise(
    "11.2", "clip by value puts each entry into [-1, 1]: [1.0, -0.5, 0.2].",
    answer=_clipped,
    mistakes=[Mistake(lambda: (1.0, -1.0, 1.0), "clipping only changes entries outside [-1, 1]; "
                                                 "-0.5 and 0.2 stay as they are."),
              Mistake(lambda: np.array([3.0, -0.5, 0.2]) / np.linalg.norm([3.0, -0.5, 0.2]),
                      "that is clipping by norm (the whole vector scaled to length 1); "
                      "clip_value clips each entry on its own."),
              Mistake(lambda: (3.0, -0.5, 0.2), "3.0 is outside [-1, 1]: clipping caps it.")],
    hint="np.clip(g, -1, 1): every entry separately."))

# --------------------------------------------------------------------------------------
# 12 Digits, MNIST and speed
# --------------------------------------------------------------------------------------
def _sigmoid_slope(z=8.0):
    """f'(z) of a sigmoid neuron, from its own backward pass (da/dz)."""
    neuron = Neuron(1, "sigmoid", weights=[1.0], bias=0.0)
    neuron.forward(np.array([z]))
    neuron.backward(1.0)
    return float(neuron.da_dz)


register(Exercise(
    "12.1", "sigma'(8) = sigma(8) (1 - sigma(8)) = 0.000335: a saturated sigmoid passes almost nothing.",
    answer=_sigmoid_slope,
    mistakes=[Mistake(lambda: 0.25, "0.25 is the largest slope, at z = 0; at z = 8 the curve is "
                                    "almost flat."),
              Mistake(lambda: 1 / (1 + np.exp(-8.0)), "that is sigma(8) itself, the output; the "
                                                     "slope is sigma(8) (1 - sigma(8))."),
              Mistake(lambda: 8.0 * (1 - 8.0), "z (1 - z) uses z; the sigmoid's slope is a (1 - a) "
                                               "with a = sigma(z).")],
    hint="f'(z) = a (1 - a) with a = 1 / (1 + exp(-z))."))

P4_TRAIN_LOSS = 1787.3244709968567


def _per_batch_mean(total=P4_TRAIN_LOSS, n_samples=60000, batch_size=64):
    """The sum of per-batch means divided by the number of batches a DataLoader makes."""
    n_batches = -(-n_samples // batch_size)
    return total / n_batches


register(Exercise(
    "12.2", "938 batches (60000 / 64, rounded up): 1787.32 / 938 = 1.9055 per batch.",
    answer=_per_batch_mean,
    mistakes=[Mistake(lambda: P4_TRAIN_LOSS / 60000, "that divides by the images, but each of the "
                                                      "938 terms is already a mean over its batch."),
              Mistake(lambda: P4_TRAIN_LOSS / 937.5, "60000 / 64 = 937.5, but the last, smaller batch "
                                                     "counts too: 938 batches."),
              Mistake(lambda: P4_TRAIN_LOSS / 64, "64 is the batch size; divide by the number of "
                                                  "batches.")],
    hint="CrossEntropyLoss averages over each batch; the loop adds one such mean per batch."))
