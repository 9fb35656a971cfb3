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
      // Half a day of room on each side, so the first and last bars are not cut in half.
      scales: {
        x: {
          time: true,
          range: function (u, min, max) {
            return [min - 43200, max + 43200];
          }
        }
      },
      legend: { show: true },
      series: [{}, series],
      axes: [
        {},
        {
          size: 90,
          // Whole requests only on the count chart.
          incrs: label === "USD" ? undefined : [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 1e5, 1e6],
          values: function (u, vals, axis, space, incr) {
            var decimals = incr > 0 ? Math.max(0, Math.ceil(-Math.log10(incr))) : 0;
            return vals.map(function (v) {
              return label === "USD" ? "$" + v.toFixed(Math.min(decimals, 9)) : v;
            });
          }
        }
      ]
    };
    new uPlot(opts, [xs, ys], box);
  });
})();
