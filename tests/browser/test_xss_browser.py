"""The XSS corpus in Chromium: every page of the hostile sites loads and nothing runs.

Before any page script, an init script replaces ``alert``, ``confirm`` and ``prompt`` with
recorders, defines the ``__xss`` marker the vectors call, and records Content-Security-Policy
violations. Every page is loaded twice: with the pages' CSP, where any violation fails the test
(markup got through and only the policy stopped it), and with the CSP bypassed, where anything
that got through would really run and call a hook. Both the built archive (``natowatch.build``)
and a site rendered from hand-made records (fields the loader keeps name-shaped) are visited,
and the search page is queried for the vectors.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from natowatch.archive.config import Config
from natowatch.build import build
from natowatch.publish.render import render_site
from xss_corpus import SITE_DESCRIPTION, SITE_TITLE, hostile_records, write_xss_archive

pytestmark = pytest.mark.browser

SITES = ("archive", "records")
SEARCHES = ("script", "onerror", "javascript")

HOOKS = r"""
(() => {
  const report = (kind, detail) => {
    try { window.__xssReport(kind, String(detail), String(location.href)); } catch (e) {}
  };
  window.__xss = (value) => report("marker", value);
  for (const name of ["alert", "confirm", "prompt"]) {
    window[name] = (value) => { report(name, value); return null; };
  }
  document.addEventListener("securitypolicyviolation", (event) => {
    report("csp", `${event.violatedDirective} blocked ${event.blockedURI} (${event.sample})`);
  }, true);
  // Elements and URLs no vector may leave in the live DOM. The Pagefind widget in #search
  // draws its own UI (icons, its own form), so it is left out.
  window.__xssCheckDom = () => {
    const bad = "iframe, frame, object, embed, base, svg, math, style, img, video, audio, source, "
      + "marquee, meta[http-equiv=refresh], [srcdoc], [style]";
    const ownScript = /(^|\/)(pagefind\/pagefind-ui|search)\.js$/;
    for (const script of document.querySelectorAll("script")) {
      const src = script.getAttribute("src");
      const data = !src && script.type === "application/ld+json";
      const own = src && ownScript.test(src) && location.pathname.endsWith("/search.html");
      if (!data && !own) report("script", script.outerHTML.slice(0, 120));
    }
    for (const element of document.querySelectorAll(bad)) {
      if (!element.closest("#search")) report("element", element.outerHTML.slice(0, 120));
    }
    for (const element of document.querySelectorAll("*")) {
      for (const attribute of element.attributes) {
        if (attribute.name.startsWith("on")) report("handler", element.outerHTML.slice(0, 120));
      }
    }
    for (const link of document.querySelectorAll("a[href], area[href], form[action]")) {
      if (link.closest("#search")) continue;
      const url = new URL(link.getAttribute("href") || link.getAttribute("action"), location.href);
      if (!["http:", "https:", "mailto:"].includes(url.protocol)) report("link", url.href);
    }
  };
  if (window === window.top) window.addEventListener("load", window.__xssCheckDom);
})();
"""


class _Sites(http.server.SimpleHTTPRequestHandler):
    """Serves each site below its own sub-path (/archive/, /records/), nothing else."""

    roots: ClassVar[dict[str, Path]] = {}

    def translate_path(self, path: str) -> str:
        prefix, _, rest = path.lstrip("/").partition("/")
        root = self.roots.get(prefix)
        if root is None:
            return str(Path(self.directory) / "__nowhere__")
        self.directory = str(root)
        return super().translate_path("/" + rest)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def hostile_sites(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("xss-browser")
    archive = write_xss_archive(root / "archive-source")
    build(archive, root / "archive")
    config = Config(title=SITE_TITLE, description=SITE_DESCRIPTION)
    for path, content in render_site(hostile_records(), config).items():
        (root / "records" / path).parent.mkdir(parents=True, exist_ok=True)
        (root / "records" / path).write_bytes(content)
    return {name: root / name for name in SITES}


@pytest.fixture(scope="module")
def sites_url(hostile_sites: dict[str, Path]) -> Iterator[str]:
    handler = type("Handler", (_Sites,), {"roots": hostile_sites})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(hostile_sites["archive"]))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def pages_of(site: Path) -> list[str]:
    return sorted(
        path.relative_to(site).as_posix()
        for path in site.rglob("*.html")
        if not path.relative_to(site).as_posix().startswith("pagefind/")
    )


def visit(browser, urls: list[str], bypass_csp: bool, searches: list[str] = ()) -> list[str]:
    """Everything the hooks, dialogs and console reported while loading ``urls`` in turn."""
    fired: list[str] = []
    context = browser.new_context(bypass_csp=bypass_csp)
    context.expose_binding(
        "__xssReport", lambda source, kind, detail, url: fired.append(f"{kind}: {detail} at {url}")
    )
    context.add_init_script(HOOKS)
    page = context.new_page()
    page.on("dialog", lambda dialog: (fired.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    page.on(
        "console",
        lambda message: (
            ("Content Security Policy" in message.text or "Refused to" in message.text)
            and fired.append(f"console: {message.text}")
        ),
    )
    try:
        for url in urls:
            page.goto(url, wait_until="load")
        for url in searches:
            page.goto(url, wait_until="load")
            page.locator(".pagefind-ui__result-link").first.wait_for(timeout=15000)
            page.wait_for_timeout(300)  # let the remaining results and their excerpts render
            page.evaluate("window.__xssCheckDom()")
        page.wait_for_timeout(200)  # late handlers (media errors, animations)
    finally:
        context.close()
    return fired


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["with-csp", "csp-bypassed"])
def test_no_vector_runs_on_any_page(browser, hostile_sites, sites_url, bypass_csp):
    urls = [
        f"{sites_url}{name}/{path}"
        for name, site in hostile_sites.items()
        for path in pages_of(site)
    ]
    searches = [f"{sites_url}archive/search.html?q={query}" for query in SEARCHES]
    assert len(urls) > 150
    assert visit(browser, urls, bypass_csp, searches) == []


def test_the_hooks_catch_a_vector_that_gets_through(browser, hostile_sites, sites_url):
    """A control: the same harness on a page with markup injected into it does report it."""
    site = hostile_sites["archive"]
    page = (site / "index.html").read_text(encoding="utf-8")
    injected = (
        '<img src=x onerror="__xss(1)"><script>alert(2)</script><a href="javascript:x">x</a>'
        '<script src="robots.txt"></script>'  # same origin: the policy lets it load
    )
    (site / "injected.html").write_text(page.replace("<main", injected + "<main", 1), "utf-8")
    try:
        url = [f"{sites_url}archive/injected.html"]
        with_csp, bypassed = visit(browser, url, False), visit(browser, url, True)
    finally:
        (site / "injected.html").unlink()
    assert any(line.startswith("csp: ") for line in with_csp), with_csp
    assert not any(line.startswith(("marker", "alert")) for line in with_csp), with_csp
    kinds = {"marker", "alert", "element", "link", "script"}
    assert {line.split(":")[0] for line in bypassed} >= kinds, bypassed
