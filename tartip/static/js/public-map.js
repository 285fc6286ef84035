// The public map of reports (/map/): Leaflet with the district shapes only (no tile server: offices
// run on closed networks) and one circle per ~500 m cell, sized by the number of reports in it.
// The GeoJSON names categories by code; their names come from the filter's own <select>, so the
// cached GeoJSON is the same in every language. The filters are a plain GET form (the table of
// districts beside the map is drawn by the server for the same filters).
(function () {
  "use strict";

  function categoryNames() {
    var names = {};
    var select = document.getElementById("map-category");
    if (!select) { return names; }
    Array.prototype.forEach.call(select.options, function (option) {
      if (option.value) { names[option.value] = option.textContent; }
    });
    return names;
  }

  // Tooltip content built as elements (never as HTML text).
  function tooltip(feature, label, names) {
    var box = document.createElement("div");
    var total = document.createElement("strong");
    total.textContent = label + ": " + feature.properties.count;
    box.appendChild(total);
    var categories = feature.properties.categories || {};
    var codes = Object.keys(categories).sort(function (a, b) { return categories[b] - categories[a]; });
    if (codes.length) {
      var list = document.createElement("ul");
      list.className = "public-map__tooltip-list";
      codes.forEach(function (code) {
        var item = document.createElement("li");
        item.textContent = (names[code] || code) + ": " + categories[code];
        list.appendChild(item);
      });
      box.appendChild(list);
    }
    return box;
  }

  function radius(count) {
    return Math.min(28, 6 + 4 * Math.sqrt(count));
  }

  function drawReports(map, element, collection, status) {
    var names = categoryNames();
    var label = element.dataset.reportsLabel;
    var layer = L.geoJSON(collection, {
      pointToLayer: function (feature, latlng) {
        return L.circleMarker(latlng, {
          radius: radius(feature.properties.count),
          color: "#a3261b", weight: 1.5, fillColor: "#d9534f", fillOpacity: 0.55,
        });
      },
      onEachFeature: function (feature, item) {
        item.bindTooltip(tooltip(feature, label, names));
      },
    }).addTo(map);
    status.textContent = label + ": " + (collection.total || 0);
    return layer;
  }

  function setup(element) {
    if (typeof L === "undefined") { return; }
    var status = document.getElementById("public-map-status");
    var map = L.map(element, { attributionControl: false, zoomSnap: 0.25 });
    if (window.TartipMapTiles) { window.TartipMapTiles.addTo(map); }
    map.setView([48, 67], 4);

    var shapes = fetch(element.dataset.districtsUrl, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (collection) {
        var layer = L.geoJSON(collection, {
          style: function () { return { color: "#0b4a6f", weight: 1.2, fillColor: "#5b8fd1", fillOpacity: 0.1 }; },
          onEachFeature: function (feature, item) { item.bindTooltip(feature.properties.name, { sticky: true }); },
        }).addTo(map);
        layer.bringToBack();
        var bounds = layer.getBounds();
        if (bounds.isValid()) { map.fitBounds(bounds, { padding: [8, 8], animate: false }); }
      })
      .catch(function () { /* the reports are still drawn */ });

    var reports = fetch(element.dataset.reportsUrl, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          return response.json().then(function (body) { throw new Error(body.error || element.dataset.failedText); });
        }
        return response.json();
      });

    Promise.all([shapes, reports])
      .then(function (results) { drawReports(map, element, results[1], status); })
      .catch(function (error) { status.textContent = error.message || element.dataset.failedText; })
      .then(function () { element.classList.add("is-ready"); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var element = document.getElementById("public-map");
    if (element) { setup(element); }
  });
})();
