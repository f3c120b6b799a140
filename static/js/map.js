/* The incidents map: markers from the page's GeoJSON endpoint, clustered when many, and the
   routes the goods were taken along, drawn as arrows from each incident to where its goods
   went (a checkbox hides them). Clicking a marker or a route (or Enter on a focused marker)
   opens the incident. */
"use strict";

(function () {
  const element = document.getElementById("incident-map");
  const status = document.getElementById("map-status");
  const routesToggle = document.getElementById("map-show-routes");
  const config = JSON.parse(document.getElementById("map-config").textContent);
  const map = L.map(element, { scrollWheelZoom: false }).setView([49.0, 31.0], 5);
  L.tileLayer(config.tile_url, { attribution: config.tile_attribution, maxZoom: 18 }).addTo(map);

  const cluster = L.markerClusterGroup({ showCoverageOnHover: false });
  map.addLayer(cluster);
  const routes = L.featureGroup();
  const lines = [];

  // Arrowheads are drawn in screen pixels, so that they keep their size at every zoom:
  // each is a small triangle at the end of a leg of the route, pointing along it.
  const ARROW_LENGTH = 14;
  const ARROW_HALF_WIDTH = 6;
  const arrowheads = L.layerGroup().addTo(routes);

  function drawArrowheads() {
    arrowheads.clearLayers();
    lines.forEach(function (line) {
      const points = line.getLatLngs().map(function (latlng) {
        return map.latLngToLayerPoint(latlng);
      });
      for (let i = 1; i < points.length; i++) {
        const from = points[i - 1];
        const to = points[i];
        const length = from.distanceTo(to);
        if (length < 1) continue;
        const dx = (to.x - from.x) / length;
        const dy = (to.y - from.y) / length;
        const base = L.point(to.x - dx * ARROW_LENGTH, to.y - dy * ARROW_LENGTH);
        const corners = [
          to,
          L.point(base.x - dy * ARROW_HALF_WIDTH, base.y + dx * ARROW_HALF_WIDTH),
          L.point(base.x + dy * ARROW_HALF_WIDTH, base.y - dx * ARROW_HALF_WIDTH),
        ];
        L.polygon(
          corners.map(function (corner) { return map.layerPointToLatLng(corner); }),
          { className: "route-arrow", stroke: false, fillOpacity: 0.9, interactive: false }
        ).addTo(arrowheads);
      }
    });
  }

  function routeLayer(feature) {
    const latlngs = feature.geometry.coordinates.map(function (position) {
      return L.latLng(position[1], position[0]);
    });
    const line = L.polyline(latlngs, { className: "route-line", weight: 3, opacity: 0.8 });
    line.bindTooltip(feature.properties.title + ": " + feature.properties.places.join(" → "));
    line.on("click", function () {
      window.location.assign(feature.properties.url);
    });
    lines.push(line);
    return line;
  }

  function showRoutes(show) {
    if (show) {
      map.addLayer(routes);
      drawArrowheads();
    } else {
      map.removeLayer(routes);
    }
  }

  map.on("zoomend", function () {
    if (map.hasLayer(routes)) drawArrowheads();
  });
  if (routesToggle) {
    routesToggle.addEventListener("change", function () { showRoutes(routesToggle.checked); });
  }

  fetch(config.geojson_url, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
    .then(function (response) {
      if (!response.ok) throw new Error("The filters could not be read (" + response.status + ").");
      return response.json();
    })
    .then(function (collection) {
      const incidents = collection.features.filter(function (feature) {
        return feature.geometry.type === "Point";
      });
      collection.features
        .filter(function (feature) { return feature.geometry.type === "LineString"; })
        .forEach(function (feature) { routeLayer(feature).addTo(routes); });
      const layer = L.geoJSON(incidents, {
        pointToLayer: function (feature, latlng) {
          const marker = L.marker(latlng, {
            title: feature.properties.title,
            alt: feature.properties.title,
            keyboard: true,
          });
          marker.on("click", function () {
            window.location.assign(feature.properties.url);
          });
          marker.bindTooltip(
            feature.properties.title + " — " + feature.properties.place + " (" +
            feature.properties.occurred_from + ")"
          );
          return marker;
        },
      });
      const count = incidents.length;
      status.textContent = count === 1 ? "1 incident on the map." : count + " incidents on the map.";
      if (lines.length) {
        status.textContent += lines.length === 1
          ? " 1 route of looted goods."
          : " " + lines.length + " routes of looted goods.";
      }
      if (collection.truncated) {
        status.textContent += " More match these filters than the map shows: narrow them down.";
      }
      if (count) {
        // Zoom first, without animation, then add the markers: the cluster group would
        // otherwise re-draw them after a zoom, moving them after the page says it is ready.
        const bounds = layer.getBounds();
        lines.forEach(function (line) { bounds.extend(line.getBounds()); });
        map.fitBounds(bounds, { padding: [30, 30], maxZoom: 11, animate: false });
      }
      cluster.addLayer(layer);
      showRoutes(!routesToggle || routesToggle.checked);
      element.dataset.loaded = String(count);
    })
    .catch(function (error) {
      status.textContent = error.message;
      element.dataset.loaded = "error";
    });
})();
