"""The way to PyTorch and back: ``nt.to_torch(net)`` and ``nt.from_torch(module)``.

A neurotrace network is a stack of fully connected layers, each followed by
one activation, so it is exactly a ``torch.nn.Sequential`` of ``nn.Linear``
layers and activation modules. ``to_torch`` copies the weights (float64, the
same numbers); ``from_torch`` reads such a ``Sequential`` back. PyTorch is
where a student goes when a network outgrows one machine (GPUs, many
machines); neurotrace stays the place to see every number.

PyTorch is optional: this module imports it only inside its functions, and
says how to install it when it is missing.

Conventions
-----------
* ``nn.Linear`` keeps ``weight`` of shape ``(n_neurons, n_inputs)``; neurotrace
  keeps ``weights`` of shape ``(n_inputs, n_neurons)``. So ``linear.weight ==
  W.T`` and ``linear.bias == b``: row ``j`` of ``linear.weight`` is neuron
  ``L{l}.N{j}``'s weights.
* Softmax, as PyTorch users expect: ``nn.CrossEntropyLoss`` takes *logits* and
  applies log-softmax itself. So by default ``to_torch`` leaves a softmax output
  layer's softmax out (``output="logits"``); ``output="probabilities"`` appends
  ``nn.Softmax(dim=-1)`` and gives exactly ``net.forward``. ``from_torch`` reads a
  trailing ``nn.Softmax`` as a softmax output layer; for a model that ends in
  logits, say ``output_activation="softmax"``.
* The losses (:func:`torch_loss` makes each one):

  ============== ====================================== ===========================
  neurotrace     PyTorch                                model output it takes
  ============== ====================================== ===========================
  mse            ``nn.MSELoss()`` (mean of all squares)  the outputs
  sse            ``0.5 * nn.MSELoss(reduction="sum")``   the outputs
  bce            ``nn.BCELoss()``                        sigmoid outputs
  cross_entropy  ``nn.CrossEntropyLoss()`` (mean over    logits (``output="logits"``)
                 samples; one-hot or probability targets)
  ============== ====================================== ===========================

* Optimizers: neurotrace's SGD momentum ``v = m v - lr g; w += v`` and PyTorch's
  ``v = m v + g; w -= lr v`` are the same steps (neurotrace's ``v`` is ``-lr``
  times PyTorch's) while ``lr`` stays fixed; Adam is the same formula in both.
"""
import numpy as np

from .activations import LEAKY_SLOPE
from .network import NeuralNetwork
from .vectorized import VectorizedNetwork

__all__ = ["to_torch", "from_torch", "torch_loss", "INSTALL_HINT"]

INSTALL_HINT = (
    "The PyTorch bridge needs PyTorch, which is not installed. Install a CPU build, "
    "e.g. `pip install torch==2.13.0` where that version is available, or the command "
    "PyTorch's 'Get started' page gives for your system (a plain `pip install torch` on "
    "Linux downloads several GB of GPU libraries).")

OUTPUTS = ["logits", "probabilities"]
BACKENDS = ["neurons", "vectorized"]


def _torch():
    try:
        import torch
    except ImportError as error:
        raise ImportError(INSTALL_HINT) from error
    return torch


def _modules(nn):
    """neurotrace activation name -> the PyTorch module that computes it."""
    return {"sigmoid": nn.Sigmoid, "tanh": nn.Tanh, "relu": nn.ReLU,
            "leaky_relu": lambda: nn.LeakyReLU(LEAKY_SLOPE)}


