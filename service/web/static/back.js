// «Назад» on an error page: back in the browser's history, where the refused form still
// holds what was typed (the link's own address opens that form empty). Without scripts the
// link opens the address.
(function () {
  "use strict";
  document.querySelectorAll("a[data-back]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      if (window.history.length > 1 && document.referrer === link.href) {
        event.preventDefault();
        window.history.back();
      }
    });
  });
})();
