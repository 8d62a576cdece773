"""The PyTorch bridge, checked against PyTorch itself (float64, to 1e-12).

PyTorch is an optional extra; `make install` installs a CPU build. Where it is
missing these tests are skipped, except in CI (the CI environment variable),
where a missing PyTorch is a failure.
"""
import os
import subprocess
import sys

import numpy as np
import pytest

import neurotrace as nt

if "CI" in os.environ:
    import torch  # CI must run these tests: no skipping there
else:
    torch = pytest.importorskip("torch", reason="PyTorch is not installed (make install adds it)")

from neurotrace.torch_bridge import torch_loss  # noqa: E402  (after torch's import check)

ATOL = 1e-12
LOSSES = {  # loss -> output activation it is used with
    "mse": "sigmoid", "sse": "identity", "bce": "sigmoid", "cross_entropy": "softmax"}


def data(n_samples=12, n_inputs=3, n_outputs=3, classes=False, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_samples, n_inputs))
    if classes:
        return X, nt.datasets.one_hot(rng.integers(0, n_outputs, n_samples), n_outputs)
    return X, rng.uniform(0.05, 0.95, size=(n_samples, n_outputs))


def network(loss, hidden="tanh", backend=nt.NeuralNetwork, sizes=(3, 5, 4, 3), seed=0):
    acts = [hidden, "relu" if hidden != "relu" else "leaky_relu", LOSSES[loss]]
    return backend(list(sizes), activation=acts, seed=seed)


def torch_gradients(model, X, Y, loss):
    model.zero_grad()
    value = torch_loss(loss)(model(torch.from_numpy(X)), torch.from_numpy(Y))
    value.backward()
    grads = [(m.weight.grad.numpy().T, m.bias.grad.numpy())
             for m in model if isinstance(m, torch.nn.Linear)]
    return float(value.detach()), grads


@pytest.mark.parametrize("backend", [nt.NeuralNetwork, nt.VectorizedNetwork])
@pytest.mark.parametrize("loss", sorted(LOSSES))
@pytest.mark.parametrize("hidden", ["sigmoid", "tanh", "relu"])
def test_outputs_loss_and_gradients_equal_pytorchs(loss, hidden, backend):
    X, Y = data(classes=loss == "cross_entropy")
    net = network(loss, hidden, backend)
    model = nt.to_torch(net)
    assert all(p.dtype == torch.float64 for p in model.parameters())
    out = model(torch.from_numpy(X)).detach().numpy()
    expected = net.forward(X)
    if loss == "cross_entropy":                    # the model ends in logits
        out = torch.softmax(torch.from_numpy(out), dim=-1).numpy()
        probabilities = nt.to_torch(net, output="probabilities")
        assert isinstance(probabilities[-1], torch.nn.Softmax)
        np.testing.assert_allclose(probabilities(torch.from_numpy(X)).detach().numpy(),
                                   expected, rtol=0, atol=ATOL)
    np.testing.assert_allclose(out, expected, rtol=0, atol=ATOL)
    value, grads = torch_gradients(model, X, Y, loss)
    assert value == pytest.approx(net.loss(X, Y, loss), rel=ATOL, abs=ATOL)
    for (dW, db), (tW, tb) in zip(net.gradients(X, Y, loss), grads):
        np.testing.assert_allclose(dW, tW, rtol=0, atol=ATOL)
        np.testing.assert_allclose(db, tb, rtol=0, atol=ATOL)


def test_dL_dx_equals_pytorchs_input_gradient():
    X, Y = data()
    net = network("mse")
    x = torch.from_numpy(X).requires_grad_(True)
    torch_loss("mse")(nt.to_torch(net)(x), torch.from_numpy(Y)).backward()
    net.forward(X)
    dx = net.backward(2.0 * (net.output - Y) / Y.size)
    np.testing.assert_allclose(dx, x.grad.numpy(), rtol=0, atol=ATOL)


@pytest.mark.parametrize("backend", [nt.NeuralNetwork, nt.VectorizedNetwork])
@pytest.mark.parametrize("loss, optimizer", [
    ("cross_entropy", dict(name="SGD", lr=0.3)),
    ("mse", dict(name="SGD", lr=0.5, momentum=0.9)),
    ("sse", dict(name="SGD", lr=0.05, momentum=0.5)),
    ("bce", dict(name="Adam", lr=0.01)),
])
def test_ten_steps_of_pytorch_training_equal_ten_steps_of_nt_fit(loss, optimizer, backend):
    X, Y = data(n_samples=40, classes=loss == "cross_entropy", seed=1)
    net = network(loss, "sigmoid", backend, seed=2)
    model = nt.to_torch(net)
    options = {k: v for k, v in optimizer.items() if k != "name"}
    nt.fit(net, X, Y, loss=loss, optimizer=getattr(nt, optimizer["name"])(**options),
           epochs=1, batch_size=4, shuffle=False, progress=False)        # 40 / 4 = 10 steps
    torch_optimizer = getattr(torch.optim, optimizer["name"])(model.parameters(), **options)
    loss_fn = torch_loss(loss)
    for start in range(0, 40, 4):
        torch_optimizer.zero_grad()
        loss_fn(model(torch.from_numpy(X[start:start + 4])),
                torch.from_numpy(Y[start:start + 4])).backward()
        torch_optimizer.step()
    back = nt.from_torch(model, output_activation="softmax" if loss == "cross_entropy" else None)
    np.testing.assert_allclose(back.flat_parameters, net.flat_parameters, rtol=0, atol=ATOL)
    assert not np.allclose(back.flat_parameters, network(loss, "sigmoid", seed=2).flat_parameters)


