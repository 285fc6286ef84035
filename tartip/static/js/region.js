// District map (Leaflet, GeoJSON; base tiles only from a tile server the office configured)
// and population chart (Vega-Lite, evaluated by vega-interpreter: no eval under the CSP).
(function () {
  "use strict";

  function drawMap(element, collection) {
    var map = L.map(element, { attributionControl: false, zoomSnap: 0.25 });
    if (window.TartipMapTiles) { window.TartipMapTiles.addTo(map); }
    var shapes = L.geoJSON(collection, {
      filter: function (feature) { return feature.geometry.type !== "Point"; },
      style: function () { return { color: "#1d4e89", weight: 1.5, fillColor: "#5b8fd1", fillOpacity: 0.18 }; },
      onEachFeature: function (feature, layer) { layer.bindTooltip(feature.properties.name); },
    }).addTo(map);
    L.geoJSON(collection, {
      filter: function (feature) { return feature.geometry.type === "Point"; },
      pointToLayer: function (feature, latlng) {
        return L.circleMarker(latlng, { radius: 4, color: "#0b2545", fillOpacity: 1 });
      },
      onEachFeature: function (feature, layer) {
        layer.bindTooltip(feature.properties.centre || feature.properties.name);
      },
    }).addTo(map);
    var bounds = shapes.getBounds();
    if (bounds.isValid()) { map.fitBounds(bounds); } else { map.setView([48, 67], 4); }
  }

  function drawChart(element, collection) {
    // A district appears twice (shape and centre): one bar each, only where population is known.
    var byKato = {};
    collection.features.forEach(function (f) {
      if (f.properties.population) { byKato[f.properties.kato] = f.properties; }
    });
    var rows = Object.keys(byKato).map(function (kato) { return byKato[kato]; });
    var spec = {
      $schema: "https://vega.github.io/schema/vega-lite/v6.json",
      data: { values: rows },
      width: "container",
      height: { step: 22 },
      mark: { type: "bar", color: "#1d4e89" },
      encoding: {
        y: { field: "name", type: "nominal", sort: "-x", title: element.dataset.axisDistrict },
        x: { field: "population", type: "quantitative", title: element.dataset.axisPopulation },
        tooltip: [{ field: "name" }, { field: "population", format: "," }, { field: "population_year" }],
      },
    };
    vegaEmbed(element, spec, {
      ast: true, expr: window.vegaExpressionInterpreter, renderer: "canvas", actions: false, defaultStyle: false,
      // vega-tooltip would inject a <style> element, which the CSP refuses: tartip.css styles it.
      tooltip: { disableDefaultStyle: true },
    }).catch(function (error) { element.textContent = String(error); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var mapElement = document.getElementById("district-map");
    var chartElement = document.getElementById("population-chart");
    if (!mapElement) { return; }
    fetch(mapElement.dataset.geojsonUrl, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (collection) {
        drawMap(mapElement, collection);
        if (chartElement) { drawChart(chartElement, collection); }
      });
  });
})();
