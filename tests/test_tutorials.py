"""The tutorials: built from their sources, executed top to bottom, outputs as stored.

Each ``tutorials/src/NN_slug.py`` (Jupytext percent format) is built into
``tutorials/NN_slug.ipynb`` by ``make notebooks`` (``tools/build_notebooks.py``), which
stores the outputs. Here every notebook is built from its source again and executed once,
in a fresh kernel of this Python, with ``CI=1`` (lessons may train less) and with two
additions:

* every "your turn" cell (tag ``exercise``) is replaced by its solution from
  ``tutorials/solutions/NN_slug.py``, and its check must say "right";
* the cells of ``tests/notebook_checks/NN_slug.py`` run after the last cell, in the same
  kernel: they assert the lesson's numbers (the material's printed values, agreement with
  finite differences, ...) on the notebook's own variables, so the lesson's text carries
  no bare asserts.

Then the outputs of every cell must equal the stored ones, except exercise cells (they
ran the solution) and cells tagged ``skip-compare`` (their output legitimately changes:
a timing, or training shortened by ``CI``). Printed numbers may differ in their last
digits (to 1e-9 relative: another CPU's matrix-product kernels add in another order, see
:func:`same_text`). Pictures are compared byte for byte when the
stored notebook was built with the same matplotlib and Graphviz as this run, and only by
kind otherwise (another version draws the same figure with other bytes).
"""
import importlib.util
import math
import re
from pathlib import Path

import jupytext
import nbclient
import nbformat
import pytest

import neurotrace as nt

ROOT = Path(__file__).resolve().parent.parent
CHECKS = ROOT / "tests" / "notebook_checks"

_spec = importlib.util.spec_from_file_location("build_notebooks", ROOT / "tools" / "build_notebooks.py")
build = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build)

SOURCES = build.sources()
IDS = [p.stem for p in SOURCES]
CHECK_CALL = re.compile(r"""nt\.exercises\.check\(\s*["'](\d\d\.\d+)["']""")
PICTURES = ("image/svg+xml", "image/png", "image/jpeg")
ADDRESS = re.compile(r" at 0x[0-9a-f]+")


def exercise_ids(text):
    return CHECK_CALL.findall(text)


def solutions(source):
    """``{exercise id: solution cell source}`` from ``tutorials/solutions/<name>.py``."""
    path = build.SOLUTIONS / Path(source).name
    if not path.exists():
        return {}
    cells = jupytext.read(str(path), fmt="py:percent").cells
    found = {}
    for cell in cells:
        for exercise_id in exercise_ids(cell.source):
            found[exercise_id] = cell.source
    return found


def test_there_are_tutorials():
    assert [p.name[:2] for p in SOURCES[:1]] == ["00"], SOURCES


def test_every_source_has_its_notebook_and_no_notebook_is_orphaned():
    built = {build.notebook_path(s).name for s in SOURCES}
    stored = {p.name for p in build.TUTORIALS.glob("*.ipynb")}
    assert stored == built, "notebooks without a source, or sources never built (make notebooks)"


@pytest.mark.parametrize("source", SOURCES, ids=IDS)
def test_stored_notebook_is_built_from_its_current_source(source):
    """The cells of the stored notebook are the source's cells: run ``make notebooks`` after an edit."""
    fresh = build.read_source(source)
    stored = nbformat.read(str(build.notebook_path(source)), as_version=4)
    nbformat.validate(stored)
    assert [(c.cell_type, c.source, c.metadata.get("tags", [])) for c in stored.cells] == \
        [(c.cell_type, c.source, c.metadata.get("tags", [])) for c in fresh.cells], \
        f"{build.notebook_path(source).name} is out of date: run `make notebooks NB={source.stem[:2]}`"
    for cell in stored.cells:
        if cell.cell_type == "code":
            assert "execution" not in cell.metadata


def test_tutorials_readme_lists_every_notebook_in_order():
    text = (build.TUTORIALS / "README.md").read_text()
    positions = [text.find(build.notebook_path(s).name) for s in SOURCES]
    assert -1 not in positions, [s.name for s, p in zip(SOURCES, positions) if p == -1]
    assert positions == sorted(positions)


def test_no_file_numbers_of_the_material_in_the_tutorials():
    """Users never see the course material's file numbers; ITEMS.md names each source."""
    pattern = re.compile(r"seed[ _-]?00\d", re.IGNORECASE)
    for path in sorted(build.TUTORIALS.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".ipynb", ".md"):
            assert not pattern.search(path.read_text(encoding="utf-8")), path


@pytest.mark.parametrize("source", SOURCES, ids=IDS)
def test_every_exercise_is_registered_and_has_a_solution(source):
    nb = build.read_source(source)
    asked = [i for c in nb.cells if build.TAG_EXERCISE in c.metadata.get("tags", [])
             for i in exercise_ids(c.source)]
    untagged = [i for c in nb.cells if build.TAG_EXERCISE not in c.metadata.get("tags", [])
                for i in exercise_ids(c.source)]
    assert not untagged, f"cells calling check() must be tagged 'exercise': {untagged}"
    number = source.stem[:2]
    assert 2 <= len(asked) <= 4, f"{source.name}: {len(asked)} exercises (2-4 wanted)"
    assert all(i.startswith(number + ".") for i in asked), asked
    assert set(asked) <= set(nt.exercises.exercises()), "exercises check() does not know"
    assert sorted(solutions(source)) == sorted(asked), "every exercise needs one solution"


@pytest.fixture(scope="module")
def kernel():
    with build.kernel_environment(ci=True) as name:
        yield name


