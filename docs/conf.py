"""Sphinx configuration of neurotrace's documentation site (``make docs``).

Why Sphinx (not MkDocs): neurotrace's docstrings are numpydoc, and Sphinx's autodoc with
the numpydoc extension turns them into the API reference as scikit-learn and numpy do;
myst-nb renders the committed tutorial notebooks with their stored outputs (no execution,
no pandoc); and ``-W`` turns every warning, a broken cross-reference or a malformed
docstring included, into a failed build.

The tutorials are not kept twice: at the start of a build every ``tutorials/*.ipynb`` is
copied into ``docs/tutorials/`` (git-ignored), so a new notebook appears in the site
without editing anything here.
"""
import shutil
from pathlib import Path

import neurotrace

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent

project = "neurotrace"
author = "the neurotrace authors"
copyright = "neurotrace authors, MIT licence"
release = version = neurotrace.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.mathjax",
    "numpydoc",
    "myst_nb",
]

# Notebooks: shown as committed, outputs included; never executed by the docs build.
nb_execution_mode = "off"
nb_merge_streams = True
myst_enable_extensions = ["dollarmath", "colon_fence", "deflist"]
myst_heading_anchors = 3

# API reference from the numpydoc docstrings.
autodoc_default_options = {"members": True, "member-order": "bysource"}
autodoc_typehints = "none"
numpydoc_show_class_members = False     # members are documented by autodoc, once
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False

smartquotes = False         # f'(z) stays f'(z), as in the code

exclude_patterns = ["_build", "**.ipynb_checkpoints", "README.md"]
html_theme = "furo"
html_title = f"neurotrace {release}"
html_static_path = ["_static"]
html_extra_path = []
html_last_updated_fmt = None
html_copy_source = False
html_show_sourcelink = False


# Math renders offline: MathJax 3 comes as static files from the Python package
# django-static-mathjax (no dependencies; the docs extra installs it), copied next to the
# pages instead of loaded from a CDN. Only the TeX-to-HTML bundle and its fonts are copied.
MATHJAX = DOCS / "_build" / "mathjax"


def copy_mathjax():
    try:
        import mathjax
    except ImportError:
        raise RuntimeError("The docs need MathJax's files from the package django-static-mathjax: "
                           "pip install -e '.[docs]' (make install does).") from None
    es5 = Path(mathjax.__file__).parent / "static" / "mathjax" / "es5"
    target = MATHJAX / "mathjax"
    if not (target / "tex-chtml.js").exists():
        fonts = "output/chtml/fonts/woff-v2"
        shutil.copytree(es5 / fonts, target / fonts, dirs_exist_ok=True)
        shutil.copyfile(es5 / "tex-chtml.js", target / "tex-chtml.js")


copy_mathjax()
html_static_path.append(str(MATHJAX))
mathjax_path = "mathjax/tex-chtml.js"


def copy_tutorials(app):
    """Copy the committed notebooks (with their outputs) into the docs' source tree."""
    target = DOCS / "tutorials"
    for old in target.glob("*.ipynb"):
        old.unlink()
    for notebook in sorted((ROOT / "tutorials").glob("[0-9]*.ipynb")):
        shutil.copyfile(notebook, target / notebook.name)


copy_tutorials(None)        # before Sphinx looks for source files


# The viewer page (viewer.md) embeds the viewer of a real trace, written here by the
# viewer's own API at every build: the demo's XOR network, its first and last epoch
# recorded. html_extra_path copies _build/viewer/ into the site's root, so the page is
# _viewer/xor.html next to viewer.html.
VIEWER = DOCS / "_build" / "viewer"


def write_viewer():
    from neurotrace.demo import train_xor
    _, _, t, _ = train_xor()
    neurotrace.viewer.to_html(t, VIEWER / "_viewer" / "xor.html",
                              title="The hands-on's XOR network, first and last epoch")


write_viewer()
html_extra_path.append(str(VIEWER))


def skip_sklearn_plumbing(app, what, name, obj, skip, options):
    """scikit-learn's metadata-routing methods (``set_score_request``) are not ours to document."""
    if name.startswith("set_") and name.endswith("_request"):
        return True
    return None


def setup(app):
    app.add_css_file("neurotrace.css")
    app.connect("autodoc-skip-member", skip_sklearn_plumbing)
