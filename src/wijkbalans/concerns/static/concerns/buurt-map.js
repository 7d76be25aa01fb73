/* Choosing the buurt of a concern on a map (Leaflet, served by the app; no tiles, no CDN).
 * Without JavaScript the map stays hidden and the list of buurten does the work.
 * A tap fills the hidden lon/lat fields and empties the list: the server finds the buurt
 * that covers the point and keeps only the buurt. Choosing from the list clears the point. */
(function () {
  "use strict";
  var element = document.getElementById("buurt-map");
  if (!element || !window.L || !window.fetch) { return; }
  var select = document.getElementById("id_buurt");
  var lon = document.getElementById("id_lon");
  var lat = document.getElementById("id_lat");
  var status = document.getElementById("buurt-map-status");
  element.hidden = false;
  var map = L.map(element, { attributionControl: false, scrollWheelZoom: false, zoomSnap: 0.25 });
  var layer = null;

  function paint(code) {
    if (!layer) { return; }
    layer.eachLayer(function (path) {
      var own = path.feature.properties.code === code;
      path.setStyle({ color: own ? "#000000" : "#ffffff", weight: own ? 3 : 1,
                      fillColor: own ? "#00527a" : "#9e9e9e", fillOpacity: own ? 0.6 : 0.35 });
      if (own) { path.bringToFront(); }
    });
  }

  function choose(event, feature) {
    lon.value = event.latlng.lng.toFixed(6);
    lat.value = event.latlng.lat.toFixed(6);
    select.value = "";
    status.textContent = element.dataset.chosen.replace("%(name)s", feature.properties.label);
    paint(feature.properties.code);
  }

  fetch(element.dataset.geojson, { headers: { Accept: "application/geo+json" },
                                   credentials: "same-origin" })
    .then(function (response) {
      if (!response.ok) { throw new Error(response.status); }
      return response.json();
    })
    .then(function (collection) {
      layer = L.geoJSON(collection, {
        onEachFeature: function (feature, path) {
          path.bindTooltip(feature.properties.label, { sticky: true });
          path.on("click", function (event) { choose(event, feature); });
        }
      }).addTo(map);
      if (layer.getLayers().length) { map.fitBounds(layer.getBounds(), { padding: [6, 6] }); }
      paint(select.value || element.dataset.code || "");
      element.setAttribute("data-ready", "1");
    })
    .catch(function () {
      element.textContent = element.dataset.failed;
      element.setAttribute("data-ready", "error");
    });

  select.addEventListener("change", function () {
    if (select.value) {
      lon.value = "";
      lat.value = "";
      status.textContent = "";
    }
    paint(select.value);
  });
})();
