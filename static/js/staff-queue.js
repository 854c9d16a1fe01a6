// The queue at speed: j/k move between complaints, Enter opens one, x selects it, / searches,
// ? shows the help; select-all for the page; the filters panel folded on narrow screens.
// Everything works without this file. Shortcuts never fire while typing in a field or with a
// modifier held, and can be turned off (remembered in this browser) for screen reader and
// speech input users; screen readers in browse mode keep their own single-key commands.
(function () {
  "use strict";
  var STORAGE_KEY = "complaints.queue.shortcuts";

  function storedOff() {
    try { return window.localStorage.getItem(STORAGE_KEY) === "off"; } catch (e) { return false; }
  }

  function store(on) {
    try { window.localStorage.setItem(STORAGE_KEY, on ? "on" : "off"); } catch (e) { /* private mode */ }
  }

  function isTyping(element) {
    if (!element) { return false; }
    if (element.isContentEditable) { return true; }
    var tag = element.tagName;
    if (tag === "TEXTAREA" || tag === "SELECT") { return true; }
    if (tag === "INPUT") {
      return ["checkbox", "radio", "button", "submit", "reset"].indexOf(element.type) === -1;
    }
    return false;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var table = document.querySelector("[data-queue-table]");
    if (!table) { return; }
    var links = Array.prototype.slice.call(table.querySelectorAll("[data-row-link]"));
    var boxes = Array.prototype.slice.call(table.querySelectorAll("tbody input[type=checkbox]"));
    var selectAll = document.querySelector("[data-select-all]");
    var counter = document.querySelector("[data-selected-count]");
    var dialog = document.querySelector("[data-shortcuts]");
    var toggle = document.querySelector("[data-shortcuts-toggle]");
    var openButton = document.querySelector("[data-shortcuts-open]");
    var closeButton = document.querySelector("[data-shortcuts-close]");
    var filters = document.querySelector("[data-filters]");
    var search = document.getElementById("f-q");
    var current = -1;
    var enabled = !storedOff();

    if (filters && window.matchMedia("(max-width: 63.99em)").matches) {
      filters.open = false;  // the table first; the panel is one tap away
    }

    function rowOf(index) { return links[index] ? links[index].closest("tr") : null; }

    function setCurrent(index, focus) {
      if (!links.length) { return; }
      index = Math.max(0, Math.min(links.length - 1, index));
      if (rowOf(current)) { rowOf(current).classList.remove("is-current"); }
      current = index;
      rowOf(current).classList.add("is-current");
      if (focus) {
        links[current].focus();
        rowOf(current).scrollIntoView({ block: "nearest" });
      }
    }

    links.forEach(function (link, index) {
      link.addEventListener("focus", function () { setCurrent(index, false); });
    });

    function updateSelection() {
      var chosen = boxes.filter(function (box) { return box.checked; }).length;
      if (selectAll) {
        selectAll.checked = chosen > 0 && chosen === boxes.length;
        selectAll.indeterminate = chosen > 0 && chosen < boxes.length;
      }
      if (counter) {
        counter.textContent = chosen ? counter.getAttribute("data-template").replace("%(n)s", chosen) : "";
      }
      boxes.forEach(function (box) { box.closest("tr").classList.toggle("is-selected", box.checked); });
    }

    boxes.forEach(function (box) { box.addEventListener("change", updateSelection); });
    if (selectAll && boxes.length) {
      selectAll.hidden = false;
      selectAll.addEventListener("change", function () {
        boxes.forEach(function (box) { box.checked = selectAll.checked; });
        updateSelection();
      });
    }
    updateSelection();

    var returnFocus = null;
    function openHelp() {
      if (!dialog || dialog.open) { return; }
      returnFocus = document.activeElement;
      dialog.showModal();
      if (closeButton) { closeButton.focus(); }
    }
    if (dialog) {
      dialog.addEventListener("close", function () {
        if (returnFocus && returnFocus.focus) { returnFocus.focus(); }
      });
    }
    if (closeButton) { closeButton.addEventListener("click", function () { dialog.close(); }); }
    if (openButton) {
      openButton.hidden = false;
      openButton.addEventListener("click", openHelp);
    }
    if (toggle) {
      toggle.checked = enabled;
      toggle.addEventListener("change", function () {
        enabled = toggle.checked;
        store(enabled);
      });
    }

    document.addEventListener("keydown", function (event) {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) { return; }
      if ((dialog && dialog.open) || isTyping(event.target)) { return; }
      if (event.key === "?") {
        event.preventDefault();
        openHelp();  // the help (and the switch) is always reachable
        return;
      }
      if (!enabled) { return; }
      if (event.key === "j" || event.key === "k") {
        event.preventDefault();
        setCurrent(current < 0 ? 0 : current + (event.key === "j" ? 1 : -1), true);
      } else if (event.key === "x" && current >= 0) {
        var box = rowOf(current).querySelector("input[type=checkbox]");
        if (box) {
          event.preventDefault();
          box.checked = !box.checked;
          updateSelection();
        }
      } else if (event.key === "/" && search) {
        event.preventDefault();
        if (filters) { filters.open = true; }
        search.focus();
      }
    });
  });
})();
