"""The names of a network's nodes, made and read in one place.

Inputs are ``x0, x1, ...``; neuron ``j`` of layer ``l`` is ``L{l}.N{j}``, with ``l = 1``
the first hidden layer and ``l = L`` the output layer; layer ``l`` itself is ``L{l}``;
the loss is ``loss``. Every picture, trace query and error message uses these names.
Internally layers and neurons are counted from 0: :func:`neuron` takes the 0-based
layer index and :func:`parse_neuron` gives it back.

>>> neuron(0, 2)
'L1.N2'
>>> parse_neuron("L1.N2", [2, 3, 1])
(0, 2)
>>> predecessors([2, 3, 1], 1)
['L1.N0', 'L1.N1', 'L1.N2']
"""
import difflib

__all__ = ["LOSS", "input_name", "neuron", "layer", "layer_names", "neuron_names",
           "predecessors", "parse_neuron", "parse_layer", "parse_node", "closest"]

LOSS = "loss"


def input_name(i):
    """The name of input ``i``: ``"x0"``, ``"x1"``, ...

    Parameters
    ----------
    i : int
        0-based index of the input.

    Returns
    -------
    name : str

    Examples
    --------
    >>> input_name(0), input_name(3)
    ('x0', 'x3')
    """
    return f"x{i}"


def neuron(l, j):
    """The name of neuron ``j`` of the layer with 0-based index ``l``: ``"L{l+1}.N{j}"``.

    Parameters
    ----------
    l : int
        0-based layer index (0 is the first hidden layer, ``L1``).
    j : int
        0-based index of the neuron within its layer.

    Returns
    -------
    name : str

    Examples
    --------
    >>> neuron(0, 0), neuron(1, 2)
    ('L1.N0', 'L2.N2')
    """
    return f"L{l + 1}.N{j}"


def layer(l):
    """The name of the layer with 0-based index ``l``: ``"L{l+1}"``.

    Parameters
    ----------
    l : int
        0-based layer index.

    Returns
    -------
    name : str

    Examples
    --------
    >>> layer(0)
    'L1'
    """
    return f"L{l + 1}"


def layer_names(sizes):
    """``["L1", "L2", ...]`` for a network of layer sizes ``sizes`` (inputs first).

    Parameters
    ----------
    sizes : list of int
        ``[n_inputs, n_neurons_1, ..., n_outputs]``.

    Returns
    -------
    names : list of str
        One name per layer of neurons (the inputs are not a layer).

    Examples
    --------
    >>> layer_names([2, 3, 1])
    ['L1', 'L2']
    """
    return [layer(l) for l in range(len(sizes) - 1)]


def neuron_names(sizes):
    """``[["L1.N0", ...], ["L2.N0", ...], ...]``: one list per layer.

    Parameters
    ----------
    sizes : list of int
        ``[n_inputs, n_neurons_1, ..., n_outputs]``.

    Returns
    -------
    names : list of list of str
        ``names[l][j]`` is neuron ``j`` of the layer with 0-based index ``l``.

    Examples
    --------
    >>> neuron_names([2, 3, 1])
    [['L1.N0', 'L1.N1', 'L1.N2'], ['L2.N0']]
    """
    return [[neuron(l, j) for j in range(n)] for l, n in enumerate(sizes[1:])]


def predecessors(sizes, l):
    """The names of the nodes that feed layer ``l`` (0-based): inputs or the layer before.

    Parameters
    ----------
    sizes : list of int
        ``[n_inputs, n_neurons_1, ..., n_outputs]``.
    l : int
        0-based layer index.

    Returns
    -------
    names : list of str
        ``["x0", "x1", ...]`` for ``l = 0``, else the neurons of layer ``l - 1``.

    Examples
    --------
    >>> predecessors([2, 3, 1], 0)
    ['x0', 'x1']
    >>> predecessors([2, 3, 1], 1)
    ['L1.N0', 'L1.N1', 'L1.N2']
    """
    if l == 0:
        return [input_name(i) for i in range(sizes[0])]
    return [neuron(l - 1, j) for j in range(sizes[l])]


def _layout(sizes):
    return ", ".join(f"{layer(l)} has N0..N{n - 1}" for l, n in enumerate(sizes[1:]))