@pytest.mark.parametrize("backend", ["neurons", "vectorized"])
def test_from_torch_reads_what_to_torch_writes_and_plain_pytorch_models(backend):
    net = nt.NeuralNetwork([4, 6, 5, 3], ["leaky_relu", "tanh", "softmax"], seed=0)
    back = nt.from_torch(nt.to_torch(net, output="probabilities"), backend=backend)
    assert back.activation_names == net.activation_names
    np.testing.assert_array_equal(back.flat_parameters, net.flat_parameters)
    same = nt.from_torch(nt.to_torch(net), output_activation="softmax")
    np.testing.assert_array_equal(same.flat_parameters, net.flat_parameters)

    torch.manual_seed(0)
    nn = torch.nn
    model = nn.Sequential(nn.Linear(4, 6), nn.Sigmoid(), nn.Linear(6, 6), nn.Linear(6, 2),
                          nn.Identity()).double()
    converted = nt.from_torch(model, backend=backend)
    assert isinstance(converted, nt.NeuralNetwork if backend == "neurons"
                      else nt.VectorizedNetwork)
    assert converted.activation_names == ["sigmoid", "identity", "identity"]
    X = np.random.default_rng(0).normal(size=(7, 4))
    np.testing.assert_allclose(converted.forward(X), model(torch.from_numpy(X)).detach().numpy(),
                               rtol=0, atol=ATOL)
    # float32 weights become float64 with the same values
    single = nn.Sequential(nn.Linear(2, 1))
    assert np.array_equal(nt.from_torch(single).parameters()[0][0][:, 0],
                          single[0].weight.detach().numpy()[0].astype(np.float64))


@pytest.mark.parametrize("modules, message", [
    (lambda nn: [nn.Linear(2, 3), nn.Dropout()], r"module \(1\) of the Sequential, Dropout"),
    (lambda nn: [nn.Linear(2, 3), nn.ReLU(), nn.ReLU()], r"module \(2\) of the Sequential, ReLU"),
    (lambda nn: [nn.Linear(2, 3, bias=False)], r"module \(0\).*no bias"),
    (lambda nn: [nn.Linear(2, 3), nn.Linear(4, 1)], r"module \(1\).*takes 4 inputs.*3 outputs"),
    (lambda nn: [nn.Linear(2, 3), nn.Softmax(dim=-1), nn.Linear(3, 1)],
     r"module \(1\).*softmax only on the output layer"),
    (lambda nn: [nn.Linear(2, 3), nn.LeakyReLU(0.2)], r"module \(1\).*LeakyReLU"),
    (lambda nn: [nn.Conv1d(1, 1, 3)], r"module \(0\) of the Sequential, Conv1d"),
    (lambda nn: [nn.ReLU()], r"module \(0\) of the Sequential, ReLU"),
])
def test_from_torch_names_the_first_module_it_cannot_represent(modules, message):
    with pytest.raises(ValueError, match=message):
        nt.from_torch(torch.nn.Sequential(*modules(torch.nn)))


def test_bad_arguments():
    with pytest.raises(TypeError, match="expected a torch.nn.Sequential"):
        nt.from_torch(torch.nn.Linear(2, 1))
    with pytest.raises(TypeError, match="to_torch expected a NeuralNetwork"):
        nt.to_torch("net")
    with pytest.raises(ValueError, match="'output' parameter of to_torch"):
        nt.to_torch(nt.NeuralNetwork([2, 1], seed=0), output="logit")
    with pytest.raises(ValueError, match="already ends in sigmoid"):
        nt.from_torch(torch.nn.Sequential(torch.nn.Linear(2, 1), torch.nn.Sigmoid()),
                      output_activation="softmax")


def test_without_pytorch_neurotrace_imports_and_the_bridge_says_how_to_install_it():
    code = (
        "import sys; sys.modules['torch'] = None\n"        # makes `import torch` fail
        "import neurotrace as nt\n"
        "net = nt.NeuralNetwork([2, 1], seed=0)\n"
        "try:\n"
        "    nt.to_torch(net)\n"
        "except ImportError as error:\n"
        "    print(error)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert "needs PyTorch" in out and "pip install torch==2.13.0" in out
