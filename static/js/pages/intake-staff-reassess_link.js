// intake/staff/reassess_link.html
document.getElementById("copy-url").addEventListener("click", function () {
  var field = document.getElementById("reassess-url");
  field.select();
  if (navigator.clipboard) { navigator.clipboard.writeText(field.value); }
  this.textContent = "Copied";
});
