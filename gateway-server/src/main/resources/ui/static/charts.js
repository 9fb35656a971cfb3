// Draws the overview charts with uPlot (served from its WebJar). Data comes from data-* attributes
// filled by the server (HTML-escaped JSON arrays), never from inline scripts.
(function () {
  "use strict";
  if (typeof uPlot === "undefined") {
    return;
  }
  document.querySelectorAll(".chart-box").forEach(function (box) {
    var xs = JSON.parse(box.getAttribute("data-x") || "[]");
    var ys = JSON.parse(box.getAttribute("data-y") || "[]");
    var label = box.getAttribute("data-label") || "";
    var bars = box.getAttribute("data-kind") === "bars";
    var series = {
      label: label,
      stroke: bars ? "#2f5bd3" : "#1a7f4b",
      fill: bars ? "rgba(47,91,211,0.35)" : "rgba(26,127,75,0.12)",
      width: 2,
      points: { show: !bars, size: 4 }
    };
    if (bars) {
      series.paths = uPlot.paths.bars({ size: [0.6, 24] });
    }
    var opts = {
      width: Math.max(300, box.clientWidth),
      height: 220,
      scales: { x: { time: true } },
      legend: { show: true },
      series: [{}, series],
      axes: [
        {},
        {
          size: 70,
          values: function (u, vals) {
            return vals.map(function (v) {
              return label === "USD" ? "$" + (+v).toFixed(v < 0.01 && v > 0 ? 6 : 4) : v;
            });
          }
        }
      ]
    };
    new uPlot(opts, [xs, ys], box);
  });
})();
