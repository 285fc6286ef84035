// Social facilities on the offline map (supervision/facilities/map/ and a facility's page): Leaflet
// with the district shapes of the reader's scope (no base tiles unless the office has a tile server)
// and one marker per facility, coloured by its status. The points come with the page (the map
// element's `data-points`, JSON); labels are set as text, never as HTML.
(function () {
  "use strict";

  var COLOURS = { planned: "#777777", building: "#c77700", completed: "#1b7f3b" };

  function points(element) {
    try { return JSON.parse(element.dataset.points || "[]") || []; } catch (error) { return []; }
  }

  function draw() {
    var element = document.getElementById("facility-map");
    if (!element || typeof L === "undefined") { return; }
    var map = L.map(element, { attributionControl: false, zoomSnap: 0.25 });
    if (window.TartipMapTiles) { window.TartipMapTiles.addTo(map); }
    var markers = L.featureGroup(points(element).map(function (point) {
      var marker = L.circleMarker([point.lat, point.lon], {
        radius: 8,
        color: COLOURS[point.status] || "#1d4e89",
        fillColor: COLOURS[point.status] || "#1d4e89",
        fillOpacity: point.approximate ? 0.35 : 0.85,
        dashArray: point.approximate ? "3 3" : null,
        className: "facility-marker facility-marker--" + point.status,
      });
      if (point.label) { marker.bindTooltip(document.createTextNode(point.label)); }
      return marker;
    }));
    function fit(shapes) {
      var bounds = markers.getBounds();
      if (shapes && shapes.getBounds().isValid()) { bounds = shapes.getBounds().extend(bounds.isValid() ? bounds : shapes.getBounds()); }
      if (bounds.isValid()) { map.fitBounds(bounds, { maxZoom: 12, padding: [12, 12] }); } else { map.setView([48, 67], 4); }
    }
    var url = element.dataset.districtsUrl;
    if (!url || !window.fetch) { markers.addTo(map); fit(null); return; }
    fetch(url, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : { features: [] }; })
      .catch(function () { return { features: [] }; })
      .then(function (collection) {
        var shapes = L.geoJSON(collection, {
          filter: function (feature) { return feature.geometry.type !== "Point"; },
          style: function () { return { color: "#1d4e89", weight: 1, fillColor: "#5b8fd1", fillOpacity: 0.08 }; },
          interactive: false,
        }).addTo(map);
        markers.addTo(map);
        fit(shapes);
        element.dataset.ready = "true";
      });
  }

  document.addEventListener("DOMContentLoaded", draw);
})();
