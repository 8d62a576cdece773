"""Every public item has a numpydoc docstring: a summary, its parameters, what it returns, an example.

Public means: what a public module (no ``_`` in its dotted name) lists in
``__all__`` (or, for a module without ``__all__``, the functions and classes it
defines whose names do not start with ``_``), and the public methods and
properties of those classes, including the ones they inherit from the package's
own base classes (``NetworkBase.forward`` is what users call on both backends).

What is checked, for each item (``inspect.getdoc``, so an override without a
docstring inherits its base's):

- it has a docstring;
- if it takes parameters, a ``Parameters`` section names every one of them, and
  no parameter it does not take (a class documents its constructor's parameters
  in the class docstring);
- if it returns a value, a ``Returns`` section (``Yields`` for a generator or a
  context manager); properties say what they are in their summary instead;
- public functions and classes have an ``Examples`` section (the examples run as
  doctests: ``--doctest-modules`` in setup.cfg).

KNOWN_OFFENDERS lists what is still missing; it may only shrink.
"""
import ast
import importlib
import inspect
import pkgutil
import re
import textwrap

import neurotrace

#: ``"module.qualname: problem"`` entries not fixed yet. Only remove entries from this set.
KNOWN_OFFENDERS = set()

SECTION = re.compile(r"^(?P<name>[A-Z][A-Za-z ]+)\n-{3,}$", re.MULTILINE)
ENTRY = re.compile(r"^(?P<names>\*{0,2}\w+(?:\s*,\s*\*{0,2}\w+)*)\s*(?::.*)?$")


def public_modules():
    """The package and every submodule whose dotted name has no part starting with ``_``."""
    found = [neurotrace]
    for info in pkgutil.walk_packages(neurotrace.__path__, "neurotrace."):
        if not any(part.startswith("_") for part in info.name.split(".")):
            found.append(importlib.import_module(info.name))
    return found


def public_names(module):
    if hasattr(module, "__all__"):
        return list(module.__all__)
    return [name for name, obj in vars(module).items()
            if not name.startswith("_") and (inspect.isfunction(obj) or inspect.isclass(obj))
            and obj.__module__ == module.__name__]


def ours(obj):
    return (getattr(obj, "__module__", None) or "").split(".")[0] == "neurotrace"


def members(cls):
    """``{name: (defining class, attribute)}``: public methods and properties from the package's classes."""
    found = {}
    for klass in reversed(cls.__mro__):
        if not ours(klass):
            continue
        for name, attr in vars(klass).items():
            if name.startswith("_"):
                continue
            if isinstance(attr, (staticmethod, classmethod)):
                attr = attr.__func__
            if isinstance(attr, property) or inspect.isfunction(attr):
                found[name] = (klass, attr)
    return found


def public_items():
    """``{"module.qualname": (kind, object)}``; kind is function, class, method or property."""
    items = {}
    for module in public_modules():
        for name in public_names(module):
            obj = getattr(module, name)
            if inspect.ismodule(obj) or not ours(obj):
                continue
            if inspect.isclass(obj):
                items[f"{obj.__module__}.{obj.__qualname__}"] = ("class", obj)
                for member, (klass, attr) in members(obj).items():
                    kind = "property" if isinstance(attr, property) else "method"
                    items[f"{klass.__module__}.{klass.__qualname__}.{member}"] = (kind, attr)
            elif callable(obj):
                items[f"{obj.__module__}.{obj.__qualname__}"] = ("function", obj)
    return items


def parameters(kind, obj):
    """The names a caller passes: no ``self``/``cls``; a class's from its constructor."""
    if kind == "property":
        return []
    if kind == "class":
        init = next((k.__dict__[m] for k in obj.__mro__ if ours(k)
                     for m in ("__init__", "__new__") if m in k.__dict__), None)
        if init is None:
            return []
        if isinstance(init, staticmethod):
            init = init.__func__
        signature = inspect.signature(init)
    else:
        signature = inspect.signature(obj)
    names = [p.name for p in signature.parameters.values()]
    if kind in ("class", "method") and names and names[0] in ("self", "cls"):
        names = names[1:]
    return names


def sections(doc):
    """``{"Parameters": "body", ...}`` of a numpydoc docstring."""
    found, heads = {}, list(SECTION.finditer(doc))
    for head, after in zip(heads, heads[1:] + [None]):
        found[head["name"]] = doc[head.end():after.start() if after else len(doc)]
    return found


