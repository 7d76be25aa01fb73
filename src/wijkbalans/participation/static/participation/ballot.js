/* The running total of a budget-round ballot, as the residents tick projects.
   Progressive enhancement: without this script the "Check the total" button asks the
   server, which answers with the same sentences (they come from the page's data-*
   attributes, already translated). Amounts are counted in cents, never in floats. */
(function () {
  "use strict";
  var form = document.getElementById("ballot");
  var out = document.getElementById("ballot-total");
  if (!form || !out) { return; }
  var english = (document.documentElement.lang || "nl").indexOf("en") === 0;
  var max = form.getAttribute("data-max") ? parseInt(form.getAttribute("data-max"), 10) : null;

  function cents(text) {
    var parts = String(text).split(".");
    var fraction = ((parts[1] || "") + "00").slice(0, 2);
    return parseInt(parts[0], 10) * 100 + parseInt(fraction, 10);
  }

  function euro(amount) {
    var sign = amount < 0 ? "\u2212" : "";
    amount = Math.abs(amount);
    var whole = String(Math.floor(amount / 100));
    var rest = ("0" + (amount % 100)).slice(-2);
    whole = whole.replace(/\B(?=(\d{3})+(?!\d))/g, english ? "," : ".");
    return "\u20ac " + sign + whole + (english ? "." : ",") + rest;
  }

  var budget = cents(form.getAttribute("data-budget"));

  function update() {
    var total = 0;
    var count = 0;
    var boxes = form.querySelectorAll("input[name=projects]");
    for (var i = 0; i < boxes.length; i++) {
      if (boxes[i].checked) {
        total += cents(boxes[i].getAttribute("data-cost"));
        count += 1;
      }
    }
    var over = total > budget;
    var tooMany = max !== null && count > max;
    var text = form.getAttribute(over ? "data-over" : (tooMany ? "data-too-many" : "data-within"));
    out.textContent = text.replace("{total}", euro(total)).replace("{budget}", euro(budget))
      .replace("{left}", euro(budget - total)).replace("{over}", euro(total - budget))
      .replace("{count}", String(count));
    out.className = over || tooMany ? "total over" : "total";
  }

  form.addEventListener("change", function (event) {
    if (event.target && event.target.name === "projects") { update(); }
  });
  // With a live total, the server-side check is no longer needed.
  var check = form.querySelector("button[name=action][value=check]");
  if (check) { check.hidden = true; }
}());
