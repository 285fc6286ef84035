// The report form (/report/ and /signals/new/) and the page shown after sending it.
// Without this script the form still works: the address and district fields stand in for the
// map, and the photos go up as they are (the server checks and re-encodes them anyway).
(function () {
  "use strict";

  var MAX_SIDE = 2560;
  var JPEG_QUALITY = 0.85;
  var PLACE_ZOOM = 13;

  // --- Map: a click marks the place (Leaflet, district shapes; base tiles when configured) -----

  function setupMap(element) {
    if (typeof L === "undefined") { return; }
    var latInput = document.getElementById(element.dataset.latInput);
    var lonInput = document.getElementById(element.dataset.lonInput);
    var districtInput = document.getElementById(element.dataset.districtInput);
    var pointText = document.getElementById("map-point");
    var actions = document.getElementById("map-actions");
    var note = document.getElementById("map-note");
    var clearButton = document.getElementById("map-clear");
    element.hidden = false;
    pointText.hidden = false;

    var map = L.map(element, { attributionControl: false, zoomSnap: 0.25 });
    if (window.TartipMapTiles) { window.TartipMapTiles.addTo(map); }
    var marker = null;
    var clickedFeature = null;
    var autoDistrict = false;

    if (districtInput) {
      districtInput.addEventListener("change", function () { autoDistrict = false; });
    }

    function describe(districtName) {
      if (!latInput.value) {
        pointText.textContent = pointText.dataset.emptyText;
        actions.hidden = true;
        return;
      }
      var where = latInput.value + ", " + lonInput.value;
      pointText.textContent = pointText.dataset.markedText + " " + (districtName ? districtName + " (" + where + ")" : where);
      actions.hidden = false;
    }

    function mark(latlng, feature) {
      latInput.value = latlng.lat.toFixed(6);
      lonInput.value = latlng.lng.toFixed(6);
      if (marker) { marker.setLatLng(latlng); } else {
        marker = L.circleMarker(latlng, { radius: 9, color: "#a3261b", weight: 3, fillColor: "#f2b705", fillOpacity: 0.9 }).addTo(map);
      }
      var name = feature ? feature.properties.name : "";
      if (districtInput && feature && (autoDistrict || !districtInput.value)) {
        districtInput.value = String(feature.properties.id);
        autoDistrict = true;
      }
      describe(name);
      pointChanged();
    }

    clearButton.addEventListener("click", function () {
      latInput.value = "";
      lonInput.value = "";
      if (marker) { map.removeLayer(marker); marker = null; }
      if (districtInput && autoDistrict) { districtInput.value = ""; autoDistrict = false; }
      describe("");
      pointChanged();
    });

    map.on("click", function (event) {
      mark(event.latlng, clickedFeature);
      clickedFeature = null;
    });

    var centre = element.dataset.centreLat ? [parseFloat(element.dataset.centreLat), parseFloat(element.dataset.centreLon)] : [48, 67];
    map.setView(centre, element.dataset.centreLat ? 6 : 4);

    fetch(element.dataset.geojsonUrl, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (collection) {
        var shapes = L.geoJSON(collection, {
          style: function () { return { color: "#0b4a6f", weight: 1.5, fillColor: "#5b8fd1", fillOpacity: 0.15 }; },
          onEachFeature: function (feature, layer) {
            layer.bindTooltip(feature.properties.name, { sticky: true });
            layer.on("click", function () { clickedFeature = feature; });
            if (feature.properties.approximate) { note.hidden = false; }
          },
        }).addTo(map);
        var bounds = shapes.getBounds();
        if (bounds.isValid()) { map.fitBounds(bounds, { padding: [8, 8], animate: false }); }
        element.classList.add("is-ready");
      })
      .catch(function () { element.classList.add("is-ready"); });

    // A form sent back with errors keeps its point.
    if (latInput.value && lonInput.value) {
      mark(L.latLng(parseFloat(latInput.value), parseFloat(lonInput.value)), null);
    } else {
      describe("");
    }

    return {
      // A point the reporter confirmed (their photo's position): the server finds its district.
      place: function (latitude, longitude) {
        var latlng = L.latLng(latitude, longitude);
        mark(latlng, null);
        map.setView(latlng, Math.max(map.getZoom(), PLACE_ZOOM));
      },
    };
  }

  function pointChanged() {
    document.dispatchEvent(new CustomEvent("tartip:point-changed"));
  }

  // --- Duplicate suggestions: open reports of the same category near the point ----------------
  // The server renders the suggestions (links to "Me too", no forms: this sits inside the report
  // form); an empty answer hides the box.

  function setupNearby(box) {
    if (typeof fetch !== "function") { return; }
    var category = document.getElementById(box.dataset.categoryInput);
    var latInput = document.getElementById(box.dataset.latInput);
    var lonInput = document.getElementById(box.dataset.lonInput);
    if (!category || !latInput || !lonInput) { return; }
    var timer = null;
    var controller = null;
    var lastQuery = "";

    function clear() {
      lastQuery = "";
      box.textContent = "";
      box.hidden = true;
    }

    function update() {
      if (!category.value || !latInput.value || !lonInput.value) { clear(); return; }
      var query = new URLSearchParams({ category: category.value, latitude: latInput.value, longitude: lonInput.value }).toString();
      if (query === lastQuery) { return; }
      lastQuery = query;
      if (controller && controller.abort) { controller.abort(); }
      controller = typeof AbortController === "function" ? new AbortController() : null;
      fetch(box.dataset.nearbyUrl + "?" + query, {
        credentials: "same-origin",
        headers: { "HX-Request": "true" },
        signal: controller ? controller.signal : undefined,
      })
        .then(function (response) { return response.ok || response.status === 429 ? response.text() : ""; })
        .then(function (html) {
          if (query !== lastQuery) { return; }
          box.innerHTML = html;
          box.hidden = !html.trim();
        })
        .catch(function () { /* aborted or offline: the form works without suggestions */ });
    }

    function later() {
      clearTimeout(timer);
      timer = setTimeout(update, 300);
    }

    category.addEventListener("change", later);
    document.addEventListener("tartip:point-changed", later);
    update(); // a form sent back with errors keeps its category and point
  }

  // --- Photos: shrunk in the browser (canvas, JPEG) before they are sent ------------------------

  function shrink(file) {
    if (typeof createImageBitmap !== "function" || !/^image\/(jpeg|png|webp)$/.test(file.type)) {
      return Promise.resolve(file); // HEIC and others: the server decodes them
    }
    return createImageBitmap(file, { imageOrientation: "from-image" }).then(function (bitmap) {
      var scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.max(1, Math.round(bitmap.width * scale));
      canvas.height = Math.max(1, Math.round(bitmap.height * scale));
      var context = canvas.getContext("2d");
      context.fillStyle = "#fff";
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      if (bitmap.close) { bitmap.close(); }
      return new Promise(function (resolve) {
        // Re-encoding also drops the photo's metadata (GPS, camera) before it leaves the phone.
        canvas.toBlob(function (blob) {
          if (!blob) { resolve(file); return; }
          var name = file.name.replace(/\.[^.]+$/, "") + ".jpg";
          resolve(new File([blob], name, { type: "image/jpeg", lastModified: Date.now() }));
        }, "image/jpeg", JPEG_QUALITY);
      });
    }).catch(function () { return file; });
  }

  function sizeLabel(bytes) {
    return bytes >= 1048576 ? (bytes / 1048576).toFixed(1) + " MB" : Math.max(1, Math.round(bytes / 1024)) + " KB";
  }

  // --- A photo's GPS position, read before the photo is shrunk (which drops it), offered as the
  // report's place: the reporter confirms it; nothing is offered for a photo without one.

  function position(file) {
    if (typeof exifr === "undefined") { return Promise.resolve(null); }
    return exifr.gps(file).then(function (gps) {
      return gps && isFinite(gps.latitude) && isFinite(gps.longitude) ? gps : null;
    }).catch(function () { return null; });
  }

  function setupPlaceOffer(mapApi) {
    var box = document.getElementById("photo-place");
    if (!box || !mapApi) { return function () {}; }
    var text = document.getElementById("photo-place-text");
    var offered = null;
    document.getElementById("photo-place-use").addEventListener("click", function () {
      if (offered) { mapApi.place(offered.latitude, offered.longitude); }
      box.hidden = true;
    });
    // offer(name, gps) shows the offer; offer() takes it back.
    return function (name, gps) {
      offered = gps || null;
      box.hidden = !offered;
      if (offered) {
        var where = offered.latitude.toFixed(6) + ", " + offered.longitude.toFixed(6);
        text.textContent = text.dataset.text.replace("%(name)s", name).replace("%(position)s", where);
      }
    };
  }

  function setupPhotos(form, offerPlace) {
    var wrapper = form.querySelector(".photo-field");
    var input = wrapper && wrapper.querySelector("input[type=file]");
    if (!input || typeof DataTransfer === "undefined") { return null; }
    var previews = document.getElementById("photo-previews");
    var maxPhotos = parseInt(wrapper.dataset.maxPhotos, 10) || 5;
    // The server's cap, on what is sent: a photo the browser shrinks below it is kept.
    var maxBytes = parseInt(wrapper.dataset.maxBytes, 10) || Infinity;
    var state = { pending: null };
    var urls = [];

    function show(files, message) {
      urls.forEach(function (url) { URL.revokeObjectURL(url); });
      urls = [];
      previews.textContent = "";
      if (message) {
        var warning = document.createElement("li");
        warning.className = "photo-previews__message";
        warning.textContent = message;
        previews.appendChild(warning);
      }
      Array.prototype.forEach.call(files, function (file) {
        var item = document.createElement("li");
        item.className = "photo-previews__item";
        if (/^image\/(jpeg|png|webp)$/.test(file.type)) {
          var url = URL.createObjectURL(file);
          urls.push(url);
          var image = document.createElement("img");
          image.src = url;
          image.alt = "";
          item.appendChild(image);
        }
        var caption = document.createElement("span");
        caption.textContent = file.name + " · " + sizeLabel(file.size);
        item.appendChild(caption);
        previews.appendChild(item);
      });
    }

    input.addEventListener("change", function () {
      var files = Array.prototype.slice.call(input.files);
      offerPlace();
      if (files.length > maxPhotos) {
        input.value = "";
        show([], wrapper.dataset.tooManyText);
        return;
      }
      show([], files.length ? wrapper.dataset.shrinkingText : "");
      var positions = Promise.all(files.map(position));
      state.pending = Promise.all([Promise.all(files.map(shrink)), positions]).then(function (results) {
        var transfer = new DataTransfer();
        var refused = [];
        var place = null;
        results[0].forEach(function (file, index) {
          if (file.size > maxBytes) { refused.push(files[index].name); return; }
          transfer.items.add(file);
          var gps = results[1][index];
          if (!place && gps) { place = { name: files[index].name, gps: gps }; }
        });
        input.files = transfer.files;
        show(input.files, refused.length ? refused.join(", ") + ": " + wrapper.dataset.tooLargeText : "");
        if (place) { offerPlace(place.name, place.gps); }
        state.pending = null;
      });
    });
    return state;
  }

  // --- Description: characters left ---------------------------------------------------------

  function setupCounter(counter) {
    var field = document.getElementById(counter.dataset.counterFor);
    if (!field) { return; }
    var limit = parseInt(field.getAttribute("maxlength"), 10) || 4000;
    function update() { counter.textContent = field.value.length + " / " + limit; }
    counter.hidden = false;
    field.addEventListener("input", update);
    update();
  }

  // --- The page after sending: copy the tracking link ---------------------------------------

  function setupCopy(button) {
    var target = document.getElementById(button.dataset.copyTarget);
    var status = document.getElementById("copy-status");
    button.hidden = false;
    button.addEventListener("click", function () {
      target.select();
      var done = function () { status.textContent = button.dataset.copiedText; };
      var failed = function () {
        try {
          if (document.execCommand("copy")) { done(); return; }
        } catch (error) { /* fall through */ }
        status.textContent = button.dataset.failedText;
      };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(target.value).then(done, failed);
      } else {
        failed();
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("report-form");
    if (form) {
      var mapElement = document.getElementById("report-map");
      var mapApi = mapElement ? setupMap(mapElement) : null;
      var nearby = document.getElementById("nearby-reports");
      if (nearby) { setupNearby(nearby); }
      var photos = setupPhotos(form, setupPlaceOffer(mapApi));
      form.addEventListener("submit", function (event) {
        if (photos && photos.pending) {
          event.preventDefault();
          photos.pending.then(function () { form.requestSubmit(); });
        }
      });
      var errors = document.getElementById("form-errors");
      if (errors) { errors.focus(); }
    }
    Array.prototype.forEach.call(document.querySelectorAll("[data-counter-for]"), setupCounter);
    Array.prototype.forEach.call(document.querySelectorAll("[data-copy-target]"), setupCopy);
  });
})();
