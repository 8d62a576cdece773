"""Every notebook in tutorials/ runs top to bottom without an error (with CI=1: fewer epochs).

The notebooks check their own numbers with assertions, so a wrong number fails here
as a cell error. They run in a fresh kernel of *this* Python (the venv's), with the
working directory in a temporary folder, so nothing is written into the repository.
"""
import os
import sys
from pathlib import Path

import ipykernel.kernelspec
import nbclient
import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager

ROOT = Path(__file__).resolve().parent.parent
TUTORIALS = sorted((ROOT / "tutorials").glob("*.ipynb"))

# Messages on stderr that are not the tutorials' fault. tqdm.auto (imported by
# neurotrace.training) warns in a kernel without ipywidgets, which is not a dependency.
KNOWN_STDERR = []


def test_the_tutorials_are_there():
    names = [p.name for p in TUTORIALS]
    assert "01_one_neuron.ipynb" in names and "02_xor_traced.ipynb" in names, names


@pytest.mark.parametrize("path", TUTORIALS, ids=[p.stem for p in TUTORIALS])
def test_notebook_is_stored_without_outputs(path):
    nb = nbformat.read(str(path), as_version=4)
    nbformat.validate(nb)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, \
                f"{path.name}: cell {i} has stored outputs; clear them before committing"


@pytest.fixture(scope="module")
def kernel(tmp_path_factory):
    """The kernelspec ``python3``, made to run this interpreter, in a sandboxed environment.

    A ``python3`` kernelspec elsewhere (e.g. the user's ``~/.local/share/jupyter``) could
    start another Python without neurotrace. So one is installed into a temporary prefix
    and put first on ``JUPYTER_PATH``. The kernel inherits ``CI=1`` (short training runs),
    the repository on ``PYTHONPATH`` (the code under test), and its own IPython directory.
    """
    prefix = tmp_path_factory.mktemp("jupyter")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("JUPYTER_PATH", str(prefix / "share" / "jupyter"))
        ipykernel.kernelspec.install(prefix=str(prefix), kernel_name="python3")
        mp.setenv("CI", "1")
        mp.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(ROOT),
                                                              os.environ.get("PYTHONPATH")])))
        mp.setenv("IPYTHONDIR", str(tmp_path_factory.mktemp("ipython")))
        mp.delenv("MPLBACKEND", raising=False)        # the kernel's inline backend draws
        spec = KernelSpecManager().get_kernel_spec("python3")
        assert spec.argv[0] == sys.executable, \
            f"kernel python3 would run {spec.argv[0]}, not {sys.executable}"
        yield "python3"


@pytest.mark.parametrize("path", TUTORIALS, ids=[p.stem for p in TUTORIALS])
def test_notebook_runs(path, kernel, tmp_path):
    nb = nbformat.read(str(path), as_version=4)
    client = nbclient.NotebookClient(nb, timeout=120, kernel_name=kernel,
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()                     # raises CellExecutionError on the first failing cell
    stderr = [(i, out.text) for i, cell in enumerate(nb.cells) if cell.cell_type == "code"
              for out in cell.outputs if out.get("name") == "stderr"]
    stderr = [(i, text) for i, text in stderr if not any(known in text for known in KNOWN_STDERR)]
    assert not stderr, f"{path.name} wrote to stderr (a warning?): {stderr}"
    assert list(tmp_path.iterdir()) == [], "a notebook left files behind"
