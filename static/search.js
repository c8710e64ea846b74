// Starts Pagefind's search UI on search.html. Kept in a file (no inline script) so the pages'
// Content-Security-Policy can forbid inline code. Links are made relative to this page's folder,
// which is the site root, so results work under any sub-path (such as a GitHub Pages project).
//
// Large sites split the index into shards (pagefind/, pagefind-2/, ...), listed by the build in
// pagefind-shards.json; the first is the UI's own bundle and the others are merged into it.
//
// Pagefind's form has the action "javascript:void(0);", which the policy's form-action 'self'
// refuses. Pagefind stops Enter and the submit event itself, but a submission no script stops
// (form.submit(), a Pagefind version that does not stop it) is blocked, logged as a violation,
// and does nothing. So the form is made an ordinary GET form for this page with its query named
// "q": submitted natively it loads search.html?q=..., whose results this script shows (without
// autocomplete, like the header's box). Its input, which Pagefind labels only by a title, gets an
// accessible name.
window.addEventListener("DOMContentLoaded", function () {
  var root = new URL(".", window.location.href).pathname;

  function start(bundles) {
    var ui = new PagefindUI({
      element: "#search",
      baseUrl: root,
      bundlePath: root + bundles[0],
      mergeIndex: bundles.slice(1).map(function (bundle) {
        return { bundlePath: root + bundle, baseUrl: root };
      }),
      showSubResults: true,
      showImages: false,
      resetStyles: false
    });
    adjustForm(document.querySelector("#search form"));
    var query = new URLSearchParams(window.location.search).get("q");
    if (query) {
      ui.triggerSearch(query);
    }
  }

  function adjustForm(form) {
    var input = form && form.querySelector("input");
    if (!input) {
      return;
    }
    form.setAttribute("action", window.location.pathname);
    form.setAttribute("method", "get");
    input.setAttribute("name", "q");
    input.setAttribute("autocomplete", "off");
    input.setAttribute("aria-label", "Search the articles");
  }

  // Only our own bundle folders ("pagefind/", "pagefind-2/"...), whatever the file says.
  function bundleList(data) {
    var bundles = data && Array.isArray(data.bundles) ? data.bundles : [];
    bundles = bundles.filter(function (bundle) {
      return typeof bundle === "string" && /^pagefind(-[0-9]+)?\/$/.test(bundle);
    });
    return bundles.length && bundles[0] === "pagefind/" ? bundles : ["pagefind/"];
  }

  // "no-cache" revalidates the list, so a rebuilt site never pairs an old list with new shards.
  fetch(root + "pagefind-shards.json", { cache: "no-cache" })
    .then(function (response) {
      return response.ok ? response.json() : null;
    })
    .catch(function () {
      return null;
    })
    .then(function (data) {
      start(bundleList(data));
    });
});
