"""Checks of one page as a reader gets it in Chromium: axe-core, console errors, requests elsewhere.

Plain functions over any served build, so a test can run them on every page it finds.
"""

from __future__ import annotations

import functools
import http.server
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import axe_playwright_python

from conftest import _SiteHandler, free_port

AXE_JS = Path(axe_playwright_python.__file__).parent / "axe.min.js"
SCHEMES = {"light": "default", "dark": "slate"}  # the reader's preference: Material's scheme
# On a page whose article ends with "## After" and a paragraph "End.": that heading and paragraph are the
# article's own, holding nothing an earlier element left open (a <div> that took them in, a <b> reopened).
KEEPS_THE_PAGE = """() => {
    const after = document.getElementById("after");
    const article = document.querySelector("article.md-content__inner");
    const end = [...article.querySelectorAll(":scope > p")].find(p => p.textContent === "End.");
    return Boolean(after && after.parentElement === article && end && end.children.length === 0
        && after.querySelector(":scope > :not(a.headerlink)") === null);
}"""


def disagreements(browser, built, samples: list[str], right_js: str, warned: set[int]) -> dict[str, tuple[bool, bool]]:
    """Samples built as docs/caseN.md, read in Chromium: (page right, warned) for each one where the two
    agree that nothing is wrong or that something is (a check must warn exactly when the page is wrong).
    Both kinds of sample must be there, so the comparison means something."""
    page = browser.new_page()
    page.route("**/*", lambda route: route.abort())  # the DOM is all that is read: nothing loads
    verdicts = {}
    for number, sample in enumerate(samples):
        page.set_content(built.page(f"case{number}"))
        verdicts[sample] = (page.evaluate(right_js), number in warned)
    page.close()
    assert any(right for right, _ in verdicts.values()) and not all(right for right, _ in verdicts.values())
    return {sample: verdict for sample, verdict in verdicts.items() if verdict[0] == verdict[1]}


@contextmanager
def served(site: Path) -> Iterator[str]:
    """Serve a built site on 127.0.0.1 (its own 404 page for anything missing); yields its address."""
    port = free_port()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(_SiteHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.shutdown()
        server.server_close()


def page_problems(browser, base: str, path: str, scheme: str) -> list[str]:
    """What is wrong with one page in one palette: wrong scheme, console errors, foreign requests, axe."""
    context = browser.new_context(color_scheme=scheme)
    try:
        page = context.new_page()
        errors: list[str] = []
        requests: list[str] = []
        page.on("console", lambda message: message.type == "error" and errors.append(message.text))
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("request", lambda request: requests.append(request.url))
        page.goto(base + path, wait_until="networkidle")
        problems = [f"{path}: console error {error}" for error in errors]
        problems += [f"{path}: request to {url}" for url in requests if not url.startswith((base, "data:", "blob:"))]
        shown = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
        if shown != SCHEMES[scheme]:
            problems.append(f"{path}: a {scheme} preference shows the {shown!r} scheme")
        page.add_script_tag(path=str(AXE_JS))
        for violation in page.evaluate("async () => (await axe.run(document)).violations"):
            targets = [node["target"] for node in violation["nodes"]][:3]
            problems.append(f"{path} ({scheme}): axe {violation['id']}: {violation['help']} at {targets}")
        return problems
    finally:
        context.close()
