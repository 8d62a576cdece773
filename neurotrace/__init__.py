"""neurotrace: neurons that own their weights, and a tracer that shows every number of backprop.

>>> import numpy as np, neurotrace as nt
>>> net = nt.NeuralNetwork([2, 4, 1], activation="sigmoid", seed=0)
>>> net.forward(np.array([0.0, 1.0])).shape
(1,)

The package in layers, each using only the ones below it (``docs/architecture.md``):
math (activations, losses, init, names), engine (Neuron, NeuralNetwork, Layer,
VectorizedNetwork), training (optimizers, fit), tracing (trace, Trace, explain, io),
pictures (viz: imported on first use, so ``import neurotrace`` needs neither
graphviz nor matplotlib), and on top the exercises, the estimators and the PyTorch bridge.
"""
import importlib
from importlib.metadata import PackageNotFoundError, version

from . import activations, datasets, exercises, losses, names, viewer
from ._files import NeurotraceFileError
from .activations import Activation
from .datasets import DatasetUnavailableError
from .gradcheck import gradcheck, numerical_gradients
from .io import load, save
from .layer import Layer
from .losses import Loss
from .network import NeuralNetwork
from .neuron import Neuron
from .optimizers import SGD, Adam, Optimizer
from .torch_bridge import from_torch, to_torch  # PyTorch itself is imported on first use
from .trace_data import Step, Trace
from .events import Event
from .stepping import NotYetComputed, step_through
from .compare import compare
from .diagnose import diagnose
from .tracer import trace
from .training import History, NeurotraceWarning, TrainingDiverged, accuracy, fit
from .vectorized import VectorizedNetwork

try:
    __version__ = version("neurotrace")      # written once, in setup.cfg
except PackageNotFoundError:                 # running from a source tree that is not installed
    __version__ = "0+unknown"

__all__ = [
    "Activation", "Adam", "DatasetUnavailableError", "History", "Layer", "Loss",
    "NeuralNetwork", "NeurotraceFileError", "Neuron", "Optimizer", "SGD", "Step", "Trace",
    "TrainingDiverged", "VectorizedNetwork",
    "accuracy", "activations", "datasets", "exercises", "fit", "from_torch", "gradcheck",
    "load", "losses", "names", "numerical_gradients", "save", "to_torch", "trace", "viewer", "viz",
    "Event", "NotYetComputed", "step_through",   # stepping through one step
    "NeurotraceWarning", "compare", "diagnose",
]

#: Imported on first use: viz needs graphviz and matplotlib, estimators scikit-learn's
#: estimator machinery (a second to import).
_ON_FIRST_USE = ("viz", "estimators")


def __getattr__(name):
    """``nt.viz`` and ``nt.estimators`` are imported the first time they are used."""
    if name in _ON_FIRST_USE:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'neurotrace' has no attribute {name!r}")