def documented(body):
    """The parameter names an numpydoc ``Parameters`` body lists (``x, y : float`` lists two)."""
    names = set()
    for line in body.splitlines():
        if line and not line[0].isspace():
            match = ENTRY.match(line.strip())
            if match:
                names.update(n.strip().lstrip("*") for n in match["names"].split(","))
    return names


def returns_and_yields(obj):
    """Whether the function's own body (not nested functions) returns a value, and whether it yields."""
    try:
        source = textwrap.dedent(inspect.getsource(inspect.unwrap(obj)))
    except (OSError, TypeError):
        return False, False
    function = ast.parse(source).body[0]
    returns = yields = False
    todo = list(function.body)
    while todo:
        node = todo.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        if isinstance(node, ast.Return) and node.value is not None \
                and not (isinstance(node.value, ast.Constant) and node.value.value is None):
            returns = True
        if isinstance(node, (ast.Yield, ast.YieldFrom)):
            yields = True
        todo.extend(ast.iter_child_nodes(node))
    return returns, yields


def problems(kind, obj):
    doc = inspect.getdoc(obj)
    if not doc:
        return ["no docstring"]
    found, parts = [], sections(doc)
    names = parameters(kind, obj)
    if names:
        if "Parameters" not in parts:
            found.append("no Parameters section")
        else:
            listed = documented(parts["Parameters"] + parts.get("Other Parameters", ""))
            missing = [n for n in names if n not in listed]
            if missing:
                found.append(f"Parameters does not list {', '.join(missing)}")
    if "Parameters" in parts:
        stale = sorted(documented(parts["Parameters"]) - set(names))
        if stale:
            found.append(f"Parameters lists {', '.join(stale)}, which it does not take")
    if kind in ("function", "method"):
        returns, yields = returns_and_yields(obj)
        if yields and "Yields" not in parts:
            found.append("no Yields section")
        elif returns and not yields and "Returns" not in parts:
            found.append("no Returns section")
    if kind in ("function", "class") and "Examples" not in parts:
        found.append("no Examples section")
    return found


def offenders():
    return {f"{name}: {problem}" for name, (kind, obj) in public_items().items()
            for problem in problems(kind, obj)}


def test_the_walk_finds_the_public_api():
    items = public_items()
    for name in ("neurotrace.network.NeuralNetwork", "neurotrace._base.NetworkBase.forward",
                 "neurotrace._base.NetworkBase.n_inputs", "neurotrace.tracer.trace",
                 "neurotrace.viz.graphs.network_graph", "neurotrace.datasets.xor"):
        assert name in items, name
    assert not any(name.split(".")[-1].startswith("_") for name in items)


def test_the_checker_catches_what_is_missing():
    def bare(x, lr=0.1):
        return x * lr

    def partial(x, lr=0.1):
        """A product.

        Parameters
        ----------
        x : ndarray of shape (n_samples,)
            The inputs.

        Examples
        --------
        >>> partial(1.0)
        0.1
        """
        return x * lr

    def complete(x, y, *, lr=0.1):
        """A product.

        Parameters
        ----------
        x, y : float
            The factors.
        lr : float, default=0.1
            The step.

        Returns
        -------
        product : float

        Examples
        --------
        >>> complete(1.0, 2.0)
        0.2
        """
        return x * y * lr

    assert problems("function", bare) == ["no docstring"]
    assert problems("function", partial) == ["Parameters does not list lr", "no Returns section"]
    assert problems("function", complete) == []

    def stale(x):
        """The identity.

        Parameters
        ----------
        x : float
        lr : float, default=0.1

        Returns
        -------
        x : float

        Examples
        --------
        >>> stale(1.0)
        1.0
        """
        return x

    assert problems("function", stale) == ["Parameters lists lr, which it does not take"]


def test_every_public_item_is_documented():
    found = offenders()
    new = sorted(found - KNOWN_OFFENDERS)
    assert not new, (f"{len(new)} public items lack numpydoc parts (summary, Parameters, Returns, "
                     "Examples; see tests/test_docstrings.py):\n" + "\n".join(new))


def test_the_known_offenders_only_shrink():
    fixed = sorted(KNOWN_OFFENDERS - offenders())
    assert not fixed, ("Fixed, so remove from KNOWN_OFFENDERS in tests/test_docstrings.py:\n"
                       + "\n".join(fixed))
