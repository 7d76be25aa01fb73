/* Choropleth and locator maps with Leaflet, served by the app (no tiles, no CDN).
 * Every map element carries data-geojson (a URL); features carry `fill`, `label` and
 * `url` properties computed on the server. Areas are links: click, or Tab and Enter. */
(function () {
  "use strict";

  function drawMap(element) {
    var map = L.map(element, {
      attributionControl: false,
      zoomSnap: 0.25,
      scrollWheelZoom: false,
      keyboard: true
    });
    var highlight = element.dataset.highlight || "";
    fetch(element.dataset.geojson, { headers: { Accept: "application/geo+json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (collection) {
        var layer = L.geoJSON(collection, {
          style: function (feature) {
            var own = feature.properties.code === highlight;
            return {
              color: own ? "#000000" : "#ffffff",
              weight: own ? 3 : 0.8,
              fillColor: feature.properties.fill || "#bdbdbd",
              fillOpacity: 0.9
            };
          },
          onEachFeature: function (feature, path) {
            var props = feature.properties;
            path.bindTooltip(props.label, { sticky: true });
            if (props.url) {
              path.on("click", function () { window.location.href = props.url; });
            }
            path.on("add", function () {
              var el = path.getElement();
              if (!el) { return; }
              el.setAttribute("aria-label", props.label);
              if (props.url) {
                el.setAttribute("tabindex", "0");
                el.setAttribute("role", "link");
                el.setAttribute("data-code", props.code);
                el.addEventListener("keydown", function (event) {
                  if (event.key === "Enter") { window.location.href = props.url; }
                });
                el.addEventListener("focus", function () { path.openTooltip(); });
                el.addEventListener("blur", function () { path.closeTooltip(); });
              }
            });
          }
        }).addTo(map);
        if (layer.getLayers().length) {
          map.fitBounds(layer.getBounds(), { padding: [8, 8] });
        }
        element.setAttribute("data-ready", "1");
      })
      .catch(function () {
        element.textContent = element.dataset.failed || "De kaart kon niet worden geladen.";
        element.setAttribute("data-ready", "error");
      });
  }

  document.querySelectorAll("[data-geojson]").forEach(drawMap);
})();