def to_torch(network, *, output="logits"):
    """The same network as a ``torch.nn.Sequential`` of float64 ``Linear`` layers.

    Parameters
    ----------
    network : NeuralNetwork or VectorizedNetwork
        The network to copy (either backend, any dtype; the copy is float64).
    output : {"logits", "probabilities"}, default="logits"
        Only for a softmax output layer: ``"logits"`` leaves the softmax out, for
        ``nn.CrossEntropyLoss``; ``"probabilities"`` ends in ``nn.Softmax(dim=-1)``.

    Returns
    -------
    model : torch.nn.Sequential
        ``Linear(n_inputs, n_neurons)`` per layer (``weight`` = ``W.T`` of shape
        ``(n_neurons, n_inputs)``, ``bias`` = ``b`` of shape ``(n_neurons,)``), each
        followed by its activation module (none for ``identity``). The parameters are
        copies: training one does not change the other.

    Raises
    ------
    ImportError
        If PyTorch is not installed; the message says how to install a CPU build.
    TypeError
        If ``network`` is not a NeuralNetwork or VectorizedNetwork.
    ValueError
        If ``output`` is not one of the two, or a layer's activation has no PyTorch module.

    Examples
    --------
    >>> import numpy as np, neurotrace as nt
    >>> net = nt.NeuralNetwork([2, 3, 2], "tanh", output_activation="softmax", seed=0)
    >>> model = nt.to_torch(net)
    >>> model
    Sequential(
      (0): Linear(in_features=2, out_features=3, bias=True)
      (1): Tanh()
      (2): Linear(in_features=3, out_features=2, bias=True)
    )
    >>> import torch
    >>> X = np.array([[0.5, -1.0]])
    >>> p = torch.softmax(model(torch.from_numpy(X)), dim=-1)   # the logits' softmax
    >>> bool(np.allclose(p.detach().numpy(), net.forward(X), rtol=0, atol=1e-12))
    True
    """
    torch = _torch()
    nn = torch.nn
    if not isinstance(network, (NeuralNetwork, VectorizedNetwork)):
        raise TypeError(f"to_torch expected a NeuralNetwork or VectorizedNetwork, got "
                        f"{type(network).__name__}.")
    if output not in OUTPUTS:
        raise ValueError(f"The 'output' parameter of to_torch must be one of {OUTPUTS}. "
                         f"Got {output!r} instead.")
    modules, make = [], _modules(nn)
    for l, ((W, b), name) in enumerate(zip(network.parameters(), network.activation_names),
                                       start=1):
        linear = nn.Linear(W.shape[0], W.shape[1], dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(np.array(W.T, dtype=np.float64)))
            linear.bias.copy_(torch.from_numpy(np.array(b, dtype=np.float64)))
        modules.append(linear)
        if name == "softmax":
            if output == "probabilities":
                modules.append(nn.Softmax(dim=-1))
        elif name != "identity":
            if name not in make:
                raise ValueError(f"to_torch: layer L{l}'s activation {name!r} has no PyTorch "
                                 f"module; known: {sorted(make)}, identity and softmax.")
            modules.append(make[name]())
    return nn.Sequential(*modules)


def _activation_name(module, nn):
    """The neurotrace name of an activation module, or None when it is not one."""
    if isinstance(module, nn.Identity):
        return "identity"
    for name, kind in (("sigmoid", nn.Sigmoid), ("tanh", nn.Tanh), ("relu", nn.ReLU)):
        if type(module) is kind:
            return name
    if type(module) is nn.LeakyReLU and module.negative_slope == LEAKY_SLOPE:
        return "leaky_relu"
    if type(module) is nn.Softmax and module.dim in (-1, 1):
        return "softmax"
    return None


