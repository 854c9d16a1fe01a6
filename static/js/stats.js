/* The statistics form: choosing a period fills in its dates; editing a date switches the
   period to "Custom dates". Without JavaScript the server does the same. */
(function () {
  "use strict";
  var preset = document.querySelector("[data-stats-preset]");
  if (!preset) {
    return;
  }
  var from = document.getElementById("s-from");
  var to = document.getElementById("s-to");
  preset.addEventListener("change", function () {
    var option = preset.options[preset.selectedIndex];
    if (option.dataset.from) {
      from.value = option.dataset.from;
      to.value = option.dataset.to;
    } else if (option.value === "all") {
      from.value = "";
      to.value = "";
    }
  });
  [from, to].forEach(function (input) {
    input.addEventListener("change", function () {
      preset.value = "custom";
    });
  });
}());
