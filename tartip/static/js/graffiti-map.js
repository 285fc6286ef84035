// The graffiti of the page on a small Leaflet map (registry/graffiti/): the points come with the
// results (their `data-points`, JSON), so a filter that replaces the results redraws them.
(function () {
  "use strict";

  var map = null;
  var layer = null;
  var COLOURS = { reported: "#b3261e", destroyed: "#1b7f3b", dropped: "#777777" };

  function points() {
    var element = document.getElementById("graffiti-results");
    if (!element || !element.dataset.points) { return []; }
    try { return JSON.parse(element.dataset.points) || []; } catch (error) { return []; }
  }

  function draw() {
    var element = document.getElementById("graffiti-map");
    if (!element || typeof L === "undefined") { return; }
    if (!map) {
      map = L.map(element, { attributionControl: false, zoomSnap: 0.25 });
      if (window.TartipMapTiles) { window.TartipMapTiles.addTo(map); }
    }
    if (layer) { layer.remove(); }
    layer = L.featureGroup(points().map(function (point) {
      var marker = L.circleMarker([point.lat, point.lon], {
        radius: 6, color: COLOURS[point.status] || "#1d4e89", fillOpacity: 0.8,
      });
      if (point.label) { marker.bindTooltip(point.label); }
      return marker;
    })).addTo(map);
    var bounds = layer.getBounds();
    if (bounds.isValid()) { map.fitBounds(bounds, { maxZoom: 15, padding: [12, 12] }); } else { map.setView([48, 67], 4); }
  }

  document.addEventListener("DOMContentLoaded", draw);
  document.body.addEventListener("htmx:afterSettle", draw);
})();
