// «выбрать все» on the director's queue without a reload; the link (?all=1) works without it.
(function () {
  "use strict";
  var link = document.getElementById("select-all");
  if (!link) { return; }
  link.addEventListener("click", function (event) {
    event.preventDefault();
    var boxes = document.querySelectorAll("#queue input[name=document]");
    var all = Array.prototype.every.call(boxes, function (b) { return b.checked; });
    boxes.forEach(function (b) { b.checked = !all; });
  });
})();