def from_torch(module, *, output_activation=None, backend="neurons"):
    """A neurotrace network with the weights of a ``torch.nn.Sequential``.

    The ``Sequential`` must be ``Linear`` layers (with bias), each followed by at
    most one of ``Identity``, ``Sigmoid``, ``Tanh``, ``ReLU``, ``LeakyReLU(0.01)``,
    and ``Softmax(dim=-1)`` after the last one only. Anything else raises a
    ValueError naming the first module it cannot represent.

    Parameters
    ----------
    module : torch.nn.Sequential
        ``Linear`` layers and activations, as above.
    output_activation : str, optional
        The output layer's activation when the model ends in raw outputs, e.g.
        ``"softmax"`` for a classifier that ends in logits (for ``nn.CrossEntropyLoss``).
    backend : {"neurons", "vectorized"}, default="neurons"
        Build a :class:`NeuralNetwork` or a :class:`VectorizedNetwork`.

    Returns
    -------
    network : NeuralNetwork or VectorizedNetwork
        float64; layer ``l``'s ``weights`` of shape ``(n_inputs, n_neurons)`` are the
        ``Linear``'s ``weight.T``.

    Raises
    ------
    ImportError
        If PyTorch is not installed.
    TypeError
        If ``module`` is not a ``torch.nn.Sequential``.
    ValueError
        If a module cannot be represented (the message names the first), there is
        no ``Linear`` layer, ``output_activation`` is given for a model that already
        ends in an activation, or ``backend`` is not one of the two.

    Examples
    --------
    >>> import torch, neurotrace as nt
    >>> model = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.ReLU(), torch.nn.Linear(3, 1))
    >>> nt.from_torch(model)
    NeuralNetwork([4, 3, 1], activation='relu', output_activation='identity')
    >>> nt.from_torch(torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.Dropout()))
    Traceback (most recent call last):
    ...
    ValueError: from_torch cannot represent module (1) of the Sequential, Dropout(p=0.5, ...
    """
    torch = _torch()
    nn = torch.nn
    if backend not in BACKENDS:
        raise ValueError(f"The 'backend' parameter of from_torch must be one of {BACKENDS}. "
                         f"Got {backend!r} instead.")
    if not isinstance(module, nn.Sequential):
        raise TypeError(f"from_torch expected a torch.nn.Sequential, got "
                        f"{type(module).__name__}. Put the layers in an nn.Sequential.")
    children = list(module.children())
    weights, biases, names = [], [], []

    def cannot(i, why=""):
        return ValueError(
            f"from_torch cannot represent module ({i}) of the Sequential, {children[i]}{why}: "
            f"neurotrace's layers are Linear (with bias), each followed by at most one of "
            f"Identity, Sigmoid, Tanh, ReLU, LeakyReLU(negative_slope={LEAKY_SLOPE}), and "
            f"Softmax(dim=-1) on the last layer.")

    for i, child in enumerate(children):
        if isinstance(child, nn.Linear) and type(child) is nn.Linear:
            if child.bias is None:
                raise cannot(i, " (no bias; every neurotrace neuron has one)")
            if weights and child.in_features != weights[-1].shape[1]:
                raise cannot(i, f" (it takes {child.in_features} inputs, but the layer before "
                                f"has {weights[-1].shape[1]} outputs)")
            if weights and names[-1] is None:
                names[-1] = "identity"              # Linear right after Linear
            weights.append(child.weight.detach().cpu().double().numpy().T.copy())
            biases.append(child.bias.detach().cpu().double().numpy().copy())
            names.append(None)
            continue
        name = _activation_name(child, nn)
        if name is None or not weights or names[-1] is not None:
            raise cannot(i)
        if name == "softmax" and i != len(children) - 1:
            raise cannot(i, " (softmax only on the output layer)")
        names[-1] = name
    if not weights:
        raise ValueError("from_torch: the Sequential has no Linear layer.")
    names = [name or "identity" for name in names]
    if output_activation is not None:
        if names[-1] != "identity":
            raise ValueError(f"from_torch: output_activation={output_activation!r}, but the "
                             f"model already ends in {names[-1]}.")
        names[-1] = output_activation
    Network = NeuralNetwork if backend == "neurons" else VectorizedNetwork
    return Network.from_weights(weights, biases, activation=names)


def torch_loss(loss):
    """The PyTorch loss equal to neurotrace's loss called ``loss``.

    Parameters
    ----------
    loss : {"mse", "sse", "bce", "cross_entropy"}
        The name of a built-in loss (:data:`neurotrace.losses.NAMES`).

    Returns
    -------
    loss_fn : callable
        ``loss_fn(output, target)`` with ``output`` and ``target`` tensors of shape
        ``(n_samples, n_outputs)``; for ``"cross_entropy"`` the output is the logits
        (the model of ``to_torch(net)``) and the target one-hot rows or probabilities.

    Raises
    ------
    ImportError
        If PyTorch is not installed.
    ValueError
        If ``loss`` is not one of the four names.

    Examples
    --------
    >>> import torch, neurotrace as nt
    >>> a, y = torch.tensor([[1.0, 2.0]]), torch.tensor([[0.0, 0.0]])
    >>> float(nt.torch_bridge.torch_loss("sse")(a, y))        # 1/2 (1 + 4)
    2.5
    """
    nn = _torch().nn
    if loss == "sse":
        mse_sum = nn.MSELoss(reduction="sum")
        return lambda output, target: 0.5 * mse_sum(output, target)
    losses = {"mse": nn.MSELoss, "bce": nn.BCELoss, "cross_entropy": nn.CrossEntropyLoss}
    if loss not in losses:
        raise ValueError(f"The 'loss' parameter of torch_loss must be one of "
                         f"{sorted(losses) + ['sse']}. Got {loss!r} instead.")
    return losses[loss]()
