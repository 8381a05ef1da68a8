// Progress of batches being processed, without reloading by hand: poll /api/batches/<id>
// every second, update the text, reload the page once the batch is finished.
(function () {
  "use strict";
  function poll(el) {
    fetch(el.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (b) {
        if (!b) { return; }
        if (b.status !== "processing") { window.location.reload(); return; }
        var p = el.querySelector(".progress");
        if (p && b.documents_total) {
          p.textContent = "документов готово " + b.documents_done + " из " + b.documents_total;
        }
        setTimeout(function () { poll(el); }, 1000);
      })
      .catch(function () { setTimeout(function () { poll(el); }, 3000); });
  }
  document.querySelectorAll(".js-progress[data-url]").forEach(function (el) {
    setTimeout(function () { poll(el); }, 1000);
  });
})();
