"""The documentation site: `make docs` builds with warnings as errors, and in a real
browser (the system's Chromium, driven by Playwright) every internal link resolves.

The build here is the one `make docs` runs (fresh, into docs/_build/html), so `make test`
builds the site. Without Sphinx, Playwright or Chromium the tests skip, saying why;
under CI (the CI environment variable) they fail instead.
"""
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlparse

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
HTML = DOCS / "_build" / "html"
CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists()
                                        else None)
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


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
    require(importable("playwright"), "Playwright is not installed (make install adds it)")
    require(CHROMIUM, "Chromium is not installed (make test installs Debian's chromium)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS[1:])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        yield page
        browser.close()


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
    shot = HTML.parent / "front_page.png"
    page.screenshot(path=str(shot))
    assert shot.read_bytes()[:4] == b"\x89PNG"


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
