// The volume of the items as they are typed (the server computes it again): each quantity input carries
// its unit volume in litres (data-volume). Without JavaScript the page works the same, without this line.
(function () {
  "use strict";
  var inputs = document.querySelectorAll("input.enc-qty[data-volume]");
  var box = document.getElementById("enc-volume");
  var output = document.getElementById("enc-volume-value");
  if (!inputs.length || !box || !output) return;
  function update() {
    var litres = 0;
    inputs.forEach(function (input) {
      var n = parseInt(input.value, 10);
      if (n > 0) litres += n * parseInt(input.dataset.volume, 10);
    });
    output.textContent = (litres / 1000).toLocaleString("fr-FR", { maximumFractionDigits: 2 }) + " m³";
  }
  inputs.forEach(function (input) { input.addEventListener("input", update); });
  box.hidden = false;
  update();
})();
