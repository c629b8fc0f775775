// A visible count under a textarea with a maxlength (progressive: without
// JavaScript the limit is stated in the help text and checked by the server).
// Browsers cut a paste that does not fit without a word: say how much was left out.
(function () {
  "use strict";
  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, name) { return String(values[name]); });
  }
  document.querySelectorAll("textarea[maxlength][data-count-template]").forEach(function (area) {
    var max = parseInt(area.getAttribute("maxlength"), 10);
    var count = document.createElement("p");
    count.className = "char-count small";
    count.id = area.id + "_count";
    count.setAttribute("aria-live", "polite");
    area.insertAdjacentElement("afterend", count);
    var warning = "";
    function update() {
      var text = fill(area.dataset.countTemplate, { count: area.value.length.toLocaleString(), max: max.toLocaleString() });
      count.textContent = warning ? text + " " + warning : text;
      count.classList.toggle("char-count-full", area.value.length >= max);
    }
    area.addEventListener("input", function (event) {
      if (event.inputType !== "insertFromPaste") warning = "";
      update();
    });
    area.addEventListener("paste", function (event) {
      var pasted = (event.clipboardData || window.clipboardData).getData("text");
      var kept = area.value.length - (area.selectionEnd - area.selectionStart);
      var cut = kept + pasted.length - max;
      warning = cut > 0 ? fill(area.dataset.cutTemplate, { cut: cut.toLocaleString(), max: max.toLocaleString() }) : "";
      window.setTimeout(update, 0);
    });
    update();
  });
})();
