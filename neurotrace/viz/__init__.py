"""Pictures of a trace: Graphviz graphs (one neuron, the network) and matplotlib plots.

Only this package imports graphviz and matplotlib; the math and the engine never do,
and ``import neurotrace`` does not import this package until ``nt.viz`` is used.
matplotlib is imported lazily, inside the plot functions.

>>> import neurotrace as nt
>>> g = nt.viz.network_graph(nt.NeuralNetwork([2, 2, 1], seed=0))
>>> import graphviz
>>> isinstance(g, graphviz.Digraph)
True
"""
from .graphs import (INSTALL_HINT, Digraph, GraphvizNotFound, GraphvizWarning, have_dot,
                     network_graph, neuron_graph, render)
from .plots import (activations_plot, compare_plot, contributions_plot, decision_boundary,
                    gradient_norms, loss_curve, loss_slice, save_figure, surface_comparison,
                    weight_trajectories)

__all__ = [
    "Digraph", "GraphvizNotFound", "GraphvizWarning", "INSTALL_HINT",
    "activations_plot", "decision_boundary", "gradient_norms", "have_dot", "loss_curve",
    "loss_slice", "network_graph", "neuron_graph", "render", "save_figure",
    "surface_comparison", "weight_trajectories", "compare_plot", "contributions_plot",
]
