// Base tiles under every Leaflet map, from the tile server the office configured (MAP_TILES_URL,
// handed over by templates/includes/map_tiles.html). None by default: offices on closed networks
// have no tile server, and the maps draw the district shapes alone.
(function () {
  "use strict";

  function config() {
    var element = document.getElementById("map-tiles");
    if (!element) { return null; }
    try { return JSON.parse(element.textContent); } catch (error) { return null; }
  }

  window.TartipMapTiles = {
    // Adds the base tiles (and their attribution, which the tile server's licence asks for).
    addTo: function (map) {
      var tiles = config();
      if (!tiles || !tiles.url || typeof L === "undefined") { return null; }
      if (tiles.attribution) { L.control.attribution({ prefix: false }).addTo(map); }
      return L.tileLayer(tiles.url, { attribution: tiles.attribution || "", maxZoom: 19 }).addTo(map);
    },
  };
})();
