// Shows similar existing ideas while someone types a new one, so they can support
// an existing idea instead of filing a duplicate. Progressive enhancement only.
(function () {
  "use strict";
  var form = document.querySelector("form[data-similar-url]");
  if (!form) return;
  var region = document.getElementById("similar-ideas");
  var fields = [form.querySelector("[name=title]"), form.querySelector("[name=problem]")];
  var timer = null;
  var last = "";

  function lookup() {
    var params = new URLSearchParams({
      title: fields[0] ? fields[0].value : "",
      problem: fields[1] ? fields[1].value.slice(0, 300) : ""
    });
    if (form.dataset.exclude) params.set("exclude", form.dataset.exclude);
    var query = params.toString();
    if (query === last) return;
    last = query;
    fetch(form.dataset.similarUrl + "?" + query, {credentials: "same-origin"})
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) { region.innerHTML = html; })
      .catch(function () { /* the form works without suggestions */ });
  }

  fields.forEach(function (field) {
    if (!field) return;
    field.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(lookup, 400);
    });
  });
})();
