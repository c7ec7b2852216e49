// careplans/builder.html
// Mark an exercise whose dose was typed but not saved, and check before publishing.
document.addEventListener("input", function (event) {
  var card = event.target.closest(".plan-item");
  if (card && event.target.closest("form.dose-form")) card.classList.add("dirty");
});
document.getElementById("publish-form").addEventListener("submit", function (event) {
  var dirty = document.querySelectorAll(".plan-item.dirty").length;
  var message = dirty
    ? dirty + " exercise(s) have changes that are not saved. Publish anyway?"
    : "Publish this plan? The patient will be emailed a link to it.";
  if (!confirm(message)) event.preventDefault();
});
