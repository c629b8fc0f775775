// Progressive enhancements for narrow screens; without JavaScript the header's
// menu stays open and the seed filters open with one click on their summary.
(function () {
  "use strict";
  var button = document.querySelector(".menu-button");
  var header = document.querySelector(".site-header");
  if (button && header) {
    button.hidden = false;
    header.classList.add("has-menu-button");
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", String(open));
      header.classList.toggle("menu-open", open);
    });
  }
  // Where the filters sit beside the results (wide screens), show them open.
  var filters = document.querySelector("details.filters");
  if (filters && !window.matchMedia("(max-width: 56rem)").matches) {
    filters.open = true;
  }
})();