def parse_neuron(name, sizes):
    """``"L2.N1"`` -> ``(1, 1)``: the 0-based layer and neuron indices, checked against ``sizes``.

    Parameters
    ----------
    name : str
        A neuron's name, ``"L{l}.N{j}"``.
    sizes : list of int
        ``[n_inputs, n_neurons_1, ..., n_outputs]`` of the network the name belongs to.

    Returns
    -------
    l, j : int
        0-based layer index and neuron index.

    Raises
    ------
    KeyError
        When ``name`` is not a neuron of that network; the message lists the neurons.

    Examples
    --------
    >>> parse_neuron("L2.N0", [2, 3, 1])
    (1, 0)
    >>> parse_neuron("L2.N3", [2, 3, 1])
    Traceback (most recent call last):
    ...
    KeyError: "No neuron 'L2.N3' in this network: L1 has N0..N2, L2 has N0..N0."
    """
    try:
        layer_part, neuron_part = name.split(".")
        if layer_part[0] != "L" or neuron_part[0] != "N":
            raise ValueError
        l, j = int(layer_part[1:]) - 1, int(neuron_part[1:])
        if not 0 <= l < len(sizes) - 1 or not 0 <= j < sizes[l + 1]:
            raise ValueError
    except (ValueError, AttributeError, IndexError, TypeError):
        raise KeyError(f"No neuron {name!r} in this network: {_layout(sizes)}.") from None
    return l, j


def parse_layer(name, n_layers):
    """``"L2"`` -> ``1``: the 0-based index of a layer, checked against ``n_layers``.

    Parameters
    ----------
    name : str
        A layer's name, ``"L{l}"``.
    n_layers : int
        How many layers the network has.

    Returns
    -------
    l : int
        0-based layer index.

    Raises
    ------
    KeyError
        When ``name`` is not a layer of that network.

    Examples
    --------
    >>> parse_layer("L2", 2)
    1
    >>> parse_layer("L3", 2)
    Traceback (most recent call last):
    ...
    KeyError: "No layer 'L3': this network has layers L1..L2."
    """
    try:
        if name[0] != "L":
            raise ValueError
        l = int(name[1:]) - 1
        if not 0 <= l < n_layers:
            raise ValueError
    except (ValueError, TypeError, IndexError):
        raise KeyError(f"No layer {name!r}: this network has layers L1..L{n_layers}.") from None
    return l


def parse_node(name, sizes):
    """What a node name refers to: ``("input", i)``, ``("neuron", l, j)`` or ``("loss",)``.

    Parameters
    ----------
    name : str
        ``"x{i}"``, ``"L{l}.N{j}"`` or ``"loss"``.
    sizes : list of int
        ``[n_inputs, n_neurons_1, ..., n_outputs]``.

    Returns
    -------
    node : tuple
        The kind of node and its 0-based indices.

    Raises
    ------
    KeyError
        When no node of that network has this name.

    Examples
    --------
    >>> parse_node("x1", [2, 1]), parse_node("L1.N0", [2, 1]), parse_node("loss", [2, 1])
    (('input', 1), ('neuron', 0, 0), ('loss',))
    """
    if name == LOSS:
        return (LOSS,)
    if isinstance(name, str) and name[:1] == "x" and name[1:].isdigit():
        i = int(name[1:])
        if i < sizes[0]:
            return ("input", i)
        raise KeyError(f"No input {name!r}: this network has inputs x0..x{sizes[0] - 1}.")
    return ("neuron",) + parse_neuron(name, sizes)


def closest(name, choices):
    """The valid name closest to ``name`` (``"ReLU"`` -> ``"relu"``), or None.

    Parameters
    ----------
    name : str
        What the user wrote.
    choices : iterable of str
        The valid names.

    Returns
    -------
    match : str or None

    Examples
    --------
    >>> closest("sigmod", ["sigmoid", "tanh", "relu"])
    'sigmoid'
    """
    choices = list(choices)
    if not isinstance(name, str):
        return None
    lowered = {c.lower(): c for c in choices}
    if name.lower() in lowered:
        return lowered[name.lower()]
    match = difflib.get_close_matches(name.lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[match[0]] if match else None
