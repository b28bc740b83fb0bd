/* Checks as you type, on the answer editor (optional: without it, "Vérifier" does the same).
   Sends the typed texts to /reponses/controle.json and shows, under each text, the SMS count
   and the problems. The server checks again on "Enregistrer": it is the authority. */
(function () {
  "use strict";
  var form = document.getElementById("answer-form");
  if (!form || !window.fetch || !window.FormData) { return; }
  var timer = null;
  function show(reports) {
    reports.forEach(function (report, index) {
      var box = document.getElementById("live_" + index);
      if (!box) { return; }
      var sms = report.sms ? report.sms.segments + " SMS, " + report.sms.length + " caractères. " : "";
      box.textContent = sms + (report.ok ? "Le texte passe les vérifications." : report.problems.join(" "));
    });
  }
  function check() {
    var data = new FormData(form);
    data.set("action", "verifier");
    fetch(form.getAttribute("data-check-url"), { method: "POST", body: data, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (reports) { if (reports) { show(reports); } })
      .catch(function () { /* offline: the submit still checks */ });
  }
  form.addEventListener("input", function (event) {
    if (!event.target.name || event.target.name.indexOf("texte_") !== 0) { return; }
    clearTimeout(timer);
    timer = setTimeout(check, 600);
  });
  form.setAttribute("data-checks", "on"); /* the checks listen from now on (the browser test waits for it) */
}());
