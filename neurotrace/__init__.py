"""neurotrace: neurons that own their weights, and a tracer that shows every number of backprop.

>>> import numpy as np, neurotrace as nt
>>> net = nt.NeuralNetwork([2, 4, 1], activation="sigmoid", seed=0)
>>> net.forward(np.array([0.0, 1.0])).shape
(1,)
"""
from . import activations, losses
from .activations import Activation
from .gradcheck import gradcheck, numerical_gradients
from .layer import Layer, VectorizedNetwork
from .losses import Loss
from .network import NeuralNetwork
from .neuron import Neuron

__version__ = "0.1.0"

__all__ = [
    "Activation", "Layer", "Loss", "NeuralNetwork", "Neuron", "VectorizedNetwork",
    "activations", "gradcheck", "losses", "numerical_gradients",
]
