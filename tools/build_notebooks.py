"""Build the tutorials: each ``tutorials/src/NN_slug.py`` becomes ``tutorials/NN_slug.ipynb``.

The sources are Jupytext "percent" scripts (``# %%`` starts a code cell, ``# %% [markdown]``
a text cell); ``tutorials/README.md`` says why. A build turns a source into a notebook,
executes it top to bottom in a fresh kernel of this Python and stores the outputs, so the
repository shows every number and picture without running anything::

    python tools/build_notebooks.py            # every notebook
    python tools/build_notebooks.py 03 05      # the notebooks whose names contain 03 or 05

The same functions run the notebooks in ``tests/test_tutorials.py``, which checks that the
stored outputs are what a fresh run gives. To make that possible the outputs are made
reproducible: pictures are SVG with fixed ids and no date, cell ids come from the cell's
position, and the execution metadata (timings) is not stored.
"""
import contextlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import jupytext
import nbclient
import nbformat

ROOT = Path(__file__).resolve().parent.parent
TUTORIALS = ROOT / "tutorials"
SOURCES = TUTORIALS / "src"
SOLUTIONS = TUTORIALS / "solutions"

KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}

# Read by the kernel (IPython's profile): pictures as SVG with text kept as text (small
# files), ids that do not change between runs.
KERNEL_CONFIG = """\
c.InlineBackend.figure_formats = {"svg"}
c.InlineBackend.rc = {"svg.hashsalt": "neurotrace", "svg.fonttype": "none",
                      "figure.dpi": 72, "figure.figsize": (6.0, 4.0)}
"""


def same_numbers_everywhere():
    """Environment variables that make numpy and OpenBLAS compute alike on every x86-64 CPU.

    Both pick their kernels for the CPU they run on (OpenBLAS's matrix products, numpy's
    AVX-512 loops for exp, sums, ...), and another kernel adds in another order: a printed
    last digit differs, and a long training drifts further. The notebooks are built and
    tested on the AVX2 kernels (every x86-64 server CPU since about 2015 has AVX2), one
    OpenBLAS thread, so their stored outputs are what a fresh run gives on any of them.
    Elsewhere (e.g. ARM) nothing is pinned.
    """
    import platform
    if platform.machine().lower() not in ("x86_64", "amd64"):
        return {}
    try:
        from numpy._core._multiarray_umath import __cpu_dispatch__
    except ImportError:                                  # numpy 1.x
        from numpy.core._multiarray_umath import __cpu_dispatch__
    above_avx2 = [f for f in __cpu_dispatch__ if f.startswith("AVX512") or f == "X86_V4"]
    return {"OPENBLAS_CORETYPE": "Haswell", "OPENBLAS_NUM_THREADS": "1",
            "NPY_DISABLE_CPU_FEATURES": " ".join(above_avx2)}


# Tags a source cell may carry (``# %% tags=["skip-compare"]``):
#   exercise      a "your turn" cell; the tests replace it with its solution
#   skip-compare  its output legitimately changes from run to run (a timing), or with CI=1
TAG_EXERCISE = "exercise"
TAG_SKIP_COMPARE = "skip-compare"


def sources(patterns=()):
    """The tutorial sources, in order; only those whose name contains one of ``patterns``."""
    paths = sorted(SOURCES.glob("[0-9][0-9]_*.py"))
    if patterns:
        paths = [p for p in paths if any(pat in p.stem for pat in patterns)]
    return paths


def notebook_path(source):
    """Where the notebook built from ``source`` is stored."""
    return TUTORIALS / (Path(source).stem + ".ipynb")


def read_source(source):
    """The notebook a source describes, without outputs, with cell ids ``nbNN-00``, ``nbNN-01``, ..."""
    nb = jupytext.read(str(source), fmt="py:percent")
    nb.metadata = {"kernelspec": KERNELSPEC, "language_info": {"name": "python"}}
    prefix = Path(source).stem.split("_")[0]
    for i, cell in enumerate(nb.cells):
        cell.id = f"nb{prefix}-{i:02d}"
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        cell.metadata = {"tags": list(cell.metadata["tags"])} if cell.metadata.get("tags") else {}
    nbformat.validate(nb)
    return nb


