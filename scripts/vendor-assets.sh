#!/usr/bin/env bash
# Re-vendor the front-end assets in static/vendor/ from the npm registry, at the versions pinned
# in static/vendor/package.json, copying only the files listed below.
#
# Why a script: the production build (collectstatic with hashed, compressed names) rewrites every
# `sourceMappingURL` it finds and fails on a map that is not there. We serve minified files without
# their maps, so the comment pointing at a map is stripped here, every time, instead of by hand.
# tests/lootwatch/test_static_build.py fails if a vendored file names a missing map again.
#
# Usage: scripts/vendor-assets.sh   (or: make vendor). Needs node and npm.
set -euo pipefail
cd "$(dirname "$0")/.."
VENDOR=static/vendor
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cp "$VENDOR/package.json" "$work/package.json"
npm install --prefix "$work" --no-audit --no-fund --no-package-lock --ignore-scripts --silent
modules="$work/node_modules"

# source (under node_modules)                          -> destination (under static/vendor)
files=(
  "@picocss/pico/css/pico.min.css                         pico/pico.min.css"
  "@picocss/pico/LICENSE.md                               pico/LICENSE.md"
  "htmx.org/dist/htmx.min.js                              htmx/htmx.min.js"
  "htmx.org/LICENSE                                       htmx/LICENSE"
  "leaflet/dist/leaflet.js                                leaflet/leaflet.js"
  "leaflet/dist/leaflet.css                               leaflet/leaflet.css"
  "leaflet/dist/images                                    leaflet/images"
  "leaflet/LICENSE                                        leaflet/LICENSE"
  "leaflet.markercluster/dist/leaflet.markercluster.js    leaflet.markercluster/leaflet.markercluster.js"
  "leaflet.markercluster/dist/MarkerCluster.css           leaflet.markercluster/MarkerCluster.css"
  "leaflet.markercluster/dist/MarkerCluster.Default.css   leaflet.markercluster/MarkerCluster.Default.css"
  "leaflet.markercluster/MIT-LICENCE.txt                  leaflet.markercluster/LICENSE"
  "topojson-client/dist/topojson-client.min.js            topojson-client/topojson-client.min.js"
  "topojson-client/LICENSE                                topojson-client/LICENSE"
  "world-atlas/countries-50m.json                         world-atlas/countries-50m.json"
  "world-atlas/LICENSE                                    world-atlas/LICENSE"
)

for entry in "${files[@]}"; do
  read -r source destination <<<"$entry"
  mkdir -p "$(dirname "$VENDOR/$destination")"
  rm -rf "${VENDOR:?}/$destination"
  cp -R "$modules/$source" "$VENDOR/$destination"
done

# Drop the map references (//# sourceMappingURL=… in JS, /*# sourceMappingURL=… */ in CSS).
find "$VENDOR" -type f \( -name '*.js' -o -name '*.css' \) -print0 |
  xargs -0 sed -i -E '/^[[:space:]]*(\/\/|\/\*)[#@] sourceMappingURL=/d'

# npm packages sometimes ship files as executable; assets never are.
find "$VENDOR" -type f -exec chmod 644 {} +

echo "Vendored into $VENDOR:"
find "$VENDOR" -type f ! -name README.md ! -name package.json | sort