def comparable(cell, pictures_too):
    """A cell's outputs without what legitimately changes between runs (counts, metadata)."""
    out = []
    for o in cell.get("outputs", []):
        item = {"type": o.output_type}
        if o.output_type == "stream":
            if out and out[-1]["type"] == "stream" and out[-1]["name"] == o.name:
                out[-1]["text"] += o.text            # a stream arrives in pieces that vary
                continue
            item.update(name=o.name, text=o.text)
        elif o.output_type == "error":
            item.update(ename=o.ename, evalue=o.evalue)
        else:
            item["data"] = {k: (v if pictures_too or k not in PICTURES else "<picture>")
                            for k, v in o.get("data", {}).items()}
            if "text/plain" in item["data"]:          # <Digraph at 0x7f...>: an address
                item["data"]["text/plain"] = ADDRESS.sub(" at 0x…", item["data"]["text/plain"])
        out.append(item)
    return out


#: A number as Python and numpy print it: 3, -0.25, 1.5e-07, 33.872399999999985, 1e+200.
NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")
#: How far a printed number may move between machines: relative, and absolute for the
#: rounding noise a lesson prints on purpose ("the two agree to 2.2e-16").
RTOL, ATOL = 1e-9, 1e-12


def same_text(fresh, stored):
    """True when two outputs read the same: the same words, numbers equal to RTOL/ATOL.

    numpy's matrix products call OpenBLAS, which picks its kernels for the CPU it runs
    on; another CPU may add the same numbers in another order and print a different
    last digit (33.872399999999985 against 33.872400000000006). Whitespace between
    numbers may differ with them (numpy pads columns to the widest number).
    """
    if fresh == stored:
        return True
    a, b = NUMBER.findall(fresh), NUMBER.findall(stored)
    words = [" ".join(part.split()) for part in NUMBER.split(fresh)]
    if words != [" ".join(part.split()) for part in NUMBER.split(stored)] or len(a) != len(b):
        return False
    return all(x == y or math.isclose(float(x), float(y), rel_tol=RTOL, abs_tol=ATOL)
               for x, y in zip(a, b))


def same_outputs(fresh, stored):
    """:func:`same_text` on every text of two lists of outputs (see :func:`comparable`)."""
    if isinstance(fresh, str) and isinstance(stored, str):
        return same_text(fresh, stored)
    if isinstance(fresh, dict) and isinstance(stored, dict):
        return fresh.keys() == stored.keys() and all(same_outputs(fresh[k], stored[k])
                                                     for k in fresh)
    if isinstance(fresh, list) and isinstance(stored, list):
        return len(fresh) == len(stored) and all(map(same_outputs, fresh, stored))
    return fresh == stored


def first_difference(fresh, stored):
    """A short description of where two lists of outputs differ."""
    for k, (a, b) in enumerate(zip(fresh, stored)):
        if not same_outputs(a, b):
            return f"output {k}:\n fresh : {str(a)[:400]}\n stored: {str(b)[:400]}"
    return f"{len(fresh)} outputs in a fresh run, {len(stored)} stored"


@pytest.mark.parametrize("source", SOURCES, ids=IDS)
def test_notebook_runs_with_its_solutions_and_gives_the_stored_outputs(source, kernel, tmp_path):
    nb = build.read_source(source)
    answers = solutions(source)
    exercise_cells = []
    for i, cell in enumerate(nb.cells):
        if build.TAG_EXERCISE in cell.metadata.get("tags", []):
            (exercise_id,) = exercise_ids(cell.source)
            cell.source = answers[exercise_id]
            exercise_cells.append((i, exercise_id))
    n_lesson = len(nb.cells)
    checks = CHECKS / source.name
    assert checks.exists(), f"{checks} keeps the lesson's numbers honest: write it"
    for cell in jupytext.read(str(checks), fmt="py:percent").cells:
        if cell.cell_type == "code" and cell.source.strip():
            nb.cells.append(nbformat.v4.new_code_cell(cell.source))

    try:
        build.execute(nb, kernel, tmp_path)
    except nbclient.exceptions.CellExecutionError as error:
        pytest.fail(f"{source.name}: {error}")

    stderr = [(i, o.text) for i, c in enumerate(nb.cells) if c.cell_type == "code"
              for o in c.outputs if o.get("name") == "stderr"]
    assert not stderr, f"{source.name} wrote to stderr (a warning?): {stderr}"
    assert list(tmp_path.iterdir()) == [], "a notebook left files behind"

    for i, exercise_id in exercise_cells:
        shown = "".join(o.get("data", {}).get("text/plain", "") + o.get("text", "")
                        for o in nb.cells[i].outputs)
        assert f"{exercise_id}: right!" in shown, f"the solution of {exercise_id} is not right: {shown}"

    stored = nbformat.read(str(build.notebook_path(source)), as_version=4)
    same_tools = stored.metadata.get("neurotrace", {}).get("built_with") == build.picture_tools()
    skip = {i for i, _ in exercise_cells} | {
        i for i, c in enumerate(stored.cells) if build.TAG_SKIP_COMPARE in c.metadata.get("tags", [])}
    for i in range(n_lesson):
        if i in skip or nb.cells[i].cell_type != "code":
            continue
        fresh, kept = comparable(nb.cells[i], same_tools), comparable(stored.cells[i], same_tools)
        if not same_outputs(fresh, kept):
            pytest.fail(f"{build.notebook_path(source).name}, cell {i}: the stored output is not "
                        f"what a fresh run gives; rebuild with `make notebooks NB={source.stem[:2]}`."
                        f"\nsource:\n{nb.cells[i].source[:300]}\n{first_difference(fresh, kept)}")
