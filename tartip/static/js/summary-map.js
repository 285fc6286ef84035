// The results summary's map (reporting/map/): Leaflet with the finest units of the reader's remit,
// each filled with its change band's colour (chosen by the server: reporting.maps, the same bands
// as the documents' map), and the apps' points as layers the reader switches on and off. Base tiles
// only from a tile server the office configured. The data comes with the page (a json_script
// element); another figure chosen is fetched from the data endpoint and redrawn in place. Every
// text is set as text, never as HTML.
(function () {
  "use strict";

  function initialData() {
    var element = document.getElementById("summary-map-data");
    if (!element) { return null; }
    try { return JSON.parse(element.textContent); } catch (error) { return null; }
  }

  function paintSwatches(root) {
    root.querySelectorAll("[data-colour]").forEach(function (swatch) {
      swatch.style.backgroundColor = swatch.dataset.colour;
    });
  }

  function swatch(colour) {
    var span = document.createElement("span");
    span.className = "map-legend__swatch";
    span.dataset.colour = colour;
    span.setAttribute("aria-hidden", "true");
    return span;
  }

  function tooltip(element, properties) {
    var box = document.createElement("div");
    var name = document.createElement("strong");
    name.textContent = properties.name;
    box.appendChild(name);
    function line(label, text) {
      if (!text) { return; }
      var row = document.createElement("div");
      row.textContent = label + ": " + text;
      box.appendChild(row);
    }
    line(element.dataset.labelValue, properties.value);
    line(element.dataset.labelBase, properties.base);
    line(element.dataset.labelChange, properties.change);
    if (properties.rate) { line(element.dataset.labelRate, properties.rate + " (" + properties.base_rate + ")"); }
    if (properties.approximate) {
      var note = document.createElement("div");
      note.className = "muted";
      note.textContent = element.dataset.labelApproximate;
      box.appendChild(note);
    }
    return box;
  }

  function SummaryMap(element) {
    this.element = element;
    this.map = L.map(element, { attributionControl: false, zoomSnap: 0.25 });
    if (window.TartipMapTiles) { window.TartipMapTiles.addTo(this.map); }
    this.shapes = null;
    this.control = null;
    this.pointLayers = [];
  }

  SummaryMap.prototype.draw = function (data) {
    var self = this;
    var element = this.element;
    if (this.shapes) { this.map.removeLayer(this.shapes); }
    if (this.control) { this.map.removeControl(this.control); }
    this.pointLayers.forEach(function (layer) { self.map.removeLayer(layer); });
    this.shapes = L.geoJSON(data.shapes, {
      style: function (feature) {
        return {
          color: "#555555", weight: 1, fillColor: feature.properties.fill, fillOpacity: 0.8,
          dashArray: feature.properties.approximate ? "4 3" : null,
          className: "summary-map__unit",
        };
      },
      onEachFeature: function (feature, layer) { layer.bindTooltip(tooltip(element, feature.properties)); },
    }).addTo(this.map);
    var overlays = {};
    this.pointLayers = data.layers.map(function (layer, index) {
      var group = L.featureGroup(layer.points.map(function (point) {
        var marker = L.circleMarker([point.lat, point.lon], {
          radius: 5, color: "#ffffff", weight: 1, fillColor: layer.colour, fillOpacity: 0.9,
          className: "summary-map__point summary-map__point--" + layer.key,
        });
        if (point.label) { marker.bindTooltip(document.createTextNode(point.label)); }
        return marker;
      }));
      group.addTo(self.map);
      // The layer control takes its labels as HTML: built here from a text node, the swatch coloured
      // by a class (a style attribute in HTML would break the CSP).
      var label = document.createElement("span");
      var mark = document.createElement("span");
      mark.className = "map-legend__swatch summary-map__layer summary-map__layer--" + index;
      mark.setAttribute("aria-hidden", "true");
      label.appendChild(mark);
      label.appendChild(document.createTextNode(" " + layer.label + " (" + layer.points.length + ")"));
      overlays[label.outerHTML] = group;
      return group;
    });
    this.control = L.control.layers(null, overlays, { collapsed: false }).addTo(this.map);
    var bounds = this.shapes.getBounds();
    if (bounds.isValid()) { this.map.fitBounds(bounds, { padding: [8, 8] }); } else { this.map.setView([48, 67], 4); }
    element.dataset.code = data.code;
    element.dataset.ready = "true";
  };

  function fillLegend(data) {
    var legend = document.querySelector("[data-map-legend]");
    if (legend) {
      legend.textContent = "";
      data.legend.forEach(function (band) {
        var item = document.createElement("li");
        item.appendChild(swatch(band.colour));
        item.appendChild(document.createTextNode(" " + band.label));
        legend.appendChild(item);
      });
      paintSwatches(legend);
    }
    var title = document.querySelector("[data-map-title]");
    if (title) { title.textContent = data.title; }
    var notes = document.querySelector("[data-map-notes]");
    if (notes) {
      notes.textContent = "";
      data.notes.forEach(function (text) {
        var item = document.createElement("li");
        item.textContent = text;
        notes.appendChild(item);
      });
    }
  }

  function fillRows(data) {
    var body = document.querySelector("[data-map-rows]");
    if (!body) { return; }
    var labels = Array.prototype.map.call(document.querySelectorAll(".summary-map__table thead th"), function (th) {
      return th.textContent;
    });
    body.textContent = "";
    data.rows.forEach(function (row) {
      var tr = document.createElement("tr");
      var th = document.createElement("th");
      th.scope = "row";
      th.appendChild(swatch(row.colour));
      th.appendChild(document.createTextNode(" " + row.name));
      if (row.shape) {
        var muted = document.createElement("span");
        muted.className = "small muted";
        muted.textContent = " (" + row.shape + ")";
        th.appendChild(muted);
      }
      tr.appendChild(th);
      ["value", "base", "change", "rate", "base_rate"].forEach(function (name, index) {
        var td = document.createElement("td");
        td.className = "num";
        td.dataset.label = labels[index + 1] || "";
        td.textContent = row[name];
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    paintSwatches(body);
  }

  function redraw(view, code) {
    var element = view.element;
    // The version's "as of", base and districts, as the page was asked for them.
    var query = new URLSearchParams(element.dataset.kept || "");
    query.set("from", element.dataset.from);
    query.set("to", element.dataset.to);
    query.set("code", code);
    element.dataset.ready = "false";
    fetch(element.dataset.url + "?" + query.toString(), { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (data) {
        view.draw(data);
        fillLegend(data);
        fillRows(data);
        var address = new URL(window.location.href);
        address.searchParams.set("from", element.dataset.from);
        address.searchParams.set("to", element.dataset.to);
        address.searchParams.set("code", code);
        window.history.replaceState(null, "", address.toString());
      })
      .catch(function () {
        var notes = document.querySelector("[data-map-notes]");
        if (notes) {
          var item = document.createElement("li");
          item.textContent = element.dataset.error;
          notes.appendChild(item);
        }
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    paintSwatches(document);
    var element = document.getElementById("summary-map");
    var data = initialData();
    if (!element || !data || typeof L === "undefined") { return; }
    var view = new SummaryMap(element);
    view.draw(data);
    var chooser = document.getElementById("map-code");
    if (chooser && window.fetch) {
      chooser.addEventListener("change", function () { redraw(view, chooser.value); });
    }
  });
})();
