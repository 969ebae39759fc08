/* Map page (/ban-do/): turns the whole-map image into a Leaflet map that
   pans and zooms (pinch, mouse wheel, +/− buttons, keyboard), drawn from the
   tile pyramid the town_map plugin cut, with a marker and a popup for every
   point of the list under it. Without this script (or Leaflet) the page
   keeps the image and the list. */
(function () {
  "use strict";
  var box = document.querySelector("[data-town-map]");
  if (!box || !window.L) { return; }
  var points = Array.prototype.slice.call(document.querySelectorAll("[data-point]"));

  function popupContent(item) {
    var content = document.createElement("div");
    content.className = "map-popup";
    var name = document.createElement("strong");
    name.textContent = item.querySelector(".map-point-name").textContent;
    var kind = document.createElement("span");
    kind.textContent = item.getAttribute("data-kind-name");
    content.appendChild(name);
    content.appendChild(kind);
    content.appendChild(item.querySelector(".map-point-address").cloneNode(true));
    var link = item.querySelector(".map-point-link");
    if (link) { content.appendChild(link.cloneNode(true)); }
    return content;
  }

  function init() {
    var width = Number(box.getAttribute("data-width"));
    var height = Number(box.getAttribute("data-height"));
    var maxZoom = Number(box.getAttribute("data-max-zoom"));
    var canvas = document.createElement("div");
    canvas.className = "town-map-canvas";
    canvas.setAttribute("role", "region");
    canvas.setAttribute("aria-label", "Bản đồ tương tác: kéo hoặc dùng phím mũi tên để di chuyển, phím + và − để phóng to, thu nhỏ");
    var image = box.querySelector(".town-map-image");
    if (image) { image.hidden = true; }
    box.appendChild(canvas);

    var map = L.map(canvas, {
      crs: L.CRS.Simple, minZoom: 0, maxZoom: maxZoom, zoomSnap: 0.25, zoomDelta: 1,
      zoomControl: false, attributionControl: false
    });
    L.control.zoom({ zoomInTitle: "Phóng to", zoomOutTitle: "Thu nhỏ" }).addTo(map);
    var bounds = L.latLngBounds(map.unproject([0, height], maxZoom), map.unproject([width, 0], maxZoom));
    var tileSize = Number(box.getAttribute("data-tile-size"));
    var tiles = L.tileLayer(box.getAttribute("data-tiles"), {
      tileSize: tileSize, bounds: bounds, noWrap: true, minZoom: 0, maxZoom: maxZoom, maxNativeZoom: maxZoom
    });
    // One pixel of overlap hides the hairline seams Chromium draws between
    // tiles at fractional zoom levels.
    tiles.on("tileload", function (event) {
      event.tile.style.width = (tileSize + 1) + "px";
      event.tile.style.height = (tileSize + 1) + "px";
    });
    tiles.addTo(map);
    map.fitBounds(bounds);
    map.setMinZoom(Math.max(0, map.getZoom() - 0.5));
    map.setMaxBounds(bounds.pad(0.2));
    // Open on the points rather than the whole sheet: on a phone the whole
    // sheet would pile the markers onto each other (too small to tap).
    var spots = points.map(function (item) {
      return map.unproject([Number(item.getAttribute("data-x")), Number(item.getAttribute("data-y"))], maxZoom);
    });
    if (spots.length > 1) { map.fitBounds(L.latLngBounds(spots).pad(0.15)); }

    points.forEach(function (item) {
      var name = item.querySelector(".map-point-name").textContent;
      var kindName = item.getAttribute("data-kind-name");
      var position = map.unproject([Number(item.getAttribute("data-x")), Number(item.getAttribute("data-y"))], maxZoom);
      var marker = L.marker(position, {
        icon: L.divIcon({
          className: "map-marker map-marker--" + item.getAttribute("data-kind"),
          html: "", iconSize: [28, 28], iconAnchor: [14, 14], popupAnchor: [0, -10]
        }),
        title: name, keyboard: true, riseOnHover: true
      });
      marker.bindPopup(popupContent(item), { maxWidth: 260 });
      marker.addTo(map);
      var icon = marker.getElement();
      icon.setAttribute("aria-label", name + " (" + kindName + ")");
      icon.addEventListener("keydown", function (event) {
        if (event.key === "Escape") { marker.closePopup(); }
      });

      var show = document.createElement("button");
      show.type = "button";
      show.className = "map-point-show";
      show.textContent = "Xem trên bản đồ";
      var which = document.createElement("span");
      which.className = "visually-hidden";
      which.textContent = ": " + name;
      show.appendChild(which);
      show.addEventListener("click", function () {
        canvas.scrollIntoView({ block: "center" });
        map.setView(position, Math.max(map.getZoom(), maxZoom - 1), { animate: false });
        marker.openPopup();
      });
      item.appendChild(show);
    });

    map.on("popupopen", function (event) {
      var close = event.popup.getElement().querySelector(".leaflet-popup-close-button");
      if (close) { close.setAttribute("aria-label", "Đóng"); close.title = "Đóng"; }
    });
  }

  var css = document.createElement("link");
  css.rel = "stylesheet";
  css.href = box.getAttribute("data-leaflet-css");
  css.addEventListener("load", init);
  document.head.appendChild(css);
}());
