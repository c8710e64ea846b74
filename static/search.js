// Starts Pagefind's search UI on search.html. Kept in a file (no inline script) so the pages'
// Content-Security-Policy can forbid inline code. Links are made relative to this page's folder,
// which is the site root, so results work under any sub-path (such as a GitHub Pages project).
window.addEventListener("DOMContentLoaded", function () {
  var root = new URL(".", window.location.href).pathname;
  var ui = new PagefindUI({
    element: "#search",
    baseUrl: root,
    bundlePath: root + "pagefind/",
    showSubResults: true,
    showImages: false,
    resetStyles: false
  });
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) {
    ui.triggerSearch(query);
  }
});