def picture_tools():
    """The versions that decide the bytes of a picture: matplotlib's and Graphviz's ``dot``."""
    import matplotlib
    try:
        dot = subprocess.run(["dot", "-V"], capture_output=True, text=True, check=False).stderr.strip()
    except OSError:
        dot = "not installed"
    return {"matplotlib": matplotlib.__version__, "graphviz": dot}


@contextlib.contextmanager
def kernel_environment(ci):
    """Environment variables and a kernelspec under which the notebooks run.

    The kernelspec ``python3`` is installed into a temporary folder put first on
    ``JUPYTER_PATH``, so the kernel runs *this* interpreter (not a ``python3`` found
    elsewhere on the machine). ``CI`` is set or unset (lessons may train less with it);
    ``SOURCE_DATE_EPOCH`` keeps dates out of pictures; :func:`same_numbers_everywhere`
    pins the CPU kernels.
    """
    import ipykernel.kernelspec
    from jupyter_client.kernelspec import KernelSpecManager

    saved = dict(os.environ)
    with tempfile.TemporaryDirectory(prefix="neurotrace-kernel-") as tmp:
        tmp = Path(tmp)
        profile = tmp / "ipython" / "profile_default"
        profile.mkdir(parents=True)
        (profile / "ipython_kernel_config.py").write_text(KERNEL_CONFIG)
        try:
            os.environ["JUPYTER_PATH"] = str(tmp / "share" / "jupyter")
            ipykernel.kernelspec.install(prefix=str(tmp), kernel_name="python3")
            os.environ["IPYTHONDIR"] = str(tmp / "ipython")
            os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), saved.get("PYTHONPATH")]))
            os.environ["SOURCE_DATE_EPOCH"] = "0"
            os.environ.update(same_numbers_everywhere())
            os.environ.pop("MPLBACKEND", None)            # the kernel's inline backend draws
            if ci:
                os.environ["CI"] = "1"
            else:
                os.environ.pop("CI", None)
            spec = KernelSpecManager().get_kernel_spec("python3")
            if spec.argv[0] != sys.executable:
                raise RuntimeError(f"kernel python3 would run {spec.argv[0]}, not {sys.executable}")
            yield "python3"
        finally:
            os.environ.clear()
            os.environ.update(saved)


def execute(nb, kernel_name, workdir, timeout=300):
    """Run every cell of ``nb`` in place, in a fresh kernel started in ``workdir``."""
    client = nbclient.NotebookClient(nb, timeout=timeout, kernel_name=kernel_name,
                                     resources={"metadata": {"path": str(workdir)}})
    client.execute()                     # raises CellExecutionError at the first failing cell
    for cell in nb.cells:
        cell.metadata.pop("execution", None)             # timings: different on every run
        if cell.cell_type == "code":
            cell.outputs = _join_streams(cell.outputs)
    return nb


def _join_streams(outputs):
    """One output per run of stdout (or stderr) text: how it was split into pieces varies."""
    joined = []
    for out in outputs:
        if (out.output_type == "stream" and joined and joined[-1].output_type == "stream"
                and joined[-1].name == out.name):
            joined[-1].text += out.text
        else:
            joined.append(out)
    return joined


def build(source, kernel_name):
    """Build one notebook from its source, execute it, store it; return its path."""
    nb = read_source(source)
    with tempfile.TemporaryDirectory(prefix="neurotrace-nb-") as workdir:
        execute(nb, kernel_name, workdir)
    nb.metadata["neurotrace"] = {"built_with": picture_tools()}
    nbformat.validate(nb)
    path = notebook_path(source)
    tmp = path.with_suffix(".ipynb.tmp")
    nbformat.write(nb, str(tmp))
    os.replace(tmp, path)                                # atomic: never half a notebook
    return path


def main(argv=None):
    patterns = sys.argv[1:] if argv is None else argv
    paths = sources(patterns)
    if not paths:
        raise SystemExit(f"no tutorial source in {SOURCES} matches {patterns}")
    with kernel_environment(ci=False) as kernel_name:
        for source in paths:
            print(f"building {notebook_path(source).relative_to(ROOT)} ...", flush=True)
            build(source, kernel_name)


if __name__ == "__main__":
    main()
