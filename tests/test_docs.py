"""The documentation site: `make docs` builds with warnings as errors, and in a real
browser (the system's Chromium, driven by Playwright, launched as the viewer's tests
launch it: `neurotrace.viewer.browser`) every internal link resolves, the embedded
viewer runs, and the front page is photographed (docs/_build/front_page.png).

The build here is the one `make docs` runs (fresh, into docs/_build/html), so `make test`
builds the site. Without Sphinx, Playwright or Chromium the tests skip, saying why;
under CI (the CI environment variable) they fail instead.
"""
import io
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlparse

import pytest

from neurotrace.viewer import browser

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
HTML = DOCS / "_build" / "html"


def require(condition, why):
    if not condition:
        if "CI" in os.environ:
            pytest.fail(f"The docs tests must run in CI, but {why}.")
        pytest.skip(why)


def importable(name):
    try:
        __import__(name)
    except ImportError:
        return False
    return True


@pytest.fixture(scope="module")
def site():
    """Build the site as `make docs` does; return how long it took."""
    require(importable("sphinx") and importable("myst_nb") and importable("numpydoc"),
            "Sphinx, myst-nb or numpydoc is not installed (make install adds them)")
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "sphinx", "-W", "--keep-going", "-E", "-q",
                           "-b", "html", str(DOCS), str(HTML)],
                          capture_output=True, text=True, cwd=ROOT, timeout=600)
    seconds = time.perf_counter() - start
    assert done.returncode == 0, f"the docs build failed or warned:\n{done.stderr}"
    (HTML.parent / "build_seconds.txt").write_text(f"{seconds:.1f}\n")
    return seconds


def test_docs_build_has_every_part(site):
    pages = {p.relative_to(HTML).as_posix() for p in HTML.rglob("*.html")}
    assert {"index.html", "api.html", "glossary.html", "ecosystem.html", "benchmark.html",
            "tutorials/index.html"} <= pages
    # every committed notebook is a page, rendered with its stored outputs
    notebooks = sorted(p.stem for p in (ROOT / "tutorials").glob("[0-9]*.ipynb"))
    assert notebooks
    for stem in notebooks:
        page = (HTML / "tutorials" / f"{stem}.html").read_text(encoding="utf-8")
        assert "cell_output" in page, stem
    api = (HTML / "api.html").read_text(encoding="utf-8")
    for name in ["neurotrace.Neuron", "neurotrace.fit", "neurotrace.trace",
                 "neurotrace.estimators.NeuronClassifier", "neurotrace.to_torch",
                 "neurotrace.datasets.digits"]:
        assert f'id="{name}"' in api, name
    assert "Parameters" in api and "shape (n_samples, n_features)" in api
    glossary = (HTML / "glossary.html").read_text(encoding="utf-8")
    terms = re.findall(r'<dt id="term-[^"]*">([^<]*)', glossary)
    assert {"x", "w", "b", "z", "a", "dL/da", "f'(z)", "δ", "dL/dw", "sent error", "x0",
            "L1.N0"} <= set(terms)
    bench = (HTML / "benchmark.html").read_text(encoding="utf-8")
    assert "µs / sample" in bench and "bench_width.png" in bench


IDS = {}


def ids_in(path):
    """The ids of the elements of an HTML page (the targets of #fragments)."""
    if path not in IDS:
        IDS[path] = set(re.findall(r'\bid="([^"]+)"', path.read_text(encoding="utf-8")))
    return IDS[path]


@pytest.fixture(scope="module")
def browser_page(site):
    why = browser.missing()
    require(why is None, why)
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        context = browser.launch(p)
        page = context.new_page()
        page.set_viewport_size({"width": 1280, "height": 900})
        errors = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.errors = errors
        yield page
        context.close()


