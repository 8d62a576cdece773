"""neurotrace: neurons that own their weights, and a tracer that shows every number of backprop.

>>> import numpy as np, neurotrace as nt
>>> net = nt.NeuralNetwork([2, 4, 1], activation="sigmoid", seed=0)
>>> net.forward(np.array([0.0, 1.0])).shape
(1,)
"""
from . import activations, datasets, losses
from .activations import Activation
from .gradcheck import gradcheck, numerical_gradients
from .io import load
from .layer import Layer, VectorizedNetwork
from .losses import Loss
from .network import NeuralNetwork
from .neuron import Neuron
from .trace_data import Step, Trace
from .tracer import trace
from . import viz  # noqa: E402  (pictures; the engine never imports it)
from .optimizers import SGD, Adam, Optimizer
from .training import History, TrainingDiverged, accuracy, fit
from . import exercises  # noqa: E402  (the tutorials' "your turn" checks)
from .torch_bridge import from_torch, to_torch  # PyTorch itself is imported on first use

__version__ = "0.1.0"

__all__ = [
    "Activation", "Adam", "History", "Layer", "Loss", "NeuralNetwork", "Neuron", "Optimizer",
    "SGD", "Step", "Trace", "TrainingDiverged", "VectorizedNetwork",
    "accuracy", "activations", "datasets", "exercises", "fit", "from_torch", "gradcheck",
    "losses", "load", "numerical_gradients", "to_torch", "trace", "viz",
]


def __getattr__(name):
    # scikit-learn takes a second to import, so ``nt.estimators`` loads it on first use.
    if name == "estimators":
        import importlib
        return importlib.import_module(".estimators", __name__)
    raise AttributeError(f"module 'neurotrace' has no attribute {name!r}")
