"""The viewer: step through a recorded trace in a browser or in Jupyter.

``t.to_html("run.html")`` (or ``neurotrace view run.trace.npz -o run.html``)
writes one self-contained HTML file: the trace's numbers embedded as JSON,
plain JavaScript and inline SVG, no library, no network access, no server and
no Graphviz; it works opened straight from disk. ``t.show()`` shows the same
page inside Jupyter.

Why an ``<iframe srcdoc=...>`` in Jupyter: JupyterLab, Notebook 7 and VS Code
all display an HTML output with an iframe in it, and the page inside runs its
own script with its own styles, isolated from the notebook's, with nothing to
install (no extension, no widget manager, no running kernel when the notebook
is opened later). A widget (anywidget) would need its JavaScript served by a
kernel connection and shows nothing in a saved notebook.
"""
import html as _html
import os
import tempfile
from pathlib import Path

from .._files import atomic_write
from .build import DEFAULT_MAX_BYTES, DEFAULT_MAX_STEPS, page

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_STEPS",
    "NOTEBOOK_MAX_BYTES",
    "Viewer",
    "page",
    "show",
    "to_html",
]

NOTEBOOK_MAX_BYTES = 2 * 2 ** 20     # the notebook keeps the page in its output: smaller


def to_html(t, path, **options):
    """Write the viewer page of trace ``t`` to ``path`` (atomically) and return the path.

    Parameters
    ----------
    t : Trace
    path : str or Path
        Where to write, e.g. ``"run.html"``.
    **options
        ``steps``, ``max_steps``, ``max_bytes``, ``max_explain``, ``title``: see
        :func:`page`.

    Returns
    -------
    Path

    Examples
    --------
    >>> import os, tempfile, neurotrace as nt
    >>> X, Y = nt.datasets.xor()
    >>> net = nt.NeuralNetwork([2, 2, 1], seed=0)
    >>> with nt.trace(net) as t:
    ...     _ = nt.fit(net, X, Y, loss="sse", epochs=1, batch_size=1, progress=False)
    >>> path = nt.viewer.to_html(t, os.path.join(tempfile.mkdtemp(), "run.html"))
    >>> path.read_text(encoding="utf-8").count("data-control=") >= 6
    True
    """
    text = page(t, **options)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written next to the target, then renamed: a reader never sees half a file.
    atomic_write(path, lambda f: f.write(text), binary=False)
    return path


class Viewer:
    """The viewer page of a trace, shown inline by Jupyter (an iframe with ``srcdoc``).

    Parameters
    ----------
    t : Trace
    height : int, default=760
        The iframe's height in pixels.
    **options
        ``steps``, ``max_steps``, ``max_bytes``, ``max_explain``, ``title``: see
        :func:`page`; ``max_bytes`` defaults to 2 MiB here, because a notebook keeps
        the page in its output.

    Examples
    --------
    >>> import neurotrace as nt
    >>> X, Y = nt.datasets.xor()
    >>> net = nt.NeuralNetwork([2, 2, 1], seed=0)
    >>> with nt.trace(net) as t:
    ...     _ = nt.fit(net, X, Y, loss="sse", epochs=1, batch_size=1, progress=False)
    >>> nt.viewer.Viewer(t)._repr_html_().startswith("<iframe srcdoc=")
    True
    """

    def __init__(self, t, height=760, **options):
        options.setdefault("max_bytes", NOTEBOOK_MAX_BYTES)
        self.html = page(t, **options)
        self.height = height

    def save(self, path):
        """Write the page to ``path`` (atomically: a failed write leaves the old file as it was).

        Parameters
        ----------
        path : str or Path

        Returns
        -------
        Path
        """
        path = Path(path)
        atomic_write(path, lambda f: f.write(self.html), binary=False)
        return path

    def _repr_html_(self):
        # srcdoc holds the whole page, escaped as an attribute value.
        return (f'<iframe srcdoc="{_html.escape(self.html, quote=True)}" '
                f'style="width:100%;height:{int(self.height)}px;border:1px solid #ddd" '
                f'sandbox="allow-scripts" title="neurotrace viewer"></iframe>')

    def __repr__(self):
        return f"<neurotrace Viewer, {len(self.html) / 2**20:.2f} MiB page>"


def show(t, **options):
    """Show the viewer inline in Jupyter; outside Jupyter, write a temporary file and open it.

    Parameters
    ----------
    t : Trace
    **options
        ``height`` and the options of :class:`Viewer`.

    Returns
    -------
    None or Path
        None in Jupyter (the page is displayed), else the path of the file written
        and opened in the system's web browser.

    Examples
    --------
    >>> t.show()          # in a notebook: the viewer, inline  # doctest: +SKIP
    """
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:
        get_ipython = None
    if get_ipython is not None and get_ipython() is not None:
        display(Viewer(t, **options))
        return None
    import webbrowser
    fd, name = tempfile.mkstemp(prefix="neurotrace-", suffix=".html")
    os.close(fd)
    path = to_html(t, name, **{k: v for k, v in options.items() if k != "height"})
    webbrowser.open(path.as_uri())
    return path
