// The day picker (templates/clinic/book/_day_picker.html) is one stop for Tab: the chosen day
// takes focus, the arrow keys (and Home, End) move between days, and the next Tab reaches the
// times. Without this script every day is a plain link in the Tab order.
(function () {
  "use strict";
  function setUp(picker) {
    var days = Array.prototype.slice.call(picker.querySelectorAll("a.day-chip"));
    if (!days.length) {
      return;
    }
    var current = days.findIndex(function (day) { return day.hasAttribute("aria-current"); });
    if (current < 0) {
      current = 0;
    }
    days.forEach(function (day, index) {
      day.setAttribute("tabindex", index === current ? "0" : "-1");
    });
    picker.addEventListener("keydown", function (event) {
      var index = days.indexOf(document.activeElement);
      if (index < 0) {
        return;
      }
      var next = {
        ArrowRight: index + 1, ArrowDown: index + 1, ArrowLeft: index - 1, ArrowUp: index - 1,
        Home: 0, End: days.length - 1
      }[event.key];
      if (next === undefined) {
        return;
      }
      event.preventDefault();
      next = Math.max(0, Math.min(days.length - 1, next));
      days[index].setAttribute("tabindex", "-1");
      days[next].setAttribute("tabindex", "0");
      days[next].focus();
    });
  }
  document.querySelectorAll("[data-day-picker]").forEach(setUp);
})();
