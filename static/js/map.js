/* The incidents map: markers from the page's GeoJSON endpoint for the box in view, grouped
   by the server when there are many (a click on a group zooms in), and the routes the goods
   were taken along, drawn as arrows from each incident to where its goods
   went (a checkbox hides them). Clicking a marker or a route (or Enter on a focused marker)
   opens the incident. */
"use strict";

(function () {
  const element = document.getElementById("incident-map");
  const status = document.getElementById("map-status");
  const routesToggle = document.getElementById("map-show-routes");
  const config = JSON.parse(document.getElementById("map-config").textContent);
  // Counts are written the page's way: 1,234 in English, 1 234 in Ukrainian.
  const language = document.documentElement.lang || "en";
  const map = L.map(element, { scrollWheelZoom: false }).setView([49.0, 31.0], 5);
  // Borders and coastlines from this site, always; a tile server's tiles on top if one is set.
  window.lootwatchBaseMap(map, config.base_map_url).catch(function (error) {
    status.textContent = error.message;
  });
  if (config.tile_url) {
    L.tileLayer(config.tile_url, { attribution: config.tile_attribution, maxZoom: 18 }).addTo(map);
  }

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

  /* The keyboard reaches each incident by its marker (Tab, then Enter), named by its title;
     a route is the pointer's second way to the same incident, and the incident's page lists
     where its goods went. Its tooltip's focus listeners make Chromium put the SVG path in
     the tab order, where it would be a stop with no name that Enter does not open: take it
     out (it may still take focus from the pointer, which shows the tooltip). Leaflet draws
     a new path each time the routes are shown again. */
  function keepOutOfTabOrder(layer) {
    layer.on("add", function () {
      const path = layer.getElement();
      if (path) path.setAttribute("tabindex", "-1");
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
    keepOutOfTabOrder(line);
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

  // Markers of single incidents, and groups counted by the server when there are many.
  const groups = L.layerGroup().addTo(map);
  let request = null;
  let fitted = false;
  // Whether the last answer holds every incident the filters match (no box, not grouped):
  // then moving the map needs no new answer.
  let complete = false;

  function groupMarker(feature, latlng) {
    const count = feature.properties.count;
    const size = count < 100 ? "small" : count < 1000 ? "medium" : "large";
    const marker = L.marker(latlng, {
      icon: L.divIcon({
        // The look of leaflet.markercluster's own groups (MarkerCluster.Default.css).
        html: "<div><span>" + count.toLocaleString(language) + "</span></div>",
        className: "marker-cluster marker-cluster-" + size + " server-cluster",
        iconSize: L.point(40, 40),
      }),
      title: interpolate(ngettext("%s incident: zoom in", "%s incidents: zoom in", count), [count]),
      alt: interpolate(ngettext("%s incident", "%s incidents", count), [count]),
      keyboard: true,
    });
    marker.on("click", function () {
      map.setView(latlng, Math.min(map.getZoom() + 3, 18));
    });
    return marker;
  }

  function incidentMarker(feature, latlng) {
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
  }

  function describe(collection, points) {
    if (collection.clustered) {
      return interpolate(
        gettext("%(incidents)s in this part of the map, in %(groups)s: zoom in or click a group to see each one."),
        {
          incidents: interpolate(
            ngettext("%s incident", "%s incidents", collection.total), [collection.total.toLocaleString(language)]
          ),
          groups: interpolate(ngettext("%s group", "%s groups", points.length), [points.length]),
        },
        true
      );
    }
    let text = interpolate(
      ngettext("%s incident on the map.", "%s incidents on the map.", points.length), [points.length]
    );
    if (lines.length) {
      text += " " + interpolate(
        ngettext("%s route of looted goods.", "%s routes of looted goods.", lines.length), [lines.length]
      );
    }
    return text;
  }

  function display(collection) {
    cluster.clearLayers();
    groups.clearLayers();
    routes.clearLayers();
    arrowheads.clearLayers();
    routes.addLayer(arrowheads);
    lines.length = 0;
    const points = collection.features.filter(function (feature) {
      return feature.geometry.type === "Point";
    });
    collection.features
      .filter(function (feature) { return feature.geometry.type === "LineString"; })
      .forEach(function (feature) { routeLayer(feature).addTo(routes); });
    const layer = L.geoJSON(points, {
      pointToLayer: collection.clustered ? groupMarker : incidentMarker,
    });
    status.textContent = describe(collection, points);
    if (!fitted && points.length) {
      // The first answer covers every incident: zoom to them, without animation, before
      // adding the markers (the cluster group would otherwise move them after the page
      // says it is ready). Later answers follow the view the reader chooses.
      fitted = true;
      const bounds = layer.getBounds();
      lines.forEach(function (line) { bounds.extend(line.getBounds()); });
      map.fitBounds(bounds, { padding: [30, 30], maxZoom: 11, animate: false });
    }
    (collection.clustered ? groups : cluster).addLayer(layer);
    showRoutes(!routesToggle || routesToggle.checked);
    element.dataset.clustered = String(Boolean(collection.clustered));
    element.dataset.loaded = String(collection.clustered ? collection.total : points.length);
  }

  // Ask for the visible box and zoom; a newer view cancels the answer to an older one.
  function load(withView) {
    if (request) request.abort();
    request = new AbortController();
    let url = config.geojson_url;
    if (withView) {
      const box = map.getBounds();
      const clamp = function (value, limit) { return Math.max(-limit, Math.min(limit, value)); };
      url += (url.indexOf("?") === -1 ? "?" : "&") + new URLSearchParams({
        bbox: [
          clamp(box.getWest(), 180), clamp(box.getSouth(), 90),
          clamp(box.getEast(), 180), clamp(box.getNorth(), 90),
        ].map(function (n) { return n.toFixed(5); }).join(","),
        zoom: String(map.getZoom()),
      }).toString();
    }
    fetch(url, {
      credentials: "same-origin",
      headers: { Accept: "application/geo+json" },
      signal: request.signal,
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(interpolate(gettext("The filters could not be read (%s)."), [response.status]));
        }
        return response.json();
      })
      .then(function (collection) {
        complete = !withView && !collection.clustered;
        display(collection);
      })
      .catch(function (error) {
        if (error.name === "AbortError") return;
        status.textContent = error.message;
        element.dataset.loaded = "error";
      });
  }

  // Zooming to the first answer moves the map too: groups are then asked for again, for
  // the box now in view.
  map.on("moveend", function () {
    if (fitted && !complete) load(true);
  });
  load(false);
})();
