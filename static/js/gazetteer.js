/* The log form's gazetteer: find a settlement by name (any script or transliteration) and
   fill the new place with it; suggest the settlement nearest to typed coordinates, or to
   where a chosen photo says it was taken. Without this script the fields are typed by hand. */
"use strict";

(function () {
  function field(scope, prefix, name) {
    return scope.form.querySelector("[name='" + prefix + "-" + name + "']");
  }

  function describe(place) {
    const where = [place.admin1, place.country].filter(Boolean).join(", ");
    const text = place.name + (where ? " — " + where : "") +
      " (" + place.latitude.toFixed(4) + ", " + place.longitude.toFixed(4) + ")";
    if (place.distance_km === undefined) return text;
    return text + ", " + interpolate(gettext("%s km"), [place.distance_km]);
  }

  /* Fill the new place from a suggestion, as if typed, so the duplicate check hears it. */
  function fill(scope, place) {
    const prefix = scope.box.dataset.gazetteer;
    const values = {
      name: place.name,
      alternative_names: place.alternative_names.join(", "),
      country: place.country,
      admin1: place.admin1,
      admin2: place.admin2,
      latitude: place.latitude.toFixed(6),
      longitude: place.longitude.toFixed(6),
      precision: "settlement",
    };
    Object.keys(values).forEach(function (name) {
      const input = field(scope, prefix, name);
      if (!input) return;
      input.value = values[name];
      input.dispatchEvent(new Event("change", { bubbles: true }));
    });
    // The picker beside this section now means "a new place".
    const fieldset = scope.box.closest("fieldset") || scope.form;
    const picker = fieldset.querySelector("select[data-new-opens]");
    if (picker && picker.querySelector("option[value='new']")) picker.value = "new";
    scope.results.replaceChildren();
    scope.status.textContent = interpolate(gettext("Filled in from the gazetteer: %s."), [place.name]);
  }

  function choice(scope, place, label) {
    const item = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "secondary outline gazetteer-choice";
    button.textContent = label || describe(place);
    button.addEventListener("click", function () { fill(scope, place); });
    item.appendChild(button);
    return item;
  }

  async function getJSON(url) {
    const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
    if (!response.ok) return null;
    return response.json();
  }

  async function lookUp(scope, text) {
    const url = scope.box.dataset.lookupUrl + "?q=" + encodeURIComponent(text);
    // The first look-up of a fresh server reads the gazetteer (seconds): say it is searching.
    if (text.trim().length >= 2) scope.status.textContent = gettext("Searching the gazetteer…");
    const answer = text.trim().length < 2 ? { results: [] } : await getJSON(url);
    if (scope.search.value !== text) return;
    if (!answer) {
      scope.status.textContent = gettext("The gazetteer did not answer: type the place in below.");
      return;
    }
    scope.results.replaceChildren.apply(scope.results, answer.results.map(function (place) {
      return choice(scope, place);
    }));
    scope.status.textContent = text.trim().length >= 2 && !answer.results.length
      ? gettext("No settlement of that name in the gazetteer: type the place in below.") : "";
  }

  function suggest(scope, nearest, lead) {
    scope.results.replaceChildren();
    if (!nearest) {
      scope.status.textContent = (lead ? lead + " " : "") + gettext("No settlement within 50 km.");
      return;
    }
    scope.status.textContent = (lead ? lead + " " : "") +
      interpolate(gettext("Nearest settlement: %s."), [describe(nearest)]);
    scope.results.appendChild(choice(scope, nearest, interpolate(gettext("Use %s"), [nearest.name])));
  }

  async function nearestToTyped(scope) {
    const prefix = scope.box.dataset.gazetteer;
    const latitude = field(scope, prefix, "latitude");
    const longitude = field(scope, prefix, "longitude");
    if (!latitude || !longitude || latitude.value.trim() === "" || longitude.value.trim() === "") return;
    const url = scope.box.dataset.nearestUrl + "?latitude=" + encodeURIComponent(latitude.value) +
      "&longitude=" + encodeURIComponent(longitude.value);
    const answer = await getJSON(url);
    if (answer) suggest(scope, answer.nearest, "");
  }

  async function nearestToPhoto(scope, file) {
    const body = new FormData();
    body.append("photo", file);
    const token = scope.form.querySelector("[name=csrfmiddlewaretoken]");
    const response = await fetch(scope.box.dataset.photoUrl, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRFToken": token ? token.value : "", Accept: "application/json" },
    });
    if (!response.ok) return;
    const answer = await response.json();
    if (answer.latitude === null) return;
    scope.box.closest("details").open = true;
    suggest(scope, answer.nearest, interpolate(
      gettext("The photo %(name)s was taken at %(latitude)s, %(longitude)s."),
      { name: file.name, latitude: answer.latitude.toFixed(5), longitude: answer.longitude.toFixed(5) },
      true
    ));
  }

  function setUp(box) {
    const scope = {
      box: box,
      form: box.closest("form"),
      search: box.querySelector("input[type=search]"),
      results: box.querySelector(".gazetteer-results"),
      status: box.querySelector(".gazetteer-nearest"),
    };
    if (!scope.form) return;
    let timer = null;
    scope.search.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { lookUp(scope, scope.search.value); }, 250);
    });
    // Enter in the search box looks up; it must not send the whole form.
    scope.search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); lookUp(scope, scope.search.value); }
    });
    const prefix = box.dataset.gazetteer;
    ["latitude", "longitude"].forEach(function (name) {
      const input = field(scope, prefix, name);
      if (input) input.addEventListener("change", function (event) {
        if (event.isTrusted) nearestToTyped(scope);
      });
    });
    return scope;
  }

  document.addEventListener("DOMContentLoaded", function () {
    const scopes = Array.from(document.querySelectorAll("[data-gazetteer]")).map(setUp).filter(Boolean);
    // A photo's GPS position suggests the incident's own place (the first picker).
    const main = scopes[0];
    if (!main) return;
    main.form.addEventListener("change", function (event) {
      const input = event.target;
      if (!input.matches || !input.matches("input[type=file]")) return;
      Array.from(input.files).filter(function (file) { return file.type.startsWith("image/"); })
        .forEach(function (file) { nearestToPhoto(main, file); });
    });
  });
})();
