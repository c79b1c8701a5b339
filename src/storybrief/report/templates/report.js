(function () {
  "use strict";
  var controls = document.getElementById("index-controls");
  var list = document.getElementById("story-list");
  var filter = document.getElementById("filter");
  var first = document.getElementById("conflicts-first");
  if (controls && list && filter && first) { indexControls(); }
  popover();

  function indexControls() {
  var items = Array.prototype.slice.call(list.children);
  var place = new Map(items.map(function (li, i) { return [li, i]; }));
  controls.hidden = false;
  function arrange() {
    var words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
    var sorted = items.slice().sort(function (a, b) {
      if (first.checked) {
        var d = Number(b.dataset.conflicts || 0) - Number(a.dataset.conflicts || 0);
        if (d) { return d; }
      }
      return place.get(a) - place.get(b);
    });
    sorted.forEach(function (li) {
      var text = li.textContent.toLowerCase();
      li.hidden = !words.every(function (w) { return text.indexOf(w) >= 0; });
      list.appendChild(li);
    });
  }
  filter.addEventListener("input", arrange);
  first.addEventListener("change", arrange);
  }

  function popover() {
  var pop = document.getElementById("popover");
  if (!pop) { return; }
  var body = document.getElementById("popover-body");
  var link = document.getElementById("popover-link");
  var close = document.getElementById("popover-close");
  var opener = null;
  function hide() {
    pop.hidden = true;
    if (opener) { opener.focus(); opener = null; }
  }
  function show(cite) {
    var target = document.getElementById(cite.getAttribute("href").slice(1));
    var article = target && target.closest("article.source");
    if (!target || !article) { return false; }
    body.textContent = "";
    var head = document.createElement("p");
    head.className = "meta";
    head.textContent = article.querySelector("h3").textContent + " — " + article.querySelector(".meta").textContent;
    body.appendChild(head);
    var context = (target.closest("p") || target).cloneNode(true);
    context.querySelectorAll("[id]").forEach(function (el) { el.removeAttribute("id"); el.removeAttribute("tabindex"); });
    context.querySelectorAll("mark").forEach(function (m) {
      if (m.textContent !== target.textContent) { m.replaceWith(document.createTextNode(m.textContent)); }
    });
    body.appendChild(context);
    // a served page links to the article's own page, where the sentence is highlighted too
    link.setAttribute("href", article.dataset.page ? article.dataset.page + "#" + target.id : "#" + article.id);
    opener = cite;
    pop.hidden = false;
    close.focus();
    return true;
  }
  document.addEventListener("click", function (event) {
    var cite = event.target.closest && event.target.closest("a.cite");
    if (cite && show(cite)) { event.preventDefault(); }
  });
  close.addEventListener("click", hide);
  link.addEventListener("click", function () { pop.hidden = true; opener = null; });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !pop.hidden) { hide(); }
  });
  }
})();
