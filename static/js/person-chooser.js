// Suggests people while a name is typed into a person field (people/choosers.py), as an
// ARIA 1.2 combobox: arrow keys move through the suggestions, Enter picks one, Escape
// closes them. Picking writes the person's e-mail address into the field, which is what
// the server reads; without this script people type the address themselves.
(function () {
  "use strict";
  var counter = 0;

  function setup(input) {
    var multiple = input.hasAttribute("data-person-multiple");
    var listbox = document.createElement("ul");
    var status = document.createElement("p");
    var id = "person-suggestions-" + (++counter);
    var timer = null;
    var active = -1;
    var results = [];
    var lastQuery = "";

    listbox.id = id;
    listbox.className = "person-chooser__list";
    listbox.setAttribute("role", "listbox");
    listbox.hidden = true;
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", id);
    input.parentNode.classList.add("person-chooser");
    input.insertAdjacentElement("afterend", listbox);
    listbox.insertAdjacentElement("afterend", status);

    // The text being typed: the whole field, or the last line of a list of addresses.
    function current() {
      if (!multiple) return input.value.trim();
      var parts = input.value.split(/[\n,;]/);
      return parts[parts.length - 1].trim();
    }

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var options = listbox.querySelectorAll("[role=option]");
      if (!options.length) return;
      active = (index + options.length) % options.length;
      options.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", options[active].id);
      options[active].scrollIntoView({block: "nearest"});
    }

    function pick(index) {
      var person = results[index];
      if (!person) return;
      if (multiple) {
        var lines = input.value.split("\n");
        lines[lines.length - 1] = person.value;
        input.value = lines.join("\n") + "\n";
      } else {
        input.value = person.value;
      }
      status.textContent = person.name;
      close();
      input.focus();
    }

    function show(people) {
      results = people;
      listbox.textContent = "";
      people.forEach(function (person, i) {
        var option = document.createElement("li");
        var name = document.createElement("span");
        var detail = document.createElement("span");
        option.id = id + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        name.textContent = person.name;
        name.dir = "auto";
        detail.textContent = person.detail;
        detail.className = "person-chooser__detail";
        option.append(name, detail);
        // mousedown, not click: it runs before the input loses focus.
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
          pick(i);
        });
        listbox.appendChild(option);
      });
      var open = people.length > 0;
      listbox.hidden = !open;
      input.setAttribute("aria-expanded", open ? "true" : "false");
      status.textContent = input.dataset.resultsText
        ? input.dataset.resultsText.replace("%s", people.length) : "";
      active = -1;
    }

    function lookup() {
      var query = current();
      if (query === lastQuery) return;
      lastQuery = query;
      if (query.length < 2) {
        show([]);
        return;
      }
      fetch(input.dataset.personSearch + "?" + new URLSearchParams({q: query}),
            {credentials: "same-origin", headers: {Accept: "application/json"}})
        .then(function (response) { return response.ok ? response.json() : {results: []}; })
        .then(function (data) { if (query === current()) show(data.results || []); })
        .catch(function () { show([]); });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(lookup, 250);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (listbox.hidden) {
          lastQuery = "";
          lookup();
          return;
        }
        event.preventDefault();
        highlight(active + (event.key === "ArrowDown" ? 1 : -1));
      } else if (event.key === "Enter" && !listbox.hidden && active >= 0) {
        event.preventDefault();
        pick(active);
      } else if (event.key === "Escape" && !listbox.hidden) {
        event.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  document.querySelectorAll("[data-person-search]").forEach(setup);
})();
