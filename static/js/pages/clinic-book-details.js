// The booking details step and the waitlist: the fields about the person cared for show only when the
// appointment is for them ("Someone I care for"). Without JavaScript they always show.
(function () {
  "use strict";
  var fields = document.getElementById("dependent-fields");
  var choices = document.querySelectorAll("input[data-for-whom]");
  if (!fields || !choices.length) {
    return;
  }
  function update() {
    var chosen = document.querySelector("input[data-for-whom]:checked");
    fields.hidden = !chosen || chosen.value !== "dependent";
  }
  choices.forEach(function (choice) {
    choice.addEventListener("change", update);
  });
  update();
})();
