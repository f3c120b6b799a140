/* The incidents map: markers from the page's GeoJSON endpoint, clustered when many.
   Clicking a marker (or Enter on a focused marker) opens the incident. */
"use strict";

(function () {
  const element = document.getElementById("incident-map");
  const status = document.getElementById("map-status");
  const config = JSON.parse(document.getElementById("map-config").textContent);
  const map = L.map(element, { scrollWheelZoom: false }).setView([49.0, 31.0], 5);
  L.tileLayer(config.tile_url, { attribution: config.tile_attribution, maxZoom: 18 }).addTo(map);

  const cluster = L.markerClusterGroup({ showCoverageOnHover: false });
  map.addLayer(cluster);

  fetch(config.geojson_url, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
    .then(function (response) {
      if (!response.ok) throw new Error("The filters could not be read (" + response.status + ").");
      return response.json();
    })
    .then(function (collection) {
      const layer = L.geoJSON(collection, {
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
      const count = collection.features.length;
      status.textContent = count === 1 ? "1 incident on the map." : count + " incidents on the map.";
      if (collection.truncated) {
        status.textContent += " More match these filters than the map shows: narrow them down.";
      }
      if (count) {
        // Zoom first, without animation, then add the markers: the cluster group would
        // otherwise re-draw them after a zoom, moving them after the page says it is ready.
        map.fitBounds(layer.getBounds(), { padding: [30, 30], maxZoom: 11, animate: false });
      }
      cluster.addLayer(layer);
      element.dataset.loaded = String(count);
    })
    .catch(function (error) {
      status.textContent = error.message;
      element.dataset.loaded = "error";
    });
})();
