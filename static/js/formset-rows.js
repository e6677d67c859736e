// "Add a party" / "Add a milestone" on the agreement page: a new empty row at once, from the row
// template the page carries (the formset's empty form), instead of showing the page again.
// Without this script the button still works: the server shows the page with one more row.
(function () {
  "use strict";

  function addRow(prefix) {
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var template = document.querySelector('template[data-formset-empty-row="' + prefix + '"]');
    var rows = document.querySelector('[data-formset-rows="' + prefix + '"]');
    if (!total || !template || !rows) {
      return false;
    }
    var index = parseInt(total.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    var holder = document.createElement("div");
    holder.innerHTML = html.trim();
    var row = holder.firstElementChild;
    var number = row.querySelector("[data-row-number]");
    if (number) {
      number.textContent = String(index + 1);
    }
    rows.appendChild(row);
    total.value = String(index + 1);
    document.dispatchEvent(new CustomEvent("formset:added", { detail: { row: row, prefix: prefix } }));
    var first = row.querySelector("input:not([type=hidden]), select, textarea");
    if (first) {
      first.focus();
    }
    return true;
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-formset-add]");
    if (button && addRow(button.getAttribute("data-formset-add"))) {
      event.preventDefault();
    }
  });
})();
