// Zoom and pan over a document page's IIIF Image API 3.0 level 0 tiles (info.json beside
// them): wheel, pinch, dragging and keys (+ − 0 and arrows). Without this script the page
// shows each page at reading size, which is all it needs.
(function () {
  "use strict";

  function button(label, text) {
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = text;
    b.setAttribute("aria-label", label);
    b.title = label;
    return b;
  }

  function Viewer(figure) {
    this.figure = figure;
    this.width = +figure.dataset.width;
    // Tiles are asked of the folder the info.json came from, on this host, whatever its id says.
    this.service = figure.dataset.info.replace(/\/info\.json$/, "");
    this.height = +figure.dataset.height;
    this.info = null;
    this.view = null;
    this.tiles = {};
    this.pointers = {};
    var self = this;
    var bar = document.createElement("div");
    bar.className = "zoom-bar";
    var zoomIn = button(figure.dataset.zoomIn, "+");
    var zoomOut = button(figure.dataset.zoomOut, "\u2212");
    var fit = button(figure.dataset.zoomReset, "\u2922");
    zoomIn.addEventListener("click", function () { self.open(function () { self.zoomBy(2); }); });
    zoomOut.addEventListener("click", function () { self.open(function () { self.zoomBy(0.5); }); });
    fit.addEventListener("click", function () { self.open(function () { self.fit(); }); });
    bar.appendChild(zoomIn);
    bar.appendChild(zoomOut);
    bar.appendChild(fit);
    figure.insertBefore(bar, figure.firstChild);
  }

  // Loads info.json and puts a viewport over the picture, then runs `then`.
  Viewer.prototype.open = function (then) {
    var self = this;
    if (this.view) { then(); return; }
    if (this.loading) return;
    this.loading = true;
    fetch(this.figure.dataset.info).then(function (r) { return r.json(); }).then(function (info) {
      self.info = info;
      self.build();
      then();
    }).catch(function () { self.loading = false; });
  };

  Viewer.prototype.build = function () {
    var self = this;
    var picture = this.figure.querySelector("picture");
    var img = picture.querySelector("img");
    var view = document.createElement("div");
    view.className = "zoom-view";
    view.tabIndex = 0;
    view.setAttribute("role", "img");
    view.setAttribute("aria-label", img.alt);
    var layer = document.createElement("div");
    layer.className = "zoom-layer";
    var base = document.createElement("img");
    base.src = img.currentSrc || img.src;
    base.alt = "";
    base.className = "zoom-base";
    layer.appendChild(base);
    view.appendChild(layer);
    picture.hidden = true;
    picture.parentNode.insertBefore(view, picture.nextSibling);
    this.view = view;
    this.layer = layer;
    this.base = base;
    var help = document.querySelector(".zoom-help");
    if (help) help.hidden = false;
    this.fit();
    view.addEventListener("wheel", function (e) {
      e.preventDefault();
      var r = view.getBoundingClientRect();
      self.zoomBy(e.deltaY < 0 ? 1.25 : 0.8, e.clientX - r.left, e.clientY - r.top);
    }, { passive: false });
    view.addEventListener("pointerdown", function (e) {
      view.setPointerCapture(e.pointerId);
      self.pointers[e.pointerId] = { x: e.clientX, y: e.clientY };
    });
    view.addEventListener("pointermove", function (e) {
      var last = self.pointers[e.pointerId];
      if (!last) return;
      var ids = Object.keys(self.pointers);
      if (ids.length === 1) {
        self.panBy(e.clientX - last.x, e.clientY - last.y);
      } else if (ids.length === 2) {
        var other = self.pointers[ids[0] == e.pointerId ? ids[1] : ids[0]];
        var before = Math.hypot(last.x - other.x, last.y - other.y);
        var after = Math.hypot(e.clientX - other.x, e.clientY - other.y);
        var r = view.getBoundingClientRect();
        if (before > 0) {
          self.zoomBy(after / before, (e.clientX + other.x) / 2 - r.left, (e.clientY + other.y) / 2 - r.top);
        }
      }
      last.x = e.clientX;
      last.y = e.clientY;
    });
    function up(e) { delete self.pointers[e.pointerId]; }
    view.addEventListener("pointerup", up);
    view.addEventListener("pointercancel", up);
    view.addEventListener("keydown", function (e) {
      var step = 60;
      switch (e.key) {
        case "+": case "=": self.zoomBy(1.5); break;
        case "-": case "_": self.zoomBy(1 / 1.5); break;
        case "0": self.fit(); break;
        case "ArrowLeft": self.panBy(step, 0); break;
        case "ArrowRight": self.panBy(-step, 0); break;
        case "ArrowUp": self.panBy(0, step); break;
        case "ArrowDown": self.panBy(0, -step); break;
        default: return;
      }
      e.preventDefault();
    });
    window.addEventListener("resize", function () { self.draw(); });
  };

  Viewer.prototype.fit = function () {
    var w = this.view.clientWidth;
    this.minScale = w / this.width;
    this.view.style.height = Math.min(this.height * this.minScale, window.innerHeight * 0.85) + "px";
    this.minScale = Math.min(this.minScale, this.view.clientHeight / this.height);
    this.scale = this.minScale;
    this.x = (w - this.width * this.scale) / 2;
    this.y = 0;
    this.draw();
  };

  Viewer.prototype.zoomBy = function (factor, cx, cy) {
    if (cx === undefined) { cx = this.view.clientWidth / 2; cy = this.view.clientHeight / 2; }
    var scale = Math.max(this.minScale, Math.min(2, this.scale * factor));
    this.x = cx - (cx - this.x) * scale / this.scale;
    this.y = cy - (cy - this.y) * scale / this.scale;
    this.scale = scale;
    this.draw();
  };

  Viewer.prototype.panBy = function (dx, dy) {
    this.x += dx;
    this.y += dy;
    this.draw();
  };

  Viewer.prototype.draw = function () {
    var vw = this.view.clientWidth, vh = this.view.clientHeight;
    var w = this.width * this.scale, h = this.height * this.scale;
    // The page never leaves the view entirely.
    this.x = w <= vw ? (vw - w) / 2 : Math.min(0, Math.max(vw - w, this.x));
    this.y = h <= vh ? (vh - h) / 2 : Math.min(0, Math.max(vh - h, this.y));
    this.layer.style.transform = "translate(" + this.x + "px," + this.y + "px)";
    this.base.style.width = w + "px";
    this.base.style.height = h + "px";
    var tiles = this.info.tiles && this.info.tiles[0];
    if (!tiles) return;
    // The coarsest level that still has a pixel for each pixel shown.
    var factors = tiles.scaleFactors.slice().sort(function (a, b) { return b - a; });
    var factor = factors[factors.length - 1];
    for (var i = 0; i < factors.length; i++) {
      if (factors[i] * this.scale <= 1.01) { factor = factors[i]; break; }
    }
    if (factor * this.scale > 1.5 && this.scale <= this.minScale * 1.01) {
      this.clearTiles();
      return;
    }
    var size = tiles.width * factor;
    var left = Math.max(0, Math.floor(-this.x / this.scale / size));
    var top = Math.max(0, Math.floor(-this.y / this.scale / size));
    var right = Math.min(Math.ceil(this.width / size), Math.ceil((vw - this.x) / this.scale / size));
    var bottom = Math.min(Math.ceil(this.height / size), Math.ceil((vh - this.y) / this.scale / size));
    var wanted = {};
    for (var row = top; row < bottom; row++) {
      for (var col = left; col < right; col++) {
        var rx = col * size, ry = row * size;
        var rw = Math.min(size, this.width - rx), rh = Math.min(size, this.height - ry);
        var url = this.service + "/" + rx + "," + ry + "," + rw + "," + rh + "/" +
          Math.ceil(rw / factor) + "," + Math.ceil(rh / factor) + "/0/default.jpg";
        wanted[url] = true;
        var tile = this.tiles[url];
        if (!tile) {
          tile = document.createElement("img");
          tile.alt = "";
          tile.className = "zoom-tile";
          tile.src = url;
          this.layer.appendChild(tile);
          this.tiles[url] = tile;
        }
        tile.style.left = rx * this.scale + "px";
        tile.style.top = ry * this.scale + "px";
        tile.style.width = rw * this.scale + "px";
        tile.style.height = rh * this.scale + "px";
      }
    }
    for (var key in this.tiles) {
      if (!wanted[key]) { this.layer.removeChild(this.tiles[key]); delete this.tiles[key]; }
    }
  };

  Viewer.prototype.clearTiles = function () {
    for (var key in this.tiles) this.layer.removeChild(this.tiles[key]);
    this.tiles = {};
  };

  var figures = document.querySelectorAll("figure.doc-page[data-info]");
  for (var i = 0; i < figures.length; i++) new Viewer(figures[i]);
})();
