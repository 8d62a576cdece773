"""Open viewer pages in the system's Chromium through Playwright (tests and figures).

Playwright's own browser download is not used: the Debian package ``chromium``
(``/usr/bin/chromium``, ``make chromium`` installs it) is launched headless
with a fresh profile and everything that would reach the network switched off.
Playwright is optional (the ``dev`` extra); it is imported only here, when a
browser is asked for.
"""
import os
import shutil
import tempfile
from pathlib import Path

from .._files import atomic_write

__all__ = ["CHROMIUM_ARGS", "chromium_path", "launch", "missing", "screenshot"]

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-quic"]


def chromium_path():
    """The system's Chromium: ``$NEUROTRACE_CHROMIUM``, ``/usr/bin/chromium``, or on PATH.

    Returns
    -------
    str or None
        None when there is none.

    Examples
    --------
    >>> path = chromium_path()
    >>> path is None or path.endswith(("chromium", "chromium-browser")) or "NEUROTRACE_CHROMIUM" in os.environ
    True
    """
    for candidate in (os.environ.get("NEUROTRACE_CHROMIUM"), "/usr/bin/chromium",
                      shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and os.path.exists(candidate):
            return candidate
    return None


def missing():
    """Why a browser cannot be launched here (a sentence), or None when it can.

    Returns
    -------
    str or None

    Examples
    --------
    >>> why = missing()
    >>> why is None or "not installed" in why
    True
    """
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return ("the Python package 'playwright' is not installed "
                "(pip install -e '.[dev]' installs it)")
    if chromium_path() is None:
        return ("the system's Chromium is not installed (make chromium, or "
                "'sudo apt-get install chromium'; or set NEUROTRACE_CHROMIUM)")
    return None


def launch(playwright):
    """Launch headless Chromium with a fresh, throw-away profile; returns a BrowserContext.

    Parameters
    ----------
    playwright : playwright.sync_api.Playwright
        From ``with sync_playwright() as p:``.

    Returns
    -------
    playwright.sync_api.BrowserContext
        Close it when done: closing deletes its profile folder too.

    Examples
    --------
    >>> from playwright.sync_api import sync_playwright       # doctest: +SKIP
    >>> with sync_playwright() as p:                          # doctest: +SKIP
    ...     context = launch(p)
    ...     page = context.new_page()
    ...     context.close()
    """
    why = missing()
    if why:
        raise RuntimeError(f"Cannot open a browser: {why}.")
    profile = tempfile.mkdtemp(prefix="neurotrace-chromium-")
    context = playwright.chromium.launch_persistent_context(
        profile, executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS,
        viewport={"width": 1400, "height": 900})
    context.on("close", lambda *_: shutil.rmtree(profile, ignore_errors=True))
    return context


def screenshot(html_path, png_path, *, width=1400, height=900, clicks=(), keys=()):
    """Open ``html_path`` from disk, click and press what is asked, save a PNG of the page.

    Parameters
    ----------
    html_path, png_path : str or Path
    width, height : int
        The browser window.
    clicks : sequence of str
        CSS selectors to click in order first (e.g. ``'[data-node="L1.N0"]'``).
    keys : sequence of str
        Keys to press after the clicks (e.g. ``"ArrowRight"``).

    Returns
    -------
    Path

    Examples
    --------
    >>> screenshot("run.html", "run.png", keys=["End"])        # doctest: +SKIP
    PosixPath('run.png')
    """
    from playwright.sync_api import sync_playwright
    html_path, png_path = Path(html_path).resolve(), Path(png_path)
    with sync_playwright() as p:
        context = launch(p)
        try:
            page = context.new_page()
            page.set_viewport_size({"width": width, "height": height})
            page.goto(html_path.as_uri())
            page.wait_for_selector("body[data-ready=true]")
            for selector in clicks:
                page.click(selector)
            for key in keys:
                page.keyboard.press(key)
            png_path.parent.mkdir(parents=True, exist_ok=True)
            image = page.screenshot(full_page=False)
            atomic_write(png_path, lambda f: f.write(image))     # all or nothing
        finally:
            context.close()
    return png_path
