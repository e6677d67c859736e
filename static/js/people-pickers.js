// Person pickers on the agreement page (agreements/people_pickers.py): a list shows the people of
// the park chosen beside it (a party's signatory, a milestone's responsible person) or of the
// parties chosen (the witnesses), and a box above a long list narrows it by what is typed.
// Without this script the lists are grouped by park and the server refuses a person of another park.
(function () {
  "use strict";

  var LONG_LIST = 12;

  function chosenParks(picker) {
    var source = picker.getAttribute("data-people-of");
    if (source) {
      var select = document.getElementById(source);
      return select && select.value ? [select.value] : null;
    }
    var prefix = picker.getAttribute("data-people-of-parties");
    if (prefix) {
      var parks = [];
      document.querySelectorAll('select[name^="' + prefix + '-"][name$="-technopolis"]').forEach(function (select) {
        if (select.value) {
          parks.push(select.value);
        }
      });
      return parks.length ? parks : null;
    }
    return null;
  }

  function refresh(picker) {
    var parks = chosenParks(picker);
    var filter = picker.previousElementSibling && picker.previousElementSibling.matches("[data-people-filter]")
      ? picker.previousElementSibling.value.trim().toLowerCase()
      : "";
    Array.prototype.forEach.call(picker.options, function (option) {
      if (!option.value) {
        return;
      }
      var park = option.getAttribute("data-park");
      var inPark = !parks || (park && parks.indexOf(park) !== -1);
      var matches = !filter || option.text.toLowerCase().indexOf(filter) !== -1;
      // A chosen person stays visible, so that nothing chosen disappears from view.
      option.hidden = !option.selected && !(inPark && matches);
    });
    picker.querySelectorAll("optgroup").forEach(function (group) {
      group.hidden = !Array.prototype.some.call(group.children, function (option) { return !option.hidden; });
    });
  }

  function addFilter(picker) {
    if (picker.options.length <= LONG_LIST || picker.previousElementSibling && picker.previousElementSibling.matches("[data-people-filter]")) {
      return;
    }
    var form = picker.closest("form");
    var box = document.createElement("input");
    box.type = "search";
    box.className = "form-control form-control-sm mb-1";
    box.setAttribute("data-people-filter", "");
    box.placeholder = form ? form.getAttribute("data-people-filter-label") || "" : "";
    box.setAttribute("aria-label", box.placeholder);
    box.addEventListener("input", function () { refresh(picker); });
    picker.parentNode.insertBefore(box, picker);
  }

  function setUp(root) {
    root.querySelectorAll("select[data-person-picker]").forEach(function (picker) {
      addFilter(picker);
      refresh(picker);
    });
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches("select")) {
      document.querySelectorAll("select[data-person-picker]").forEach(refresh);
    }
  });
  document.addEventListener("formset:added", function (event) { setUp(event.detail.row); });
  setUp(document);
})();
