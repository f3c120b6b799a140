/* The maps' self-hosted base layer: land, coastlines and country borders from Natural Earth
   (world-atlas, 1:50m, vendored), drawn in a pane under any tile layer and the markers. It
   needs no request beyond this site, so a map is never a grey box: offline, on an intranet,
   or when no tile server is configured (MAP_TILE_URL empty: then no other host learns which
   area is being looked at). */
"use strict";

window.lootwatchBaseMap = function (map, url) {
  // The zoom range a tile layer would give (marker clusters need one), tiles or not.
  if (map.options.maxZoom === undefined) map.setMaxZoom(18);
  // Under the tile pane (200): a configured tile server is drawn on top of it.
  map.createPane("basemap").style.zIndex = 150;
  map.getContainer().classList.add("has-basemap");

  function layer(geometry, className) {
    return L.geoJSON(geometry, { pane: "basemap", interactive: false, className: className, weight: 1 });
  }

  return fetch(url, { credentials: "same-origin" })
    .then(function (response) {
      if (!response.ok) {
        throw new Error(interpolate(gettext("The base map could not be loaded (%s)."), [response.status]));
      }
      return response.json();
    })
    .then(function (world) {
      const countries = world.objects.countries;
      layer(topojson.feature(world, world.objects.land), "basemap-land").addTo(map);
      // Borders are the edges two countries share; coastlines, those only one has.
      layer(topojson.mesh(world, countries, function (a, b) { return a !== b; }), "basemap-border").addTo(map);
      layer(topojson.mesh(world, countries, function (a, b) { return a === b; }), "basemap-coast").addTo(map);
      map.getContainer().dataset.basemap = "drawn";
    });
};
