/* The editors' review workspace and queue: keyboard shortcuts and the small map.
   Everything here is an enhancement: the pages work without it. No inline script: the
   page passes what it needs in data- attributes (a strict Content-Security-Policy). */
"use strict";

(function () {
  const workspace = document.querySelector("[data-review-workspace]");
  const keysDialog = document.getElementById("ws-keys");

  function typingIn(element) {
    if (!element) return false;
    const tag = element.tagName;
    return element.isContentEditable || tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT";
  }

  function showKeys() {
    if (keysDialog && typeof keysDialog.showModal === "function" && !keysDialog.open) {
      keysDialog.showModal();
    }
  }

  /* Choose a decision and move to the field it needs next. */
  function decide(status) {
    const radio = document.querySelector("[data-decision-form] input[name='to_status'][value='" + status + "']");
    if (!radio) return;
    radio.checked = true;
    radio.dispatchEvent(new Event("change", { bubbles: true }));
    const next = status === "disputed" ? document.getElementById("id_dispute_reason") : document.getElementById("id_note");
    if (next) next.focus();
  }

  /* The dispute reason is asked for a dispute only (without script it is always shown). */
  function showReasonFor(form) {
    const chosen = form.querySelector("input[name='to_status']:checked");
    const disputing = !chosen || chosen.value === "disputed";
    form.querySelectorAll("[data-dispute-only]").forEach(function (element) {
      element.hidden = !disputing;
    });
  }

  const decisionForm = document.querySelector("[data-decision-form]");
  if (decisionForm) {
    showReasonFor(decisionForm);
    decisionForm.addEventListener("change", function () { showReasonFor(decisionForm); });
  }

  document.querySelectorAll("[data-show-keys]").forEach(function (button) {
    button.addEventListener("click", showKeys);
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "Escape" && typingIn(event.target)) {
      event.target.blur();
      return;
    }
    if (typingIn(event.target) || (keysDialog && keysDialog.open)) return;
    if (!workspace) {
      /* The queue: j opens the first claim listed. */
      if (event.key === "j") {
        const first = document.querySelector("#result_list a.queue-claim");
        if (first) { event.preventDefault(); window.location.assign(first.href); }
      }
      return;
    }
    switch (event.key) {
      case "v": event.preventDefault(); decide("verified"); break;
      case "d": event.preventDefault(); decide("disputed"); break;
      case "j":
        if (workspace.dataset.nextUrl) { event.preventDefault(); window.location.assign(workspace.dataset.nextUrl); }
        break;
      case "k":
        if (workspace.dataset.previousUrl) { event.preventDefault(); window.location.assign(workspace.dataset.previousUrl); }
        break;
      case "t": {
        const take = document.querySelector("[data-take-form]");
        if (take) { event.preventDefault(); take.requestSubmit(); }
        break;
      }
      case "?": event.preventDefault(); showKeys(); break;
    }
  });

  /* The small map: the incident's place (with a circle as large as "far" is for its
     precision) and where each photo's GPS says it was taken, over the self-hosted borders
     and coastlines; tiles on top only when a tile server is configured. */
  const mapElement = document.getElementById("ws-map");
  if (mapElement && window.L) {
    const place = [parseFloat(mapElement.dataset.lat), parseFloat(mapElement.dataset.lon)];
    const map = L.map(mapElement, { scrollWheelZoom: false, keyboard: false }).setView(place, 10);
    if (window.lootwatchBaseMap) window.lootwatchBaseMap(map, mapElement.dataset.baseMapUrl);
    if (mapElement.dataset.tileUrl) {
      L.tileLayer(mapElement.dataset.tileUrl, { attribution: mapElement.dataset.tileAttribution, maxZoom: 18 }).addTo(map);
    }
    const layers = [L.circleMarker(place, { radius: 7, color: "#1f4e79", fillOpacity: 0.9 }).bindTooltip(mapElement.dataset.label)];
    const radiusKm = parseFloat(mapElement.dataset.radiusKm);
    if (radiusKm > 0) layers.push(L.circle(place, { radius: radiusKm * 1000, color: "#1f4e79", weight: 1, fillOpacity: 0.05 }));
    mapElement.querySelectorAll("[data-photo]").forEach(function (photo) {
      const point = [parseFloat(photo.dataset.lat), parseFloat(photo.dataset.lon)];
      layers.push(L.circleMarker(point, { radius: 6, color: "#b3261e", fillOpacity: 0.9 }).bindTooltip(photo.dataset.label));
      layers.push(L.polyline([place, point], { color: "#b3261e", weight: 1, dashArray: "4 4" }));
    });
    const group = L.featureGroup(layers).addTo(map);
    // The map is one image, named by its aria-label: its tooltips' focus listeners must not
    // make Chromium put each marker's SVG path in the tab order as a stop with no name.
    group.eachLayer(function (layer) {
      const path = layer.getElement && layer.getElement();
      if (path) path.setAttribute("tabindex", "-1");
    });
    map.fitBounds(group.getBounds(), { padding: [16, 16], maxZoom: 12, animate: false });
    mapElement.dataset.loaded = "true";
  }
})();
