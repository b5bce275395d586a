/* Introsteg: small progressive enhancements, no framework; the pages work without this file. */
(function () {
  "use strict";

  // A wide table scrolls inside its own box (.table-wrap, or a bare table that we wrap) rather
  // than the page. A box that scrolls must be reachable by keyboard and named for a screen
  // reader: a labelled region with tabindex=0, named after the table's caption or the nearest
  // heading before it.
  function nameFor(table) {
    if (table.caption && table.caption.textContent.trim()) return table.caption.textContent.trim();
    var label = table.getAttribute("aria-label");
    if (label) return label;
    var node = table.closest(".table-wrap, .table-scroll") || table;
    while (node && node !== document.body) {
      var sibling = node.previousElementSibling;
      while (sibling) {
        var heading = sibling.matches("h1, h2, h3, h4") ? sibling : sibling.querySelector("h1, h2, h3, h4");
        if (heading) return heading.textContent.trim();
        sibling = sibling.previousElementSibling;
      }
      node = node.parentElement;
    }
    return document.title.split(" – ")[0];
  }

  function enhanceTables() {
    document.querySelectorAll("main table").forEach(function (table) {
      if (table.closest(".chart, details")) return;
      var box = table.parentElement;
      if (!box.matches(".table-wrap, .table-scroll")) {
        box = document.createElement("div");
        table.parentNode.insertBefore(box, table);
        box.appendChild(table);
      }
      box.classList.add("table-scroll");
      if (!box.hasAttribute("role")) box.setAttribute("role", "region");
      if (!box.hasAttribute("aria-label")) box.setAttribute("aria-label", nameFor(table));
      if (!box.hasAttribute("tabindex")) box.setAttribute("tabindex", "0");
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhanceTables);
  } else {
    enhanceTables();
  }
})();