def test_every_internal_link_resolves_in_the_browser(browser_page):
    """Open the front page, then follow every link to a page of the site, and check
    each target file exists and each #fragment is an id on its page."""
    page = browser_page
    start = (HTML / "index.html").as_uri()
    seen, queue, broken, followed = set(), [start], [], 0
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        response = page.goto(url)
        assert response is None or response.ok, url
        links = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
        for link in links:
            target, fragment = urldefrag(link)
            if urlparse(target).scheme != "file":
                continue                                   # outside the site
            path = Path(unquote(urlparse(target).path))
            followed += 1
            if not path.is_file():
                broken.append(f"{url} -> {link} (no such file)")
            elif fragment and path.suffix == ".html" and unquote(fragment) not in ids_in(path):
                broken.append(f"{url} -> {link} (no id {fragment!r})")
            elif path.suffix == ".html" and HTML in path.parents:
                queue.append(path.as_uri())
    assert not broken, "broken links:\n" + "\n".join(broken)
    pages = {Path(urlparse(u).path).relative_to(HTML).as_posix() for u in seen}
    assert {"api.html", "glossary.html", "tutorials/index.html"} <= pages
    assert followed > 100


def test_front_page_screenshot(browser_page):
    page = browser_page
    page.goto((HTML / "index.html").as_uri())
    assert page.title().startswith("neurotrace")
    assert page.eval_on_selector("article img", "img => img.naturalWidth") > 0   # it loaded
    sidebar = page.eval_on_selector_all(".sidebar-tree a", "els => els.map(e => e.textContent)")
    assert {"Tutorials", "Glossary of symbols", "API reference"} <= set(sidebar)
    import matplotlib.image
    shot = HTML.parent / "front_page.png"
    png = page.screenshot()
    shot.write_bytes(png)
    pixels = matplotlib.image.imread(io.BytesIO(png), format="png")[..., :3]
    assert pixels.shape[:2] == (900, 1280)
    assert pixels.std() > 0.05                                   # not one flat colour
    assert (pixels.reshape(-1, 3) < 0.5).any(axis=1).mean() > 0.005    # some dark ink: text


def test_the_viewer_page_runs_the_viewer_of_a_real_trace(browser_page):
    """docs/viewer.md embeds the viewer written by docs/conf.py from the demo's XOR trace."""
    from neurotrace.demo import train_xor
    _, _, t, _ = train_xor()                 # what conf.py recorded (seeded: the same numbers)
    page = browser_page
    page.errors.clear()
    page.goto((HTML / "viewer.html").as_uri())
    src = page.get_attribute("iframe.viewer", "src")
    assert (HTML / src).is_file(), src                      # the link test does not follow iframes
    frame = page.frame_locator("iframe.viewer")
    frame.locator("body[data-ready=true]").wait_for()
    assert frame.locator("[data-panel=network] [data-node]").count() == 2 + 2 + 1 + 1
    step = frame.locator("[data-control=step]")
    assert [int(step.input_value())] == t.steps[:1]         # it shows a step: the first
    frame.locator("[data-control=next-step]").click()
    assert int(step.input_value()) == t.steps[1]
    step.fill(str(t.steps[-1]))
    assert int(step.input_value()) == t.steps[-1]
    # the recorded numbers, bit for bit: the output neuron's a and the loss at the last step
    for name, quantity, recorded in [("L2.N0", "a", t[-1].forward["L2.N0"]["a"]),
                                     ("loss", "loss", t[-1].loss)]:
        frame.locator(f'[data-panel=network] [data-node="{name}"]').click()
        shown = frame.locator(f'[data-panel=inspector] [data-quantity="{quantity}"]')
        assert float(shown.get_attribute("data-value")) == float(recorded), (name, quantity)
    assert page.errors == []


def test_every_python_block_of_the_pages_runs_alone(tmp_path):
    """The docs' own examples (outside the notebooks, which test_tutorials runs) work."""
    pages = [DOCS / name for name in ("index.md", "ecosystem.md", "viewer.md")]
    codes = [code for page in pages if page.exists()
             for code in re.findall(r"```python\n(.*?)```", page.read_text(encoding="utf-8"),
                                    flags=re.S)]
    assert len(codes) >= 2
    runs = [subprocess.Popen([sys.executable, "-c", code], cwd=tmp_path, text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE) for code in codes]
    for code, run in zip(codes, runs):
        out, err = run.communicate(timeout=300)
        assert run.returncode == 0, f"this docs example failed:\n{code}\n{err}"
